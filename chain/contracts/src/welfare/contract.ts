// Welfare (最低生活保障): areas with versioned, prospective standards and rules; household files
// (一户一档) with members by the authority's keyed ID hash; the workflow 受理 → 入户调查 → 初审 → 公示
// → 民主评议 → 区县审查 → 确认 with the notice period on the chain's working-day calendar; decisions
// pinned to rule version and input hash; envelopes per area and period; payment batches carrying the
// Merkle root of their payment list; outcomes and cycle closing to the fen; alerts.
//
// A payment batch or an enrolment that breaks a rule is refused by committing an alert instead of its
// effect: the tx succeeds, no money moves and no file opens, and the alert (with the tx) is the evidence.
// A thrown error would roll the evidence back with the attempt.
import {
  type Address,
  type ContractContext,
  ContractError,
  type ContractModule,
  defineAction,
  toHex,
  type Value,
} from '@gongxin/ledger';
import { z } from 'zod';
import { lock, unlock } from '../assets/library';
import { assetOf } from '../assets/views';
import { calendarDayDeadlineMs, calendarOf, civilDateOf, workingDayDeadlineMs } from '../calendar/calendar';
import {
  actionId,
  addAmounts,
  parseGenesis,
  zAddress,
  zAmount,
  zGenesisInteger,
  zHash32,
  zReason,
  zSymbol,
  zText,
} from '../common';
import { isRegistered } from '../identity/views';
import { isRegionCode } from '../registry/codes';
import {
  type AlertKind,
  GRIEVANCE_CATEGORIES,
  PAYMENT_OUTCOMES,
  type PaymentOutcome,
  welfareEvents,
} from './events';
import {
  addMonths,
  DEFAULT_REVIEW_MONTHS,
  type Entitlement,
  type MeansInputs,
  meansTest,
  ROUNDING_RULES,
  type RuleSet,
  standardFor,
  survivorsEntitlement,
  WELFARE_CATEGORIES,
  type WelfareCategory,
} from './means-test';
import {
  type Alert,
  type Application,
  type Area,
  AUDITOR_ROLE,
  applicationOf,
  areaOf,
  batchOf,
  CASEWORKER_ROLE,
  cycleOf,
  decisionInputsHash,
  envelopeOf,
  type Household,
  hasWelfareRole,
  householdOf,
  MAX_BATCH_PAYMENTS,
  MAX_OUTCOME_REASON,
  type Member,
  paidTo,
  paymentRoot,
  personOf,
  TREASURER_ROLE,
  WELFARE_ADMIN_ROLE,
  WELFARE_REVIEWER_ROLE,
  welfareKeys,
} from './views';

/** Working days an alert's owner has to give an outcome. */
export const ALERT_DEADLINE_WORKING_DAYS = 5;
/** Working days an officer has to answer a grievance (申诉). */
export const GRIEVANCE_DEADLINE_WORKING_DAYS = 15;

export interface Grievance {
  readonly id: string;
  readonly household: string;
  readonly area: string;
  readonly category: (typeof GRIEVANCE_CATEGORIES)[number];
  readonly textHash: string;
  readonly attachment?: string;
  readonly decision?: string;
  readonly by: Address;
  readonly deadline: number;
  readonly answerHash?: string;
  readonly upheld?: boolean;
}

export const grievanceKey = (id: string) => `welfare/grievance/${id}`;
export const MAX_HOUSEHOLD_MEMBERS = 20;

/**
 * A welfare area: a GB/T 2260 code (the registry's province check) whose levels are filled from the left,
 * so a prefecture-level "00" is never followed by a county.
 */
export function isAreaCode(code: string): boolean {
  return isRegionCode(code) && !(code.slice(2, 4) === '00' && code.slice(4) !== '00');
}

const zRegion = z.string().refine(isAreaCode, 'a GB/T 2260 region code: six digits such as 530602');
const zPeriod = z.string().regex(/^20[0-9]{2}-(0[1-9]|1[0-2])$/, 'a period is YYYY-MM');
const zId = z.string().regex(/^[0-9a-f]{64}(:\d{1,4})?$/, 'an id is a tx id, with :<action> after the first');
const zFen = z.union([z.number().int(), z.bigint()]).transform((v) => BigInt(v));
const zNonNegFen = zFen.refine((v) => v >= 0n, 'must not be negative');
const zMember = z
  .object({ idHash: zHash32, did: zAddress, account: zAddress, addOn: zNonNegFen.default(0n) })
  .strict();
const zInputs = z
  .object({
    annualIncome: zNonNegFen,
    annualRigidExpenses: zNonNegFen.default(0n),
    financialAssets: zNonNegFen.default(0n),
    disqualifyingAssets: z.boolean().default(false),
  })
  .strict();
const zPayment = z.object({ household: zId, idHash: zHash32, account: zAddress, amount: zAmount }).strict();

