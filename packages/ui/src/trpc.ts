// The typed client of an app's own tRPC API. Batched (a page's queries travel in one request) and with
// the session cookie, which is same-origin: apps never call each other's APIs from the browser.

import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';

export function createAppTrpc<TRouter extends AnyTRPCRouter>(url: string): TRPCClient<TRouter> {
  return createTRPCClient<TRouter>({
    links: [
      httpBatchLink<TRouter>({
        url,
        // Looked up per call, so a test can replace the global fetch.
        fetch: (input: RequestInfo | URL, init?: RequestInit) =>
          globalThis.fetch(input, { ...init, credentials: 'same-origin' }),
        // The suite's routers use no transformer (bigints travel as decimal strings, see docs/api.md); for a
        // generic router TypeScript cannot see that the transformer option is then not required.
      } as unknown as Parameters<typeof httpBatchLink<TRouter>>[0]),
    ],
  });
}
