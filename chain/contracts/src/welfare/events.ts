// The welfare contract's events (apps/welfare). Every action emits at least one; a refused payment batch
// or enrolment commits as an alert, so the evidence of the attempt is on chain with its tx.
import { attrs, defineEvents } from '../catalog';

export const ALERT_KINDS = [
  'unregistered_account',
  'above_approved',
  'over_envelope',
  'duplicate_person',
  'exclusive_category',
  'deceased_recipient',
  /** The same bank account for unrelated households (keyed hash of the account, the households). */
  'shared_account',
  'manual',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const WORKFLOW_STEPS = [
  'accepted',
  'investigated',
  'preliminary',
  'publicised',
  'deliberated',
  'countyReviewed',
  'approved',
  'rejected',
] as const;
export type WorkflowStep = (typeof WORKFLOW_STEPS)[number];

/** Household changes other than death, with the month they take effect. */
export const MEMBER_CHANGES = ['birth', 'marriage-in', 'move-in', 'marriage-out', 'move-out'] as const;
export type MemberChange = (typeof MEMBER_CHANGES)[number];

export const PAYMENT_OUTCOMES = ['paid', 'failed', 'returned'] as const;
export type PaymentOutcome = (typeof PAYMENT_OUTCOMES)[number];

/** What a recipient's grievance (申诉) is about. */
export const GRIEVANCE_CATEGORIES = [
  'eligibility',
  'amount',
  'payment',
  'investigation',
  'conduct',
  'privacy',
  'other',
] as const;
export type GrievanceCategory = (typeof GRIEVANCE_CATEGORIES)[number];

export const welfareEvents = defineEvents('welfare', {
  areaSet: { code: attrs.text(), name: attrs.text(), symbol: attrs.text(), by: attrs.address() },
  standardSet: { code: attrs.text(), version: attrs.int(), from: attrs.text(), standard: attrs.amount() },
  rulesSet: { code: attrs.text(), version: attrs.int() },
  householdOpened: {
    id: attrs.text(),
    area: attrs.text(),
    members: attrs.int(),
    by: attrs.address(),
    /**
     * The head of household's passport account (the file's first member, who leaves it only by exit or
     * death), so a read model names the head without reading the file; absent in older events.
     */
    head: attrs.address().optional(),
  },
  householdClosed: { id: attrs.text(), reason: attrs.text(), successor: attrs.text().optional() },
  memberChanged: {
    household: attrs.text(),
    idHash: attrs.hash(),
    change: attrs.oneOf(MEMBER_CHANGES),
    effective: attrs.text(),
  },
  deathRecorded: { idHash: attrs.hash(), household: attrs.text(), period: attrs.text() },
  applicationStep: {
    id: attrs.text(),
    step: attrs.oneOf(WORKFLOW_STEPS),
    by: attrs.address(),
    reports: attrs.list(attrs.hash()).optional(),
    noticeEnds: attrs.int().optional(),
  },
  objectionFiled: { application: attrs.text(), objection: attrs.int(), evidence: attrs.hash() },
  objectionResolved: { application: attrs.text(), objection: attrs.int(), upheld: attrs.bool() },
  decided: {
    application: attrs.text(),
    household: attrs.text(),
    category: attrs.text(),
    eligible: attrs.bool(),
    monthly: attrs.amount(),
    ruleVersion: attrs.int(),
    standardVersion: attrs.int(),
    inputsHash: attrs.hash(),
  },
  reassessed: {
    household: attrs.text(),
    eligible: attrs.bool(),
    monthly: attrs.amount(),
    from: attrs.text(),
    ruleVersion: attrs.int(),
    standardVersion: attrs.int(),
    inputsHash: attrs.hash(),
    nextReview: attrs.text().optional(),
  },
  graceStarted: { household: attrs.text(), until: attrs.text(), amount: attrs.amount() },
  exited: { household: attrs.text(), period: attrs.text(), reason: attrs.text() },
  envelopeSet: { area: attrs.text(), period: attrs.text(), count: attrs.int(), total: attrs.amount() },
  batchSent: {
    id: attrs.text(),
    area: attrs.text(),
    period: attrs.text(),
    root: attrs.hash(),
    count: attrs.int(),
    total: attrs.amount(),
  },
  batchRefused: { id: attrs.text(), area: attrs.text(), period: attrs.text(), alert: attrs.text() },
  outcomesRecorded: {
    batch: attrs.text(),
    paid: attrs.amount(),
    failed: attrs.amount(),
    returned: attrs.amount(),
    /** Each payment settled by the tx (its index in the batch) with its outcome and the bank's reason. */
    payments: attrs
      .list(
        attrs.struct({
          index: attrs.int(),
          household: attrs.text(),
          amount: attrs.amount(),
          outcome: attrs.oneOf(PAYMENT_OUTCOMES),
          reason: attrs.text().optional(),
        }),
      )
      .optional(),
  },
  cycleClosed: {
    area: attrs.text(),
    period: attrs.text(),
    issued: attrs.amount(),
    paid: attrs.amount(),
    failed: attrs.amount(),
    returned: attrs.amount(),
  },
  alertRaised: {
    id: attrs.text(),
    kind: attrs.oneOf(ALERT_KINDS),
    subject: attrs.text(),
    detail: attrs.text(),
    owner: attrs.address(),
    deadline: attrs.int(),
  },
  alertResolved: { id: attrs.text(), outcome: attrs.text(), by: attrs.address() },
  /** A grievance: its words are off chain, `textHash` (and `attachment`) are their SHA-256. */
  grievanceFiled: {
    id: attrs.text(),
    household: attrs.text(),
    area: attrs.text(),
    category: attrs.oneOf(GRIEVANCE_CATEGORIES),
    textHash: attrs.hash(),
    attachment: attrs.hash().optional(),
    decision: attrs.text().optional(),
    by: attrs.address(),
    deadline: attrs.int(),
  },
  grievanceAnswered: {
    id: attrs.text(),
    answerHash: attrs.hash(),
    upheld: attrs.bool(),
    late: attrs.bool(),
    by: attrs.address(),
  },
});
