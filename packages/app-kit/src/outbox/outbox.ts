// The anchor outbox: records an app keeps off chain and anchors on chain with its service key. A record is
// written durably first (`enqueue`, in the app's own transaction when it has one), then sent in batches,
// one tx per batch, and marked anchored with the tx and height once the node says the block committed.
//
// Exactly once, across crashes: a batch's signed tx (bytes, id, nonce) is written to `outbox_batches`
// BEFORE it is submitted, and removed in the transaction that records its outcome. After a crash (or a
// tx that did not commit in time) the same bytes are submitted again: the node answers the outcome of a
// tx it already committed, or takes it now; a second copy cannot commit because its nonce is spent. A tx
// that can no longer commit (its nonce was spent by another tx) hands its records back to be sent anew.
// While a signer has a tx in flight whose fate is unknown, nothing new is sent for it.
//
// Sending waits for the commit through the node (`submitAndWait`), never by polling, and never reads back
// the records it was handed: only recovery reads the tables.
import { type Account, type ChainClient, createWallet, toChainError, type Wallet } from '@gongxin/client';
import type { Database, Tx } from '@gongxin/db';
import { type Action, fromHex, type SignedTx, toHex } from '@gongxin/ledger';
import type { Logger } from '@gongxin/telemetry';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { outboxBatches, outboxRecords } from '../db/schema';

/** One record to anchor: the app's id for it, the service signer, and the action that anchors it. */
export interface OutboxRecord {
  /** Unique within the outbox; a record with an id already queued is not queued again. */
  id: string;
  /** Address of a service key the outbox holds (`signers`). */
  signer: string;
  action: Action;
}

/** A record's outcome, as handed to `onSettled`. */
export interface SettledRecord {
  id: string;
  signer: string;
  state: 'anchored' | 'failed';
  /** The anchoring tx; null when the chain already had the record (`alreadyAnchored`) or it failed. */
  txId: string | null;
  height: number | null;
  /** The contract's (or the node's) refusal code when failed. */
  error: string | null;
}

export interface AnchorResult {
  /** Records of the call now anchored. */
  anchored: number;
  /** Records of the call not anchored: refused for good, or left for the background retry. */
  failed: number;
}

export interface OutboxOptions {
  /** Unique across every app sharing the database; usually the app id. */
  name: string;
  database: Database;
  client: ChainClient;
  /** The service keys by address. */
  signers: ReadonlyMap<string, Account>;
  logger: Logger;
  /** Actions per tx. Default 16 (the ledger's most). */
  actionsPerTx?: number;
  /** How long one submission waits for its block. Default 30 s. */
  waitMs?: number;
  /** How often the background loop (`start`) retries what is pending or in flight. Default 5 s. */
  retryMs?: number;
  /** A contract code meaning the record is on chain already (e.g. `already_exists`): anchored, by no tx of ours. */
  alreadyAnchored?: (code: string) => boolean;
  /** Runs in the transaction that records outcomes: mirror them into the app's own rows. */
  onSettled?: (tx: Tx, settled: SettledRecord[]) => Promise<void> | void;
}

interface Batch {
  id: number;
  nonce: number;
  txId: string;
  txBytes: string;
  records: string[];
}

/** What one submitted batch came to. */
type Outcome =
  | { kind: 'committed'; ok: boolean; txId: string; height: number; code?: string }
  | { kind: 'dead' }
  | { kind: 'refused'; code: string }
  | { kind: 'unknown' };

export class Outbox {
  readonly name: string;
  private readonly wallets = new Map<string, Wallet>();
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Signers whose in-flight batches this process has not checked yet (all, at first) or left unresolved. */
  private readonly unsettled = new Set<string>();
  private readonly checked = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private flushing: Promise<void> | null = null;

  constructor(private readonly opts: OutboxOptions) {
    this.name = opts.name;
  }

  private get db() {
    return this.opts.database.db;
  }

  signerFor(address: string): Account | undefined {
    return this.opts.signers.get(address);
  }

  /** The wallet of a service key: anything else it signs goes through it too, so one count numbers its txs. */
  wallet(address: string): Wallet {
    let wallet = this.wallets.get(address);
    if (!wallet) {
      const account = this.opts.signers.get(address);
      if (!account) throw new Error(`outbox ${this.name}: no service key for ${address}`);
      wallet = createWallet(this.opts.client, account);
      this.wallets.set(address, wallet);
    }
    return wallet;
  }

