import { describe, expect, it } from 'vitest';
import {
  benefitFor,
  divideRounded,
  type Entitlement,
  graceWarningDue,
  type MeansInputs,
  meansTest,
  type RoundingRule,
  type RuleSet,
  type StandardVersion,
  survivorsEntitlement,
  type WelfareCategory,
} from './means-test';

const rules = (over: Partial<RuleSet> = {}): RuleSet => ({
  version: 1,
  rounding: 'up',
  edgePercent: 150,
  tekunPercent: 130,
  assetMonths: 24,
  deductRigidExpenses: true,
  graceMonths: 6,
  ...over,
});
const inputs = (members: number, annualIncome: bigint, over: Partial<MeansInputs> = {}): MeansInputs => ({
  members,
  annualIncome,
  annualRigidExpenses: 0n,
  financialAssets: 0n,
  disqualifyingAssets: false,
  addOns: Array.from({ length: members }, () => 0n),
  ...over,
});

/** 800 元 per person per month. */
const STANDARD = 80_000n;

type Row = [string, WelfareCategory, MeansInputs, Partial<RuleSet>, bigint, boolean];

// 补差 = (standard − per-capita income) × members + add-ons, the per-capita figure rounded once.
const rows: Row[] = [
  ['no income, 3 members', 'dibao', inputs(3, 0n), {}, 240_000n, true],
  [
    '12,000 元 a year, 3 members, round up: 33,333.33 → 33,334',
    'dibao',
    inputs(3, 1_200_000n),
    {},
    139_998n,
    true,
  ],
  ['same, round down: 33,333', 'dibao', inputs(3, 1_200_000n), { rounding: 'down' }, 140_001n, true],
  ['same, half-up: 33,333', 'dibao', inputs(3, 1_200_000n), { rounding: 'half-up' }, 140_001n, true],
  ['640.03 元 a year, up: 5,333.58 → 5,334', 'dibao', inputs(1, 64_003n), {}, 74_666n, true],
  ['640.03 元 a year, down: 5,333', 'dibao', inputs(1, 64_003n), { rounding: 'down' }, 74_667n, true],
  ['640.03 元 a year, half-up: 5,334', 'dibao', inputs(1, 64_003n), { rounding: 'half-up' }, 74_666n, true],
  [
    'add-ons of 104 元 and 50 元',
    'dibao',
    inputs(3, 0n, { addOns: [10_400n, 0n, 5_000n] }),
    {},
    255_400n,
    true,
  ],
  ['income exactly at the standard', 'dibao', inputs(1, 960_000n), {}, 0n, false],
  ['one fen a year below, rounded up to the line', 'dibao', inputs(1, 959_999n), {}, 0n, false],
  ['one fen a year below, rounded down: 1 fen', 'dibao', inputs(1, 959_999n), { rounding: 'down' }, 1n, true],
  [
    'rigid expenses deducted',
    'dibao',
    inputs(2, 1_200_000n, { annualRigidExpenses: 240_000n }),
    {},
    80_000n,
    true,
  ],
  [
    'rigid expenses not deducted by this rule',
    'dibao',
    inputs(2, 1_200_000n, { annualRigidExpenses: 240_000n }),
    { deductRigidExpenses: false },
    60_000n,
    true,
  ],
  [
    'rigid expenses above income count as no income',
    'dibao',
    inputs(2, 100_000n, { annualRigidExpenses: 500_000n }),
    {},
    160_000n,
    true,
  ],
  [
    'assets at the cap (24 months)',
    'dibao',
    inputs(1, 0n, { financialAssets: 1_920_000n }),
    {},
    80_000n,
    true,
  ],
  ['assets one fen above the cap', 'dibao', inputs(1, 0n, { financialAssets: 1_920_001n }), {}, 0n, false],
  ['disqualifying assets', 'dibao', inputs(1, 0n, { disqualifyingAssets: true }), {}, 0n, false],
  [
    'edge: below 1.5 × standard, add-ons only',
    'edge',
    inputs(1, 1_200_000n, { addOns: [10_400n] }),
    {},
    10_400n,
    true,
  ],
  ['edge: at 1.5 × standard', 'edge', inputs(1, 1_440_000n), {}, 0n, false],
  ['edge line by rule: 1.2 ×', 'edge', inputs(1, 1_200_000n), { edgePercent: 120 }, 0n, false],
  ['特困 分散: 1.3 × standard per member', 'tekun-dispersed', inputs(1, 0n), {}, 104_000n, true],
  ['特困 集中 with an add-on', 'tekun-central', inputs(2, 0n, { addOns: [10_400n, 0n] }), {}, 218_400n, true],
  [
    '单人保 counts the covered member alone',
    'single',
    inputs(4, 240_000n, { addOns: [0n] }),
    {},
    60_000n,
    true,
  ],
];

