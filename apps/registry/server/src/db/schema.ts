// The registry app's tables, all in the Postgres schema `registry`. Read models of the chain, written only by
// the indexer (src/indexer.ts) from `registry.*` events: enterprises with their names for search (current
// and previous, with pinyin), filings, annual reports, listing records, notices, certificates, supply and
// demand posts, and the change feed (every registry event once, in chain order). `reset` empties exactly
// these, so a rebuild replays them from genesis. Read by drizzle-kit: no driver imports here. Times are ms
// since the epoch (bigint, read as number); amounts are bigint fen.
import { appSchema, money } from '@gongxin/db/schema';
import { bigint, index, integer, jsonb, primaryKey, text } from 'drizzle-orm/pg-core';

export const registry = appSchema('registry');

const ms = (name: string) => bigint(name, { mode: 'number' });
const height = () => bigint('height', { mode: 'number' }).notNull();

export const enterprises = registry.table(
  'enterprises',
  {
    uscc: text('uscc').primaryKey(),
    name: text('name').notNull(),
    previousNames: jsonb('previous_names').$type<string[]>().notNull(),
    legalForm: text('legal_form').notNull(),
    capital: money('capital').notNull(),
    representative: text('representative').notNull(),
    address: text('address'),
    industry: text('industry').notNull(),
    /** GB/T 2260 region of the registering authority (from the USCC), for statistics. */
    region: text('region').notNull(),
    establishedOn: text('established_on').notNull(),
    authority: text('authority').notNull(),
    life: text('life', { enum: ['pending', 'active', 'revoked', 'deregistered', 'merged'] }).notNull(),
    listingStatus: text('listing_status', { enum: ['normal', 'abnormal', 'serious'] }).notNull(),
    successor: text('successor'),
    height: height(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
    updatedHeight: bigint('updated_height', { mode: 'number' }).notNull(),
    /** For an enterprise migrated from a legacy register: its import batch and leaf index there. */
    importBatch: text('import_batch'),
    importIndex: integer('import_index'),
  },
  (t) => [
    index('enterprises_life').on(t.life, t.height),
    index('enterprises_representative').on(t.representative),
    index('enterprises_industry').on(t.industry),
  ],
);

/**
 * Every name an enterprise has borne, with its pinyin (full, no tones, no spaces) and initials: what name
 * and pinyin search look up by prefix (text_pattern_ops indexes in the migration).
 */
export const enterpriseNames = registry.table(
  'enterprise_names',
  {
    uscc: text('uscc').notNull(),
    name: text('name').notNull(),
    current: integer('current').notNull(),
    pinyin: text('pinyin').notNull(),
    initials: text('initials').notNull(),
  },
  (t) => [primaryKey({ columns: [t.uscc, t.name] })],
);

export const filings = registry.table(
  'filings',
  {
    id: text('id').primaryKey(),
    uscc: text('uscc').notNull(),
    kind: text('kind').notNull(),
    fields: jsonb('fields').$type<string[]>().notNull(),
    effectiveOn: text('effective_on').notNull(),
    successor: text('successor'),
    status: text('status', { enum: ['pending', 'accepted', 'rejected'] }).notNull(),
    reason: text('reason'),
    decidedBy: text('decided_by'),
    height: height(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
  },
  (t) => [index('filings_status').on(t.status, t.height), index('filings_uscc').on(t.uscc)],
);

export const reports = registry.table(
  'reports',
  {
    uscc: text('uscc').notNull(),
    year: integer('year').notNull(),
    hash: text('hash').notNull(),
    late: integer('late').notNull(),
    height: height(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
  },
  (t) => [primaryKey({ columns: [t.uscc, t.year] })],
);

/** Listing events: listed, noticed (60 days before 严重违法), serious, delisted. */
export const listingEvents = registry.table(
  'listing_events',
  {
    height: height(),
    eventIndex: integer('event_index').notNull(),
    uscc: text('uscc').notNull(),
    kind: text('kind', { enum: ['listed', 'noticed', 'serious', 'delisted'] }).notNull(),
    cause: text('cause').notNull(),
    effectiveAt: ms('effective_at').notNull(),
    status: text('status'),
    txId: text('tx_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.height, t.eventIndex] }), index('listing_events_uscc').on(t.uscc)],
);

export const notices = registry.table(
  'notices',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    uscc: text('uscc'),
    title: text('title').notNull(),
    bodyHash: text('body_hash').notNull(),
    decisionNo: text('decision_no'),
    violation: text('violation'),
    penalties: jsonb('penalties').$type<string[]>().notNull(),
    fine: money('fine'),
    from: text('from').notNull(),
    until: text('until').notNull(),
    by: text('by').notNull(),
    height: height(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
  },
  (t) => [index('notices_height').on(t.height), index('notices_uscc').on(t.uscc)],
);

export const certificates = registry.table(
  'certificates',
  {
    id: text('id').primaryKey(),
    no: text('no').notNull(),
    issuer: text('issuer').notNull(),
    holder: text('holder').notNull(),
    scheme: text('scheme').notNull(),
    scope: text('scope').notNull(),
    standard: text('standard').notNull(),
    product: text('product').notNull(),
    industry: text('industry').notNull(),
    classification: text('classification').notNull(),
    validFrom: ms('valid_from').notNull(),
    validUntil: ms('valid_until').notNull(),
    status: text('status', { enum: ['valid', 'suspended', 'revoked', 'cancelled'] }).notNull(),
    height: height(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
  },
  (t) => [index('certificates_holder').on(t.holder), index('certificates_no').on(t.no)],
);

export const posts = registry.table(
  'posts',
  {
    id: text('id').primaryKey(),
    uscc: text('uscc').notNull(),
    kind: text('kind', { enum: ['offer', 'need'] }).notNull(),
    industry: text('industry').notNull(),
    classification: text('classification').notNull(),
    item: text('item').notNull(),
    quantity: money('quantity').notNull(),
    unit: text('unit').notNull(),
    region: text('region').notNull(),
    deliverFrom: text('deliver_from').notNull(),
    deliverUntil: text('deliver_until').notNull(),
    priceMin: money('price_min').notNull(),
    priceMax: money('price_max').notNull(),
    status: text('status', { enum: ['open', 'closed'] }).notNull(),
    height: height(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
  },
  (t) => [index('posts_status').on(t.status, t.kind, t.height), index('posts_uscc').on(t.uscc)],
);

/** The change feed: every registry event once, keyed by its chain position (height, index in block). */
export const changes = registry.table(
  'changes',
  {
    height: height(),
    eventIndex: integer('event_index').notNull(),
    name: text('name').notNull(),
    uscc: text('uscc'),
    /** When the change holds (block time, or the deadline it records). */
    effectiveAt: ms('effective_at').notNull(),
    attrs: jsonb('attrs').notNull(),
    txId: text('tx_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.height, t.eventIndex] }), index('changes_uscc').on(t.uscc, t.height)],
);

/** The read models the indexer owns (emptied by reset, rebuilt from genesis). */
export const readModels = [
  enterprises,
  enterpriseNames,
  filings,
  reports,
  listingEvents,
  notices,
  certificates,
  posts,
  changes,
];
