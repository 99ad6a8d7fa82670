// The channel node's tables, in the `channel_node` schema. The log is the node's only durable state: the
// machine restarts from its records alone. One row per write the machine asked for, holding that write's
// records canonically encoded; several writes go into the database together as one transaction (group
// commit). Several nodes may share a database: every row names its node. Imported by drizzle-kit: no
// drivers here.
import { appSchema } from '@gongxin/db';
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  customType,
  index,
  integer,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

export const channelNode = appSchema('channel_node');

/** bytea as Uint8Array on both drivers (postgres.js gives Buffers, PGlite Uint8Arrays). */
export const bytes = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) =>
    value instanceof Uint8Array && !(value instanceof Buffer) ? value : new Uint8Array(value),
});

export const log = channelNode.table(
  'log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    node: text('node').notNull(),
    records: bytes('records').notNull(),
  },
  (t) => [index('log_node_id').on(t.node, t.id)],
);

/** How far the node has read the chain's channel events (the block height of the last one it applied). */
export const cursor = channelNode.table('cursor', {
  node: text('node').primaryKey(),
  height: bigint('height', { mode: 'number' }).notNull(),
});

/**
 * A watcher's store: for each client (the party it defends), channel and asset, ONE proof — the newest of
 * the peer's payments the client countersigned — so it grows with channels, never with payments.
 */
export const watchProof = channelNode.table(
  'watch_proof',
  {
    watcher: text('watcher').notNull(),
    client: text('client').notNull(),
    channel: text('channel').notNull(),
    asset: text('asset').notNull(),
    nonce: bigint('nonce', { mode: 'number' }).notNull(),
    item: bytes('item').notNull(),
  },
  (t) => [primaryKey({ columns: [t.watcher, t.client, t.channel, t.asset] })],
);

/** Preimages a watcher puts on chain before their lock's expiry unless the client reports the lock paid. */
export const watchPreimage = channelNode.table(
  'watch_preimage',
  {
    watcher: text('watcher').notNull(),
    hashlock: text('hashlock').notNull(),
    item: bytes('item').notNull(),
  },
  (t) => [primaryKey({ columns: [t.watcher, t.hashlock] })],
);

/**
 * The node's finished payments, newest last (`seq` grows per node): the history the API pages through.
 * The node keeps only the most recent ones in memory; the rest are read from here when asked for.
 * Written in the log's group commits, so they add no transactions of their own. An outgoing payment's
 * outcome is one row per attempt (`attempt`; null for incoming payments and rows written before it was
 * kept): a restarted node that hears an outcome again (the newest batch is sent again at start-up, and
 * its acknowledgement reports what it carried) adds no second row.
 */
export const payment = channelNode.table(
  'payment',
  {
    node: text('node').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    id: text('id').notNull(),
    direction: text('direction').notNull(),
    asset: text('asset').notNull(),
    amount: text('amount').notNull(),
    outcome: text('outcome').notNull(),
    hops: integer('hops'),
    reason: text('reason'),
    at: bigint('at', { mode: 'number' }).notNull(),
    attempt: integer('attempt'),
  },
  (t) => [
    primaryKey({ columns: [t.node, t.seq] }),
    uniqueIndex('payment_out_attempt').on(t.node, t.id, t.attempt).where(sql`${t.direction} = 'out'`),
  ],
);

/**
 * The newest checkpoint of each node's log (`RecordFold` of @gongxin/channels): records that restore the
 * machine as every log row of the node up to `upTo` does. A restart reads it and only the rows after
 * `upTo`. Written in the log's commit that reaches the checkpoint interval, replacing the one before;
 * the log rows it stands for stay.
 */
export const checkpoint = channelNode.table('checkpoint', {
  node: text('node').primaryKey(),
  /** The last log row (`log.id`) it stands for. */
  upTo: bigint('up_to', { mode: 'number' }).notNull(),
  /** Its records, canonically encoded as a log row's are. */
  records: bytes('records').notNull(),
  /** How many records it holds. */
  count: integer('count').notNull(),
  /** When it was taken (ms). */
  at: bigint('at', { mode: 'number' }).notNull(),
});
