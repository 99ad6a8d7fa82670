// The `appkit_ingest` schema: device readings taken in over MQTT, the messages rejected as bad input,
// and the Merkle root of every closed interval. Rows carry a stream name (one per app and feed, e.g.
// `solar.meters`), so apps sharing one database never see each other's rows; a stream with a consumer
// (`consumers`) also has the readings its app has not yet taken in `pending`. Kept apart from the
// `appkit` schema with its own migrations journal. Loaded by drizzle-kit: no database driver here.
import { appSchema } from '@gongxin/db/schema';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  primaryKey,
  serial,
  text,
} from 'drizzle-orm/pg-core';

export const appkitIngest = appSchema('appkit_ingest');

/** bytea as Uint8Array on both drivers (postgres.js gives Buffers, PGlite Uint8Arrays). */
const bytes = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) =>
    value instanceof Uint8Array && !(value instanceof Buffer) ? value : new Uint8Array(value),
});

/** Text compared bytewise: the canonical leaf order must not depend on the server's locale. */
const keyText = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

const ms = (name: string) => bigint(name, { mode: 'number' });

export const readings = appkitIngest.table(
  'readings',
  {
    stream: text('stream').notNull(),
    /** The dedupe key; the primary key is what makes a redelivered message a no-op. */
    key: keyText('key').notNull(),
    device: text('device').notNull(),
    /** The reading's own time (device clock), UTC ms. */
    ts: ms('ts').notNull(),
    /** Start of the interval `ts` falls in, UTC ms. */
    intervalStart: ms('interval_start').notNull(),
    topic: text('topic').notNull(),
    /** The message as received: the Merkle leaf. */
    payload: bytes('payload').notNull(),
    data: jsonb('data'),
    receivedAt: ms('received_at').notNull(),
    /**
     * Which root of its interval first covers it: 0 for the root at close, n for the n-th correction.
     * Null until then; a reading still null after its interval closed arrived late.
     */
    revision: integer('revision'),
  },
  (t) => [
    primaryKey({ columns: [t.stream, t.key] }),
    index('readings_stream_interval').on(t.stream, t.intervalStart, t.revision),
    // What a stream received after a cursor (solar's aggregation reads the last minute's arrivals every
    // pass): without it that read walks every reading ever stored.
    index('readings_stream_received').on(t.stream, t.receivedAt),
  ],
);

export const rejected = appkitIngest.table(
  'rejected',
  {
    id: serial('id').primaryKey(),
    stream: text('stream').notNull(),
    topic: text('topic').notNull(),
    payload: bytes('payload').notNull(),
    reason: text('reason').notNull(),
    message: text('message').notNull(),
    receivedAt: ms('received_at').notNull(),
  },
  (t) => [index('rejected_stream_received').on(t.stream, t.receivedAt)],
);

export const intervals = appkitIngest.table(
  'intervals',
  {
    stream: text('stream').notNull(),
    intervalStart: ms('interval_start').notNull(),
    /** 0 for the root at close; each correction (late readings) adds a revision over the whole interval. */
    revision: integer('revision').notNull(),
    intervalEnd: ms('interval_end').notNull(),
    /** RFC 6962 Merkle root (SHA-256) over the interval's payloads in key order. */
    root: bytes('root').notNull(),
    leaves: integer('leaves').notNull(),
    closedAt: ms('closed_at').notNull(),
    /** Set once the root is in the outbox; a root closed but not handed over is handed over on restart. */
    handedOver: boolean('handed_over').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.stream, t.intervalStart, t.revision] }),
    index('intervals_pending').on(t.stream, t.handedOver),
  ],
);

/**
 * One row per feed: the tag its MQTT client ids and shared-subscription group carry, drawn at random by
 * the first process that takes the feed in. Replicas on one database share it; another deployment (or a
 * test's fresh database) on the same broker gets its own, so they never take each other's sessions or
 * messages.
 */
export const feeds = appkitIngest.table('feeds', {
  stream: text('stream').primaryKey(),
  tag: text('tag').notNull(),
});

/**
 * The member numbers a feed's replicas have subscribed as. A member's broker session outlives its
 * process (persistent, and a share of the group's messages keeps queueing for it), so the sweeper drains
 * and removes the session of every member no replica holds, then its row.
 */
export const members = appkitIngest.table(
  'members',
  {
    stream: text('stream').notNull(),
    member: integer('member').notNull(),
    since: ms('since').notNull(),
  },
  (t) => [primaryKey({ columns: [t.stream, t.member] })],
);

/**
 * The streams whose app takes each reading once (see src/ingest/pending.ts): every reading stored in one
 * of them is added to `pending` in the same statement, by a trigger on `readings`.
 */
export const consumers = appkitIngest.table('consumers', {
  stream: text('stream').primaryKey(),
  since: ms('since').notNull(),
});

/**
 * The readings of a consumed stream its app has not taken yet: what it has to do, kept apart from the
 * ever-growing `readings` so finding it costs what is pending, not what is stored. The trigger adds each
 * new reading; the app deletes it in the transaction that records what it did with it.
 */
export const pending = appkitIngest.table(
  'pending',
  {
    stream: text('stream').notNull(),
    key: keyText('key').notNull(),
    /** The reading's device time: the consumer takes the oldest first. */
    ts: ms('ts').notNull(),
  },
  (t) => [primaryKey({ columns: [t.stream, t.key] }), index('pending_stream_ts').on(t.stream, t.ts, t.key)],
);
