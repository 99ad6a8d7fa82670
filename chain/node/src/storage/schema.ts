// The node's tables, in the `chain` schema: committed blocks with their certificates, every tx and
// event (both as canonical bytes, the source of truth, and as columns to query), the state, the validator
// sets by height, the consensus write-ahead log and chain metadata. Imported by drizzle-kit: no drivers here.
import { appSchema } from '@gongxin/db';
import { sql } from 'drizzle-orm';
import { bigint, boolean, customType, index, integer, primaryKey, serial, text } from 'drizzle-orm/pg-core';

export const chain = appSchema('chain');

/** bytea as Uint8Array on both drivers (postgres.js gives Buffers, PGlite Uint8Arrays). */
export const bytes = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) =>
    value instanceof Uint8Array && !(value instanceof Buffer) ? value : new Uint8Array(value),
});

/** Text compared bytewise, so `LIKE 'prefix%'` range scans use the index whatever the server's locale. */
const keyText = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

const height = (name = 'height') => bigint(name, { mode: 'number' });

export const blocks = chain.table(
  'blocks',
  {
    height: height().primaryKey(),
    hash: bytes('hash').notNull(),
    time: bigint('time', { mode: 'number' }).notNull(),
    proposer: bytes('proposer').notNull(),
    round: integer('round').notNull(),
    txCount: integer('tx_count').notNull(),
    eventCount: integer('event_count').notNull(),
    header: bytes('header').notNull(),
    certificate: bytes('certificate').notNull(),
  },
  (t) => [index('blocks_hash').using('hash', t.hash)],
);

export const txs = chain.table(
  'txs',
  {
    height: height().notNull(),
    index: integer('index').notNull(),
    hash: bytes('hash').notNull(),
    sender: text('sender'),
    nonce: bigint('nonce', { mode: 'number' }),
    ok: boolean('ok').notNull(),
    code: text('code'),
    message: text('message'),
    firstEvent: integer('first_event').notNull(),
    eventCount: integer('event_count').notNull(),
    bytes: bytes('bytes').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.height, t.index] }),
    index('txs_hash').using('hash', t.hash),
    index('txs_sender').on(t.sender, t.height),
  ],
);

export const events = chain.table(
  'events',
  {
    height: height().notNull(),
    index: integer('index').notNull(),
    txIndex: integer('tx_index').notNull(),
    txHash: bytes('tx_hash').notNull(),
    contract: text('contract').notNull(),
    name: text('name').notNull(),
    /**
     * The attributes as the API shows them (JSON text: bigints as decimal strings, bytes as 0x-hex), kept
     * because the canonical bytes cannot tell a bigint from a small number. Text, not jsonb: no query
     * looks inside, and parsing jsonb was a third of the cost of storing an event. `bytes` is exact.
     */
    attrs: text('attrs').notNull(),
    bytes: bytes('bytes').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.height, t.index] }),
    // Events of a tx are found from its txs row (height, first_event, event_count): no index on tx_hash.
    index('events_kind').on(t.contract, t.name, t.height),
  ],
);

export const state = chain.table('state', {
  key: keyText('key').primaryKey(),
  value: bytes('value').notNull(),
  height: height().notNull(),
});

export const validatorSets = chain.table('validator_sets', {
  /** First height this set signs. */
  height: height().primaryKey(),
  hash: bytes('hash').notNull(),
  validators: bytes('validators').notNull(),
});

export const wal = chain.table(
  'wal',
  {
    id: serial('id').primaryKey(),
    height: height().notNull(),
    record: bytes('record').notNull(),
  },
  (t) => [index('wal_height').on(t.height)],
);

export const meta = chain.table('meta', {
  key: keyText('key').primaryKey(),
  value: bytes('value').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' })
    .notNull()
    .default(sql`(extract(epoch from now()) * 1000)::bigint`),
});
