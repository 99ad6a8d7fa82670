// Malformed, oversized and wrong-typed input to every procedure over HTTP and to the MQTT feed: always a
// 4xx (or a counted reject) that says what is wrong, never a 500 or a crash.
import { MqttPublisher } from '@gongxin/solar-meter';
import { batchTopic } from '@gongxin/solar-meter/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SolarHarness, startSolarHarness } from './harness';

let h: SolarHarness;
beforeAll(async () => {
  h = await startSolarHarness();
});
afterAll(async () => {
  await h?.closeAll();
});

const QUERIES = [
  'plants.list',
  'plants.get',
  'proof',
  'intervalProof',
  'market.slots',
  'market.bills',
  'points',
  'certificates',
  'health',
];

const badInput = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.record(
    {
      id: fc.oneof(fc.string(), fc.integer(), fc.constant('a/b'), fc.constant('x'.repeat(100))),
      owner: fc.oneof(fc.string(), fc.constant('gx1')),
      account: fc.oneof(fc.string(), fc.integer(), fc.constant('gx1'), fc.constant('x'.repeat(300))),
      plant: fc.oneof(fc.string(), fc.integer()),
      meter: fc.oneof(fc.string(), fc.constant('m-1')),
      epoch: fc.oneof(fc.integer(), fc.double(), fc.string()),
      seq: fc.oneof(fc.integer(), fc.double(), fc.constant(-1)),
      day: fc.oneof(fc.integer(), fc.double(), fc.string()),
      from: fc.oneof(fc.integer(), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER)),
      limit: fc.oneof(fc.integer(), fc.double(), fc.string()),
    },
    { requiredKeys: [] },
  ),
);

async function call(path: string, input: unknown): Promise<number> {
  const encoded = JSON.stringify(input === undefined ? null : input);
  const res = await fetch(`${h.url}/solar/api/trpc/${path}?input=${encodeURIComponent(encoded)}`);
  await res.arrayBuffer();
  return res.status;
}

describe('bad input never gives a 500', () => {
  it('tRPC procedures', async () => {
    for (const path of QUERIES) {
      await fc.assert(
        fc.asyncProperty(badInput, async (input) => {
          const status = await call(path, input);
          expect(status, `${path} ${JSON.stringify(input)?.slice(0, 200)}`).toBeLessThan(500);
        }),
        { numRuns: 25 },
      );
    }
    expect(await fetch(`${h.url}/solar/api/trpc/plants.get?input=%7Bnot-json`).then((r) => r.status)).toBe(
      400,
    );
    expect(await call('plants.get', { id: 'nope' })).toBe(404);
    expect(await call('plants.get', { id: 'a/b' })).toBe(400);
    const metrics = await h.services.metrics.registry.getSingleMetricAsString('gongxin_bad_input_total');
    expect(metrics).toMatch(/source="api",reason="bad_request"/);
  });

  it('MQTT batches: garbage, oversized and wrong-typed payloads are rejected and counted, the feed goes on', async () => {
    const publisher = new MqttPublisher({ url: h.mqttUrl, clientId: 'fuzz-publisher' });
    await publisher.waitConnected();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 512 }),
          fc.anything({ maxDepth: 3 }).map((v) => new TextEncoder().encode(JSON.stringify(v) ?? 'null')),
          fc.constant(new Uint8Array(70 * 1024).fill(0x7b)),
          fc
            .record({ v: fc.constant(1), meter: fc.string(), epoch: fc.anything(), readings: fc.anything() })
            .map((v) => new TextEncoder().encode(JSON.stringify(v))),
        ),
        fc.constantFrom('m-1', 'fuzz', 'x.y'),
        async (payload, meter) => {
          await publisher.publish(batchTopic(meter), payload);
          sent++;
        },
      ),
      { numRuns: 60 },
    );
    const end = Date.now() + 20_000;
    let rejected = 0;
    while (Date.now() < end) {
      const health = await h.caller(null).health();
      rejected = health.rejects.reduce((s, r) => s + r.count, 0);
      if (rejected >= sent) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(rejected).toBe(sent);
    const health = await h.caller(null).health();
    expect(health.rejects.map((r) => r.reason).every((r) => /^[a-z_]+$/.test(r))).toBe(true);
    const metrics = await h.services.metrics.registry.getSingleMetricAsString('gongxin_bad_input_total');
    expect(metrics).toMatch(/source="mqtt"/);
    await publisher.close();
  });
});
