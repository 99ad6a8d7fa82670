// The wallet's API. Nothing here signs or submits: every action is signed in the person's browser
// (keyring.signAndSend) and goes straight to the chain. The server answers questions — what do I hold,
// what happened to my account, what did I issue, how is this red packet doing — from live chain state
// (balances, assets, freezes, attestations) and from the indexer's read models (history, packets).
// Amounts leave as decimal strings of smallest units; times as ms since the epoch.
import { type AppServices, appError, clockOf } from '@gongxin/app-kit';
import { and, asc, count, desc, eq, gt, gte, inArray, lt, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { type AssetInfo, assetOf, isFrozen, isVerified, lockedOf, packetMemo } from './chain';
import { assets, history, holdings, packetClaims, packets } from './db/schema';
import { HISTORY_KINDS } from './kinds';
import { accountNames } from './names';
import type { WalletRuntime } from './runtime';
import {
  buildPaymentUri,
  MAX_UNITS,
  PACKET_ID_PATTERN,
  PaymentRequestError,
  packetLink,
  SYMBOL_PATTERN,
  UNITS_PATTERN,
} from './shared';
import { protectedProcedure, publicProcedure, router } from './trpc';

const zSymbol = z.string().regex(SYMBOL_PATTERN, 'an asset symbol: A–Z then 1–11 of A–Z, 0–9');
const zUnits = z
  .string()
  .regex(UNITS_PATTERN, 'a positive whole number of smallest units')
  .refine((v) => BigInt(v) <= MAX_UNITS, 'at most 2^63 − 1 smallest units');
const zPacketId = z.string().regex(PACKET_ID_PATTERN, 'a red packet id (a tx id, optionally :n)');
const zCursor = z.string().regex(/^[0-9]{1,15}\.[0-9]{1,9}$/, 'a cursor from a previous page');
const zMs = z.number().int().min(0).max(8.64e15);

/** Name and decimals of each symbol: the read model first, the chain for assets created at genesis. */
async function assetNames(
  { services, app }: { services: AppServices; app: WalletRuntime },
  symbols: Iterable<string>,
): Promise<Map<string, { name: string; decimals: number }>> {
  const wanted = [...new Set(symbols)];
  const out = new Map<string, { name: string; decimals: number }>();
  if (wanted.length === 0) return out;
  const rows = await services.database.db
    .select({ symbol: assets.symbol, name: assets.name, decimals: assets.decimals })
    .from(assets)
    .where(inArray(assets.symbol, wanted));
  for (const row of rows) out.set(row.symbol, { name: row.name, decimals: row.decimals });
  const directory = app.directory;
  await Promise.all(
    wanted
      .filter((s) => !out.has(s))
      .map(async (symbol) => {
        const asset = await directory.get(symbol);
        if (asset) out.set(symbol, { name: asset.name, decimals: asset.decimals });
      }),
  );
  return out;
}

type PacketRow = typeof packets.$inferSelect;

/** `now`: the deployment clock's, which block times (and so the chain's expiry) follow. */
function packetSummary(p: PacketRow, asset: { name: string; decimals: number } | undefined, now: number) {
  const expired = now >= p.expiresAt;
  return {
    id: p.id,
    symbol: p.symbol,
    assetName: asset?.name ?? p.symbol,
    decimals: asset?.decimals ?? 0,
    creator: p.creator,
    total: p.total.toString(),
    count: p.count,
    split: p.split,
    expiresAt: p.expiresAt,
    status: p.status,
    remaining: p.remaining.toString(),
    claimed: p.claimed,
    createdHeight: p.createdHeight,
    createdTxId: p.createdTxId,
    createdAt: p.createdAt,
    closedAt: p.closedAt,
    refundTxId: p.refundTxId,
    /** At or after expiresAt: claims are refused from then on. */
    expired,
    claimable: p.status === 'open' && !expired,
    refundable: p.status === 'open' && expired,
  };
}

const historyInput = z
  .object({
    asset: zSymbol.optional(),
    direction: z.enum(['in', 'out']).optional(),
    kind: z.enum(HISTORY_KINDS).optional(),
    /** Block time from (inclusive), ms. */
    from: zMs.optional(),
    /** Block time to (exclusive), ms. */
    to: zMs.optional(),
    cursor: zCursor.nullish(),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .strict()
  .default({ limit: 20 });

export const appRouter = router({
  /** Every asset the signed-in account holds, from the chain (never behind), with its frozen flag. */
  balances: protectedProcedure.query(async ({ ctx }) => {
    const { client } = ctx.services.chain;
    const address = ctx.user.address;
    const account = await client.account(address);
    const directory = ctx.app.directory;
    const rows = await Promise.all(
      Object.entries(account.balances).map(async ([symbol, amount]) => {
        const [asset, frozen] = await Promise.all([directory.get(symbol), isFrozen(client, symbol, address)]);
        return {
          symbol,
          name: asset?.name ?? symbol,
          decimals: asset?.decimals ?? 0,
          issuer: asset?.issuer ?? null,
          policy: asset?.policy ?? null,
          amount: String(amount),
          frozen,
        };
      }),
    );
    return rows.sort((a, b) => a.symbol.localeCompare(b.symbol));
  }),

  /** The signed-in account's history, newest first, keyset-paged by (height, event index). */
  history: protectedProcedure.input(historyInput).query(async ({ ctx, input }) => {
    const where: (SQL | undefined)[] = [eq(history.account, ctx.user.address)];
    if (input.asset) where.push(eq(history.symbol, input.asset));
    if (input.direction) where.push(eq(history.direction, input.direction));
    if (input.kind) where.push(eq(history.kind, input.kind));
    if (input.from !== undefined) where.push(gte(history.time, input.from));
    if (input.to !== undefined) where.push(lt(history.time, input.to));
    if (input.cursor) {
      const [h = 0, i = 0] = input.cursor.split('.').map(Number);
      where.push(or(lt(history.height, h), and(eq(history.height, h), lt(history.eventIndex, i))));
    }
    const rows = await ctx.services.database.db
      .select()
      .from(history)
      .where(and(...where))
      .orderBy(desc(history.height), desc(history.eventIndex))
      .limit(input.limit + 1);
    const page = rows.slice(0, input.limit);
    const [names, accounts] = await Promise.all([
      assetNames(
        ctx,
        page.map((r) => r.symbol),
      ),
      accountNames(
        ctx.services,
        page.flatMap((r) => (r.counterparty ? [r.counterparty] : [])),
      ),
    ]);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        height: r.height,
        index: r.eventIndex,
        txId: r.txId,
        time: r.time,
        kind: r.kind,
        direction: r.direction,
        symbol: r.symbol,
        decimals: names.get(r.symbol)?.decimals ?? 0,
        amount: r.amount === null ? null : r.amount.toString(),
        counterparty: r.counterparty,
        memo: r.memo,
        ref: r.ref,
      })),
      nextCursor: rows.length > input.limit && last ? `${last.height}.${last.eventIndex}` : null,
      /** The counterparties' names, by address, for those that have one. */
      names: accounts,
    };
  }),

  assets: router({
    /** Name, decimals, issuer, policy, supply of one asset, from the chain. */
    info: publicProcedure.input(z.object({ symbol: zSymbol }).strict()).query(async ({ ctx, input }) => {
      const asset = await assetOf(ctx.services.chain.client, input.symbol);
      if (!asset)
        throw appError('NOT_FOUND', 'asset_not_found', { symbol: input.symbol }, `no asset ${input.symbol}`);
      return asset;
    }),

    /** Assets the signed-in account issued: live supply and policy from the chain, holders from the index. */
    mine: protectedProcedure.query(async ({ ctx }) => {
      const { client } = ctx.services.chain;
      const { db } = ctx.services.database;
      const address = ctx.user.address;
      const indexed = await db
        .select({ symbol: assets.symbol, issuedTxId: assets.issuedTxId, issuedAt: assets.issuedAt })
        .from(assets)
        .where(eq(assets.issuer, address));
      // Assets a genesis document gave this account are in no event: find those the account holds.
      const held = Object.keys((await client.account(address)).balances);
      const symbols = [...new Set([...indexed.map((a) => a.symbol), ...held])];
      const found = await Promise.all(symbols.map((s) => assetOf(client, s)));
      const mine = found.filter((a): a is AssetInfo => a?.issuer === address);
      const tracked = new Set(indexed.map((a) => a.symbol));
      const holderCounts =
        tracked.size === 0
          ? []
          : await db
              .select({ symbol: holdings.symbol, holders: count() })
              .from(holdings)
              .where(and(inArray(holdings.symbol, [...tracked]), gt(holdings.amount, 0n)))
              .groupBy(holdings.symbol);
      const holdersOf = new Map(holderCounts.map((h) => [h.symbol, h.holders]));
      const byIndexed = new Map(indexed.map((a) => [a.symbol, a]));
      return Promise.all(
        mine
          .sort((a, b) => a.symbol.localeCompare(b.symbol))
          .map(async (asset) => ({
            ...asset,
            /** Units held by red packets that are still open (part of the supply). */
            locked: await lockedOf(client, asset.symbol),
            /** Accounts holding some; null for an asset from genesis (its first balances are in no event). */
            holders: tracked.has(asset.symbol) ? (holdersOf.get(asset.symbol) ?? 0) : null,
            issuedTxId: byIndexed.get(asset.symbol)?.issuedTxId ?? null,
            issuedAt: byIndexed.get(asset.symbol)?.issuedAt ?? null,
          })),
      );
    }),
  }),

  packets: router({
    /** Public, for the claim page: the packet, who claimed how much, what is left, whether it expired. */
    get: publicProcedure.input(z.object({ id: zPacketId }).strict()).query(async ({ ctx, input }) => {
      const { db } = ctx.services.database;
      const [packet] = await db.select().from(packets).where(eq(packets.id, input.id));
      if (!packet)
        throw appError('NOT_FOUND', 'packet_not_found', { id: input.id }, `no red packet ${input.id} (yet)`);
      const claims = await db
        .select()
        .from(packetClaims)
        .where(eq(packetClaims.packetId, input.id))
        .orderBy(asc(packetClaims.height), asc(packetClaims.eventIndex));
      const names = await assetNames(ctx, [packet.symbol]);
      const memo = await packetMemo(ctx.services.chain.client, input.id).catch(() => null);
      const me = ctx.user?.address;
      const mine = me ? claims.find((c) => c.claimer === me) : undefined;
      return {
        ...packetSummary(packet, names.get(packet.symbol), clockOf(ctx.services)()),
        memo,
        claims: claims.map((c) => ({
          claimer: c.claimer,
          amount: c.amount.toString(),
          height: c.height,
          index: c.eventIndex,
          txId: c.txId,
          claimedAt: c.claimedAt,
        })),
        me: me
          ? { address: me, isCreator: packet.creator === me, claimed: mine?.amount.toString() ?? null }
          : null,
        link: packetLink(packet.id, ctx.services.publicUrl),
      };
    }),

    /** Red packets the signed-in account created, and those it claimed from. */
    mine: protectedProcedure.query(async ({ ctx }) => {
      const { db } = ctx.services.database;
      const address = ctx.user.address;
      const created = await db
        .select()
        .from(packets)
        .where(eq(packets.creator, address))
        .orderBy(desc(packets.createdHeight), desc(packets.id))
        .limit(100);
      const claimed = await db
        .select({ packet: packets, claim: packetClaims })
        .from(packetClaims)
        .innerJoin(packets, eq(packets.id, packetClaims.packetId))
        .where(eq(packetClaims.claimer, address))
        .orderBy(desc(packetClaims.height), desc(packetClaims.eventIndex))
        .limit(100);
      const names = await assetNames(ctx, [
        ...created.map((p) => p.symbol),
        ...claimed.map((c) => c.packet.symbol),
      ]);
      const now = clockOf(ctx.services)();
      return {
        created: created.map((p) => packetSummary(p, names.get(p.symbol), now)),
        claimed: claimed.map(({ packet, claim }) => ({
          ...packetSummary(packet, names.get(packet.symbol), now),
          amount: claim.amount.toString(),
          claimedAt: claim.claimedAt,
          claimTxId: claim.txId,
        })),
      };
    }),
  }),

  /** A payment request to the signed-in account, for the receive page's QR code. */
  receiveLink: protectedProcedure
    .input(
      z
        .object({
          asset: zSymbol.optional(),
          amount: zUnits.optional(),
          memo: z.string().max(256).optional(),
        })
        .strict()
        .default({}),
    )
    .query(async ({ ctx, input }) => {
      let asset: AssetInfo | undefined;
      if (input.asset) {
        asset = await ctx.app.directory.get(input.asset);
        if (!asset)
          throw appError('NOT_FOUND', 'asset_not_found', { symbol: input.asset }, `no asset ${input.asset}`);
      }
      try {
        const uri = buildPaymentUri({
          to: ctx.user.address,
          ...(input.asset && { asset: input.asset }),
          ...(input.amount && { amount: input.amount }),
          ...(input.memo && { memo: input.memo }),
        });
        return {
          uri,
          address: ctx.user.address,
          asset: asset ? { symbol: asset.symbol, name: asset.name, decimals: asset.decimals } : null,
          amount: input.amount ?? null,
        };
      } catch (error) {
        if (error instanceof PaymentRequestError)
          throw appError('BAD_REQUEST', `request_${error.code}`, {}, error.message, error);
        throw error;
      }
    }),

  /** May the signed-in account issue assets? Only a verified identity (a live attestation) may. */
  canIssue: protectedProcedure.query(async ({ ctx }) => ({
    address: ctx.user.address,
    verified: await isVerified(ctx.services.chain.client, ctx.user.address),
  })),
});

export type AppRouter = typeof appRouter;
