// Capture: an EPCIS 2.0 document (REST binding, web form, CSV, demo) is validated against the EPCIS 2.0
// JSON schema, each event gets its canonical hash id, the events are stored off chain, and their hashes
// are anchored on chain with `food.anchorEvent` — by the organisation's service signer where the server
// holds one (through app-kit's anchor outbox), else by the person's browser (the web asks for the actions
// to sign).
import { randomUUID } from 'node:crypto';
import { createOutbox, type Outbox, type OutboxRecord } from '@gongxin/app-kit';
import type { Account, ChainClient } from '@gongxin/client';
import type { Database } from '@gongxin/db';
import type { Action } from '@gongxin/ledger';
import type { Logger } from '@gongxin/telemetry';
import { eq, inArray, sql } from 'drizzle-orm';
import { captures, events } from './db/schema';
import { anchorEventParams, type EpcisIssue, eventHashId, validateEpcis } from './domain';
import { type CaptureSource, insertEvents, type NewEvent } from './store';

/**
 * A document that does not validate: answered with 400 and the schema's findings. `key` and `params` say
 * why for the page (`errors.reason.<key>`); the message names the precise finding in English.
 */
export class CaptureError extends Error {
  override readonly name = 'CaptureError';
  constructor(
    message: string,
    readonly issues: EpcisIssue[],
    readonly status = 400,
    readonly key = 'epcis_invalid',
    readonly params: Record<string, string | number> = {},
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
  /** `now`: the capture time on the deployment clock (the recordTime of events without their own). */
  opts: { org: string; source: CaptureSource; signer?: string; now: number },
): PreparedCapture {
  const result = validateEpcis(document);
  if (!result.ok) {
    const first = result.issues[0];
    throw new CaptureError(
      first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'not an EPCIS 2.0 document',
      result.issues,
    );
  }
  if (result.events.length === 0) throw new CaptureError('the document has no events', [], 400, 'no_events');
  if (result.events.length > MAX_CAPTURE_EVENTS)
    throw new CaptureError(`at most ${MAX_CAPTURE_EVENTS} events per capture`, [], 413, 'too_many_events', {
      max: MAX_CAPTURE_EVENTS,
    });
  const now = opts.now;
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
  /** The anchors queued in the outbox with the events (those a service signer sends). */
  queued: OutboxRecord[];
  /** Events already stored before (same hash id), error declarations aside. */
  duplicates: number;
}

/**
 * Stores a capture in one transaction, with the anchors of the events it stored queued in `outbox` when
 * a service signer sends them. Events carrying an EPCIS errorDeclaration whose original is already stored
 * (same hash: the declaration is not hashed) mark that original instead of being dropped as duplicates.
 */
export async function storeCapture(
  database: Database,
  capture: PreparedCapture,
  outbox?: Outbox,
): Promise<StoredCapture> {
  const hashes = capture.events.map((e) => e.hash);
  const first = capture.events[0]!;
  return database.transaction(async (tx) => {
    const inserted = await insertEvents(tx, capture.events);
    const queued = outbox
      ? await outbox.enqueue(anchorRecords(capture.events.filter((e) => inserted.has(e.hash))), tx)
      : [];
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
    return { id: capture.id, hashes, inserted, queued, duplicates };
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

/** The outbox records that anchor stored events: one `food.anchorEvent` per event hash, by its service signer. */
export function anchorRecords(
  list: readonly Pick<NewEvent, 'hash' | 'anchor' | 'anchorSigner'>[],
): OutboxRecord[] {
  const seen = new Set<string>();
  const records: OutboxRecord[] = [];
  for (const e of list) {
    if (!e.anchorSigner || seen.has(e.hash)) continue;
    seen.add(e.hash);
    records.push({ id: e.hash, signer: e.anchorSigner, action: anchorActions([e])[0]! });
  }
  return records;
}

/**
 * Food's anchor outbox (app-kit): the anchors of events stored with a service signer, 16 per tx, one
 * queue per signer. Outcomes land in `events.anchor_tx` / `anchor_error` in the transaction that records
 * them: an event whose anchor the chain refuses for good keeps the contract's code; one already anchored
 * (by anyone) is fine.
 */
export function createFoodOutbox(deps: {
  database: Database;
  client: ChainClient;
  signers: ReadonlyMap<string, Account>;
  logger: Logger;
}): Outbox {
  return createOutbox({
    name: 'food',
    ...deps,
    actionsPerTx: ACTIONS_PER_TX,
    alreadyAnchored: (code) => code === 'already_exists',
    onSettled: async (tx, settled) => {
      const byOutcome = new Map<
        string,
        { anchorTx: string | null; anchorError: string | null; hashes: string[] }
      >();
      for (const r of settled) {
        const anchorTx = r.state === 'anchored' ? r.txId : null;
        const anchorError = r.state === 'failed' ? (r.error ?? 'failed') : null;
        const key = `${anchorTx}|${anchorError}`;
        const group = byOutcome.get(key) ?? { anchorTx, anchorError, hashes: [] };
        group.hashes.push(r.id);
        byOutcome.set(key, group);
      }
      for (const { anchorTx, anchorError, hashes } of byOutcome.values()) {
        await tx.update(events).set({ anchorTx, anchorError }).where(inArray(events.hash, hashes));
      }
    },
  });
}

/**
 * Queues in the outbox the anchors of events stored with one of `signers` that are neither anchored nor
 * refused and not queued yet (stored before the outbox kept them): the outbox's retry loop sends them. An
 * event the chain has already answers `already_exists` and counts as anchored.
 */
export async function queueStoredAnchors(database: Database, signers: readonly string[]): Promise<number> {
  if (signers.length === 0) return 0;
  const rows = await database.query(sql`
    insert into appkit.outbox_records (outbox, id, signer, action, state)
    select 'food', e.hash, e.anchor_signer,
           jsonb_build_object('contract', 'food', 'name', 'anchorEvent', 'params', e.anchor), 'pending'
    from food.events e
    where e.anchor_signer in (${sql.join(
      signers.map((s) => sql`${s}`),
      sql`, `,
    )}) and e.anchor_tx is null and e.anchor_error is null
    on conflict do nothing
    returning id`);
  return rows.length;
}
