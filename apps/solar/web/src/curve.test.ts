import { describe, expect, it } from 'vitest';
import { newestIntervalsFirst, perMinute } from './curve';

const at = (s: number) => Date.UTC(2026, 11, 6, 6, 0, s);

describe('a plant’s readings per minute', () => {
  it('adds the meters’ means: six live readings of a meter in a minute are not six times its power', () => {
    const live = [0, 10, 20, 30, 40, 50].flatMap((s) => [
      { ts: at(s), meter: 'm1', power: 130_000, temperature: 288, irradiance: 326 },
      { ts: at(s), meter: 'm2', power: 132_000, temperature: 290, irradiance: 330 },
    ]);
    const [[minute, x]] = perMinute(live) as [
      [number, { power: number; irradiance: number; temperature: number }],
    ];
    expect(minute).toBe(at(0));
    expect(x.power).toBe(262_000);
    expect(x.irradiance).toBe(328);
    expect(x.temperature).toBe(289);
  });

  it('keeps one reading a minute as it is, and a meter that reported once beside one that reported twice', () => {
    const rows = [
      { ts: at(5), meter: 'm1', power: 100_000, temperature: 250, irradiance: 300 },
      { ts: at(65), meter: 'm1', power: 110_000, temperature: 250, irradiance: 300 },
      { ts: at(66), meter: 'm2', power: -40, temperature: 250, irradiance: 0 },
      { ts: at(70), meter: 'm2', power: -60, temperature: 250, irradiance: 0 },
    ];
    const minutes = perMinute(rows);
    expect(minutes.map(([m, x]) => [m, x.power])).toEqual([
      [at(0), 100_000],
      [at(60), 110_000 - 50],
    ]);
  });
});

describe('a plant’s intervals for its table', () => {
  it('lists the newest first, the meters in one order within an interval', () => {
    const rows = [
      { start: 900, meter: 'p-m1' },
      { start: 1800, meter: 'p-m2' },
      { start: 900, meter: 'p-m2' },
      { start: 1800, meter: 'p-m1' },
    ];
    expect(newestIntervalsFirst(rows).map((r) => `${r.start} ${r.meter}`)).toEqual([
      '1800 p-m1',
      '1800 p-m2',
      '900 p-m1',
      '900 p-m2',
    ]);
  });
});
