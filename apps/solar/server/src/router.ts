// The solar app's tRPC router: plants and their meters, each meter's intervals with their anchors, the
// live curve with today's forecast, the audit path of a reading to its anchored interval root, the market
// (slots, orders, continuous trades, settlements and true-ups), each party's bills, owners' points,
// certificates and subsidy receivables, meter health and ingest rejects.
// Reads only: writes (registering plants and meters, orders, certificates) are txs signed in the user's
// browser and sent to the node. Quantities are Wh and fen, sent as decimal strings.
import { appError } from '@gongxin/app-kit';
import { ChainError } from '@gongxin/client';
import type { Db } from '@gongxin/db';
import { clearSkyIrradiance } from '@gongxin/solar-meter';
import { INTERVAL_MS } from '@gongxin/solar-meter/protocol';
import { TRPCError } from '@trpc/server';
import { and, asc, desc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  anchors,
  lots,
  meterIntervals,
  meters,
  orders,
  plants,
  pointCredits,
  settlements,
  slots,
  subsidies,
  trades,
  trueUps,
} from './db/schema';
import { SOLAR_STREAM } from './ingest';
import { publicProcedure, router } from './trpc';

const zCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'an id is 1–64 of A-Z a-z 0-9 _ . -');
const zAddress = z.string().regex(/^gx1[0-9a-z]{20,90}$/, 'an address starts gx1');
const zTime = z.number().int().min(0).max(8_640_000_000_000);
const DAY = 86_400_000;
/** A meter with no reading for this long is shown offline. */
export const OFFLINE_MS = 5 * 60_000;

/** bigint → decimal string, recursively (tRPC's JSON carries no bigint). */
export function jsonable<T>(value: T): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(jsonable);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonable(v)]));
  return value;
}

/**
 * An order's bill in signed fen (+ paid to the order's account, − paid by it): a seller is paid the
 * energy; a buyer pays the energy and the grid fee.
 */
export const orderAmountFen = (o: { side: string; energyFen: bigint; feeFen: bigint }): bigint =>
  o.side === 'sell' ? o.energyFen : -(o.energyFen + o.feeFen);

/** Plant id → name, for the plants among `ids` (an order's or a bill's plant named, not just its id). */
async function plantNames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: plants.id, name: plants.name })
    .from(plants)
    .where(inArray(plants.id, wanted));
  return new Map(rows.map((p) => [p.id, p.name]));
}

