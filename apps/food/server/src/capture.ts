// Capture: an EPCIS 2.0 document (REST binding, web form, CSV, demo) is validated against the EPCIS 2.0
// JSON schema, each event gets its canonical hash id, the events are stored off chain, and their hashes
// are anchored on chain with `food.anchorEvent` — by the organisation's service signer where the server
// holds one, else by the person's browser (the web asks for the actions to sign).
import { randomUUID } from 'node:crypto';
import type { Account, ChainClient } from '@gongxin/client';
import { createWallet, type Wallet } from '@gongxin/client';
import type { Database, Db } from '@gongxin/db';
import type { Action } from '@gongxin/ledger';
import type { Logger } from '@gongxin/telemetry';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { captures, events } from './db/schema';
import { anchorEventParams, type EpcisIssue, eventHashId, validateEpcis } from './domain';
import { type CaptureSource, insertEvents, type NewEvent } from './store';

/** A document that does not validate: answered with 400 and the schema's findings. */
export class CaptureError extends Error {
  override readonly name = 'CaptureError';
  constructor(
    message: string,
    readonly issues: EpcisIssue[],
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Most events one capture takes (EPCIS lets a server set its limit; GS1 suggests advertising it). */
export const MAX_CAPTURE_EVENTS = 10_000;
/** `food.anchorEvent` actions per tx (the ledger's MAX_ACTIONS). */
const ACTIONS_PER_TX = 16;

export interface PreparedCapture {
  id: string;
  events: NewEvent[];
}

/** Validates a document and builds the rows to store; throws CaptureError when it is not EPCIS 2.0. */
export function prepareCapture(
  document: unknown,
  opts: { org: string; source: CaptureSource; signer?: string; now?: number },
): PreparedCapture {
  const result = validateEpcis(document);
  if (!result.ok) {
    const first = result.issues[0];
    throw new CaptureError(
      first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'not an EPCIS 2.0 document',
      result.issues,
    );
  }
  if (result.events.length === 0) throw new CaptureError('the document has no events', []);
  if (result.events.length > MAX_CAPTURE_EVENTS)
    throw new CaptureError(`at most ${MAX_CAPTURE_EVENTS} events per capture`, [], 413);
  const now = opts.now ?? Date.now();
  const id = randomUUID();
  const prepared = result.events.map(({ event }) => {
    const documentContext = result.kind === 'event' ? undefined : result.context;
    const { id: hashId, digest } = eventHashId(event as unknown as Record<string, unknown>, documentContext);
    const anchor = anchorEventParams(event, { documentContext, captureTime: now });
    const newEvent: NewEvent = {
      hash: digest,
      hashId,
      event,
      ...(result.context !== undefined && { context: result.context }),
      anchor,
      org: opts.org,
      captureId: id,
      source: opts.source,
      ...(opts.signer && { anchorSigner: opts.signer }),
      createdAt: now,
    };
    return newEvent;
  });
  return { id, events: prepared };
}

export interface StoredCapture {
  id: string;
  hashes: string[];
  /** Hashes stored by this capture (the others were stored before: stored once, anchored once). */
  inserted: Set<string>;
  /** Events already stored before (same hash id), error declarations aside. */
  duplicates: number;
}

/**
 * Stores a capture in one transaction. Events carrying an EPCIS errorDeclaration whose original is
 * already stored (same hash: the declaration is not hashed) mark that original instead of being dropped
 * as duplicates.
 */
export async function storeCapture(database: Database, capture: PreparedCapture): Promise<StoredCapture> {
  const hashes = capture.events.map((e) => e.hash);
  const first = capture.events[0]!;
  return database.transaction(async (tx) => {
    const inserted = await insertEvents(tx, capture.events);
    for (const e of capture.events) {
      if (!e.event.errorDeclaration || inserted.has(e.hash)) continue;
      await tx
        .update(events)
        .set({ errorDeclaration: e.event.errorDeclaration, declaredBy: capture.id })
        .where(eq(events.hash, e.hash));
    }
    const duplicates = duplicateFlags(capture.events, inserted).filter(Boolean).length;
    await tx.insert(captures).values({
      id: capture.id,
      org: first.org,
      source: first.source,
      createdAt: first.createdAt,
      hashes,
      duplicates,
    });
    return { id: capture.id, hashes, inserted, duplicates };
  });
}

/**
 * Per event of a capture, whether it repeats one stored before or earlier in the same document; an error
 * declaration is never a duplicate (it marks the event it repeats).
 */
export function duplicateFlags(
  list: readonly Pick<NewEvent, 'hash' | 'event'>[],
  inserted: ReadonlySet<string>,
): boolean[] {
  const seen = new Set<string>();
  return list.map((e) => {
    const repeated = seen.has(e.hash) || !inserted.has(e.hash);
    seen.add(e.hash);
    return repeated && !e.event.errorDeclaration;
  });
}

/** The `food.anchorEvent` actions for events, as the capturing organisation signs them. */
export function anchorActions(list: readonly Pick<NewEvent, 'anchor'>[]): Action[] {
  return list.map((e) => ({
    contract: 'food',
    name: 'anchorEvent',
    params: e.anchor as unknown as Action['params'],
  }));
}

/**
 * Sends the anchors of stored events with the service signers the server holds, 16 per tx, one queue per
 * signer (the wallet numbers txs itself). An event whose anchor the chain refuses for good keeps the
 * contract's code in `anchor_error`; one already anchored (by anyone) is fine.
 */
export class Anchorer {
  private readonly wallets = new Map<string, Wallet>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly deps: {
      database: Database;
      client: ChainClient;
      signers: ReadonlyMap<string, Account>;
      logger: Logger;
    },
  ) {}

  signerFor(address: string): Account | undefined {
    return this.deps.signers.get(address);
  }

  private walletOf(account: Account): Wallet {
    let wallet = this.wallets.get(account.address);
    if (!wallet) {
      wallet = createWallet(this.deps.client, account);
      this.wallets.set(account.address, wallet);
    }
    return wallet;
  }

  /** Anchors the given events (hex hashes) that are still waiting; resolves when their txs are in blocks. */
  anchor(signer: string, hashes: readonly string[]): Promise<{ anchored: number; failed: number }> {
    const previous = this.queues.get(signer) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.send(signer, hashes));
    this.queues.set(signer, run);
    return run;
  }

