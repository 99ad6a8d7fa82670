// The portal page's typed client for its server. Only the router's type crosses from server to web.
import type { AppRouter } from '@gongxin/portal-server';
import { createTRPCClient, httpBatchLink } from '@trpc/client';

export const api = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: '/api/trpc' })],
});
