// The food app's tables, all in the Postgres schema `food`. Two kinds:
//   off chain, written by the app: the EPCIS events themselves (captured through the REST binding, the
//     web forms, CSV or the demo), their EPC index for traceability, captures, API keys, the monitor's
//     findings and consumer scans;
//   read models of the chain, written only by the indexer (src/indexer.ts) from `food.*` and
//     `identity.role*` events: anchors, products, locations, organisations' food roles, recalls and the
//     lots they flag, alerts. `reset` empties exactly these, so a rebuild replays them from genesis.
// Read by drizzle-kit: no driver imports here. Times are ms since the epoch (bigint, read as number).
import { appSchema } from '@gongxin/db/schema';
import { bigint, boolean, index, integer, jsonb, primaryKey, text } from 'drizzle-orm/pg-core';

export const food = appSchema('food');

const ms = (name: string) => bigint(name, { mode: 'number' });

// ------------------------------------------------------------------------------------------ off chain

/**
 * One row per EPCIS event, keyed by the hex SHA-256 digest of its EPCIS Event Hash ID (what
 * `food.anchorEvent` puts on chain). The event is kept as received (JSON-LD), with its document's
 * @context (the namespaces of its extensions) and the anchor params built at capture.
 */
export const events = food.table(
  'events',
  {
    hash: text('hash').primaryKey(),
    /** `ni:///sha-256;<hash>?ver=CBV2.0` */
    hashId: text('hash_id').notNull(),
    /** The event's own eventID, when it carries one. */
    eventId: text('event_id'),
    type: text('type').notNull(),
    action: text('action'),
    eventTime: ms('event_time_ms').notNull(),
    recordTime: ms('record_time_ms').notNull(),
    /** CBV term (`shipping`) when standard, else the URI/CURIE as written. */
    bizStep: text('biz_step'),
    disposition: text('disposition'),
    readPoint: text('read_point'),
    bizLocation: text('biz_location'),
    /** GLN of the business location, else of the read point. */
    gln: text('gln'),
    /** The capturing organisation (its chain address). */
    org: text('org').notNull(),
    captureId: text('capture_id').notNull(),
    source: text('source', { enum: ['rest', 'web', 'csv', 'demo', 'bulk'] }).notNull(),
    event: jsonb('event').notNull(),
    context: jsonb('context'),
    /** The `food.anchorEvent` params (domain/anchor.ts): what the capturing organisation signs. */
    anchor: jsonb('anchor').notNull(),
    /** The service signer that anchors it (REST, CSV by machine, demo); null: the person's browser signs. */
    anchorSigner: text('anchor_signer'),
    /** The tx the service signer sent (known before sending); cleared when it failed. */
    anchorTx: text('anchor_tx'),
    /** Why anchoring failed for good (a contract code), if it did. */
    anchorError: text('anchor_error'),
    /**
     * The EPCIS errorDeclaration retracting this event (declarationTime, reason, correctiveEventIDs), as
     * captured by its organisation or a regulator: trace, alerts and the consumer page follow it.
     */
    errorDeclaration: jsonb('error_declaration').$type<Record<string, unknown>>(),
    /** The capture that declared it erroneous. */
    declaredBy: text('declared_by_capture'),
    createdAt: ms('created_at_ms').notNull(),
  },
  (t) => [
    index('events_time_idx').on(t.eventTime, t.hash),
    index('events_biz_step_idx').on(t.bizStep, t.eventTime),
    index('events_type_idx').on(t.type, t.eventTime),
    index('events_capture_idx').on(t.captureId),
    index('events_org_idx').on(t.org, t.createdAt),
    index('events_event_id_idx').on(t.eventId),
    index('events_signer_idx').on(t.anchorSigner, t.createdAt),
    index('events_created_idx').on(t.createdAt),
  ],
);

/**
 * The EPC index traceability walks (domain/trace.ts `eventKeys`): every canonical identifier an event
 * names, with its role (object, parent, child, input, output, lot).
 */
export const eventEpcs = food.table(
  'event_epcs',
  {
    epc: text('epc').notNull(),
    role: text('role').notNull(),
    hash: text('hash').notNull(),
    eventTime: ms('event_time_ms').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.epc, t.role, t.hash] }),
    index('event_epcs_epc_time_idx').on(t.epc, t.eventTime),
    index('event_epcs_hash_idx').on(t.hash),
  ],
);

