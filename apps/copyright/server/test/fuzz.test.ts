// Malformed, oversized and wrong-typed input to every procedure and route over HTTP: always a 4xx that
// says what is wrong, never a 500.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CopyrightHarness, startCopyrightHarness } from './harness';

let h: CopyrightHarness;
beforeAll(async () => {
  h = await startCopyrightHarness();
});
afterAll(async () => {
  await h?.close();
});

const QUERIES = [
  'works.search',
  'works.get',
  'works.similarToFile',
  'works.application',
  'rights.useCheck',
  'market.listings',
  'evidence.get',
  'evidence.byWork',
  'evidence.byFile',
];
const MUTATIONS = ['evidence.capture'];

/** Inputs of the wrong shape, plus near misses of each procedure's fields. */
const badInput = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.record(
    {
      id: fc.oneof(fc.string(), fc.integer(), fc.constant('g'.repeat(64))),
      title: fc.oneof(fc.string({ maxLength: 300 }), fc.integer()),
      owner: fc.string(),
      seller: fc.oneof(fc.string(), fc.constant('gx1')),
      code: fc.oneof(fc.string(), fc.constant('ISCC:AAAAAAAAAAAAAAAA')),
      sha256: fc.oneof(fc.string(), fc.constant('A'.repeat(64))),
      workId: fc.oneof(fc.string(), fc.constant('f'.repeat(63))),
      actor: fc.string(),
      right: fc.oneof(fc.string(), fc.constant('attribution')),
      territory: fc.oneof(fc.string(), fc.constant('cn')),
      date: fc.oneof(fc.string(), fc.double(), fc.constant('2026-13-45')),
      limit: fc.oneof(fc.integer(), fc.double(), fc.string()),
      maxDistance: fc.oneof(fc.integer(), fc.constant(99)),
      status: fc.string(),
      url: fc.oneof(fc.string(), fc.constant('javascript:alert(1)'), fc.constant('x'.repeat(3000))),
      root: fc.string(),
    },
    { requiredKeys: [] },
  ),
);

async function call(path: string, input: unknown, mutation: boolean): Promise<number> {
  const encoded = JSON.stringify(input === undefined ? null : input);
  const res = mutation
    ? await fetch(`${h.url}/copyright/api/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: encoded,
      })
    : await fetch(`${h.url}/copyright/api/trpc/${path}?input=${encodeURIComponent(encoded)}`);
  await res.arrayBuffer();
  return res.status;
}

describe('bad input never gives a 500', () => {
  it('tRPC procedures', async () => {
    for (const path of [...QUERIES, ...MUTATIONS]) {
      await fc.assert(
        fc.asyncProperty(badInput, async (input) => {
          const status = await call(path, input, MUTATIONS.includes(path));
          // A well-formed but unknown id is a 404; a well-formed query may also succeed (200).
          expect(status, `${path} ${JSON.stringify(input)?.slice(0, 200)}`).toBeLessThan(500);
        }),
        { numRuns: 25 },
      );
    }
    // Malformed JSON and an oversized body.
    expect(
      await fetch(`${h.url}/copyright/api/trpc/works.search?input=%7Bnot-json`).then((r) => r.status),
    ).toBe(400);
    const huge = await fetch(`${h.url}/copyright/api/trpc/evidence.capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'x'.repeat(2 * 1024 * 1024) }),
    });
    // Refused before it is read: no session (401) or too large (413).
    expect([401, 413]).toContain(huge.status);
  });

  it('REST routes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string(),
        fc.uint8Array({ maxLength: 2048 }),
        fc.constantFrom(
          'image/png',
          'image/jpeg',
          'text/plain',
          'application/pdf',
          'application/json',
          '',
          'x/y',
        ),
        async (segment, body, type) => {
          const upload = await fetch(`${h.url}/copyright/api/files`, {
            method: 'POST',
            headers: type ? { 'content-type': type } : {},
            body: Buffer.from(body),
          });
          await upload.arrayBuffer();
          expect(upload.status, `upload ${type}`).toBeLessThan(500);
          if (upload.status !== 201) expect(upload.status).toBeGreaterThanOrEqual(400);
          const id = encodeURIComponent(segment);
          for (const path of [
            `/api/files/${id}`,
            `/api/works/${id}/certificate.pdf`,
            `/api/evidence/${id}/receipt.json`,
            `/api/evidence/${id}/files/${id}`,
          ]) {
            const res = await fetch(`${h.url}/copyright${path}`);
            await res.arrayBuffer();
            expect(res.status, path).toBeLessThan(500);
          }
        },
      ),
      { numRuns: 40 },
    );
    const metrics = await h.services.metrics.registry.getSingleMetricAsString('gongxin_bad_input_total');
    expect(metrics).toMatch(/source="copyright"/);
  });
});
