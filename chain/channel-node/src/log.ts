// The channel node's durable log with group commit: the machine asks for one write per input; writes
// asked for while one is on its way to the database wait, and all of them go together as the next
// transaction (one commit, one disk sync, however many writes and records; a machine write and the
// history rows the same input added always share one). A write's promise resolves only once the
// transaction holding it has committed: nothing that depends on it (an acknowledgement, a signed batch
// leaving) happens before its records are durable.
//
// Checkpoints: the log folds the records it commits (`RecordFold` of @gongxin/channels) and, once
// `checkpointRecords` records (and at least as many bytes as the previous checkpoint took) were committed
// since the last checkpoint, writes a new one in the same transaction as those records: the records that
// restore the machine as every row up to that transaction's last does. `load` reads the newest
// checkpoint and only the rows after it. Rows before a checkpoint stay in the table.

import { fileURLToPath } from 'node:url';
import { type DurableRecord, PAYMENT_ID_WINDOW_MS, RecordFold } from '@gongxin/channels';
import type { Database, Migrations } from '@gongxin/db';
import { and, asc, desc, eq, gt, gte, inArray, lt, sql } from 'drizzle-orm';
import { decodeRecords, encodeRecords } from './codec';
import { checkpoint, cursor, log, payment } from './schema';

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
  /** An outgoing payment's attempt the outcome is of (absent for incoming payments). */
  readonly attempt?: number;
}

export const channelNodeMigrations: Migrations = {
  name: 'channel_node',
  folder: fileURLToPath(new URL('../drizzle', import.meta.url)),
};

/** Default of `checkpointRecords`. */
export const DEFAULT_CHECKPOINT_RECORDS = 10_000;

interface Pending {
  readonly bytes: Uint8Array;
  readonly records: readonly DurableRecord[];
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
  /** Checkpoints written. */
  checkpoints: number;
  /** At start-up: records read from the newest checkpoint, and records replayed after it. */
  restoredFromCheckpoint: number;
  replayed: number;
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
  /**
   * A checkpoint after this many records (and at least as many bytes as the previous checkpoint, so
   * checkpoints never write more than the records do). Default DEFAULT_CHECKPOINT_RECORDS.
   */
  checkpointRecords?: number;
  /** The machine's payment id window (`NodeConfig.paymentIdWindowMs`): ids a checkpoint must keep. */
  paymentIdWindowMs?: number;
}

export class ChannelLog {
  readonly counters: LogCounters = {
    writes: 0,
    commits: 0,
    heightCommits: 0,
    historyCommits: 0,
    records: 0,
    checkpoints: 0,
    restoredFromCheckpoint: 0,
    replayed: 0,
  };
  private pending: Pending[] = [];
  private readonly fold: RecordFold;
  /** Records and bytes committed since the newest checkpoint, and the size of that checkpoint. */
  private sinceCheckpoint = { records: 0, bytes: 0 };
  private checkpointBytes = 0;
  private history: PaymentRow[] = [];
  private height: number | null = null;
  private flushing: Promise<void> | null = null;
  private failed: unknown = null;

  private constructor(
    private readonly database: Database,
    readonly node: string,
    private readonly commitDelayMs: number,
    private readonly checkpointRecords: number,
    paymentIdWindowMs: number,
    private readonly onCommit?: (commit: CommitInfo) => void,
  ) {
    this.fold = new RecordFold(paymentIdWindowMs);
  }

  /**
   * `commitDelayMs` holds every transaction open that long before it commits, as a slow disk would: crash
   * tests use it to kill a node while its writes are in flight.
   */
  static async open(database: Database, node: string, opts: ChannelLogOptions = {}): Promise<ChannelLog> {
    await database.migrate(channelNodeMigrations);
    return new ChannelLog(
      database,
      node,
      opts.commitDelayMs ?? 0,
      opts.checkpointRecords ?? DEFAULT_CHECKPOINT_RECORDS,
      opts.paymentIdWindowMs ?? PAYMENT_ID_WINDOW_MS,
      opts.onCommit,
    );
  }

