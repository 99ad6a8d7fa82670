// The food app's tRPC API (/food/api/trpc): master data, events, traceability, recalls and alerts for the
// staff pages, and capture from the web forms (the person's browser signs the anchors it returns).
import { appError, type SessionUser } from '@gongxin/app-kit';
import { FOOD_ORG_ROLES } from '@gongxin/contracts';
import { TRPCError } from '@trpc/server';
import { and, desc, eq, inArray, isNull, notExists, sql } from 'drizzle-orm';
import { z } from 'zod';
import { anchorActions, CaptureError } from './capture';
import { csvToDocument } from './csv';
import {
  alerts,
  anchors,
  captures,
  eventEpcs,
  events,
  findings,
  locations,
  organisations,
  orgRoles,
  products,
  recalledLots,
  recalls,
  scans,
} from './db/schema';
import {
  canonicalEpc,
  Gs1Error,
  gtinOfKey,
  isValidGln,
  isValidGtin,
  lineage,
  recallImpact,
  timeline,
} from './domain';
import { findEvent, pageToken, parsePageToken, queryEvents, SqlEventStore } from './store';
import { protectedProcedure, publicProcedure, router } from './trpc';

const zEpc = z
  .string()
  .min(1)
  .max(400)
  .transform((value, ctx) => {
    try {
      return canonicalEpc(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Gs1Error ? error.message : 'not an EPC' });
      return z.NEVER;
    }
  });

function foodRolesOf(user: Pick<SessionUser, 'roles'>): string[] {
  return user.roles.filter((r) => r.app === 'food').map((r) => r.role);
}

const badCapture = (error: unknown): never => {
  if (error instanceof CaptureError)
    throw appError('BAD_REQUEST', error.key, error.params, error.message, error);
  throw error;
};