/** One capture request (a document, a form, a CSV file): what `GET /food/capture/{id}` reports on. */
export const captures = food.table(
  'captures',
  {
    id: text('id').primaryKey(),
    org: text('org').notNull(),
    source: text('source').notNull(),
    createdAt: ms('created_at_ms').notNull(),
    /** Hashes of the document's events in document order (duplicates included). */
    hashes: jsonb('hashes').$type<string[]>().notNull(),
    duplicates: integer('duplicates').notNull(),
  },
  (t) => [index('captures_org_idx').on(t.org, t.createdAt)],
);

/** API keys of organisations' machine clients: only their SHA-256 is kept. */
export const apiKeys = food.table(
  'api_keys',
  {
    hash: text('hash').primaryKey(),
    org: text('org').notNull(),
    label: text('label').notNull(),
    /** The first characters, to tell keys apart in lists. */
    prefix: text('prefix').notNull(),
    createdAt: ms('created_at_ms').notNull(),
    revokedAt: ms('revoked_at_ms'),
  },
  (t) => [index('api_keys_org_idx').on(t.org)],
);

/** Names of organisations and which account a service key acts for (configuration, not chain). */
export const organisations = food.table('organisations', {
  address: text('address').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['organisation', 'person', 'service', 'monitor'] }).notNull(),
  /** For a service key: the organisation it captures for. */
  actsFor: text('acts_for'),
});

/**
 * What the app's alert rules found (domain/alerts.ts), with the messages and evidence the chain does not
 * keep; `alertId` is the chain alert (`food.raiseAlert`) once the monitor sent it.
 */
export const findings = food.table(
  'findings',
  {
    key: text('key').primaryKey(),
    kind: text('kind').notNull(),
    subject: text('subject').notNull(),
    severity: text('severity', { enum: ['warning', 'critical'] }).notNull(),
    /** Event hashes (hex) or scan ids. */
    evidence: jsonb('evidence').$type<string[]>().notNull(),
    message: jsonb('message').$type<{ 'zh-CN': string; en: string }>().notNull(),
    /** `withdrawn`: its evidence was declared erroneous (its alert, if raised, resolved by the monitor). */
    status: text('status', {
      enum: ['pending', 'sent', 'raised', 'failed', 'unraised', 'withdrawn'],
    }).notNull(),
    alertId: text('alert_id'),
    error: text('error'),
    createdAt: ms('created_at_ms').notNull(),
  },
  (t) => [
    index('findings_status_idx').on(t.status, t.createdAt),
    index('findings_alert_idx').on(t.alertId),
    index('findings_subject_idx').on(t.subject),
  ],
);

/** Consumer scans of a Digital Link (the resolver page): feed the counterfeit rules. */
export const scans = food.table(
  'scans',
  {
    /** 64 hex digits, so it can be cited as alert evidence on chain. */
    id: text('id').primaryKey(),
    /** Canonical identifier scanned (item or lot). */
    epc: text('epc').notNull(),
    time: ms('time_ms').notNull(),
    /** Salted SHA-256 of the client IP (never the IP itself). */
    ipHash: text('ip_hash'),
    /** The scanning client's coarse location (`?lat=&lng=`, rounded to 0.01°), millionths of a degree. */
    latE6: integer('lat_e6'),
    lonE6: integer('lon_e6'),
    /** GLN of the reading point (`?gln=`), located through the registered locations. */
    place: text('place'),
  },
  (t) => [index('scans_epc_time_idx').on(t.epc, t.time)],
);

/** `food.eventErrorDeclared`: error declarations on chain, beside the untouched anchors. */
export const eventErrors = food.table('event_errors', {
  hash: text('hash').primaryKey(),
  declarationTime: ms('declaration_time_ms').notNull(),
  reason: text('reason'),
  corrective: jsonb('corrective').$type<string[]>().notNull(),
  by: text('by').notNull(),
  height: bigint('height', { mode: 'number' }).notNull(),
  eventIndex: integer('event_index').notNull(),
  txId: text('tx_id').notNull(),
});