const schemas = {
  setArea: z
    .object({
      code: zRegion,
      name: zText(64),
      symbol: zSymbol,
      noticeDays: z.number().int().min(1).max(60),
      noticeWorkingDays: z.boolean(),
      alertOwner: zAddress,
    })
    .strict(),
  setStandard: z.object({ code: zRegion, from: zPeriod, standard: zAmount }).strict(),
  setRules: z
    .object({
      code: zRegion,
      from: zPeriod,
      rounding: z.enum(ROUNDING_RULES),
      edgePercent: z.number().int().min(100).max(300).default(150),
      tekunPercent: z.number().int().min(100).max(300).default(130),
      assetMonths: z.number().int().min(0).max(120).default(24),
      deductRigidExpenses: z.boolean().default(true),
      graceMonths: z.number().int().min(1).max(12).default(6),
      reviewMonths: z
        .partialRecord(z.enum(WELFARE_CATEGORIES), z.union([z.literal(3), z.literal(6), z.literal(12)]))
        .default({}),
    })
    .strict(),
  apply: z
    .object({
      area: zRegion,
      category: z.enum(WELFARE_CATEGORIES),
      members: z
        .array(zMember)
        .min(1)
        .max(MAX_HOUSEHOLD_MEMBERS)
        .refine((m) => new Set(m.map((x) => x.idHash)).size === m.length, 'a member is named twice'),
    })
    .strict(),
  investigate: z.object({ id: zId, reports: z.array(zHash32).min(1).max(16) }).strict(),
  preliminary: z.object({ id: zId, inputs: zInputs }).strict(),
  publicise: z.object({ id: zId }).strict(),
  object: z.object({ id: zId, evidence: zHash32 }).strict(),
  resolveObjection: z.object({ id: zId, objection: z.number().int().min(0), upheld: z.boolean() }).strict(),
  deliberate: z.object({ id: zId }).strict(),
  countyReview: z.object({ id: zId, sampled: z.boolean() }).strict(),
  approve: z.object({ id: zId }).strict(),
  recordDeath: z.object({ idHash: zHash32, survivorsAnnualIncome: zNonNegFen.optional() }).strict(),
  addMember: z
    .object({
      household: zId,
      member: zMember,
      change: z.enum(['birth', 'marriage-in', 'move-in']),
      effective: zPeriod,
    })
    .strict(),
  removeMember: z
    .object({
      household: zId,
      idHash: zHash32,
      change: z.enum(['marriage-out', 'move-out']),
      effective: zPeriod,
    })
    .strict(),
  reassess: z.object({ household: zId, inputs: zInputs }).strict(),
  startGrace: z.object({ household: zId, months: z.number().int().min(1).max(12).optional() }).strict(),
  exit: z.object({ household: zId, reason: zReason }).strict(),
  setEnvelope: z
    .object({ area: zRegion, period: zPeriod, count: z.number().int().min(0), total: zNonNegFen })
    .strict(),
  disburse: z
    .object({
      area: zRegion,
      period: zPeriod,
      root: zHash32,
      payments: z.array(zPayment).min(1).max(MAX_BATCH_PAYMENTS),
    })
    .strict(),
  recordOutcomes: z
    .object({
      batch: zId,
      outcomes: z
        .array(
          z
            .object({
              index: z.number().int().min(0),
              outcome: z.enum(PAYMENT_OUTCOMES),
              /** The bank's words for a failed or returned payment (账户已销户…): none for a paid one. */
              reason: zText(MAX_OUTCOME_REASON).optional(),
            })
            .strict()
            .refine((o) => o.outcome !== 'paid' || o.reason === undefined, {
              message: 'a reason goes with a failed or returned payment only',
              path: ['reason'],
            }),
        )
        .min(1)
        .max(MAX_BATCH_PAYMENTS),
    })
    .strict(),
  closeCycle: z.object({ area: zRegion, period: zPeriod }).strict(),
  raiseAlert: z.object({ subject: zText(128), detail: zText(256) }).strict(),
  resolveAlert: z.object({ id: zId, outcome: zReason }).strict(),
  fileGrievance: z
    .object({
      household: zId,
      category: z.enum(GRIEVANCE_CATEGORIES),
      /** SHA-256 of the grievance's words, kept off chain. */
      textHash: zHash32,
      attachment: zHash32.optional(),
      /** The application whose decision it is about, if any. */
      decision: zId.optional(),
    })
    .strict(),
  answerGrievance: z.object({ id: zId, answerHash: zHash32, upheld: z.boolean() }).strict(),
  reportSharedAccount: z
    .object({
      /** The authority's keyed hash (HMAC) of the bank account number: never the number itself. */
      accountHash: z.string().regex(/^[0-9a-f]{64}$/, 'a keyed account hash is 64 hex'),
      households: z.array(zId).min(2).max(20),
    })
    .strict(),
} as const;

/**
 * A new chain may start with its areas in place: each with the standard and rules in force from the
 * genesis month, or from `monthsBefore` months before it when the area's standard was already in force
 * when it moved on chain (every later change is prospective only, through setStandard / setRules). The
 * fund asset must be issued at genesis.
 */
