// Read-only views of the welfare contract's state: areas with their versioned standards and rules,
// household files (一户一档) with members by keyed ID hash, applications, envelopes, batches, cycles
// and alerts. Views never write.
import {
  type Address,
  encodeCanonical,
  merkleRoot,
  type StateReader,
  toHex,
  type Value,
} from '@gongxin/ledger';
import { amountOf } from '../common';
import { hasRole } from '../identity/views';
import type { AlertKind, PaymentOutcome, WorkflowStep } from './events';
import type { Entitlement, MeansInputs, RuleSet, StandardVersion, WelfareCategory } from './means-test';

export const WELFARE_APP = 'welfare';
/** 民政局: areas, standards, rules, envelopes. */
export const WELFARE_ADMIN_ROLE = 'admin';
/** 街道/乡镇 case worker: accepts, investigates, publicises, records changes. */
export const CASEWORKER_ROLE = 'caseworker';
/** 区县 reviewer: objections, county review, approval. */
export const WELFARE_REVIEWER_ROLE = 'reviewer';
/** Pays batches from the area's fund account and records their outcomes. */
export const TREASURER_ROLE = 'treasurer';
/** Owns and resolves alerts. */
export const AUDITOR_ROLE = 'auditor';

export const MAX_BATCH_PAYMENTS = 1000;
/** Characters of the bank's reason a failed or returned payment may carry on chain. */
export const MAX_OUTCOME_REASON = 200;

export const welfareKeys = {
  area: (code: string) => `welfare/area/${code}`,
  household: (id: string) => `welfare/household/${id}`,
  application: (id: string) => `welfare/application/${id}`,
  /** Keyed ID hash → where the person is enrolled: one household and one category at a time. */
  person: (idHash: string) => `welfare/person/${idHash}`,
  envelope: (area: string, period: string) => `welfare/envelope/${area}/${period}`,
  cycle: (area: string, period: string) => `welfare/cycle/${area}/${period}`,
  batch: (id: string) => `welfare/batch/${id}`,
  /** Fen sent and not failed or returned to a household in a period: the cap is what it is approved. */
  paidTo: (household: string, period: string) => `welfare/paid/${household}/${period}`,
  alert: (id: string) => `welfare/alert/${id}`,
} as const;

export interface Area {
  readonly code: string;
  readonly name: string;
  /** The CNY asset (fen) benefits are paid in. */
  readonly symbol: string;
  /** Notice period of 公示: days, and whether they are working days of the chain calendar. */
  readonly noticeDays: number;
  readonly noticeWorkingDays: boolean;
  /** Who owns the alerts raised in the area. */
  readonly alertOwner: Address;
  readonly standards: readonly StandardVersion[];
  readonly rules: readonly (RuleSet & { readonly from: string })[];
}

export interface Member {
  /** The authority's keyed hash (HMAC) of the GB 11643 ID: never the ID itself. */
  readonly idHash: string;
  /** Passport account. */
  readonly did: Address;
  /** The registered welfare account payments go to. */
  readonly account: Address;
  /** 分类施保 add-on, fen per month. */
  readonly addOn: bigint;
  readonly deceased: boolean;
  /** Month the member joined by a household change (birth, marriage, move-in), when not from the start. */
  readonly from?: string;
  /** Last month the member belonged to the household after leaving (marriage, move-out). */
  readonly until?: string;
}

export type HouseholdStatus = 'applying' | 'active' | 'grace' | 'closed' | 'rejected';

export interface Household {
  readonly id: string;
  readonly area: string;
  readonly category: WelfareCategory;
  /** The head of household first. */
  readonly members: readonly Member[];
  readonly status: HouseholdStatus;
  readonly entitlement?: Entitlement;
  /** The entitlement a reassessment replaced, paid up to its `until` month. */
  readonly previous?: Entitlement;
  /** The month the next reassessment is due. */
  readonly nextReview?: string;
  readonly predecessor?: string;
}

export interface Objection {
  readonly evidence: string;
  readonly by: Address;
  readonly open: boolean;
  readonly upheld?: boolean;
}

export interface Application {
  readonly id: string;
  readonly household: string;
  readonly step: WorkflowStep;
  readonly reports: readonly string[];
  readonly inputs?: MeansInputs;
  readonly noticeEnds?: number;
  readonly objections: readonly Objection[];
  readonly sampled?: boolean;
}

export interface Envelope {
  readonly count: number;
  readonly total: bigint;
  readonly usedCount: number;
  readonly usedTotal: bigint;
}

export interface Payment {
  readonly household: string;
  readonly idHash: string;
  readonly account: Address;
  readonly amount: bigint;
}

export interface Batch {
  readonly id: string;
  readonly area: string;
  readonly period: string;
  readonly root: string;
  readonly payer: Address;
  readonly payments: readonly (Payment & {
    readonly state: 'sent' | PaymentOutcome;
    /** The bank's words for a failed or returned payment, when finance recorded them. */
    readonly reason?: string;
  })[];
}

export interface Cycle {
  readonly issued: bigint;
  readonly paid: bigint;
  readonly failed: bigint;
  readonly returned: bigint;
  readonly closed: boolean;
}

