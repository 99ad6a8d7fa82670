import { fromHex, inclusionProof, leafHash, toHex, type ValueMap, verifyInclusion } from '@gongxin/ledger';
import { beforeEach, describe, expect, it } from 'vitest';
import { accounts, hash32, suite, TestChain } from '../../test/chain';
import { balanceOf } from '../assets/views';
import { approvedAmount, genesisHouseholdId, isAreaCode, welfareContract } from './contract';
import {
  AREA,
  accountOf,
  admin,
  approve,
  auditor,
  batch,
  CN,
  member,
  reviewer,
  setUpArea,
  treasurer,
  treasurer2,
  WelfareChain,
  w,
  welfareGenesis,
  worker,
} from './fixture';
import { addMonths, meansTest } from './means-test';
import {
  areaOf,
  batchOf,
  cycleOf,
  decisionInputsHash,
  envelopeOf,
  householdOf,
  type Payment,
  paymentLeaf,
  personOf,
  welfareAlertOf,
} from './views';

const { alice, bob, carol, dave } = accounts;

const alertIn = (events: [string, ValueMap][]) => {
  const alert = events.find(([n]) => n === 'alertRaised');
  expect(alert, events.map(([n]) => n).join(', ')).toBeDefined();
  return alert![1];
};

describe('welfare areas', () => {
  it('take GB/T 2260 codes only', () => {
    expect(['530602', '110101', '820000', '530000'].every(isAreaCode)).toBe(true);
    expect(['000000', '990101', '53060', '530012', 'abcdef'].some(isAreaCode)).toBe(false);
    const chain = new WelfareChain();
    chain.refuses('invalid_params', admin, 'setArea', {
      code: '123',
      name: 'x',
      symbol: 'CNY',
      noticeDays: 7,
      noticeWorkingDays: true,
      alertOwner: auditor.address,
    });
  });

  it('change standards and rules prospectively only, by the admin', () => {
    const chain = new WelfareChain();
    setUpArea(chain);
    chain.refuses('not_allowed', admin, 'setStandard', { code: AREA, from: '2026-04', standard: 85_000 });
    chain.refuses('not_authorized', worker, 'setStandard', { code: AREA, from: '2026-07', standard: 85_000 });
    expect(
      chain.act(admin, 'setStandard', { code: AREA, from: '2026-07', standard: 85_000 })[0]![1],
    ).toMatchObject({ version: 2, from: '2026-07' });
  });
});

