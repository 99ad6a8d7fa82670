// The simulated network: every message between two nodes goes through `send`, which may drop it (at the
// link's loss rate, or because a partition cuts the link), delay it (a uniform jitter plus, rarely, a
// long tail), or duplicate it. Reordering follows from independent delays. Partitions are sets of cut
// directed links: a symmetric partition cuts both directions between two groups, a one-way partition
// only one. Everything is drawn from the network's own seeded stream.
import type { Rng } from './prng';
import type { Scheduler } from './scheduler';

export interface LinkProfile {
  /** Every message takes at least this long. */
  minDelayMs: number;
  /** Plus a uniform delay in [0, jitter). */
  jitterMs: number;
  /** Chance of a long-tail delay, uniform-squared in [0, tailMax). */
  tailChance: number;
  tailMaxMs: number;
  /** Chance a message is lost. */
  drop: number;
  /** Chance a message is delivered twice. */
  duplicate: number;
}

export interface Cut {
  id: number;
  from: ReadonlySet<number>;
  to: ReadonlySet<number>;
}

export type FaultCounts = Record<string, number>;

export function count(faults: FaultCounts, kind: string, n = 1): void {
  faults[kind] = (faults[kind] ?? 0) + n;
}

export class Network {
  private cuts: Cut[] = [];
  private nextCut = 1;
  /** Extra loss by message class (used by targeted scenarios, e.g. to starve precommits). */
  classDrop: Record<string, number> = {};
  /** Targeted extra loss by class, link and height, overriding classDrop when it returns a number. */
  targetedDrop:
    | ((messageClass: string, from: number, to: number, height: number) => number | undefined)
    | null = null;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly rng: Rng,
    public profile: LinkProfile,
    private readonly faults: FaultCounts,
  ) {}

  cut(from: Iterable<number>, to: Iterable<number>): number {
    const id = this.nextCut++;
    this.cuts.push({ id, from: new Set(from), to: new Set(to) });
    return id;
  }

  heal(id: number): void {
    this.cuts = this.cuts.filter((c) => c.id !== id);
  }

  healAll(): void {
    this.cuts = [];
  }

  get partitioned(): boolean {
    return this.cuts.length > 0;
  }

  connected(from: number, to: number): boolean {
    for (const c of this.cuts) if (c.from.has(from) && c.to.has(to)) return false;
    return true;
  }

  /** Send one message; `deliver` runs at the receiver once per copy that arrives. */
  send(from: number, to: number, messageClass: string, deliver: () => void, height = 0): void {
    if (!this.connected(from, to)) {
      count(this.faults, 'partition-drop');
      return;
    }
    const p = this.profile;
    if (this.rng.chance(p.drop)) {
      count(this.faults, 'drop');
      return;
    }
    const extra = this.targetedDrop?.(messageClass, from, to, height) ?? this.classDrop[messageClass];
    if (extra !== undefined && this.rng.chance(extra)) {
      count(this.faults, 'drop');
      return;
    }
    const copies = this.rng.chance(p.duplicate) ? 2 : 1;
    if (copies === 2) count(this.faults, 'duplicate');
    for (let i = 0; i < copies; i++) this.scheduler.after(this.delay(), deliver);
  }

  private delay(): number {
    const p = this.profile;
    let ms = p.minDelayMs + this.rng.int(p.jitterMs);
    if (this.rng.chance(p.tailChance)) {
      const u = this.rng.float();
      ms += Math.floor(u * u * p.tailMaxMs);
      count(this.faults, 'delay-tail');
    }
    return ms;
  }
}