export interface Alert {
  readonly id: string;
  readonly kind: AlertKind;
  readonly subject: string;
  readonly detail: string;
  readonly owner: Address;
  readonly deadline: number;
  readonly outcome?: string;
  readonly at: number;
  readonly txId: string;
}

const bi = (v: unknown) => amountOf(v as Value);

function normaliseInputs(i: MeansInputs): MeansInputs {
  return {
    ...i,
    annualIncome: bi(i.annualIncome),
    annualRigidExpenses: bi(i.annualRigidExpenses),
    financialAssets: bi(i.financialAssets),
    addOns: i.addOns.map(bi),
  };
}

export function areaOf(state: StateReader, code: string): Area | undefined {
  const a = state.get(welfareKeys.area(code)) as unknown as Area | undefined;
  return a && { ...a, standards: a.standards.map((s) => ({ ...s, standard: bi(s.standard) })) };
}

export function householdOf(state: StateReader, id: string): Household | undefined {
  const h = state.get(welfareKeys.household(id)) as unknown as Household | undefined;
  if (!h) return undefined;
  const e = h.entitlement;
  const prev = h.previous;
  return {
    ...h,
    ...(prev && { previous: { ...prev, inputs: normaliseInputs(prev.inputs) } }),
    members: h.members.map((m) => ({ ...m, addOn: bi(m.addOn) })),
    ...(e && {
      entitlement: {
        ...e,
        inputs: normaliseInputs(e.inputs),
        ...(e.graceAmount !== undefined && { graceAmount: bi(e.graceAmount) }),
      },
    }),
  };
}

export function applicationOf(state: StateReader, id: string): Application | undefined {
  const a = state.get(welfareKeys.application(id)) as unknown as Application | undefined;
  return a && { ...a, ...(a.inputs && { inputs: normaliseInputs(a.inputs) }) };
}

export function personOf(
  state: StateReader,
  idHash: string,
): { household: string; category: WelfareCategory } | undefined {
  return state.get(welfareKeys.person(idHash)) as unknown as
    | { household: string; category: WelfareCategory }
    | undefined;
}

export function envelopeOf(state: StateReader, area: string, period: string): Envelope | undefined {
  const e = state.get(welfareKeys.envelope(area, period)) as unknown as Envelope | undefined;
  return e && { ...e, total: bi(e.total), usedTotal: bi(e.usedTotal) };
}

export function cycleOf(state: StateReader, area: string, period: string): Cycle {
  const c = state.get(welfareKeys.cycle(area, period)) as unknown as Cycle | undefined;
  if (!c) return { issued: 0n, paid: 0n, failed: 0n, returned: 0n, closed: false };
  return { ...c, issued: bi(c.issued), paid: bi(c.paid), failed: bi(c.failed), returned: bi(c.returned) };
}

export function batchOf(state: StateReader, id: string): Batch | undefined {
  const b = state.get(welfareKeys.batch(id)) as unknown as Batch | undefined;
  return b && { ...b, payments: b.payments.map((p) => ({ ...p, amount: bi(p.amount) })) };
}

export function paidTo(state: StateReader, household: string, period: string): bigint {
  return bi(state.get(welfareKeys.paidTo(household, period)));
}

export function welfareAlertOf(state: StateReader, id: string): Alert | undefined {
  return state.get(welfareKeys.alert(id)) as unknown as Alert | undefined;
}

export function hasWelfareRole(state: StateReader, address: Address, role: string): boolean {
  return hasRole(state, address, WELFARE_APP, role);
}

/**
 * The hash a decision records of what it was computed from: the category and the means-test inputs in
 * the chain's canonical encoding (amounts as bigint). Whoever holds the inputs recomputes it, then re-runs
 * `meansTest` with the decision's rule and standard versions.
 */
export function decisionInputsHash(
  hash: (data: Uint8Array) => Uint8Array,
  category: WelfareCategory,
  inputs: MeansInputs,
): string {
  return toHex(
    hash(
      encodeCanonical({
        type: 'gongxin/welfare/means-inputs',
        category,
        members: inputs.members,
        annualIncome: BigInt(inputs.annualIncome),
        annualRigidExpenses: BigInt(inputs.annualRigidExpenses),
        financialAssets: BigInt(inputs.financialAssets),
        disqualifyingAssets: inputs.disqualifyingAssets,
        addOns: inputs.addOns.map((a) => BigInt(a)),
      }),
    ),
  );
}

/** The bytes of one payment in a batch: the leaf its proof is for. */
export function paymentLeaf(area: string, period: string, index: number, p: Payment): Uint8Array {
  return encodeCanonical({
    type: 'gongxin/welfare/payment',
    area,
    period,
    index,
    household: p.household,
    idHash: p.idHash,
    account: p.account,
    amount: p.amount,
  });
}

/** The Merkle root (RFC 6962, the ledger's tree) of a batch's payment list. */
export function paymentRoot(
  hash: (data: Uint8Array) => Uint8Array,
  area: string,
  period: string,
  payments: readonly Payment[],
): Uint8Array {
  return merkleRoot(
    hash,
    payments.map((p, i) => paymentLeaf(area, period, i, p)),
  );
}
