// What applying one block changes, held in memory while the block's events are reduced in order: the rows
// it appends (txs, events, activity, moves, DID history) and the mutable rows it touches (assets,
// balances, DIDs), loaded once up front. apply.ts loads and writes it; reducers.ts changes it.
import type { ChainEventJson, FeedTx } from '@gongxin/app-kit';
import { type AssetMove, type AssetMoveKind, balanceDeltas } from '@gongxin/contracts/events';

export interface AssetState {
  symbol: string;
  name: string | null;
  decimals: number | null;
  issuer: string | null;
  policy: string | null;
  supply: bigint;
  holders: number;
  moves: number;
  issuedHeight: number | null;
  issuedTx: string | null;
}

export interface BalanceState {
  symbol: string;
  address: string;
  /** As loaded, to tell which rows changed and who stopped or started holding. */
  before: bigint;
  amount: bigint;
}

export interface DidState {
  address: string;
  did: string;
  kind: string | null;
  registeredHeight: number | null;
  registeredTx: string | null;
  attestation: 'none' | 'live' | 'revoked';
  attestedBy: string | null;
  attestedHeight: number | null;
  roles: string[];
  keyRotations: number;
}

export type MoveKind = AssetMoveKind;

export interface MoveRow {
  height: number;
  index: number;
  symbol: string;
  kind: MoveKind;
  from: string | null;
  to: string | null;
  amount: bigint;
  txId: string;
}

export interface HistoryRow {
  address: string;
  height: number;
  index: number;
  name: string;
  txId: string;
}

export const balanceKey = (symbol: string, address: string) => `${symbol}\u0000${address}`;

export class BlockState {
  readonly moves: MoveRow[] = [];
  readonly history: HistoryRow[] = [];
  readonly touchedAssets = new Set<string>();
  readonly touchedDids = new Set<string>();

  constructor(
    readonly height: number,
    readonly txs: readonly FeedTx[],
    private readonly assets: Map<string, AssetState>,
    readonly balances: Map<string, BalanceState>,
    private readonly dids: Map<string, DidState>,
  ) {}

  asset(symbol: string): AssetState | undefined {
    return this.assets.get(symbol);
  }

  /** The asset, created without a definition when only its balance events are known (see schema.ts). */
  touchAsset(symbol: string): AssetState {
    let asset = this.assets.get(symbol);
    if (!asset) {
      asset = {
        symbol,
        name: null,
        decimals: null,
        issuer: null,
        policy: null,
        supply: 0n,
        holders: 0,
        moves: 0,
        issuedHeight: null,
        issuedTx: null,
      };
      this.assets.set(symbol, asset);
    }
    this.touchedAssets.add(symbol);
    return asset;
  }

  changedAssets(): AssetState[] {
    return [...this.touchedAssets].map((s) => this.assets.get(s)!);
  }

  /** Adds `delta` to a balance, counting holders as balances cross zero. */
  adjust(symbol: string, address: string, delta: bigint): void {
    const key = balanceKey(symbol, address);
    let balance = this.balances.get(key);
    if (!balance) {
      balance = { symbol, address, before: 0n, amount: 0n };
      this.balances.set(key, balance);
    }
    const held = balance.amount > 0n;
    balance.amount += delta;
    const holds = balance.amount > 0n;
    if (held !== holds) this.touchAsset(symbol).holders += holds ? 1 : -1;
  }

  /** Applies a balance move (the assets contract's reduction) and records it as a movement row. */
  move(move: AssetMove, event: ChainEventJson): void {
    for (const { symbol, account, delta } of balanceDeltas(move)) this.adjust(symbol, account, delta);
    const asset = this.touchAsset(move.symbol);
    asset.moves += 1;
    if (move.supply !== null) asset.supply = move.supply;
    this.moves.push({
      height: this.height,
      index: event.index,
      symbol: move.symbol,
      kind: move.kind,
      from: move.from,
      to: move.to,
      amount: move.amount,
      txId: event.txId,
    });
  }

  did(address: string): DidState {
    let did = this.dids.get(address);
    if (!did) {
      did = {
        address,
        did: `did:gx:${address}`,
        kind: null,
        registeredHeight: null,
        registeredTx: null,
        attestation: 'none',
        attestedBy: null,
        attestedHeight: null,
        roles: [],
        keyRotations: 0,
      };
      this.dids.set(address, did);
    }
    this.touchedDids.add(address);
    return did;
  }

  changedDids(): DidState[] {
    return [...this.touchedDids].map((a) => this.dids.get(a)!);
  }

  recordHistory(address: string, event: ChainEventJson): void {
    this.history.push({
      address,
      height: this.height,
      index: event.index,
      name: event.name,
      txId: event.txId,
    });
  }
}