  /**
   * Queues records durably; inside `tx` when given (then they are queued only if it commits). Answers the
   * records newly queued (an id queued before is skipped). Outside a transaction, a running outbox sends
   * them soon; otherwise pass them to `send`.
   */
  async enqueue(records: readonly OutboxRecord[], tx?: Tx): Promise<OutboxRecord[]> {
    if (records.length === 0) return [];
    for (const r of records) {
      if (!this.opts.signers.has(r.signer))
        throw new Error(`outbox ${this.name}: no service key for signer ${r.signer} (record ${r.id})`);
    }
    const db = tx ?? this.db;
    const queued = new Set<string>();
    for (let i = 0; i < records.length; i += 1000) {
      const rows = await db
        .insert(outboxRecords)
        .values(
          records.slice(i, i + 1000).map((r) => ({
            outbox: this.name,
            id: r.id,
            signer: r.signer,
            action: r.action as unknown as Record<string, unknown>,
            state: 'pending' as const,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: outboxRecords.id });
      for (const row of rows) queued.add(row.id);
    }
    if (!tx && this.running) this.wake();
    return records.filter((r) => queued.has(r.id));
  }

  /** `enqueue` then `send`. */
  async anchor(records: readonly OutboxRecord[]): Promise<AnchorResult> {
    return this.send(await this.enqueue(records));
  }

  /**
   * Sends queued records now, one queue per signer; resolves once their txs are in blocks (or refused,
   * or left for the background retry after `waitMs`).
   */
  async send(records: readonly OutboxRecord[]): Promise<AnchorResult> {
    const bySigner = new Map<string, OutboxRecord[]>();
    for (const r of records) {
      const list = bySigner.get(r.signer) ?? [];
      list.push(r);
      bySigner.set(r.signer, list);
    }
    const results = await Promise.all(
      [...bySigner].map(([signer, list]) => this.queue(signer, () => this.sendFor(signer, list))),
    );
    return results.reduce((a, b) => ({ anchored: a.anchored + b.anchored, failed: a.failed + b.failed }), {
      anchored: 0,
      failed: 0,
    });
  }

  /** Resolves when everything queued before for `signer` is done (e.g. before sending other txs with its key). */
  idle(signer: string): Promise<void> {
    return this.queue(signer, async () => {});
  }

  /** Checks txs left in flight (by a crash or a timeout) and sends every pending record. */
  flush(): Promise<void> {
    this.flushing ??= this.flushAll().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** Flushes now and then every `retryMs` until `stop`. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.flush().catch((error) =>
      this.opts.logger.warn({ err: error, outbox: this.name }, 'outbox flush failed; will retry'),
    );
    this.schedule();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flushing?.catch(() => {});
    await Promise.all([...this.queues.values()].map((q) => q.catch(() => {})));
  }

  private schedule(delay = this.opts.retryMs ?? 5000): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush()
        .catch((error) =>
          this.opts.logger.warn({ err: error, outbox: this.name }, 'outbox flush failed; will retry'),
        )
        .finally(() => this.schedule());
    }, delay);
    this.timer.unref?.();
  }

  private wake(): void {
    this.schedule(0);
  }

  private queue<T>(signer: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(signer) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(fn);
    this.queues.set(signer, run);
    return run;
  }

  private async flushAll(): Promise<void> {
    const signers = new Set<string>();
    const open = await this.db
      .selectDistinct({ signer: outboxRecords.signer })
      .from(outboxRecords)
      .where(and(eq(outboxRecords.outbox, this.name), inArray(outboxRecords.state, ['pending', 'sending'])));
    for (const row of open) signers.add(row.signer);
    for (const signer of signers) {
      if (!this.opts.signers.has(signer)) continue;
      await this.queue(signer, async () => {
        if (!(await this.recover(signer))) return;
        const pending = await this.db
          .select({ id: outboxRecords.id, action: outboxRecords.action })
          .from(outboxRecords)
          .where(
            and(
              eq(outboxRecords.outbox, this.name),
              eq(outboxRecords.signer, signer),
              eq(outboxRecords.state, 'pending'),
            ),
          )
          .orderBy(asc(outboxRecords.createdAt), asc(outboxRecords.id))
          .limit(1000);
        if (pending.length === 0) return;
        await this.sendFor(
          signer,
          pending.map((p) => ({ id: p.id, signer, action: p.action as unknown as Action })),
          true,
        );
      });
    }
  }

  /** Sends `records` (queued, pending) for one signer, then again alone those whose tx failed. */
  private async sendFor(
    signer: string,
    records: readonly OutboxRecord[],
    recovered = false,
  ): Promise<AnchorResult> {
    if (records.length === 0) return { anchored: 0, failed: 0 };
    if (!recovered && !(await this.recover(signer))) {
      return { anchored: 0, failed: records.length };
    }
    const anchored = new Set<string>();
    const claimed = new Set<string>();
    let list: OutboxRecord[] = [...records];
    let alone = false;
    while (list.length > 0) {
      const outcome = await this.sendRound(signer, list, alone);
      for (const id of outcome.claimed) claimed.add(id);
      for (const id of outcome.anchored) anchored.add(id);
      // Once alone, a record's outcome is its own: it is not sent again here.
      list = alone ? [] : outcome.retryAlone;
      alone = true;
    }
    const mine = new Set(records.map((r) => r.id));
    // Records another sender of this process took first (the retry loop): their outcome is in the table.
    const others = [...mine].filter((id) => !claimed.has(id));
    if (others.length > 0) {
      const rows = await this.db
        .select({ id: outboxRecords.id })
        .from(outboxRecords)
        .where(
          and(
            eq(outboxRecords.outbox, this.name),
            inArray(outboxRecords.id, others),
            eq(outboxRecords.state, 'anchored'),
          ),
        );
      for (const row of rows) anchored.add(row.id);
    }
    const count = [...anchored].filter((id) => mine.has(id)).length;
    return { anchored: count, failed: mine.size - count };
  }

  /**
   * Claims the records that are still pending, writes their signed txs as in flight, submits them all
   * (numbered by the wallet, so they queue in the mempool) and records each outcome.
   */
  private async sendRound(
    signer: string,
    records: readonly OutboxRecord[],
    alone: boolean,
  ): Promise<{ claimed: string[]; anchored: string[]; retryAlone: OutboxRecord[] }> {
    if (records.length === 0) return { claimed: [], anchored: [], retryAlone: [] };
    const byId = new Map(records.map((r) => [r.id, r]));
    // Claimed first (no tx yet, so a crash here leaves records recovery hands back), then signed.
    const claimed = await this.db
      .update(outboxRecords)
      .set({
        state: 'sending',
        batchId: null,
        updatedAt: sql`now()`,
        attempts: sql`${outboxRecords.attempts} + 1`,
      })
      .where(
        and(
          eq(outboxRecords.outbox, this.name),
          inArray(outboxRecords.id, [...byId.keys()]),
          eq(outboxRecords.state, 'pending'),
        ),
      )
      .returning({ id: outboxRecords.id, alone: outboxRecords.alone });
    if (claimed.length === 0) return { claimed: [], anchored: [], retryAlone: [] };
    const perTx = this.opts.actionsPerTx ?? 16;
    const chunks: OutboxRecord[][] = [];
    const together = claimed.filter((c) => !c.alone && !alone).map((c) => byId.get(c.id)!);
    for (const c of claimed.filter((c) => c.alone || alone)) chunks.push([byId.get(c.id)!]);
    for (let i = 0; i < together.length; i += perTx) chunks.push(together.slice(i, i + perTx));

    const wallet = this.wallet(signer);
    let batches: Batch[];
    try {
      const signed: { chunk: OutboxRecord[]; tx: SignedTx }[] = [];
      for (const chunk of chunks) {
        const tx = wallet.sign(await wallet.buildTx({ actions: chunk.map((r) => r.action) }));
        signed.push({ chunk, tx });
      }
      batches = await this.opts.database.transaction(async (dbTx) => {
        const out: Batch[] = [];
        for (const { chunk, tx } of signed) {
          const [row] = await dbTx
            .insert(outboxBatches)
            .values({
              outbox: this.name,
              signer,
              nonce: tx.body.nonce,
              txId: toHex(tx.id),
              txBytes: toHex(tx.bytes),
            })
            .returning({ id: outboxBatches.id });
          const ids = chunk.map((r) => r.id);
          await dbTx
            .update(outboxRecords)
            .set({ batchId: row!.id })
            .where(and(eq(outboxRecords.outbox, this.name), inArray(outboxRecords.id, ids)));
          out.push({
            id: row!.id,
            nonce: tx.body.nonce,
            txId: toHex(tx.id),
            txBytes: toHex(tx.bytes),
            records: ids,
          });
        }
        return out;
      });
    } catch (error) {
      // Nothing was submitted: hand the records back and forget the numbers taken.
      wallet.resetNonce();
      await this.release(claimed.map((c) => c.id));
      this.opts.logger.warn({ err: error, outbox: this.name, signer }, 'anchor txs not built; will retry');
      return { claimed: claimed.map((c) => c.id), anchored: [], retryAlone: [] };
    }
    // One line per anchor tx is for debugging: a busy app sends several a second.
    for (const batch of batches) {
      this.opts.logger.debug(
        {
          outbox: this.name,
          signer,
          batch: batch.id,
          tx: batch.txId,
          nonce: batch.nonce,
          records: batch.records.length,
        },
        'anchor tx in flight',
      );
    }
    const outcomes = await Promise.all(batches.map((b) => this.submit(signer, b)));
    const anchored: string[] = [];
    const retryAlone: OutboxRecord[] = [];
    for (const [i, batch] of batches.entries()) {
      const result = await this.settle(signer, batch, outcomes[i]!);
      anchored.push(...result.anchored);
      retryAlone.push(...result.retryAlone.map((id) => byId.get(id)!).filter(Boolean));
    }
    return { claimed: claimed.map((c) => c.id), anchored, retryAlone };
  }

  /** Submits a batch's stored bytes and waits for its block; classifies what happened. */
  private async submit(signer: string, batch: Batch): Promise<Outcome> {
    try {
      const committed = await this.opts.client.submitAndWait(fromHex(batch.txBytes), {
        timeoutMs: this.opts.waitMs ?? 30_000,
      });
      return {
        kind: 'committed',
        ok: committed.ok,
        txId: committed.id,
        height: committed.height,
        ...(committed.code !== undefined && { code: committed.code }),
      };
    } catch (error) {
      const e = toChainError(error);
      if (e.code === 'bad_nonce') return this.nonceRefused(signer, batch);
      if (e.isRejection) return { kind: 'refused', code: e.code };
      this.opts.logger.warn(
        { err: e, outbox: this.name, signer, tx: batch.txId },
        'anchor tx outcome unknown; will retry',
      );
      return { kind: 'unknown' };
    }
  }

  /**
   * The node refused the nonce and did not find this very tx committed. Dead only once the account's
   * nonce has passed it and the chain has no such tx; else (another tx with that nonce waits) unknown.
   */
  private async nonceRefused(signer: string, batch: Batch): Promise<Outcome> {
    try {
      const account = await this.opts.client.account(signer);
      if (account.nonce <= batch.nonce) return { kind: 'unknown' };
      const tx = await this.opts.client.getTx(batch.txId).catch((error) => {
        if (toChainError(error).code === 'not_found') return null;
        throw error;
      });
      if (!tx) return { kind: 'dead' };
      return {
        kind: 'committed',
        ok: tx.receipt.ok,
        txId: tx.id,
        height: tx.height,
        ...(tx.receipt.code !== undefined && { code: tx.receipt.code }),
      };
    } catch (error) {
      this.opts.logger.warn({ err: error, outbox: this.name, signer }, 'anchor tx nonce check failed');
      return { kind: 'unknown' };
    }
  }

  /** Records a batch's outcome (and removes it from flight) in one transaction with the app's `onSettled`. */
  private async settle(
    signer: string,
    batch: Batch,
    outcome: Outcome,
  ): Promise<{ anchored: string[]; retryAlone: string[] }> {
    if (outcome.kind === 'unknown') {
      this.unsettled.add(signer);
      return { anchored: [], retryAlone: [] };
    }
    const wallet = this.wallet(signer);
    if (outcome.kind === 'dead') wallet.resetNonce();
    const single = batch.records.length === 1;
    const settled: SettledRecord[] = [];
    let retryAlone: string[] = [];
    const result = await this.opts.database.transaction(async (tx) => {
      const where = and(eq(outboxRecords.outbox, this.name), eq(outboxRecords.batchId, batch.id));
      const set = (values: Partial<typeof outboxRecords.$inferInsert>) =>
        tx
          .update(outboxRecords)
          .set({ ...values, batchId: null, updatedAt: sql`now()` })
          .where(where)
          .returning({ id: outboxRecords.id });
      let anchored: string[] = [];
      if (outcome.kind === 'committed' && outcome.ok) {
        anchored = (
          await set({ state: 'anchored', txId: outcome.txId, height: outcome.height, error: null })
        ).map((r) => r.id);
        for (const id of anchored)
          settled.push({
            id,
            signer,
            state: 'anchored',
            txId: outcome.txId,
            height: outcome.height,
            error: null,
          });
      } else if (outcome.kind === 'dead') {
        await set({ state: 'pending' });
      } else {
        const code = (outcome.kind === 'committed' ? outcome.code : outcome.code) ?? 'failed';
        if (single || outcome.kind === 'refused') {
          const already = outcome.kind === 'committed' && this.opts.alreadyAnchored?.(code) === true;
          const rows = await set(
            already
              ? { state: 'anchored', txId: null, height: null, error: null }
              : { state: 'failed', error: code },
          );
          for (const { id } of rows) {
            settled.push({
              id,
              signer,
              state: already ? 'anchored' : 'failed',
              txId: null,
              height: null,
              error: already ? null : code,
            });
            if (already) anchored.push(id);
          }
        } else {
          // One refused action fails the whole tx: each is sent again alone to find the culprit.
          retryAlone = (await set({ state: 'pending', alone: true })).map((r) => r.id);
        }
      }
      await tx.delete(outboxBatches).where(eq(outboxBatches.id, batch.id));
      if (settled.length > 0) await this.opts.onSettled?.(tx, settled);
      return anchored;
    });
    if (outcome.kind === 'committed')
      this.opts.logger[outcome.ok ? 'debug' : 'warn'](
        {
          outbox: this.name,
          signer,
          tx: outcome.txId,
          height: outcome.height,
          ok: outcome.ok,
          records: batch.records.length,
        },
        'anchor tx settled',
      );
    return { anchored: result, retryAlone };
  }

  private async release(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .update(outboxRecords)
      .set({ state: 'pending', batchId: null, updatedAt: sql`now()` })
      .where(
        and(
          eq(outboxRecords.outbox, this.name),
          inArray(outboxRecords.id, [...ids]),
          isNull(outboxRecords.batchId),
        ),
      );
  }

  /**
   * Resolves the txs a crash or a timeout left in flight for `signer`, in nonce order; true when none is
   * left whose fate is unknown (only then may new txs be signed with this key).
   */
  private async recover(signer: string): Promise<boolean> {
    if (this.checked.has(signer) && !this.unsettled.has(signer)) return true;
    // Claimed but never signed: nothing of theirs reached the chain.
    await this.db
      .update(outboxRecords)
      .set({ state: 'pending', updatedAt: sql`now()` })
      .where(
        and(
          eq(outboxRecords.outbox, this.name),
          eq(outboxRecords.signer, signer),
          eq(outboxRecords.state, 'sending'),
          isNull(outboxRecords.batchId),
        ),
      );
    const rows = await this.db
      .select()
      .from(outboxBatches)
      .where(and(eq(outboxBatches.outbox, this.name), eq(outboxBatches.signer, signer)))
      .orderBy(asc(outboxBatches.nonce));
    this.unsettled.delete(signer);
    this.checked.add(signer);
    if (rows.length === 0) return true;
    const members = await this.db
      .select({ id: outboxRecords.id, batchId: outboxRecords.batchId })
      .from(outboxRecords)
      .where(
        and(
          eq(outboxRecords.outbox, this.name),
          inArray(
            outboxRecords.batchId,
            rows.map((r) => r.id),
          ),
        ),
      );
    const batches: Batch[] = rows.map((r) => ({
      id: r.id,
      nonce: r.nonce,
      txId: r.txId,
      txBytes: r.txBytes,
      records: members.filter((m) => m.batchId === r.id).map((m) => m.id),
    }));
    this.opts.logger.info(
      { outbox: this.name, signer, batches: batches.length },
      'anchor txs in flight found; resubmitting',
    );
    const outcomes = await Promise.all(batches.map((b) => this.submit(signer, b)));
    for (const [i, batch] of batches.entries()) await this.settle(signer, batch, outcomes[i]!);
    return !this.unsettled.has(signer);
  }
}

export function createOutbox(opts: OutboxOptions): Outbox {
  return new Outbox(opts);
}
