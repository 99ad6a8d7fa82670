// Alerts through the app: a refused payment names its household by the head's name, a shared bank account
// and a manual alert name none; the list is filtered by open / resolved / all and by kind, open ones
// first, in one database query; a resolution keeps who gave it with its block and tx; one alert is read
// by id; only staff read them; the read model equals a rebuild from genesis.
import { toHex } from '@gongxin/ledger';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { alerts } from '../src/db/schema';
import { periodAt } from '../src/demo';
import { DEMO_AREA, FUND_SYMBOL } from '../src/people';
import { startWelfareHarness, type WelfareHarness, w } from './harness';

let h: WelfareHarness;
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
    const auditor = h.person('yang-auditor');
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
    const opened: string[] = [];
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
      await h.as('yang-auditor', [
        w('reportSharedAccount', { accountHash: 'a1'.repeat(32), households: opened }),
      ]),
    );
    const manual = alertIdOf(
      await h.as('yang-auditor', [w('raiseAlert', { subject: '抽查', detail: '月度抽查' })]),
    );

    const staff = h.callerAs('mu-reviewer');
    const all = await staff.alerts.list({ status: 'all' });
    expect(all.map((a) => a.id).sort()).toEqual([refused, shared, manual].sort());
    const yang = { account: auditor.address, name: { 'zh-CN': '杨慧（审计）', en: 'Yang Hui (auditor)' } };
    const first = all.find((a) => a.id === refused)!;
    expect(first).toMatchObject({
      kind: 'unregistered_account',
      subject: opened[0],
      owner: yang,
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
    expect(all.find((a) => a.id === shared)).toMatchObject({ kind: 'shared_account', household: null });
    expect(all.find((a) => a.id === manual)).toMatchObject({ kind: 'manual', household: null, owner: yang });

    // The auditor resolves one: the read model keeps the outcome, who gave it, and its block and tx.
    const done = await h.as('yang-auditor', [w('resolveAlert', { id: manual, outcome: '已核实，无异常' })]);
    const resolved = await staff.alerts.list({ status: 'resolved' });
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({
      id: manual,
      outcome: '已核实，无异常',
      resolvedBy: yang,
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
});