describe('the means test and 补差', () => {
  it.each(rows)('%s', (_name, category, given, over, monthly, eligible) => {
    const result = meansTest(category, given, STANDARD, rules(over));
    expect(result.monthly).toBe(monthly);
    expect(result.eligible).toBe(eligible);
  });

  it.each([
    [7n, 2n, 'up', 4n],
    [7n, 2n, 'down', 3n],
    [7n, 2n, 'half-up', 4n],
    [5n, 3n, 'half-up', 2n],
    [4n, 3n, 'half-up', 1n],
    [6n, 3n, 'up', 2n],
  ] as [bigint, bigint, RoundingRule, bigint][])('%s / %s rounded %s is %s', (n, d, rule, q) => {
    expect(divideRounded(n, d, rule)).toBe(q);
  });
});

const standards: StandardVersion[] = [
  { version: 1, from: '2025-01', standard: 80_000n },
  { version: 2, from: '2026-07', standard: 85_000n },
];
const single0: Entitlement = { category: 'dibao', inputs: inputs(1, 0n), from: '2025-10' };

describe('benefits by period', () => {
  it.each([
    ['before the entitlement starts', single0, '2025-09', 0n],
    ['first month', single0, '2025-10', 80_000n],
    ['the month before a mid-year standard change', single0, '2026-06', 80_000n],
    ['the month the new standard applies', single0, '2026-07', 85_000n],
    ['later months under the new standard', single0, '2026-12', 85_000n],
    [
      '渐退期: its first month pays the frozen amount',
      { ...single0, graceUntil: '2026-06', graceAmount: 50_000n },
      '2026-01',
      50_000n,
    ],
    [
      '渐退期: its last month',
      { ...single0, graceUntil: '2026-06', graceAmount: 50_000n },
      '2026-06',
      50_000n,
    ],
    ['渐退期 over: nothing', { ...single0, graceUntil: '2026-06', graceAmount: 50_000n }, '2026-07', 0n],
    [
      '渐退期 ignores a standard change',
      { ...single0, graceUntil: '2026-09', graceAmount: 50_000n },
      '2026-08',
      50_000n,
    ],
    ['exit: the last month paid', { ...single0, until: '2026-03' }, '2026-03', 80_000n],
    ['exit: nothing after', { ...single0, until: '2026-03' }, '2026-04', 0n],
  ] as [string, Entitlement, string, bigint][])('%s', (_name, entitlement, period, amount) => {
    expect(benefitFor(entitlement, period, standards, rules())).toBe(amount);
  });

  it.each([
    ['2026-06-01', true],
    ['2026-05-31', false],
    ['2026-06-30', true],
    ['2026-07-01', false],
  ])('the 渐退期 warning is due 30 days before it ends (%s)', (date, due) => {
    expect(graceWarningDue('2026-06', date)).toBe(due);
  });
});

describe('death of the head of household (停旧建新)', () => {
  const family: Entitlement = {
    category: 'dibao',
    inputs: inputs(3, 1_200_000n, { addOns: [10_400n, 10_400n, 0n] }),
    from: '2025-10',
  };
  const { closed, opened } = survivorsEntitlement(family, '2026-05', 0, 720_000n);

  it.each([
    [
      'the old file pays the month of death',
      () => benefitFor(closed, '2026-05', standards, rules()),
      160_798n,
    ],
    ['the old file pays nothing after', () => benefitFor(closed, '2026-06', standards, rules()), 0n],
    ['the new file starts next month', () => benefitFor(opened!, '2026-05', standards, rules()), 0n],
    // (80,000 − 720,000 / 24) × 2 + the survivor's own 104 元; the head's add-on is withdrawn.
    [
      'the survivors keep their own add-on',
      () => benefitFor(opened!, '2026-06', standards, rules()),
      110_400n,
    ],
    [
      'and the new standard applies to them from July',
      () => benefitFor(opened!, '2026-07', standards, rules()),
      120_400n,
    ],
  ] as [string, () => bigint, bigint][])('%s', (_name, compute, amount) => {
    expect(compute()).toBe(amount);
  });

  it('a household of one closes with no successor', () => {
    expect(survivorsEntitlement(single0, '2026-05', 0, 0n).opened).toBeUndefined();
  });
});
