// Wakes subscription loops when a block commits. Subscriptions do not take blocks from the listener:
// they read what they send from the database (where a block is durable before the node announces it),
// so a slow subscriber never holds blocks in memory and one that falls behind simply reads more pages.
// The version counter closes the race between "nothing new to read" and starting to wait.
export class BlockFeed {
  private version = 0;
  private readonly waiters = new Set<() => void>();

  get current(): number {
    return this.version;
  }

  notify(): void {
    this.version++;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /**
   * Resolves once a block newer than `seen` (a value of `current`) has committed, or when `signal` aborts
   * (or at once if either already happened). `maxWaitMs` bounds the wait so loops recheck the head.
   */
  wait(seen: number, signal?: AbortSignal, maxWaitMs = 30_000): Promise<void> {
    if (this.version !== seen || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Wake everyone (shutdown). */
  close(): void {
    this.notify();
  }
}
