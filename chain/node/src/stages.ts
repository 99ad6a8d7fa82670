// Where a node's CPU goes, by stage of a tx's way through it: admission (the checks before the
// mempool, on the consensus thread), verify (signature checks on the verifier threads), execute (running
// blocks), store (building and handing over the database write), gossip (encoding and sending frames to
// peers). Each stage adds the time of its synchronous sections, measured around whole batches, blocks
// and frames, never per tx; the chain benchmark divides the totals by the txs committed.
export const STAGES = ['admission', 'verify', 'execute', 'store', 'gossip'] as const;
export type Stage = (typeof STAGES)[number];

export class StageTimes {
  private readonly ms: Record<Stage, number> = { admission: 0, verify: 0, execute: 0, store: 0, gossip: 0 };
  private readonly sources: { stage: Stage; ms: () => number }[] = [];

  /** Counts time another part keeps itself (e.g. the storage building its writes) under `stage`. */
  addSource(stage: Stage, ms: () => number): void {
    this.sources.push({ stage, ms });
  }

  add(stage: Stage, ms: number): void {
    this.ms[stage] += ms;
  }

  /** Runs `fn`, adding its time to `stage`. */
  time<T>(stage: Stage, fn: () => T): T {
    const start = performance.now();
    try {
      return fn();
    } finally {
      this.ms[stage] += performance.now() - start;
    }
  }

  seconds(stage: Stage): number {
    let ms = this.ms[stage];
    for (const source of this.sources) if (source.stage === stage) ms += source.ms();
    return ms / 1000;
  }
}
