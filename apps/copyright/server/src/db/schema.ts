// The copyright app's tables, all in the Postgres schema `copyright`. Two kinds:
//   off chain, written by the app: uploaded files (the originals stay here, only their hashes and codes
//     go on chain) with the codes the server computed from them, and evidence captures with their receipt;
//   read models of the chain, written only by the indexer (src/indexer.ts) from `copyright.*` events:
//     works, their parties and content codes, licences, listings, purchases and royalty payments,
//     transfers and pledges. `reset` empties exactly these, so a rebuild replays them from genesis.
// Read by drizzle-kit: no driver imports here. Times are ms since the epoch (bigint, read as number).
import { appSchema, money } from '@gongxin/db/schema';
import { sql } from 'drizzle-orm';
import { bigint, customType, index, integer, jsonb, primaryKey, text } from 'drizzle-orm/pg-core';

export const copyright = appSchema('copyright');

const ms = (name: string) => bigint(name, { mode: 'number' });
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => new Uint8Array(v),
});

export interface GrantJson {
  rights: string[];
  territory: string[];
  from: number;
  until?: number;
}
export interface OwnerJson {
  address: string;
  share: number;
}

// ------------------------------------------------------------------------------------------ off chain

/** An uploaded file, keyed by its SHA-256 (what a registration names), with the codes computed here. */
export const files = copyright.table('files', {
  sha256: text('sha256').primaryKey(),
  mediaType: text('media_type').notNull(),
  size: integer('size').notNull(),
  /** Name as uploaded (for people; nothing depends on it). */
  name: text('name'),
  bytes: bytea('bytes').notNull(),
  /** ISCC units the server computed from the bytes: content (text or image), data, instance. */
  codes: jsonb('codes').$type<string[]>().notNull(),
  /** `@gongxin/iscc <version>` and the extractor or decoder used. */
  tool: text('tool').notNull(),
  uploadedBy: text('uploaded_by'),
  uploadedAt: ms('uploaded_at').notNull(),
});

/** An evidence capture: the bundle's files stay on disk or here; the receipt proves them. */
export const evidence = copyright.table(
  'evidence',
  {
    root: text('root').primaryKey(),
    url: text('url').notNull(),
    capturedAt: text('captured_at').notNull(),
    workId: text('work_id'),
    requestedBy: text('requested_by'),
    manifest: jsonb('manifest').notNull(),
    /** The offline receipt; null while the anchor is pending in the outbox. */
    receipt: jsonb('receipt'),
    files: jsonb('files').$type<Record<string, string>>().notNull(),
  },
  // Evidence found by a file one holds (evidence.byFile): its manifest's files, by containment.
  (t) => [
    index('evidence_manifest_files').using('gin', sql`(${t.manifest} -> 'files') jsonb_path_ops`),
    // Captures made for a work (evidence.byWork, and evidence.byFile through the work's files).
    index('evidence_work').on(t.workId),
  ],
);

// ------------------------------------------------------------------------------------------ read models

export const works = copyright.table(
  'works',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    category: text('category').notNull(),
    applicant: text('applicant').notNull(),
    authors: jsonb('authors').$type<string[]>().notNull(),
    owners: jsonb('owners').$type<OwnerJson[]>().notNull(),
    files: jsonb('files').$type<string[]>().notNull(),
    codes: jsonb('codes').$type<string[]>().notNull(),
    status: text('status', { enum: ['pending', 'registered', 'rejected'] }).notNull(),
    regNo: text('reg_no'),
    reviewReason: text('review_reason'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: ms('reviewed_at'),
    /** Exclusive end of the economic rights; null while an author lives (or before review). */
    protectionUntil: ms('protection_until'),
    height: bigint('height', { mode: 'number' }).notNull(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
  },
  (t) => [
    index('works_status').on(t.status, t.height),
    index('works_reg_no').on(t.regNo),
    // Works holding a file (evidence.byFile, works by file hash): containment in the files array.
    index('works_files').using('gin', t.files.op('jsonb_path_ops')),
  ],
);

/** Who is named on a work: its authors, first owners, and everyone rights were transferred to. */
export const workParties = copyright.table(
  'work_parties',
  {
    workId: text('work_id').notNull(),
    address: text('address').notNull(),
    role: text('role', { enum: ['author', 'owner', 'holder', 'applicant'] }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workId, t.address, t.role] }),
    index('work_parties_address').on(t.address),
  ],
);

/** The 64-bit similarity codes of registered files (content and data units), for the Hamming index. */
export const workCodes = copyright.table(
  'work_codes',
  {
    workId: text('work_id').notNull(),
    iscc: text('iscc').notNull(),
    /** `text`, `image`, `data`… (the unit's kind). */
    kind: text('kind').notNull(),
    /** First 64 bits as 16 hex digits. */
    code64: text('code64').notNull(),
    height: bigint('height', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workId, t.iscc] }), index('work_codes_height').on(t.height)],
);

