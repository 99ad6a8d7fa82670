// Malformed, oversized and wrong-typed input to every procedure over HTTP: always a 4xx that says what
// is wrong, never a 500; bad input is counted in /metrics.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWelfareHarness, type WelfareHarness } from './harness';

let h: WelfareHarness;
beforeAll(async () => {
  h = await startWelfareHarness();
});
afterAll(async () => {
  await h?.close();
});

const QUERIES = [
  'public.areas',
  'public.aggregate',
  'public.batch',
  'me.payments',
  'applications.list',
  'applications.get',
  'alerts.list',
  'alerts.get',
  'cycles.get',
];
const MUTATIONS = ['people.idHash', 'cycles.prepare', 'cycles.reissue'];

const badInput = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.record(
    {
      id: fc.oneof(fc.string(), fc.integer(), fc.constant('g'.repeat(64)), fc.constant('a'.repeat(64))),
      area: fc.oneof(fc.string(), fc.integer(), fc.constant('530702'), fc.constant('000000')),
      period: fc.oneof(fc.string(), fc.constant('2026-13'), fc.constant('2026-12')),
      step: fc.oneof(fc.string(), fc.constant('approved')),
      open: fc.oneof(fc.boolean(), fc.string()),
      status: fc.oneof(fc.string(), fc.constant('open'), fc.constant('resolved')),
      kind: fc.oneof(fc.string(), fc.constant('shared_account')),
      limit: fc.oneof(fc.integer(), fc.double(), fc.string()),
      batchSize: fc.oneof(fc.integer(), fc.constant(0), fc.constant(100_000)),
      idNumber: fc.oneof(fc.string(), fc.constant('53070219540512002X'), fc.constant('x'.repeat(5000))),
      payments: fc.oneof(
        fc.anything({ maxDepth: 2 }),
        fc.array(fc.record({ batch: fc.string(), position: fc.oneof(fc.integer(), fc.double()) })),
      ),
    },
    { requiredKeys: [] },
  ),
);

async function call(path: string, input: unknown, mutation: boolean): Promise<number> {
  const encoded = JSON.stringify(input === undefined ? null : input);
  const res = mutation
    ? await fetch(`${h.url}/welfare/api/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: encoded,
      })
    : await fetch(`${h.url}/welfare/api/trpc/${path}?input=${encodeURIComponent(encoded)}`);
  await res.arrayBuffer();
  return res.status;
}

describe('bad input never gives a 500', () => {
  it('tRPC procedures', async () => {
    for (const path of [...QUERIES, ...MUTATIONS]) {
      await fc.assert(
        fc.asyncProperty(badInput, async (input) => {
          const status = await call(path, input, MUTATIONS.includes(path));
          expect(status, `${path} ${JSON.stringify(input)?.slice(0, 200)}`).toBeLessThan(500);
        }),
        { numRuns: 25 },
      );
    }
    const malformed = await fetch(`${h.url}/welfare/api/trpc/public.aggregate?input=%7Bnot-json`);
    expect(malformed.status).toBe(400);
    const res = await fetch(
      `${h.url}/welfare/api/trpc/public.aggregate?input=${encodeURIComponent(JSON.stringify({ area: 'abc' }))}`,
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/area/);
    const huge = await fetch(`${h.url}/welfare/api/trpc/people.idHash`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idNumber: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect([401, 413]).toContain(huge.status);
    const metrics = await h.services.metrics.registry.getSingleMetricAsString('gongxin_bad_input_total');
    expect(metrics).toMatch(/gongxin_bad_input_total\{source="api",reason="bad_request"\} [1-9]/);
  });
});

describe('decoder pack', () => {
  it('is served at a stable URL (a redirect to the built file) or a 404 in words when not built', async () => {
    const res = await fetch(`${h.url}/welfare/explorer-decoders.js`, { redirect: 'manual' });
    expect([302, 404]).toContain(res.status);
    if (res.status === 302)
      expect(res.headers.get('location')).toMatch(/^\/welfare\/assets\/explorer-decoders-.*\.js$/);
    expect(h.services.suite.apps.find((a) => a.id === 'welfare')?.decoderPack).toBe(
      '/welfare/explorer-decoders.js',
    );
  });
});
