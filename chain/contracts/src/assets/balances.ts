// How the assets contract's events change balances: the one reduction every reader of balances uses (the
// wallet's holdings, the explorer's balances and holder counts, the contract tests that follow balances
// from events and compare them with state). library.ts emits exactly one of these events for each balance
// change, so balances and supplies follow from them alone, starting from the genesis balances.
import type { EventLike, NamedEvent } from '../catalog';
import { assetsEvents } from './events';

export type AssetMoveKind = 'mint' | 'transfer' | 'burn' | 'lock' | 'unlock';

export interface AssetMove {
  readonly kind: AssetMoveKind;
  readonly symbol: string;
  /** The account that gives `amount`; null when units are created (mint) or leave the locked pool. */
  readonly from: string | null;
  /** The account that receives `amount`; null when units are destroyed (burn) or enter the locked pool. */
  readonly to: string | null;
  readonly amount: bigint;
  /** The asset's supply after the move, when the move changed it (mint, burn). */
  readonly supply: bigint | null;
}

/** The events that change a balance, one per change. */
export const BALANCE_EVENTS = ['minted', 'transferred', 'burned', 'locked', 'unlocked'] as const;

type AssetsEvent = NamedEvent<typeof assetsEvents.schemas>;

/** The balance change a parsed assets event makes, or null for events that move no units. */
export function assetMove(event: AssetsEvent): AssetMove | null {
  switch (event.name) {
    case 'minted': {
      const { symbol, to, amount, supply } = event.attrs;
      return { kind: 'mint', symbol, from: null, to, amount, supply };
    }
    case 'transferred': {
      const { symbol, from, to, amount } = event.attrs;
      return { kind: 'transfer', symbol, from, to, amount, supply: null };
    }
    case 'burned': {
      const { symbol, from, amount, supply } = event.attrs;
      return { kind: 'burn', symbol, from, to: null, amount, supply };
    }
    case 'locked': {
      const { symbol, from, amount } = event.attrs;
      return { kind: 'lock', symbol, from, to: null, amount, supply: null };
    }
    case 'unlocked': {
      const { symbol, to, amount } = event.attrs;
      return { kind: 'unlock', symbol, from: null, to, amount, supply: null };
    }
    default:
      return null;
  }
}

/**
 * The balance change of any event from the node API (or the ledger): null unless it is one of the assets
 * contract's balance events, whose attributes are parsed through the catalog (a mismatch throws).
 */
export function assetMoveOf(event: EventLike): AssetMove | null {
  if (!assetsEvents.is(event) || !(BALANCE_EVENTS as readonly string[]).includes(event.name)) return null;
  return assetMove(assetsEvents.parse(event));
}

export interface BalanceDelta {
  readonly symbol: string;
  readonly account: string;
  readonly delta: bigint;
}

/** What a move does to each account's balance: −amount for `from`, +amount for `to`. */
export function balanceDeltas(move: AssetMove): BalanceDelta[] {
  const deltas: BalanceDelta[] = [];
  if (move.from !== null) deltas.push({ symbol: move.symbol, account: move.from, delta: -move.amount });
  if (move.to !== null) deltas.push({ symbol: move.symbol, account: move.to, delta: move.amount });
  return deltas;
}
