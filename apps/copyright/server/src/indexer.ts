// The copyright app's read models from the chain: works (with parties and similarity codes), licences,
// listings, purchases and royalties, transfers and pledges. Attributes are read through the contract's
// event catalog (chain/contracts/src/copyright/events.ts): an event that does not match it throws and
// stops the indexer at its block. Handlers write only through ctx.tx, use block time, and key rows by
// chain positions or contract ids, so a rebuild reproduces them; `reset` empties exactly these.
import type { ChainEventJson, HandlerContext, IndexerDefinition } from '@gongxin/app-kit';
import { copyrightEvents } from '@gongxin/contracts/events';
import { and, eq, sql } from 'drizzle-orm';
import { codeInfo } from './codes';
import {
  licences,
  listings,
  pledges,
  purchases,
  readModels,
  royalties,
  transfers,
  workCodes,
  workParties,
  works,
} from './db/schema';

type Grant = { rights: readonly string[]; territory: readonly string[]; from: number; until?: number };
const grantJson = (g: Grant) => ({
  rights: [...g.rights],
  territory: [...g.territory],
  from: g.from,
  ...(g.until !== undefined && { until: g.until }),
});

export const copyrightHandlers = copyrightEvents.handlers<ChainEventJson, [HandlerContext], Promise<void>>({
  async workSubmitted(a, _event, ctx) {
    await ctx.tx
      .insert(works)
      .values({
        id: a.id,
        title: a.title,
        category: a.category,
        applicant: a.applicant,
        authors: [...a.authors],
        owners: a.owners.map((o) => ({ address: o.address, share: o.share })),
        files: a.files.map((f) => f.toLowerCase()),
        codes: [...a.codes],
        status: 'pending',
        height: ctx.height,
        txId: ctx.txId,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
    const parties = [
      ...a.authors.map((address) => ({ workId: a.id, address, role: 'author' as const })),
      ...a.owners.map((o) => ({ workId: a.id, address: o.address, role: 'owner' as const })),
      { workId: a.id, address: a.applicant, role: 'applicant' as const },
    ];
    await ctx.tx.insert(workParties).values(parties).onConflictDoNothing();
    const codes = a.codes.flatMap((iscc) => {
      const info = codeInfo(iscc);
      return info?.similar
        ? [{ workId: a.id, iscc, kind: info.kind, code64: info.code64, height: ctx.height }]
        : [];
    });
    if (codes.length > 0) await ctx.tx.insert(workCodes).values(codes).onConflictDoNothing();
  },

  async workReviewed(a, _event, ctx) {
    await ctx.tx
      .update(works)
      .set({
        status: a.decision === 'approve' ? 'registered' : 'rejected',
        regNo: a.regNo ?? null,
        reviewReason: a.reason,
        reviewedBy: a.by,
        reviewedAt: ctx.blockTime,
        protectionUntil: a.protectionUntil ?? null,
      })
      .where(eq(works.id, a.id));
  },

  async authorDeathRecorded(a, _event, ctx) {
    await ctx.tx
      .update(works)
      .set({ protectionUntil: a.protectionUntil ?? null })
      .where(eq(works.id, a.id));
  },

  async licenceGranted(a, _event, ctx) {
    await ctx.tx
      .insert(licences)
      .values({
        id: a.id,
        workId: a.workId,
        licensee: a.licensee,
        licensors: [...a.licensors],
        grant: grantJson(a.grant),
        exclusivity: a.exclusivity,
        prohibitions: [...a.prohibitions],
        duties: [...a.duties],
        cc: a.cc ?? null,
        listingId: a.listingId ?? null,
        status: 'active',
        height: ctx.height,
        txId: ctx.txId,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
  },

  async licenceSurrendered(a, _event, ctx) {
    await ctx.tx.update(licences).set({ status: 'surrendered' }).where(eq(licences.id, a.id));
  },

  async rightsTransferred(a, _event, ctx) {
    await ctx.tx
      .insert(transfers)
      .values({
        filing: a.filing,
        workId: a.workId,
        grant: grantJson(a.grant),
        from: a.from.map((o) => ({ address: o.address, share: o.share })),
        to: a.to.map((o) => ({ address: o.address, share: o.share })),
        reason: a.reason,
        height: ctx.height,
        txId: ctx.txId,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
    await ctx.tx
      .insert(workParties)
      .values(a.to.map((o) => ({ workId: a.workId, address: o.address, role: 'holder' as const })))
      .onConflictDoNothing();
  },

  async pledged(a, _event, ctx) {
    await ctx.tx
      .insert(pledges)
      .values({
        id: a.id,
        workId: a.workId,
        grant: grantJson(a.grant),
        pledgee: a.pledgee,
        pledgors: [...a.pledgors],
        symbol: a.symbol,
        amount: a.amount,
        dueAt: a.dueAt,
        rank: a.rank,
        status: 'active',
        height: ctx.height,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
  },

  async pledgeReleased(a, _event, ctx) {
    await ctx.tx.update(pledges).set({ status: 'released' }).where(eq(pledges.id, a.id));
  },

  async pledgeEnforced(a, _event, ctx) {
    await ctx.tx.update(pledges).set({ status: 'enforced' }).where(eq(pledges.id, a.id));
  },

  async listed(a, _event, ctx) {
    await ctx.tx
      .insert(listings)
      .values({
        id: a.id,
        workId: a.workId,
        kind: a.kind,
        grant: grantJson(a.grant),
        exclusivity: a.exclusivity,
        symbol: a.symbol,
        price: a.price,
        quantity: a.quantity,
        sold: 0,
        sellers: [...a.sellers],
        status: 'open',
        height: ctx.height,
        txId: ctx.txId,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
  },

  async listingCancelled(a, _event, ctx) {
    await ctx.tx.update(listings).set({ status: 'cancelled' }).where(eq(listings.id, a.id));
  },

  async purchased(a, event, ctx) {
    await ctx.tx
      .insert(purchases)
      .values({
        height: ctx.height,
        eventIndex: event.index,
        listingId: a.listingId,
        workId: a.workId,
        buyer: a.buyer,
        symbol: a.symbol,
        price: a.price,
        licenceId: a.licenceId ?? null,
        filing: a.filing ?? null,
        txId: ctx.txId,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
    await ctx.tx
      .update(listings)
      .set({
        sold: sql`${listings.sold} + 1`,
        status: sql`case when ${listings.sold} + 1 >= ${listings.quantity} then 'sold' else ${listings.status} end`,
      })
      .where(and(eq(listings.id, a.listingId)));
  },

  async royaltiesPaid(a, event, ctx) {
    if (a.payments.length === 0) return;
    await ctx.tx
      .insert(royalties)
      .values(
        a.payments.map((p, position) => ({
          height: ctx.height,
          eventIndex: event.index,
          position,
          listingId: a.listingId,
          to: p.to,
          symbol: a.symbol,
          amount: p.amount,
          share: p.share,
          txId: ctx.txId,
          time: ctx.blockTime,
        })),
      )
      .onConflictDoNothing();
  },
});

export const copyrightIndexer: IndexerDefinition = {
  name: 'copyright',
  // 2: each royalty keeps the tx of the purchase that paid it (`txId`), filled on a rebuild.
  version: 2,
  handlers: copyrightHandlers,
  reset: async (tx) => {
    for (const table of readModels) await tx.delete(table);
  },
};