/** Start of the day (China Standard Time) containing `ms`. */
const dayStart = (ms: number) => Math.floor((ms + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000;

export const appRouter = router({
  plants: router({
    list: publicProcedure
      .input(z.object({ owner: zAddress.optional() }).strict().optional())
      .query(async ({ ctx, input }) => {
        const db = ctx.services.database.db;
        const rows = await db
          .select()
          .from(plants)
          .where(input?.owner ? eq(plants.owner, input.owner) : undefined)
          .orderBy(asc(plants.id));
        const totals = await ctx.services.database.query<{
          plant: string;
          export_wh: string;
          meters: number;
        }>(sql`
          select m.plant, coalesce(sum(i.export_wh), 0)::text as export_wh, count(distinct m.id)::int as meters
          from solar.meters m left join solar.meter_intervals i on i.meter = m.id
          group by m.plant`);
        const byPlant = new Map(totals.map((t) => [t.plant, t]));
        return jsonable(
          rows.map((p) => ({
            ...p,
            exportWh: byPlant.get(p.id)?.export_wh ?? '0',
            meters: byPlant.get(p.id)?.meters ?? 0,
          })),
        ) as Record<string, unknown>[];
      }),

    /** One plant: meters, today's curve (readings) and forecast, and its intervals with their anchors. */
    get: publicProcedure
      .input(z.object({ id: zCode, day: zTime.optional() }).strict())
      .query(async ({ ctx, input }) => {
        const db = ctx.services.database.db;
        const [plant] = await db.select().from(plants).where(eq(plants.id, input.id));
        if (!plant) throw appError('NOT_FOUND', 'plant_not_found', { id: input.id }, `no plant ${input.id}`);
        const plantMeters = await db.select().from(meters).where(eq(meters.plant, input.id));
        const ids = plantMeters.map((m) => m.id);
        const from = dayStart(input.day ?? ctx.app.now());
        const intervals =
          ids.length === 0
            ? []
            : await db
                .select()
                .from(meterIntervals)
                .where(
                  and(
                    inArray(meterIntervals.meter, ids),
                    gte(meterIntervals.start, from),
                    lt(meterIntervals.start, from + DAY),
                  ),
                )
                .orderBy(asc(meterIntervals.start));
        const anchored =
          ids.length === 0
            ? []
            : await db
                .select()
                .from(anchors)
                .where(
                  and(inArray(anchors.meter, ids), gte(anchors.start, from), lt(anchors.start, from + DAY)),
                );
        const anchorOf = (meter: string, start: number) =>
          anchored
            .filter((a) => a.meter === meter && a.start === start)
            .sort((a, b) => b.revision - a.revision)[0];
        // The curve: every reading of the day, as power, temperature and irradiance.
        const curve: { ts: number; meter: string; power: number; temperature: number; irradiance: number }[] =
          [];
        for (const id of ids) {
          for (const r of await ctx.app.aggregator.readingsOf(id, from, from + DAY - INTERVAL_MS)) {
            curve.push({
              ts: r.ts,
              meter: id,
              power: r.power,
              temperature: r.temperature,
              irradiance: r.irradiance,
            });
          }
        }
        curve.sort((a, b) => a.ts - b.ts);
        // Forecast for the rest of the day: the clear-sky curve, scaled by how the morning's readings
        // compared with clear sky (a cloudy morning lowers the afternoon's expectation).
        const lat = plant.latE6 / 1e6;
        const lon = plant.lonE6 / 1e6;
        const capacity = Number(plant.capacityW);
        const measured = curve.filter((c) => c.irradiance > 0);
        const clearAtMeasured = measured.reduce((s, c) => s + clearSkyIrradiance(c.ts, lat, lon), 0);
        const ratio =
          measured.length > 0 && clearAtMeasured > 0
            ? Math.min(1.2, measured.reduce((s, c) => s + c.irradiance, 0) / clearAtMeasured)
            : 1;
        const now = ctx.app.now();
        const forecast: { ts: number; power: number }[] = [];
        for (
          let t = Math.max(from, Math.ceil(now / INTERVAL_MS) * INTERVAL_MS);
          t < from + DAY;
          t += INTERVAL_MS
        ) {
          forecast.push({
            ts: t,
            power: Math.round((capacity * clearSkyIrradiance(t, lat, lon) * ratio) / 1000),
          });
        }
        return jsonable({
          plant,
          meters: plantMeters,
          curve,
          forecast,
          intervals: intervals.map((i) => ({ ...i, anchor: anchorOf(i.meter, i.start) ?? null })),
        }) as Record<string, unknown>;
      }),
  }),

  /** The audit path of one reading to its interval's root, and the anchor of that root on chain. */
  proof: publicProcedure
    .input(z.object({ meter: zCode, epoch: z.number().int().min(0), seq: z.number().int().min(0) }).strict())
    .query(async ({ ctx, input }) => {
      let proof = await ctx.app.aggregator.proof(input.meter, input.epoch, input.seq);
      if (!proof) throw appError('NOT_FOUND', 'reading_not_found', {}, 'no such reading');
      const [anchor] = await ctx.services.database.db
        .select()
        .from(anchors)
        .where(and(eq(anchors.meter, input.meter), eq(anchors.start, proof.start)))
        .orderBy(desc(anchors.revision))
        .limit(1);
      // The path over the set of the anchor that is on chain (a newer one may still be on its way there).
      if (anchor && proof.revision !== anchor.revision) {
        const at = { epoch: input.epoch, seq: input.seq };
        proof =
          (await ctx.app.aggregator.intervalProof(input.meter, proof.start, at, anchor.revision)) ?? proof;
      }
      return jsonable({ ...proof, anchor: anchor ?? null }) as Record<string, unknown>;
    }),

  /** The audit path of an interval's first reading: verified in the browser against the anchored root. */
  intervalProof: publicProcedure
    .input(
      z
        .object({
          meter: zCode,
          start: zTime.refine((s) => s % INTERVAL_MS === 0, 'a 15-minute boundary'),
          /** The anchor revision to prove against (the newest anchored one by default). */
          revision: z.number().int().min(0).optional(),
        })
        .strict(),
    )
    .query(async ({ ctx, input }) => {
      const proof = await ctx.app.aggregator.proofOfInterval(input.meter, input.start, input.revision);
      if (!proof) throw appError('NOT_FOUND', 'interval_empty', {}, 'no readings in this interval');
      return jsonable(proof) as Record<string, unknown>;
    }),

  market: router({
    /** How slots opened from now on are matched (pay-as-clear or continuous) and the settlement asset. */
    config: publicProcedure.query(async ({ ctx }) => {
      try {
        const { value } = await ctx.services.chain.client.state('energy/config');
        const c = (value ?? {}) as { matching?: unknown; currency?: unknown };
        return {
          matching: c.matching === 'continuous' ? ('continuous' as const) : ('clear' as const),
          currency: typeof c.currency === 'string' ? c.currency : null,
        };
      } catch (error) {
        if (error instanceof ChainError && error.code === 'not_found')
          return { matching: null, currency: null };
        throw new TRPCError({
          code: 'SERVICE_UNAVAILABLE',
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }),

    /**
     * Slots from `from` on: the result, the book (each order with its bill, `amountFen`: signed fen, +
     * paid to the order's account), continuous trades, settlements and true-ups.
     */
    slots: publicProcedure
      .input(
        z.object({ from: zTime.optional(), limit: z.number().int().min(1).max(200).default(48) }).strict(),
      )
      .query(async ({ ctx, input }) => {
        const db = ctx.services.database.db;
        const from = input.from ?? ctx.app.now() - DAY;
        const book = await db
          .select()
          .from(orders)
          .where(gte(orders.slot, from))
          .orderBy(asc(orders.slot), asc(orders.price))
          .limit(input.limit * 20);
        const cleared = await db.select().from(slots).where(gte(slots.slot, from)).orderBy(asc(slots.slot));
        const settled = await db.select().from(settlements).where(gte(settlements.slot, from));
        const fills = await db
          .select()
          .from(trades)
          .where(gte(trades.slot, from))
          .orderBy(asc(trades.height), asc(trades.eventIndex));
        const trued = await db
          .select()
          .from(trueUps)
          .where(gte(trueUps.slot, from))
          .orderBy(asc(trueUps.height), asc(trueUps.eventIndex));
        const starts = [...new Set([...book.map((o) => o.slot), ...cleared.map((s) => s.slot)])]
          .sort((a, b) => a - b)
          .slice(0, input.limit);
        // Whose power it is: the plant by name and each account by the name this deployment knows.
        const plantName = await plantNames(
          db,
          book.map((o) => o.plant),
        );
        const partyName = (address: string) => ctx.app.partyNames.get(address) ?? null;
        return jsonable(
          starts.map((slot) => ({
            slot,
            result: cleared.find((s) => s.slot === slot) ?? null,
            orders: book
              .filter((o) => o.slot === slot)
              .map((o) => ({
                ...o,
                amountFen: orderAmountFen(o),
                plantName: (o.plant && plantName.get(o.plant)) ?? null,
                accountName: partyName(o.account),
              })),
            settlements: settled.filter((s) => s.slot === slot),
            trades: fills
              .filter((f) => f.slot === slot)
              .map((f) => ({ ...f, sellerName: partyName(f.seller), buyerName: partyName(f.buyer) })),
            trueUps: trued.filter((x) => x.slot === slot),
          })),
        ) as Record<string, unknown>[];
      }),

    /**
     * One party's bills across slots: each filled order (a seller is paid the energy, a buyer pays the
     * energy and the grid fee) with its continuous fills, each order still open in a slot not cleared
     * yet (its amount 0 until it is), each order the clearing left unfilled (amount 0, with the
     * clearing's tx), and for the plants the party owns each settlement against the readings (feed-in
     * paid, shortfall charged) and every true-up. Amounts are signed fen as decimal strings (+ to the
     * party); the total is their exact sum.
     */
    bills: publicProcedure
      .input(
        z
          .object({
            account: zAddress,
            from: zTime.optional(),
            limit: z.number().int().min(1).max(500).default(200),
          })
          .strict(),
      )
      .query(async ({ ctx, input }) => {
        const db = ctx.services.database.db;
        const from = input.from ?? 0;
        const mine = await db
          .select()
          .from(orders)
          .where(
            and(
              eq(orders.account, input.account),
              gte(orders.slot, from),
              // What was filled, what is still on offer in a slot not cleared yet (nothing to pay yet,
              // but the party sees everything they offered), and what the slot's clearing left unfilled.
              or(sql`${orders.filledWh} > 0`, inArray(orders.status, ['open', 'unfilled'])),
            ),
          )
          .orderBy(desc(orders.slot), asc(orders.height))
          .limit(input.limit);
        const ids = mine.map((o) => o.id);
        // An unfilled order was concluded by its slot's clearing (or a continuous slot's close): that tx.
        const unfilledSlots = [...new Set(mine.filter((o) => o.status === 'unfilled').map((o) => o.slot))];
        const clearedBy = new Map(
          (unfilledSlots.length === 0
            ? []
            : await db
                .select({ slot: slots.slot, height: slots.height, txId: slots.txId })
                .from(slots)
                .where(inArray(slots.slot, unfilledSlots))
          ).map((s) => [s.slot, s]),
        );
        const fills =
          ids.length === 0
            ? []
            : await db
                .select()
                .from(trades)
                .where(or(inArray(trades.sellOrder, ids), inArray(trades.buyOrder, ids)))
                .orderBy(asc(trades.height), asc(trades.eventIndex));
        const owned = (
          await db.select({ id: plants.id }).from(plants).where(eq(plants.owner, input.account))
        ).map((p) => p.id);
        const settled =
          owned.length === 0
            ? []
            : await db
                .select()
                .from(settlements)
                .where(and(inArray(settlements.plant, owned), gte(settlements.slot, from)))
                .orderBy(desc(settlements.slot))
                .limit(input.limit);
        const trued =
          owned.length === 0
            ? []
            : await db
                .select()
                .from(trueUps)
                .where(and(inArray(trueUps.plant, owned), gte(trueUps.slot, from)))
                .orderBy(asc(trueUps.height), asc(trueUps.eventIndex));
        const plantName = await plantNames(db, [...mine.map((o) => o.plant), ...owned]);
        type Line = {
          kind: 'order' | 'settlement' | 'trueUp';
          slot: number;
          /** Signed fen: + paid to the party, − paid by it. */
          amountFen: bigint;
          height: number | null;
          txId: string | null;
          [k: string]: unknown;
        };
        const lines: Line[] = [];
        for (const o of mine) {
          const amountFen = orderAmountFen(o);
          lines.push({
            kind: 'order',
            slot: o.slot,
            order: o.id,
            side: o.side,
            plant: o.plant,
            plantName: (o.plant && plantName.get(o.plant)) ?? null,
            wh: o.filledWh,
            offeredWh: o.wh,
            price: o.price,
            energyFen: o.energyFen,
            feeFen: o.side === 'buy' ? o.feeFen : 0n,
            status: o.status,
            amountFen,
            placedHeight: o.height,
            placedTxId: o.txId,
            height: o.filledHeight ?? clearedBy.get(o.slot)?.height ?? null,
            txId: o.filledTxId ?? clearedBy.get(o.slot)?.txId ?? null,
            fills: fills
              .filter((f) => f.sellOrder === o.id || f.buyOrder === o.id)
              .map((f) => ({
                ...f,
                amountFen: orderAmountFen({ side: o.side, energyFen: f.energyFen, feeFen: f.feeFen }),
              })),
          });
        }
        for (const x of settled) {
          lines.push({
            kind: 'settlement',
            slot: x.slot,
            plant: x.plant,
            plantName: plantName.get(x.plant) ?? null,
            soldWh: x.soldWh,
            deliveredWh: x.deliveredWh,
            imbalanceFen: x.imbalanceFen,
            feedInFen: x.feedInFen,
            estimated: x.estimated,
            amountFen: x.feedInFen - x.imbalanceFen,
            height: x.height,
            txId: x.txId,
            time: x.time,
          });
        }
        for (const x of trued) {
          lines.push({
            kind: 'trueUp',
            slot: x.slot,
            plant: x.plant,
            plantName: plantName.get(x.plant) ?? null,
            deliveredWh: x.deliveredWh,
            toSellerFen: x.toSellerFen,
            toGridFen: x.toGridFen,
            amountFen: x.toSellerFen - x.toGridFen,
            height: x.height,
            txId: x.txId,
            time: x.time,
          });
        }
        const rank = { order: 0, settlement: 1, trueUp: 2 } as const;
        lines.sort(
          (a, b) => b.slot - a.slot || rank[a.kind] - rank[b.kind] || (a.height ?? 0) - (b.height ?? 0),
        );
        let totalFen = 0n;
        let paidFen = 0n;
        let chargedFen = 0n;
        for (const l of lines) {
          totalFen += l.amountFen;
          if (l.amountFen > 0n) paidFen += l.amountFen;
          else chargedFen -= l.amountFen;
        }
        return jsonable({ lines, totalFen, paidFen, chargedFen }) as {
          lines: Record<string, unknown>[];
          totalFen: string;
          paidFen: string;
          chargedFen: string;
        };
      }),
  }),

  /**
   * An owner's points (总积分, energy contract v2): points credited ever across their plants (1 per kWh
   * of anchored export), per plant with the Wh carried, and the latest credit's block and tx.
   */
  points: publicProcedure.input(z.object({ owner: zAddress }).strict()).query(async ({ ctx, input }) => {
    const db = ctx.services.database.db;
    const credits = await db
      .select()
      .from(pointCredits)
      .where(eq(pointCredits.owner, input.owner))
      .orderBy(desc(pointCredits.height), desc(pointCredits.eventIndex));
    let total = 0n;
    const perPlant = new Map<string, { plant: string; earned: bigint; carryWh: bigint }>();
    for (const c of credits) {
      total += c.points;
      if (!perPlant.has(c.plant))
        perPlant.set(c.plant, { plant: c.plant, earned: c.earned, carryWh: c.carryWh });
    }
    return jsonable({
      symbol: credits[0]?.symbol ?? null,
      total,
      plants: [...perPlant.values()],
      latest: credits[0] ?? null,
    }) as {
      symbol: string | null;
      total: string;
      plants: { plant: string; earned: string; carryWh: string }[];
      latest: { height: number; txId: string; time: number; plant: string; points: string } | null;
    };
  }),

  certificates: publicProcedure
    .input(z.object({ owner: zAddress.optional(), plant: zCode.optional() }).strict())
    .query(async ({ ctx, input }) => {
      const db = ctx.services.database.db;
      const lotRows = await db
        .select()
        .from(lots)
        .where(
          and(
            input.owner ? eq(lots.owner, input.owner) : undefined,
            input.plant ? eq(lots.plant, input.plant) : undefined,
          ),
        )
        .orderBy(desc(lots.height));
      const subsidyRows = await db
        .select()
        .from(subsidies)
        .where(
          and(
            input.owner ? eq(subsidies.holder, input.owner) : undefined,
            input.plant ? eq(subsidies.plant, input.plant) : undefined,
          ),
        );
      return jsonable({ lots: lotRows, subsidies: subsidyRows }) as Record<string, unknown>;
    }),

  /** Meter health: offline (no reading for 5 min), resets and estimated intervals today, ingest rejects by reason. */
  health: publicProcedure.query(async ({ ctx }) => {
    const database = ctx.services.database;
    const now = ctx.app.now();
    const last = await database.query<{ device: string; ts: string | number }>(sql`
      select device, max(ts) as ts from appkit_ingest.readings where stream = ${SOLAR_STREAM} group by device`);
    const flags = await database.query<{ meter: string; resets: number; estimated: number }>(sql`
      select meter, count(*) filter (where reset)::int as resets, count(*) filter (where estimated)::int as estimated
      from solar.meter_intervals where start >= ${dayStart(now)} group by meter`);
    const rejects = await database.query<{ reason: string; count: number }>(sql`
      select reason, count(*)::int as count from appkit_ingest.rejected where stream = ${SOLAR_STREAM}
      group by reason order by reason`);
    const registered = await database.db.select({ id: meters.id, plant: meters.plant }).from(meters);
    return {
      meters: registered.map((m) => {
        const seen = Number(last.find((l) => l.device === m.id)?.ts ?? 0);
        const f = flags.find((x) => x.meter === m.id);
        return {
          ...m,
          lastReading: seen || null,
          offline: now - seen > OFFLINE_MS,
          resets: f?.resets ?? 0,
          estimated: f?.estimated ?? 0,
        };
      }),
      rejects,
    };
  }),
});

export type AppRouter = typeof appRouter;
