// The copyright contract's events (apps/copyright). Every successful action emits at least one; with its
// inclusion proof an event is the receipt of a registration, licence, transfer or pledge. Grants are
// emitted with `until` left out when they run to the end of the term of protection, and
// `protectionUntil` is left out while an author lives (the catalog has no null).
import { attrs, defineEvents } from '../catalog';
import { WORK_CATEGORIES } from './categories';
import { DUTIES, ECONOMIC_RIGHTS, EXCLUSIVITY, type Grant, PROHIBITIONS } from './rights';

const grant = () =>
  attrs.struct({
    rights: attrs.list(attrs.oneOf(ECONOMIC_RIGHTS)),
    territory: attrs.list(attrs.text()),
    from: attrs.int(),
    until: attrs.int().optional(),
  });
const owners = () => attrs.list(attrs.struct({ address: attrs.address(), share: attrs.int() }));

/** A grant as events carry it. */
export function grantAttrs(g: Grant) {
  return {
    rights: [...g.rights],
    territory: [...g.territory],
    from: g.from,
    ...(g.until !== null && { until: g.until }),
  };
}

export const copyrightEvents = defineEvents('copyright', {
  workSubmitted: {
    id: attrs.text(),
    title: attrs.text(),
    category: attrs.oneOf(WORK_CATEGORIES),
    applicant: attrs.address(),
    authors: attrs.list(attrs.address()),
    owners: owners(),
    files: attrs.list(attrs.hash()),
    /** ISCC units of the files. */
    codes: attrs.list(attrs.text()),
  },
  workReviewed: {
    id: attrs.text(),
    decision: attrs.oneOf(['approve', 'reject'] as const),
    regNo: attrs.text().optional(),
    reason: attrs.text(),
    by: attrs.address(),
    protectionUntil: attrs.int().optional(),
  },
  authorDeathRecorded: {
    id: attrs.text(),
    author: attrs.address(),
    diedAt: attrs.int(),
    protectionUntil: attrs.int().optional(),
    by: attrs.address(),
  },
  /** `licensee` is an address, or "*" for a public (Creative Commons) licence. */
  licenceGranted: {
    id: attrs.text(),
    workId: attrs.text(),
    licensee: attrs.text(),
    licensors: attrs.list(attrs.address()),
    grant: grant(),
    exclusivity: attrs.oneOf(EXCLUSIVITY),
    prohibitions: attrs.list(attrs.oneOf(PROHIBITIONS)),
    duties: attrs.list(attrs.oneOf(DUTIES)),
    cc: attrs.text().optional(),
    listingId: attrs.text().optional(),
  },
  licenceSurrendered: {
    id: attrs.text(),
    workId: attrs.text(),
    licensee: attrs.address(),
    reason: attrs.text(),
  },
  rightsTransferred: {
    filing: attrs.text(),
    workId: attrs.text(),
    grant: grant(),
    from: owners(),
    to: owners(),
    reason: attrs.oneOf(['contract', 'purchase', 'enforcement'] as const),
    contractHash: attrs.hash().optional(),
    signedBy: attrs.list(attrs.address()),
  },
  pledged: {
    id: attrs.text(),
    workId: attrs.text(),
    grant: grant(),
    pledgee: attrs.address(),
    pledgors: attrs.list(attrs.address()),
    symbol: attrs.text(),
    amount: attrs.amount(),
    dueAt: attrs.int(),
    /** 1 for the first-ranked of the active pledges over the same grant. */
    rank: attrs.int(),
  },
  pledgeReleased: { id: attrs.text(), workId: attrs.text(), by: attrs.address() },
  pledgeEnforced: { id: attrs.text(), workId: attrs.text(), pledgee: attrs.address(), filing: attrs.text() },
  /** `condition` as text: `approval:<address>`, `registered:<work>`, `pledgeReleased:<pledge>`, `after:<ms>`. */
  escrowOpened: {
    id: attrs.text(),
    payer: attrs.address(),
    payee: attrs.address(),
    symbol: attrs.text(),
    amount: attrs.amount(),
    condition: attrs.text(),
    refundAfter: attrs.int(),
  },
  escrowReleased: {
    id: attrs.text(),
    payee: attrs.address(),
    symbol: attrs.text(),
    amount: attrs.amount(),
    condition: attrs.text(),
    by: attrs.address(),
  },
  escrowRefunded: { id: attrs.text(), payer: attrs.address(), symbol: attrs.text(), amount: attrs.amount() },
  listed: {
    id: attrs.text(),
    workId: attrs.text(),
    kind: attrs.oneOf(['licence', 'rights'] as const),
    grant: grant(),
    exclusivity: attrs.oneOf(EXCLUSIVITY),
    symbol: attrs.text(),
    price: attrs.amount(),
    quantity: attrs.int(),
    sellers: attrs.list(attrs.address()),
  },
  listingCancelled: { id: attrs.text(), by: attrs.address() },
  purchased: {
    listingId: attrs.text(),
    workId: attrs.text(),
    buyer: attrs.address(),
    symbol: attrs.text(),
    price: attrs.amount(),
    licenceId: attrs.text().optional(),
    filing: attrs.text().optional(),
  },
  /** Each owner's part of a purchase price (largest remainder: the parts sum to `total`). */
  royaltiesPaid: {
    listingId: attrs.text(),
    symbol: attrs.text(),
    total: attrs.amount(),
    payments: attrs.list(attrs.struct({ to: attrs.address(), amount: attrs.amount(), share: attrs.int() })),
  },
});
