// Alerts through the app: a refused payment names its household by the head's name, a shared bank account
// the households sharing it by their heads' names, a manual alert none; each carries the areas of its
// households; the list is filtered by open / resolved / all, by kind and by area (an alert about no
// household matches no area), open ones first, in one database query; a resolution keeps who gave it with
// its block and tx; one alert is read by id; only staff read them; the read model equals a rebuild from
// genesis. The demo area's alert owner is the passport demo's auditor, 吴审计, by that name.
import { toHex } from '@gongxin/ledger';
import { demoAccounts } from '@gongxin/passport-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { alerts } from '../src/db/schema';
import { periodAt } from '../src/demo';
import { DEMO_AREA, FUND_SYMBOL } from '../src/people';
import { startWelfareHarness, type WelfareHarness, w } from './harness';

let h: WelfareHarness;
/** The demo area's households the first test opens (赵桂兰's, 李文芳's) and its alerts. */
const opened: string[] = [];
const raised: Record<'refused' | 'shared' | 'manual', string> = { refused: '', shared: '', manual: '' };
beforeAll(async () => {
  h = await startWelfareHarness();
});
afterAll(async () => {
  await h?.close();
});

const alertIdOf = (r: { events: { name: string; attrs: unknown }[] }) =>
  (r.events.find((e) => e.name === 'alertRaised')!.attrs as { id: string }).id;

