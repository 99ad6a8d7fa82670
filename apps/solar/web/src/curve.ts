// A plant's readings as one point a minute for the chart. Meters report at their own pace (one reading a
// minute when backfilled, one every 10 s live), so a minute may hold several readings of one meter: each
// meter's power is its mean over the minute, and the plant's power is the sum over its meters. Irradiance
// and module temperature are means over every reading of the minute.

export interface Reading {
  ts: number;
  meter: string;
  /** W, signed: negative while the plant draws from the grid. */
  power: number;
  /** 0.1 °C. */
  temperature: number;
  /** W/m². */
  irradiance: number;
}

export interface Minute {
  /** W: the meters' means added up. */
  power: number;
  /** W/m², mean. */
  irradiance: number;
  /** 0.1 °C, mean. */
  temperature: number;
}

export function perMinute(points: readonly Reading[]): [number, Minute][] {
  const byMinute = new Map<
    number,
    { meters: Map<string, { sum: number; n: number }>; irradiance: number; temperature: number; n: number }
  >();
  for (const p of points) {
    const m = Math.floor(p.ts / 60_000) * 60_000;
    let x = byMinute.get(m);
    if (!x) {
      x = { meters: new Map(), irradiance: 0, temperature: 0, n: 0 };
      byMinute.set(m, x);
    }
    const meter = x.meters.get(p.meter) ?? { sum: 0, n: 0 };
    meter.sum += p.power;
    meter.n++;
    x.meters.set(p.meter, meter);
    x.irradiance += p.irradiance;
    x.temperature += p.temperature;
    x.n++;
  }
  return [...byMinute.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([m, x]) => {
      let power = 0;
      for (const meter of x.meters.values()) power += meter.sum / meter.n;
      return [m, { power, irradiance: x.irradiance / x.n, temperature: x.temperature / x.n }];
    });
}

/** A plant's 15-minute intervals for its table: newest first, its meters in one order within each interval. */
export function newestIntervalsFirst<T extends { start: number; meter: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => b.start - a.start || (a.meter < b.meter ? -1 : a.meter > b.meter ? 1 : 0));
}