  private async send(
    signer: string,
    hashes: readonly string[],
  ): Promise<{ anchored: number; failed: number }> {
    const account = this.deps.signers.get(signer);
    if (!account) throw new Error(`no service signer for ${signer}`);
    const { database } = this.deps;
    const pending: { hash: string; anchor: unknown }[] = [];
    for (let i = 0; i < hashes.length; i += 1000) {
      pending.push(
        ...(await database.db
          .select({ hash: events.hash, anchor: events.anchor })
          .from(events)
          .where(
            and(
              inArray(events.hash, hashes.slice(i, i + 1000) as string[]),
              eq(events.anchorSigner, signer),
              isNull(events.anchorTx),
              isNull(events.anchorError),
            ),
          )),
      );
    }
    let anchored = 0;
    let failed = 0;
    const wallet = this.walletOf(account);
    const batches: { hash: string; anchor: unknown }[][] = [];
    for (let i = 0; i < pending.length; i += ACTIONS_PER_TX)
      batches.push(pending.slice(i, i + ACTIONS_PER_TX));
    // All of a signer's txs go to the mempool at once (numbered by the wallet), then each is awaited.
    const sent = await Promise.all(
      batches.map(async (batch) => {
        const actions = anchorActions(batch as { anchor: NewEvent['anchor'] }[]);
        try {
          const { id } = await wallet.submit(actions);
          await markTx(
            database.db,
            batch.map((b) => b.hash),
            id,
          );
          return { batch, id };
        } catch (error) {
          this.deps.logger.warn({ err: error, signer }, 'anchor tx not admitted');
          return { batch, id: null };
        }
      }),
    );
    for (const { batch, id } of sent) {
      if (!id) {
        failed += batch.length;
        continue;
      }
      try {
        const receipt = await this.waitForTx(id);
        if (receipt.ok) anchored += batch.length;
        else {
          // One refused action fails the whole tx: send them one by one to find the culprit.
          const retried = await this.oneByOne(wallet, batch);
          anchored += retried.anchored;
          failed += retried.failed;
        }
      } catch (error) {
        this.deps.logger.warn({ err: error, tx: id }, 'anchor tx not committed in time');
        await markTx(
          database.db,
          batch.map((b) => b.hash),
          null,
        );
        failed += batch.length;
      }
    }
    return { anchored, failed };
  }

  private async oneByOne(wallet: Wallet, batch: { hash: string; anchor: unknown }[]) {
    let anchored = 0;
    let failed = 0;
    for (const item of batch) {
      const receipt = await wallet.send(anchorActions([item as { anchor: NewEvent['anchor'] }]));
      if (receipt.ok || receipt.code === 'already_exists') {
        anchored++;
        if (!receipt.ok) await markTx(this.deps.database.db, [item.hash], null);
        else await markTx(this.deps.database.db, [item.hash], receipt.id);
      } else {
        failed++;
        await this.deps.database.db
          .update(events)
          .set({ anchorTx: null, anchorError: receipt.code ?? 'failed' })
          .where(eq(events.hash, item.hash));
      }
    }
    return { anchored, failed };
  }

  private async waitForTx(id: string, timeoutMs = 30_000): Promise<{ ok: boolean }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const tx = await this.deps.client.getTx(id);
        return { ok: tx.receipt.ok };
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
}

async function markTx(db: Db, hashes: readonly string[], tx: string | null): Promise<void> {
  if (hashes.length === 0) return;
  await db
    .update(events)
    .set({ anchorTx: tx })
    .where(inArray(events.hash, hashes as string[]));
}
