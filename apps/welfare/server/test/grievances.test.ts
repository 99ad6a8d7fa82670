// Grievances through the app: the recipient's words stay on the server and only their hash is signed;
// the chain sets the deadline; the indexer builds the read model; the recipient sees their own with the
// words, officers see the queue and answer, a neighbour and the public see nothing.
import type { Action } from '@gongxin/ledger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grievances } from '../src/db/schema';
import { DEMO_AREA, FUND_SYMBOL } from '../src/people';
import { startWelfareHarness, type WelfareHarness, w } from './harness';

let h: WelfareHarness;
beforeAll(async () => {
  h = await startWelfareHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('grievances', () => {
  it('are filed by the recipient, answered by an officer, seen only by them', async () => {
    await h.as('mzj-admin', [
      w('setArea', {
        code: DEMO_AREA.code,
        name: DEMO_AREA.name,
        symbol: FUND_SYMBOL,
        noticeDays: 7,
        noticeWorkingDays: true,
        alertOwner: h.person('welfare-auditor').address,
      }),
    ]);
    const worker = h.callerAs('he-caseworker');
    const zhao = h.person('zhao-guilan');
    const { idHash } = await worker.people.idHash({ idNumber: zhao.idNumber! });
    const r = await h.as('he-caseworker', [
      w('apply', {
        area: DEMO_AREA.code,
        category: 'single',
        members: [{ idHash, did: zhao.address, account: zhao.address, addOn: 0 }],
      }),
    ]);
    const household = (r.events.find((e) => e.name === 'householdOpened')!.attrs as { id: string }).id;

    const me = h.callerAs('zhao-guilan');
    const words = '入户调查时没有核实我的医疗支出，请复核。';
    await expect(
      me.grievances.prepare({ household, category: 'bribes' as never, text: words }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const prepared = await me.grievances.prepare({ household, category: 'investigation', text: words });
    expect(JSON.stringify(prepared.action)).not.toContain('医疗');
    // A neighbour cannot file about someone else's file: the chain refuses.
    const stranger = await h.send(h.person('neighbour').account, [prepared.action as unknown as Action]);
    expect(stranger).toMatchObject({ ok: false, code: 'not_authorized' });
    const filed = await h.as('zhao-guilan', [prepared.action as unknown as Action]);
    const id = (filed.events.find((e) => e.name === 'grievanceFiled')!.attrs as { id: string }).id;

    const mine = await me.grievances.mine();
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id, household, category: 'investigation', text: words, answer: null });
    expect(mine[0]!.deadline).toBeGreaterThan(h.now() + 15 * 86_400_000);

    expect(await h.callerAs('neighbour').grievances.mine()).toEqual([]);
    await expect(h.callerAs('neighbour').grievances.queue({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(h.caller(null).grievances.mine()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(h.callerAs('finance').grievances.queue({})).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const queue = await worker.grievances.queue({ area: DEMO_AREA.code, open: true });
    expect(queue.map((g) => g.id)).toEqual([id]);
    expect(queue[0]!.text).toBe(words);
    await expect(
      h.callerAs('welfare-auditor').grievances.prepareAnswer({ id, text: '已复核', upheld: true }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const answer = await worker.grievances.prepareAnswer({
      id,
      text: '已补充核实医疗支出，重新计算。',
      upheld: true,
    });
    await h.as('he-caseworker', [answer.action as unknown as Action]);
    expect(await worker.grievances.queue({ open: true })).toEqual([]);
    expect((await me.grievances.mine())[0]).toMatchObject({
      upheld: true,
      late: false,
      answer: '已补充核实医疗支出，重新计算。',
      answeredBy: h.person('he-caseworker').address,
    });
    // The read model equals a rebuild from genesis.
    const snapshot = async () => JSON.stringify(await h.database.db.select().from(grievances));
    const before = await snapshot();
    await h.mounted.indexer!.rebuild();
    expect(await snapshot()).toBe(before);
  });
});
