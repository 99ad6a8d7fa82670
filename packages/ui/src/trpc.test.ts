import { initTRPC } from '@trpc/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { committedHeight, noteCommitted } from './chain/seen';
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

  it('names the block of the page’s newest committed tx, once there is one, so reads see it', async () => {
    const requests = mockFetch(() => json([{ result: { data: 2 } }]));
    const trpc = createAppTrpc<typeof appRouter>('/welfare/api/trpc');
    expect(committedHeight()).toBe(0);
    await trpc.count.query();
    expect(new Headers(requests[0]!.init?.headers).get('x-chain-height')).toBeNull();
    noteCommitted(41);
    noteCommitted(40); // an older receipt arriving late does not move it back
    await trpc.count.query();
    expect(new Headers(requests[1]!.init?.headers).get('x-chain-height')).toBe('41');
  });
});
