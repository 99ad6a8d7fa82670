// Live reads of chain state through the node API (the app's ChainClient): balances, asset records,
// freezes, attestations, packets. The read models cover history; anything a person acts on right now
// (what they hold, whether they may issue) is read from the chain itself, so it is never behind.
import type { AppServices } from '@gongxin/app-kit';
import { type ChainClient, ChainError } from '@gongxin/client';

export interface AssetInfo {
  symbol: string;
  name: string;
  decimals: number;
  issuer: string;
  policy: 'fixed' | 'mintable';
  /** Smallest units, decimal string. */
  supply: string;
  maxSupply: string | null;
  /** Height of the block that created it (0: genesis). */
  createdAt: number;
}

type Json = Record<string, unknown>;

const amountText = (value: unknown): string => {
  if (typeof value === 'string' && /^[0-9]+$/.test(value)) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  throw new Error(`chain state holds a malformed amount: ${JSON.stringify(value)}`);
};

/** A state value, or undefined when the key does not exist. */
export async function stateValue(client: ChainClient, key: string): Promise<unknown> {
  try {
    return (await client.state(key)).value;
  } catch (error) {
    if (error instanceof ChainError && error.code === 'not_found') return undefined;
    throw error;
  }
}

export function assetFromState(value: unknown): AssetInfo | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Json;
  return {
    symbol: String(v.symbol),
    name: String(v.name),
    decimals: Number(v.decimals),
    issuer: String(v.issuer),
    policy: v.policy === 'fixed' ? 'fixed' : 'mintable',
    supply: amountText(v.supply ?? 0),
    maxSupply: v.maxSupply === undefined || v.maxSupply === null ? null : amountText(v.maxSupply),
    createdAt: Number(v.createdAt ?? 0),
  };
}

export async function assetOf(client: ChainClient, symbol: string): Promise<AssetInfo | undefined> {
  return assetFromState(await stateValue(client, `assets/asset/${symbol}`));
}

export async function isFrozen(client: ChainClient, symbol: string, address: string): Promise<boolean> {
  return (await stateValue(client, `assets/frozen/${symbol}/${address}`)) !== undefined;
}

export async function lockedOf(client: ChainClient, symbol: string): Promise<string> {
  const value = await stateValue(client, `assets/locked/${symbol}`);
  return value === undefined ? '0' : amountText(value);
}

/** The identity contract's isVerified: a live (not revoked) attestation. */
export async function isVerified(client: ChainClient, address: string): Promise<boolean> {
  const value = await stateValue(client, `identity/attestation/${address}`);
  return !!value && typeof value === 'object' && (value as Json).revoked === undefined;
}

/** The memo a red packet was created with (only the packet's state holds it, not its event). */
export async function packetMemo(client: ChainClient, id: string): Promise<string | null> {
  const value = await stateValue(client, `assets/packet/${id}`);
  const memo = value && typeof value === 'object' ? (value as Json).memo : undefined;
  return typeof memo === 'string' ? memo : null;
}

/**
 * Asset metadata that never changes (name, decimals, issuer, policy), cached per process; supply is
 * read fresh where it matters (assets.mine).
 */
export function assetDirectory(services: Pick<AppServices, 'chain'>) {
  const cache = new Map<string, Promise<AssetInfo | undefined>>();
  return {
    get(symbol: string): Promise<AssetInfo | undefined> {
      let entry = cache.get(symbol);
      if (!entry) {
        entry = assetOf(services.chain.client, symbol).then((asset) => {
          // Not found yet (or an error): ask again next time.
          if (!asset) cache.delete(symbol);
          return asset;
        });
        entry.catch(() => cache.delete(symbol));
        cache.set(symbol, entry);
      }
      return entry;
    },
  };
}
