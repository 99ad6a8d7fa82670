// The means test (家庭经济状况核查) and the benefit formula as pure, versioned rules: the contract runs
// them when a decision is recorded, and anyone holding the same inputs and rule version gets the same
// answer. Money is bigint fen. Annual income is authoritative: it is summed, the rigid expenses the rule
// allows are deducted, and only then is the per-capita monthly figure rounded to the fen, once, by the
// area's rounding rule; a year is never rebuilt from rounded months.

/** How an area rounds a per-capita monthly figure to the fen. */
export const ROUNDING_RULES = ['up', 'down', 'half-up'] as const;
export type RoundingRule = (typeof ROUNDING_RULES)[number];

/** 低保, 低保边缘 (1.5 × the standard), 特困 集中/分散供养, 单人保 (one member of a household covered alone). */
export const WELFARE_CATEGORIES = ['dibao', 'edge', 'tekun-central', 'tekun-dispersed', 'single'] as const;
export type WelfareCategory = (typeof WELFARE_CATEGORIES)[number];
export const WELFARE_CATEGORY_NAMES_ZH: Record<WelfareCategory, string> = {
  dibao: '低保',
  edge: '低保边缘',
  'tekun-central': '特困(集中供养)',
  'tekun-dispersed': '特困(分散供养)',
  single: '单人保',
};

/** The rule set of an area, versioned: what the means test counts and how it rounds. */
export interface RuleSet {
  readonly version: number;
  readonly rounding: RoundingRule;
  /** The edge line as per cent of the standard (150 = 1.5 ×). */
  readonly edgePercent: number;
  /** 特困 basic living support as per cent of the 低保 standard (commonly 130). */
  readonly tekunPercent: number;
  /** Financial assets allowed per member, in months of the standard (e.g. 24). */
  readonly assetMonths: number;
  /** Whether rigid expenses (medical, schooling) are deducted from income before the test. */
  readonly deductRigidExpenses: boolean;
  /** Months of 渐退期 after income rises above the line (1–12). */
  readonly graceMonths: number;
  /** Months between reassessments by category: 12 yearly, 6 half-yearly, 3 quarterly. */
  readonly reviewMonths?: Partial<Record<WelfareCategory, number>>;
}

/** Months between reassessments when a rule set does not say. */
export const DEFAULT_REVIEW_MONTHS = 12;

/** What a decision is computed from: aggregate figures, never personal data. */
export interface MeansInputs {
  readonly members: number;
  /** Household income over the last 12 months, fen. */
  readonly annualIncome: bigint;
  /** Rigid expenses over the same 12 months, fen. */
  readonly annualRigidExpenses: bigint;
  /** Financial assets (deposits, securities), fen. */
  readonly financialAssets: bigint;
  /** Disqualifying assets present (a second home, a car beyond the rule, business registration). */
  readonly disqualifyingAssets: boolean;
  /** Per-member add-ons (分类施保), fen per month each. */
  readonly addOns: readonly bigint[];
}

export interface MeansResult {
  readonly eligible: boolean;
  /** Why not, in words, when not eligible. */
  readonly reason: string;
  /** Per-capita monthly income, fen, rounded once. */
  readonly perCapita: bigint;
  /** The line the per-capita figure is held against, fen per person per month. */
  readonly line: bigint;
  /** Monthly benefit, fen: 补差 + add-ons (0 when not eligible). */
  readonly monthly: bigint;
}

/** n / d rounded to an integer by `rule`; n ≥ 0, d > 0. */
export function divideRounded(n: bigint, d: bigint, rule: RoundingRule): bigint {
  if (d <= 0n) throw new RangeError('divisor must be positive');
  if (n < 0n) throw new RangeError('dividend must not be negative');
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  if (rule === 'down') return q;
  if (rule === 'up') return q + 1n;
  return 2n * r >= d ? q + 1n : q;
}

/** Per-capita monthly income: (annual income − allowed rigid expenses) / (12 × members), rounded once. */
export function perCapitaMonthly(inputs: MeansInputs, rules: RuleSet): bigint {
  let income = inputs.annualIncome;
  if (rules.deductRigidExpenses) income -= inputs.annualRigidExpenses;
  if (income < 0n) income = 0n;
  return divideRounded(income, 12n * BigInt(inputs.members), rules.rounding);
}

/** The line for a category, fen per person per month; percentages are applied once, rounded by the rule. */
export function lineFor(category: WelfareCategory, standard: bigint, rules: RuleSet): bigint {
  if (category === 'edge') return divideRounded(standard * BigInt(rules.edgePercent), 100n, rules.rounding);
  if (category === 'tekun-central' || category === 'tekun-dispersed')
    return divideRounded(standard * BigInt(rules.tekunPercent), 100n, rules.rounding);
  return standard;
}

function sum(values: readonly bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}

/**
 * The means test and the monthly benefit. 补差 = (standard − per-capita income) × members + add-ons.
 * 低保边缘 households are eligible up to 1.5 × the standard but receive no 补差 (their support is in kind:
 * medical aid, schooling): the monthly amount is their add-ons only. 特困 receive the full basic living
 * support per member. 单人保 covers one member alone, so members is 1 whatever the household's size.
 */
