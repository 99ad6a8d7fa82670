// What the error formatter sends for bad input and for an app's own refusal: zod issues as data (path,
// code, parameters) next to the flattened English, and the reason key with its parameters.
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appError, type FieldIssue } from '../src/index';
import { initAppTRPC } from '../src/trpc';

const { router, publicProcedure } = initAppTRPC();
const appRouter = router({
  retitle: publicProcedure
    .input(z.object({ title: z.string().min(1).max(8), count: z.number().int().min(2) }).strict())
    .mutation(() => 'ok'),
  unbind: publicProcedure.input(z.object({ plate: z.string() })).mutation(({ input }) => {
    throw appError(
      'NOT_FOUND',
      'plate_not_bound',
      { plate: input.plate },
      `plate ${input.plate} is not bound`,
    );
  }),
  shout: publicProcedure
    .input(z.object({ word: z.string().refine((w) => w === 'hi', 'say hi') }))
    .query(() => 1),
});

async function call(path: string, input: unknown, method: 'POST' | 'GET' = 'POST') {
  const url =
    method === 'GET'
      ? `http://test/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`
      : `http://test/trpc/${path}`;
  const res = await fetchRequestHandler({
    endpoint: '/trpc',
    router: appRouter,
    req: new Request(url, {
      method,
      ...(method === 'POST' && {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      }),
    }),
    createContext: () => ({}) as never,
  });
  return {
    status: res.status,
    body: (await res.json()) as { error: { message: string; data: Record<string, unknown> } },
  };
}

describe('the error formatter', () => {
  it('sends zod issues as path, code and parameters, keeping the flattened English', async () => {
    const { status, body } = await call('retitle', { title: '', count: 1.5, extra: true });
    expect(status).toBe(400);
    const issues = body.error.data.issues as FieldIssue[];
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: ['title'],
        code: 'too_small',
        params: expect.objectContaining({ origin: 'string', minimum: 1 }),
      }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: ['count'],
        code: 'invalid_type',
        params: expect.objectContaining({ expected: 'int' }),
      }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: [],
        code: 'unrecognized_keys',
        params: expect.objectContaining({ keys: ['extra'] }),
      }),
    );
    expect(body.error.data.zodError).toMatchObject({ fieldErrors: { title: [expect.any(String)] } });
    expect(body.error.data.reason).toBeNull();
  });

  it("keeps a custom issue's own message as its detail", async () => {
    const { status, body } = await call('shout', { word: 'yo' }, 'GET');
    expect(status).toBe(400);
    expect(body.error.data.issues).toEqual([
      { path: ['word'], code: 'custom', message: 'say hi', params: {} },
    ]);
  });

  it("puts an app error's reason key and parameters into the data, its English as the message", async () => {
    const { status, body } = await call('unbind', { plate: '京A12345' });
    expect(status).toBe(404);
    expect(body.error.message).toBe('plate 京A12345 is not bound');
    expect(body.error.data).toMatchObject({
      code: 'NOT_FOUND',
      reason: { key: 'plate_not_bound', params: { plate: '京A12345' } },
      issues: null,
      zodError: null,
    });
  });
});
