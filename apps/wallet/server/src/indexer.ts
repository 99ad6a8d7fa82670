// The wallet's read models from the assets contract's events: per-account history, issued assets with
// their supply and holders, red packets and their claims. Every balance change emits exactly one of
// minted/transferred/burned/locked/unlocked (assets/library.ts), so the models follow balances from events
// alone. Handlers only write through ctx.tx, use block time (never the clock) and key rows by the event's
// position, so a rebuild from genesis reproduces the same rows; `reset` empties every table.
import type { ChainEventJson, HandlerContext, IndexerDefinition } from '@gongxin/app-kit';
import type { Tx } from '@gongxin/db';
import { and, eq, sql } from 'drizzle-orm';
import { assets, history, holdings, packetClaims, packets } from './db/schema';
import type { Direction, HistoryKind } from './kinds';

/** The parts of app-kit's handler context the handlers use. */
export type WalletHandlerContext = Pick<HandlerContext, 'tx' | 'height' | 'blockTime' | 'txId'>;
export type WalletEvent = Pick<ChainEventJson, 'index' | 'name' | 'attrs'>;

/** An event whose attributes are not what the assets contract emits: stops the indexer at that block. */
export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
}

function attrs(event: WalletEvent): Record<string, unknown> {
  const a = event.attrs;
  if (!a || typeof a !== 'object' || Array.isArray(a))
    throw new MalformedEventError(`assets.${event.name} at ${event.index} has no attributes`);
  return a as Record<string, unknown>;
}

function str(event: WalletEvent, name: string): string {
  const value = attrs(event)[name];
  if (typeof value !== 'string' || value === '')
    throw new MalformedEventError(`assets.${event.name}: ${name} is not text`);
  return value;
}

function optStr(event: WalletEvent, name: string): string | null {
  const value = attrs(event)[name];
  return typeof value === 'string' ? value : null;
}

/** Amounts arrive as decimal strings (bigints) or, when small, as JSON numbers. */
function units(event: WalletEvent, name: string): bigint {
  const value = attrs(event)[name];
  if (typeof value === 'string' && /^-?[0-9]+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new MalformedEventError(`assets.${event.name}: ${name} is not an integer amount`);
}

function int(event: WalletEvent, name: string): number {
  const value = attrs(event)[name];
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n))
    throw new MalformedEventError(`assets.${event.name}: ${name} is not an integer`);
  return n;
}

interface HistoryRow {
  account: string;
  kind: HistoryKind;
  direction: Direction;
  symbol: string;
  amount?: bigint | null;
  counterparty?: string | null;
  memo?: string | null;
  ref?: string | null;
}

async function record(event: WalletEvent, ctx: WalletHandlerContext, rows: HistoryRow[]): Promise<void> {
  if (rows.length === 0) return;
  await ctx.tx
    .insert(history)
    .values(
      rows.map((r) => ({
        height: ctx.height,
        eventIndex: event.index,
        account: r.account,
        txId: ctx.txId,
        time: ctx.blockTime,
        kind: r.kind,
        direction: r.direction,
        symbol: r.symbol,
        amount: r.amount ?? null,
        counterparty: r.counterparty ?? null,
        memo: r.memo ?? null,
        ref: r.ref ?? null,
      })),
    )
    .onConflictDoNothing();
}

async function assetRow(tx: Tx, symbol: string) {
  const [row] = await tx.select().from(assets).where(eq(assets.symbol, symbol));
  return row;
}

/** Adds `delta` to a holding of a tracked asset (one the indexer saw issued); zero balances are deleted. */
async function moveHolding(tx: Tx, symbol: string, account: string, delta: bigint): Promise<void> {
  if (!(await assetRow(tx, symbol))) return;
  const [row] = await tx
    .insert(holdings)
    .values({ symbol, account, amount: delta })
    .onConflictDoUpdate({
      target: [holdings.symbol, holdings.account],
      set: { amount: sql`${holdings.amount} + ${delta}` },
    })
    .returning({ amount: holdings.amount });
  if (row && row.amount < 0n) {
    throw new MalformedEventError(`holding of ${symbol} by ${account} would become negative`);
  }
  if (row && row.amount === 0n) {
    await tx.delete(holdings).where(and(eq(holdings.symbol, symbol), eq(holdings.account, account)));
  }
}