describe('a welfare genesis section', () => {
  const section = (areas: unknown[]) => ({ ...welfareGenesis(), welfare: { areas } });
  const gucheng = {
    code: AREA,
    name: '古城区',
    symbol: 'CNY',
    noticeDays: 7,
    noticeWorkingDays: true,
    alertOwner: auditor.address,
    standard: '80000',
    rules: { rounding: 'up' },
  };

  const caseload = (did: string, n = 1) => ({
    area: AREA,
    category: 'dibao',
    members: [member(n, did)],
    inputs: { annualIncome: 360_000 },
  });

  it('starts a chain with areas and a caseload paid from the genesis month', () => {
    const chain = new TestChain({
      contracts: {
        ...section([gucheng]),
        welfare: { areas: [gucheng], households: [caseload(alice.address)] },
      },
      extra: [welfareContract],
    });
    const period = new Date(chain.time + 8 * 3_600_000).toISOString().slice(0, 7);
    const area = areaOf(chain.store, AREA)!;
    expect(area.standards).toEqual([{ version: 1, from: period, standard: 80_000n }]);
    expect(area.rules).toMatchObject([{ version: 1, from: period, rounding: 'up', graceMonths: 6 }]);
    const id = genesisHouseholdId(suite.hash, toHex(chain.state.head.blockHash), 0);
    const household = householdOf(chain.store, id)!;
    expect(household).toMatchObject({ status: 'active', entitlement: { from: period } });
    expect(personOf(chain.store, hash32(1001))).toEqual({ household: id, category: 'dibao' });
    // (80,000 − 360,000 / 12) × 1 = 50,000 fen, owed and paid in the genesis month itself.
    expect(approvedAmount(area, household, period)).toBe(50_000n);
    const { receipt: env } = chain.run(
      admin,
      w('setEnvelope', { area: AREA, period, count: 2, total: 60_000 }),
    );
    expect(env.ok).toBe(true);
    const pay = { household: id, idHash: hash32(1001), account: accountOf(1), amount: 50_000n };
    const { receipt } = chain.run(treasurer, w('disburse', batch(AREA, period, [pay])));
    expect(receipt, receipt.message).toMatchObject({ ok: true });
    // One fen more than approved is refused.
    const again = chain.run(treasurer, w('disburse', batch(AREA, period, [{ ...pay, amount: 1n }])));
    expect(again.receipt.ok).toBe(true);
    expect(again.events.map((e) => e.name)).toEqual(['alertRaised', 'batchRefused']);
    expect(again.events[0]!.attrs).toMatchObject({ kind: 'above_approved' });
  });

  it('starts an area whose standard was in force before the genesis month, its caseload paid from then', () => {
    const chain = new TestChain({
      contracts: {
        ...section([gucheng]),
        welfare: { areas: [{ ...gucheng, monthsBefore: 1 }], households: [caseload(alice.address)] },
      },
      extra: [welfareContract],
    });
    const month = new Date(chain.time + 8 * 3_600_000).toISOString().slice(0, 7);
    const before = addMonths(month, -1);
    const area = areaOf(chain.store, AREA)!;
    expect(area.standards).toEqual([{ version: 1, from: before, standard: 80_000n }]);
    expect(area.rules).toMatchObject([{ version: 1, from: before }]);
    const id = genesisHouseholdId(suite.hash, toHex(chain.state.head.blockHash), 0);
    const household = householdOf(chain.store, id)!;
    expect(household).toMatchObject({ status: 'active', entitlement: { from: before } });
    // The month before genesis is owed and can be paid and closed; two months before is not owed.
    expect(approvedAmount(area, household, before)).toBe(50_000n);
    expect(
      chain.run(admin, w('setEnvelope', { area: AREA, period: before, count: 2, total: 60_000 })).receipt.ok,
    ).toBe(true);
    const pay = { household: id, idHash: hash32(1001), account: accountOf(1), amount: 50_000n };
    const { receipt, events } = chain.run(treasurer, w('disburse', batch(AREA, before, [pay])));
    expect(receipt, receipt.message).toMatchObject({ ok: true });
    expect(events.map((e) => e.name)).toContain('batchSent');
    expect(events.map((e) => e.name)).not.toContain('batchRefused');
    expect(approvedAmount(area, household, addMonths(month, -2))).toBe(0n);
    expect(
      () =>
        new TestChain({
          contracts: { ...section([{ ...gucheng, monthsBefore: 13 }]) },
          extra: [welfareContract],
        }),
    ).toThrow(/genesis section "welfare" is invalid/);
  });

  it('stops a chain from starting when an area is malformed, twice, or its asset is missing', () => {
    const start = (areas: unknown[]) => () =>
      new TestChain({ contracts: section(areas), extra: [welfareContract] });
    expect(start([{ ...gucheng, code: '123' }])).toThrow(/genesis section "welfare" is invalid/);
    expect(start([{ ...gucheng, standard: '0' }])).toThrow(/at least 1 fen/);
    expect(start([gucheng, gucheng])).toThrow(/twice/);
    expect(start([{ ...gucheng, symbol: 'USD' }])).toThrow(/no asset USD/);
    const withCaseload = (households: unknown[]) => () =>
      new TestChain({
        contracts: { ...welfareGenesis(), welfare: { areas: [gucheng], households } },
        extra: [welfareContract],
      });
    expect(withCaseload([caseload(alice.address), caseload(bob.address)])).toThrow(/another household/);
    expect(withCaseload([caseload(accountOf(9))])).toThrow(/has no passport/);
    expect(withCaseload([{ ...caseload(alice.address), inputs: { annualIncome: 1_200_000 } }])).toThrow(
      /not eligible/,
    );
  });
});