export function meansTest(
  category: WelfareCategory,
  inputs: MeansInputs,
  standard: bigint,
  rules: RuleSet,
): MeansResult {
  const members = category === 'single' ? 1 : inputs.members;
  const counted = { ...inputs, members };
  const perCapita = perCapitaMonthly(counted, rules);
  const line = lineFor(category, standard, rules);
  const refuse = (reason: string): MeansResult => ({ eligible: false, reason, perCapita, line, monthly: 0n });
  if (inputs.disqualifyingAssets) return refuse('the household holds assets the rules exclude');
  const assetCap = standard * BigInt(rules.assetMonths) * BigInt(members);
  if (inputs.financialAssets > assetCap)
    return refuse(`financial assets ${inputs.financialAssets} fen exceed the cap of ${assetCap} fen`);
  if (perCapita >= line && category !== 'tekun-central' && category !== 'tekun-dispersed')
    return refuse(`per-capita income ${perCapita} fen is not below the line of ${line} fen`);
  const addOns = sum(inputs.addOns);
  let monthly: bigint;
  if (category === 'edge') monthly = addOns;
  else if (category === 'tekun-central' || category === 'tekun-dispersed')
    monthly = line * BigInt(members) + addOns;
  else monthly = (line - perCapita) * BigInt(members) + addOns;
  return { eligible: true, reason: '', perCapita, line, monthly };
}

/** A standard in force from a period on (YYYY-MM); versions are prospective only. */
export interface StandardVersion {
  readonly version: number;
  readonly from: string;
  readonly standard: bigint;
}

/** The standard in force for `period` (YYYY-MM), or undefined before the first. */
export function standardFor(
  versions: readonly StandardVersion[],
  period: string,
): StandardVersion | undefined {
  let found: StandardVersion | undefined;
  for (const v of versions) if (v.from <= period && (!found || v.from >= found.from)) found = v;
  return found;
}

/** Months from period a to period b (YYYY-MM), b − a. */
export function monthsBetween(a: string, b: string): number {
  const [ay, am] = a.split('-').map(Number) as [number, number];
  const [by, bm] = b.split('-').map(Number) as [number, number];
  return (by - ay) * 12 + (bm - am);
}

/** The period `n` months after `period`. */
export function addMonths(period: string, n: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** A household's entitlement as decided: inputs fixed at the decision, the standard by period. */
export interface Entitlement {
  readonly category: WelfareCategory;
  readonly inputs: MeansInputs;
  /** First period paid (YYYY-MM). */
  readonly from: string;
  /** 渐退期: the last period paid after income rose above the line, if the household is in it. */
  readonly graceUntil?: string;
  /** The amount paid through 渐退期: the last amount before income rose. */
  readonly graceAmount?: bigint;
  /** The last period paid, once the file is closed (exit, death of the head). */
  readonly until?: string;
}

/**
 * The benefit for one period. A standard change applies from its period on, never to earlier ones;
 * during 渐退期 the amount is frozen at the last one before income rose; after it, nothing.
 */
export function benefitFor(
  entitlement: Entitlement,
  period: string,
  standards: readonly StandardVersion[],
  rules: RuleSet,
): bigint {
  if (period < entitlement.from) return 0n;
  if (entitlement.until !== undefined && period > entitlement.until) return 0n;
  if (entitlement.graceUntil !== undefined)
    return period <= entitlement.graceUntil ? (entitlement.graceAmount ?? 0n) : 0n;
  const standard = standardFor(standards, period);
  if (!standard) return 0n;
  return meansTest(entitlement.category, entitlement.inputs, standard.standard, rules).monthly;
}

/** Whether the 30-day warning before 渐退期 ends is due at `date` (YYYY-MM-DD). */
export function graceWarningDue(graceUntil: string, date: string): boolean {
  const [y, m] = addMonths(graceUntil, 1).split('-').map(Number) as [number, number];
  const end = Date.UTC(y, m - 1, 1);
  const [dy, dm, dd] = date.split('-').map(Number) as [number, number, number];
  const now = Date.UTC(dy, dm - 1, dd);
  return now < end && end - now <= 30 * 86_400_000;
}

/**
 * The head of household dies (停旧建新): the old file closes after the month of death; a new file opens
 * for the survivors from the next month, with their own add-ons kept and the deceased's withdrawn, and
 * income counted over the survivors alone.
 */
export function survivorsEntitlement(
  old: Entitlement,
  deathPeriod: string,
  deceasedIndex: number,
  survivorsAnnualIncome: bigint,
): { closed: Entitlement; opened: Entitlement | undefined } {
  const closed = { ...old, until: deathPeriod };
  const members = old.inputs.members - 1;
  if (members < 1) return { closed, opened: undefined };
  const addOns = old.inputs.addOns.filter((_, i) => i !== deceasedIndex);
  const opened: Entitlement = {
    category: old.category,
    inputs: { ...old.inputs, members, addOns, annualIncome: survivorsAnnualIncome },
    from: addMonths(deathPeriod, 1),
  };
  return { closed, opened };
}
