// The deployment clock: what "now" is for the chain's block times, metering intervals and market slots.
// By default the wall clock. A deployment may start it at another instant (CLOCK_START) and, outside
// production, move it forward by hand (CLOCK_CONTROL): a rehearsal of a month end, a test that runs a
// market day in seconds. It runs at the wall clock's pace and never goes back, so block times stay
// monotonic and every reader of it agrees.

export interface DeploymentClock {
  /** Now, ms since the epoch. */
  now(): number;
  /** Moves the clock forward to `to` (ms). Refuses going back; returns the new now. */
  advanceTo(to: number): number;
  /** Whether `advanceTo` may be called from outside (CLOCK_CONTROL). */
  readonly controllable: boolean;
}

export class ClockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClockError';
  }
}

export function createDeploymentClock(
  opts: { start?: number; controllable?: boolean; wall?: () => number } = {},
): DeploymentClock {
  const wall = opts.wall ?? Date.now;
  let offset = opts.start === undefined ? 0 : opts.start - wall();
  let last = Number.NEGATIVE_INFINITY;
  const now = () => {
    // Never back, even if the wall clock steps back.
    last = Math.max(last, wall() + offset);
    return last;
  };
  return {
    now,
    controllable: opts.controllable ?? false,
    advanceTo(to: number) {
      if (!Number.isSafeInteger(to)) throw new ClockError(`${to} is not a time in ms`);
      const current = now();
      if (to < current)
        throw new ClockError(`the clock is at ${current}; it moves forward only (asked for ${to})`);
      offset += to - current;
      return now();
    },
  };
}

/**
 * Now for an app's domain time (deadlines, "today", due dates, times it signs into txs or sets beside block
 * times): the host's deployment clock, else the wall clock. Durations, rate limits, session and token
 * expiry, cache ages and log times stay on the wall clock (`Date.now`).
 */
export function clockOf(services: { clock?: () => number }): () => number {
  return services.clock ?? Date.now;
}
