// The parking contract's events (apps/parking): the indexer builds lots, sessions, receipts, occupancy
// and settlement read models from these alone.
import { attrs, defineEvents } from '../catalog';

export const parkingEvents = defineEvents('parking', {
  operatorRegistered: { id: attrs.text(), name: attrs.text(), account: attrs.address() },
  lotRegistered: {
    id: attrs.text(),
    name: attrs.text(),
    operator: attrs.text(),
    capacity: attrs.int(),
    fixedSpaces: attrs.int(),
    symbol: attrs.text(),
    feeBps: attrs.int(),
  },
  tariffSet: { lot: attrs.text(), version: attrs.int(), hash: attrs.hash() },
  gateRegistered: { lot: attrs.text(), gate: attrs.text(), key: attrs.text() },
  passIssued: {
    id: attrs.text(),
    plateHash: attrs.hash(),
    operator: attrs.text(),
    lots: attrs.list(attrs.text()),
    validFrom: attrs.int(),
    validUntil: attrs.int(),
  },
  sessionOpened: {
    id: attrs.hash(),
    lot: attrs.text(),
    plateHash: attrs.hash(),
    vehicle: attrs.text(),
    entry: attrs.int(),
    gate: attrs.text(),
    tariffVersion: attrs.int(),
  },
  /** An open session left behind by a new entry of the same plate, or an exit without entry. */
  sessionOrphaned: {
    id: attrs.hash(),
    lot: attrs.text(),
    reason: attrs.oneOf(['noEntry', 'superseded'] as const),
  },
  sessionClosed: {
    id: attrs.hash(),
    lot: attrs.text(),
    exit: attrs.int(),
    gate: attrs.text(),
    fee: attrs.amount(),
    paid: attrs.amount(),
  },
  paid: {
    receipt: attrs.text(),
    session: attrs.hash(),
    lot: attrs.text(),
    payer: attrs.address(),
    symbol: attrs.text(),
    amount: attrs.amount(),
    total: attrs.amount(),
    tariffVersion: attrs.int(),
    tariffHash: attrs.hash(),
    date: attrs.text(),
  },
  refunded: {
    receipt: attrs.text(),
    session: attrs.hash(),
    amount: attrs.amount(),
    reason: attrs.text(),
    by: attrs.address(),
  },
  adjusted: {
    id: attrs.text(),
    session: attrs.hash(),
    delta: attrs.text(),
    reason: attrs.text(),
    by: attrs.address(),
  },
  occupancyCounted: { lot: attrs.text(), counted: attrs.int(), derived: attrs.int() },
  settled: {
    id: attrs.text(),
    date: attrs.text(),
    aggregator: attrs.address(),
    total: attrs.amount(),
    fees: attrs.amount(),
    lines: attrs.list(
      attrs.struct({
        lot: attrs.text(),
        operator: attrs.text(),
        account: attrs.address(),
        net: attrs.amount(),
        fee: attrs.amount(),
        share: attrs.amount(),
      }),
    ),
  },
});
