// Blocks and txs: lists from the read models (newest first, keyset-paged on the primary keys), single
// records from the node.
import type { ChainClient, TxJson } from '@gongxin/client';
import { ChainError } from '@gongxin/client';
import { type Db, queryRows } from '@gongxin/db';
import type { JsonValue } from '@gongxin/ledger';
import { desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import { blocks } from '../db/schema';
import { decimalsOf, symbolsIn } from './chain';
import { type EventSummary, firstEventsOfTx } from './events';

export interface BlockListItem {
  height: number;
  hash: string;
  time: number;
  txCount: number;
  failedTxs: number;
  eventCount: number;
  proposer: string;
  intervalMs: number | null;
}

export interface TxListItem {
  id: string;
  height: number;
  index: number;
  time: number;
  sender: string | null;
  ok: boolean;
  code: string | null;
  eventCount: number;
  /** The first few events: what the tx did. */
  events: EventSummary[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export async function latestBlocks(db: Db, limit: number, before?: number): Promise<Page<BlockListItem>> {
  const rows = await db
    .select({
      height: blocks.height,
      hash: blocks.hash,
      time: blocks.time,
      txCount: blocks.txCount,
      failedTxs: blocks.failedTxs,
      eventCount: blocks.eventCount,
      proposer: blocks.proposer,
      intervalMs: blocks.intervalMs,
    })
    .from(blocks)
    .where(before === undefined ? undefined : lt(blocks.height, before))
    .orderBy(desc(blocks.height))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.height) : null };
}

interface TxRowSql {
  id: string;
  height: bigint;
  idx: number;
  time: bigint;
  sender: string | null;
  ok: boolean;
  code: string | null;
  event_count: number;
  events: EventSummary[];
}

const txItem = (r: TxRowSql): TxListItem => ({
  id: r.id,
  height: Number(r.height),
  index: r.idx,
  time: Number(r.time),
  sender: r.sender,
  ok: r.ok,
  code: r.code,
  eventCount: r.event_count,
  events: r.events,
});

/**
 * The page of txs picked by `where` and `order` (keys only, from the primary key), then each row's block
 * time and first events by primary-key look-ups. The LIMIT inside keeps the plan a short index scan
 * whatever the planner's statistics say (PGlite never gathers any by itself).
 */
const txRows = (where: SQL, order: SQL, limit: number) =>
  sql`select t.id, t.height, t.idx, b.time, t.sender, t.ok, t.code, t.event_count, ev.events
      from (select * from explorer.txs ${where} order by ${order} limit ${limit}) t
      cross join lateral (select time from explorer.blocks where height = t.height) b
      ${firstEventsOfTx}
      order by ${order}`;

/** `"<height>.<index>"` of the last item: the keyset of txs and moves. */
export function parsePosition(cursor: string | undefined): { height: number; index: number } | null {
  if (cursor === undefined) return null;
  const [height, index] = cursor.split('.').map(Number);
  return { height: height!, index: index! };
}

export async function latestTxs(db: Db, limit: number, cursor?: string): Promise<Page<TxListItem>> {
  const at = parsePosition(cursor);
  const rows = await queryRows<TxRowSql>(
    db,
    txRows(
      at ? sql`where (height, idx) < (${at.height}, ${at.index})` : sql``,
      sql`height desc, idx desc`,
      limit + 1,
    ),
  );
  const items = rows.slice(0, limit).map(txItem);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? `${last.height}.${last.index}` : null };
}

/** Txs of one block in block order, from the tx after `afterIndex`. */
export async function txsOfBlock(
  db: Db,
  height: number,
  limit: number,
  afterIndex?: number,
): Promise<Page<TxListItem>> {
  const rows = await queryRows<TxRowSql>(
    db,
    txRows(
      sql`where height = ${height} ${afterIndex === undefined ? sql`` : sql`and idx > ${afterIndex}`}`,
      sql`idx`,
      limit + 1,
    ),
  );
  const items = rows.slice(0, limit).map(txItem);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? String(last.index) : null };
}

export const eventValues = (items: { events: EventSummary[] }[]): JsonValue[] =>
  items.flatMap((i) => i.events.map((e) => e.attrs));

const HASH = /^(0x)?[0-9a-fA-F]{64}$/;

/** The height of a block named by height or hash; null when the chain has no such block. */
async function heightOf(db: Db, client: ChainClient, ref: string): Promise<number | null> {
  if (!HASH.test(ref)) return Number(ref);
  const hash = ref.replace(/^0x/, '').toLowerCase();
  const [row] = await db.select({ height: blocks.height }).from(blocks).where(eq(blocks.hash, hash));
  if (row) return row.height;
  try {
    return (await client.getBlock(hash)).height;
  } catch (error) {
    if (error instanceof ChainError && error.code === 'not_found') return null;
    throw error;
  }
}

/**
 * A block by height or hash: its header from the node (the header alone: the node's full block would list
 * every tx), and a page of its txs from the read model. null when there is no such block.
 */
export async function blockPage(
  db: Db,
  client: ChainClient,
  ref: string,
  txLimit: number,
  txCursor?: number,
) {
  const height = await heightOf(db, client, ref);
  if (height === null || height < 1) return null;
  const [[header], txs] = await Promise.all([
    client.blockRange(height, 1),
    txsOfBlock(db, height, txLimit, txCursor),
  ]);
  if (!header || header.height !== height) return null;
  return {
    block: header,
    txs,
    // The indexer may not have reached the block yet: the page says so rather than show it empty.
    indexed: header.txCount === 0 || txs.items.length > 0 || txCursor !== undefined,
    decimals: await decimalsOf(db, client, symbolsIn(eventValues(txs.items))),
  };
}

/** A tx as the node has it (body, signature, receipt, events), with the decimals its amounts need. */
export async function txPage(db: Db, client: ChainClient, id: string) {
  const tx: TxJson = await client.getTx(id);
  const values: (JsonValue | undefined)[] = [
    ...(tx.body?.actions ?? []).map((a) => a.params),
    ...tx.events.map((e) => e.attrs),
  ];
  return { tx, decimals: await decimalsOf(db, client, symbolsIn(values)) };
}
