// The app's storage layer: EPCIS events and their EPC index (what traceability walks), queries in the
// shape of the EPCIS 2.0 query interface, and the domain's EventStore over PostgreSQL. Every read is by an
// index (an EPC, a hash, a time range): nothing here scans the events table.
import { column, type Db } from '@gongxin/db';
import { and, asc, desc, eq, gt, gte, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import { anchors, eventEpcs, events } from './db/schema';
import { type AnchorEventParams, bizStepOf, dispositionOf } from './domain';
import type { EpcisEvent } from './domain/epcis';
import { glnOf } from './domain/gs1';
import { type EpcRole, type EventStore, eventKeys, type TraceEvent } from './domain/trace';

export type CaptureSource = 'rest' | 'web' | 'csv' | 'demo' | 'bulk';

/** An event ready to store: validated, hashed, with its anchor params. */
export interface NewEvent {
  hash: string;
  hashId: string;
  event: EpcisEvent;
  context?: unknown;
  anchor: AnchorEventParams;
  org: string;
  captureId: string;
  source: CaptureSource;
  /** The service signer that anchors it; undefined when the person's browser signs. */
  anchorSigner?: string;
  createdAt: number;
}

const timeMs = (text: string | undefined, fallback: number) => {
  const t = text ? Date.parse(text) : Number.NaN;
  return Number.isFinite(t) ? t : fallback;
};

function rowOf(e: NewEvent) {
  const { event } = e;
  const location = event.bizLocation?.id ?? event.readPoint?.id;
  return {
    hash: e.hash,
    hashId: e.hashId,
    eventId: typeof event.eventID === 'string' ? event.eventID : null,
    type: event.type,
    action: event.action ?? null,
    eventTime: timeMs(event.eventTime, e.createdAt),
    recordTime: e.anchor.recordTime,
    bizStep: event.bizStep ? (bizStepOf(event.bizStep) ?? event.bizStep) : null,
    disposition: event.disposition ? (dispositionOf(event.disposition) ?? event.disposition) : null,
    readPoint: event.readPoint?.id ?? null,
    bizLocation: event.bizLocation?.id ?? null,
    gln: (location && glnOf(location)) ?? null,
    org: e.org,
    captureId: e.captureId,
    source: e.source,
    event: event as unknown as Record<string, unknown>,
    context: (e.context ?? null) as Record<string, unknown> | null,
    errorDeclaration: (event.errorDeclaration ?? null) as Record<string, unknown> | null,
    anchor: e.anchor as unknown as Record<string, unknown>,
    anchorSigner: e.anchorSigner ?? null,
    createdAt: e.createdAt,
  };
}

/** Most rows one insert statement carries (PostgreSQL allows 65 535 parameters per statement). */
const BATCH = 1000;

/**
 * Stores events and indexes their EPCs; events already stored (same hash) are left as they are.
 * Returns the hashes actually inserted. Use inside a transaction for an all-or-nothing capture.
 */
export async function insertEvents(db: Db, list: readonly NewEvent[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let i = 0; i < list.length; i += BATCH) {
    const chunk = list.slice(i, i + BATCH);
    const rows = await db
      .insert(events)
      .values(chunk.map(rowOf))
      .onConflictDoNothing()
      .returning({ hash: events.hash });
    for (const r of rows) inserted.add(r.hash);
    const keys: { epc: string; role: string; hash: string; time: number }[] = [];
    for (const e of chunk) {
      if (!inserted.has(e.hash)) continue;
      const time = timeMs(e.event.eventTime, e.createdAt);
      for (const { key, role } of eventKeys(e.event)) keys.push({ epc: key, role, hash: e.hash, time });
    }
    for (let k = 0; k < keys.length; k += 5 * BATCH) {
      const part = keys.slice(k, k + 5 * BATCH);
      await db.execute(sql`
        insert into food.event_epcs (epc, role, hash, event_time_ms)
        select * from unnest(${column(
          part.map((p) => p.epc),
          'text',
        )}, ${column(
          part.map((p) => p.role),
          'text',
        )}, ${column(
          part.map((p) => p.hash),
          'text',
        )}, ${column(
          part.map((p) => p.time),
          'bigint',
        )})
        on conflict do nothing`);
    }
  }
  return inserted;
}

export type EventRow = typeof events.$inferSelect;
export type AnchorRow = typeof anchors.$inferSelect;

/** An event with where it stands on chain. */
export interface StoredEvent {
  row: EventRow;
  anchor: AnchorRow | null;
}

export async function eventsByHash(db: Db, hashes: readonly string[]): Promise<Map<string, StoredEvent>> {
  const out = new Map<string, StoredEvent>();
  if (hashes.length === 0) return out;
  const unique = [...new Set(hashes)];
  for (let i = 0; i < unique.length; i += BATCH) {
    const rows = await db
      .select({ row: events, anchor: anchors })
      .from(events)
      .leftJoin(anchors, eq(anchors.hash, events.hash))
      .where(inArray(events.hash, unique.slice(i, i + BATCH)));
    for (const r of rows) out.set(r.row.hash, r);
  }
  return out;
}

export async function anchorsByHash(db: Db, hashes: readonly string[]): Promise<Map<string, AnchorRow>> {
  const out = new Map<string, AnchorRow>();
  const unique = [...new Set(hashes)];
  for (let i = 0; i < unique.length; i += BATCH) {
    const rows = await db
      .select()
      .from(anchors)
      .where(inArray(anchors.hash, unique.slice(i, i + BATCH)));
    for (const r of rows) out.set(r.hash, r);
  }
  return out;
}

/**
 * An event by any of its names: the hex digest, the `ni:///sha-256;…` hash id, or the eventID it was
 * captured with.
 */
export async function findEvent(db: Db, id: string): Promise<StoredEvent | undefined> {
  const digest = /^[0-9a-f]{64}$/i.test(id)
    ? id.toLowerCase()
    : /^ni:\/\/\/sha-256;([0-9a-f]{64})/i.exec(id)?.[1]?.toLowerCase();
  const where = digest ? eq(events.hash, digest) : eq(events.eventId, id);
  const [found] = await db
    .select({ row: events, anchor: anchors })
    .from(events)
    .leftJoin(anchors, eq(anchors.hash, events.hash))
    .where(where)
    .orderBy(asc(events.createdAt))
    .limit(1);
  return found;
}

// ------------------------------------------------------------------------------------------ queries

export interface EventQuery {
  eventTypes?: string[];
  /** Event time, ms: GE_eventTime / LT_eventTime. */
  from?: number;
  to?: number;
  /** CBV terms or URIs (any spelling: normalised like stored). */
  bizSteps?: string[];
  /** Canonical EPCs and the roles they must play. */
  epcs?: { keys: string[]; roles: EpcRole[] };
  /** Events captured by this organisation only. */
  org?: string;
  /** Keyset: strictly after (eventTime, hash). */
  after?: { time: number; hash: string };
  /** Newest first (the web's lists) instead of EPCIS order (oldest first). */
  newestFirst?: boolean;
  limit: number;
}

export async function queryEvents(db: Db, q: EventQuery): Promise<StoredEvent[]> {
  const where: SQL[] = [];
  if (q.eventTypes?.length) where.push(inArray(events.type, q.eventTypes));
  if (q.from !== undefined) where.push(gte(events.eventTime, q.from));
  if (q.to !== undefined) where.push(lt(events.eventTime, q.to));
  if (q.bizSteps?.length)
    where.push(
      inArray(
        events.bizStep,
        q.bizSteps.map((s) => bizStepOf(s) ?? s),
      ),
    );
  if (q.org) where.push(eq(events.org, q.org));
  if (q.epcs) {
    if (q.epcs.keys.length === 0) return [];
    where.push(
      inArray(
        events.hash,
        db
          .select({ hash: eventEpcs.hash })
          .from(eventEpcs)
          .where(and(inArray(eventEpcs.epc, q.epcs.keys), inArray(eventEpcs.role, q.epcs.roles))),
      ),
    );
  }
  if (q.after) {
    const { time, hash } = q.after;
    where.push(
      q.newestFirst
        ? or(lt(events.eventTime, time), and(eq(events.eventTime, time), lt(events.hash, hash)))!
        : or(gt(events.eventTime, time), and(eq(events.eventTime, time), gt(events.hash, hash)))!,
    );
  }
  const order = q.newestFirst
    ? [desc(events.eventTime), desc(events.hash)]
    : [asc(events.eventTime), asc(events.hash)];
  return db
    .select({ row: events, anchor: anchors })
    .from(events)
    .leftJoin(anchors, eq(anchors.hash, events.hash))
    .where(where.length ? and(...where) : undefined)
    .orderBy(...order)
    .limit(q.limit);
}

/** Page tokens of the query interface: opaque to clients, the keyset of the last event of a page. */
export function pageToken(row: Pick<EventRow, 'eventTime' | 'hash'>): string {
  return Buffer.from(JSON.stringify([row.eventTime, row.hash])).toString('base64url');
}

export function parsePageToken(token: string): { time: number; hash: string } | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string' &&
      /^[0-9a-f]{64}$/.test(value[1])
    )
      return { time: value[0] as number, hash: value[1] };
  } catch {
    // Not ours.
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------ trace store

/** Most events read for one identifier in one walk: a walk stays bounded even on a hot key. */
export const MAX_EVENTS_PER_KEY = 5000;

interface KeyHit {
  role: EpcRole;
  hash: string;
}

/**
 * The domain's EventStore over `event_epcs` ⋈ `events`: one indexed query per identifier, memoised for
 * the life of the store (create one per request or per walk). Each event is one object however many
 * keys lead to it, so the domain's per-event index memo works across the walk. `rows` keeps what the
 * database knows about each event read (capturing organisation, anchor), for pages that show them.
 */
export class SqlEventStore implements EventStore {
  private readonly byKey = new Map<string, Promise<KeyHit[]>>();
  readonly rows = new Map<
    string,
    { row: Omit<EventRow, 'event' | 'context' | 'anchor'>; event: EpcisEvent }
  >();

  constructor(private readonly db: Db) {}

  /** Reads the events of many identifiers in one query (a supervision pass, a page). */
  async preload(keys: readonly string[]): Promise<void> {
    const missing = [...new Set(keys)].filter((k) => !this.byKey.has(k));
    if (missing.length === 0) return;
    const loading = this.query(missing).then((rows) => {
      const byKey = new Map<string, KeyHit[]>(missing.map((k) => [k, []]));
      for (const row of rows) byKey.get(row.epc)?.push(this.hit(row));
      return byKey;
    });
    for (const key of missing)
      this.byKey.set(
        key,
        loading.then((m) => m.get(key) ?? []),
      );
    await loading;
  }

  private query(keys: readonly string[]) {
    return this.db
      .select({
        epc: eventEpcs.epc,
        role: eventEpcs.role,
        hash: events.hash,
        hashId: events.hashId,
        eventId: events.eventId,
        type: events.type,
        action: events.action,
        eventTime: events.eventTime,
        recordTime: events.recordTime,
        bizStep: events.bizStep,
        disposition: events.disposition,
        readPoint: events.readPoint,
        bizLocation: events.bizLocation,
        gln: events.gln,
        org: events.org,
        captureId: events.captureId,
        source: events.source,
        anchorSigner: events.anchorSigner,
        anchorTx: events.anchorTx,
        anchorError: events.anchorError,
        errorDeclaration: events.errorDeclaration,
        declaredBy: events.declaredBy,
        createdAt: events.createdAt,
        event: events.event,
      })
      .from(eventEpcs)
      .innerJoin(events, eq(events.hash, eventEpcs.hash))
      .where(keys.length === 1 ? eq(eventEpcs.epc, keys[0]!) : inArray(eventEpcs.epc, keys as string[]))
      .orderBy(asc(eventEpcs.eventTime))
      .limit(MAX_EVENTS_PER_KEY * keys.length);
  }

  /**
   * One row as the walk sees it. An event declared erroneous carries its declaration (as EPCIS writes it
   * on the event), so trace and the alert rules see that it no longer stands.
   */
  private hit({
    epc: _epc,
    role,
    event,
    ...row
  }: Awaited<ReturnType<SqlEventStore['query']>>[number]): KeyHit {
    if (!this.rows.has(row.hash)) {
      const stored = event as EpcisEvent;
      const declared = row.errorDeclaration as EpcisEvent['errorDeclaration'] | null;
      this.rows.set(row.hash, {
        row,
        event: declared && !stored.errorDeclaration ? { ...stored, errorDeclaration: declared } : stored,
      });
    }
    return { role: role as EpcRole, hash: row.hash };
  }

  private load(key: string): Promise<KeyHit[]> {
    let found = this.byKey.get(key);
    if (!found) {
      found = this.query([key]).then((rows) => rows.map((row) => this.hit(row)));
      this.byKey.set(key, found);
    }
    return found;
  }

  async eventsFor(key: string, roles?: readonly EpcRole[]): Promise<TraceEvent[]> {
    const hits = await this.load(key);
    const seen = new Set<string>();
    const out: TraceEvent[] = [];
    for (const hit of hits) {
      if (roles && !roles.includes(hit.role)) continue;
      if (seen.has(hit.hash)) continue;
      seen.add(hit.hash);
      out.push({ id: hit.hash, event: this.rows.get(hit.hash)!.event });
    }
    return out;
  }
}
