// The search box: one query in, either the one record it names or suggestions.
//
//   digits                 → a block height
//   64 hex digits (0x ok)  → a tx id, else a block hash (answered with the block's height)
//   gx1…                   → an account (any valid address: an account exists once named)
//   did:gx:gx1…            → a DID when registered, else the account of its address
//   letters and digits     → an asset symbol, case-insensitively
//
// Anything else — or a well-formed query naming nothing — gets suggestions: assets whose symbol starts with
// or whose name contains the text, txs and blocks whose id starts with the hex, DIDs whose address starts
// with it. The read models answer first; the node answers for what the indexer has not reached yet.
import type { ChainClient } from '@gongxin/client';
import { ChainError } from '@gongxin/client';
import type { Db } from '@gongxin/db';
import { addressOfDid, isAddress } from '@gongxin/ledger';
import { and, asc, eq, gte, ilike, lt, or, sql } from 'drizzle-orm';
import { assets, blocks, dids, txs } from '../db/schema';
import { stateValue } from './chain';

export type SearchKind = 'block' | 'tx' | 'account' | 'did' | 'asset';

export interface Suggestion {
  kind: SearchKind;
  ref: string;
  label: string;
}

export type SearchResult =
  | { kind: SearchKind; ref: string }
  | { kind: 'suggestions'; suggestions: Suggestion[] };

const HASH = /^(0x)?[0-9a-f]{64}$/i;
const HEX_PREFIX = /^(0x)?[0-9a-f]{4,63}$/i;
const SYMBOL = /^[a-z][a-z0-9]{1,11}$/i;
const SUGGESTIONS = 8;

async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ChainError && error.code === 'not_found') return null;
    throw error;
  }
}

async function blockAt(db: Db, client: ChainClient, height: number): Promise<boolean> {
  const [row] = await db.select({ height: blocks.height }).from(blocks).where(eq(blocks.height, height));
  if (row) return true;
  return (await orNull(() => client.getBlock(height))) !== null;
}

async function byHash(db: Db, client: ChainClient, hash: string): Promise<SearchResult | null> {
  const [[tx], [block]] = await Promise.all([
    db.select({ id: txs.id }).from(txs).where(eq(txs.id, hash)),
    db.select({ height: blocks.height }).from(blocks).where(eq(blocks.hash, hash)),
  ]);
  if (tx) return { kind: 'tx', ref: tx.id };
  if (block) return { kind: 'block', ref: String(block.height) };
  const [nodeTx, nodeBlock] = await Promise.all([
    orNull(() => client.getTx(hash)),
    orNull(() => client.getBlock(hash)),
  ]);
  if (nodeTx) return { kind: 'tx', ref: nodeTx.id };
  if (nodeBlock) return { kind: 'block', ref: String(nodeBlock.height) };
  return null;
}

async function assetExists(db: Db, client: ChainClient, symbol: string): Promise<boolean> {
  const [row] = await db.select({ symbol: assets.symbol }).from(assets).where(eq(assets.symbol, symbol));
  return row !== undefined || (await stateValue(client, `assets/asset/${symbol}`)) !== null;
}

/** The ids in [prefix, prefix + 'g'): a range on the unique index, whatever the collation of hex text. */
const hexRange = (column: typeof txs.id | typeof blocks.hash, prefix: string) =>
  and(gte(column, prefix), lt(column, `${prefix}g`));

async function suggestions(db: Db, text: string): Promise<Suggestion[]> {
  const out: Suggestion[] = [];
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const assetRows = await db
    .select({ symbol: assets.symbol, name: assets.name })
    .from(assets)
    .where(
      or(
        sql`${assets.symbol} like ${`${text.toUpperCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`,
        ilike(assets.name, pattern),
      ),
    )
    .orderBy(asc(assets.symbol))
    .limit(SUGGESTIONS);
  for (const a of assetRows)
    out.push({ kind: 'asset', ref: a.symbol, label: a.name ? `${a.symbol} · ${a.name}` : a.symbol });

  if (HEX_PREFIX.test(text)) {
    const prefix = text.replace(/^0x/i, '').toLowerCase();
    const [txRows, blockRows] = await Promise.all([
      db
        .select({ id: txs.id })
        .from(txs)
        .where(hexRange(txs.id, prefix))
        .orderBy(asc(txs.id))
        .limit(SUGGESTIONS),
      db
        .select({ hash: blocks.hash, height: blocks.height })
        .from(blocks)
        .where(hexRange(blocks.hash, prefix))
        .orderBy(asc(blocks.hash))
        .limit(SUGGESTIONS),
    ]);
    for (const t of txRows) out.push({ kind: 'tx', ref: t.id, label: t.id });
    for (const b of blockRows) out.push({ kind: 'block', ref: String(b.height), label: b.hash });
  }
  if (/^gx1[02-9ac-hj-np-z]{2,}$/.test(text) || text.startsWith('did:gx:gx1')) {
    const prefix = text.replace(/^did:gx:/, '');
    const rows = await db
      .select({ address: dids.address, did: dids.did })
      .from(dids)
      .where(and(gte(dids.address, prefix), lt(dids.address, `${prefix}~`)))
      .orderBy(asc(dids.address))
      .limit(SUGGESTIONS);
    for (const d of rows) out.push({ kind: 'did', ref: d.did, label: d.did });
  }
  return out.slice(0, 3 * SUGGESTIONS);
}

export async function search(db: Db, client: ChainClient, query: string): Promise<SearchResult> {
  const q = query.trim();
  if (/^\d{1,15}$/.test(q)) {
    const height = Number(q);
    if (height > 0 && (await blockAt(db, client, height))) return { kind: 'block', ref: String(height) };
  } else if (HASH.test(q)) {
    const found = await byHash(db, client, q.replace(/^0x/i, '').toLowerCase());
    if (found) return found;
  } else if (q.startsWith('did:gx:')) {
    const address = addressOfDid(q);
    if (address) {
      const registered = (await stateValue(client, `identity/account/${address}`)) !== null;
      return registered ? { kind: 'did', ref: q } : { kind: 'account', ref: address };
    }
  } else if (isAddress(q as unknown)) {
    return { kind: 'account', ref: q };
  } else if (SYMBOL.test(q) && (await assetExists(db, client, q.toUpperCase()))) {
    return { kind: 'asset', ref: q.toUpperCase() };
  }
  return { kind: 'suggestions', suggestions: q === '' ? [] : await suggestions(db, q) };
}
