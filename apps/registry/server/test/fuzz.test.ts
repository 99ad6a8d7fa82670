// Malformed, oversized and wrong-typed input to every procedure and route over HTTP: always a 4xx that
// says what is wrong (or an answer), never a 500; bad input is counted in /metrics.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegistryHarness, startRegistryHarness } from './harness';

let h: RegistryHarness;
beforeAll(async () => {
  h = await startRegistryHarness();
});
afterAll(async () => {
  await h?.close();
});

const QUERIES = [
  'enterprises.search',
  'enterprises.get',
  'enterprises.stats',
  'enterprises.importProof',
  'workbench.queue',
  'certificates.list',
  'certificates.verify',
  'notices.list',
  'posts.list',
  'posts.matches',
  'feed.page',
];
const MUTATIONS = ['workbench.checkImport'];

const badInput = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.record(
    {
      q: fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.integer(),
        fc.constant('９１４４０３'),
        fc.constant("%_\\'"),
      ),
      uscc: fc.oneof(fc.string(), fc.constant('131102198503121192'), fc.constant('91440300MA5DQ3LX14')),
      id: fc.oneof(fc.string(), fc.constant('f'.repeat(64)), fc.constant(`${'a'.repeat(64)}:1`)),
      at: fc.oneof(fc.string(), fc.double(), fc.constant('2026-13-45'), fc.integer()),
      after: fc.oneof(fc.string(), fc.constant('99999999:0'), fc.constant('1:-1')),
      holder: fc.string(),
      issuer: fc.string(),
      representative: fc.string(),
      kind: fc.string(),
      life: fc.string(),
      csv: fc.oneof(fc.string(), fc.constant('uscc,name\n"unterminated')),
      limit: fc.oneof(fc.integer(), fc.double(), fc.string()),
    },
    { requiredKeys: [] },
  ),
);

async function call(path: string, input: unknown, mutation: boolean): Promise<number> {
  const encoded = JSON.stringify(input === undefined ? null : input);
  const res = mutation
    ? await fetch(`${h.url}/registry/api/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: encoded,
      })
    : await fetch(`${h.url}/registry/api/trpc/${path}?input=${encodeURIComponent(encoded)}`);
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
    expect(
      await fetch(`${h.url}/registry/api/trpc/enterprises.search?input=%7Bnot-json`).then((r) => r.status),
    ).toBe(400);
    // The CSV check as the authority, with a malformed file: row errors, not a failure.
    const authority = h.caller(h.userOf(h.party('samr-shenzhen').address, ['registry:authority']));
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 2000 }), async (text) => {
        const { errors, rows } = await authority.workbench.checkImport({
          csv: `uscc,name,legalForm,capitalYuan,address,industry,establishedOn\n${text}`,
        });
        expect(Array.isArray(errors) && Array.isArray(rows)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('REST routes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), async (segment, query) => {
        const id = encodeURIComponent(segment);
        const q = encodeURIComponent(query);
        for (const path of [
          `/api/certificates/${id}/bundle.json?at=${q}`,
          `/api/certificates/${id}/qr.svg`,
          `/api/enterprises/${id}/credential.json`,
          `/api/feed?after=${q}&limit=${q}`,
        ]) {
          const res = await fetch(`${h.url}/registry${path}`);
          await res.arrayBuffer();
          expect(res.status, path).toBeLessThan(500);
        }
      }),
      { numRuns: 40 },
    );
    const metrics = await h.services.metrics.registry.getSingleMetricAsString('gongxin_bad_input_total');
    expect(metrics).toMatch(/source="registry"/);
  });
});
