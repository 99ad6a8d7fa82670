// Malformed, oversized and wrong-typed input to every procedure over HTTP (always a 4xx naming what is
// wrong, never a 500), and malformed, unsigned and forged gate events over MQTT (rejected and recorded,
// the ingest keeps going).
import { privateKeyFromSeed, sealEvent } from '@gongxin/parking-gate';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParkingHarness, startParkingHarness } from './harness';

let h: ParkingHarness;
beforeAll(async () => {
  h = await startParkingHarness();
});
afterAll(async () => {
  await h?.stop();
});

const QUERIES = [
  'lots',
  'myPlates',
  'sessionsByPlate',
  'session',
  'quote',
  'receipt',
  'statements',
  'lotSessions',
  'reconciliation',
];

const badInput = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.record(
    {
      plate: fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.integer(),
        fc.constant('沪A12345'),
        fc.constant('x'.repeat(5000)),
      ),
      id: fc.oneof(fc.string(), fc.integer(), fc.constant('g'.repeat(64)), fc.constant('a'.repeat(64))),
      session: fc.oneof(fc.string(), fc.constant('f'.repeat(64)), fc.constant('F'.repeat(64))),
      at: fc.oneof(fc.integer(), fc.double(), fc.string()),
      date: fc.oneof(fc.string(), fc.constant('2026-13-45'), fc.constant('2026-12-04')),
      lot: fc.oneof(fc.string(), fc.constant('hq-p1'), fc.constant('HQ P1')),
      status: fc.string(),
    },
    { requiredKeys: [] },
  ),
);

const MUTATIONS = ['bindPlate', 'unbindPlate', 'simulateRead'];

async function call(path: string, input: unknown): Promise<{ status: number; text: string }> {
  const encoded = JSON.stringify(input === undefined ? null : input);
  const res = MUTATIONS.includes(path)
    ? await fetch(`${h.url}/parking/api/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: encoded,
      })
    : await fetch(`${h.url}/parking/api/trpc/${path}?input=${encodeURIComponent(encoded)}`);
  return { status: res.status, text: await res.text() };
}

describe('bad input never gives a 500', () => {
  it('tRPC procedures', async () => {
    for (const path of [...QUERIES, ...MUTATIONS]) {
      await fc.assert(
        fc.asyncProperty(badInput, async (input) => {
          const { status } = await call(path, input);
          expect(status, `${path} ${JSON.stringify(input)?.slice(0, 200)}`).toBeLessThan(500);
        }),
        { numRuns: 25 },
      );
    }
    const named = await call('sessionsByPlate', { plate: 'abc' });
    expect(named.status).toBe(400);
    expect(named.text).toContain('plate');
    expect(
      await fetch(`${h.url}/parking/api/trpc/sessionsByPlate?input=%7Bnot-json`).then((r) => r.status),
    ).toBe(400);
    expect((await call('lotSessions', { lot: 'hq-p1' })).status).toBe(401);
  });

  it('gate events: malformed, unsigned, forged and unknown gates are rejected; the ingest goes on', async () => {
    const pub = await mqtt.connectAsync(h.brokerUrl, { clientId: 'test-fuzz-gate' });
    const gate = h.gate('hq-p1');
    const topic = gate.topic;
    const forged = sealEvent(
      { v: 1, lot: 'hq-p1', gate: 'g1', kind: 'entry' } as never,
      privateKeyFromSeed('99'.repeat(32)),
    );
    const payloads = [
      'not json',
      '{}',
      JSON.stringify({ body: 5, sig: 'x' }),
      JSON.stringify(forged),
      Buffer.alloc(100_000, 0x41).toString(),
    ];
    for (const p of payloads) await pub.publishAsync(topic, p, { qos: 1 });
    await pub.publishAsync(topic.replace('hq-p1.g1', 'nowhere.g1'), JSON.stringify(forged), { qos: 1 });
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        await pub.publishAsync(topic, Buffer.from(bytes), { qos: 1 });
      }),
      { numRuns: 30 },
    );
    await pub.endAsync();
    // A good event after all that still becomes a session.
    await gate.connect(h.brokerUrl);
    gate.read({ kind: 'entry', plate: '沪C77777' });
    const anonymous = h.caller(null);
    await h.until(
      'the good event',
      async () => (await anonymous.sessionsByPlate({ plate: '沪C77777' })).length === 1,
    );
    // Rejects are recorded by the lane of each topic's shard: the unknown gate's may come after the good event.
    const reasonsNow = async () => {
      const rejected = (await h.database.db.execute(
        sql`select reason, count(*)::int as n from appkit_ingest.rejected where stream = 'parking.gates' group by reason`,
      )) as unknown;
      const rows = (Array.isArray(rejected) ? rejected : (rejected as { rows: unknown[] }).rows) as {
        reason: string;
        n: number;
      }[];
      return Object.fromEntries(rows.map((r) => [r.reason, r.n])) as Record<string, number | undefined>;
    };
    const reasons = await h.until('the rejects', async () => {
      const r = await reasonsNow();
      return (r.malformed ?? 0) >= 3 && (r.bad_signature ?? 0) >= 1 && (r.unknown_gate ?? 0) >= 1 && r;
    });
    expect(reasons.malformed).toBeGreaterThanOrEqual(3);
    expect(reasons.bad_signature).toBeGreaterThanOrEqual(1);
    expect(reasons.unknown_gate).toBeGreaterThanOrEqual(1);
    const metrics = await fetch(`${h.url}/metrics`).then((r) => (r.ok ? r.text() : ''));
    if (metrics) expect(metrics).toMatch(/bad_input|badInput/);
  });
});