export const appRouter = router({
  overview: publicProcedure.query(async ({ ctx }) => {
    const [counts] = await ctx.services.database.query<{
      events: number;
      anchored: number;
      products: number;
      locations: number;
      recalls: number;
      alerts: number;
      unanchored: number;
    }>(sql`
      select (select count(*)::int from food.events) as events, (select count(*)::int from food.anchors) as anchored,
             (select count(*)::int from food.events e where not exists (select 1 from food.anchors a where a.hash = e.hash)) as unanchored,
             (select count(*)::int from food.products) as products, (select count(*)::int from food.locations) as locations,
             (select count(*)::int from food.recalls) as recalls, (select count(*)::int from food.alerts where status = 'open') as alerts`);
    return counts!;
  }),

  me: publicProcedure.query(({ ctx }) => ({
    address: ctx.user?.address ?? null,
    roles: ctx.user ? foodRolesOf(ctx.user) : [],
  })),

  masterData: router({
    products: publicProcedure.query(({ ctx }) =>
      ctx.services.database.db.select().from(products).orderBy(products.gtin),
    ),
    locations: publicProcedure.query(({ ctx }) =>
      ctx.services.database.db.select().from(locations).orderBy(locations.gln),
    ),
    organisations: publicProcedure.query(async ({ ctx }) => {
      const db = ctx.services.database.db;
      const [roles, names] = await Promise.all([db.select().from(orgRoles), db.select().from(organisations)]);
      const demo = new Map(ctx.app.orgs.map((o) => [o.address, o]));
      const nameOf = new Map(names.map((n) => [n.address, n.name]));
      return roles.map((r) => ({
        address: r.address,
        role: r.role,
        name: nameOf.get(r.address) ?? demo.get(r.address)?.name['zh-CN'] ?? null,
        nameEn: demo.get(r.address)?.name.en ?? null,
      }));
    }),
    lots: publicProcedure
      .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 }))
      .query(async ({ ctx, input }) => {
        const rows = await ctx.services.database.db
          .select({
            epc: eventEpcs.epc,
            events: sql<number>`count(*)::int`,
            last: sql<number>`max(${eventEpcs.eventTime})`,
          })
          .from(eventEpcs)
          .where(sql`${eventEpcs.epc} like 'https://id.gs1.org/01/%/10/%'`)
          .groupBy(eventEpcs.epc)
          .orderBy(desc(sql`max(${eventEpcs.eventTime})`))
          .limit(input.limit);
        // Each lot with its product's registered name (the GTIN after /01/), so a list reads as goods.
        const gtinOf = (epc: string) => gtinOfKey(epc) ?? '';
        const gtins = [...new Set(rows.map((r) => gtinOf(r.epc)))];
        const names = gtins.length
          ? await ctx.services.database.db
              .select({ gtin: products.gtin, name: products.name })
              .from(products)
              .where(inArray(products.gtin, gtins))
          : [];
        const nameOf = new Map(names.map((n) => [n.gtin, n.name]));
        return rows.map((r) => ({ ...r, last: Number(r.last), product: nameOf.get(gtinOf(r.epc)) ?? null }));
      }),
    /** Checks a GTIN or GLN as typed (check digit), for the forms. */
    check: publicProcedure
      .input(z.object({ kind: z.enum(['gtin', 'gln']), value: z.string().max(20) }))
      .query(({ input }) => ({
        ok: input.kind === 'gtin' ? isValidGtin(input.value) : isValidGln(input.value),
      })),
  }),

  events: router({
    list: publicProcedure
      .input(
        z.object({
          epc: zEpc.optional(),
          eventType: z.string().max(40).optional(),
          bizStep: z.string().max(200).optional(),
          cursor: z.string().max(200).optional(),
          limit: z.number().int().min(1).max(200).default(50),
        }),
      )
      .query(async ({ ctx, input }) => {
        const after = input.cursor ? parsePageToken(input.cursor) : undefined;
        if (input.cursor && !after) throw appError('BAD_REQUEST', 'unknown_cursor', {}, 'unknown cursor');
        const list = await queryEvents(ctx.services.database.db, {
          ...(input.epc && {
            epcs: { keys: [input.epc], roles: ['object', 'parent', 'child', 'input', 'output', 'lot'] },
          }),
          ...(input.eventType && { eventTypes: [input.eventType] }),
          ...(input.bizStep && { bizSteps: [input.bizStep] }),
          ...(after && { after }),
          newestFirst: true,
          limit: input.limit,
        });
        return {
          items: list.map(({ row, anchor }) => ({
            hash: row.hash,
            hashId: row.hashId,
            type: row.type,
            action: row.action,
            eventTime: row.eventTime,
            bizStep: row.bizStep,
            disposition: row.disposition,
            gln: row.gln,
            org: row.org,
            source: row.source,
            anchor: anchor && { height: anchor.height, index: anchor.eventIndex, txId: anchor.txId },
            anchorError: row.anchorError,
          })),
          cursor: list.length === input.limit ? pageToken(list.at(-1)!.row) : null,
        };
      }),
    get: publicProcedure.input(z.object({ id: z.string().min(1).max(300) })).query(async ({ ctx, input }) => {
      const found = await findEvent(ctx.services.database.db, input.id);
      if (!found) throw appError('NOT_FOUND', 'event_not_found', { id: input.id }, `no event ${input.id}`);
      return { row: { ...found.row }, anchor: found.anchor };
    }),
  }),

  trace: router({
    /**
     * Lots whose lot number is what a person typed (the trace page takes a bare lot number as readily as
     * a Digital Link): canonical Digital Links, most recently moved first.
     */
    find: publicProcedure
      .input(z.object({ lot: z.string().trim().min(1).max(20) }))
      .query(async ({ ctx, input }) => {
        const encoded = encodeURIComponent(input.lot).replace(
          /[!'()*]/g,
          (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
        );
        const pattern = `https://id.gs1.org/01/%/10/${encoded.replace(/[\\%_]/g, (c) => `\\${c}`)}`;
        const rows = await ctx.services.database.db
          .select({ epc: eventEpcs.epc, last: sql<number>`max(${eventEpcs.eventTime})` })
          .from(eventEpcs)
          .where(sql`${eventEpcs.epc} like ${pattern}`)
          .groupBy(eventEpcs.epc)
          .orderBy(desc(sql`max(${eventEpcs.eventTime})`))
          .limit(20);
        return rows.map((r) => r.epc);
      }),
    timeline: publicProcedure.input(z.object({ epc: zEpc })).query(async ({ ctx, input }) => {
      const store = new SqlEventStore(ctx.services.database.db);
      const entries = await timeline(store, input.epc);
      const anchored = await ctx.services.database.db
        .select()
        .from(anchors)
        .where(inArray(anchors.hash, entries.length ? entries.map((e) => e.eventId) : ['']));
      const byHash = new Map(anchored.map((a) => [a.hash, a]));
      return entries.map((e) => {
        const a = byHash.get(e.eventId);
        return { ...e, anchor: a ? { height: a.height, index: a.eventIndex, txId: a.txId } : null };
      });
    }),
    lineage: publicProcedure
      .input(z.object({ epc: zEpc, direction: z.enum(['upstream', 'downstream']) }))
      .query(({ ctx, input }) =>
        lineage(new SqlEventStore(ctx.services.database.db), input.epc, input.direction, { maxNodes: 2000 }),
      ),
    recallImpact: publicProcedure.input(z.object({ lot: zEpc })).query(async ({ ctx, input }) => {
      const db = ctx.services.database.db;
      const retail = await db
        .select({ gln: locations.gln })
        .from(locations)
        .innerJoin(orgRoles, and(eq(orgRoles.address, locations.by), eq(orgRoles.role, 'retailer')));
      const impact = await recallImpact(new SqlEventStore(db), input.lot, {
        retailLocations: new Set(retail.map((r) => r.gln)),
      });
      // Places in words: every retail location that holds or sold the goods, by name.
      const glns = impact.retailPlaces.flatMap((p) => (p.gln ? [p.gln] : []));
      const names = new Map(
        (glns.length
          ? await db
              .select({ gln: locations.gln, name: locations.name })
              .from(locations)
              .where(inArray(locations.gln, glns))
          : []
        ).map((l) => [l.gln, l.name]),
      );
      return {
        ...impact,
        retailPlaces: impact.retailPlaces.map((p) => ({ ...p, name: (p.gln && names.get(p.gln)) || null })),
      };
    }),
  }),

  recalls: router({
    list: publicProcedure.query(({ ctx }) =>
      ctx.services.database.db.select().from(recalls).orderBy(desc(recalls.height)).limit(200),
    ),
    lots: publicProcedure
      .input(z.object({ id: z.string().max(80) }))
      .query(({ ctx, input }) =>
        ctx.services.database.db.select().from(recalledLots).where(eq(recalledLots.recallId, input.id)),
      ),
  }),

  alerts: router({
    list: publicProcedure
      .input(
        z.object({ status: z.enum(['open', 'resolved', 'all']).default('open') }).default({ status: 'open' }),
      )
      .query(async ({ ctx, input }) => {
        const db = ctx.services.database.db;
        const rows = await db
          .select({ alert: alerts, finding: findings })
          .from(alerts)
          .leftJoin(findings, eq(findings.alertId, alerts.id))
          .where(input.status === 'all' ? undefined : eq(alerts.status, input.status))
          .orderBy(desc(alerts.height))
          .limit(200);
        // Evidence of the counterfeit rules is consumer scans: when and where each was.
        const cited = [...new Set(rows.flatMap((r) => r.finding?.evidence ?? []))];
        const scanRows = cited.length
          ? await db
              .select({
                id: scans.id,
                time: scans.time,
                latE6: scans.latE6,
                lonE6: scans.lonE6,
                gln: scans.place,
              })
              .from(scans)
              .where(inArray(scans.id, cited))
          : [];
        const scanOf = new Map(scanRows.map((s) => [s.id, s]));
        return rows.map(({ alert, finding }) => ({
          ...alert,
          evidence: finding?.evidence ?? [],
          scans: (finding?.evidence ?? []).flatMap((id) => {
            const scan = scanOf.get(id);
            return scan ? [scan] : [];
          }),
          message: finding?.message ?? null,
        }));
      }),
    findings: publicProcedure.query(({ ctx }) =>
      ctx.services.database.db.select().from(findings).orderBy(desc(findings.createdAt)).limit(200),
    ),
  }),

  capture: router({
    /**
     * The signed-in organisation's events that are stored but not on chain: captures whose signature was
     * cancelled or failed (with the actions to sign them now), and anchors the chain refused.
     */
    pending: protectedProcedure.query(async ({ ctx }) => {
      const db = ctx.services.database.db;
      const rows = await db
        .select({
          captureId: events.captureId,
          hash: events.hash,
          anchor: events.anchor,
          anchorError: events.anchorError,
          createdAt: events.createdAt,
        })
        .from(events)
        .where(
          and(
            eq(events.org, ctx.user.address),
            isNull(events.anchorSigner),
            notExists(db.select({ one: sql`1` }).from(anchors).where(eq(anchors.hash, events.hash))),
          ),
        )
        .orderBy(desc(events.createdAt))
        .limit(2000);
      const byCapture = new Map<
        string,
        { captureId: string; createdAt: number; hashes: string[]; anchors: typeof rows }
      >();
      for (const row of rows) {
        const c = byCapture.get(row.captureId) ?? {
          captureId: row.captureId,
          createdAt: row.createdAt,
          hashes: [],
          anchors: [],
        };
        c.hashes.push(row.hash);
        c.anchors.push(row);
        byCapture.set(row.captureId, c);
      }
      return [...byCapture.values()].map((c) => ({
        captureId: c.captureId,
        createdAt: c.createdAt,
        events: c.hashes.length,
        errors: [...new Set(c.anchors.map((a) => a.anchorError).filter((e): e is string => !!e))],
        actions: anchorActions(c.anchors as never),
      }));
    }),

    /**
     * Discards a pending capture of the signed-in organisation: its events that are not on chain are
     * deleted with their index rows, so a cancelled capture leaves nothing behind. Anchored events stay.
     */
    discard: protectedProcedure
      .input(z.object({ captureId: z.string().uuid() }))
      .mutation(async ({ ctx, input }) =>
        ctx.services.database.transaction(async (tx) => {
          const doomed = await tx
            .select({ hash: events.hash })
            .from(events)
            .where(
              and(
                eq(events.captureId, input.captureId),
                eq(events.org, ctx.user.address),
                isNull(events.anchorSigner),
                notExists(tx.select({ one: sql`1` }).from(anchors).where(eq(anchors.hash, events.hash))),
              ),
            );
          if (doomed.length === 0)
            throw appError(
              'NOT_FOUND',
              'pending_capture_not_found',
              { id: input.captureId },
              `no pending capture ${input.captureId} of yours`,
            );
          const hashes = doomed.map((d) => d.hash);
          await tx.delete(eventEpcs).where(inArray(eventEpcs.hash, hashes));
          await tx.delete(events).where(inArray(events.hash, hashes));
          const [left] = await tx
            .select({ n: sql<number>`count(*)::int` })
            .from(events)
            .where(eq(events.captureId, input.captureId));
          if ((left?.n ?? 0) === 0) await tx.delete(captures).where(eq(captures.id, input.captureId));
          return { discarded: hashes.length };
        }),
      ),

    /**
     * A document from the web forms or a CSV file, captured for the signed-in person's organisation (their
     * own account, which holds the food role). Their browser signs the returned anchor actions.
     */
    submit: protectedProcedure
      .input(
        z.union([
          z.object({ document: z.record(z.string(), z.unknown()) }),
          z.object({ csv: z.string().min(1).max(2_000_000) }),
        ]),
      )
      .mutation(async ({ ctx, input }) => {
        const roles = foodRolesOf(ctx.user);
        if (!roles.some((r) => (FOOD_ORG_ROLES as readonly string[]).includes(r)))
          throw new TRPCError({
            code: 'FORBIDDEN',
            message: 'this needs a food role (farm, processor, logistics, inspector, retailer or regulator)',
          });
        try {
          const document = 'csv' in input ? csvToDocument(input.csv, ctx.app.now()) : input.document;
          return await ctx.app.capture(document, {
            org: ctx.user.address,
            source: 'csv' in input ? 'csv' : 'web',
          });
        } catch (error) {
          return badCapture(error);
        }
      }),
  }),
});

export type AppRouter = typeof appRouter;
