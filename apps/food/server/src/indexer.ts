// The food app's read models from the chain: anchors of EPCIS events, products, locations, food roles,
// recalls (with the lots they flag downstream) and alerts. Handlers write only through ctx.tx, use block
// time, and key rows by chain positions, so a rebuild reproduces them; `reset` empties exactly these.
import type { ChainEventJson, HandlerContext, IndexerDefinition } from '@gongxin/app-kit';
import type { Tx } from '@gongxin/db';
import { and, eq, inArray } from 'drizzle-orm';
import { alerts, anchors, locations, orgRoles, products, recalledLots, recalls } from './db/schema';
import { canonicalEpc, lotOf, recallImpact } from './domain';
import { SqlEventStore } from './store';

export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
}

function attrs(event: ChainEventJson): Record<string, unknown> {
  const a = event.attrs;
  if (!a || typeof a !== 'object' || Array.isArray(a))
    throw new MalformedEventError(`${event.contract}.${event.name} at ${event.index} has no attributes`);
  return a as Record<string, unknown>;
}

function str(event: ChainEventJson, name: string): string {
  const value = attrs(event)[name];
  if (typeof value !== 'string' || value === '')
    throw new MalformedEventError(`${event.contract}.${event.name}: ${name} is not text`);
  return value;
}

function optInt(event: ChainEventJson, name: string): number | null {
  const value = attrs(event)[name];
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

/** Retail locations (GLNs of accounts with the retailer role's registered locations). */
async function retailGlns(tx: Tx): Promise<Set<string>> {
  const rows = await tx
    .select({ gln: locations.gln })
    .from(locations)
    .innerJoin(orgRoles, and(eq(orgRoles.address, locations.by), eq(orgRoles.role, 'retailer')));
  return new Set(rows.map((r) => r.gln));
}

export const foodHandlers = {
  async 'food.anchored'(event: ChainEventJson, ctx: HandlerContext) {
    const a = attrs(event);
    await ctx.tx
      .insert(anchors)
      .values({
        hash: str(event, 'hash').toLowerCase(),
        eventType: str(event, 'eventType'),
        bizStep: typeof a.bizStep === 'string' ? a.bizStep : null,
        epcCount: optInt(event, 'epcCount') ?? 0,
        by: str(event, 'by'),
        height: ctx.height,
        eventIndex: event.index,
        txId: ctx.txId,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
  },

  async 'food.productRegistered'(event: ChainEventJson, ctx: HandlerContext) {
    await ctx.tx
      .insert(products)
      .values({
        gtin: str(event, 'gtin'),
        name: str(event, 'name'),
        category: str(event, 'category'),
        by: str(event, 'by'),
        height: ctx.height,
        txId: ctx.txId,
        eventIndex: event.index,
      })
      .onConflictDoNothing();
  },

  async 'food.locationRegistered'(event: ChainEventJson, ctx: HandlerContext) {
    await ctx.tx
      .insert(locations)
      .values({
        gln: str(event, 'gln'),
        name: str(event, 'name'),
        latE6: optInt(event, 'latE6'),
        lonE6: optInt(event, 'lonE6'),
        by: str(event, 'by'),
        height: ctx.height,
        txId: ctx.txId,
        eventIndex: event.index,
      })
      .onConflictDoNothing();
  },

  async 'food.recalled'(event: ChainEventJson, ctx: HandlerContext) {
    const id = str(event, 'id');
    const lots = attrs(event).lots;
    if (!Array.isArray(lots) || !lots.every((l) => typeof l === 'string'))
      throw new MalformedEventError('food.recalled: lots is not a list of text');
    await ctx.tx
      .insert(recalls)
      .values({
        id,
        lots: lots as string[],
        reason: str(event, 'reason'),
        by: str(event, 'by'),
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
    for (const named of lots as string[]) {
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
        if (rows.has(lot.lot)) continue;
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

  async 'food.alertRaised'(event: ChainEventJson, ctx: HandlerContext) {
    await ctx.tx
      .insert(alerts)
      .values({
        id: str(event, 'id'),
        kind: str(event, 'kind'),
        subject: str(event, 'subject'),
        severity: str(event, 'severity'),
        by: str(event, 'by'),
        height: ctx.height,
        eventIndex: event.index,
        txId: ctx.txId,
        time: ctx.blockTime,
        status: 'open',
      })
      .onConflictDoNothing();
  },

  async 'food.alertResolved'(event: ChainEventJson, ctx: HandlerContext) {
    await ctx.tx
      .update(alerts)
      .set({
        status: 'resolved',
        resolution: str(event, 'resolution'),
        resolvedBy: str(event, 'by'),
        resolvedAt: ctx.blockTime,
        resolvedTxId: ctx.txId,
      })
      .where(eq(alerts.id, str(event, 'id')));
  },

  async 'identity.roleGranted'(event: ChainEventJson, ctx: HandlerContext) {
    if (str(event, 'app') !== 'food') return;
    await ctx.tx
      .insert(orgRoles)
      .values({
        address: str(event, 'subject'),
        role: str(event, 'role'),
        source: 'chain',
        height: ctx.height,
      })
      .onConflictDoNothing();
  },

  async 'identity.roleRevoked'(event: ChainEventJson, ctx: HandlerContext) {
    if (str(event, 'app') !== 'food') return;
    await ctx.tx
      .delete(orgRoles)
      .where(and(eq(orgRoles.address, str(event, 'subject')), eq(orgRoles.role, str(event, 'role'))));
  },
};

export async function resetFoodReadModels(tx: Tx): Promise<void> {
  await tx.delete(anchors);
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