/** Small facts the app remembers (demo seeded on this chain, …). */
export const meta = food.table('meta', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
});

// ------------------------------------------------------------------------------------------ read models

/** `food.anchored`: which event hashes are on chain, where (block height, event index) and by whom. */
export const anchors = food.table(
  'anchors',
  {
    hash: text('hash').primaryKey(),
    eventType: text('event_type').notNull(),
    bizStep: text('biz_step'),
    epcCount: integer('epc_count').notNull(),
    by: text('by').notNull(),
    height: bigint('height', { mode: 'number' }).notNull(),
    /** The `anchored` event's index in its block: `/chain/v1/events/{height}/{index}/proof`. */
    eventIndex: integer('event_index').notNull(),
    txId: text('tx_id').notNull(),
    time: ms('time_ms').notNull(),
  },
  (t) => [index('anchors_by_idx').on(t.by, t.height)],
);

export const products = food.table('products', {
  gtin: text('gtin').primaryKey(),
  name: text('name').notNull(),
  category: text('category').notNull(),
  by: text('by').notNull(),
  height: bigint('height', { mode: 'number' }).notNull(),
  txId: text('tx_id').notNull(),
  eventIndex: integer('event_index').notNull(),
});

export const locations = food.table('locations', {
  gln: text('gln').primaryKey(),
  name: text('name').notNull(),
  latE6: integer('lat_e6'),
  lonE6: integer('lon_e6'),
  by: text('by').notNull(),
  height: bigint('height', { mode: 'number' }).notNull(),
  txId: text('tx_id').notNull(),
  eventIndex: integer('event_index').notNull(),
});

/**
 * Food roles of accounts: from `identity.roleGranted/roleRevoked` (source `chain`) and, for roles the
 * genesis document granted (no event), read from chain state at start-up (source `genesis`).
 */
export const orgRoles = food.table(
  'org_roles',
  {
    address: text('address').notNull(),
    role: text('role').notNull(),
    source: text('source', { enum: ['chain', 'genesis'] }).notNull(),
    height: bigint('height', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.address, t.role] }), index('org_roles_role_idx').on(t.role)],
);

export const recalls = food.table('recalls', {
  id: text('id').primaryKey(),
  lots: jsonb('lots').$type<string[]>().notNull(),
  reason: text('reason').notNull(),
  by: text('by').notNull(),
  height: bigint('height', { mode: 'number' }).notNull(),
  eventIndex: integer('event_index').notNull(),
  txId: text('tx_id').notNull(),
  time: ms('time_ms').notNull(),
});

/**
 * Lots a recall concerns: those it names on chain (`named`) and, flagged by the indexer when the recall
 * was applied, every lot downstream of them in the events stored then (`trace`), with whether it reached
 * retail and how the recalled lot got into it.
 */
export const recalledLots = food.table(
  'recalled_lots',
  {
    lot: text('lot').notNull(),
    recallId: text('recall_id').notNull(),
    source: text('source', { enum: ['named', 'trace'] }).notNull(),
    atRetail: boolean('at_retail').notNull(),
    evidence: jsonb('evidence').$type<string[]>().notNull(),
    path: jsonb('path').$type<{ key: string; relation: string; eventId: string }[]>().notNull(),
    time: ms('time_ms').notNull(),
  },
  (t) => [primaryKey({ columns: [t.lot, t.recallId] }), index('recalled_lots_recall_idx').on(t.recallId)],
);

export const alerts = food.table(
  'alerts',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    subject: text('subject').notNull(),
    severity: text('severity').notNull(),
    by: text('by').notNull(),
    height: bigint('height', { mode: 'number' }).notNull(),
    eventIndex: integer('event_index').notNull(),
    txId: text('tx_id').notNull(),
    time: ms('time_ms').notNull(),
    status: text('status', { enum: ['open', 'resolved'] }).notNull(),
    resolution: text('resolution'),
    resolvedBy: text('resolved_by'),
    resolvedAt: ms('resolved_at_ms'),
    resolvedTxId: text('resolved_tx_id'),
  },
  (t) => [index('alerts_status_idx').on(t.status, t.height), index('alerts_subject_idx').on(t.subject)],
);
