// The channel node's tables, in the `channel_node` schema. The log is the node's only durable state: the
// machine restarts from its records alone. One row per write the machine asked for, holding that write's
// records canonically encoded; several writes go into the database together as one transaction (group
// commit). Several nodes may share a database: every row names its node. Imported by drizzle-kit: no
// drivers here.
import { appSchema } from '@gongxin/db';
import { bigint, bigserial, customType, index, text } from 'drizzle-orm/pg-core';

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
