import type { Envelope } from '@gongxin/parking-gate';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModels } from '../src/db/schema';
import { DEMO_TARIFF } from '../src/demo';
import { type ParkingHarness, startParkingHarness } from './harness';

const MIN = 60_000;
let h: ParkingHarness;
beforeAll(async () => {
  h = await startParkingHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('a gate offline for two hours', () => {
  it('300 events: after reconnecting every session is on chain once, none lost or doubled, differences listed', async () => {
    // The gate's cached tariff is stale: 30 free minutes, while the chain's version gives 15.
    const gate = h.gate('hq-p2', { tariff: { version: 1, tariff: { ...DEMO_TARIFF, freeMinutes: 30 } } });
    await gate.connect(h.brokerUrl);
    await gate.disconnect();
    const base = Date.now() - 3 * 60 * MIN;
    const plate = (i: number) => `沪B${String(10_000 + i).padStart(5, '0')}`;
    const stay = (i: number) => (5 + (i % 6) * 5) * MIN; // 5 … 30 minutes
    const reads = Array.from({ length: 150 }, (_, i) => [
      { kind: 'entry' as const, plate: plate(i), time: base + i * 36_000 },
      { kind: 'exit' as const, plate: plate(i), time: base + i * 36_000 + stay(i) },
    ])
      .flat()
      .sort((a, b) => a.time - b.time);
    expect(reads.at(-1)!.time - reads[0]!.time).toBeLessThanOrEqual(2 * 60 * MIN);
    const envelopes: { topic: string; envelope: Envelope }[] = [];
    for (const r of reads) {
      const result = gate.read(r);
      // Every barrier decided locally, offline: the stale tariff lets every stay of ≤ 30 min out free.
      expect(result.decision.open, `${r.kind} ${r.plate}`).toBe(true);
      envelopes.push({ topic: gate.topic, envelope: result.envelope });
    }
    expect(gate.pending).toBe(300);

    await gate.connect(h.brokerUrl);
    expect(await gate.drain(30_000)).toBe(true);
    // A second copy of every event (a replay after a crash on the gate's side) changes nothing.
    const replay = await mqtt.connectAsync(h.brokerUrl, { clientId: 'test-replay' });
    for (const e of envelopes) await replay.publishAsync(e.topic, JSON.stringify(e.envelope), { qos: 1 });
    await replay.endAsync();

    const operator = h.caller(h.userOf(h.party('hongqiao').address, ['parking:operator']));
    const sessions = await h.until(
      '150 closed sessions',
      async () => {
        const s = await operator.lotSessions({ lot: 'hq-p2' });
        return s.filter((x) => x.status === 'closed').length === 150 && s;
      },
      150_000,
    );
    await new Promise((r) => setTimeout(r, 1000));
    await h.caughtUp();
    const all = await operator.lotSessions({ lot: 'hq-p2' });
    expect(all).toHaveLength(150);
    expect(new Set(all.map((s) => s.plate)).size).toBe(150);
    expect(all.filter((s) => s.status !== 'closed')).toEqual([]);
    expect(sessions.every((s) => s.entry !== null && s.exit !== null)).toBe(true);

    // The chain priced every stay by its own tariff: stays of 20, 25 and 30 minutes owe the first unit.
    const listed = await operator.reconciliation({ lot: 'hq-p2' });
    const expected = Array.from({ length: 150 }, (_, i) => i).filter((i) => stay(i) > 15 * MIN);
    expect(listed.map((r) => r.plate).sort()).toEqual(expected.map(plate).sort());
    for (const r of listed) expect(BigInt(r.differenceFen!)).toBeGreaterThan(0n);
    // Listing again lists nothing twice.
    expect(await operator.reconciliation({ lot: 'hq-p2' })).toHaveLength(expected.length);
  }, 180_000);

  it('the read models equal a rebuild from genesis', async () => {
    const snapshot = async () =>
      Promise.all(
        readModels.map(async (t) =>
          (await h.database.db.select().from(t))
            .map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))
            .sort(),
        ),
      );
    const before = await snapshot();
    expect(before[3]!.length).toBeGreaterThan(0);
    await h.mounted.indexer!.rebuild();
    expect(await snapshot()).toEqual(before);
  });
});