export const licences = copyright.table(
  'licences',
  {
    id: text('id').primaryKey(),
    workId: text('work_id').notNull(),
    licensee: text('licensee').notNull(),
    licensors: jsonb('licensors').$type<string[]>().notNull(),
    grant: jsonb('grant').$type<GrantJson>().notNull(),
    exclusivity: text('exclusivity').notNull(),
    prohibitions: jsonb('prohibitions').$type<string[]>().notNull(),
    duties: jsonb('duties').$type<string[]>().notNull(),
    cc: text('cc'),
    listingId: text('listing_id'),
    status: text('status', { enum: ['active', 'surrendered'] }).notNull(),
    height: bigint('height', { mode: 'number' }).notNull(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
  },
  (t) => [index('licences_work').on(t.workId), index('licences_licensee').on(t.licensee)],
);

export const listings = copyright.table(
  'listings',
  {
    id: text('id').primaryKey(),
    workId: text('work_id').notNull(),
    kind: text('kind', { enum: ['licence', 'rights'] }).notNull(),
    grant: jsonb('grant').$type<GrantJson>().notNull(),
    exclusivity: text('exclusivity').notNull(),
    symbol: text('symbol').notNull(),
    price: money('price').notNull(),
    quantity: integer('quantity').notNull(),
    sold: integer('sold').notNull(),
    sellers: jsonb('sellers').$type<string[]>().notNull(),
    status: text('status', { enum: ['open', 'sold', 'cancelled'] }).notNull(),
    height: bigint('height', { mode: 'number' }).notNull(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
  },
  (t) => [index('listings_status').on(t.status, t.height), index('listings_work').on(t.workId)],
);

export const purchases = copyright.table(
  'purchases',
  {
    height: bigint('height', { mode: 'number' }).notNull(),
    eventIndex: integer('event_index').notNull(),
    listingId: text('listing_id').notNull(),
    workId: text('work_id').notNull(),
    buyer: text('buyer').notNull(),
    symbol: text('symbol').notNull(),
    price: money('price').notNull(),
    licenceId: text('licence_id'),
    filing: text('filing'),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
  },
  (t) => [primaryKey({ columns: [t.height, t.eventIndex] }), index('purchases_buyer').on(t.buyer)],
);

/** One row per owner paid from a purchase (royalties split by share, to the fen). */
export const royalties = copyright.table(
  'royalties',
  {
    height: bigint('height', { mode: 'number' }).notNull(),
    eventIndex: integer('event_index').notNull(),
    position: integer('position').notNull(),
    listingId: text('listing_id').notNull(),
    to: text('to').notNull(),
    symbol: text('symbol').notNull(),
    amount: money('amount').notNull(),
    share: integer('share').notNull(),
    /** The purchase's tx, which paid it (null only until a read model from before it is rebuilt). */
    txId: text('tx_id'),
    time: ms('time').notNull(),
  },
  (t) => [primaryKey({ columns: [t.height, t.eventIndex, t.position] }), index('royalties_to').on(t.to)],
);

export const transfers = copyright.table(
  'transfers',
  {
    filing: text('filing').primaryKey(),
    workId: text('work_id').notNull(),
    grant: jsonb('grant').$type<GrantJson>().notNull(),
    from: jsonb('from').$type<OwnerJson[]>().notNull(),
    to: jsonb('to').$type<OwnerJson[]>().notNull(),
    reason: text('reason').notNull(),
    height: bigint('height', { mode: 'number' }).notNull(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
  },
  (t) => [index('transfers_work').on(t.workId)],
);

export const pledges = copyright.table(
  'pledges',
  {
    id: text('id').primaryKey(),
    workId: text('work_id').notNull(),
    grant: jsonb('grant').$type<GrantJson>().notNull(),
    pledgee: text('pledgee').notNull(),
    pledgors: jsonb('pledgors').$type<string[]>().notNull(),
    symbol: text('symbol').notNull(),
    amount: money('amount').notNull(),
    dueAt: ms('due_at').notNull(),
    rank: integer('rank').notNull(),
    status: text('status', { enum: ['active', 'released', 'enforced'] }).notNull(),
    height: bigint('height', { mode: 'number' }).notNull(),
    time: ms('time').notNull(),
  },
  (t) => [index('pledges_work').on(t.workId)],
);

/** The read models the indexer owns (emptied by reset, rebuilt from genesis). */
export const readModels = [
  works,
  workParties,
  workCodes,
  licences,
  listings,
  purchases,
  royalties,
  transfers,
  pledges,
];