const packetIdOfRef = (ref: string): string | null => (ref.startsWith('packet:') ? ref.slice(7) : null);

async function packetCreator(tx: Tx, id: string): Promise<string | null> {
  const [row] = await tx.select({ creator: packets.creator }).from(packets).where(eq(packets.id, id));
  return row?.creator ?? null;
}

type Handler = (event: WalletEvent, ctx: WalletHandlerContext) => Promise<void>;

export const walletHandlers: Record<string, Handler> = {
  async 'assets.issued'(event, ctx) {
    const symbol = str(event, 'symbol');
    const issuer = str(event, 'issuer');
    const policy = str(event, 'policy');
    if (policy !== 'fixed' && policy !== 'mintable')
      throw new MalformedEventError(`assets.issued: unknown policy ${policy}`);
    await ctx.tx
      .insert(assets)
      .values({
        symbol,
        name: str(event, 'name'),
        decimals: int(event, 'decimals'),
        issuer,
        policy,
        supply: 0n,
        issuedHeight: ctx.height,
        issuedTxId: ctx.txId,
        issuedAt: ctx.blockTime,
      })
      .onConflictDoNothing();
    await record(event, ctx, [{ account: issuer, kind: 'issue', direction: 'none', symbol }]);
  },

  async 'assets.minted'(event, ctx) {
    const symbol = str(event, 'symbol');
    const to = str(event, 'to');
    const amount = units(event, 'amount');
    const asset = await assetRow(ctx.tx, symbol);
    if (asset) {
      await ctx.tx
        .update(assets)
        .set({ supply: units(event, 'supply') })
        .where(eq(assets.symbol, symbol));
    }
    await moveHolding(ctx.tx, symbol, to, amount);
    await record(event, ctx, [
      { account: to, kind: 'mint', direction: 'in', symbol, amount, counterparty: asset?.issuer ?? null },
    ]);
  },

  async 'assets.transferred'(event, ctx) {
    const symbol = str(event, 'symbol');
    const from = str(event, 'from');
    const to = str(event, 'to');
    const amount = units(event, 'amount');
    const memo = optStr(event, 'memo');
    await moveHolding(ctx.tx, symbol, from, -amount);
    await moveHolding(ctx.tx, symbol, to, amount);
    await record(event, ctx, [
      { account: from, kind: 'transfer', direction: 'out', symbol, amount, counterparty: to, memo },
      { account: to, kind: 'transfer', direction: 'in', symbol, amount, counterparty: from, memo },
    ]);
  },

  async 'assets.burned'(event, ctx) {
    const symbol = str(event, 'symbol');
    const from = str(event, 'from');
    const amount = units(event, 'amount');
    if (await assetRow(ctx.tx, symbol)) {
      await ctx.tx
        .update(assets)
        .set({ supply: units(event, 'supply') })
        .where(eq(assets.symbol, symbol));
    }
    await moveHolding(ctx.tx, symbol, from, -amount);
    await record(event, ctx, [{ account: from, kind: 'burn', direction: 'out', symbol, amount }]);
  },

  // A red packet's lock is shown by its packetCreated row; other locks (later contracts) as `lock`.
  async 'assets.locked'(event, ctx) {
    const symbol = str(event, 'symbol');
    const from = str(event, 'from');
    const amount = units(event, 'amount');
    const ref = str(event, 'ref');
    await moveHolding(ctx.tx, symbol, from, -amount);
    if (packetIdOfRef(ref) === null) {
      await record(event, ctx, [{ account: from, kind: 'lock', direction: 'out', symbol, amount, ref }]);
    }
  },

  async 'assets.unlocked'(event, ctx) {
    const symbol = str(event, 'symbol');
    const to = str(event, 'to');
    const amount = units(event, 'amount');
    const ref = str(event, 'ref');
    await moveHolding(ctx.tx, symbol, to, amount);
    if (packetIdOfRef(ref) === null) {
      await record(event, ctx, [{ account: to, kind: 'unlock', direction: 'in', symbol, amount, ref }]);
    }
  },

  async 'assets.frozen'(event, ctx) {
    await record(event, ctx, [
      {
        account: str(event, 'account'),
        kind: 'freeze',
        direction: 'none',
        symbol: str(event, 'symbol'),
        counterparty: str(event, 'by'),
        ref: optStr(event, 'reason'),
      },
    ]);
  },

  async 'assets.unfrozen'(event, ctx) {
    await record(event, ctx, [
      {
        account: str(event, 'account'),
        kind: 'unfreeze',
        direction: 'none',
        symbol: str(event, 'symbol'),
        counterparty: str(event, 'by'),
        ref: optStr(event, 'reason'),
      },
    ]);
  },

  async 'assets.packetCreated'(event, ctx) {
    const id = str(event, 'id');
    const symbol = str(event, 'symbol');
    const creator = str(event, 'creator');
    const total = units(event, 'total');
    const split = str(event, 'split');
    if (split !== 'equal' && split !== 'random')
      throw new MalformedEventError(`assets.packetCreated: unknown split ${split}`);
    await ctx.tx
      .insert(packets)
      .values({
        id,
        symbol,
        creator,
        total,
        count: int(event, 'count'),
        split,
        expiresAt: int(event, 'expiresAt'),
        status: 'open',
        remaining: total,
        claimed: 0,
        createdHeight: ctx.height,
        createdTxId: ctx.txId,
        createdAt: ctx.blockTime,
      })
      .onConflictDoNothing();
    await record(event, ctx, [
      { account: creator, kind: 'packet_create', direction: 'out', symbol, amount: total, ref: id },
    ]);
  },

  async 'assets.packetClaimed'(event, ctx) {
    const id = str(event, 'id');
    const symbol = str(event, 'symbol');
    const claimer = str(event, 'claimer');
    const amount = units(event, 'amount');
    const sharesLeft = int(event, 'sharesLeft');
    const [packet] = await ctx.tx.select().from(packets).where(eq(packets.id, id));
    if (!packet) throw new MalformedEventError(`assets.packetClaimed: unknown red packet ${id}`);
    await ctx.tx
      .insert(packetClaims)
      .values({
        packetId: id,
        claimer,
        amount,
        height: ctx.height,
        eventIndex: event.index,
        txId: ctx.txId,
        claimedAt: ctx.blockTime,
      })
      .onConflictDoNothing();
    await ctx.tx
      .update(packets)
      .set({
        remaining: units(event, 'remaining'),
        claimed: packet.count - sharesLeft,
        ...(sharesLeft === 0 && { status: 'emptied' as const, closedAt: ctx.blockTime }),
      })
      .where(eq(packets.id, id));
    await record(event, ctx, [
      {
        account: claimer,
        kind: 'packet_claim',
        direction: 'in',
        symbol,
        amount,
        counterparty: packet.creator,
        ref: id,
      },
    ]);
  },

  async 'assets.packetRefunded'(event, ctx) {
    const id = str(event, 'id');
    const creator = str(event, 'creator');
    const amount = units(event, 'amount');
    if (!(await packetCreator(ctx.tx, id)))
      throw new MalformedEventError(`assets.packetRefunded: unknown red packet ${id}`);
    await ctx.tx
      .update(packets)
      .set({ status: 'refunded', remaining: amount, closedAt: ctx.blockTime, refundTxId: ctx.txId })
      .where(eq(packets.id, id));
    await record(event, ctx, [
      {
        account: creator,
        kind: 'packet_refund',
        direction: 'in',
        symbol: str(event, 'symbol'),
        amount,
        ref: id,
      },
    ]);
  },
};

/** Empties every read model, for a rebuild from genesis. */
export async function resetWalletReadModels(tx: Tx): Promise<void> {
  await tx.delete(history);
  await tx.delete(holdings);
  await tx.delete(packetClaims);
  await tx.delete(packets);
  await tx.delete(assets);
}

export const walletIndexer: IndexerDefinition = {
  name: 'wallet',
  handlers: walletHandlers,
  reset: resetWalletReadModels,
};
