// The welfare app's read models from the chain. Attributes are read through the contract's event catalog
// (chain/contracts/src/welfare/events.ts): an event that does not match it throws and stops the indexer at
// its block. Handlers write only through ctx.tx, use block time, and key rows by contract ids, so a
// rebuild reproduces them; `reset` empties exactly the read models (prepared payment lists and re-issue
// links stay: they are this server's originals, and a rebuild joins them to the batches again by Merkle
// root). Each payment keeps its state (sent, paid, failed, returned) with the tx that recorded it; each
// alert its outcome with who gave it and the tx.
import type { ChainEventJson, GenesisHandler, HandlerContext, IndexerDefinition } from '@gongxin/app-kit';
import { approvedAmount, areaOf, genesisHouseholdId, householdOf } from '@gongxin/contracts';
import { welfareEvents } from '@gongxin/contracts/events';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { and, eq, sql } from 'drizzle-orm';
import {
  alerts,
  applications,
  areas,
  batches,
  cycles,
  decisions,
  envelopes,
  grievances,
  households,
  objections,
  payments,
  preparedBatches,
  readModels,
  reissueLinks,
} from './db/schema';

const zero = { issued: 0n, paid: 0n, failed: 0n, returned: 0n, closed: false };

export const welfareHandlers = welfareEvents.handlers<ChainEventJson, [HandlerContext], Promise<void>>({
  async areaSet(a, _e, ctx) {
    await ctx.tx
      .insert(areas)
      .values({ code: a.code, name: a.name, symbol: a.symbol, height: ctx.height })
      .onConflictDoUpdate({ target: areas.code, set: { name: a.name, symbol: a.symbol } });
  },
  async standardSet(a, _e, ctx) {
    await ctx.tx
      .update(areas)
      .set({ standard: a.standard, standardFrom: a.from })
      .where(eq(areas.code, a.code));
  },
  async householdOpened(a, _e, ctx) {
    await ctx.tx
      .insert(households)
      .values({
        id: a.id,
        area: a.area,
        members: a.members,
        head: a.head ?? null,
        status: 'applying',
        openedBy: a.by,
        height: ctx.height,
        txId: ctx.txId,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
  },
  async householdClosed(a, _e, ctx) {
    await ctx.tx.update(households).set({ status: 'closed' }).where(eq(households.id, a.id));
  },
  async applicationStep(a, _e, ctx) {
    const values = {
      step: a.step,
      height: ctx.height,
      txId: ctx.txId,
      updatedAt: ctx.blockTime,
      ...(a.reports && { reports: [...a.reports] }),
      ...(a.noticeEnds !== undefined && { noticeEnds: a.noticeEnds }),
    };
    await ctx.tx
      .insert(applications)
      .values({ id: a.id, household: a.id, reports: [], ...values })
      .onConflictDoUpdate({ target: applications.id, set: values });
    if (a.step === 'rejected')
      await ctx.tx.update(households).set({ status: 'rejected' }).where(eq(households.id, a.id));
  },
  async objectionFiled(a, _e, ctx) {
    await ctx.tx
      .insert(objections)
      .values({
        application: a.application,
        objection: a.objection,
        evidence: a.evidence,
        upheld: null,
        open: true,
        txId: ctx.txId,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
  },
  async objectionResolved(a, _e, ctx) {
    await ctx.tx
      .update(objections)
      .set({ open: false, upheld: a.upheld })
      .where(and(eq(objections.application, a.application), eq(objections.objection, a.objection)));
  },
  async decided(a, _e, ctx) {
    await ctx.tx
      .insert(decisions)
      .values({
        application: a.application,
        household: a.household,
        category: a.category,
        eligible: a.eligible,
        monthly: a.monthly,
        ruleVersion: a.ruleVersion,
        standardVersion: a.standardVersion,
        inputsHash: a.inputsHash,
        height: ctx.height,
        txId: ctx.txId,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
    await ctx.tx
      .update(households)
      .set({ status: a.eligible ? 'active' : 'rejected', category: a.category, monthly: a.monthly })
      .where(eq(households.id, a.household));
  },
  async reassessed(a, _e, ctx) {
    if (a.eligible)
      await ctx.tx.update(households).set({ monthly: a.monthly }).where(eq(households.id, a.household));
  },
  async graceStarted(a, _e, ctx) {
    await ctx.tx.update(households).set({ status: 'grace' }).where(eq(households.id, a.household));
  },
  async exited(a, _e, ctx) {
    await ctx.tx.update(households).set({ status: 'closed' }).where(eq(households.id, a.household));
  },
  async envelopeSet(a, _e, ctx) {
    await ctx.tx
      .insert(envelopes)
      .values({ area: a.area, period: a.period, count: a.count, total: a.total })
      .onConflictDoUpdate({
        target: [envelopes.area, envelopes.period],
        set: { count: a.count, total: a.total },
      });
  },
  async batchSent(a, _e, ctx) {
    await ctx.tx
      .insert(batches)
      .values({
        id: a.id,
        area: a.area,
        period: a.period,
        root: a.root,
        count: a.count,
        total: a.total,
        paid: 0n,
        failed: 0n,
        returned: 0n,
        height: ctx.height,
        txId: ctx.txId,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
    await ctx.tx
      .insert(cycles)
      .values({ area: a.area, period: a.period, ...zero, issued: a.total })
      .onConflictDoUpdate({
        target: [cycles.area, cycles.period],
        set: { issued: sql`${cycles.issued} + ${a.total}` },
      });
    const [prepared] = await ctx.tx
      .select()
      .from(preparedBatches)
      .where(eq(preparedBatches.root, a.root.toLowerCase()));
    if (prepared && prepared.payments.length === a.count)
      await ctx.tx
        .insert(payments)
        .values(
          prepared.payments.map((p, position) => ({
            batch: a.id,
            position,
            household: p.household,
            idHash: p.idHash,
            account: p.account,
            amount: BigInt(p.amount),
            area: a.area,
            period: a.period,
            height: ctx.height,
            txId: ctx.txId,
            state: 'sent' as const,
          })),
        )
        .onConflictDoNothing();
    await linkReissues(ctx, a.id, a.root.toLowerCase());
  },
  async outcomesRecorded(a, _e, ctx) {
    const [batch] = await ctx.tx.select().from(batches).where(eq(batches.id, a.batch));
    if (!batch) return;
    await ctx.tx
      .update(batches)
      .set({
        paid: sql`${batches.paid} + ${a.paid}`,
        failed: sql`${batches.failed} + ${a.failed}`,
        returned: sql`${batches.returned} + ${a.returned}`,
      })
      .where(eq(batches.id, a.batch));
    await ctx.tx
      .update(cycles)
      .set({
        paid: sql`${cycles.paid} + ${a.paid}`,
        failed: sql`${cycles.failed} + ${a.failed}`,
        returned: sql`${cycles.returned} + ${a.returned}`,
      })
      .where(and(eq(cycles.area, batch.area), eq(cycles.period, batch.period)));
    // Each payment's own state, with the tx that recorded it (events of older contract versions carry
    // only the sums: their payments stay as sent).
    for (const p of a.payments ?? [])
      await ctx.tx
        .update(payments)
        .set({
          state: p.outcome,
          reason: p.reason ?? null,
          outcomeTxId: ctx.txId,
          outcomeHeight: ctx.height,
        })
        .where(and(eq(payments.batch, a.batch), eq(payments.position, p.index)));
  },
  async cycleClosed(a, _e, ctx) {
    await ctx.tx
      .update(cycles)
      .set({ closed: true })
      .where(and(eq(cycles.area, a.area), eq(cycles.period, a.period)));
  },
  async alertRaised(a, _e, ctx) {
    await ctx.tx
      .insert(alerts)
      .values({
        id: a.id,
        kind: a.kind,
        subject: a.subject,
        detail: a.detail,
        households: await alertHouseholds(ctx, a),
        owner: a.owner,
        deadline: a.deadline,
        outcome: null,
        height: ctx.height,
        txId: ctx.txId,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
  },
  async alertResolved(a, _e, ctx) {
    // Who resolved it, with the block and tx of the event, so the outcome can be checked on chain.
    await ctx.tx
      .update(alerts)
      .set({
        outcome: a.outcome,
        resolvedBy: a.by,
        resolvedHeight: ctx.height,
        resolvedTx: ctx.txId,
        resolvedAt: ctx.blockTime,
      })
      .where(eq(alerts.id, a.id));
  },
  async grievanceFiled(a, _e, ctx) {
    await ctx.tx
      .insert(grievances)
      .values({
        id: a.id,
        household: a.household,
        area: a.area,
        category: a.category,
        textHash: a.textHash,
        attachment: a.attachment ?? null,
        decision: a.decision ?? null,
        filedBy: a.by,
        deadline: a.deadline,
        height: ctx.height,
        txId: ctx.txId,
        time: ctx.blockTime,
      })
      .onConflictDoNothing();
  },
  async grievanceAnswered(a, _e, ctx) {
    await ctx.tx
      .update(grievances)
      .set({
        answerHash: a.answerHash,
        upheld: a.upheld,
        late: a.late,
        answeredBy: a.by,
        answeredAt: ctx.blockTime,
      })
      .where(eq(grievances.id, a.id));
  },
});

/** A shared-account alert's detail as the contract writes it: `households <id> <id> …`. */
const SHARED_DETAIL = /^households ((?:[0-9a-f]{64}(?::\d{1,4})? ?)+)$/;

/**
 * The households an alert is about: those sharing the bank account of a shared-account alert (its
 * detail), else its subject where that is a household of the read model (a refused payment's), else none.
 * Read when it is raised, so a rebuild finds the same: a household is opened before any alert names it.
 */
async function alertHouseholds(
  ctx: HandlerContext,
  a: { kind: string; subject: string; detail: string },
): Promise<string[]> {
  if (a.kind === 'shared_account') {
    const shared = SHARED_DETAIL.exec(a.detail);
    return shared ? shared[1]!.trim().split(' ') : [];
  }
  const [known] = await ctx.tx
    .select({ id: households.id })
    .from(households)
    .where(eq(households.id, a.subject));
  return known ? [known.id] : [];
}

/**
 * Marks the payments of a just-committed batch that re-issue (补发) a failed or returned payment: each
 * position of the batch's list linked to an original that is still failed or returned and not re-issued
 * yet. The check makes a replay link exactly as the first pass did, also when a root recurs.
 */
async function linkReissues(ctx: HandlerContext, batch: string, root: string): Promise<void> {
  const links = await ctx.tx
    .select()
    .from(reissueLinks)
    .where(eq(reissueLinks.root, root))
    .orderBy(reissueLinks.position, reissueLinks.originalBatch, reissueLinks.originalPosition);
  const done = new Set<number>();
  for (const link of links) {
    if (done.has(link.position) || link.originalBatch === batch) continue;
    const [original] = await ctx.tx
      .select({ state: payments.state })
      .from(payments)
      .where(and(eq(payments.batch, link.originalBatch), eq(payments.position, link.originalPosition)));
    if (original?.state !== 'failed' && original?.state !== 'returned') continue;
    const [already] = await ctx.tx
      .select({ batch: payments.batch })
      .from(payments)
      .where(
        and(
          eq(payments.reissueOfBatch, link.originalBatch),
          eq(payments.reissueOfPosition, link.originalPosition),
        ),
      );
    if (already) continue;
    await ctx.tx
      .update(payments)
      .set({ reissueOfBatch: link.originalBatch, reissueOfPosition: link.originalPosition })
      .where(and(eq(payments.batch, batch), eq(payments.position, link.position)));
    done.add(link.position);
  }
}

/**
 * The areas and the caseload the genesis document put in place: no event announces them, so a rebuild
 * would lose them without this. Read from the genesis state (what the contract's genesis wrote), each
 * area with the standard in force from the genesis month, each household as enrolled then.
 */
export const welfareGenesis: GenesisHandler = async ({ tx, document, hash, state }) => {
  const section = document.contracts?.welfare as
    | { areas?: readonly { code: string }[]; households?: readonly unknown[] }
    | undefined;
  if (!section) return;
  const view = state();
  for (const { code } of section.areas ?? []) {
    const area = areaOf(view, code);
    if (!area) throw new Error(`the genesis state has no welfare area ${code}`);
    const current = area.standards.at(-1);
    await tx
      .insert(areas)
      .values({
        code: area.code,
        name: area.name,
        symbol: area.symbol,
        standard: current ? BigInt(current.standard) : null,
        standardFrom: current?.from ?? null,
        height: 0,
      })
      .onConflictDoNothing();
  }
  const suite = getSuite(document.suite);
  for (let n = 0; n < (section.households?.length ?? 0); n++) {
    const id = genesisHouseholdId(suite.hash, hash, n);
    const household = householdOf(view, id);
    const area = household && areaOf(view, household.area);
    if (!household?.entitlement || !area) throw new Error(`the genesis state has no welfare household ${n}`);
    await tx
      .insert(households)
      .values({
        id,
        area: household.area,
        members: household.members.length,
        head: household.members[0]?.did ?? null,
        status: household.status,
        category: household.category,
        monthly: approvedAmount(area, household, household.entitlement.from),
        openedBy: 'genesis',
        height: 0,
        txId: hash,
        time: document.time,
      })
      .onConflictDoNothing();
  }
};

export const welfareIndexer: IndexerDefinition = {
  name: 'welfare',
  // 2: the genesis document's areas and households come from the genesis handler (they were written by
  // the demo seed before, and lost by a rebuild), so older read models are rebuilt once.
  // 3: each household keeps its head's account (`head`), filled on a rebuild.
  // 4: each resolved alert keeps who resolved it and the block and tx (`resolved*`), filled on a rebuild.
  // 5: each alert keeps the households it is about (`households`), for its area; filled on a rebuild.
  version: 5,
  handlers: welfareHandlers,
  genesis: welfareGenesis,
  reset: async (tx) => {
    for (const table of [...readModels, grievances]) await tx.delete(table);
  },
};
