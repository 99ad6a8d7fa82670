// The explorer's read models, all in the Postgres schema `explorer`. Read by drizzle-kit: no driver
// imports here. Everything is derived from committed blocks by the indexer (src/indexer) and must equal a
// rebuild from genesis; every list a page shows has an index that serves it newest-first with a keyset.
import { appSchema, money } from '@gongxin/db/schema';
import type { JsonValue } from '@gongxin/ledger';
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

export const explorer = appSchema('explorer');

const height = (name = 'height') => bigint(name, { mode: 'number' });

/** One row per committed block: what the block list and the health charts need without the node. */
export const blocks = explorer.table(
  'blocks',
  {
    height: height().primaryKey(),
    hash: text('hash').notNull(),
    /** ms since the epoch (the proposer's time in the header). */
    time: bigint('time', { mode: 'number' }).notNull(),
    txCount: integer('tx_count').notNull(),
    failedTxs: integer('failed_txs').notNull(),
    eventCount: integer('event_count').notNull(),
    /** The proposer's public key (hex). */
    proposer: text('proposer').notNull(),
    round: integer('round').notNull(),
    /** Time since the previous block; null for block 1 when the genesis time is unknown. */
    intervalMs: bigint('interval_ms', { mode: 'number' }),
    /** Txs in blocks 1..height: txs per second over any window is two look-ups. */
    txsTotal: bigint('txs_total', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('blocks_hash').on(t.hash), index('blocks_time').on(t.time)],
);

/** Every tx: who sent it, whether it failed, and where its events are (lists show what it did through them). */
export const txs = explorer.table(
  'txs',
  {
    height: height().notNull(),
    index: integer('idx').notNull(),
    id: text('id').notNull(),
    /** null for a tx the block refused before execution. */
    sender: text('sender'),
    ok: boolean('ok').notNull(),
    code: text('code'),
    /** The block index of its first event (every tx has one: a failed tx has `core.tx.failed`). */
    firstEvent: integer('first_event'),
    eventCount: integer('event_count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.height, t.index] }), uniqueIndex('txs_id').on(t.id)],
);

/** Every event, by its position in its block. */
export const events = explorer.table(
  'events',
  {
    height: height().notNull(),
    index: integer('idx').notNull(),
    txIndex: integer('tx_index').notNull(),
    txId: text('tx_id').notNull(),
    contract: text('contract').notNull(),
    name: text('name').notNull(),
    attrs: jsonb('attrs').$type<JsonValue>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.height, t.index] }),
    // A channel's opening by its id: the parties of a settlement, whose event names only the channel.
    index('events_channel_opened')
      .on(sql`(${t.attrs}->>'id')`)
      .where(sql`${t.contract} = 'channels' and ${t.name} = 'opened'`),
  ],
);

/**
 * An account's activity: each tx it sent (`event_index` = -1) and each event naming it in any attribute
 * (`roles` lists which: `to`, `subject`, …). The primary key is also the newest-first keyset.
 */
export const activity = explorer.table(
  'activity',
  {
    address: text('address').notNull(),
    height: height().notNull(),
    txIndex: integer('tx_index').notNull(),
    eventIndex: integer('event_index').notNull(),
    roles: text('roles').notNull(),
  },
  (t) => [primaryKey({ columns: [t.address, t.height, t.txIndex, t.eventIndex] })],
);

/**
 * Assets as their events describe them. The definition columns are null for an asset created by a genesis
 * document the explorer was not given: it is known from its first balance event, the node has the rest.
 */
export const assets = explorer.table('assets', {
  symbol: text('symbol').primaryKey(),
  name: text('name'),
  decimals: integer('decimals'),
  issuer: text('issuer'),
  policy: text('policy'),
  supply: money('supply').notNull(),
  /** Accounts holding more than nothing. */
  holders: integer('holders').notNull(),
  /** Mints, transfers, burns, locks and unlocks. */
  moves: bigint('moves', { mode: 'number' }).notNull(),
  /** 0: created by the genesis document; null: definition not seen (see above). */
  issuedHeight: height('issued_height'),
  issuedTx: text('issued_tx'),
});

/** Balances as the balance events move them (seeded from the genesis document when the host gives it). */
export const balances = explorer.table(
  'balances',
  {
    symbol: text('symbol').notNull(),
    address: text('address').notNull(),
    amount: money('amount').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.symbol, t.address] }),
    index('balances_top').on(t.symbol, t.amount.desc(), t.address),
  ],
);

/** Every movement of units: mint, transfer, burn, lock (into a red packet), unlock. */
export const assetMoves = explorer.table(
  'asset_moves',
  {
    height: height().notNull(),
    index: integer('idx').notNull(),
    symbol: text('symbol').notNull(),
    kind: text('kind', { enum: ['mint', 'transfer', 'burn', 'lock', 'unlock'] }).notNull(),
    from: text('from_address'),
    to: text('to_address'),
    amount: money('amount').notNull(),
    txId: text('tx_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.height, t.index] }),
    index('asset_moves_symbol').on(t.symbol, t.height.desc(), t.index.desc()),
  ],
);

export const dids = explorer.table(
  'dids',
  {
    address: text('address').primaryKey(),
    did: text('did').notNull(),
    kind: text('kind'),
    /** 0: registered by the genesis document; null: seen only through later events. */
    registeredHeight: height('registered_height'),
    registeredTx: text('registered_tx'),
    attestation: text('attestation', { enum: ['none', 'live', 'revoked'] }).notNull(),
    attestedBy: text('attested_by'),
    attestedHeight: height('attested_height'),
    /** `<app>/<role>`, sorted. */
    roles: text('roles').array().notNull().default(sql`'{}'::text[]`),
    keyRotations: integer('key_rotations').notNull(),
  },
  (t) => [uniqueIndex('dids_did').on(t.did)],
);

/** Identity events per subject, for a DID's timeline. */
export const didHistory = explorer.table(
  'did_history',
  {
    address: text('address').notNull(),
    height: height().notNull(),
    index: integer('idx').notNull(),
    name: text('name').notNull(),
    txId: text('tx_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.address, t.height, t.index] })],
);

/** Who proposed how many blocks, and when last: the "online" signal for the validator list. */
export const validatorStats = explorer.table('validator_stats', {
  key: text('key').primaryKey(),
  proposed: bigint('proposed', { mode: 'number' }).notNull(),
  lastHeight: height('last_height').notNull(),
  lastTime: bigint('last_time', { mode: 'number' }).notNull(),
});
