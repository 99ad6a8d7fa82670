// A simulated PV plant behind a meter, for demos and load tests: a clear-sky curve from the sun's
// elevation at the plant's latitude and longitude, clouds as a random walk, module temperature, and the
// faults real meters have: reboots that reset the counters to zero (a new epoch), a device clock that
// drifts, and outages during which nothing can be read (the registers keep counting, so the energy
// across a gap is exact). Deterministic for a seed: the same seed gives the same plant.
import type { MeterAdapter, MeterSample } from './adapter';

export interface SimulatedPlantOptions {
  /** Peak AC power, W. */
  capacityW: number;
  /** Degrees. Default Shanghai. */
  lat?: number;
  lon?: number;
  seed?: number;
  /** How cloudy the weather is: 0 clear … 1 overcast. Default 0.3. */
  cloudiness?: number;
  /** Own consumption drawn from the grid at night, W. Default 40. */
  standbyW?: number;
  /** Device clock drift, ms per hour (positive: runs fast). Default 0. */
  driftMsPerHour?: number;
  /** Instants (true UTC ms) at which the meter reboots and its registers restart from 0. */
  reboots?: readonly number[];
  /** Windows [from, to) (true UTC ms) in which the meter cannot be read. */
  outages?: readonly (readonly [number, number])[];
  /** The true time the simulation starts (the registers are 0 then). */
  start: number;
}

/** Mulberry32: a small, fast, seedable PRNG. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RAD = Math.PI / 180;

/** Sine of the sun's elevation at a place and instant (NOAA's simplified solar position). */
export function sunElevationSine(ms: number, latDeg: number, lonDeg: number): number {
  const day = ms / 86_400_000 - 10_957.5; // days since J2000.0
  const g = (357.529 + 0.98560028 * day) * RAD;
  const q = 280.459 + 0.98564736 * day;
  const l = (q + 1.915 * Math.sin(g) + 0.02 * Math.sin(2 * g)) * RAD;
  const e = (23.439 - 0.00000036 * day) * RAD;
  const declination = Math.asin(Math.sin(e) * Math.sin(l));
  const ra = Math.atan2(Math.cos(e) * Math.sin(l), Math.cos(l)) / RAD / 15;
  const equationOfTimeH = q / 15 - ra - 24 * Math.round((q / 15 - ra) / 24);
  const utcHours = (ms % 86_400_000) / 3_600_000;
  const solarHours = utcHours + lonDeg / 15 + equationOfTimeH;
  const hourAngle = (solarHours - 12) * 15 * RAD;
  const lat = latDeg * RAD;
  return Math.sin(lat) * Math.sin(declination) + Math.cos(lat) * Math.cos(declination) * Math.cos(hourAngle);
}

/** Clear-sky plane irradiance, W/m² (a Haurwitz-like model): 0 at night. */
export function clearSkyIrradiance(ms: number, lat: number, lon: number): number {
  const s = sunElevationSine(ms, lat, lon);
  if (s <= 0) return 0;
  return 1098 * s * Math.exp(-0.057 / s);
}

export class SimulatedPlant implements MeterAdapter {
  readonly #o: Required<Omit<SimulatedPlantOptions, 'reboots' | 'outages'>> & {
    reboots: readonly number[];
    outages: readonly (readonly [number, number])[];
  };
  readonly #random: () => number;
  #last: number;
  #cloud = 0;
  /** Registers since the last reboot, Wh with fractions kept internally. */
  #importWh = 0;
  #exportWh = 0;
  #rebootsDone = 0;
  #lastPower = 0;

  constructor(options: SimulatedPlantOptions) {
    this.#o = {
      lat: 31.23,
      lon: 121.47,
      seed: 1,
      cloudiness: 0.3,
      standbyW: 40,
      driftMsPerHour: 0,
      reboots: [],
      outages: [],
      ...options,
    };
    this.#random = mulberry32(this.#o.seed);
    this.#last = options.start;
  }

  /** How many reboots have happened so far (the meter's own boot count). */
  get boots(): number {
    return this.#rebootsDone;
  }

  /** Advances the plant to true time `now` (integrating energy), then reads it unless it is in an outage. */
  sample(now: number): MeterSample | null {
    this.#advance(now);
    if (this.#o.outages.some(([from, to]) => now >= from && now < to)) return null;
    const irradiance = this.#irradiance(now);
    const ambient = 15 + 10 * Math.max(0, sunElevationSine(now, this.#o.lat, this.#o.lon));
    const temperature = ambient + irradiance * 0.03;
    return {
      deviceTime: Math.round(now + ((now - this.#o.start) / 3_600_000) * this.#o.driftMsPerHour),
      boots: this.#rebootsDone,
      importWh: Math.floor(this.#importWh),
      exportWh: Math.floor(this.#exportWh),
      power: Math.round(this.#lastPower),
      voltage: Math.round(2300 + (this.#random() - 0.5) * 40),
      temperature: Math.round(temperature * 10),
      irradiance: Math.round(irradiance),
    };
  }

  read(now = Date.now()): Promise<MeterSample | null> {
    return Promise.resolve(this.sample(now));
  }

  #irradiance(ms: number): number {
    return clearSkyIrradiance(ms, this.#o.lat, this.#o.lon) * (1 - this.#cloud);
  }

  #advance(now: number): void {
    // Integrate in steps of at most a minute so curves and clouds are followed.
    while (this.#last < now) {
      const step = Math.min(60_000, now - this.#last);
      const t = this.#last + step;
      const nextReboot = this.#o.reboots[this.#rebootsDone];
      if (nextReboot !== undefined && nextReboot <= t) {
        this.#rebootsDone++;
        this.#importWh = 0;
        this.#exportWh = 0;
        this.#last = nextReboot;
        continue;
      }
      const target = this.#o.cloudiness * (this.#random() < 0.5 ? this.#random() : 0);
      this.#cloud = Math.min(0.95, Math.max(0, this.#cloud + (target - this.#cloud) * 0.2));
      const pv = (this.#o.capacityW * this.#irradiance(t)) / 1000;
      const net = pv - this.#o.standbyW;
      const hours = step / 3_600_000;
      if (net >= 0) this.#exportWh += net * hours;
      else this.#importWh += -net * hours;
      this.#lastPower = net;
      this.#last = t;
    }
  }
}
