// Source routing over the channel graph by estimated success probability (the linear liquidity model of
// LDK's ProbabilisticScorer and LND's mission control): a channel direction whose liquidity is known to
// lie in [lo, hi] carries `amount` with probability 1 when amount ≤ lo, 0 when amount > hi, and
// (hi + 1 − amount) / (hi − lo + 1) in between. Capacities come from the chain (deposits); payments that
// went through or failed narrow the bounds. The route maximises the product of probabilities (minimises
// Σ −log p) over at most `maxHops` channels. `MissionControl` remembers the hops payments recently failed
// at, for a while, so the router goes around them (LND's mission control).

export interface Edge {
  readonly channel: string;
  readonly from: string;
  readonly to: string;
  readonly asset: string;
  /** Total deposits of the channel in the asset: the most one direction can ever carry. */
  readonly capacity: bigint;
}

interface Bounds {
  lo: bigint;
  hi: bigint;
}

export class ChannelGraph {
  private readonly out = new Map<string, Edge[]>();
  private readonly bounds = new Map<string, Bounds>();

  /** Adds both directions of a channel's asset. */
  addChannel(channel: string, a: string, b: string, asset: string, capacity: bigint): void {
    this.addEdge({ channel, from: a, to: b, asset, capacity });
    this.addEdge({ channel, from: b, to: a, asset, capacity });
  }

  removeChannel(channel: string): void {
    for (const [node, edges] of this.out)
      this.out.set(
        node,
        edges.filter((e) => e.channel !== channel),
      );
  }

  private addEdge(e: Edge): void {
    this.out.set(e.from, [...(this.out.get(e.from) ?? []), e]);
  }

  private key(e: Edge): string {
    return `${e.channel}/${e.asset}/${e.from}`;
  }

  private boundsOf(e: Edge): Bounds {
    return this.bounds.get(this.key(e)) ?? { lo: 0n, hi: e.capacity };
  }

  /** Estimated probability that the direction carries `amount`. */
  probability(e: Edge, amount: bigint): number {
    const { lo, hi } = this.boundsOf(e);
    if (amount <= lo) return 1;
    if (amount > hi) return 0;
    return Number(hi + 1n - amount) / Number(hi - lo + 1n);
  }

  /** The direction carried `amount`: at least that much was there. */
  reportSuccess(e: Edge, amount: bigint): void {
    const b = this.boundsOf(e);
    this.bounds.set(this.key(e), { lo: amount > b.lo ? (amount > b.hi ? b.hi : amount) : b.lo, hi: b.hi });
  }

  /** The direction could not carry `amount`: less than that was there. */
  reportFailure(e: Edge, amount: bigint): void {
    const b = this.boundsOf(e);
    const hi = amount - 1n < b.hi ? amount - 1n : b.hi;
    this.bounds.set(this.key(e), { lo: b.lo > hi ? hi : b.lo, hi: hi < 0n ? 0n : hi });
  }

  edge(from: string, to: string, asset: string): Edge | undefined {
    return (this.out.get(from) ?? []).find((e) => e.to === to && e.asset === asset);
  }

