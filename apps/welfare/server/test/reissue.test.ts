// Re-issue (补发) of failed and returned payments: the read model keeps each payment's state with the tx
// that recorded it and the bank's reason; finance lists the month's failures and re-issues exactly the
// open ones as a new batch, linked to what each repeats; a paid payment is never re-issued, a failure at
// most once unless its re-issue fails too; the month still closes to the fen; a rebuild links the same.
import type { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { payments } from '../src/db/schema';
import { periodAt, seedWelfareDemo } from '../src/demo';
import { DEMO_AREA } from '../src/people';
import { demoSingle, disburseAction, startWelfareHarness, type WelfareHarness, w } from './harness';

let h: WelfareHarness;
let period: string;
const area = DEMO_AREA.code;
beforeAll(async () => {
  h = await startWelfareHarness({
    genesis: {
      welfare: {
        households: [demoSingle('mu-laoshan', 300_000), demoSingle('li-wenfang', 240_000)],
      },
    },
  });
  await seedWelfareDemo(h.services);
  await h.caughtUp();
  period = periodAt(h.now());
});
afterAll(async () => {
  await h?.close();
});

const batchIdOf = (r: { events: { name: string; attrs: unknown }[] }) =>
  (r.events.find((e) => e.name === 'batchSent')!.attrs as { id: string }).id;

async function sign(prepared: { action: { params: { payments: { amount: string }[] } } }) {
  const r = await h.as('finance', [disburseAction(prepared)]);
  return batchIdOf(r);
}

describe('re-issue of failed and returned payments', () => {
  let first: string;
  let reissue: string;

  it("keeps each payment's outcome with its tx and reason, and lists the month's failures", async () => {
    const finance = h.callerAs('finance');
    const prepared = await finance.cycles.prepare({ area, period });
    expect(prepared.map((b) => b.count)).toEqual([2]);
    first = await sign(prepared[0]!);
    const recorded = await h.as('finance', [
      w('recordOutcomes', {
        batch: first,
        outcomes: [
          { index: 0, outcome: 'paid' },
          { index: 1, outcome: 'returned', reason: '账户已销户' },
        ],
      }),
    ]);
    const rows = (await h.database.db.select().from(payments)).sort((a, b) => a.position - b.position);
    expect(rows.map((r) => [r.state, r.reason, r.outcomeTxId])).toEqual([
      ['paid', null, recorded.id],
      ['returned', '账户已销户', recorded.id],
    ]);
    // Staff read each failure's head of household by name (each genesis file here has one member, who
    // is paid), from the read model: no chain read per failure.
    const returnedTo = h.people.find((p) => p.address === rows[1]!.account)!;
    expect(['李文芳', '木老山']).toContain(returnedTo.name['zh-CN']);
    const reads = vi.spyOn(h.services.chain.client, 'state');
    const month = await finance.cycles.get({ area, period }).finally(() => reads.mockRestore());
    expect(reads).not.toHaveBeenCalled();
    expect(month.failures).toEqual([
      {
        batch: first,
        position: 1,
        household: rows[1]!.household,
        amount: String(rows[1]!.amount),
        state: 'returned',
        reason: '账户已销户',
        outcomeTxId: recorded.id,
        outcomeHeight: recorded.height,
        head: { account: returnedTo.address, name: returnedTo.name },
        reissuedBy: null,
        open: true,
      },
    ]);
    // The month's list leaves failed households out: they are paid again by a re-issue only.
    expect(await finance.cycles.prepare({ area, period })).toEqual([]);
  });

  it('re-issues exactly the open failures, never a paid payment, and each once', async () => {
    const finance = h.callerAs('finance');
    const paid = await finance.cycles
      .reissue({ area, period, payments: [{ batch: first, position: 0 }] })
      .catch((e: TRPCError) => e);
    expect(paid).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/not a failed or returned/),
    });
    await expect(h.callerAs('he-caseworker').cycles.reissue({ area, period })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });

    const { batches, skipped } = await finance.cycles.reissue({ area, period });
    expect(skipped).toEqual([]);
    expect(batches.map((b) => [b.count, b.total])).toEqual([[1, (await failedAmount()).toString()]]);
    reissue = await sign(batches[0]!);
    const month = await finance.cycles.get({ area, period });
    expect(month.failures).toMatchObject([
      { batch: first, position: 1, open: false, reissuedBy: { batch: reissue, position: 0, state: 'sent' } },
    ]);
    // Nothing is open now: no second re-issue, and naming it says why.
    expect((await finance.cycles.reissue({ area, period })).batches).toEqual([]);
    await expect(
      finance.cycles.reissue({ area, period, payments: [{ batch: first, position: 1 }] }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/already re-issued/) });
  });

  it('a failed re-issue is open in turn; paid at last, the month closes to the fen', async () => {
    const finance = h.callerAs('finance');
    await h.as('finance', [
      w('recordOutcomes', {
        batch: reissue,
        outcomes: [{ index: 0, outcome: 'failed', reason: '户名不符' }],
      }),
    ]);
    let month = await finance.cycles.get({ area, period });
    expect(month.failures.map((f) => [f.batch, f.state, f.reason, f.open, f.reissuedBy?.state])).toEqual([
      [first, 'returned', '账户已销户', false, 'failed'],
      [reissue, 'failed', '户名不符', true, undefined],
    ]);
    // The same leaves as the first re-issue, so the same root: linked to the failure still open.
    const again = await finance.cycles.reissue({ area, period });
    expect(again.batches).toHaveLength(1);
    const third = await sign(again.batches[0]!);
    await h.as('finance', [w('recordOutcomes', { batch: third, outcomes: [{ index: 0, outcome: 'paid' }] })]);
    month = await finance.cycles.get({ area, period });
    expect(month.failures.map((f) => [f.batch, f.open, f.reissuedBy?.batch, f.reissuedBy?.state])).toEqual([
      [first, false, reissue, 'failed'],
      [reissue, false, third, 'paid'],
    ]);
    const amount = await failedAmount();
    const [paidFirst] = await h.database.db
      .select()
      .from(payments)
      .where(and(eq(payments.batch, first), eq(payments.position, 0)));
    expect(month.cycle).toMatchObject({
      paid: String(paidFirst!.amount + amount),
      failed: String(amount),
      returned: String(amount),
      issued: String(paidFirst!.amount + 3n * amount),
    });
    await h.as('finance', [w('closeCycle', { area, period })]);
    await expect(finance.cycles.reissue({ area, period })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/closed/),
    });
  });

  it("the payments' states and re-issue links equal a rebuild from genesis", async () => {
    const snapshot = async () =>
      (await h.database.db.select().from(payments))
        .map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))
        .sort();
    const before = await snapshot();
    expect(before).toHaveLength(4);
    await h.mounted.indexer!.rebuild();
    expect(await snapshot()).toEqual(before);
  });
});

/** The returned household's monthly amount (the one not paid at first). */
async function failedAmount(): Promise<bigint> {
  const rows = await h.database.db.select().from(payments);
  return rows.find((r) => r.position === 1 && r.reissueOfBatch === null)!.amount;
}
