// The channel node's durable log with group commit: the machine asks for one write per input; writes
// asked for while one is on its way to the database wait, and all of them go together as the next
// transaction (one commit, one disk sync, however many writes and records). A write's promise resolves
// only once the transaction holding it has committed: nothing that depends on it (an acknowledgement, a
// signed batch leaving) happens before its records are durable.

import { fileURLToPath } from 'node:url';
import type { DurableRecord } from '@gongxin/channels';
import type { Database, Migrations } from '@gongxin/db';
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import { decodeRecords, encodeRecords } from './codec';
import { cursor, log, payment } from './schema';

/** A finished payment as the log keeps it: `seq` orders a node's payments (newest highest). */
export interface PaymentRow {
  readonly seq: number;
  readonly id: string;
  readonly direction: 'out' | 'in';
  readonly asset: string;
  readonly amount: bigint;
  readonly outcome: 'completed' | 'failed' | 'received';
  readonly hops?: number;
  readonly reason?: string;
  readonly at: number;
}

export const channelNodeMigrations: Migrations = {
  name: 'channel_node',
  folder: fileURLToPath(new URL('../drizzle', import.meta.url)),
};

interface Pending {
  readonly bytes: Uint8Array;
  readonly records: number;
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
  /** Transactions that only added payments to the history. */
  historyCommits: number;
  records: number;
}

/** One committed transaction: how many writes (and records) it carried, and how long it took. */
export interface CommitInfo {
  /** Writes the transaction carried (0 for one that only moved the height or added history). */
  readonly writes: number;
  readonly records: number;
  /** Finished payments added to the history with it. */
  readonly payments: number;
  readonly seconds: number;
}

export interface ChannelLogOptions {
  /** Holds every transaction open this long before it commits, as a slow disk would (crash tests). */
  commitDelayMs?: number;
  /** Told of each committed transaction (metrics). */
  onCommit?: (commit: CommitInfo) => void;
}

export class ChannelLog {
  readonly counters: LogCounters = {
    writes: 0,
    commits: 0,
    heightCommits: 0,
    historyCommits: 0,
    records: 0,
  };
  private pending: Pending[] = [];
  private history: PaymentRow[] = [];
  private height: number | null = null;
  private flushing: Promise<void> | null = null;
  private failed: unknown = null;

  private constructor(
    private readonly database: Database,
    readonly node: string,
    private readonly commitDelayMs: number,
    private readonly onCommit?: (commit: CommitInfo) => void,
  ) {}

  /**
   * `commitDelayMs` holds every transaction open that long before it commits, as a slow disk would: crash
   * tests use it to kill a node while its writes are in flight.
   */
  static async open(database: Database, node: string, opts: ChannelLogOptions = {}): Promise<ChannelLog> {
    await database.migrate(channelNodeMigrations);
    return new ChannelLog(database, node, opts.commitDelayMs ?? 0, opts.onCommit);
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
      this.pending.push({ bytes, records: records.length, resolve, reject });
      this.kick();
    });
  }

  /**
   * A finished payment for the history: written with the next commit (a write already on its way, or
   * one of its own when nothing else is), never making a transaction per payment.
   */
  appendPayment(row: PaymentRow): void {
    if (this.failed) return;
    this.history.push(row);
    this.kick();
  }

  /** The node's finished payments before `beforeSeq` (all when absent), newest first, at most `limit`. */
  async payments(limit: number, beforeSeq?: number): Promise<PaymentRow[]> {
    await this.flush();
    const rows = await this.database.db
      .select()
      .from(payment)
      .where(
        beforeSeq === undefined
          ? eq(payment.node, this.node)
          : and(eq(payment.node, this.node), lt(payment.seq, beforeSeq)),
      )
      .orderBy(desc(payment.seq))
      .limit(limit);
    return rows.map((r) => ({
      seq: r.seq,
      id: r.id,
      direction: r.direction as PaymentRow['direction'],
      asset: r.asset,
      amount: BigInt(r.amount),
      outcome: r.outcome as PaymentRow['outcome'],
      ...(r.hops !== null && { hops: r.hops }),
      ...(r.reason !== null && { reason: r.reason }),
      at: r.at,
    }));
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
    while (!this.failed && (this.pending.length > 0 || this.height !== null || this.history.length > 0)) {
      const group = this.pending;
      const height = this.height;
      const payments = this.history;
      this.pending = [];
      this.height = null;
      this.history = [];
      const started = process.hrtime.bigint();
      try {
        await this.database.transaction(async (tx) => {
          if (group.length > 0)
            await tx.insert(log).values(group.map((p) => ({ node: this.node, records: p.bytes })));
          if (payments.length > 0)
            await tx.insert(payment).values(
              payments.map((p) => ({
                node: this.node,
                seq: p.seq,
                id: p.id,
                direction: p.direction,
                asset: p.asset,
                amount: p.amount.toString(),
                outcome: p.outcome,
                hops: p.hops ?? null,
                reason: p.reason ?? null,
                at: p.at,
              })),
            );
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
      else if (height !== null) this.counters.heightCommits++;
      else this.counters.historyCommits++;
      this.onCommit?.({
        writes: group.length,
        records: group.reduce((n, p) => n + p.records, 0),
        payments: payments.length,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });
      for (const p of group) p.resolve();
    }
  }
}
