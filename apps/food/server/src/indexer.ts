// The food app's read models from the chain: anchors of EPCIS events, products, locations, food roles,
// recalls (with the lots they flag downstream) and alerts. Handlers write only through ctx.tx, use block
// time, and key rows by chain positions, so a rebuild reproduces them; `reset` empties exactly these.
import type { ChainEventJson, HandlerContext, IndexerDefinition } from '@gongxin/app-kit';
import { foodEvents, identityEvents } from '@gongxin/contracts/events';
import type { Tx } from '@gongxin/db';
import { and, eq, inArray } from 'drizzle-orm';
import {
  alerts,
  anchors,
  eventErrors,
  locations,
  orgRoles,
  products,
  recalledLots,
  recalls,
} from './db/schema';
import { canonicalEpc, lotOf, recallImpact } from './domain';
import { SqlEventStore } from './store';

/** Retail locations (GLNs of accounts with the retailer role's registered locations). */
async function retailGlns(tx: Tx): Promise<Set<string>> {
  const rows = await tx
    .select({ gln: locations.gln })
    .from(locations)
    .innerJoin(orgRoles, and(eq(orgRoles.address, locations.by), eq(orgRoles.role, 'retailer')));
  return new Set(rows.map((r) => r.gln));
}

type Handler = (event: ChainEventJson, ctx: HandlerContext) => Promise<void>;

// Attributes are read through the food and identity contracts' event catalogs: an event that does not
// match its catalog throws EventMismatchError and stops the indexer at its block.
export const foodHandlers: Record<string, Handler> = {
  ...foodEvents.handlers<ChainEventJson, [HandlerContext], Promise<void>>({
    async anchored(a, event, ctx) {
      await ctx.tx
        .insert(anchors)
        .values({
          hash: a.hash.toLowerCase(),
          eventType: a.eventType,
          bizStep: a.bizStep ?? null,
          epcCount: a.epcCount,
          by: a.by,
          height: ctx.height,
          eventIndex: event.index,
          txId: ctx.txId,
          time: ctx.blockTime,
        })
        .onConflictDoNothing();
    },

    async eventErrorDeclared({ hash, declarationTime, reason, corrective, by }, event, ctx) {
      await ctx.tx
        .insert(eventErrors)
        .values({
          hash: hash.toLowerCase(),
          declarationTime,
          reason: reason ?? null,
          corrective: [...corrective],
          by,
          height: ctx.height,
          eventIndex: event.index,
          txId: ctx.txId,
        })
        .onConflictDoNothing();
    },

    async productRegistered({ gtin, name, category, by }, event, ctx) {
      await ctx.tx
        .insert(products)
        .values({ gtin, name, category, by, height: ctx.height, txId: ctx.txId, eventIndex: event.index })
        .onConflictDoNothing();
    },

    async locationRegistered({ gln, name, latE6, lonE6, by }, event, ctx) {
      await ctx.tx
        .insert(locations)
        .values({
          gln,
          name,
          latE6: latE6 ?? null,
          lonE6: lonE6 ?? null,
          by,
          height: ctx.height,
          txId: ctx.txId,
          eventIndex: event.index,
        })
        .onConflictDoNothing();
    },

    async recalled({ id, lots, reason, by }, event, ctx) {
      await ctx.tx
        .insert(recalls)
        .values({
          id,
          lots: [...lots],
          reason,
          by,
          height: ctx.height,
          eventIndex: event.index,
          txId: ctx.txId,
          time: ctx.blockTime,
        })
        .onConflictDoNothing();
      // Flag the named lots and every lot downstream of them in the events stored now.
      const store = new SqlEventStore(ctx.tx);
      const retail = await retailGlns(ctx.tx);
      const rows = new Map<string, typeof recalledLots.$inferInsert>();
      for (const named of lots) {
        let origin: string;
        try {
          origin = lotOf(named) ?? canonicalEpc(named);
        } catch {
          origin = named;
        }
        rows.set(origin, {
          lot: origin,
          recallId: id,
          source: 'named',
          atRetail: false,
          evidence: [],
          path: [],
          time: ctx.blockTime,
        });
        const impact = await recallImpact(store, origin, { retailLocations: retail });
        for (const lot of impact.affected) {
          const known = rows.get(lot.lot);
          if (known?.source === 'named' && lot.lot === origin) {
            // The named lot itself may be on the shelves too (the lot was sold as it is).
            known.atRetail = lot.atRetail;
            known.evidence = lot.evidence;
            continue;
          }
          if (known) continue;
          rows.set(lot.lot, {
            lot: lot.lot,
            recallId: id,
            source: 'trace',
            atRetail: lot.atRetail,
            evidence: lot.evidence,
            path: lot.path,
            time: ctx.blockTime,
          });
        }
      }
      if (rows.size > 0)
        await ctx.tx
          .insert(recalledLots)
          .values([...rows.values()])
          .onConflictDoNothing();
    },

    async alertRaised({ id, kind, subject, severity, by }, event, ctx) {
      await ctx.tx
        .insert(alerts)
        .values({
          id,
          kind,
          subject,
          severity,
          by,
          height: ctx.height,
          eventIndex: event.index,
          txId: ctx.txId,
          time: ctx.blockTime,
          status: 'open',
        })
        .onConflictDoNothing();
    },

    async alertResolved({ id, by, resolution }, _event, ctx) {
      await ctx.tx
        .update(alerts)
        .set({
          status: 'resolved',
          resolution,
          resolvedBy: by,
          resolvedAt: ctx.blockTime,
          resolvedTxId: ctx.txId,
        })
        .where(eq(alerts.id, id));
    },
  }),

  ...identityEvents.handlers<ChainEventJson, [HandlerContext], Promise<void>>({
    async roleGranted({ subject, app, role }, _event, ctx) {
      if (app !== 'food') return;
      await ctx.tx
        .insert(orgRoles)
        .values({ address: subject, role, source: 'chain', height: ctx.height })
        .onConflictDoNothing();
    },

    async roleRevoked({ subject, app, role }, _event, ctx) {
      if (app !== 'food') return;
      await ctx.tx.delete(orgRoles).where(and(eq(orgRoles.address, subject), eq(orgRoles.role, role)));
    },
  }),
};

export async function resetFoodReadModels(tx: Tx): Promise<void> {
  await tx.delete(anchors);
  await tx.delete(eventErrors);
  await tx.delete(products);
  await tx.delete(locations);
  await tx.delete(orgRoles).where(inArray(orgRoles.source, ['chain']));
  await tx.delete(recalledLots);
  await tx.delete(recalls);
  await tx.delete(alerts);
}

export const foodIndexer: IndexerDefinition = {
  name: 'food',
  handlers: foodHandlers,
  reset: resetFoodReadModels,
};