describe('alerts', () => {
  it('are listed and read by staff with names, filtered, and keep who resolved them', async () => {
    const auditor = h.person('welfare-auditor');
    await h.as('mzj-admin', [
      w('setArea', {
        code: DEMO_AREA.code,
        name: DEMO_AREA.name,
        symbol: FUND_SYMBOL,
        noticeDays: 7,
        noticeWorkingDays: true,
        alertOwner: auditor.address,
      }),
    ]);
    const worker = h.callerAs('he-caseworker');
    for (const id of ['zhao-guilan', 'li-wenfang']) {
      const p = h.person(id);
      const { idHash } = await worker.people.idHash({ idNumber: p.idNumber! });
      const r = await h.as('he-caseworker', [
        w('apply', {
          area: DEMO_AREA.code,
          category: 'single',
          members: [{ idHash, did: p.address, account: p.address, addOn: 0 }],
        }),
      ]);
      opened.push((r.events.find((e) => e.name === 'householdOpened')!.attrs as { id: string }).id);
    }
    // A payment to an account not registered to the household: refused, an alert about the household.
    const payment = {
      household: opened[0]!,
      idHash: 'ef'.repeat(32),
      account: h.person('neighbour').address,
      amount: 1n,
    };
    const { paymentRoot } = await import('@gongxin/contracts');
    const period = periodAt(h.now());
    const root = toHex(paymentRoot(h.suite.hash, DEMO_AREA.code, period, [payment as never]));
    const refused = alertIdOf(
      await h.as('finance', [w('disburse', { area: DEMO_AREA.code, period, root, payments: [payment] })]),
    );
    // One bank account for both households, which share no member.
    const shared = alertIdOf(
      await h.as('welfare-auditor', [
        w('reportSharedAccount', { accountHash: 'a1'.repeat(32), households: opened }),
      ]),
    );
    const manual = alertIdOf(
      await h.as('welfare-auditor', [w('raiseAlert', { subject: '抽查', detail: '月度抽查' })]),
    );

    const staff = h.callerAs('mu-reviewer');
    const all = await staff.alerts.list({ status: 'all' });
    expect(all.map((a) => a.id).sort()).toEqual([refused, shared, manual].sort());
    // The owner is the passport's demo auditor, who signs in: named as the passport names it.
    const wu = { account: auditor.address, name: { 'zh-CN': '吴审计', en: '吴审计' } };
    expect(auditor.address).toBe(demoAccounts(h.suite).find((a) => a.id === 'welfare-auditor')!.address);
    const first = all.find((a) => a.id === refused)!;
    expect(first).toMatchObject({
      kind: 'unregistered_account',
      subject: opened[0],
      owner: wu,
      outcome: null,
      resolvedBy: null,
      resolvedHeight: null,
      resolvedTx: null,
      household: {
        id: opened[0],
        area: DEMO_AREA.code,
        head: { account: h.person('zhao-guilan').address, name: { 'zh-CN': '赵桂兰', en: 'Zhao Guilan' } },
      },
    });
    expect(first.deadline).toBeGreaterThan(h.now());
    expect(first.areas).toEqual([DEMO_AREA.code]);
    expect(first.sharedBy).toBeNull();
    // A shared account: the households sharing it, each by its head's name and with its area.
    expect(all.find((a) => a.id === shared)).toMatchObject({
      kind: 'shared_account',
      household: null,
      areas: [DEMO_AREA.code],
      sharedBy: [
        {
          id: opened[0],
          area: DEMO_AREA.code,
          head: { account: h.person('zhao-guilan').address, name: { 'zh-CN': '赵桂兰', en: 'Zhao Guilan' } },
        },
        {
          id: opened[1],
          area: DEMO_AREA.code,
          head: { account: h.person('li-wenfang').address, name: { 'zh-CN': '李文芳', en: 'Li Wenfang' } },
        },
      ],
    });
    expect(all.find((a) => a.id === manual)).toMatchObject({
      kind: 'manual',
      household: null,
      sharedBy: null,
      areas: [],
      owner: wu,
    });
    Object.assign(raised, { refused, shared, manual });

    // The auditor resolves one: the read model keeps the outcome, who gave it, and its block and tx.
    const done = await h.as('welfare-auditor', [
      w('resolveAlert', { id: manual, outcome: '已核实，无异常' }),
    ]);
    const resolved = await staff.alerts.list({ status: 'resolved' });
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({
      id: manual,
      outcome: '已核实，无异常',
      resolvedBy: wu,
      resolvedHeight: done.height,
      resolvedTx: done.id,
    });
    expect((await staff.alerts.list({ status: 'open' })).map((a) => a.id).sort()).toEqual(
      [refused, shared].sort(),
    );
    // Open ones first, then the newest.
    expect((await staff.alerts.list({})).map((a) => a.id)).toEqual([shared, refused, manual]);
    expect((await staff.alerts.list({ kind: 'shared_account' })).map((a) => a.id)).toEqual([shared]);
    expect(await staff.alerts.list({ kind: 'manual', status: 'open' })).toEqual([]);
    expect(await staff.alerts.list({ limit: 1 })).toHaveLength(1);

    // One alert by id, as the list has it; an unknown id is a 404 naming it.
    expect(await staff.alerts.get({ id: refused })).toEqual(first);
    expect(await staff.alerts.get({ id: manual })).toEqual(resolved[0]);
    await expect(staff.alerts.get({ id: 'ab'.repeat(32) })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(staff.alerts.get({ id: 'nope' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(staff.alerts.list({ status: 'closed' as never })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    // Only staff.
    await expect(h.callerAs('zhao-guilan').alerts.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(h.callerAs('zhao-guilan').alerts.get({ id: refused })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(h.caller(null).alerts.list({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

    // The list is one database query and reads nothing from the chain.
    const selects = vi.spyOn(h.database.db, 'select');
    const reads = vi.spyOn(h.services.chain.client, 'state');
    try {
      expect(await staff.alerts.list({ status: 'all' })).toHaveLength(3);
      expect(selects).toHaveBeenCalledTimes(1);
      expect(reads).not.toHaveBeenCalled();
    } finally {
      selects.mockRestore();
      reads.mockRestore();
    }

    // The read model equals a rebuild from genesis.
    const snapshot = async () =>
      JSON.stringify(await h.database.db.select().from(alerts).orderBy(alerts.id), (_k, v) =>
        typeof v === 'bigint' ? `${v}n` : v,
      );
    const before = await snapshot();
    expect(before).toContain(done.id);
    await h.mounted.indexer!.rebuild();
    expect(await snapshot()).toBe(before);
  });

  it('are filtered by the area of their households; one about no household matches no area', async () => {
    const auditor = h.person('welfare-auditor');
    const YULONG = '530721';
    await h.as('mzj-admin', [
      w('setArea', {
        code: YULONG,
        name: '玉龙纳西族自治县',
        symbol: FUND_SYMBOL,
        noticeDays: 7,
        noticeWorkingDays: true,
        alertOwner: auditor.address,
      }),
    ]);
    const p = h.person('mu-laoshan');
    const { idHash } = await h.callerAs('he-caseworker').people.idHash({ idNumber: p.idNumber! });
    const r = await h.as('he-caseworker', [
      w('apply', {
        area: YULONG,
        category: 'single',
        members: [{ idHash, did: p.address, account: p.address, addOn: 0 }],
      }),
    ]);
    const yulong = (r.events.find((e) => e.name === 'householdOpened')!.attrs as { id: string }).id;
    const { paymentRoot } = await import('@gongxin/contracts');
    const period = periodAt(h.now());
    const refuse = async (area: string, household: string) => {
      const payment = {
        household,
        idHash: 'ef'.repeat(32),
        account: h.person('neighbour').address,
        amount: 1n,
      };
      const root = toHex(paymentRoot(h.suite.hash, area, period, [payment as never]));
      return alertIdOf(await h.as('finance', [w('disburse', { area, period, root, payments: [payment] })]));
    };
    // A refused payment in 玉龙 about its household; one about a household no one opened (no area).
    const inYulong = await refuse(YULONG, yulong);
    const nowhere = await refuse(DEMO_AREA.code, 'fe'.repeat(32));
    // One bank account for 木老山's household in 玉龙 and 赵桂兰's in 古城区: in both areas.
    const across = alertIdOf(
      await h.as('welfare-auditor', [
        w('reportSharedAccount', { accountHash: 'b2'.repeat(32), households: [yulong, opened[0]] }),
      ]),
    );

    const staff = h.callerAs('mu-reviewer');
    const ids = async (input: Parameters<typeof staff.alerts.list>[0]) =>
      (await staff.alerts.list(input)).map((a) => a.id).sort();
    expect(await ids({ area: DEMO_AREA.code })).toEqual([raised.refused, raised.shared, across].sort());
    expect(await ids({ area: YULONG })).toEqual([inYulong, across].sort());
    expect(await ids({ area: '530722' })).toEqual([]);
    expect(await ids({ area: YULONG, kind: 'shared_account' })).toEqual([across]);
    expect(await ids({ area: DEMO_AREA.code, status: 'resolved' })).toEqual([]);
    // "All": every alert, those about no household too.
    expect(await ids({})).toEqual(
      [raised.refused, raised.shared, raised.manual, inYulong, nowhere, across].sort(),
    );
    const listed = await staff.alerts.list({});
    expect(listed.find((a) => a.id === nowhere)).toMatchObject({ household: null, areas: [] });
    expect(listed.find((a) => a.id === inYulong)).toMatchObject({
      areas: [YULONG],
      household: { id: yulong, area: YULONG, head: { name: { 'zh-CN': '木老山', en: 'Mu Laoshan' } } },
    });
    const shared = await staff.alerts.get({ id: across });
    expect(shared.areas).toEqual([YULONG, DEMO_AREA.code]);
    expect(shared.sharedBy!.map((x) => [x.id, x.area, x.head.name?.['zh-CN']])).toEqual([
      [yulong, YULONG, '木老山'],
      [opened[0], DEMO_AREA.code, '赵桂兰'],
    ]);
    await expect(staff.alerts.list({ area: '5307' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    // Filtered by area, the list is still one database query and reads nothing from the chain.
    const selects = vi.spyOn(h.database.db, 'select');
    const reads = vi.spyOn(h.services.chain.client, 'state');
    try {
      expect(await staff.alerts.list({ area: YULONG })).toHaveLength(2);
      expect(selects).toHaveBeenCalledTimes(1);
      expect(reads).not.toHaveBeenCalled();
    } finally {
      selects.mockRestore();
      reads.mockRestore();
    }

    // Each alert's households are in the read model as a rebuild from genesis makes them.
    const before = await h.database.db.select().from(alerts).orderBy(alerts.id);
    expect(before.find((a) => a.id === across)!.households).toEqual([yulong, opened[0]]);
    expect(before.find((a) => a.id === nowhere)!.households).toEqual([]);
    await h.mounted.indexer!.rebuild();
    expect(await h.database.db.select().from(alerts).orderBy(alerts.id)).toEqual(before);
  });
});
