// What the parking app keeps per mount: the aggregator's service key and the anchor outbox that records
// gate events on chain (exactly once: an event is queued for the chain in the same transaction that takes
// it out of the gate stream's pending set and marks it processed, the outbox keeps the signed tx across
// crashes, and the contract refuses a session id twice), the gate keys the ingest verifies signatures
// with, and the keyed plate hash (plates never go on chain in clear).
import { createHmac } from 'node:crypto';
import {
  type AppServices,
  clockOf,
  createOutbox,
  type Outbox,
  type OutboxRecord,
  PendingReadings,
} from '@gongxin/app-kit';
import type { Account } from '@gongxin/client';
import type { Database } from '@gongxin/db';
import type { Action } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { type DecodedReading, type IngestMessage, IngestRejection } from '@gongxin/mqtt';
import { type Envelope, eventHash, type GateEventBody, openEvent } from '@gongxin/parking-gate';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { gates, plates, processed, reconciliation, sessions } from './db/schema';
import type { DemoGates } from './demo-gates';
import { demoParty, demoPartyAccounts } from './parties';

export const GATE_STREAM = 'parking.gates';
export const GATE_PREFIX = 'parking/v1';

export interface GateReading {
  readonly envelope: Envelope;
  readonly body: GateEventBody;
  readonly hash: string;
}

/**
 * The gate events not handed to the chain yet: app-kit's pending set of the gate stream, so finding them
 * costs what is pending, not every event ever stored. On a database from before the pending set, its
 * first opening makes pending every stored event `parking.processed` does not mark.
 */
export function openGateEvents(
  database: Database,
  now?: () => number,
): Promise<PendingReadings<GateReading>> {
  return PendingReadings.open<GateReading>(database, {
    stream: GATE_STREAM,
    taken: sql`select key from parking.processed`,
    ...(now && { now }),
  });
}

export class ParkingRuntime {
  readonly signers = new Map<string, Account>();
  readonly service: string | undefined;
  readonly outbox: Outbox;
  readonly gateKeys = new Map<string, string>();
  /**
   * The deployment clock, which gate times and block times follow. The benchmark's stage times read it
   * too: the ingest stamps `receivedAt` with it, and it runs at the wall clock's pace.
   */
  readonly now: () => number;
  /** The demo's simulated gates (DEMO=true only). */
  demoGates: DemoGates | null = null;
  private timer: NodeJS.Timeout | null = null;
  private tick: (() => Promise<void>) | null = null;
  private ticking = false;
  private again = false;
  private running: Promise<number> | null = null;
  private gateEvents: Promise<PendingReadings<GateReading>> | null = null;
  /** Records handed over and not yet sent: they go together in the next round of txs. */
  private toSend: OutboxRecord[] = [];
  private sending: Promise<void> | null = null;
  /**
   * Timings per event for the benchmark, off unless asked for (`recordTimings`): the maps grow with
   * every event, which a long-running server must not do.
   */
  private timings = false;
  /** When each event committed on chain (for the benchmark). */
  readonly committedAt = new Map<string, number>();
  /**
   * When the ingest received each event, when it was handed to the outbox and when its round of txs was
   * sent (for the benchmark).
   */
  readonly stagesOf = new Map<string, { receivedAt: number; handedAt: number; sentAt?: number }>();

  /** Records, from now on, when each event was received, handed over, sent and committed. */
  recordTimings(): void {
    this.timings = true;
  }

  constructor(readonly services: AppServices) {
    this.now = clockOf(services);
    const own = services.chain.serviceSigner;
    if (own) this.signers.set(own.address, own);
    else if (services.config.demo) {
      const service = demoParty(demoPartyAccounts(getSuite(services.chain.suite)), 'parking-service');
      this.signers.set(service.address, service.account);
    }
    this.service = [...this.signers.keys()][0];
    this.outbox = createOutbox({
      name: 'parking',
      database: services.database,
      client: services.chain.client,
      signers: this.signers,
      logger: services.logger,
      // The same session or exit recorded before (a replayed event): it is on chain already.
      alreadyAnchored: (code) => code === 'already_exists',
      onSettled: (_tx, settled) => {
        if (!this.timings) return;
        const now = this.now();
        for (const s of settled) if (s.state === 'anchored') this.committedAt.set(s.id, now);
      },
    });
  }

  /** The keyed hash of a plate: what the chain and the read models hold. */
  plateHash(plate: string): string {
    return createHmac('sha256', this.services.suiteSecret).update(`parking/plate/${plate}`).digest('hex');
  }

