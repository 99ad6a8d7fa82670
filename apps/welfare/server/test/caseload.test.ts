// A caseload on the rolls at genesis (a county's 台账): the demo seed records it in the read model and
// finance prepares and pays it in the chain's first month, within the envelope the seed sets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { households } from '../src/db/schema';
import { periodAt, seedWelfareDemo } from '../src/demo';
import { DEMO_AREA } from '../src/people';
import { demoSingle, disburseAction, startWelfareHarness, type WelfareHarness, w } from './harness';

let h: WelfareHarness;
beforeAll(async () => {
  h = await startWelfareHarness({
    genesis: {
      welfare: {
        households: [demoSingle('mu-laoshan', 300_000)],
      },
    },
  });
});
afterAll(async () => {
  await h?.close();
});

describe('a caseload on the rolls at genesis', () => {
  it('is in the read model after the seed and paid in the first month', async () => {
    await seedWelfareDemo(h.services);
    await h.caughtUp();
    const rolls = (await h.database.db.select().from(households)).filter((x) => x.status === 'active');
    // (80,000 − 300,000 / 12) = 55,000 fen a month.
    expect(rolls).toEqual([expect.objectContaining({ monthly: 55_000n, openedBy: 'genesis' })]);
    const period = periodAt(h.now());
    const prepared = await h.callerAs('finance').cycles.prepare({ area: DEMO_AREA.code, period });
    expect(prepared.map((b) => [b.count, b.total])).toEqual([[1, '55000']]);
    const r = await h.as('finance', [disburseAction(prepared[0]!)]);
    expect(r.events.map((e) => e.name)).toContain('batchSent');
  });

  it("lists a batch's payments with their states for finance, and only for finance", async () => {
    const period = periodAt(h.now());
    const finance = h.callerAs('finance');
    const [batch] = (await finance.cycles.get({ area: DEMO_AREA.code, period })).batches;
    const household = (await h.database.db.select().from(households))[0]!.id;
    // Each payment named by its head of household, as staff read households elsewhere.
    const mu = h.person('mu-laoshan');
    const head = { account: mu.address, name: mu.name };
    expect(await finance.cycles.batch({ id: batch!.id })).toEqual([
      { index: 0, household, head, amount: '55000', state: 'sent' },
    ]);
    await h.as('finance', [
      w('recordOutcomes', { batch: batch!.id, outcomes: [{ index: 0, outcome: 'returned' }] }),
    ]);
    expect(await finance.cycles.batch({ id: batch!.id })).toEqual([
      { index: 0, household, head, amount: '55000', state: 'returned' },
    ]);
    await expect(h.callerAs('he-caseworker').cycles.batch({ id: batch!.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(finance.cycles.batch({ id: 'ef'.repeat(32) })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