describe('the workflow', () => {
  let chain: WelfareChain;
  let id: string;
  beforeEach(() => {
    chain = new WelfareChain();
    setUpArea(chain);
    const events = chain.act(worker, 'apply', {
      area: AREA,
      category: 'dibao',
      members: [member(1, alice.address, 10_400), member(2, bob.address)],
    });
    id = events[0]![1].id as string;
    // The event names the head of household, so a read model need not read the file for it.
    expect(events[0]).toEqual(['householdOpened', expect.objectContaining({ id, head: alice.address })]);
    chain.act(worker, 'investigate', { id, reports: [hash32(7), hash32(8)] });
    chain.act(worker, 'preliminary', { id, inputs: { annualIncome: 1_200_000 } });
  });

  it('keeps the 公示 notice for 7 working days of the chain calendar, and an objection blocks until resolved', () => {
    // Wednesday 1 April; 7 working days (Qingming on 4–6 April is not in the default Mon–Fri schedule)
    const published = chain.act(worker, 'publicise', { id })[0]![1];
    const noticeEnds = published.noticeEnds as number;
    expect(noticeEnds).toBeGreaterThan(chain.time + 7 * 86_400_000);
    chain.refuses('not_allowed', worker, 'deliberate', { id });
    const filed = chain.act(dave, 'object', { id, evidence: hash32(9) });
    expect(filed[0]).toEqual(['objectionFiled', { application: id, objection: 0, evidence: hash32(9) }]);
    chain.skip(noticeEnds - chain.time);
    expect(chain.refuses('not_allowed', worker, 'deliberate', { id })).toMatch(/objection/);
    chain.refuses('expired', carol, 'object', { id, evidence: hash32(10) });
    chain.act(reviewer, 'resolveObjection', { id, objection: 0, upheld: false });
    chain.act(worker, 'deliberate', { id });
    chain.act(reviewer, 'countyReview', { id, sampled: true });
    const decided = chain.act(reviewer, 'approve', { id }).find(([n]) => n === 'decided')![1];
    // (80,000 − ⌈1,200,000 / 24⌉) × 2 + 10,400
    expect(decided).toMatchObject({ eligible: true, monthly: 70_400n, ruleVersion: 1, standardVersion: 1 });
    // Anyone holding the inputs recomputes the hash and re-runs the test to the same amount.
    const inputs = {
      members: 2,
      annualIncome: 1_200_000n,
      annualRigidExpenses: 0n,
      financialAssets: 0n,
      disqualifyingAssets: false,
      addOns: [10_400n, 0n],
    };
    expect(decided.inputsHash).toBe(decisionInputsHash(suite.hash, 'dibao', inputs));
    expect(decided.inputsHash).not.toBe(
      decisionInputsHash(suite.hash, 'dibao', { ...inputs, annualIncome: 1_200_001n }),
    );
    const rules = areaOf(chain.store, AREA)!.rules[0]!;
    expect(meansTest('dibao', inputs, 80_000n, rules).monthly).toBe(decided.monthly);
    expect(householdOf(chain.store, id)?.status).toBe('active');
  });

  it('rejects the application when an objection is upheld, and frees its members', () => {
    chain.act(worker, 'publicise', { id });
    chain.act(dave, 'object', { id, evidence: hash32(9) });
    chain.act(reviewer, 'resolveObjection', { id, objection: 0, upheld: true });
    expect(householdOf(chain.store, id)?.status).toBe('rejected');
    expect(personOf(chain.store, hash32(1001))).toBeUndefined();
  });

  it('moves only forward, step by step', () => {
    chain.refuses('not_allowed', worker, 'deliberate', { id });
    chain.refuses('not_allowed', reviewer, 'approve', { id });
    chain.refuses('not_authorized', worker, 'countyReview', { id, sampled: false });
  });
});