  async loadGateKeys(): Promise<void> {
    for (const g of await this.services.database.db.select().from(gates))
      this.gateKeys.set(`${g.lot}.${g.gate}`, g.key);
  }

  /** The ingest decoder: a signed event from a registered gate, or a rejection naming why. */
  decode = (message: IngestMessage): DecodedReading<GateReading> => {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message.payload.toString('utf8')) as Envelope;
    } catch {
      throw new IngestRejection('malformed', 'payload: expected a JSON envelope {body, sig}');
    }
    if (typeof envelope?.body !== 'string' || typeof envelope.sig !== 'string')
      throw new IngestRejection('malformed', 'payload: expected {body: string, sig: hex}');
    const key = this.gateKeys.get(message.device);
    if (!key) throw new IngestRejection('unknown_gate', `gate ${message.device} is not registered on chain`);
    const body = openEvent(envelope, key);
    if (!body)
      throw new IngestRejection('bad_signature', `the event is not signed by gate ${message.device}'s key`);
    if (body.v !== 1) throw new IngestRejection('version', `body.v: version ${String(body.v)} is not known`);
    if (`${body.lot}.${body.gate}` !== message.device)
      throw new IngestRejection(
        'topic',
        `body.lot/gate ${body.lot}.${body.gate} differ from the topic's ${message.device}`,
      );
    if (body.kind !== 'entry' && body.kind !== 'exit')
      throw new IngestRejection('kind', 'body.kind: entry or exit');
    if (
      !Number.isSafeInteger(body.time) ||
      !Number.isSafeInteger(body.counter) ||
      !Number.isSafeInteger(body.epoch)
    )
      throw new IngestRejection('fields', 'body.time, epoch and counter are integers');
    return {
      device: message.device,
      seq: `${body.epoch}:${body.counter}`,
      ts: body.time,
      data: { envelope, body, hash: eventHash(envelope) },
    };
  };

  private actionOf(r: GateReading): Action {
    const b = r.body;
    const plateHash = this.plateHash(b.plate);
    const common = { lot: b.lot, gate: b.gate, plateHash, vehicle: b.vehicle };
    // Entries the gate refused (full, blocked, unconfirmed) opened no session; neither did held exits.
    return b.kind === 'entry'
      ? { contract: 'parking', name: 'openSession', params: { id: r.hash, ...common, entry: b.time } }
      : { contract: 'parking', name: 'closeSession', params: { eventHash: r.hash, ...common, exit: b.time } };
  }

  /**
   * Hands stored gate events to the chain, oldest device time first: each queued in the outbox in the
   * transaction that marks it processed (exactly once), then sent. Returns how many were handed over.
   */
  async processPending(limit = 500): Promise<number> {
    if (this.running) return this.running;
    this.running = this.processBatch(limit).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** The pending gate events, opened once (which makes the stream a consumed one on a new database). */
  openGateEvents(): Promise<PendingReadings<GateReading>> {
    this.gateEvents ??= openGateEvents(this.services.database, this.now).catch((error: unknown) => {
      this.gateEvents = null;
      throw error;
    });
    return this.gateEvents;
  }

  private async processBatch(limit: number): Promise<number> {
    const signer = this.service;
    if (!signer) return 0;
    const pending = await this.openGateEvents();
    const list = await pending.next(limit);
    if (list.length === 0) return 0;
    const now = this.now();
    const handed: OutboxRecord[] = [];
    const receivedAt = new Map<string, number>();
    // One statement per table for the whole batch: a round trip per event would hold the batch up.
    await this.services.database.transaction(async (tx) => {
      handed.length = 0;
      receivedAt.clear();
      // Taken from the pending set in the transaction that marks them and queues them: of two passes that
      // read the same events (the poll and a wake, or two replicas) one takes each, the other none.
      const taken = await pending.take(
        tx,
        list.map((r) => r.key),
      );
      const mine = list.filter((r) => taken.has(r.key));
      if (mine.length === 0) return;
      const plateRows = new Map<string, string>();
      const marks: (typeof processed.$inferInsert)[] = mine.map(({ key, data }) => {
        plateRows.set(this.plateHash(data.body.plate), data.body.plate);
        return {
          key,
          eventHash: data.hash,
          kind: data.body.decision.open ? data.body.kind : `${data.body.kind}-held`,
          processedAt: now,
        };
      });
      // An event marked already (by a version from before the pending set) is not queued again.
      const marked = new Set(
        (
          await tx.insert(processed).values(marks).onConflictDoNothing().returning({ key: processed.key })
        ).map((m) => m.key),
      );
      await tx
        .insert(plates)
        .values([...plateRows].map(([plateHash, plate]) => ({ plateHash, plate })))
        .onConflictDoNothing();
      const records: OutboxRecord[] = [];
      for (const { key, data, receivedAt: at } of mine) {
        // Entries the gate refused and held exits are marked, not sent.
        if (!marked.has(key) || !data.body.decision.open) continue;
        records.push({ id: data.hash, signer, action: this.actionOf(data) });
        receivedAt.set(data.hash, at);
      }
      if (records.length > 0) await this.outbox.enqueue(records, tx);
      handed.push(...records);
    });
    if (handed.length > 0) {
      if (this.timings)
        for (const r of handed) this.stagesOf.set(r.id, { receivedAt: receivedAt.get(r.id)!, handedAt: now });
      this.toSend.push(...handed);
      this.pump();
    }
    return list.length;
  }

  /**
   * Group commit: one round of txs at a time, each taking every record handed over while the one before
   * waited for its block. The next batch of events is read and queued meanwhile, so waiting for a block
   * never holds the events behind it. One round after the other keeps a gate's events in order on chain.
   */
  private pump(): void {
    if (this.sending || this.toSend.length === 0) return;
    const round = this.toSend;
    this.toSend = [];
    const now = this.now();
    for (const r of round) {
      const stage = this.stagesOf.get(r.id);
      if (stage) stage.sentAt = now;
    }
    this.sending = this.outbox
      .send(round)
      .then(
        () => undefined,
        // Left pending in the outbox: its retry loop sends them.
        (error) => this.services.logger.warn({ err: error }, 'parking: gate events not sent yet; will retry'),
      )
      .finally(() => {
        this.sending = null;
        this.pump();
      });
  }

  /**
   * Hands stored gate events over as they are stored (wake, called by the ingest after each write) and
   * every `everyMs` besides: the poll catches what another replica's ingest stored. Until stopped.
   */
  startProcessor(everyMs = 2_000): void {
    const tick = async () => {
      this.ticking = true;
      do {
        this.again = false;
        try {
          while ((await this.processPending()) > 0) {}
        } catch (error) {
          this.services.logger.warn({ err: error }, 'parking: gate events not processed yet');
        }
      } while (this.again && this.timer);
      this.ticking = false;
      if (this.timer) this.timer = setTimeout(tick, everyMs);
    };
    this.tick = tick;
    this.timer = setTimeout(tick, 0);
  }

  /** Gate events were stored: hand them over now, not at the next poll. */
  wake(): void {
    if (!this.timer || !this.tick) return;
    // A pass running may have read before they were stored: it goes round once more.
    if (this.ticking) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(this.tick, 0);
  }

  /**
   * Lists every session whose exit the gate decided on its own (often offline, on a cached tariff) where
   * the chain's price differs from what the gate took: the operator's adjustments to make. Idempotent.
   */
  async reconcile(lot?: string): Promise<number> {
    const { db } = this.services.database;
    const closed = await db
      .select()
      .from(sessions)
      .leftJoin(reconciliation, eq(reconciliation.session, sessions.id))
      .where(and(isNull(reconciliation.session), lot ? eq(sessions.lot, lot) : undefined));
    let listed = 0;
    for (const { sessions: s } of closed) {
      if (s.exit === null || s.feeFen === null) continue;
      const outstanding = s.feeFen + s.adjustedFen - s.paidFen;
      if (outstanding === 0n) continue;
      const [plate] = await db.select().from(plates).where(eq(plates.plateHash, s.plateHash));
      await db
        .insert(reconciliation)
        .values({
          session: s.id,
          lot: s.lot,
          gate: s.exitGate ?? '',
          plate: plate?.plate ?? '',
          gateReason: s.orphan === 'noEntry' ? 'noEntry' : 'opened',
          gateDueFen: 0n,
          gateTariffVersion: s.tariffVersion,
          chainFeeFen: s.feeFen,
          chainPaidFen: s.paidFen,
          differenceFen: outstanding,
          listedAt: this.now(),
        })
        .onConflictDoNothing();
      listed += 1;
    }
    return listed;
  }

  async close(): Promise<void> {
    const timer = this.timer;
    this.timer = null;
    if (timer) clearTimeout(timer);
    await this.running?.catch(() => 0);
    this.toSend = [];
    await this.sending;
    await this.demoGates?.close();
    await this.outbox.stop();
  }
}
