// Rate-limit counters in PostgreSQL (`appkit.rate_limits`), so a client's limit holds across every replica
// behind a load balancer instead of being multiplied by their number. One upsert per counted request: a
// fixed window per key that restarts once its `reset_at` has passed. Expired rows are swept now and then.
import type { Database } from '@gongxin/db';
import { sql } from 'drizzle-orm';
import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';

export interface DatabaseRateLimitStoreOptions {
  database: Database;
  /** How often expired counters are deleted (default 60 s). */
  sweepEveryMs?: number;
}

interface Row extends Record<string, unknown> {
  hits: number;
  reset_at: Date | string;
}

const info = (row: Row | undefined): ClientRateLimitInfo | undefined =>
  row ? { totalHits: Number(row.hits), resetTime: new Date(row.reset_at) } : undefined;

export class DatabaseRateLimitStore implements Store {
  /** Counters live in the shared database: a key counted here is seen by every replica. */
  readonly localKeys = false;
  prefix = '';
  private windowMs = 60_000;
  private lastSweep = Date.now();
  private readonly database: Database;
  private readonly sweepEveryMs: number;

  constructor(opts: DatabaseRateLimitStoreOptions) {
    this.database = opts.database;
    this.sweepEveryMs = opts.sweepEveryMs ?? 60_000;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
    this.prefix = `${String(options.identifier)}:`;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const rows = await this.database.query<Row>(
      sql`select hits, reset_at from appkit.rate_limits where key = ${this.prefix + key} and reset_at > now()`,
    );
    return info(rows[0]);
  }

  async increment(key: string): Promise<IncrementResponse> {
    const window = `${this.windowMs} milliseconds`;
    const rows = await this.database.query<Row>(sql`
      insert into appkit.rate_limits as r (key, hits, reset_at)
      values (${this.prefix + key}, 1, now() + ${window}::interval)
      on conflict (key) do update set
        hits = case when r.reset_at <= now() then 1 else r.hits + 1 end,
        reset_at = case when r.reset_at <= now() then now() + ${window}::interval else r.reset_at end
      returning hits, reset_at`);
    this.sweepNowAndThen();
    return info(rows[0])!;
  }

  async decrement(key: string): Promise<void> {
    await this.database.execute(
      sql`update appkit.rate_limits set hits = greatest(hits - 1, 0) where key = ${this.prefix + key}`,
    );
  }

  async resetKey(key: string): Promise<void> {
    await this.database.execute(sql`delete from appkit.rate_limits where key = ${this.prefix + key}`);
  }

  private sweepNowAndThen(): void {
    const now = Date.now();
    if (now - this.lastSweep < this.sweepEveryMs) return;
    this.lastSweep = now;
    this.database
      .execute(sql`delete from appkit.rate_limits where reset_at < now() - interval '1 minute'`)
      .catch(() => {
        // A failed sweep is retried at the next one; the counters stay correct without it.
      });
  }
}