  /**
   * The records that restore the node, in log order: its newest checkpoint and every record after it
   * (`replayed` of them), and the chain height it had read up to. Call once, before any write.
   */
  async load(): Promise<{ records: DurableRecord[]; height: number; replayed: number }> {
    const [cp] = await this.database.db
      .select({ upTo: checkpoint.upTo, records: checkpoint.records })
      .from(checkpoint)
      .where(eq(checkpoint.node, this.node));
    const rows = await this.database.db
      .select({ records: log.records })
      .from(log)
      .where(cp ? and(eq(log.node, this.node), gt(log.id, cp.upTo)) : eq(log.node, this.node))
      .orderBy(asc(log.id));
    const restored = cp ? decodeRecords(cp.records) : [];
    const replayed = rows.flatMap((r) => decodeRecords(r.records));
    const now = Date.now();
    this.fold.add(restored, now);
    this.fold.add(replayed, now);
    this.sinceCheckpoint = {
      records: replayed.length,
      bytes: rows.reduce((n, r) => n + r.records.length, 0),
    };
    this.checkpointBytes = cp?.records.length ?? 0;
    this.counters.restoredFromCheckpoint = restored.length;
    this.counters.replayed = replayed.length;
    const [c] = await this.database.db
      .select({ height: cursor.height })
      .from(cursor)
      .where(eq(cursor.node, this.node));
    return { records: [...restored, ...replayed], height: c?.height ?? 0, replayed: replayed.length };
  }

  /** Resolves once the records are durable. After a failed commit every later write fails too. */
  append(records: readonly DurableRecord[]): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    this.counters.writes++;
    this.counters.records += records.length;
    const bytes = encodeRecords(records);
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ bytes, records, resolve, reject });
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

  /**
   * Of these outgoing payments, the newest attempt whose outcome the history holds, by id, for outcomes
   * recorded at `since` or later (an id is only unique within the payment id window): after a restart,
   * the batches sent again may report an outcome that was recorded before it.
   */
  async finished(ids: readonly string[], since: number): Promise<Map<string, number>> {
    const done = new Map<string, number>();
    if (ids.length === 0) return done;
    await this.flush();
    const rows = await this.database.db
      .select({ id: payment.id, attempt: payment.attempt })
      .from(payment)
      .where(
        and(
          eq(payment.node, this.node),
          eq(payment.direction, 'out'),
          gte(payment.at, since),
          inArray(payment.id, [...ids]),
        ),
      );
    for (const r of rows) done.set(r.id, Math.max(done.get(r.id) ?? 0, r.attempt ?? 1));
    return done;
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

  /**
   * Starts the commit loop unless it runs. It starts once the caller's synchronous work is done, so that
   * what one input asked for together (its write, and the payments it added to the history) goes into
   * one transaction: a payment's outcome and the records that say it was reported are durable together.
   */
  private kick(): void {
    if (this.flushing || this.failed) return;
    this.flushing = Promise.resolve()
      .then(() => this.commitLoop())
      .finally(() => {
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
      const taken = this.takeCheckpoint(group);
      try {
        await this.database.transaction(async (tx) => {
          const rows =
            group.length === 0
              ? []
              : await tx
                  .insert(log)
                  .values(group.map((p) => ({ node: this.node, records: p.bytes })))
                  .returning({ id: log.id });
          if (taken) {
            const values = {
              upTo: rows.reduce((most, r) => Math.max(most, r.id), 0),
              records: taken.bytes,
              count: taken.count,
              at: taken.at,
            };
            await tx
              .insert(checkpoint)
              .values({ node: this.node, ...values })
              .onConflictDoUpdate({ target: checkpoint.node, set: values });
          }
          if (payments.length > 0)
            await tx
              .insert(payment)
              .values(
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
                  attempt: p.direction === 'out' ? (p.attempt ?? 1) : null,
                })),
              )
              // An outcome heard again after a restart is in the history already: one row per attempt.
              .onConflictDoNothing();
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
      if (taken) {
        this.counters.checkpoints++;
        this.checkpointBytes = taken.bytes.length;
      }
      if (group.length > 0) this.counters.commits++;
      else if (height !== null) this.counters.heightCommits++;
      else this.counters.historyCommits++;
      this.onCommit?.({
        writes: group.length,
        records: group.reduce((n, p) => n + p.records.length, 0),
        payments: payments.length,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });
      for (const p of group) p.resolve();
    }
  }

  /**
   * Folds a group's records in and, when the interval is reached, the checkpoint to write with the group
   * (it stands for every record up to the group's last). Before the transaction: if it fails, the node
   * stops and starts again from what the database holds, folding anew.
   */
  private takeCheckpoint(group: readonly Pending[]): { bytes: Uint8Array; count: number; at: number } | null {
    if (group.length === 0) return null;
    const at = Date.now();
    for (const p of group) {
      this.fold.add(p.records, at);
      this.sinceCheckpoint.records += p.records.length;
      this.sinceCheckpoint.bytes += p.bytes.length;
    }
    if (
      this.sinceCheckpoint.records < this.checkpointRecords ||
      this.sinceCheckpoint.bytes < this.checkpointBytes
    )
      return null;
    const records = this.fold.records(at);
    this.sinceCheckpoint = { records: 0, bytes: 0 };
    return { bytes: encodeRecords(records), count: records.length, at };
  }
}
