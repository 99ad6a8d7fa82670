// The parking app's read models from the chain: operators, lots (with tariff version and occupancy),
// gate keys, sessions, receipts, adjustments and settlement statements. Attributes are read through the
// contract's event catalog; handlers write only through ctx.tx and key rows by contract ids, so a rebuild
// from genesis reproduces them. The gate keys also go to the runtime's cache (the ingest verifies
// signatures with it).
import type { ChainEventJson, HandlerContext, IndexerDefinition } from '@gongxin/app-kit';
import { parkingEvents } from '@gongxin/contracts/events';
import { eq, sql } from 'drizzle-orm';
import { adjustments, gates, lots, operators, readModels, receipts, sessions, statements } from './db/schema';

export function parkingIndexer(onGate?: (lot: string, gate: string, key: string) => void): IndexerDefinition {
  const handlers = parkingEvents.handlers<ChainEventJson, [HandlerContext], Promise<void>>({
    async operatorRegistered(a, _e, ctx) {
      await ctx.tx
        .insert(operators)
        .values({ ...a, height: ctx.height })
        .onConflictDoNothing();
    },
    async lotRegistered(a, _e, ctx) {
      await ctx.tx
        .insert(lots)
        .values({ ...a, tariffVersion: 0, open: 0, height: ctx.height })
        .onConflictDoNothing();
    },
    async tariffSet(a, _e, ctx) {
      await ctx.tx
        .update(lots)
        .set({ tariffVersion: a.version, tariffHash: a.hash })
        .where(eq(lots.id, a.lot));
    },
    async gateRegistered(a, _e, ctx) {
      await ctx.tx
        .insert(gates)
        .values({ ...a, height: ctx.height })
        .onConflictDoUpdate({ target: [gates.lot, gates.gate], set: { key: a.key, height: ctx.height } });
      onGate?.(a.lot, a.gate, a.key);
    },
    async passIssued() {},
    async sessionOpened(a, _e, ctx) {
      await ctx.tx
        .insert(sessions)
        .values({
          id: a.id,
          lot: a.lot,
          plateHash: a.plateHash,
          vehicle: a.vehicle,
          entry: a.entry,
          entryGate: a.gate,
          tariffVersion: a.tariffVersion,
          status: 'open',
          paidFen: 0n,
          adjustedFen: 0n,
          height: ctx.height,
          txId: ctx.txId,
        })
        .onConflictDoNothing();
      await ctx.tx
        .update(lots)
        .set({ open: sql`${lots.open} + 1` })
        .where(eq(lots.id, a.lot));
    },
    async sessionOrphaned(a, _e, ctx) {
      if (a.reason === 'superseded') {
        await ctx.tx
          .update(sessions)
          .set({ status: 'orphan', orphan: a.reason })
          .where(eq(sessions.id, a.id));
        await ctx.tx
          .update(lots)
          .set({ open: sql`greatest(${lots.open} - 1, 0)` })
          .where(eq(lots.id, a.lot));
        return;
      }
      // An exit without entry: its row, completed by the sessionClosed that follows.
      await ctx.tx
        .insert(sessions)
        .values({
          id: a.id,
          lot: a.lot,
          plateHash: a.plateHash,
          vehicle: a.vehicle,
          status: 'orphan',
          orphan: 'noEntry',
          paidFen: 0n,
          adjustedFen: 0n,
          height: ctx.height,
          txId: ctx.txId,
        })
        .onConflictDoNothing();
    },
    async sessionClosed(a, _e, ctx) {
      const [row] = await ctx.tx.select().from(sessions).where(eq(sessions.id, a.id));
      await ctx.tx
        .update(sessions)
        .set({
          exit: a.exit,
          exitGate: a.gate,
          feeFen: a.fee,
          ...(row?.status === 'open' && { status: 'closed' }),
        })
        .where(eq(sessions.id, a.id));
      if (row?.status === 'open')
        await ctx.tx
          .update(lots)
          .set({ open: sql`greatest(${lots.open} - 1, 0)` })
          .where(eq(lots.id, a.lot));
    },
    async paid(a, _e, ctx) {
      await ctx.tx
        .insert(receipts)
        .values({
          id: a.receipt,
          session: a.session,
          lot: a.lot,
          payer: a.payer,
          symbol: a.symbol,
          amount: a.amount,
          total: a.total,
          tariffVersion: a.tariffVersion,
          tariffHash: a.tariffHash,
          date: a.date,
          height: ctx.height,
          txId: ctx.txId,
          time: ctx.blockTime,
        })
        .onConflictDoNothing();
      await ctx.tx
        .update(sessions)
        .set({ paidFen: sql`${sessions.paidFen} + ${a.amount}` })
        .where(eq(sessions.id, a.session));
    },
    async refunded(a, _e, ctx) {
      await ctx.tx.update(receipts).set({ refunded: a.reason }).where(eq(receipts.id, a.receipt));
      await ctx.tx
        .update(sessions)
        .set({ paidFen: sql`${sessions.paidFen} - ${a.amount}` })
        .where(eq(sessions.id, a.session));
    },
    async adjusted(a, _e, ctx) {
      const delta = BigInt(a.delta);
      await ctx.tx
        .insert(adjustments)
        .values({ id: a.id, session: a.session, delta, reason: a.reason, by: a.by, height: ctx.height })
        .onConflictDoNothing();
      await ctx.tx
        .update(sessions)
        .set({ adjustedFen: sql`${sessions.adjustedFen} + ${delta}` })
        .where(eq(sessions.id, a.session));
    },
    async occupancyCounted(a, _e, ctx) {
      await ctx.tx.update(lots).set({ counted: a.counted }).where(eq(lots.id, a.lot));
    },
    async settled(a, _e, ctx) {
      await ctx.tx
        .insert(statements)
        .values({
          id: a.id,
          date: a.date,
          aggregator: a.aggregator,
          total: a.total,
          fees: a.fees,
          lines: a.lines.map((l) => ({
            ...l,
            net: l.net.toString(),
            fee: l.fee.toString(),
            share: l.share.toString(),
          })),
          height: ctx.height,
          txId: ctx.txId,
          time: ctx.blockTime,
        })
        .onConflictDoNothing();
    },
  });
  return {
    name: 'parking',
    handlers,
    reset: async (tx) => {
      for (const table of readModels) await tx.delete(table);
    },
  };
}
