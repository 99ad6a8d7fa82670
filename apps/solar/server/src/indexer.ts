// The solar app's read models from the chain: plants, meters, anchored intervals, orders, slots and
// continuous trades, settlements and their true-ups, certificate lots, subsidy receivables and owners'
// points credits (energy contract v2). Attributes are read through the energy
// contract's event catalog; handlers write only through ctx.tx, key rows by contract ids, so a rebuild
// from genesis reproduces them; `reset` empties exactly these tables.
import type { ChainEventJson, HandlerContext, IndexerDefinition } from '@gongxin/app-kit';
import { energyEvents } from '@gongxin/contracts/events';
import { and, eq, sql } from 'drizzle-orm';
import {
  anchors,
  lots,
  meters,
  orders,
  plants,
  pointCredits,
  readModels,
  settlements,
  slots,
  subsidies,
  trades,
  trueUps,
} from './db/schema';

const at = (ctx: HandlerContext) => ({ height: ctx.height, txId: ctx.txId });
/** An event's place in the chain: the key of rows one per event. */
const place = (ctx: HandlerContext) => ({
  height: ctx.height,
  eventIndex: ctx.event.index,
  txId: ctx.txId,
  time: ctx.blockTime,
});

export const solarHandlers = energyEvents.handlers<ChainEventJson, [HandlerContext], Promise<void>>({
  async plantRegistered(a, _e, ctx) {
    await ctx.tx
      .insert(plants)
      .values({
        id: a.id,
        owner: a.owner,
        name: a.name,
        capacityW: a.capacityW,
        latE6: a.latE6,
        lonE6: a.lonE6,
        commissioned: a.commissioned,
        certified: false,
        ...at(ctx),
      })
      .onConflictDoNothing();
  },
  async plantCertified(a, _e, ctx) {
    await ctx.tx.update(plants).set({ certified: true }).where(eq(plants.id, a.id));
  },
  async meterRegistered(a, _e, ctx) {
    await ctx.tx
      .insert(meters)
      .values({ id: a.id, plant: a.plant, owner: a.owner, key: a.key, ...at(ctx) })
      .onConflictDoNothing();
  },
  async intervalAnchored(a, _e, ctx) {
    await ctx.tx
      .insert(anchors)
      .values({
        meter: a.meter,
        start: a.start,
        revision: a.revision,
        plant: a.plant,
        root: a.root,
        readings: a.readings,
        exportWh: a.exportWh,
        importWh: a.importWh,
        reset: a.reset,
        estimated: a.estimated,
        time: ctx.blockTime,
        ...at(ctx),
      })
      .onConflictDoNothing();
  },
  async orderPlaced(a, _e, ctx) {
    await ctx.tx
      .insert(orders)
      .values({
        id: a.id,
        slot: a.slot,
        side: a.side,
        account: a.account,
        plant: a.plant ?? null,
        wh: a.wh,
        price: a.price,
        green: a.green,
        status: 'open',
        filledWh: 0n,
        energyFen: 0n,
        feeFen: 0n,
        ...at(ctx),
      })
      .onConflictDoNothing();
  },
  async orderCancelled(a, _e, ctx) {
    await ctx.tx.update(orders).set({ status: 'cancelled' }).where(eq(orders.id, a.id));
  },
  /** A continuous slot's trade: both orders show their fills before the slot begins. */
  async traded(a, _e, ctx) {
    const accounts = await ctx.tx
      .select({ id: orders.id, account: orders.account })
      .from(orders)
      .where(sql`${orders.id} in (${a.sell}, ${a.buy})`);
    const accountOf = (id: string) => accounts.find((o) => o.id === id)?.account ?? '';
    await ctx.tx
      .insert(trades)
      .values({
        ...place(ctx),
        slot: a.slot,
        sellOrder: a.sell,
        buyOrder: a.buy,
        seller: accountOf(a.sell),
        buyer: accountOf(a.buy),
        wh: a.wh,
        price: a.price,
        energyFen: a.energyFen,
        feeFen: a.feeFen,
      })
      .onConflictDoNothing();
    await ctx.tx
      .update(orders)
      .set({
        filledWh: sql`${orders.filledWh} + ${a.wh.toString()}::bigint`,
        energyFen: sql`${orders.energyFen} + ${a.energyFen.toString()}::bigint`,
      })
      .where(eq(orders.id, a.sell));
    await ctx.tx
      .update(orders)
      .set({
        filledWh: sql`${orders.filledWh} + ${a.wh.toString()}::bigint`,
        energyFen: sql`${orders.energyFen} + ${a.energyFen.toString()}::bigint`,
        feeFen: sql`${orders.feeFen} + ${a.feeFen.toString()}::bigint`,
      })
      .where(eq(orders.id, a.buy));
  },
  async orderFilled(a, _e, ctx) {
    await ctx.tx
      .update(orders)
      .set({
        status: 'cleared',
        filledWh: a.wh,
        energyFen: a.energyFen,
        feeFen: a.feeFen,
        filledHeight: ctx.height,
        filledTxId: ctx.txId,
      })
      .where(eq(orders.id, a.id));
  },
  async slotCleared(a, _e, ctx) {
    await ctx.tx
      .insert(slots)
      .values({
        slot: a.slot,
        status: a.volume === 0n ? 'settled' : 'cleared',
        price: a.price ?? null,
        volume: a.volume,
        energyFen: a.energyFen,
        feeFen: a.feeFen,
        ...at(ctx),
      })
      .onConflictDoNothing();
    await ctx.tx
      .update(orders)
      .set({ status: 'unfilled' })
      .where(and(eq(orders.slot, a.slot), eq(orders.status, 'open')));
  },
  async deliverySettled(a, _e, ctx) {
    await ctx.tx
      .insert(settlements)
      .values({
        slot: a.slot,
        plant: a.plant,
        soldWh: a.soldWh,
        deliveredWh: a.deliveredWh,
        imbalanceFen: a.imbalanceFen,
        feedInFen: a.feedInFen,
        estimated: a.estimated,
        ...at(ctx),
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
  },
  async slotSettled(a, _e, ctx) {
    await ctx.tx.update(slots).set({ status: 'settled' }).where(eq(slots.slot, a.slot));
    await ctx.tx
      .update(orders)
      .set({ status: 'settled' })
      .where(and(eq(orders.slot, a.slot), eq(orders.status, 'cleared')));
  },
  async settlementTrueUp(a, _e, ctx) {
    await ctx.tx
      .insert(trueUps)
      .values({
        ...place(ctx),
        slot: a.slot,
        plant: a.plant,
        deliveredWh: a.deliveredWh,
        toSellerFen: a.toSellerFen,
        toGridFen: a.toGridFen,
      })
      .onConflictDoNothing();
    await ctx.tx
      .update(settlements)
      .set({ deliveredWh: a.deliveredWh })
      .where(and(eq(settlements.slot, a.slot), eq(settlements.plant, a.plant)));
  },
  async certificatesIssued(a, _e, ctx) {
    if (a.count === 0) return;
    await ctx.tx
      .insert(lots)
      .values({
        id: a.lot,
        plant: a.plant,
        month: a.month,
        owner: a.owner,
        count: a.count,
        status: 'active',
        expires: a.expires,
        ...at(ctx),
      })
      .onConflictDoNothing();
  },
  async certificatesTransferred(a, _e, ctx) {
    await splitLot(ctx, a.from, a.lot, a.count, { owner: a.to });
  },
  async certificatesRetired(a, _e, ctx) {
    await splitLot(ctx, a.from, a.lot, a.count, { status: 'retired', beneficiary: a.beneficiary });
  },
  async certificatesExpired(a, _e, ctx) {
    await ctx.tx.update(lots).set({ status: 'expired' }).where(eq(lots.id, a.lot));
  },
  async subsidyTokenised(a, _e, ctx) {
    await ctx.tx
      .insert(subsidies)
      .values({
        id: a.id,
        plant: a.plant,
        month: a.month,
        wh: a.wh,
        faceFen: a.faceFen,
        holder: a.holder,
        status: 'open',
        ...at(ctx),
      })
      .onConflictDoNothing();
  },
  async subsidyListed(a, _e, ctx) {
    await ctx.tx.update(subsidies).set({ askFen: a.askFen }).where(eq(subsidies.id, a.id));
  },
  async subsidySold(a, _e, ctx) {
    await ctx.tx.update(subsidies).set({ holder: a.to, askFen: null }).where(eq(subsidies.id, a.id));
  },
  async subsidyPaid(a, _e, ctx) {
    await ctx.tx.update(subsidies).set({ status: 'paid', askFen: null }).where(eq(subsidies.id, a.id));
  },
  async pointsCredited(a, _e, ctx) {
    await ctx.tx
      .insert(pointCredits)
      .values({
        ...place(ctx),
        plant: a.plant,
        owner: a.owner,
        symbol: a.symbol,
        points: a.points,
        earned: a.earned,
        carryWh: BigInt(a.carryWh),
      })
      .onConflictDoNothing();
  },
});

/** Mirrors the contract's splitLot: the whole lot changes in place, or `count` moves to a new lot. */
async function splitLot(
  ctx: HandlerContext,
  from: string,
  to: string,
  count: number,
  change: { owner?: string; status?: string; beneficiary?: string },
): Promise<void> {
  if (from === to) {
    await ctx.tx.update(lots).set(change).where(eq(lots.id, from));
    return;
  }
  const [source] = await ctx.tx.select().from(lots).where(eq(lots.id, from));
  if (!source) return;
  await ctx.tx
    .update(lots)
    .set({ count: sql`${lots.count} - ${count}` })
    .where(eq(lots.id, from));
  await ctx.tx
    .insert(lots)
    .values({ ...source, ...change, id: to, count, ...at(ctx) })
    .onConflictDoNothing();
}

export const solarIndexer: IndexerDefinition = {
  name: 'solar',
  handlers: solarHandlers,
  reset: async (tx) => {
    for (const table of readModels) await tx.delete(table);
  },
};
