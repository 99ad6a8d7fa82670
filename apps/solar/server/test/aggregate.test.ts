// The interval aggregation on its own, over windows at different times of day (the plant's curve rises,
// peaks and falls, so a delta put in the wrong interval shows): an outage's energy is exact in total and
// estimated in its split, a reset invents nothing, and every Wh between two readings of an epoch lands
// in exactly one interval.
import { Gateway, generateDeviceKey, SimulatedPlant } from '@gongxin/solar-meter';
import { INTERVAL_MS } from '@gongxin/solar-meter/protocol';
import { describe, expect, it } from 'vitest';
import { Aggregator, computeIntervals, type MeterReading } from '../src/aggregate';

const MIN = 60_000;
const H = 60 * MIN;
const key = generateDeviceKey();

async function readingsOf(start: number, hours: number, outage: [number, number], reboot: number) {
  const plant = new SimulatedPlant({
    capacityW: 50_000,
    start,
    seed: 5,
    cloudiness: 0,
    reboots: [reboot],
    outages: [outage],
  });
  const gateway = new Gateway({ meter: 'm', adapter: plant, privateKey: key.privateKey, confirm: 'broker' });
  const out: MeterReading[] = [];
  for (let t = start; t < start + hours * H; t += MIN) {
    const r = await gateway.sample(t);
    if (r) out.push({ ...r, epoch: gateway.epoch });
  }
  return out;
}

describe('computeIntervals', () => {
  // Windows starting at 00:00, 05:00, 09:00, 12:00 and 15:00 Beijing time (UTC+8) on one day.
  const day = Date.UTC(2026, 5, 21) - 8 * H;
  for (const hour of [0, 5, 9, 12, 15]) {
    it(`keeps every Wh over an outage and a reset, window from ${hour}:00`, async () => {
      const start = day + hour * H;
      const outage: [number, number] = [start + 2 * H + 10 * MIN, start + 2 * H + 50 * MIN];
      const reboot = start + H + 7 * MIN;
      const readings = await readingsOf(start, 4, outage, reboot);
      const intervals = computeIntervals(readings);
      const byStart = [...intervals.values()].sort((a, b) => a.start - b.start);
      const at = (t: number) => readings.find((r) => r.ts === t)!;

      // No negative energy; the reset's interval is flagged and is the only one.
      expect(byStart.every((i) => i.exportWh >= 0n && i.importWh >= 0n)).toBe(true);
      expect(byStart.filter((i) => i.reset).map((i) => i.start)).toEqual([
        Math.floor(reboot / INTERVAL_MS) * INTERVAL_MS,
      ]);

      // The outage: intervals 2:00–2:45 are estimated and hold exactly the registers' difference from
      // the reading at 2:00 to the one at 3:00.
      const from = start + 2 * H;
      const to = start + 2 * H + 45 * MIN;
      const over = byStart.filter((i) => i.start >= from && i.start <= to);
      expect(over.map((i) => i.start)).toEqual([from, from + 15 * MIN, from + 30 * MIN, to]);
      expect(over.every((i) => i.estimated)).toBe(true);
      const sum = over.reduce((s, i) => s + i.exportWh, 0n);
      expect(sum).toBe(BigInt(at(to + 15 * MIN).exportWh - at(from).exportWh));
      // Outside the outage nothing is estimated.
      expect(byStart.filter((i) => i.estimated).every((i) => i.start >= from && i.start <= to)).toBe(true);

      // All intervals together hold, per epoch, the last register minus the first: nothing lost,
      // nothing counted twice, nothing made up across the reset.
      const epochs = [...new Set(readings.map((r) => r.epoch))];
      expect(epochs.length).toBe(2);
      const expected = epochs.reduce((s, e) => {
        const of = readings.filter((r) => r.epoch === e);
        return s + BigInt(of.at(-1)!.exportWh - of[0]!.exportWh);
      }, 0n);
      expect(byStart.reduce((s, i) => s + i.exportWh, 0n)).toBe(expected);
      // Energy exists in daylight windows, so the checks above compared real figures.
      if (hour >= 9) expect(sum).toBeGreaterThan(0n);
    });
  }
});

describe('an aggregation pass asked for while one runs', () => {
  it('is one more pass after it, shared by every caller meanwhile, so it sees what was stored before the call', async () => {
    // A database that holds each pass's first read until released, and counts the passes.
    const started: (() => void)[] = [];
    let passes = 0;
    const database = {
      async query(q: unknown) {
        const text = JSON.stringify(q);
        if (text.includes('aggregation_cursor')) {
          passes++;
          await new Promise<void>((resolve) => started.push(resolve));
        }
        return [];
      },
      async execute() {},
    };
    const aggregator = new Aggregator({ database: database as never, now: () => 0 });
    const first = aggregator.pass();
    await new Promise((r) => setTimeout(r, 10));
    expect(passes).toBe(1);
    // Readings stored now may be after the running pass's read: the callers get a pass after it.
    const second = aggregator.pass();
    const third = aggregator.pass();
    expect(second).toBe(third);
    expect(second).not.toBe(first);
    started.shift()!();
    await first;
    await new Promise((r) => setTimeout(r, 10));
    expect(passes).toBe(2);
    started.shift()!();
    await second;
    expect(passes).toBe(2);
  });
});