describe('payments', () => {
  let chain: WelfareChain;
  let house: string;
  const period = '2026-04';
  const pay = (amount: bigint, n = 1, household = house): Payment => ({
    household,
    idHash: hash32(1000 + n),
    account: accountOf(n),
    amount,
  });
  beforeEach(() => {
    chain = new WelfareChain();
    setUpArea(chain);
    house = approve(chain, [member(1, alice.address, 10_400), member(2, bob.address)], 1_200_000);
    chain.act(admin, 'setEnvelope', { area: AREA, period, count: 10, total: 100_000 });
  });

  it('go out in a batch carrying the Merkle root; each payment is provable alone; the cycle closes to the fen', () => {
    const b = batch(AREA, period, [pay(40_000n), pay(30_400n, 2)]);
    const sent = chain.act(treasurer, 'disburse', b).find(([n]) => n === 'batchSent')![1];
    expect(sent).toMatchObject({ count: 2, total: 70_400n, root: b.root });
    const id = sent.id as string;
    const leaves = b.payments.map((p, i) => paymentLeaf(AREA, period, i, p));
    const proof = inclusionProof(
      suite.hash,
      leaves.map((l) => leafHash(suite.hash, l)),
      1,
    );
    expect(verifyInclusion(suite.hash, leaves[1]!, proof, fromHex(b.root))).toBe(true);
    expect(
      verifyInclusion(suite.hash, paymentLeaf(AREA, period, 1, pay(30_401n, 2)), proof, fromHex(b.root)),
    ).toBe(false);
    expect(chain.refuses('not_allowed', treasurer, 'closeCycle', { area: AREA, period })).toMatch(
      /issued 70400/,
    );
    chain.act(treasurer, 'recordOutcomes', {
      batch: id,
      outcomes: [
        { index: 0, outcome: 'paid' },
        { index: 1, outcome: 'failed' },
      ],
    });
    expect(balanceOf(chain.store, 'CNY', accountOf(1))).toBe(40_000n);
    expect(balanceOf(chain.store, 'CNY', accountOf(2))).toBe(0n);
    chain.refuses('not_allowed', treasurer, 'recordOutcomes', {
      batch: id,
      outcomes: [{ index: 1, outcome: 'paid' }],
    });
    // A retry is a new payment on the same entitlement.
    const retry = chain.act(treasurer, 'disburse', batch(AREA, period, [pay(30_400n, 2)]));
    const retryId = retry.find(([n]) => n === 'batchSent')![1].id as string;
    chain.act(treasurer, 'recordOutcomes', { batch: retryId, outcomes: [{ index: 0, outcome: 'paid' }] });
    const closed = chain.act(treasurer, 'closeCycle', { area: AREA, period })[0]![1];
    expect(closed).toMatchObject({ issued: 100_800n, paid: 70_400n, failed: 30_400n, returned: 0n });
    expect(balanceOf(chain.store, 'CNY', accountOf(2))).toBe(30_400n);
    expect(balanceOf(chain.store, 'CNY', treasurer.address)).toBe(100_000_000n - 70_400n);
    expect(batchOf(chain.store, id)?.payments.map((p) => p.state)).toEqual(['paid', 'failed']);
  });

  it('re-issue a failed or returned payment once; a second payment for a month paid in full is refused', () => {
    const first = chain.act(treasurer, 'disburse', batch(AREA, period, [pay(40_000n), pay(30_400n, 2)]));
    const id = first.find(([n]) => n === 'batchSent')![1].id as string;
    const recorded = chain.act(treasurer, 'recordOutcomes', {
      batch: id,
      outcomes: [
        { index: 0, outcome: 'returned', reason: '账户已销户' },
        { index: 1, outcome: 'failed' },
      ],
    })[0]![1];
    // The event names each payment with its outcome and the bank's words, so a reader needs no state.
    expect(recorded.payments).toEqual([
      { index: 0, household: house, amount: 40_000n, outcome: 'returned', reason: '账户已销户' },
      { index: 1, household: house, amount: 30_400n, outcome: 'failed' },
    ]);
    expect(batchOf(chain.store, id)?.payments[0]).toMatchObject({ state: 'returned', reason: '账户已销户' });
    // The re-issue of both is accepted: neither counts as sent any more.
    const reissue = chain.act(treasurer, 'disburse', batch(AREA, period, [pay(40_000n), pay(30_400n, 2)]));
    const reissueId = reissue.find(([n]) => n === 'batchSent')![1].id as string;
    // While it is in flight, another re-issue is a double payment: refused with the reason in words.
    const twice = alertIn(chain.act(treasurer, 'disburse', batch(AREA, period, [pay(30_400n, 2)])));
    expect(twice).toMatchObject({ kind: 'above_approved' });
    expect(twice.detail).toMatch(
      /already sent or paid its 70400 fen for 2026-04: a second payment is refused/,
    );
    chain.act(treasurer, 'recordOutcomes', {
      batch: reissueId,
      outcomes: [
        { index: 0, outcome: 'paid' },
        { index: 1, outcome: 'failed', reason: '户名不符' },
      ],
    });
    // The re-issue failed too: it may go once more, and then the month is paid in full.
    const third = chain.act(treasurer, 'disburse', batch(AREA, period, [pay(30_400n, 2)]));
    const thirdId = third.find(([n]) => n === 'batchSent')![1].id as string;
    chain.act(treasurer, 'recordOutcomes', { batch: thirdId, outcomes: [{ index: 0, outcome: 'paid' }] });
    const again = alertIn(chain.act(treasurer, 'disburse', batch(AREA, period, [pay(100n, 2)])));
    expect(again.detail).toMatch(/a second payment is refused/);
    const closed = chain.act(treasurer, 'closeCycle', { area: AREA, period })[0]![1];
    // Paid + failed + returned = issued, every attempt counted once.
    expect(closed).toMatchObject({ issued: 171_200n, paid: 70_400n, failed: 60_800n, returned: 40_000n });
    expect(balanceOf(chain.store, 'CNY', accountOf(1)) + balanceOf(chain.store, 'CNY', accountOf(2))).toBe(
      70_400n,
    );
  });

  it('take a bounded reason with a failed or returned outcome only', () => {
    const sent = chain.act(treasurer, 'disburse', batch(AREA, period, [pay(40_000n)]));
    const id = sent.find(([n]) => n === 'batchSent')![1].id as string;
    expect(
      chain.refuses('invalid_params', treasurer, 'recordOutcomes', {
        batch: id,
        outcomes: [{ index: 0, outcome: 'paid', reason: '已到账' }],
      }),
    ).toMatch(/reason/);
    expect(
      chain.refuses('invalid_params', treasurer, 'recordOutcomes', {
        batch: id,
        outcomes: [{ index: 0, outcome: 'failed', reason: '因'.repeat(201) }],
      }),
    ).toMatch(/200/);
    chain.act(treasurer, 'recordOutcomes', {
      batch: id,
      outcomes: [{ index: 0, outcome: 'failed', reason: '因'.repeat(200) }],
    });
  });

  it('refuse a batch whose root is not that of its payments', () => {
    chain.refuses('invalid_params', treasurer, 'disburse', {
      ...batch(AREA, period, [pay(100n)]),
      root: hash32(5),
    });
  });

  describe('refused on chain, each leaving an alert', () => {
    function expectRefused(events: [string, ValueMap][], kind: string) {
      const alert = alertIn(events);
      expect(alert.kind).toBe(kind);
      expect(alert.owner).toBe(auditor.address);
      expect(events.some(([n]) => n === 'batchRefused')).toBe(true);
      expect(events.some(([n]) => n === 'batchSent')).toBe(false);
      expect(welfareAlertOf(chain.store, alert.id as string)).toMatchObject({ kind });
      expect(balanceOf(chain.store, 'CNY', treasurer.address)).toBe(100_000_000n);
      expect(cycleOf(chain.store, AREA, period).issued).toBe(0n);
      expect(envelopeOf(chain.store, AREA, period)?.usedTotal).toBe(0n);
    }

    it('a payment to an account not registered to an approved member', () => {
      const events = chain.act(
        treasurer,
        'disburse',
        batch(AREA, period, [{ ...pay(100n), account: accountOf(9) }]),
      );
      expectRefused(events, 'unregistered_account');
    });

    it('a payment to a household not approved', () => {
      const pending = chain.act(worker, 'apply', {
        area: AREA,
        category: 'dibao',
        members: [member(5, dave.address)],
      });
      const events = chain.act(
        treasurer,
        'disburse',
        batch(AREA, period, [pay(100n, 5, pending[0]![1].id as string)]),
      );
      expectRefused(events, 'unregistered_account');
    });

    it('above the approved amount, also when split across payments', () => {
      expectRefused(chain.act(treasurer, 'disburse', batch(AREA, period, [pay(70_401n)])), 'above_approved');
      expectRefused(
        chain.act(treasurer, 'disburse', batch(AREA, period, [pay(40_000n), pay(30_401n, 2)])),
        'above_approved',
      );
    });

    it('beyond the envelope, in total or in count', () => {
      chain.act(admin, 'setEnvelope', { area: AREA, period, count: 10, total: 50_000 });
      expectRefused(chain.act(treasurer, 'disburse', batch(AREA, period, [pay(60_000n)])), 'over_envelope');
      chain.act(admin, 'setEnvelope', { area: AREA, period, count: 1, total: 100_000 });
      expectRefused(
        chain.act(treasurer, 'disburse', batch(AREA, period, [pay(100n), pay(100n, 2)])),
        'over_envelope',
      );
    });

    it('a deceased recipient', () => {
      chain.act(worker, 'recordDeath', { idHash: hash32(1002) });
      expectRefused(
        chain.act(treasurer, 'disburse', batch(AREA, period, [pay(100n, 2)])),
        'deceased_recipient',
      );
    });

    it('a person in two households', () => {
      const events = chain.act(worker, 'apply', {
        area: AREA,
        category: 'dibao',
        members: [member(5, dave.address), member(2, bob.address)],
      });
      expect(alertIn(events)).toMatchObject({ kind: 'duplicate_person', subject: hash32(1002) });
      expect(events.some(([n]) => n === 'householdOpened')).toBe(false);
      expect(personOf(chain.store, hash32(1005))).toBeUndefined();
    });

    it('a person in two exclusive categories', () => {
      const events = chain.act(worker, 'apply', {
        area: AREA,
        category: 'tekun-dispersed',
        members: [member(1, alice.address)],
      });
      expect(alertIn(events)).toMatchObject({ kind: 'exclusive_category', subject: hash32(1001) });
      expect(events.some(([n]) => n === 'householdOpened')).toBe(false);
    });
  });

  it('two batches that together exceed the envelope, in the same block: exactly one commits', () => {
    chain.act(admin, 'setEnvelope', { area: AREA, period, count: 10, total: 60_000 });
    const other = approve(chain, [member(3, carol.address)], 0);
    const first = chain.tx(treasurer, w('disburse', batch(AREA, period, [pay(50_000n)])));
    const second = chain.tx(treasurer2, w('disburse', batch(AREA, period, [pay(50_000n, 3, other)])));
    const result = chain.block([first, second]);
    expect(result.receipts.every((r) => r.ok)).toBe(true);
    const names = result.events.filter((e) => e.contract === 'welfare').map((e) => e.name);
    expect(names.filter((n) => n === 'batchSent')).toHaveLength(1);
    expect(names.filter((n) => n === 'batchRefused')).toHaveLength(1);
    expect(envelopeOf(chain.store, AREA, period)).toMatchObject({ usedCount: 1, usedTotal: 50_000n });
    expect(cycleOf(chain.store, AREA, period).issued).toBe(50_000n);
  });
});

