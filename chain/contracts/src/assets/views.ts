// Read-only views of assets state: assets, balances, freezes, amounts held in red packets. Amounts come
// back as bigint whichever form the state holds them in (a node that reloads state decodes small
// integers as numbers); views never write.
import type { Address, StateReader } from '@gongxin/ledger';
import { amountOf } from '../common';

export const assetKeys = {
  asset: (symbol: string) => `assets/asset/${symbol}`,
  balance: (symbol: string, address: Address) => `assets/bal/${symbol}/${address}`,
  frozen: (symbol: string, address: Address) => `assets/frozen/${symbol}/${address}`,
  /** Units of the asset held by the contract for red packets (later also channels): part of the supply. */
  locked: (symbol: string) => `assets/locked/${symbol}`,
  packet: (id: string) => `assets/packet/${id}`,
} as const;

export type AssetPolicy = 'fixed' | 'mintable';

export type Asset = {
  readonly symbol: string;
  readonly name: string;
  readonly decimals: number;
  readonly issuer: Address;
  readonly policy: AssetPolicy;
  /** Σ balances + locked. */
  readonly supply: bigint;
  readonly maxSupply?: bigint;
  readonly createdAt: number;
};

export type Freeze = { readonly by: Address; readonly reason: string; readonly at: number };

export type PacketSplit = 'equal' | 'random';
export type PacketStatus = 'open' | 'emptied' | 'refunded';

export type PacketClaim = { readonly address: Address; readonly amount: bigint; readonly at: number };

export type Packet = {
  readonly id: string;
  readonly symbol: string;
  readonly creator: Address;
  readonly total: bigint;
  readonly count: number;
  readonly split: PacketSplit;
  /**
   * Not yet claimed. Always total − Σ claims: for a refunded packet it is what went back to the
   * creator, and only open packets hold their remaining amount locked.
   */
  readonly remaining: bigint;
  readonly claims: readonly PacketClaim[];
  /** Block time (ms) from which claims are refused and the creator may take the remainder back. */
  readonly expiresAt: number;
  readonly memo?: string;
  readonly status: PacketStatus;
  readonly createdAt: number;
};

export function assetOf(state: StateReader, symbol: string): Asset | undefined {
  const stored = state.get(assetKeys.asset(symbol)) as Asset | undefined;
  if (!stored) return undefined;
  const { maxSupply, ...rest } = stored;
  return {
    ...rest,
    supply: amountOf(stored.supply),
    ...(maxSupply !== undefined && { maxSupply: amountOf(maxSupply) }),
  };
}

export function balanceOf(state: StateReader, symbol: string, address: Address): bigint {
  return amountOf(state.get(assetKeys.balance(symbol, address)));
}

export function lockedOf(state: StateReader, symbol: string): bigint {
  return amountOf(state.get(assetKeys.locked(symbol)));
}

export function freezeOf(state: StateReader, symbol: string, address: Address): Freeze | undefined {
  return state.get(assetKeys.frozen(symbol, address)) as Freeze | undefined;
}

export function isFrozen(state: StateReader, symbol: string, address: Address): boolean {
  return freezeOf(state, symbol, address) !== undefined;
}

export function packetOf(state: StateReader, id: string): Packet | undefined {
  const stored = state.get(assetKeys.packet(id)) as Packet | undefined;
  if (!stored) return undefined;
  return {
    ...stored,
    total: amountOf(stored.total),
    remaining: amountOf(stored.remaining),
    claims: stored.claims.map((c) => ({ ...c, amount: amountOf(c.amount) })),
  };
}
