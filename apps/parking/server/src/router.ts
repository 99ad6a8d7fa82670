// The parking app's tRPC router: lots with live occupancy, a driver's sessions by plate, the fee quote
// (the contract's tariff engine on the chain's tariff record), receipts with their tx (the browser
// verifies the proof), a signed-in driver's own vehicles (plates bound to the passport account, kept off
// chain), the operator's sessions and reconciliation list, and settlement statements.
// Reads come from the read models (src/indexer.ts), except the quote, which reads the chain's state.
import { appError } from '@gongxin/app-kit';
import { ChainError } from '@gongxin/client';
import { quote, type Tariff } from '@gongxin/contracts';
import { TRPCError } from '@trpc/server';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { accountNames } from './account-names';
import { gates, lots, operators, plates, receipts, reconciliation, sessions, statements } from './db/schema';
import { bindPlate, myPlates, unbindPlate, zBindablePlate } from './my-plates';
import { protectedProcedure, publicProcedure, roleProcedure, router } from './trpc';

const zPlate = z
  .string()
  .min(7, 'plate: 7 characters (8 for new-energy plates)')
  .max(10, 'plate: at most 10 characters')
  .regex(/^[\p{Script=Han}A-Z0-9]+$/u, 'plate: Chinese province character, letters and digits');
const zLot = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'lot: a lot id such as hq-p1');
const zSessionId = z.string().regex(/^[0-9a-f]{64}$/, 'session: 64 hex digits');
const zReceiptId = z
  .string()
  .regex(/^[0-9a-f]{64}(:\d{1,4})?$/, 'receipt: a tx id, with :<n> after the first');
const zDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date: YYYY-MM-DD');

const fen = (v: bigint | null) => (v === null ? null : v.toString());
type SessionRow = typeof sessions.$inferSelect;
const sessionJson = (s: SessionRow, plate?: string) => ({
  ...s,
  plate: plate ?? null,
  feeFen: fen(s.feeFen),
  paidFen: fen(s.paidFen),
  adjustedFen: fen(s.adjustedFen),
});

/** A tariff as the node API gives it (amounts as decimal strings) → the engine's. */
export function tariffFromJson(v: unknown): Tariff {
  const t = v as Record<string, unknown> & {
    rates: Record<string, { day: Record<string, unknown>; night: Record<string, unknown> }>;
    cap: { kind: string; fen: unknown };
  };
  const b = (x: unknown) => BigInt(String(x));
  const rates: Record<string, unknown> = {};
  for (const [k, r] of Object.entries(t.rates))
    rates[k] = {
      day: { firstUnitFen: b(r.day.firstUnitFen), unitFen: b(r.day.unitFen) },
      night: { firstUnitFen: b(r.night.firstUnitFen), unitFen: b(r.night.unitFen) },
    };
  return {
    ...(t as unknown as Tariff),
    rates: rates as Tariff['rates'],
    cap: { kind: t.cap.kind as Tariff['cap']['kind'], fen: b(t.cap.fen) },
    noEntryFen: b(t.noEntryFen),
  };
}

async function chainState<T>(
  client: { state(key: string): Promise<{ value: unknown }> },
  key: string,
): Promise<T | undefined> {
  try {
    return (await client.state(key)).value as T;
  } catch (error) {
    if (error instanceof ChainError && error.code === 'not_found') return undefined;
    if (error instanceof ChainError)
      throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: error.message });
    throw error;
  }
}

