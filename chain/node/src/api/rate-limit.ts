// Per-client token buckets for tx submission: each client (by IP) may submit `perSecond` txs a second on
// average and `burst` at once. Memory is bounded: idle buckets are dropped, and past `maxClients` the
// oldest are evicted. Behind a proxy, set express's `trust proxy` so the IP is the client's.
export interface RateLimitOptions {
  perSecond: number;
  burst: number;
  maxClients?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxClients: number;

  constructor(
    private readonly opts: RateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.maxClients = opts.maxClients ?? 10_000;
  }

  /** Take one token for `client`: 0 when allowed, else the ms until a token is available. */
  take(client: string): number {
    const now = this.now();
    let bucket = this.buckets.get(client);
    if (bucket) {
      this.buckets.delete(client);
      bucket.tokens = Math.min(
        this.opts.burst,
        bucket.tokens + ((now - bucket.at) / 1000) * this.opts.perSecond,
      );
      bucket.at = now;
    } else {
      bucket = { tokens: this.opts.burst, at: now };
    }
    // Re-inserted so the map stays in least-recently-used order.
    this.buckets.set(client, bucket);
    while (this.buckets.size > this.maxClients) {
      const oldest = this.buckets.keys().next();
      if (oldest.done) break;
      this.buckets.delete(oldest.value);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / this.opts.perSecond) * 1000);
  }
}
