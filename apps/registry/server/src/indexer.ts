// The registry app's read models from the chain. Attributes are read through the contract's event catalog
// (chain/contracts/src/registry/events.ts): an event that does not match it stops the indexer at its
// block. Handlers write only through ctx.tx, use block time and chain positions, so a rebuild reproduces
// the same rows; `reset` empties exactly these. The block handler writes, in batched statements, every
// registry event into the change feed (`changes`, keyed by (height, index) so a follower sees each once)
// the registrations filed and decided, and the batches migrated from a legacy register (the bulk of an
// import, each record an active enterprise pointing at its leaf of the batch); the other events have
// handlers.
import type {
  BlockContext,
  ChainEventJson,
  FeedBlock,
  HandlerContext,
  IndexerDefinition,
} from '@gongxin/app-kit';
import { checkUscc } from '@gongxin/contracts';
import { registryEvents } from '@gongxin/contracts/events';
import { and, eq, inArray } from 'drizzle-orm';
import {
  certificates,
  changes,
  enterpriseNames,
  enterprises,
  filings,
  listingEvents,
  notices,
  posts,
  readModels,
  reports,
} from './db/schema';
import { pinyinOf, tradeNameOf } from './names';

type Ctx = HandlerContext;

/**
 * The search keys of a name an enterprise bears or bore: the name itself and its trade name (字号) after
 * the division it begins with, each with its pinyin and initials.
 */
function nameRows(uscc: string, name: string, current: boolean) {
  return [name, tradeNameOf(name)]
    .filter((key): key is string => key !== null)
    .map((key) => {
      const { full, initials } = pinyinOf(key);
      return { uscc, name: key, current: current ? 1 : 0, pinyin: full, initials };
    });
}

async function addName(ctx: Ctx, uscc: string, name: string, current: boolean) {
  await ctx.tx
    .insert(enterpriseNames)
    .values(nameRows(uscc, name, current))
    .onConflictDoUpdate({
      target: [enterpriseNames.uscc, enterpriseNames.name],
      set: { current: current ? 1 : 0 },
    });
}

const touch = (ctx: Ctx, uscc: string, set: Partial<typeof enterprises.$inferInsert>) =>
  ctx.tx
    .update(enterprises)
    .set({ ...set, updatedHeight: ctx.height })
    .where(eq(enterprises.uscc, uscc));

async function listing(
  ctx: Ctx,
  event: ChainEventJson,
  kind: 'listed' | 'noticed' | 'serious' | 'delisted',
  a: { uscc: string; cause: string; effectiveAt: number; status?: string },
) {
  await ctx.tx
    .insert(listingEvents)
    .values({
      height: ctx.height,
      eventIndex: event.index,
      uscc: a.uscc,
      kind,
      cause: a.cause,
      effectiveAt: a.effectiveAt,
      status: a.status ?? null,
      txId: ctx.txId,
    })
    .onConflictDoNothing();
  const status = kind === 'serious' ? 'serious' : a.status;
  if (status) await touch(ctx, a.uscc, { listingStatus: status as 'normal' });
}