export const appRouter = router({
  lots: publicProcedure.query(async ({ ctx }) => {
    const rows = await ctx.services.database.db
      .select({ lot: lots, operatorName: operators.name })
      .from(lots)
      .leftJoin(operators, eq(operators.id, lots.operator))
      .orderBy(lots.id);
    return rows.map(({ lot, operatorName }) => ({
      ...lot,
      operatorName,
      free: Math.max(0, lot.capacity - lot.fixedSpaces - lot.open),
    }));
  }),

  /** A driver's sessions by plate (the plate is hashed with the suite's key, as on chain). */
  sessionsByPlate: publicProcedure
    .input(z.object({ plate: zPlate }).strict())
    .query(async ({ ctx, input }) => {
      const plateHash = ctx.app.plateHash(input.plate);
      const rows = await ctx.services.database.db
        .select()
        .from(sessions)
        .where(eq(sessions.plateHash, plateHash))
        .orderBy(desc(sessions.height))
        .limit(20);
      return rows.map((s) => sessionJson(s, input.plate));
    }),

  /** The signed-in driver's bound plates, each with its open stay and recent receipts. */
  myPlates: protectedProcedure.query(({ ctx }) => myPlates(ctx.services.database.db, ctx.user.address)),

  /** Binds a plate to the signed-in account (at most 5; binding one already bound changes nothing). */
  bindPlate: protectedProcedure
    .input(z.object({ plate: zBindablePlate }).strict())
    .mutation(async ({ ctx, input }) => {
      const hash = ctx.app.plateHash(input.plate);
      return bindPlate(ctx.services, ctx.user.address, input.plate, hash, ctx.app.now());
    }),

  unbindPlate: protectedProcedure
    .input(z.object({ plate: zBindablePlate }).strict())
    .mutation(async ({ ctx, input }) => {
      await unbindPlate(ctx.services.database.db, ctx.user.address, input.plate);
      return { plate: input.plate };
    }),

  session: publicProcedure.input(z.object({ id: zSessionId }).strict()).query(async ({ ctx, input }) => {
    const db = ctx.services.database.db;
    const [s] = await db.select().from(sessions).where(eq(sessions.id, input.id));
    if (!s) throw appError('NOT_FOUND', 'session_not_found', { id: input.id }, `no session ${input.id}`);
    const [plate] = await db.select().from(plates).where(eq(plates.plateHash, s.plateHash));
    const paid = await db.select().from(receipts).where(eq(receipts.session, s.id));
    return {
      ...sessionJson(s, plate?.plate),
      receipts: paid.map((r) => ({ ...r, amount: fen(r.amount), total: fen(r.total) })),
    };
  }),

  /** What is due now on a session, priced by the chain's tariff version of the session. */
  quote: publicProcedure
    .input(z.object({ session: zSessionId, at: z.number().int().min(0).optional() }).strict())
    .query(async ({ ctx, input }) => {
      const db = ctx.services.database.db;
      const [s] = await db.select().from(sessions).where(eq(sessions.id, input.session));
      if (!s)
        throw appError(
          'NOT_FOUND',
          'session_not_found',
          { id: input.session },
          `no session ${input.session}`,
        );
      const version = s.tariffVersion ?? 0;
      const record = await chainState<{ tariff: unknown; hash: string }>(
        ctx.services.chain.client,
        `parking/tariff/${s.lot}/${version}`,
      );
      if (!record)
        throw appError(
          'NOT_FOUND',
          'tariff_not_found',
          { lot: s.lot, version },
          `lot ${s.lot} has no tariff version ${version}`,
        );
      const exit = s.exit ?? input.at ?? ctx.app.now();
      const q = quote(tariffFromJson(record.tariff), {
        entry: s.entry,
        exit: s.entry === null ? exit : Math.max(exit, s.entry),
        vehicle: s.vehicle as 'small',
      });
      const due = q.totalFen - s.paidFen + s.adjustedFen;
      return {
        session: s.id,
        lot: s.lot,
        tariffVersion: version,
        tariffHash: record.hash,
        totalFen: q.totalFen.toString(),
        paidFen: s.paidFen.toString(),
        dueFen: (due > 0n ? due : 0n).toString(),
        lines: q.lines.map((l) => ({ ...l, fen: l.fen.toString() })),
        at: exit,
      };
    }),

  receipt: publicProcedure.input(z.object({ id: zReceiptId }).strict()).query(async ({ ctx, input }) => {
    const [r] = await ctx.services.database.db.select().from(receipts).where(eq(receipts.id, input.id));
    if (!r) throw appError('NOT_FOUND', 'receipt_not_found', { id: input.id }, `no receipt ${input.id}`);
    const names = await accountNames(ctx.services, [r.payer]);
    return { ...r, amount: fen(r.amount), total: fen(r.total), payerName: names[r.payer] ?? null };
  }),

  statements: publicProcedure
    .input(z.object({ date: zDate.optional() }).strict().default({}))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.services.database.db
        .select()
        .from(statements)
        .where(input.date ? eq(statements.date, input.date) : undefined)
        .orderBy(desc(statements.height))
        .limit(50);
      return rows.map((s) => ({ ...s, total: fen(s.total), fees: fen(s.fees) }));
    }),

  /** The gates registered on chain, with the live state of the demo's simulated gates. */
  gates: publicProcedure.query(async ({ ctx }) => {
    const rows = await ctx.services.database.db.select().from(gates).orderBy(gates.lot, gates.gate);
    const live = new Map((ctx.app.demoGates?.status() ?? []).map((g) => [`${g.lot}.${g.gate}`, g]));
    return rows.map((g) => ({
      lot: g.lot,
      gate: g.gate,
      key: g.key,
      height: g.height,
      live: live.get(`${g.lot}.${g.gate}`) ?? null,
    }));
  }),

  /** The demo only: a plate read at a simulated gate (signed and sent over MQTT like a device's). */
  simulateRead: publicProcedure
    .input(
      z
        .object({
          lot: zLot,
          kind: z.enum(['entry', 'exit']),
          plate: zPlate,
          minutesAgo: z
            .number()
            .int()
            .min(0)
            .max(24 * 60)
            .optional(),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      if (!ctx.app.demoGates)
        throw new TRPCError({ code: 'FORBIDDEN', message: 'simulated gates run only in the demo' });
      const decision = await ctx.app.demoGates.read(input.lot, input.kind, input.plate, input.minutesAgo);
      if (!decision)
        throw appError(
          'NOT_FOUND',
          'gate_not_found',
          { lot: input.lot },
          `no simulated gate at lot ${input.lot}`,
        );
      return decision;
    }),

  /** A day's takings per lot (China time) and what of them is settled, with the split they would get. */
  dayRevenue: publicProcedure.input(z.object({ date: zDate }).strict()).query(async ({ ctx, input }) => {
    const db = ctx.services.database.db;
    const lotRows = await db
      .select({ lot: lots, operatorName: operators.name })
      .from(lots)
      .leftJoin(operators, eq(operators.id, lots.operator))
      .orderBy(lots.id);
    const paid = await db.select().from(receipts).where(eq(receipts.date, input.date));
    const settledRows = await db.select().from(statements).where(eq(statements.date, input.date));
    const settled = new Map<string, bigint>();
    for (const st of settledRows)
      for (const l of st.lines as { lot: string; net: string }[])
        settled.set(l.lot, (settled.get(l.lot) ?? 0n) + BigInt(l.net));
    return lotRows.map(({ lot, operatorName }) => {
      const mine = paid.filter((r) => r.lot === lot.id && r.refunded === null);
      const gross = mine.reduce((a, r) => a + r.amount, 0n);
      const done = settled.get(lot.id) ?? 0n;
      const pending = gross - done;
      const fee = pending > 0n ? (pending * BigInt(lot.feeBps)) / 10_000n : 0n;
      return {
        lot: lot.id,
        name: lot.name,
        operator: lot.operator,
        operatorName,
        feeBps: lot.feeBps,
        payments: mine.length,
        gross: gross.toString(),
        settled: done.toString(),
        pending: pending.toString(),
        pendingFee: fee.toString(),
        pendingShare: (pending - fee).toString(),
      };
    });
  }),

  /** The lot's sessions for its operator's console. */
  lotSessions: roleProcedure('parking', 'operator')
    .input(z.object({ lot: zLot, status: z.enum(['open', 'closed', 'orphan']).optional() }).strict())
    .query(async ({ ctx, input }) => {
      const db = ctx.services.database.db;
      const rows = await db
        .select()
        .from(sessions)
        .where(and(eq(sessions.lot, input.lot), input.status ? eq(sessions.status, input.status) : undefined))
        .orderBy(desc(sessions.height))
        .limit(200);
      const hashes = [...new Set(rows.map((r) => r.plateHash))];
      const known = hashes.length
        ? await db.select().from(plates).where(inArray(plates.plateHash, hashes))
        : [];
      const plateOf = new Map(known.map((p) => [p.plateHash, p.plate]));
      return rows.map((s) => sessionJson(s, plateOf.get(s.plateHash)));
    }),

  /** Differences between what gates decided on their own and what the chain priced. */
  reconciliation: roleProcedure('parking', 'operator')
    .input(z.object({ lot: zLot.optional() }).strict().default({}))
    .query(async ({ ctx, input }) => {
      await ctx.app.reconcile(input.lot);
      const rows = await ctx.services.database.db
        .select()
        .from(reconciliation)
        .where(input.lot ? eq(reconciliation.lot, input.lot) : undefined)
        .orderBy(desc(reconciliation.listedAt))
        .limit(500);
      return rows.map((r) => ({
        ...r,
        gateDueFen: fen(r.gateDueFen),
        chainFeeFen: fen(r.chainFeeFen),
        chainPaidFen: fen(r.chainPaidFen),
        differenceFen: fen(r.differenceFen),
      }));
    }),
});

export type AppRouter = typeof appRouter;
