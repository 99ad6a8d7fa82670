// Test helper: a fetch that answers from a handler and records every request, for the node API and the
// session routes the kit calls. Not exported from the package.
import { type FakeHandler, type FakeRequest, fakeNode } from '@gongxin/client/testing';
import { vi } from 'vitest';

export { FakeNodeError, type FakeRequest } from '@gongxin/client/testing';

export interface MockRequest {
  method: string;
  path: string;
  url: URL;
  body: unknown;
  init: RequestInit | undefined;
}

export type MockAnswer = { status?: number; body: unknown } | undefined;

export function json(body: unknown, status = 200): MockAnswer {
  return { status, body };
}

/** Replace the global fetch; an unhandled request answers 404 like the node API does. */
export function mockFetch(handler: (req: MockRequest) => MockAnswer | Promise<MockAnswer>): MockRequest[] {
  const requests: MockRequest[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), 'http://suite.test');
      const text = typeof init?.body === 'string' ? init.body : undefined;
      const req: MockRequest = {
        method: init?.method ?? 'GET',
        path: `${url.pathname}${url.search}`,
        url,
        body: text === undefined ? undefined : JSON.parse(text),
        init,
      };
      requests.push(req);
      const answer = (await handler(req)) ?? {
        status: 404,
        body: { error: { code: 'not_found', message: `no route ${req.method} ${req.path}` } },
      };
      return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
        status: answer.status ?? 200,
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  return requests;
}

/**
 * Replace the global fetch with an app's session route: `GET /<appId>/auth/me` answers the person `me()`
 * gives, or 401 for nobody signed in; anything else 404.
 */
export function mockSession(appId: string, me: () => object | null): MockRequest[] {
  return mockFetch((req) => {
    if (req.path !== `/${appId}/auth/me`) return undefined;
    const person = me();
    return person ? json(person) : json({ error: { code: 'unauthorized' } }, 401);
  });
}

/**
 * Replace the global fetch with a fake node API answering tRPC procedures (`chain.info`, `account.get`…)
 * from `handlers`; the returned list records every HTTP request and the procedures it carried.
 */
export function mockChain(handlers: Record<string, FakeHandler | undefined>): FakeRequest[] {
  const node = fakeNode(handlers);
  vi.stubGlobal('fetch', vi.fn(node.fetch));
  return node.requests;
}

/** The procedures the requests carried, in order. */
export const proceduresOf = (requests: FakeRequest[]) =>
  requests.flatMap((r) => r.calls.map((c) => c.procedure));
