// Source routing over the channel graph by estimated success probability (the linear liquidity model of
// LDK's ProbabilisticScorer and LND's mission control): a channel direction whose liquidity is known to
// lie in [lo, hi] carries `amount` with probability 1 when amount ≤ lo, 0 when amount > hi, and
// (hi + 1 − amount) / (hi − lo + 1) in between. Capacities come from the chain (deposits); payments that
// went through or failed narrow the bounds. The route maximises the product of probabilities (minimises
// Σ −log p) over at most `maxHops` channels.

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
   */
  route(
    from: string,
    to: string,
    asset: string,
    amount: bigint,
    maxHops = 4,
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
          const p = this.probability(e, amount);
          if (p <= 0) continue;
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