describe('household changes', () => {
  it('the death of the head closes the file and opens one for the survivors from next month', () => {
    const chain = new WelfareChain();
    setUpArea(chain);
    const house = approve(
      chain,
      [member(1, alice.address, 10_400), member(2, bob.address, 10_400)],
      1_200_000,
    );
    const events = chain.act(worker, 'recordDeath', { idHash: hash32(1001), survivorsAnnualIncome: 600_000 });
    const closed = events.find(([n]) => n === 'householdClosed')![1];
    const successor = closed.successor as string;
    // The survivors' file is headed by its first survivor, and its event says so.
    expect(events.find(([n]) => n === 'householdOpened')![1]).toMatchObject({
      id: successor,
      head: bob.address,
    });
    expect(householdOf(chain.store, house)).toMatchObject({
      status: 'closed',
      entitlement: { until: '2026-04' },
    });
    const next = householdOf(chain.store, successor)!;
    expect(next).toMatchObject({ status: 'active', predecessor: house, entitlement: { from: '2026-05' } });
    expect(next.members.map((m) => m.idHash)).toEqual([hash32(1002)]);
    expect(next.entitlement?.inputs.addOns).toEqual([10_400n]);
    expect(personOf(chain.store, hash32(1002))?.household).toBe(successor);
    expect(personOf(chain.store, hash32(1001))).toBeUndefined();
  });

  it('渐退期 freezes the amount, and an exit ends the file', () => {
    const chain = new WelfareChain();
    setUpArea(chain);
    const house = approve(chain, [member(1, alice.address)], 0);
    const grace = chain.act(worker, 'startGrace', { household: house, months: 3 })[0]![1];
    expect(grace).toEqual({ household: house, until: '2026-07', amount: 80_000n });
    chain.act(worker, 'exit', { household: house, reason: '收入超过标准,渐退期满' });
    expect(householdOf(chain.store, house)?.status).toBe('closed');
    expect(personOf(chain.store, hash32(1001))).toBeUndefined();
  });
});

