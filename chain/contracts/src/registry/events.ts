// The registry contract's events. Every change to an enterprise, a certificate or a notice is an event
// with the instant it takes effect (`effectiveAt`, block time in ms, or `effectiveOn`, a civil date), so a
// client following the chain from any height sees each change once, as of when it holds. Consequences of
// deadlines carry the deadline as `effectiveAt` even when a later tx writes them down.
import { attrs, defineEvents } from '../catalog';
import { CERT_STATUSES, LEGAL_FORMS, LISTING_CAUSES, LISTING_STATUSES } from './views';

export const registryEvents = defineEvents('registry', {
  registrationFiled: {
    uscc: attrs.text(),
    name: attrs.text(),
    legalForm: attrs.oneOf(LEGAL_FORMS),
    capital: attrs.amount(),
    representative: attrs.address(),
    industry: attrs.text(),
    establishedOn: attrs.text(),
    authority: attrs.address(),
  },
  registrationDecided: {
    uscc: attrs.text(),
    decision: attrs.oneOf(['accept', 'reject'] as const),
    reason: attrs.text(),
    by: attrs.address(),
  },
  filingSubmitted: {
    id: attrs.text(),
    uscc: attrs.text(),
    kind: attrs.oneOf(['change', 'deregister', 'merge'] as const),
    fields: attrs.list(attrs.text()),
    effectiveOn: attrs.text(),
    successor: attrs.text().optional(),
  },
  filingDecided: {
    id: attrs.text(),
    uscc: attrs.text(),
    decision: attrs.oneOf(['accept', 'reject'] as const),
    reason: attrs.text(),
    by: attrs.address(),
  },
  /** One per changed field; `from` and `to` as text (capital in fen). */
  enterpriseChanged: {
    uscc: attrs.text(),
    field: attrs.text(),
    from: attrs.text(),
    to: attrs.text(),
    effectiveOn: attrs.text(),
    filing: attrs.text(),
  },
  lifeChanged: {
    uscc: attrs.text(),
    life: attrs.oneOf(['revoked', 'deregistered', 'merged'] as const),
    successor: attrs.text().optional(),
    effectiveAt: attrs.int(),
    reason: attrs.text(),
  },
  annualReportFiled: { uscc: attrs.text(), year: attrs.int(), hash: attrs.hash(), late: attrs.bool() },
  disclosureOrdered: {
    id: attrs.text(),
    uscc: attrs.text(),
    matter: attrs.text(),
    deadline: attrs.int(),
    by: attrs.address(),
  },
  instantDisclosed: { orderId: attrs.text(), uscc: attrs.text(), hash: attrs.hash(), late: attrs.bool() },
  listed: {
    uscc: attrs.text(),
    cause: attrs.oneOf(LISTING_CAUSES),
    effectiveAt: attrs.int(),
    year: attrs.int().optional(),
    orderId: attrs.text().optional(),
    decisionNo: attrs.text().optional(),
    status: attrs.oneOf(LISTING_STATUSES),
  },
  /** The notice, 60 days ahead, that a listing will move to 严重违法失信. */
  seriousListingNoticed: {
    uscc: attrs.text(),
    cause: attrs.oneOf(LISTING_CAUSES),
    listedAt: attrs.int(),
    effectiveAt: attrs.int(),
    seriousAt: attrs.int(),
  },
  seriousListed: {
    uscc: attrs.text(),
    cause: attrs.oneOf(LISTING_CAUSES),
    listedAt: attrs.int(),
    effectiveAt: attrs.int(),
  },
  delisted: {
    uscc: attrs.text(),
    cause: attrs.oneOf(LISTING_CAUSES),
    listedAt: attrs.int(),
    effectiveAt: attrs.int(),
    status: attrs.oneOf(LISTING_STATUSES),
    by: attrs.address(),
  },
  noticePublished: {
    id: attrs.text(),
    kind: attrs.oneOf(['penalty', 'registration', 'deregistration', 'merger', 'other'] as const),
    uscc: attrs.text().optional(),
    title: attrs.text(),
    bodyHash: attrs.hash(),
    decisionNo: attrs.text().optional(),
    violation: attrs.text().optional(),
    penalties: attrs.list(attrs.text()),
    fine: attrs.amount().optional(),
    from: attrs.text(),
    until: attrs.text(),
    by: attrs.address(),
  },
  certificateIssued: {
    id: attrs.text(),
    no: attrs.text(),
    issuer: attrs.address(),
    holder: attrs.text(),
    scheme: attrs.text(),
    scope: attrs.text(),
    standard: attrs.text(),
    product: attrs.text(),
    industry: attrs.text(),
    classification: attrs.text(),
    validFrom: attrs.int(),
    validUntil: attrs.int(),
  },
  certificateStatusChanged: {
    id: attrs.text(),
    status: attrs.oneOf(CERT_STATUSES),
    effectiveAt: attrs.int(),
    reason: attrs.text(),
    until: attrs.int().optional(),
  },
  /** 变更 (name, model, site) or 勘误 (a correction that leaves the status as it is). */
  certificateAmended: {
    id: attrs.text(),
    kind: attrs.oneOf(['change', 'correction'] as const),
    field: attrs.text(),
    from: attrs.text(),
    to: attrs.text(),
  },
  posted: {
    id: attrs.text(),
    uscc: attrs.text(),
    kind: attrs.oneOf(['offer', 'need'] as const),
    industry: attrs.text(),
    classification: attrs.text(),
    item: attrs.text(),
    quantity: attrs.amount(),
    unit: attrs.text(),
    region: attrs.text(),
    deliverFrom: attrs.text(),
    deliverUntil: attrs.text(),
    priceMin: attrs.amount(),
    priceMax: attrs.amount(),
  },
  postClosed: { id: attrs.text(), uscc: attrs.text(), by: attrs.address() },
  /**
   * Enterprises migrated from a legacy register by an authority, active from this block: the records as
   * checked (the leaves of `root`, in order), so a reader fills its model and proves any one of them.
   */
  batchImported: {
    id: attrs.text(),
    root: attrs.hash(),
    count: attrs.int(),
    by: attrs.address(),
    records: attrs.list(
      attrs.struct({
        uscc: attrs.text(),
        name: attrs.text(),
        legalForm: attrs.oneOf(LEGAL_FORMS),
        capital: attrs.amount(),
        address: attrs.text(),
        industry: attrs.text(),
        establishedOn: attrs.text(),
        representative: attrs.address(),
        lei: attrs.text().optional(),
        regNo: attrs.text().optional(),
      }),
    ),
  },
});
