import { initTRPC } from '@trpc/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, mockFetch } from './testing/fetch-mock';
import { createAppTrpc } from './trpc';

const t = initTRPC.create();
const appRouter = t.router({
  hello: t.procedure.input((v) => v as { name: string }).query(({ input }) => `hi ${input.name}`),
  count: t.procedure.query(() => 2),
});

afterEach(() => vi.unstubAllGlobals());

describe('createAppTrpc', () => {
  it('batches a page’s queries into one same-origin request with the session cookie', async () => {
    const requests = mockFetch((req) =>
      req.url.pathname === '/welfare/api/trpc/hello,count'
        ? json([{ result: { data: 'hi 李' } }, { result: { data: 2 } }])
        : undefined,
    );
    const trpc = createAppTrpc<typeof appRouter>('/welfare/api/trpc');
    const [hello, count] = await Promise.all([trpc.hello.query({ name: '李' }), trpc.count.query()]);
    expect(hello).toBe('hi 李');
    expect(count).toBe(2);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url.searchParams.get('batch')).toBe('1');
    expect(requests[0]!.init?.credentials).toBe('same-origin');
  });
});
