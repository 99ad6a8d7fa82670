// Assets: the list and an asset's page (definition and supply from the node, which is exact even for an
// asset of a genesis document the explorer was not given; holders and movements from the read models).
import type { ChainClient } from '@gongxin/client';
import { type Db, queryRows } from '@gongxin/db';
import { asc, desc, eq, gt, sql } from 'drizzle-orm';
import { assets, balances } from '../db/schema';
import { type Page, parsePosition } from './blocks';
import { stateValue } from './chain';

export interface AssetListItem {
  symbol: string;
  name: string | null;
  decimals: number | null;
  issuer: string | null;
  supply: string;
  holders: number;
  moves: number;
}

export async function listAssets(db: Db, limit: number, after?: string): Promise<Page<AssetListItem>> {
  const rows = await db
    .select({
      symbol: assets.symbol,
      name: assets.name,
      decimals: assets.decimals,
      issuer: assets.issuer,
      supply: assets.supply,
      holders: assets.holders,
      moves: assets.moves,
    })
    .from(assets)
    .where(after === undefined ? undefined : gt(assets.symbol, after))
    .orderBy(asc(assets.symbol))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map((r) => ({ ...r, supply: r.supply.toString() }));
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.symbol : null };
}

export interface MoveItem {
  height: number;
  index: number;
  time: number;
  kind: string;
  from: string | null;
  to: string | null;
  amount: string;
  txId: string;
}

export async function movesOf(
  db: Db,
  symbol: string,
  limit: number,
  cursor?: string,
): Promise<Page<MoveItem>> {
  const at = parsePosition(cursor);
  const rows = await queryRows<{
    height: bigint;
    idx: number;
    time: bigint;
    kind: string;
    from_address: string | null;
    to_address: string | null;
    amount: bigint;
    tx_id: string;
  }>(
    db,
    sql`select m.height, m.idx, b.time, m.kind, m.from_address, m.to_address, m.amount, m.tx_id
        from (select * from explorer.asset_moves where symbol = ${symbol}
                ${at ? sql`and (height, idx) < (${at.height}, ${at.index})` : sql``}
              order by height desc, idx desc limit ${limit + 1}) m
        cross join lateral (select time from explorer.blocks where height = m.height) b
        order by m.height desc, m.idx desc`,
  );
  const items = rows.slice(0, limit).map((r) => ({
    height: Number(r.height),
    index: r.idx,
    time: Number(r.time),
    kind: r.kind,
    from: r.from_address,
    to: r.to_address,
    amount: r.amount.toString(),
    txId: r.tx_id,
  }));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? `${last.height}.${last.index}` : null };
}

interface AssetRecord {
  symbol: string;
  name: string;
  decimals: number;
  issuer: string;
  policy: string;
  supply: string | number;
  maxSupply?: string | number;
  createdAt?: number;
}

/** null when neither the node nor the read model knows the symbol. */
export async function assetPage(
  db: Db,
  client: ChainClient,
  symbol: string,
  holdersLimit: number,
  movesLimit: number,
) {
  const [record, [indexed], holders, moves] = await Promise.all([
    stateValue<AssetRecord>(client, `assets/asset/${symbol}`),
    db.select().from(assets).where(eq(assets.symbol, symbol)),
    db
      .select({ address: balances.address, amount: balances.amount })
      .from(balances)
      .where(eq(balances.symbol, symbol))
      .orderBy(desc(balances.amount), asc(balances.address))
      .limit(holdersLimit),
    movesOf(db, symbol, movesLimit),
  ]);
  if (!record && !indexed) return null;
  return {
    symbol,
    name: record?.name ?? indexed?.name ?? null,
    decimals: record?.decimals ?? indexed?.decimals ?? null,
    issuer: record?.issuer ?? indexed?.issuer ?? null,
    policy: record?.policy ?? indexed?.policy ?? null,
    supply: String(record?.supply ?? indexed?.supply ?? 0),
    maxSupply: record?.maxSupply === undefined ? null : String(record.maxSupply),
    issuedHeight: indexed?.issuedHeight ?? null,
    issuedTx: indexed?.issuedTx ?? null,
    holdersCount: indexed?.holders ?? 0,
    movesCount: indexed?.moves ?? 0,
    holders: holders.map((h) => ({ address: h.address, amount: h.amount.toString() })),
    moves,
  };
}
