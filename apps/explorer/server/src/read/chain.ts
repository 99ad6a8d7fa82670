// Reads that go to the node (through services.chain.client): what only the node knows exactly — current
// state, mempool, the validator set — while lists and summaries come from the read models.
import type { ChainClient } from '@gongxin/client';
import { ChainError } from '@gongxin/client';
import type { Db } from '@gongxin/db';
import type { JsonValue } from '@gongxin/ledger';
import { inArray } from 'drizzle-orm';
import { assets } from '../db/schema';

/** A state value, or null when the key is absent. */
export async function stateValue<T>(client: ChainClient, key: string): Promise<T | null> {
  try {
    return (await client.state(key)).value as T;
  } catch (error) {
    if (error instanceof ChainError && error.code === 'not_found') return null;
    throw error;
  }
}

// An asset symbol as the assets contract writes them: anything else is not looked up.
const SYMBOL = /^[A-Z][A-Z0-9]{1,11}$/;

/**
 * The assets a page needs the decimals of to show amounts: every `symbol` in params and attributes, top
 * level or nested (a channel's deposits, balances and proofs each name their asset). Only symbol-shaped
 * text counts, so a failed tx's odd params cannot make the page ask the node about arbitrary keys.
 */
export function symbolsIn(values: Iterable<JsonValue | undefined>): Set<string> {
  const symbols = new Set<string>();
  const walk = (value: JsonValue | undefined, depth: number): void => {
    if (value === null || typeof value !== 'object' || depth > 8) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key === 'symbol' && typeof item === 'string' && SYMBOL.test(item)) symbols.add(item);
      else walk(item, depth + 1);
    }
  };
  for (const value of values) walk(value, 0);
  return symbols;
}

/**
 * Decimals of the given assets, from the read model, else from the node (an asset of a genesis document
 * the explorer was not given). Unknown symbols are left out: the page then shows smallest units.
 */
export async function decimalsOf(
  db: Db,
  client: ChainClient,
  symbols: Iterable<string>,
): Promise<Record<string, number>> {
  const wanted = [...new Set(symbols)];
  const out: Record<string, number> = {};
  if (wanted.length === 0) return out;
  const rows = await db
    .select({ symbol: assets.symbol, decimals: assets.decimals })
    .from(assets)
    .where(inArray(assets.symbol, wanted));
  for (const row of rows) if (row.decimals !== null) out[row.symbol] = row.decimals;
  const missing = wanted.filter((s) => out[s] === undefined);
  await Promise.all(
    missing.map(async (symbol) => {
      const asset = await stateValue<{ decimals?: unknown }>(client, `assets/asset/${symbol}`);
      if (typeof asset?.decimals === 'number') out[symbol] = asset.decimals;
    }),
  );
  return out;
}
