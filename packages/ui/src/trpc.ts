// The typed client of an app's own tRPC API. Batched (a page's queries travel in one request) and with
// the session cookie, which is same-origin: apps never call each other's APIs from the browser. After a
// signed action, reads name the block it was committed in, so they see what it did.

import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import { committedHeight } from './chain/seen';

export function createAppTrpc<TRouter extends AnyTRPCRouter>(url: string): TRPCClient<TRouter> {
  return createTRPCClient<TRouter>({
    links: [
      httpBatchLink<TRouter>({
        url,
        // Once this page has a tx committed, reads wait for the app's read models to hold its block.
        headers: () => {
          const height = committedHeight();
          return height > 0 ? { 'x-chain-height': String(height) } : {};
        },
        // Looked up per call, so a test can replace the global fetch.
        fetch: (input: RequestInfo | URL, init?: RequestInit) =>
          globalThis.fetch(input, { ...init, credentials: 'same-origin' }),
        // The suite's routers use no transformer (bigints travel as decimal strings, see docs/api.md); for a
        // generic router TypeScript cannot see that the transformer option is then not required.
      } as unknown as Parameters<typeof httpBatchLink<TRouter>>[0]),
    ],
  });
}