export const registryHandlers = registryEvents.handlers<ChainEventJson, [HandlerContext], Promise<void>>({
  async filingSubmitted(a, _e, ctx) {
    await ctx.tx
      .insert(filings)
      .values({
        id: a.id,
        uscc: a.uscc,
        kind: a.kind,
        fields: [...a.fields],
        effectiveOn: a.effectiveOn,
        successor: a.successor ?? null,
        status: 'pending',
        height: ctx.height,
        txId: ctx.txId,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
  },

  async filingDecided(a, _e, ctx) {
    await ctx.tx
      .update(filings)
      .set({ status: a.decision === 'accept' ? 'accepted' : 'rejected', reason: a.reason, decidedBy: a.by })
      .where(eq(filings.id, a.id));
  },

  async enterpriseChanged(a, _e, ctx) {
    const [ent] = await ctx.tx.select().from(enterprises).where(eq(enterprises.uscc, a.uscc));
    if (!ent) return;
    switch (a.field) {
      case 'name':
        await touch(ctx, a.uscc, { name: a.to, previousNames: [...ent.previousNames, a.from] });
        await addName(ctx, a.uscc, a.from, false);
        await addName(ctx, a.uscc, a.to, true);
        return;
      case 'capital':
        await touch(ctx, a.uscc, { capital: BigInt(a.to) });
        return;
      case 'address':
      case 'representative':
      case 'industry':
      case 'legalForm':
        await touch(ctx, a.uscc, { [a.field]: a.to });
        return;
    }
  },

  async lifeChanged(a, _e, ctx) {
    await touch(ctx, a.uscc, { life: a.life, successor: a.successor ?? null });
  },

  async annualReportFiled(a, _e, ctx) {
    await ctx.tx
      .insert(reports)
      .values({
        uscc: a.uscc,
        year: a.year,
        hash: a.hash,
        late: a.late ? 1 : 0,
        height: ctx.height,
        txId: ctx.txId,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
  },

  async listed(a, e, ctx) {
    await listing(ctx, e, 'listed', a);
  },
  async seriousListingNoticed(a, e, ctx) {
    await listing(ctx, e, 'noticed', a);
  },
  async seriousListed(a, e, ctx) {
    await listing(ctx, e, 'serious', a);
  },
  async delisted(a, e, ctx) {
    await listing(ctx, e, 'delisted', a);
  },

  async noticePublished(a, _e, ctx) {
    await ctx.tx
      .insert(notices)
      .values({
        id: a.id,
        kind: a.kind,
        uscc: a.uscc ?? null,
        title: a.title,
        bodyHash: a.bodyHash,
        decisionNo: a.decisionNo ?? null,
        violation: a.violation ?? null,
        penalties: [...a.penalties],
        fine: a.fine ?? null,
        from: a.from,
        until: a.until,
        by: a.by,
        height: ctx.height,
        txId: ctx.txId,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
  },

  async certificateIssued(a, _e, ctx) {
    await ctx.tx
      .insert(certificates)
      .values({
        id: a.id,
        no: a.no,
        issuer: a.issuer,
        holder: a.holder,
        scheme: a.scheme,
        scope: a.scope,
        standard: a.standard,
        product: a.product,
        industry: a.industry,
        classification: a.classification,
        validFrom: a.validFrom,
        validUntil: a.validUntil,
        status: 'valid',
        height: ctx.height,
        txId: ctx.txId,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
  },

  async certificateStatusChanged(a, _e, ctx) {
    await ctx.tx.update(certificates).set({ status: a.status }).where(eq(certificates.id, a.id));
  },

  async certificateAmended(a, _e, ctx) {
    if (a.field === 'product' || a.field === 'scope' || a.field === 'standard')
      await ctx.tx
        .update(certificates)
        .set({ [a.field]: a.to })
        .where(eq(certificates.id, a.id));
  },

  async posted(a, _e, ctx) {
    await ctx.tx
      .insert(posts)
      .values({
        id: a.id,
        uscc: a.uscc,
        kind: a.kind,
        industry: a.industry,
        classification: a.classification,
        item: a.item,
        quantity: a.quantity,
        unit: a.unit,
        region: a.region,
        deliverFrom: a.deliverFrom,
        deliverUntil: a.deliverUntil,
        priceMin: a.priceMin,
        priceMax: a.priceMax,
        status: 'open',
        height: ctx.height,
        txId: ctx.txId,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
  },

  async postClosed(a, _e, ctx) {
    await ctx.tx
      .update(posts)
      .set({ status: 'closed' })
      .where(and(eq(posts.id, a.id)));
  },
});

/** JSON of an event's attributes for the feed: amounts (bigint) as decimal strings. */
function jsonAttrs(attrs: unknown): unknown {
  return JSON.parse(JSON.stringify(attrs, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
}

const CHUNK = 500;
async function insertChunks<T>(rows: T[], insert: (part: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/**
 * The block's registry events in a few batched statements, before the per-event handlers: the change feed
 * (every registry event), and registrations filed and decided (the bulk of an import), applied in event
 * order — a run of filings is one insert, a run of acceptances one update per authority.
 */
async function registryBlock(block: FeedBlock, ctx: BlockContext): Promise<void> {
  const events = block.events.filter((e) => e.contract === 'registry');
  if (events.length === 0) return;
  const txOf = (e: ChainEventJson) => e.txId;
  await insertChunks(
    events.map((event) => {
      const attrs = (event.attrs ?? {}) as Record<string, unknown>;
      const uscc =
        typeof attrs.uscc === 'string' ? attrs.uscc : typeof attrs.holder === 'string' ? attrs.holder : null;
      return {
        height: block.height,
        eventIndex: event.index,
        name: event.name,
        uscc,
        effectiveAt: typeof attrs.effectiveAt === 'number' ? attrs.effectiveAt : block.time,
        attrs: jsonAttrs(attrs),
        txId: txOf(event),
      };
    }),
    (part) => ctx.tx.insert(changes).values(part).onConflictDoNothing(),
  );

  type Filed = ReturnType<typeof registryEvents.attrs<'registrationFiled'>>;
  type Decided = ReturnType<typeof registryEvents.attrs<'registrationDecided'>>;
  let filed: { a: Filed; txId: string }[] = [];
  let decided: Decided[] = [];
  const flushFiled = async () => {
    if (filed.length === 0) return;
    const rows = filed;
    filed = [];
    await insertChunks(rows, (part) =>
      ctx.tx
        .insert(enterprises)
        .values(
          part.map(({ a, txId }) => {
            const parts = checkUscc(a.uscc);
            return {
              uscc: a.uscc,
              name: a.name,
              previousNames: [],
              legalForm: a.legalForm,
              capital: a.capital,
              representative: a.representative,
              address: null,
              industry: a.industry,
              region: parts.ok ? parts.value.region : a.uscc.slice(2, 8),
              establishedOn: a.establishedOn,
              authority: a.authority,
              life: 'pending' as const,
              listingStatus: 'normal' as const,
              height: block.height,
              txId,
              time: block.time,
              updatedHeight: block.height,
            };
          }),
        )
        .onConflictDoNothing(),
    );
    await insertChunks(rows, (part) =>
      ctx.tx
        .insert(enterpriseNames)
        .values(part.flatMap(({ a }) => nameRows(a.uscc, a.name, true)))
        .onConflictDoUpdate({ target: [enterpriseNames.uscc, enterpriseNames.name], set: { current: 1 } }),
    );
  };
  const flushDecided = async () => {
    if (decided.length === 0) return;
    const rows = decided;
    decided = [];
    const rejected = rows.filter((d) => d.decision === 'reject').map((d) => d.uscc);
    const byAuthority = new Map<string, string[]>();
    for (const d of rows)
      if (d.decision === 'accept') byAuthority.set(d.by, [...(byAuthority.get(d.by) ?? []), d.uscc]);
    for (const [by, usccs] of byAuthority)
      await insertChunks(usccs, (part) =>
        ctx.tx
          .update(enterprises)
          .set({ life: 'active', authority: by, updatedHeight: block.height })
          .where(inArray(enterprises.uscc, part)),
      );
    if (rejected.length > 0) {
      await ctx.tx.delete(enterprises).where(inArray(enterprises.uscc, rejected));
      await ctx.tx.delete(enterpriseNames).where(inArray(enterpriseNames.uscc, rejected));
    }
  };
  const flushImported = async (event: ChainEventJson) => {
    // A migrated batch: every record active at once, named, and pointing at its leaf of the batch.
    const b = registryEvents.parse(event, 'batchImported');
    const rows = b.records.map((r, index) => ({ r, index }));
    await insertChunks(rows, (part) =>
      ctx.tx
        .insert(enterprises)
        .values(
          part.map(({ r, index }) => {
            const parts = checkUscc(r.uscc);
            return {
              uscc: r.uscc,
              name: r.name,
              previousNames: [],
              legalForm: r.legalForm,
              capital: r.capital,
              representative: r.representative,
              address: r.address,
              industry: r.industry,
              region: parts.ok ? parts.value.region : r.uscc.slice(2, 8),
              establishedOn: r.establishedOn,
              authority: b.by,
              life: 'active' as const,
              listingStatus: 'normal' as const,
              height: block.height,
              txId: event.txId,
              time: block.time,
              updatedHeight: block.height,
              importBatch: b.id,
              importIndex: index,
            };
          }),
        )
        .onConflictDoNothing(),
    );
    await insertChunks(rows, (part) =>
      ctx.tx
        .insert(enterpriseNames)
        .values(part.flatMap(({ r }) => nameRows(r.uscc, r.name, true)))
        .onConflictDoUpdate({ target: [enterpriseNames.uscc, enterpriseNames.name], set: { current: 1 } }),
    );
  };
  for (const event of events) {
    if (event.name === 'batchImported') {
      await flushFiled();
      await flushDecided();
      await flushImported(event);
    } else if (event.name === 'registrationFiled') {
      await flushDecided();
      filed.push({ a: registryEvents.parse(event, 'registrationFiled'), txId: txOf(event) });
    } else if (event.name === 'registrationDecided') {
      await flushFiled();
      decided.push(registryEvents.parse(event, 'registrationDecided'));
    }
  }
  await flushFiled();
  await flushDecided();
}

export const registryIndexer: IndexerDefinition = {
  name: 'registry',
  // 2: names are also searched by their trade name (字号) after the division (`tradeNameOf`).
  version: 2,
  handlers: registryHandlers,
  block: registryBlock,
  reset: async (tx) => {
    for (const table of readModels) await tx.delete(table);
  },
};
