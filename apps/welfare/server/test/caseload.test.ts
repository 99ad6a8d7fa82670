// A caseload on the rolls at genesis (a county's 台账): the demo seed records it in the read model and
// pays it in the chain's first month (on the deployment clock) within the envelope it sets, every payment
// arrived and the cycle closed, so the public figures show a completed month; nothing is left to pay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { households, payments } from '../src/db/schema';
import { periodAt, seedWelfareDemo } from '../src/demo';
import { DEMO_AREA, demoPeople, demoPerson, idHashOf } from '../src/people';
import { startWelfareHarness, type WelfareHarness } from './harness';

let h: WelfareHarness;
const mu = demoPerson(demoPeople(), 'mu-laoshan');
beforeAll(async () => {
  h = await startWelfareHarness({
    genesis: {
      welfare: {
        households: [
          {
            area: DEMO_AREA.code,
            category: 'single',
            members: [{ idHash: idHashOf('caseload', mu.idNumber!), did: mu.address, account: mu.address }],
            inputs: { annualIncome: 300_000 },
          },
        ],
      },
    },
  });
});
afterAll(async () => {
  await h?.close();
});

describe('a caseload on the rolls at genesis', () => {
  it('is in the read model after the seed, its first month paid and closed', async () => {
    await seedWelfareDemo(h.services);
    await h.caughtUp();
    const rolls = (await h.database.db.select().from(households)).filter((x) => x.status === 'active');
    // (80,000 − 300,000 / 12) = 55,000 fen a month.
    expect(rolls).toEqual([expect.objectContaining({ monthly: 55_000n, openedBy: 'genesis' })]);
    const period = periodAt(h.now());
    const figures = await h.caller(null).public.aggregate({});
    expect(figures.months).toEqual([
      expect.objectContaining({
        area: DEMO_AREA.code,
        period,
        issued: '55000',
        paid: '55000',
        closed: true,
        households: 1,
      }),
    ]);
    expect(figures.months[0]!.batches).toEqual([
      expect.objectContaining({
        period,
        count: 1,
        total: '55000',
        txId: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
    const paid = await h.database.db.select().from(payments);
    expect(paid).toEqual([expect.objectContaining({ period, amount: 55_000n, account: mu.address })]);
    // The month is settled: finance finds nothing more due, and a second seed pays nothing again.
    expect(await h.callerAs('finance').cycles.prepare({ area: DEMO_AREA.code, period })).toEqual([]);
    expect(await seedWelfareDemo(h.services)).toBe(0);
    await h.caughtUp();
    expect(await h.database.db.select().from(payments)).toHaveLength(1);
  });
});