  /**
   * The most probable path from `from` to `to` for `amount` of `asset` over at most `maxHops` channels:
   * the nodes after `from`, the payee last, with its probability; null when no path has any chance.
   * `weight`, when given, scales each direction's probability (0 leaves it out): what the router has
   * learned from failures (MissionControl) and the hops a retried payment must not take again.
   */
  route(
    from: string,
    to: string,
    asset: string,
    amount: bigint,
    maxHops = 4,
    weight?: (e: Edge) => number,
  ): { path: string[]; probability: number } | null {
    // Bellman–Ford by hop count: best cost of reaching each node in exactly k hops, without revisiting.
    type Label = { cost: number; path: string[] };
    let frontier = new Map<string, Label>([[from, { cost: 0, path: [] }]]);
    let best: Label | null = null;
    for (let hop = 0; hop < maxHops && frontier.size > 0; hop++) {
      const next = new Map<string, Label>();
      for (const [node, label] of frontier) {
        for (const e of this.out.get(node) ?? []) {
          if (e.asset !== asset || e.to === from || label.path.includes(e.to)) continue;
          const p = this.probability(e, amount) * (weight ? weight(e) : 1);
          if (!(p > 0)) continue;
          const cost = label.cost - Math.log(p) + 1e-6; // a hair per hop: fewer hops on ties
          const candidate = { cost, path: [...label.path, e.to] };
          if (e.to === to) {
            if (!best || cost < best.cost) best = candidate;
            continue;
          }
          const seen = next.get(e.to);
          if (!seen || cost < seen.cost) next.set(e.to, candidate);
        }
      }
      frontier = next;
    }
    return best ? { path: best.path, probability: Math.exp(-best.cost) } : null;
  }
}

/** How long MissionControl remembers a failed hop by default, ms (LND relaxes a pair's failure after a minute). */
export const DEFAULT_FAILURE_MEMORY_MS = 60_000;

/** The most hops MissionControl remembers at once: the oldest go first. */
const MAX_REMEMBERED = 10_000;

/** The least weight a remembered failure leaves its hop: a route through it is still found if no other is. */
const MIN_FAILED_WEIGHT = 1e-3;

/**
 * Recent payment failures by hop (the pair of nodes and the asset, whichever of their channels it was:
 * a node tries every channel to its next hop before it gives up), after LND's mission control. A hop
 * that failed to carry an amount is avoided for that amount or more for `memoryMs`: its weight starts
 * near zero and grows back to 1 as the failure ages, so the router prefers other routes but still finds
 * one through it when there is no other. Pure: the time is an argument.
 */
export class MissionControl {
  private readonly failures = new Map<string, { amount: bigint; at: number }>();

  constructor(readonly memoryMs = DEFAULT_FAILURE_MEMORY_MS) {}

  private static key(from: string, to: string, asset: string): string {
    return `${from}/${to}/${asset}`;
  }

  /** `from` could not send `amount` of `asset` on to `to` at `now`. */
  reportFailure(from: string, to: string, asset: string, amount: bigint, now: number): void {
    const key = MissionControl.key(from, to, asset);
    const before = this.failures.get(key);
    // A fresh failure of a smaller amount says more; an older one of a smaller amount is superseded.
    const smaller = before !== undefined && now - before.at < this.memoryMs && before.amount < amount;
    this.failures.delete(key);
    this.failures.set(key, { amount: smaller ? before.amount : amount, at: now });
    this.prune(now);
  }

  /** The hops between `a` and `b` changed (deposits, a new channel): what failed there may carry now. */
  forgetPair(a: string, b: string): void {
    for (const key of [...this.failures.keys()]) {
      const [from, to] = key.split('/');
      if ((from === a && to === b) || (from === b && to === a)) this.failures.delete(key);
    }
  }

  /** The weight of a direction for `amount` at `now`: 1 unless it failed for as much or less recently. */
  weight(e: Edge, amount: bigint, now: number): number {
    const f = this.failures.get(MissionControl.key(e.from, e.to, e.asset));
    if (!f || amount < f.amount) return 1;
    const age = now - f.at;
    if (age >= this.memoryMs || age < 0) return 1;
    return Math.max(MIN_FAILED_WEIGHT, age / this.memoryMs);
  }

  /** Hops remembered (each within `memoryMs` of its failure, or not yet pruned). */
  size(): number {
    return this.failures.size;
  }

  private prune(now: number): void {
    for (const [key, f] of this.failures) {
      // Insertion order is failure order: the first young one ends the sweep.
      if (now - f.at < this.memoryMs && this.failures.size <= MAX_REMEMBERED) break;
      this.failures.delete(key);
    }
  }
}
