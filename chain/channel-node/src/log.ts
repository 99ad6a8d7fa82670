// The channel node's durable log with group commit: the machine asks for one write per input; writes
// asked for while one is on its way to the database wait, and all of them go together as the next
// transaction (one commit, one disk sync, however many writes and records). A write's promise resolves
// only once the transaction holding it has committed: nothing that depends on it (an acknowledgement, a
// signed batch leaving) happens before its records are durable.

import { fileURLToPath } from 'node:url';
import type { DurableRecord } from '@gongxin/channels';
import type { Database, Migrations } from '@gongxin/db';
import { asc, eq, sql } from 'drizzle-orm';
import { decodeRecords, encodeRecords } from './codec';
import { cursor, log } from './schema';

export const channelNodeMigrations: Migrations = {
  name: 'channel_node',
  folder: fileURLToPath(new URL('../drizzle', import.meta.url)),
};

interface Pending {
  readonly bytes: Uint8Array;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface LogCounters {
  /** Writes the machine asked for. */
  writes: number;
  /** Transactions committed holding writes (one or more each): the durable writes actually done. */
  commits: number;
  /** Transactions that only moved the chain height forward. */
  heightCommits: number;
  records: number;
}

export class ChannelLog {
  readonly counters: LogCounters = { writes: 0, commits: 0, heightCommits: 0, records: 0 };
  private pending: Pending[] = [];
  private height: number | null = null;
  private flushing: Promise<void> | null = null;
  private failed: unknown = null;

  private constructor(
    private readonly database: Database,
    readonly node: string,
    private readonly commitDelayMs: number,
  ) {}

  /**
   * `commitDelayMs` holds every transaction open that long before it commits, as a slow disk would: crash
   * tests use it to kill a node while its writes are in flight.
   */
  static async open(
    database: Database,
    node: string,
    opts: { commitDelayMs?: number } = {},
  ): Promise<ChannelLog> {
    await database.migrate(channelNodeMigrations);
    return new ChannelLog(database, node, opts.commitDelayMs ?? 0);
  }

  /** Every record of the node in log order, and the chain height it had read up to. */
  async load(): Promise<{ records: DurableRecord[]; height: number }> {
    const rows = await this.database.db
      .select({ records: log.records })
      .from(log)
      .where(eq(log.node, this.node))
      .orderBy(asc(log.id));
    const records = rows.flatMap((r) => decodeRecords(r.records));
    const [c] = await this.database.db
      .select({ height: cursor.height })
      .from(cursor)
      .where(eq(cursor.node, this.node));
    return { records, height: c?.height ?? 0 };
  }

  /** Resolves once the records are durable. After a failed commit every later write fails too. */
  append(records: readonly DurableRecord[]): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    this.counters.writes++;
    this.counters.records += records.length;
    const bytes = encodeRecords(records);
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ bytes, resolve, reject });
      this.kick();
    });
  }

  /** The chain height read so far: stored with the next commit. */
  setHeight(height: number): void {
    this.height = height;
    this.kick();
  }

  /** Waits until everything asked for so far is committed. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private kick(): void {
    if (this.flushing || this.failed) return;
    this.flushing = this.commitLoop().finally(() => {
      this.flushing = null;
    });
  }

  private async commitLoop(): Promise<void> {
    while (!this.failed && (this.pending.length > 0 || this.height !== null)) {
      const group = this.pending;
      const height = this.height;
      this.pending = [];
      this.height = null;
      try {
        await this.database.transaction(async (tx) => {
          if (group.length > 0)
            await tx.insert(log).values(group.map((p) => ({ node: this.node, records: p.bytes })));
          if (height !== null)
            await tx
              .insert(cursor)
              .values({ node: this.node, height })
              .onConflictDoUpdate({
                target: cursor.node,
                set: { height: sql`greatest(${cursor.height}, ${height})` },
              });
          if (this.commitDelayMs > 0) await new Promise((r) => setTimeout(r, this.commitDelayMs));
        });
      } catch (error) {
        // Unknown whether it committed: the node must stop and restart from what the log holds.
        this.failed = error;
        for (const p of [...group, ...this.pending]) p.reject(error);
        this.pending = [];
        return;
      }
      if (group.length > 0) this.counters.commits++;
      else this.counters.heightCommits++;
      for (const p of group) p.resolve();
    }
  }
}