describe('household changes with effective months', () => {
  it('a birth joins from its month, a move-out leaves, each making a reassessment due; a duplicate is an alert', () => {
    const chain = new WelfareChain();
    setUpArea(chain);
    const house = approve(chain, [member(1, alice.address), member(2, bob.address)], 0);
    chain.act(admin, 'setEnvelope', { area: AREA, period: '2026-04', count: 10, total: 500_000 });
    const born = chain.act(worker, 'addMember', {
      household: house,
      member: member(3, carol.address),
      change: 'birth',
      effective: '2026-05',
    });
    expect(born[0]).toEqual([
      'memberChanged',
      { household: house, idHash: hash32(1003), change: 'birth', effective: '2026-05' },
    ]);
    expect(householdOf(chain.store, house)?.nextReview).toBe('2026-05');
    // Not a member yet in April: paying the newborn's account is refused.
    const early = chain.act(
      treasurer,
      'disburse',
      batch(AREA, '2026-04', [
        { household: house, idHash: hash32(1003), account: accountOf(3), amount: 100n },
      ]),
    );
    expect(alertIn(early)).toMatchObject({ kind: 'unregistered_account' });
    chain.refuses('not_allowed', worker, 'addMember', {
      household: house,
      member: member(4, dave.address),
      change: 'move-in',
      effective: '2026-03',
    });
    const other = approve(chain, [member(5, dave.address)], 0);
    const twice = chain.act(worker, 'addMember', {
      household: other,
      member: member(2, bob.address),
      change: 'marriage-in',
      effective: '2026-05',
    });
    expect(alertIn(twice)).toMatchObject({ kind: 'duplicate_person', subject: hash32(1002) });
    chain.act(worker, 'removeMember', {
      household: house,
      idHash: hash32(1002),
      change: 'marriage-out',
      effective: '2026-05',
    });
    expect(personOf(chain.store, hash32(1002))).toBeUndefined();
    expect(householdOf(chain.store, house)?.members[1]).toMatchObject({ until: '2026-04' });
    chain.refuses('not_allowed', worker, 'removeMember', {
      household: house,
      idHash: hash32(1001),
      change: 'move-out',
      effective: '2026-05',
    });
    // Reassessed with the members of May: the head and the newborn.
    const reassessed = chain.act(worker, 'reassess', { household: house, inputs: { annualIncome: 0 } });
    expect(reassessed[0]![1]).toMatchObject({ monthly: 160_000n, from: '2026-05' });
  });
});

