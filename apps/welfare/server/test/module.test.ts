// The whole allowance round through the app on a real validator: the bureau sets up 古城区 with a
// standard from next month; a case worker accepts two households (ID numbers only as keyed hashes),
// investigates and publishes the 公示 notice; a neighbour objects and the reviewer resolves it; after the
// notice period the reviewer approves; finance prepares the cycle (payment list and Merkle root kept
// here), signs the batch, records the outcomes and closes the cycle; the recipient sees the payment with
// a proof that verifies against the root in the batch tx; the public aggregate adds up; the read models
// equal a rebuild from genesis.
import { addMonths, type Payment, paymentLeaf } from '@gongxin/contracts';
import { fromHex, leafHash, rootFromInclusionProof, toHex } from '@gongxin/ledger';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { households as householdsTable, readModels } from '../src/db/schema';
import { periodAt } from '../src/demo';
import { DEMO_AREA, FUND_SYMBOL } from '../src/people';
import { disburseAction, startWelfareHarness, type WelfareHarness, w } from './harness';

const DAY = 86_400_000;
let h: WelfareHarness;
let period: string;
const ids: string[] = [];

beforeAll(async () => {
  h = await startWelfareHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('welfare app', () => {
  it('staff procedures need a staff role; bad input is a 400 naming the field', async () => {
    const citizen = h.callerAs('zhao-guilan');
    await expect(citizen.applications.list({ limit: 5 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(h.caller(null).me.payments()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const worker = h.callerAs('he-caseworker');
    const bad = await worker.people.idHash({ idNumber: '12345' }).catch((e: TRPCError) => e);
    expect(bad).toBeInstanceOf(TRPCError);
    expect((bad as TRPCError).code).toBe('BAD_REQUEST');
    expect((bad as TRPCError).message).toMatch(/idNumber/);
  });

  it('takes two households from application to approval, one objection resolved', async () => {
    period = addMonths(periodAt(h.now()), 1);
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
    expect(periodAt(h.now())).toBe(period);

    const worker = h.callerAs('he-caseworker');
    const households = [
      { people: ['zhao-guilan'], category: 'single', income: 240_000 },
      { people: ['he-zhiqiang', 'he-xiaoyu'], category: 'dibao', income: 960_000 },
    ];
    for (const hh of households) {
      const members = [];
      for (const id of hh.people) {
        const { idHash } = await worker.people.idHash({ idNumber: h.person(id).idNumber! });
        expect(idHash).toMatch(/^[0-9a-f]{64}$/);
        expect(idHash).not.toContain(h.person(id).idNumber!);
        members.push({ idHash, did: h.person(id).address, account: h.person(id).address, addOn: 0 });
      }
      const r = await h.as('he-caseworker', [
        w('apply', { area: DEMO_AREA.code, category: hh.category, members }),
      ]);
      const id = (r.events.find((e) => e.name === 'householdOpened')!.attrs as { id: string }).id;
      ids.push(id);
      await h.as('he-caseworker', [
        w('investigate', { id, reports: ['ab'.repeat(32)] }),
        w('preliminary', { id, inputs: { annualIncome: hh.income } }),
        w('publicise', { id }),
      ]);
    }
    await h.as('neighbour', [w('object', { id: ids[1]!, evidence: 'cd'.repeat(32) })]);
    const listed = await worker.applications.list({ step: 'publicised', limit: 10 });
    expect(listed.map((a) => a.id).sort()).toEqual([...ids].sort());
    expect(listed.find((a) => a.id === ids[1])!.openObjections).toBe(1);
    // Staff see the head of household by name (the public notice masks it).
    expect(listed.find((a) => a.id === ids[0])!.head).toEqual({
      account: h.person('zhao-guilan').address,
      name: { 'zh-CN': '赵桂兰', en: 'Zhao Guilan' },
    });
    expect(listed.find((a) => a.id === ids[1])!.head.account).toBe(h.person('he-zhiqiang').address);
    // The list is one database query: the heads come from the read model, not a chain read per row.
    const reads = vi.spyOn(h.services.chain.client, 'state');
    try {
      expect(await worker.applications.list({ step: 'publicised', limit: 10 })).toEqual(listed);
      expect(reads).not.toHaveBeenCalled();
      // A file opened by an event without the head (an older contract) is read from the chain, alone.
      await h.database.db.update(householdsTable).set({ head: null }).where(eq(householdsTable.id, ids[0]!));
      expect(await worker.applications.list({ step: 'publicised', limit: 10 })).toEqual(listed);
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
      await h.database.db
        .update(householdsTable)
        .set({ head: h.person('zhao-guilan').address })
        .where(eq(householdsTable.id, ids[0]!));
    }

    // Not before the notice ends.
    const early = await h.send(h.person('he-caseworker').account, [w('deliberate', { id: ids[0]! })]);
    expect(early.ok).toBe(false);
    h.advance(8 * DAY);
    // The open objection still blocks the second.
    const blocked = await h.send(h.person('he-caseworker').account, [w('deliberate', { id: ids[1]! })]);
    expect(blocked).toMatchObject({ ok: false, code: 'not_allowed' });
    await h.as('mu-reviewer', [w('resolveObjection', { id: ids[1]!, objection: 0, upheld: false })]);
    for (const id of ids) {
      await h.as('he-caseworker', [w('deliberate', { id })]);
      await h.as('mu-reviewer', [w('countyReview', { id, sampled: true }), w('approve', { id })]);
    }
    const got = await worker.applications.get({ id: ids[1]! });
    expect(got.step).toBe('approved');
    expect(got.objections).toMatchObject([{ open: false, upheld: false }]);
    // 单人保: (800 − 200) × 1 = 600 元; 低保: (800 − 400) × 2 = 800 元.
    expect((await worker.applications.get({ id: ids[0]! })).decision).toMatchObject({
      eligible: true,
      monthly: '60000',
    });
    expect(got.decision).toMatchObject({ eligible: true, monthly: '80000' });
  });

  it('computes, disburses, reconciles and closes the cycle; the recipient verifies the payment', async () => {
    await h.as('mzj-admin', [
      w('setEnvelope', { area: DEMO_AREA.code, period, count: 10, total: 1_000_000 }),
    ]);
    const finance = h.callerAs('finance');
    await expect(
      h.callerAs('he-caseworker').cycles.prepare({ area: DEMO_AREA.code, period }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const prepared = await finance.cycles.prepare({ area: DEMO_AREA.code, period, batchSize: 1000 });
    expect(prepared).toHaveLength(1);
    expect(prepared[0]).toMatchObject({ count: 2, total: '140000' });
    const sent = await h.as('finance', [disburseAction(prepared[0]!)]);
    const batchId = (sent.events.find((e) => e.name === 'batchSent')!.attrs as { id: string }).id;
    // A second preparation leaves out households already sent a payment for the month.
    expect(await finance.cycles.prepare({ area: DEMO_AREA.code, period })).toEqual([]);
    await h.as('finance', [
      w('recordOutcomes', {
        batch: batchId,
        outcomes: [
          { index: 0, outcome: 'paid' },
          { index: 1, outcome: 'paid' },
        ],
      }),
      w('closeCycle', { area: DEMO_AREA.code, period }),
    ]);
    const cycle = await finance.cycles.get({ area: DEMO_AREA.code, period });
    expect(cycle.cycle).toMatchObject({
      issued: '140000',
      paid: '140000',
      failed: '0',
      returned: '0',
      closed: true,
    });
    // The paid fen reached the recipient's registered account on chain.
    const balance = await h.services.chain.client.state(
      `assets/bal/${FUND_SYMBOL}/${h.person('he-zhiqiang').address}`,
    );
    expect(String(balance.value)).toBe('80000');

    const mine = await h.callerAs('he-zhiqiang').me.payments();
    expect(mine).toHaveLength(1);
    const p = mine[0]!;
    expect(p).toMatchObject({ amount: '80000', period, txId: sent.id, height: sent.height });
    // The proof: leaf → root, and the root is the one the committed batch tx carries.
    const leaf = paymentLeaf(p.area, p.period, p.position, {
      ...p,
      amount: BigInt(p.amount),
    } as unknown as Payment);
    expect(toHex(leaf)).toBe(p.leaf);
    const root = rootFromInclusionProof(h.suite.hash, leafHash(h.suite.hash, leaf), {
      index: p.position,
      size: p.size,
      path: p.path.map((x) => fromHex(x)),
    });
    expect(root && toHex(root)).toBe(p.root);
    const tx = await h.services.chain.client.getTx(p.txId);
    expect(JSON.stringify(tx)).toContain(p.root);
    // A tampered amount does not verify.
    const forged = paymentLeaf(p.area, p.period, p.position, {
      ...(p as unknown as Payment),
      amount: 90_000n,
    });
    const wrong = rootFromInclusionProof(h.suite.hash, leafHash(h.suite.hash, forged), {
      index: p.position,
      size: p.size,
      path: p.path.map((x) => fromHex(x)),
    });
    expect(wrong && toHex(wrong)).not.toBe(p.root);
    // Zhao Guilan sees only her own.
    expect((await h.callerAs('zhao-guilan').me.payments()).map((x) => x.amount)).toEqual(['60000']);
  });

  it('the public aggregate adds up to the fen and names no one', async () => {
    const agg = await h.caller(null).public.aggregate({ area: DEMO_AREA.code });
    expect(agg.months).toHaveLength(1);
    const month = agg.months[0]!;
    expect(month).toMatchObject({ period, issued: '140000', paid: '140000', households: 2, closed: true });
    // Areas are named, not only coded, in the months and the caseload.
    expect(month).toMatchObject({ area: DEMO_AREA.code, areaName: DEMO_AREA.name });
    expect(agg.caseload.length).toBeGreaterThan(0);
    for (const c of agg.caseload) expect(c).toMatchObject({ area: DEMO_AREA.code, areaName: DEMO_AREA.name });
    expect(month.batches.reduce((a, b) => a + BigInt(b.total), 0n)).toBe(BigInt(month.issued));
    const text = JSON.stringify(agg, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    for (const id of ['zhao-guilan', 'he-zhiqiang']) expect(text).not.toContain(h.person(id).address);
  });

  it('a refused batch commits an alert the auditor sees', async () => {
    const over = {
      household: ids[0]!,
      idHash: 'ef'.repeat(32),
      account: h.person('neighbour').address,
      amount: 1n,
    };
    const { paymentRoot } = await import('@gongxin/contracts');
    const root = toHex(paymentRoot(h.suite.hash, DEMO_AREA.code, addMonths(period, 1), [over as never]));
    await h.as('finance', [
      w('disburse', { area: DEMO_AREA.code, period: addMonths(period, 1), root, payments: [over] }),
    ]);
    const list = await h.callerAs('welfare-auditor').alerts.list({ status: 'open', limit: 10 });
    expect(list.map((a) => a.kind)).toContain('unregistered_account');
  });

  it('refuses each rule straight at the node API, each time with an alert the auditor sees', async () => {
    const worker = h.callerAs('he-caseworker');
    const idHashOf = async (id: string) =>
      (await worker.people.idHash({ idNumber: h.person(id).idNumber! })).idHash;
    const zhao = {
      household: ids[0]!,
      idHash: await idHashOf('zhao-guilan'),
      account: h.person('zhao-guilan').address,
    };
    const xiaoyu = {
      household: ids[1]!,
      idHash: await idHashOf('he-xiaoyu'),
      account: h.person('he-xiaoyu').address,
    };
    const alertsNow = async () =>
      (await h.callerAs('welfare-auditor').alerts.list({ status: 'open', limit: 100 })).map((a) => a.kind);
    /** Sends one disburse tx through the node's API; it commits, refused, with an alert of `kind`. */
    const refusedBatch = async (
      forPeriod: string,
      payments: (typeof zhao & { amount: bigint })[],
      kind: string,
    ) => {
      const { paymentRoot } = await import('@gongxin/contracts');
      const root = toHex(paymentRoot(h.suite.hash, DEMO_AREA.code, forPeriod, payments as never));
      const before = (await alertsNow()).filter((k) => k === kind).length;
      const r = await h.as('finance', [
        w('disburse', { area: DEMO_AREA.code, period: forPeriod, root, payments }),
      ]);
      const names = r.events.map((e) => e.name);
      expect(names).toContain('batchRefused');
      expect(names).toContain('alertRaised');
      expect(names).not.toContain('batchSent');
      expect((await alertsNow()).filter((k) => k === kind).length).toBe(before + 1);
    };
    const p3 = addMonths(period, 2);
    const p4 = addMonths(period, 3);
    await h.as('mzj-admin', [
      w('setEnvelope', { area: DEMO_AREA.code, period: p3, count: 10, total: 1_000_000 }),
      w('setEnvelope', { area: DEMO_AREA.code, period: p4, count: 10, total: 50_000 }),
    ]);
    // Above the approved 600 元, by one fen; also when split across two payments.
    await refusedBatch(p3, [{ ...zhao, amount: 60_001n }], 'above_approved');
    await refusedBatch(
      p3,
      [
        { ...zhao, amount: 30_000n },
        { ...zhao, amount: 30_001n },
      ],
      'above_approved',
    );
    // Beyond the month's envelope of 500 元.
    await refusedBatch(p4, [{ ...zhao, amount: 60_000n }], 'over_envelope');
    // To an account not registered to an approved member.
    await refusedBatch(
      p3,
      [{ ...zhao, account: h.person('neighbour').address, amount: 100n }],
      'unregistered_account',
    );
    // A person already in a household, applying again in the same category, and in an exclusive one.
    const dup = await h.as('he-caseworker', [
      w('apply', {
        area: DEMO_AREA.code,
        category: 'dibao',
        members: [{ idHash: xiaoyu.idHash, did: xiaoyu.account, account: xiaoyu.account, addOn: 0 }],
      }),
    ]);
    expect(dup.events.map((e) => e.name)).not.toContain('householdOpened');
    expect(await alertsNow()).toContain('duplicate_person');
    const other = await h.as('he-caseworker', [
      w('apply', {
        area: DEMO_AREA.code,
        category: 'tekun-dispersed',
        members: [{ idHash: zhao.idHash, did: zhao.account, account: zhao.account, addOn: 0 }],
      }),
    ]);
    expect(other.events.map((e) => e.name)).not.toContain('householdOpened');
    expect(await alertsNow()).toContain('exclusive_category');
    // A deceased recipient.
    await h.as('he-caseworker', [w('recordDeath', { idHash: xiaoyu.idHash })]);
    await refusedBatch(p3, [{ ...xiaoyu, amount: 100n }], 'deceased_recipient');
    // Nothing of it moved money: the month has no batch and nothing issued.
    for (const p of [p3, p4]) {
      const month = await h.callerAs('finance').cycles.get({ area: DEMO_AREA.code, period: p });
      expect(month.batches).toEqual([]);
      expect(month.cycle?.issued ?? '0').toBe('0');
    }
  });

  it('the read models equal a rebuild from genesis', async () => {
    const snapshot = async () =>
      Promise.all(
        readModels.map(async (t) =>
          (await h.database.db.select().from(t))
            .map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))
            .sort(),
        ),
      );
    const before = await snapshot();
    expect(before.every((rows) => rows.length > 0)).toBe(true);
    await h.mounted.indexer!.rebuild();
    expect(await snapshot()).toEqual(before);
  });
});
