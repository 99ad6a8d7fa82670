// For the page tests: a fetch that answers the wallet's session route for one account, 404 for the rest.
import { jsonResponse } from '@gongxin/ui/testing/clock';

export const signedInAs =
  (address: string) =>
  async (input: RequestInfo | URL): Promise<Response> =>
    String(input).endsWith('/wallet/auth/me')
      ? jsonResponse({ did: `did:gx:${address}`, address, roles: [], sessionId: 's' })
      : jsonResponse({}, 404);
