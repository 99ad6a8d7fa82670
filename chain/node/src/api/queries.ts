// Read-only queries of the chain tables for the API. Every query is answered from an index of the schema:
// blocks by height (primary key) or hash (hash index), txs by (height, index) or id (hash index) or sender
// (sender, height), events by (height, index) or (contract, name, height), state by key. Lists page with
// keyset cursors on (height, index), never OFFSET, so page 10,000 costs what page 1 does.
import { type Db, queryRows } from '@gongxin/db';
import { and, asc, desc, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import * as t from '../storage/schema';
import type { Position } from './json';

export type BlockRow = typeof t.blocks.$inferSelect;
export type TxRow = typeof t.txs.$inferSelect;
export type EventRow = typeof t.events.$inferSelect;
export type StateRow = typeof t.state.$inferSelect;

/** A tx row without its (up to 64 KiB) wire bytes. */
export type TxListRow = Pick<TxRow, 'height' | 'index' | 'hash' | 'sender' | 'ok' | 'code'>;

// ---------------------------------------------------------------------------------------- blocks

export async function blockRowAt(db: Db, height: number): Promise<BlockRow | undefined> {
  const [row] = await db.select().from(t.blocks).where(eq(t.blocks.height, height));
  return row;
}

export async function blockRowByHash(db: Db, hash: Uint8Array): Promise<BlockRow | undefined> {
  const [row] = await db.select().from(t.blocks).where(eq(t.blocks.hash, hash)).limit(1);
  return row;
}

export async function latestBlockRows(db: Db, limit: number): Promise<BlockRow[]> {
  return db.select().from(t.blocks).orderBy(desc(t.blocks.height)).limit(limit);
}

/** Blocks with heights in [from, to], ascending. */
export async function blockRowsBetween(db: Db, from: number, to: number): Promise<BlockRow[]> {
  return db
    .select()
    .from(t.blocks)
    .where(and(gte(t.blocks.height, from), lte(t.blocks.height, to)))
    .orderBy(asc(t.blocks.height));
}

export async function blockHashesAt(db: Db, heights: number[]): Promise<Map<number, BlockRow>> {
  const unique = [...new Set(heights)];
  if (unique.length === 0) return new Map();
  const rows = await db.select().from(t.blocks).where(inArray(t.blocks.height, unique));
  return new Map(rows.map((r) => [r.height, r]));
}

// ---------------------------------------------------------------------------------------- txs

/** The tx with this id; should an id occur twice (a replay recorded as refused), the first one. */
export async function txRowById(db: Db, id: Uint8Array): Promise<TxRow | undefined> {
  const [row] = await db
    .select()
    .from(t.txs)
    .where(eq(t.txs.hash, id))
    .orderBy(asc(t.txs.height), asc(t.txs.index))
    .limit(1);
  return row;
}

export async function txRowAt(db: Db, height: number, index: number): Promise<TxRow | undefined> {
  const [row] = await db
    .select()
    .from(t.txs)
    .where(and(eq(t.txs.height, height), eq(t.txs.index, index)));
  return row;
}

const txListColumns = {
  height: t.txs.height,
  index: t.txs.index,
  hash: t.txs.hash,
  sender: t.txs.sender,
  ok: t.txs.ok,
  code: t.txs.code,
};

export async function txListInBlock(db: Db, height: number): Promise<TxListRow[]> {
  return db.select(txListColumns).from(t.txs).where(eq(t.txs.height, height)).orderBy(asc(t.txs.index));
}

/** The txs of blocks `from`..`to` in chain order, from `after` (exclusive) when given: keyset-paged. */
export async function txListBetween(
  db: Db,
  from: number,
  to: number,
  after: Position | null,
  limit: number,
): Promise<TxListRow[]> {
  const where: SQL[] = [gte(t.txs.height, from), lte(t.txs.height, to)];
  if (after) where.push(sql`(${t.txs.height}, ${t.txs.index}) > (${after.height}, ${after.index})`);
  return db
    .select(txListColumns)
    .from(t.txs)
    .where(and(...where))
    .orderBy(asc(t.txs.height), asc(t.txs.index))
    .limit(limit);
}

/** Wire bytes of a block's txs in block order: the leaves of its tx Merkle tree. */
export async function txBytesInBlock(db: Db, height: number): Promise<Uint8Array[]> {
  const rows = await db
    .select({ bytes: t.txs.bytes })
    .from(t.txs)
    .where(eq(t.txs.height, height))
    .orderBy(asc(t.txs.index));
  return rows.map((r) => r.bytes);
}

/** An account's txs, newest first, strictly before `before` when given. */
export async function txRowsBySender(
  db: Db,
  sender: string,
  before: Position | null,
  limit: number,
): Promise<TxRow[]> {
  const where: SQL[] = [eq(t.txs.sender, sender)];
  if (before) {
    where.push(lte(t.txs.height, before.height));
    where.push(sql`(${t.txs.height}, ${t.txs.index}) < (${before.height}, ${before.index})`);
  }
  return db
    .select()
    .from(t.txs)
    .where(and(...where))
    .orderBy(desc(t.txs.height), desc(t.txs.index))
    .limit(limit);
}

/** The wire bytes of the account's latest tx (it reveals the key the account signs with). */
export async function latestTxBytesOf(db: Db, sender: string): Promise<Uint8Array | undefined> {
  const [row] = await db
    .select({ bytes: t.txs.bytes })
    .from(t.txs)
    .where(eq(t.txs.sender, sender))
    .orderBy(desc(t.txs.height), desc(t.txs.index))
    .limit(1);
  return row?.bytes;
}

// ---------------------------------------------------------------------------------------- events

/** Events [first, first + count) of a block: one tx's events, from the primary key. */
export async function eventRowsOfTx(
  db: Db,
  height: number,
  first: number,
  count: number,
): Promise<EventRow[]> {
  if (count <= 0) return [];
  return db
    .select()
    .from(t.events)
    .where(
      and(eq(t.events.height, height), gte(t.events.index, first), lte(t.events.index, first + count - 1)),
    )
    .orderBy(asc(t.events.index));
}

export async function eventRowAt(db: Db, height: number, index: number): Promise<EventRow | undefined> {
  const [row] = await db
    .select()
    .from(t.events)
    .where(and(eq(t.events.height, height), eq(t.events.index, index)));
  return row;
}

/** Canonical bytes of a block's events in order: the leaves of its event Merkle tree. */
export async function eventBytesInBlock(db: Db, height: number): Promise<Uint8Array[]> {
  const rows = await db
    .select({ bytes: t.events.bytes })
    .from(t.events)
    .where(eq(t.events.height, height))
    .orderBy(asc(t.events.index));
  return rows.map((r) => r.bytes);
}

export interface EventFilter {
  contract?: string;
  name?: string;
  fromHeight?: number;
  toHeight?: number;
}

/**
 * Events matching the filter in (height, index) order, strictly after `after`. With a contract (and
 * name) the (contract, name, height) index answers; without, the primary key in chain order does.
 */
export async function eventRows(
  db: Db,
  filter: EventFilter,
  after: Position | null,
  limit: number,
): Promise<EventRow[]> {
  const where: SQL[] = [];
  if (filter.contract !== undefined) where.push(eq(t.events.contract, filter.contract));
  if (filter.name !== undefined) where.push(eq(t.events.name, filter.name));
  let from = filter.fromHeight ?? 0;
  if (after && after.height > from) from = after.height;
  if (from > 0) where.push(gte(t.events.height, from));
  if (filter.toHeight !== undefined) where.push(lte(t.events.height, filter.toHeight));
  if (after) where.push(sql`(${t.events.height}, ${t.events.index}) > (${after.height}, ${after.index})`);
  return db
    .select()
    .from(t.events)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(t.events.height), asc(t.events.index))
    .limit(limit);
}

