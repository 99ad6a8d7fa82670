// The 公示 list on the public API: who is under notice, with the head of household's name masked on the
// server, the category, the proposed amount and the end of the notice period from the chain. The clear
// name, the ID number and its keyed hash never appear in the public answer.
import { addMonths } from '@gongxin/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodAt } from '../src/demo';
import { maskName } from '../src/notice';
import { DEMO_AREA, FUND_SYMBOL } from '../src/people';
import { startWelfareHarness, type WelfareHarness, w } from './harness';

describe('maskName', () => {
  it.each([
    ['张三丰', '张*丰'],
    ['李四', '李*'],
    ['欧阳小明', '欧**明'],
    ['王', '*'],
    ['王建华（邻居）', '王*华'],
    ['Zhao Guilan', 'Z*** G*****'],
    ['  ', '—'],
  ])('%s → %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});

let h: WelfareHarness;
beforeAll(async () => {
  h = await startWelfareHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('public 公示 list', () => {
  it('lists a household under notice with the name masked and nothing that identifies it', async () => {
    const period = addMonths(periodAt(h.now()), 1);
    await h.as('mzj-admin', [
      w('setArea', {
        code: DEMO_AREA.code,
        name: DEMO_AREA.name,
        symbol: FUND_SYMBOL,
        noticeDays: 7,
        noticeWorkingDays: false,
        alertOwner: h.person('welfare-auditor').address,
      }),
      w('setStandard', { code: DEMO_AREA.code, from: period, standard: 80_000 }),
      w('setRules', { code: DEMO_AREA.code, from: period, rounding: 'up' }),
    ]);
    // Into next month (China time), when the standard is in force.
    const [y, m] = period.split('-').map(Number) as [number, number];
    h.advance(Date.UTC(y, m - 1, 2) - 8 * 3_600_000 - h.now());
    const anon = h.caller(null);
    expect(await anon.public.notice({})).toEqual([]);

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
    const id = (r.events.find((e) => e.name === 'householdOpened')!.attrs as { id: string }).id;
    await h.as('he-caseworker', [
      w('investigate', { id, reports: ['ab'.repeat(32)] }),
      w('preliminary', { id, inputs: { annualIncome: 240_000 } }),
    ]);
    // Not yet under notice.
    expect(await anon.public.notice({})).toEqual([]);
    await h.as('he-caseworker', [w('publicise', { id })]);
    await h.as('neighbour', [w('object', { id, evidence: 'cd'.repeat(32) })]);

    const list = await anon.public.notice({ area: DEMO_AREA.code });
    expect(list).toHaveLength(1);
    const entry = list[0]!;
    expect(entry).toMatchObject({
      application: id,
      area: DEMO_AREA.code,
      areaName: DEMO_AREA.name,
      name: '赵*兰',
      category: 'single',
      categoryZh: expect.any(String),
      // 单人保: (800 − 200) × 1 = 600 元.
      proposed: '60000',
      openObjections: 1,
    });
    const [app] = (await worker.applications.list({ step: 'publicised', limit: 5 })).filter(
      (a) => a.id === id,
    );
    expect(entry.noticeEnds).toBe(app!.noticeEnds);
    expect(entry.noticeEnds).toBeGreaterThan(h.now());

    const text = JSON.stringify(list);
    expect(text).not.toContain('赵桂兰');
    expect(text).not.toContain('Zhao Guilan');
    expect(text).not.toContain(zhao.idNumber!);
    expect(text).not.toContain(idHash);
    expect(text).not.toContain(zhao.address);
    // Another area's list is empty; a bad area is a 400.
    expect(await anon.public.notice({ area: '110101' })).toEqual([]);
    await expect(anon.public.notice({ area: 'x' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
