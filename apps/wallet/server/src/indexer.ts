// The wallet's read models from the assets contract's events: per-account history, issued assets with
// their supply and holders, red packets and their claims. Every balance change emits exactly one of
// minted/transferred/burned/locked/unlocked (assets/library.ts), so the models follow balances from events
// alone. Handlers only write through ctx.tx, use block time (never the clock) and key rows by the event's
// position, so a rebuild from genesis reproduces the same rows; `reset` empties every table.
import type { ChainEventJson, HandlerContext, IndexerDefinition } from '@gongxin/app-kit';
import { type AssetMove, assetMove, assetsEvents, balanceDeltas } from '@gongxin/contracts/events';
import type { Tx } from '@gongxin/db';
import { and, eq, sql } from 'drizzle-orm';
import { assets, history, holdings, packetClaims, packets } from './db/schema';
import type { Direction, HistoryKind } from './kinds';

/** The parts of app-kit's handler context the handlers use. */
export type WalletHandlerContext = Pick<HandlerContext, 'tx' | 'height' | 'blockTime' | 'txId'>;
export type WalletEvent = Pick<ChainEventJson, 'index' | 'contract' | 'name' | 'attrs'>;

/**
 * Events that fit the catalog but not the read models (a claim on a red packet never created, a holding
 * going negative): the indexer stops at that block. Attributes that do not fit the catalog throw the
 * catalog's EventMismatchError.
 */
export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
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

/** A balance move through the assets contract's reduction: every holding it touches, then the supply. */
async function applyMove(tx: Tx, move: AssetMove | null): Promise<void> {
  if (!move) return;
  for (const { symbol, account, delta } of balanceDeltas(move)) await moveHolding(tx, symbol, account, delta);
}

async function setSupply(tx: Tx, symbol: string, supply: bigint): Promise<void> {
  if (await assetRow(tx, symbol)) await tx.update(assets).set({ supply }).where(eq(assets.symbol, symbol));
}

// Attributes are read through the assets contract's event catalog: an event that does not match it throws
// EventMismatchError and stops the indexer at its block.
export const walletHandlers: Record<string, Handler> = assetsEvents.handlers({
  async issued({ symbol, name, decimals, issuer, policy }, event, ctx) {
    await ctx.tx
      .insert(assets)
      .values({
        symbol,
        name,
        decimals,
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

  async minted(a, event, ctx) {
    const { symbol, to, amount } = a;
    const asset = await assetRow(ctx.tx, symbol);
    if (asset) await ctx.tx.update(assets).set({ supply: a.supply }).where(eq(assets.symbol, symbol));
    await applyMove(ctx.tx, assetMove({ name: 'minted', attrs: a }));
    await record(event, ctx, [
      { account: to, kind: 'mint', direction: 'in', symbol, amount, counterparty: asset?.issuer ?? null },
    ]);
  },

  async transferred(a, event, ctx) {
    const { symbol, from, to, amount } = a;
    const memo = a.memo ?? null;
    await applyMove(ctx.tx, assetMove({ name: 'transferred', attrs: a }));
    await record(event, ctx, [
      { account: from, kind: 'transfer', direction: 'out', symbol, amount, counterparty: to, memo },
      { account: to, kind: 'transfer', direction: 'in', symbol, amount, counterparty: from, memo },
    ]);
  },

  async burned(a, event, ctx) {
    const { symbol, from, amount } = a;
    await setSupply(ctx.tx, symbol, a.supply);
    await applyMove(ctx.tx, assetMove({ name: 'burned', attrs: a }));
    await record(event, ctx, [{ account: from, kind: 'burn', direction: 'out', symbol, amount }]);
  },

  // A red packet's lock is shown by its packetCreated row; other locks (later contracts) as `lock`.
  async locked(a, event, ctx) {
    const { symbol, from, amount, ref } = a;
    await applyMove(ctx.tx, assetMove({ name: 'locked', attrs: a }));
    if (packetIdOfRef(ref) === null) {
      await record(event, ctx, [{ account: from, kind: 'lock', direction: 'out', symbol, amount, ref }]);
    }
  },

  async unlocked(a, event, ctx) {
    const { symbol, to, amount, ref } = a;
    await applyMove(ctx.tx, assetMove({ name: 'unlocked', attrs: a }));
    if (packetIdOfRef(ref) === null) {
      await record(event, ctx, [{ account: to, kind: 'unlock', direction: 'in', symbol, amount, ref }]);
    }
  },

  async frozen({ symbol, account, by, reason }, event, ctx) {
    await record(event, ctx, [
      { account, kind: 'freeze', direction: 'none', symbol, counterparty: by, ref: reason },
    ]);
  },

  async unfrozen({ symbol, account, by, reason }, event, ctx) {
    await record(event, ctx, [
      { account, kind: 'unfreeze', direction: 'none', symbol, counterparty: by, ref: reason },
    ]);
  },

  async packetCreated({ id, symbol, creator, total, count, split, expiresAt }, event, ctx) {
    await ctx.tx
      .insert(packets)
      .values({
        id,
        symbol,
        creator,
        total,
        count,
        split,
        expiresAt,
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

  async packetClaimed({ id, symbol, claimer, amount, remaining, sharesLeft }, event, ctx) {
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
        remaining,
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

  async packetRefunded({ id, symbol, creator, amount }, event, ctx) {
    if (!(await packetCreator(ctx.tx, id)))
      throw new MalformedEventError(`assets.packetRefunded: unknown red packet ${id}`);
    await ctx.tx
      .update(packets)
      .set({ status: 'refunded', remaining: amount, closedAt: ctx.blockTime, refundTxId: ctx.txId })
      .where(eq(packets.id, id));
    await record(event, ctx, [
      { account: creator, kind: 'packet_refund', direction: 'in', symbol, amount, ref: id },
    ]);
  },
});

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