// ---------------------------------------------------------------------------------------- state

export async function stateRow(db: Db, key: string): Promise<StateRow | undefined> {
  const [row] = await db.select().from(t.state).where(eq(t.state.key, key));
  return row;
}

export async function stateRows(db: Db, keys: string[]): Promise<Map<string, StateRow>> {
  if (keys.length === 0) return new Map();
  const rows = await db.select().from(t.state).where(inArray(t.state.key, keys));
  return new Map(rows.map((r) => [r.key, r]));
}

function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Whether text comparisons on `chain.state.key` follow byte order (the C collation). PGlite's database
 * is C; a PostgreSQL database created with a language collation is not, and then key ranges must be
 * compared under COLLATE "C" to be right (correct, but the primary key index no longer serves them).
 */
export async function keyOrderIsBytewise(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ collation: string | null }>(
    db,
    sql`
    select coalesce(
      (select c.collname from pg_attribute a join pg_collation c on c.oid = a.attcollation
        where a.attrelid = 'chain.state'::regclass and a.attname = 'key' and c.collname <> 'default'),
      (select datcollate from pg_database where datname = current_database())
    ) as collation`,
  );
  const collation = row?.collation ?? '';
  return collation === 'C' || collation === 'POSIX' || collation === 'ucs_basic';
}

/**
 * State keys `<prefix><segment>/<suffix>` for every distinct `segment` (up to `maxSegments`): a loose
 * index scan that jumps from one segment to the next, so it costs one index probe per segment however
 * many keys each segment holds. For balances, prefix `assets/bal/` and suffix an address give the
 * account's balance in every asset without reading other accounts' balances.
 */
export async function rowsPerSegment(
  db: Db,
  prefix: string,
  suffix: string,
  bytewise: boolean,
  maxSegments = 1000,
): Promise<{ segment: string; row: StateRow }[]> {
  const like = likePrefix(prefix);
  const start = prefix.length + 1;
  // The first key of the next segment is at or after `<prefix><segment>0`: '0' follows '/' in byte order.
  const after = (bound: SQL) =>
    bytewise ? sql`s.key >= ${bound}` : sql`s.key collate "C" >= ${bound} collate "C"`;
  const segmentOf = (key: SQL) => sql`split_part(substr(${key}, ${start}), '/', 1)`;
  const rows = await queryRows<{ segment: string; key: string; value: Uint8Array; height: number | string }>(
    db,
    sql`
    with recursive seg(name, depth) as (
      select ${segmentOf(sql`(select min(s.key) from chain.state s where s.key like ${like})`)}, 1
      union all
      select ${segmentOf(
        sql`(select min(s.key) from chain.state s where s.key like ${like} and ${after(
          sql`${prefix} || seg.name || '0'`,
        )})`,
      )}, seg.depth + 1
      from seg where seg.name is not null and seg.name <> '' and seg.depth < ${maxSegments}
    )
    select seg.name as segment, st.key, st.value, st.height
    from seg join chain.state st on st.key = ${prefix} || seg.name || '/' || ${suffix}
    where seg.name is not null and seg.name <> ''
    order by seg.name`,
  );
  return rows.map((r) => ({
    segment: r.segment,
    row: {
      key: r.key,
      value: new Uint8Array(r.value),
      height: Number(r.height),
    },
  }));
}

// ---------------------------------------------------------------------------------------- meta

export async function metaValue(db: Db, key: string): Promise<Uint8Array | undefined> {
  const [row] = await db.select().from(t.meta).where(eq(t.meta.key, key));
  return row?.value;
}