describe('reassessment', () => {
  it('is due by the category’s cadence, and a new income takes effect from next month only', () => {
    const chain = new WelfareChain();
    chain.act(admin, 'setArea', {
      code: AREA,
      name: '古城区',
      symbol: 'CNY',
      noticeDays: 7,
      noticeWorkingDays: false,
      alertOwner: auditor.address,
    });
    chain.act(admin, 'setStandard', { code: AREA, from: '2026-04', standard: 80_000 });
    chain.act(admin, 'setRules', { code: AREA, from: '2026-04', rounding: 'up', reviewMonths: { dibao: 3 } });
    chain.skip(CN(2026, 4, 1) - chain.time);
    const house = approve(chain, [member(1, alice.address)], 600_000);
    expect(householdOf(chain.store, house)?.nextReview).toBe('2026-07');
    // Income falls: 0 from May; April stays at (80,000 − 50,000).
    const events = chain.act(worker, 'reassess', { household: house, inputs: { annualIncome: 0 } });
    expect(events[0]![1]).toMatchObject({
      eligible: true,
      monthly: 80_000n,
      from: '2026-05',
      nextReview: '2026-07',
    });
    const area = areaOf(chain.store, AREA)!;
    const after = householdOf(chain.store, house)!;
    expect(approvedAmount(area, after, '2026-04')).toBe(30_000n);
    expect(approvedAmount(area, after, '2026-05')).toBe(80_000n);
    // Income rises above the line: 渐退期 at the current amount for the rule's six months.
    const risen = chain.act(worker, 'reassess', { household: house, inputs: { annualIncome: 2_000_000 } });
    expect(risen.map(([n]) => n)).toEqual(['graceStarted', 'reassessed']);
    expect(risen[0]![1]).toMatchObject({ until: '2026-10', amount: 30_000n });
    const grace = householdOf(chain.store, house)!;
    expect(grace.status).toBe('grace');
    expect(approvedAmount(area, grace, '2026-10')).toBe(30_000n);
    expect(approvedAmount(area, grace, '2026-11')).toBe(0n);
    chain.refuses('not_allowed', worker, 'reassess', { household: house, inputs: { annualIncome: 0 } });
  });
});

describe('alerts', () => {
  it('are raised by auditors and resolved with an outcome by their owner', () => {
    const chain = new WelfareChain();
    chain.refuses('not_authorized', worker, 'raiseAlert', { subject: 'x', detail: 'y' });
    const raised = chain.act(auditor, 'raiseAlert', {
      subject: '同一银行账户',
      detail: '两户共用一个账户',
    })[0]![1];
    expect(raised.deadline as number).toBeGreaterThan(chain.time);
    chain.refuses('not_authorized', worker, 'resolveAlert', { id: raised.id, outcome: '核实无误' });
    chain.act(auditor, 'resolveAlert', { id: raised.id, outcome: '核实无误' });
    chain.refuses('not_allowed', auditor, 'resolveAlert', { id: raised.id, outcome: 'again' });
  });
});