const zWelfareGenesis = z
  .object({
    areas: z
      .array(
        schemas.setArea.extend({
          standard: zGenesisInteger.refine((v) => v >= 1n, 'a standard must be at least 1 fen'),
          rules: schemas.setRules.omit({ code: true, from: true }),
          monthsBefore: z.number().int().min(0).max(12).optional(),
        }),
      )
      .default([]),
    /**
     * The caseload on the rolls when the chain starts (a county's existing 台账): approved households,
     * paid from the month their area's standard is in force from, each member enrolled as if approved then.
     */
    households: z
      .array(
        z
          .object({
            area: zRegion,
            category: z.enum(WELFARE_CATEGORIES),
            members: z.array(zMember).min(1).max(MAX_HOUSEHOLD_MEMBERS),
            inputs: zInputs,
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

/** The id of the n-th household of the genesis caseload: derived from the genesis hash. */
export function genesisHouseholdId(
  hash: (data: Uint8Array) => Uint8Array,
  genesis: string,
  n: number,
): string {
  return toHex(hash(new TextEncoder().encode(`welfare genesis household ${genesis} ${n}`)));
}

type Params<N extends keyof typeof schemas> = z.output<(typeof schemas)[N]>;

// ------------------------------------------------------------------------------------------ helpers

const periodOf = (time: number) => civilDateOf(time).slice(0, 7);

function requireRole(ctx: ContractContext, role: string, what: string): void {
  if (!hasWelfareRole(ctx, ctx.sender, role))
    throw new ContractError('not_authorized', `only a holder of role welfare/${role} may ${what}`);
}

function requireArea(ctx: ContractContext, code: string): Area {
  const area = areaOf(ctx, code);
  if (!area) throw new ContractError('not_found', `no welfare area ${code}`);
  return area;
}

function requireApplication(ctx: ContractContext, id: string, step: Application['step']): Application {
  const app = applicationOf(ctx, id);
  if (!app) throw new ContractError('not_found', `no application ${id}`);
  if (app.step !== step)
    throw new ContractError('not_allowed', `application ${id} is at step ${app.step}, not ${step}`);
  return app;
}

function requireHousehold(ctx: ContractContext, id: string): Household {
  const h = householdOf(ctx, id);
  if (!h) throw new ContractError('not_found', `no household ${id}`);
  return h;
}

const save = (ctx: ContractContext, key: string, value: unknown) => ctx.set(key, value as Value);

function step(ctx: ContractContext, app: Application, next: Application, extra = {}): void {
  save(ctx, welfareKeys.application(app.id), next);
  welfareEvents.emit(ctx, 'applicationStep', { id: app.id, step: next.step, by: ctx.sender, ...extra });
}

/** Records an alert owned by the area's alert owner, due in ALERT_DEADLINE_WORKING_DAYS working days. */
function raise(
  ctx: ContractContext,
  owner: Address,
  kind: AlertKind,
  subject: string,
  detail: string,
): string {
  const id = actionId(ctx);
  const deadline = workingDayDeadlineMs(calendarOf(ctx), ctx.time, ALERT_DEADLINE_WORKING_DAYS);
  const alert: Alert = { id, kind, subject, detail, owner, deadline, at: ctx.height, txId: ctx.txIdHex };
  save(ctx, welfareKeys.alert(id), alert);
  welfareEvents.emit(ctx, 'alertRaised', { id, kind, subject, detail, owner, deadline });
  return id;
}

function noticeOpen(ctx: ContractContext, app: Application): void {
  if (app.noticeEnds === undefined || ctx.time < app.noticeEnds)
    throw new ContractError(
      'not_allowed',
      `the 公示 notice of application ${app.id} runs until ${app.noticeEnds}: nothing is approved before it ends`,
    );
  if (app.objections.some((o) => o.open))
    throw new ContractError('not_allowed', `application ${app.id} has an objection not yet resolved`);
}

/** The rules of an area in force for a period. */
function rulesFor(area: Area, period: string) {
  let found: Area['rules'][number] | undefined;
  for (const r of area.rules) if (r.from <= period && (!found || r.from >= found.from)) found = r;
  return found;
}

function nextReviewOf(rules: RuleSet, category: WelfareCategory, period: string): string {
  return addMonths(period, rules.reviewMonths?.[category] ?? DEFAULT_REVIEW_MONTHS);
}

/** The monthly amount a household is approved for in a period, by its entitlement and the area. */
export function approvedAmount(area: Area, household: Household, period: string): bigint {
  if (household.status === 'applying' || household.status === 'rejected') return 0n;
  const p = household.previous;
  const e = p && p.until !== undefined && period <= p.until ? p : household.entitlement;
  if (!e) return 0n;
  if (period < e.from || (e.until !== undefined && period > e.until)) return 0n;
  if (e.graceUntil !== undefined) return period <= e.graceUntil ? (e.graceAmount ?? 0n) : 0n;
  const standard = standardFor(area.standards, period);
  const rules = rulesFor(area, period);
  if (!standard || !rules) return 0n;
  return meansTest(e.category, e.inputs, standard.standard, rules).monthly;
}

function enrol(ctx: ContractContext, household: Household): void {
  save(ctx, welfareKeys.household(household.id), household);
  for (const m of household.members)
    if (!m.deceased && m.until === undefined)
      save(ctx, welfareKeys.person(m.idHash), { household: household.id, category: household.category });
}

function unenrol(ctx: ContractContext, household: Household): void {
  for (const m of household.members)
    if (personOf(ctx, m.idHash)?.household === household.id) ctx.delete(welfareKeys.person(m.idHash));
}

/** Why a payment cannot be made, as an alert kind and words; undefined when it may. */
function paymentProblem(
  ctx: ContractContext,
  area: Area,
  period: string,
  p: z.output<typeof zPayment>,
  pending: Map<string, bigint>,
): [AlertKind, string] | undefined {
  const household = householdOf(ctx, p.household);
  const member = household?.members.find((m) => m.idHash === p.idHash);
  if (!household || household.area !== area.code || !member || member.account !== p.account)
    return [
      'unregistered_account',
      `account ${p.account} is not registered to a member of household ${p.household}`,
    ];
  if (
    (member.from !== undefined && period < member.from) ||
    (member.until !== undefined && period > member.until)
  )
    return [
      'unregistered_account',
      `member ${p.idHash} does not belong to household ${p.household} in ${period}`,
    ];
  if (member.deceased)
    return ['deceased_recipient', `member ${p.idHash} of household ${p.household} is deceased`];
  if (household.status !== 'active' && household.status !== 'grace')
    return ['unregistered_account', `household ${p.household} is ${household.status}, not approved`];
  const approved = approvedAmount(area, household, period);
  const already = paidTo(ctx, p.household, period) + (pending.get(p.household) ?? 0n);
  // Sent or paid in full already: a second payment for the month is a double payment, whatever its
  // amount. A failed or returned payment no longer counts here, so its re-issue passes.
  if (approved > 0n && already >= approved)
    return [
      'above_approved',
      `household ${p.household} is already sent or paid its ${approved} fen for ${period}: a second payment is refused`,
    ];
  if (already + p.amount > approved)
    return [
      'above_approved',
      `household ${p.household} is approved ${approved} fen for ${period}; ${already} sent, ${p.amount} more asked`,
    ];
  pending.set(p.household, already - paidTo(ctx, p.household, period) + p.amount);
  return undefined;
}

// ------------------------------------------------------------------------------------------ contract

export const welfareContract: ContractModule = {
  name: 'welfare',
  version: 1,
  genesis(ctx, section) {
    const { areas, households } = parseGenesis('welfare', zWelfareGenesis, section);
    const month = periodOf(ctx.time);
    for (const { standard, rules, monthsBefore, ...a } of areas) {
      if (!assetOf(ctx, a.symbol)) throw new Error(`genesis section "welfare": no asset ${a.symbol}`);
      if (areaOf(ctx, a.code)) throw new Error(`genesis section "welfare": area ${a.code} twice`);
      const from = addMonths(month, -(monthsBefore ?? 0));
      const area: Area = {
        ...a,
        standards: [{ version: 1, from, standard }],
        rules: [{ ...rules, version: 1, from }],
      };
      save(ctx, welfareKeys.area(a.code), area);
    }
    for (const [n, h] of households.entries()) {
      const fail = (why: string) => {
        throw new Error(`genesis section "welfare": household ${n}: ${why}`);
      };
      const area = areaOf(ctx, h.area);
      if (!area) fail(`no area ${h.area}`);
      const from = area!.standards[0]!.from;
      const rules = rulesFor(area!, from)!;
      const standard = standardFor(area!.standards, from)!;
      for (const m of h.members) {
        if (!isRegistered(ctx, m.did)) fail(`${m.did} has no passport`);
        if (personOf(ctx, m.idHash)) fail(`member ${m.idHash} is in another household`);
      }
      const inputs: MeansInputs = {
        ...h.inputs,
        members: h.members.length,
        addOns: h.members.map((m) => m.addOn),
      };
      if (!meansTest(h.category, inputs, standard.standard, rules).eligible) fail('not eligible');
      const id = genesisHouseholdId(ctx.suite.hash, ctx.txIdHex, n);
      enrol(ctx, {
        id,
        area: h.area,
        category: h.category,
        members: h.members.map((m) => ({ ...m, deceased: false })),
        status: 'active',
        entitlement: { category: h.category, inputs, from },
        nextReview: nextReviewOf(rules, h.category, from),
      });
    }
  },
  actions: {
    setArea: defineAction(schemas.setArea, (ctx, p: Params<'setArea'>) => {
      requireRole(ctx, WELFARE_ADMIN_ROLE, 'set up areas');
      if (!assetOf(ctx, p.symbol)) throw new ContractError('not_found', `no asset ${p.symbol}`);
      const old = areaOf(ctx, p.code);
      const area: Area = { ...p, standards: old?.standards ?? [], rules: old?.rules ?? [] };
      save(ctx, welfareKeys.area(p.code), area);
      welfareEvents.emit(ctx, 'areaSet', { code: p.code, name: p.name, symbol: p.symbol, by: ctx.sender });
    }),
    setStandard: defineAction(schemas.setStandard, (ctx, p: Params<'setStandard'>) => {
      requireRole(ctx, WELFARE_ADMIN_ROLE, 'set standards');
      const area = requireArea(ctx, p.code);
      if (p.from <= periodOf(ctx.time))
        throw new ContractError('not_allowed', `a standard applies from a future month only, not ${p.from}`);
      const version = area.standards.length + 1;
      save(ctx, welfareKeys.area(p.code), {
        ...area,
        standards: [...area.standards, { version, from: p.from, standard: p.standard }],
      });
      welfareEvents.emit(ctx, 'standardSet', { code: p.code, version, from: p.from, standard: p.standard });
    }),
    setRules: defineAction(schemas.setRules, (ctx, p: Params<'setRules'>) => {
      requireRole(ctx, WELFARE_ADMIN_ROLE, 'set rules');
      const area = requireArea(ctx, p.code);
      if (p.from <= periodOf(ctx.time))
        throw new ContractError('not_allowed', `rules apply from a future month only, not ${p.from}`);
      const { code: _, ...rules } = p;
      const version = area.rules.length + 1;
      save(ctx, welfareKeys.area(p.code), { ...area, rules: [...area.rules, { ...rules, version }] });
      welfareEvents.emit(ctx, 'rulesSet', { code: p.code, version });
    }),

    apply: defineAction(schemas.apply, (ctx, p: Params<'apply'>) => {
      requireRole(ctx, CASEWORKER_ROLE, 'accept applications');
      const area = requireArea(ctx, p.area);
      for (const m of p.members)
        if (!isRegistered(ctx, m.did)) throw new ContractError('not_found', `${m.did} has no passport`);
      const id = actionId(ctx);
      for (const m of p.members) {
        const enrolled = personOf(ctx, m.idHash);
        if (!enrolled) continue;
        const kind = enrolled.category === p.category ? 'duplicate_person' : 'exclusive_category';
        raise(
          ctx,
          area.alertOwner,
          kind,
          m.idHash,
          `already in household ${enrolled.household} (${enrolled.category}); application refused`,
        );
        return;
      }
      const household: Household = {
        id,
        area: p.area,
        category: p.category,
        members: p.members.map((m) => ({ ...m, deceased: false })),
        status: 'applying',
      };
      enrol(ctx, household);
      save(ctx, welfareKeys.application(id), {
        id,
        household: id,
        step: 'accepted',
        reports: [],
        objections: [],
      } satisfies Application);
      welfareEvents.emit(ctx, 'householdOpened', {
        id,
        area: p.area,
        members: p.members.length,
        by: ctx.sender,
        head: p.members[0]!.did,
      });
      welfareEvents.emit(ctx, 'applicationStep', { id, step: 'accepted', by: ctx.sender });
    }),
    investigate: defineAction(schemas.investigate, (ctx, p: Params<'investigate'>) => {
      requireRole(ctx, CASEWORKER_ROLE, 'record household investigations');
      const app = requireApplication(ctx, p.id, 'accepted');
      step(ctx, app, { ...app, step: 'investigated', reports: p.reports }, { reports: p.reports });
    }),
    preliminary: defineAction(schemas.preliminary, (ctx, p: Params<'preliminary'>) => {
      requireRole(ctx, CASEWORKER_ROLE, 'give the preliminary review');
      const app = requireApplication(ctx, p.id, 'investigated');
      const household = requireHousehold(ctx, app.household);
      const inputs: MeansInputs = {
        ...p.inputs,
        members: household.members.length,
        addOns: household.members.map((m) => m.addOn),
      };
      step(ctx, app, { ...app, step: 'preliminary', inputs });
    }),
    publicise: defineAction(schemas.publicise, (ctx, p: Params<'publicise'>) => {
      requireRole(ctx, CASEWORKER_ROLE, 'publish the 公示 notice');
      const app = requireApplication(ctx, p.id, 'preliminary');
      const area = requireArea(ctx, requireHousehold(ctx, app.household).area);
      const noticeEnds = area.noticeWorkingDays
        ? workingDayDeadlineMs(calendarOf(ctx), ctx.time, area.noticeDays)
        : calendarDayDeadlineMs(ctx.time, area.noticeDays);
      step(ctx, app, { ...app, step: 'publicised', noticeEnds }, { noticeEnds });
    }),
    object: defineAction(schemas.object, (ctx, p: Params<'object'>) => {
      if (!isRegistered(ctx, ctx.sender))
        throw new ContractError('not_found', 'an objector needs a passport');
      const app = requireApplication(ctx, p.id, 'publicised');
      if (ctx.time >= (app.noticeEnds ?? 0))
        throw new ContractError('expired', `the 公示 notice of application ${p.id} has ended`);
      const objection = app.objections.length;
      save(ctx, welfareKeys.application(p.id), {
        ...app,
        objections: [...app.objections, { evidence: p.evidence, by: ctx.sender, open: true }],
      });
      welfareEvents.emit(ctx, 'objectionFiled', { application: p.id, objection, evidence: p.evidence });
    }),
    resolveObjection: defineAction(schemas.resolveObjection, (ctx, p: Params<'resolveObjection'>) => {
      requireRole(ctx, WELFARE_REVIEWER_ROLE, 'resolve objections');
      const app = requireApplication(ctx, p.id, 'publicised');
      const o = app.objections[p.objection];
      if (!o?.open)
        throw new ContractError('not_found', `application ${p.id} has no open objection ${p.objection}`);
      const objections = app.objections.map((x, i) =>
        i === p.objection ? { ...x, open: false, upheld: p.upheld } : x,
      );
      save(ctx, welfareKeys.application(p.id), { ...app, objections, ...(p.upheld && { step: 'rejected' }) });
      welfareEvents.emit(ctx, 'objectionResolved', {
        application: p.id,
        objection: p.objection,
        upheld: p.upheld,
      });
      if (p.upheld) {
        const household = requireHousehold(ctx, app.household);
        unenrol(ctx, household);
        save(ctx, welfareKeys.household(household.id), { ...household, status: 'rejected' });
        welfareEvents.emit(ctx, 'applicationStep', { id: p.id, step: 'rejected', by: ctx.sender });
      }
    }),
    deliberate: defineAction(schemas.deliberate, (ctx, p: Params<'deliberate'>) => {
      requireRole(ctx, CASEWORKER_ROLE, 'record the 民主评议');
      const app = requireApplication(ctx, p.id, 'publicised');
      noticeOpen(ctx, app);
      step(ctx, app, { ...app, step: 'deliberated' });
    }),
    countyReview: defineAction(schemas.countyReview, (ctx, p: Params<'countyReview'>) => {
      requireRole(ctx, WELFARE_REVIEWER_ROLE, 'give the county review');
      const app = requireApplication(ctx, p.id, 'deliberated');
      step(ctx, app, { ...app, step: 'countyReviewed', sampled: p.sampled });
    }),
    approve: defineAction(schemas.approve, (ctx, p: Params<'approve'>) => {
      requireRole(ctx, WELFARE_REVIEWER_ROLE, 'confirm decisions');
      const app = requireApplication(ctx, p.id, 'countyReviewed');
      noticeOpen(ctx, app);
      const household = requireHousehold(ctx, app.household);
      const area = requireArea(ctx, household.area);
      const period = periodOf(ctx.time);
      const standard = standardFor(area.standards, period);
      const rules = rulesFor(area, period);
      if (!standard || !rules || !app.inputs)
        throw new ContractError(
          'not_allowed',
          `area ${area.code} has no standard or rules in force for ${period}`,
        );
      const result = meansTest(household.category, app.inputs, standard.standard, rules);
      const entitlement: Entitlement = { category: household.category, inputs: app.inputs, from: period };
      save(ctx, welfareKeys.household(household.id), {
        ...household,
        status: result.eligible ? 'active' : 'rejected',
        ...(result.eligible && { entitlement, nextReview: nextReviewOf(rules, household.category, period) }),
      });
      if (!result.eligible) unenrol(ctx, household);
      step(ctx, app, { ...app, step: result.eligible ? 'approved' : 'rejected' });
      welfareEvents.emit(ctx, 'decided', {
        application: app.id,
        household: household.id,
        category: household.category,
        eligible: result.eligible,
        monthly: result.monthly,
        ruleVersion: rules.version,
        standardVersion: standard.version,
        inputsHash: decisionInputsHash(ctx.suite.hash, household.category, app.inputs),
      });
    }),

    recordDeath: defineAction(schemas.recordDeath, (ctx, p: Params<'recordDeath'>) => {
      requireRole(ctx, CASEWORKER_ROLE, 'record deaths');
      const enrolled = personOf(ctx, p.idHash);
      if (!enrolled) throw new ContractError('not_found', `person ${p.idHash} is in no household`);
      const household = requireHousehold(ctx, enrolled.household);
      const period = periodOf(ctx.time);
      const index = household.members.findIndex((m) => m.idHash === p.idHash);
      const members = household.members.map((m, i) => (i === index ? { ...m, deceased: true } : m));
      ctx.delete(welfareKeys.person(p.idHash));
      welfareEvents.emit(ctx, 'deathRecorded', { idHash: p.idHash, household: household.id, period });
      if (index !== 0) {
        save(ctx, welfareKeys.household(household.id), { ...household, members });
        return;
      }
      // 停旧建新: the head's death closes the file; the survivors get a new one from next month.
      const e = household.entitlement;
      const survivors = members.filter((m) => !m.deceased && m.until === undefined);
      const split = e
        ? survivorsEntitlement(e, period, index, p.survivorsAnnualIncome ?? e.inputs.annualIncome)
        : undefined;
      unenrol(ctx, household);
      let successor: string | undefined;
      if (survivors.length > 0) {
        successor = actionId(ctx);
        const next: Household = {
          id: successor,
          area: household.area,
          category: household.category,
          members: survivors,
          status: split?.opened ? household.status : 'applying',
          predecessor: household.id,
          ...(split?.opened && { entitlement: split.opened }),
        };
        enrol(ctx, next);
        welfareEvents.emit(ctx, 'householdOpened', {
          id: successor,
          area: household.area,
          members: survivors.length,
          by: ctx.sender,
          head: survivors[0]!.did,
        });
      }
      save(ctx, welfareKeys.household(household.id), {
        ...household,
        members,
        status: 'closed',
        ...(split && { entitlement: split.closed }),
      });
      welfareEvents.emit(ctx, 'householdClosed', {
        id: household.id,
        reason: 'death of the head of household',
        ...(successor && { successor }),
      });
    }),
    addMember: defineAction(schemas.addMember, (ctx, p: Params<'addMember'>) => {
      requireRole(ctx, CASEWORKER_ROLE, 'record household changes');
      const household = requireHousehold(ctx, p.household);
      if (household.status !== 'active' && household.status !== 'grace' && household.status !== 'applying')
        throw new ContractError('not_allowed', `household ${p.household} is ${household.status}`);
      if (!isRegistered(ctx, p.member.did))
        throw new ContractError('not_found', `${p.member.did} has no passport`);
      const period = periodOf(ctx.time);
      if (p.effective < period)
        throw new ContractError(
          'not_allowed',
          `a change takes effect from this month or later, not ${p.effective}`,
        );
      const enrolled = personOf(ctx, p.member.idHash);
      if (enrolled) {
        const kind = enrolled.category === household.category ? 'duplicate_person' : 'exclusive_category';
        const area = requireArea(ctx, household.area);
        raise(
          ctx,
          area.alertOwner,
          kind,
          p.member.idHash,
          `already in household ${enrolled.household} (${enrolled.category}); change refused`,
        );
        return;
      }
      const member: Member = { ...p.member, deceased: false, from: p.effective };
      save(ctx, welfareKeys.person(member.idHash), { household: household.id, category: household.category });
      // The amount changes through a reassessment, due from the month the change takes effect.
      save(ctx, welfareKeys.household(household.id), {
        ...household,
        members: [...household.members, member],
        nextReview: p.effective,
      });
      welfareEvents.emit(ctx, 'memberChanged', {
        household: household.id,
        idHash: member.idHash,
        change: p.change,
        effective: p.effective,
      });
    }),
    removeMember: defineAction(schemas.removeMember, (ctx, p: Params<'removeMember'>) => {
      requireRole(ctx, CASEWORKER_ROLE, 'record household changes');
      const household = requireHousehold(ctx, p.household);
      const index = household.members.findIndex(
        (m) => m.idHash === p.idHash && m.until === undefined && !m.deceased,
      );
      if (index < 0)
        throw new ContractError('not_found', `household ${p.household} has no current member ${p.idHash}`);
      if (index === 0)
        throw new ContractError(
          'not_allowed',
          'the head of household leaves by closing the file (exit) or by death',
        );
      const period = periodOf(ctx.time);
      if (p.effective < period)
        throw new ContractError(
          'not_allowed',
          `a change takes effect from this month or later, not ${p.effective}`,
        );
      const until = addMonths(p.effective, -1);
      ctx.delete(welfareKeys.person(p.idHash));
      save(ctx, welfareKeys.household(household.id), {
        ...household,
        members: household.members.map((m, i) => (i === index ? { ...m, until } : m)),
        nextReview: p.effective,
      });
      welfareEvents.emit(ctx, 'memberChanged', {
        household: household.id,
        idHash: p.idHash,
        change: p.change,
        effective: p.effective,
      });
    }),
    reassess: defineAction(schemas.reassess, (ctx, p: Params<'reassess'>) => {
      requireRole(ctx, CASEWORKER_ROLE, 'reassess households');
      const household = requireHousehold(ctx, p.household);
      const current = household.entitlement;
      if (household.status !== 'active' || !current)
        throw new ContractError('not_allowed', `household ${p.household} is ${household.status}, not active`);
      const area = requireArea(ctx, household.area);
      const period = periodOf(ctx.time);
      const standard = standardFor(area.standards, period);
      const rules = rulesFor(area, period);
      if (!standard || !rules)
        throw new ContractError(
          'not_allowed',
          `area ${area.code} has no standard or rules in force for ${period}`,
        );
      const living = household.members.filter((m) => !m.deceased && m.until === undefined);
      const inputs: MeansInputs = { ...p.inputs, members: living.length, addOns: living.map((m) => m.addOn) };
      const result = meansTest(household.category, inputs, standard.standard, rules);
      // The filing takes effect from next month: this month stays as approved.
      const from = addMonths(period, 1);
      const nextReview = nextReviewOf(rules, household.category, period);
      let next: Household;
      if (result.eligible)
        next = {
          ...household,
          previous: { ...current, until: period },
          entitlement: { category: household.category, inputs, from },
          nextReview,
        };
      else {
        // No longer eligible: 渐退期 at the current amount for the rule's months.
        const until = addMonths(period, rules.graceMonths);
        const amount = approvedAmount(area, household, period);
        next = {
          ...household,
          status: 'grace',
          entitlement: { ...current, graceUntil: until, graceAmount: amount },
        };
        welfareEvents.emit(ctx, 'graceStarted', { household: p.household, until, amount });
      }
      save(ctx, welfareKeys.household(p.household), next);
      welfareEvents.emit(ctx, 'reassessed', {
        household: p.household,
        eligible: result.eligible,
        monthly: result.monthly,
        from,
        ruleVersion: rules.version,
        standardVersion: standard.version,
        inputsHash: decisionInputsHash(ctx.suite.hash, household.category, inputs),
        ...(result.eligible && { nextReview }),
      });
    }),
    startGrace: defineAction(schemas.startGrace, (ctx, p: Params<'startGrace'>) => {
      requireRole(ctx, CASEWORKER_ROLE, 'start 渐退期');
      const household = requireHousehold(ctx, p.household);
      if (household.status !== 'active' || !household.entitlement)
        throw new ContractError('not_allowed', `household ${p.household} is ${household.status}, not active`);
      const area = requireArea(ctx, household.area);
      const period = periodOf(ctx.time);
      const rules = rulesFor(area, period);
      const months = p.months ?? rules?.graceMonths ?? 6;
      const amount = approvedAmount(area, household, period);
      const [y, m] = period.split('-').map(Number) as [number, number];
      const t = y * 12 + m - 1 + months;
      const until = `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
      save(ctx, welfareKeys.household(p.household), {
        ...household,
        status: 'grace',
        entitlement: { ...household.entitlement, graceUntil: until, graceAmount: amount },
      });
      welfareEvents.emit(ctx, 'graceStarted', { household: p.household, until, amount });
    }),
    exit: defineAction(schemas.exit, (ctx, p: Params<'exit'>) => {
      requireRole(ctx, CASEWORKER_ROLE, 'record exits');
      const household = requireHousehold(ctx, p.household);
      if (household.status === 'closed')
        throw new ContractError('not_allowed', `household ${p.household} is closed`);
      const period = periodOf(ctx.time);
      unenrol(ctx, household);
      save(ctx, welfareKeys.household(p.household), {
        ...household,
        status: 'closed',
        ...(household.entitlement && { entitlement: { ...household.entitlement, until: period } }),
      });
      welfareEvents.emit(ctx, 'exited', { household: p.household, period, reason: p.reason });
    }),

    setEnvelope: defineAction(schemas.setEnvelope, (ctx, p: Params<'setEnvelope'>) => {
      requireRole(ctx, WELFARE_ADMIN_ROLE, 'set budget envelopes');
      requireArea(ctx, p.area);
      const old = envelopeOf(ctx, p.area, p.period);
      if (old && (p.count < old.usedCount || p.total < old.usedTotal))
        throw new ContractError(
          'not_allowed',
          `the envelope has already used ${old.usedCount} payments, ${old.usedTotal} fen`,
        );
      save(ctx, welfareKeys.envelope(p.area, p.period), {
        count: p.count,
        total: p.total,
        usedCount: old?.usedCount ?? 0,
        usedTotal: old?.usedTotal ?? 0n,
      });
      welfareEvents.emit(ctx, 'envelopeSet', {
        area: p.area,
        period: p.period,
        count: p.count,
        total: p.total,
      });
    }),
    disburse: defineAction(schemas.disburse, (ctx, p: Params<'disburse'>) => {
      requireRole(ctx, TREASURER_ROLE, 'disburse');
      const area = requireArea(ctx, p.area);
      const cycle = cycleOf(ctx, p.area, p.period);
      if (cycle.closed)
        throw new ContractError('not_allowed', `the ${p.period} cycle of ${p.area} is closed`);
      const root = toHex(paymentRoot(ctx.suite.hash, p.area, p.period, p.payments));
      if (root !== p.root)
        throw new ContractError(
          'invalid_params',
          `root ${p.root} is not the Merkle root of the payments (${root})`,
        );
      const id = actionId(ctx);
      const refuse = (kind: AlertKind, subject: string, detail: string) => {
        const alert = raise(ctx, area.alertOwner, kind, subject, detail);
        welfareEvents.emit(ctx, 'batchRefused', { id, area: p.area, period: p.period, alert });
      };
      const pending = new Map<string, bigint>();
      for (const payment of p.payments) {
        const problem = paymentProblem(ctx, area, p.period, payment, pending);
        if (problem) return refuse(problem[0], payment.household, problem[1]);
      }
      // The envelope is checked and debited in this one step: a later batch sees the debit.
      const total = p.payments.reduce((a, x) => addAmounts(a, x.amount, 'batch total'), 0n);
      const envelope = envelopeOf(ctx, p.area, p.period);
      if (
        !envelope ||
        envelope.usedCount + p.payments.length > envelope.count ||
        envelope.usedTotal + total > envelope.total
      )
        return refuse(
          'over_envelope',
          `${p.area}/${p.period}`,
          envelope
            ? `envelope ${envelope.count} payments / ${envelope.total} fen, used ${envelope.usedCount} / ${envelope.usedTotal}, batch ${p.payments.length} / ${total}`
            : `no envelope for ${p.area} in ${p.period}`,
        );
      lock(ctx, area.symbol, ctx.sender, total, `welfare:${id}`);
      save(ctx, welfareKeys.envelope(p.area, p.period), {
        ...envelope,
        usedCount: envelope.usedCount + p.payments.length,
        usedTotal: envelope.usedTotal + total,
      });
      for (const [household, amount] of pending)
        save(ctx, welfareKeys.paidTo(household, p.period), paidTo(ctx, household, p.period) + amount);
      save(ctx, welfareKeys.cycle(p.area, p.period), { ...cycle, issued: cycle.issued + total });
      save(ctx, welfareKeys.batch(id), {
        id,
        area: p.area,
        period: p.period,
        root,
        payer: ctx.sender,
        payments: p.payments.map((x) => ({ ...x, state: 'sent' })),
      });
      welfareEvents.emit(ctx, 'batchSent', {
        id,
        area: p.area,
        period: p.period,
        root,
        count: p.payments.length,
        total,
      });
    }),
    recordOutcomes: defineAction(schemas.recordOutcomes, (ctx, p: Params<'recordOutcomes'>) => {
      requireRole(ctx, TREASURER_ROLE, 'record payment outcomes');
      const batch = batchOf(ctx, p.batch);
      if (!batch) throw new ContractError('not_found', `no batch ${p.batch}`);
      const area = requireArea(ctx, batch.area);
      const payments = [...batch.payments];
      const sums = { paid: 0n, failed: 0n, returned: 0n };
      const envelope = envelopeOf(ctx, batch.area, batch.period)!;
      let released = 0n;
      let releasedCount = 0;
      const settled: {
        index: number;
        household: string;
        amount: bigint;
        outcome: PaymentOutcome;
        reason?: string;
      }[] = [];
      for (const { index, outcome, reason } of p.outcomes) {
        const payment = payments[index];
        if (!payment) throw new ContractError('not_found', `batch ${p.batch} has no payment ${index}`);
        if (payment.state !== 'sent')
          throw new ContractError(
            'not_allowed',
            `payment ${index} of batch ${p.batch} is already ${payment.state}`,
          );
        payments[index] = { ...payment, state: outcome, ...(reason !== undefined && { reason }) };
        settled.push({
          index,
          household: payment.household,
          amount: payment.amount,
          outcome,
          ...(reason !== undefined && { reason }),
        });
        sums[outcome] += payment.amount;
        const ref = `welfare:${p.batch}:${index}`;
        if (outcome === 'paid') unlock(ctx, area.symbol, payment.account, payment.amount, ref);
        else {
          // Failed or returned: the funds go back and the entitlement may be retried as a new payment.
          unlock(ctx, area.symbol, batch.payer, payment.amount, ref);
          released += payment.amount;
          releasedCount += 1;
          save(
            ctx,
            welfareKeys.paidTo(payment.household, batch.period),
            paidTo(ctx, payment.household, batch.period) - payment.amount,
          );
        }
      }
      save(ctx, welfareKeys.batch(p.batch), { ...batch, payments });
      save(ctx, welfareKeys.envelope(batch.area, batch.period), {
        ...envelope,
        usedCount: envelope.usedCount - releasedCount,
        usedTotal: envelope.usedTotal - released,
      });
      const cycle = cycleOf(ctx, batch.area, batch.period);
      save(ctx, welfareKeys.cycle(batch.area, batch.period), {
        ...cycle,
        paid: cycle.paid + sums.paid,
        failed: cycle.failed + sums.failed,
        returned: cycle.returned + sums.returned,
      });
      welfareEvents.emit(ctx, 'outcomesRecorded', { batch: p.batch, ...sums, payments: settled });
    }),
    closeCycle: defineAction(schemas.closeCycle, (ctx, p: Params<'closeCycle'>) => {
      requireRole(ctx, TREASURER_ROLE, 'close cycles');
      const c = cycleOf(ctx, p.area, p.period);
      if (c.closed) throw new ContractError('not_allowed', `the ${p.period} cycle of ${p.area} is closed`);
      const settled = c.paid + c.failed + c.returned;
      if (settled !== c.issued)
        throw new ContractError(
          'not_allowed',
          `the cycle does not balance: paid ${c.paid} + failed ${c.failed} + returned ${c.returned} = ${settled} fen, issued ${c.issued} fen`,
        );
      save(ctx, welfareKeys.cycle(p.area, p.period), { ...c, closed: true });
      welfareEvents.emit(ctx, 'cycleClosed', {
        area: p.area,
        period: p.period,
        issued: c.issued,
        paid: c.paid,
        failed: c.failed,
        returned: c.returned,
      });
    }),

    raiseAlert: defineAction(schemas.raiseAlert, (ctx, p: Params<'raiseAlert'>) => {
      requireRole(ctx, AUDITOR_ROLE, 'raise alerts');
      raise(ctx, ctx.sender, 'manual', p.subject, p.detail);
    }),
    /**
     * A recipient's grievance (申诉) about their own file or a decision on it: filed by a living member
     * of the household, due in GRIEVANCE_DEADLINE_WORKING_DAYS working days of the chain calendar.
     */
    fileGrievance: defineAction(schemas.fileGrievance, (ctx, p: Params<'fileGrievance'>) => {
      const household = requireHousehold(ctx, p.household);
      if (!household.members.some((m) => m.did === ctx.sender && !m.deceased))
        throw new ContractError(
          'not_authorized',
          `only a member of household ${p.household} files its grievances`,
        );
      if (p.decision !== undefined) {
        const app = applicationOf(ctx, p.decision);
        if (!app) throw new ContractError('not_found', `no application ${p.decision}`);
        if (app.household !== household.id)
          throw new ContractError(
            'invalid_params',
            `decision: application ${p.decision} is not this household's`,
          );
      }
      const id = actionId(ctx);
      const deadline = workingDayDeadlineMs(calendarOf(ctx), ctx.time, GRIEVANCE_DEADLINE_WORKING_DAYS);
      const g: Grievance = {
        id,
        household: household.id,
        area: household.area,
        category: p.category,
        textHash: p.textHash,
        ...(p.attachment !== undefined && { attachment: p.attachment }),
        ...(p.decision !== undefined && { decision: p.decision }),
        by: ctx.sender,
        deadline,
      };
      save(ctx, grievanceKey(id), g as unknown as Value);
      welfareEvents.emit(ctx, 'grievanceFiled', g as never);
    }),
    /** A case worker or reviewer answers a grievance once; an answer after the deadline is marked late. */
    answerGrievance: defineAction(schemas.answerGrievance, (ctx, p: Params<'answerGrievance'>) => {
      if (
        !hasWelfareRole(ctx, ctx.sender, CASEWORKER_ROLE) &&
        !hasWelfareRole(ctx, ctx.sender, WELFARE_REVIEWER_ROLE)
      )
        throw new ContractError(
          'not_authorized',
          'answering grievances needs the welfare caseworker or reviewer role',
        );
      const g = ctx.get(grievanceKey(p.id)) as unknown as Grievance | undefined;
      if (!g) throw new ContractError('not_found', `no grievance ${p.id}`);
      if (g.answerHash !== undefined) throw new ContractError('not_allowed', `grievance ${p.id} is answered`);
      save(ctx, grievanceKey(p.id), { ...g, answerHash: p.answerHash, upheld: p.upheld } as unknown as Value);
      welfareEvents.emit(ctx, 'grievanceAnswered', {
        id: p.id,
        answerHash: p.answerHash,
        upheld: p.upheld,
        late: ctx.time > g.deadline,
        by: ctx.sender,
      });
    }),
    /**
     * Monitoring's cross-check of bank accounts: one account (by its keyed hash) registered for
     * households that share no member is an alert, owned by the first household's area, with the
     * account hash and the households as its evidence. Households that share a member are related and
     * are not reported.
     */
    reportSharedAccount: defineAction(
      schemas.reportSharedAccount,
      (ctx, p: Params<'reportSharedAccount'>) => {
        requireRole(ctx, AUDITOR_ROLE, 'report a shared bank account');
        if (new Set(p.households).size !== p.households.length)
          throw new ContractError('invalid_params', 'households: each household once');
        const files = p.households.map((id) => requireHousehold(ctx, id));
        const seen = new Map<string, string>();
        for (const f of files)
          for (const m of f.members) {
            const other = seen.get(m.idHash);
            if (other !== undefined && other !== f.id)
              throw new ContractError(
                'not_allowed',
                `households ${other} and ${f.id} share a member: they are related`,
              );
            seen.set(m.idHash, f.id);
          }
        const area = requireArea(ctx, files[0]!.area);
        raise(ctx, area.alertOwner, 'shared_account', p.accountHash, `households ${p.households.join(' ')}`);
      },
    ),
    resolveAlert: defineAction(schemas.resolveAlert, (ctx, p: Params<'resolveAlert'>) => {
      const alert = (ctx.get(welfareKeys.alert(p.id)) as unknown as Alert | undefined) ?? undefined;
      if (!alert) throw new ContractError('not_found', `no alert ${p.id}`);
      if (alert.owner !== ctx.sender && !hasWelfareRole(ctx, ctx.sender, AUDITOR_ROLE))
        throw new ContractError('not_authorized', `alert ${p.id} is owned by ${alert.owner}`);
      if (alert.outcome !== undefined) throw new ContractError('not_allowed', `alert ${p.id} has an outcome`);
      save(ctx, welfareKeys.alert(p.id), { ...alert, outcome: p.outcome });
      welfareEvents.emit(ctx, 'alertResolved', { id: p.id, outcome: p.outcome, by: ctx.sender });
    }),
  },
};

export type { Member };
export { schemas as welfareParams };
