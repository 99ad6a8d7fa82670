// The welfare contract on the test chain: staff with their roles, a CNY asset held by two treasurers,
// the area 古城区 and helpers that take an application to approval. Shared by the contract and property tests.
import { toHex, type Value, type ValueMap } from '@gongxin/ledger';
import { expect } from 'vitest';
import {
  accounts,
  call,
  demoGenesis,
  hash32,
  suite,
  type TestAccount,
  TestChain,
  testAccount,
} from '../../test/chain';
import { welfareContract } from './contract';
import { welfareEvents } from './events';
import { type Payment, paymentRoot } from './views';

const { dave } = accounts;
export const admin = testAccount(suite, 30);
export const worker = testAccount(suite, 31);
export const reviewer = testAccount(suite, 32);
export const treasurer = testAccount(suite, 33);
export const treasurer2 = testAccount(suite, 34);
export const auditor = testAccount(suite, 35);
export const accountOf = (n: number) => testAccount(suite, 100 + n).address;
export const AREA = '530602';

/** China time: a civil date at midnight. */
export const CN = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) - 8 * 3_600_000;

export function welfareGenesis(): Record<string, Value> {
  const g = demoGenesis() as Record<string, Value> & {
    identity: { accounts: Value[]; roles: Value[] };
    assets: { assets: Value[] };
  };
  const staff: [TestAccount, string][] = [
    [admin, 'admin'],
    [worker, 'caseworker'],
    [reviewer, 'reviewer'],
    [treasurer, 'treasurer'],
    [treasurer2, 'treasurer'],
    [auditor, 'auditor'],
  ];
  g.identity.accounts.push(
    { address: dave.address, kind: 'person' },
    ...staff.map(([a]) => ({ address: a.address, kind: 'organization' })),
  );
  g.identity.roles.push(...staff.map(([a, role]) => ({ subject: a.address, app: 'welfare', role })));
  g.assets.assets.push({
    symbol: 'CNY',
    name: '人民币(分)',
    decimals: 2,
    policy: 'fixed',
    issuer: treasurer.address,
    balances: { [treasurer.address]: 100_000_000, [treasurer2.address]: 100_000_000 },
  });
  return g;
}

export const w = (name: string, params: Record<string, unknown>) => call('welfare', name, params as ValueMap);

export class WelfareChain extends TestChain {
  constructor() {
    super({ contracts: welfareGenesis(), extra: [welfareContract] });
    this.skip(CN(2026, 3, 2) - this.time);
  }

  act(account: TestAccount, name: string, params: Record<string, unknown>): [string, ValueMap][] {
    const { receipt, events } = this.run(account, w(name, params));
    expect(receipt, receipt.message).toMatchObject({ ok: true });
    for (const e of events)
      if (e.contract === 'welfare') expect(welfareEvents.check(e.name, e.attrs)).toEqual([]);
    return events.filter((e) => e.contract === 'welfare').map((e) => [e.name, e.attrs]);
  }

  refuses(
    code: Parameters<TestChain['fails']>[0],
    account: TestAccount,
    name: string,
    params: Record<string, unknown>,
  ) {
    return this.fails(code, account, w(name, params));
  }
}

export const member = (n: number, did: string, addOn = 0) => ({
  idHash: hash32(1000 + n),
  did,
  account: accountOf(n),
  addOn,
});

/** Area 古城区 (丽江): 800 元, 7 working days of 公示, rules rounding up, from April 2026. */
export function setUpArea(chain: WelfareChain): void {
  chain.act(admin, 'setArea', {
    code: AREA,
    name: '古城区',
    symbol: 'CNY',
    noticeDays: 7,
    noticeWorkingDays: true,
    alertOwner: auditor.address,
  });
  chain.act(admin, 'setStandard', { code: AREA, from: '2026-04', standard: 80_000 });
  chain.act(admin, 'setRules', { code: AREA, from: '2026-04', rounding: 'up' });
  chain.skip(CN(2026, 4, 1) - chain.time);
}

/** Takes an application through every step to approval; returns the household id. */
export function approve(
  chain: WelfareChain,
  members: ReturnType<typeof member>[],
  annualIncome: number,
  category = 'dibao',
): string {
  const events = chain.act(worker, 'apply', { area: AREA, category, members });
  const id = events.find(([n]) => n === 'householdOpened')![1].id as string;
  chain.act(worker, 'investigate', { id, reports: [hash32(7)] });
  chain.act(worker, 'preliminary', { id, inputs: { annualIncome } });
  chain.act(worker, 'publicise', { id });
  chain.skip(12 * 86_400_000);
  chain.act(worker, 'deliberate', { id });
  chain.act(reviewer, 'countyReview', { id, sampled: false });
  chain.act(reviewer, 'approve', { id });
  return id;
}

export function batch(area: string, period: string, payments: Payment[]) {
  return { area, period, root: toHex(paymentRoot(suite.hash, area, period, payments)), payments };
}
