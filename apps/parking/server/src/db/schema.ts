// The parking app's tables, all in the Postgres schema `parking`. Two kinds:
//   off chain, written by the app: which ingested gate events were handed to the chain (`processed`), the
//     reconciliation list (`reconciliation`: what a gate decided offline vs what the chain priced), and
//     the plates drivers bound to their passport accounts (`boundPlates`: never on chain);
//   read models of the chain, written only by the indexer (src/indexer.ts) from `parking.*` events:
//     operators, lots, gates, sessions, receipts, adjustments and settlement statements. `reset` empties
//     exactly these, so a rebuild replays them from genesis.
// Read by drizzle-kit: no driver imports here. Times are ms since the epoch.
import { appSchema, money } from '@gongxin/db/schema';
import { bigint, index, integer, jsonb, primaryKey, text } from 'drizzle-orm/pg-core';

export const parking = appSchema('parking');
const ms = (name: string) => bigint(name, { mode: 'number' });

// ------------------------------------------------------------------------------------------ off chain

/** Gate events (ingest keys) already queued for the chain, with the session they made. */
export const processed = parking.table('processed', {
  key: text('key').primaryKey(),
  eventHash: text('event_hash').notNull(),
  kind: text('kind').notNull(),
  processedAt: ms('processed_at').notNull(),
});

/** What a gate decided on its own (often offline) and what the chain later priced, where they differ. */
export const reconciliation = parking.table('reconciliation', {
  session: text('session').primaryKey(),
  lot: text('lot').notNull(),
  gate: text('gate').notNull(),
  plate: text('plate').notNull(),
  gateReason: text('gate_reason').notNull(),
  gateDueFen: money('gate_due_fen').notNull(),
  gateTariffVersion: integer('gate_tariff_version'),
  chainFeeFen: money('chain_fee_fen').notNull(),
  chainPaidFen: money('chain_paid_fen').notNull(),
  differenceFen: money('difference_fen').notNull(),
  listedAt: ms('listed_at').notNull(),
});

/** Plates the app saw, by their keyed hash (the chain only has the hash). */
export const plates = parking.table('plates', {
  plateHash: text('plate_hash').primaryKey(),
  plate: text('plate').notNull(),
});

/**
 * A driver's own vehicles: plates bound to a passport account (the session's chain address), so the
 * driver's page opens on them. Kept here only: the chain knows a plate by its keyed hash and never whose
 * it is. Not a read model: a rebuild from genesis leaves it alone.
 */
export const boundPlates = parking.table(
  'bound_plates',
  {
    subject: text('subject').notNull(),
    plate: text('plate').notNull(),
    plateHash: text('plate_hash').notNull(),
    boundAt: ms('bound_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.subject, t.plate] })],
);

// ------------------------------------------------------------------------------------------ read models

export const operators = parking.table('operators', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  account: text('account').notNull(),
  height: integer('height').notNull(),
});

export const lots = parking.table('lots', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  operator: text('operator').notNull(),
  capacity: integer('capacity').notNull(),
  fixedSpaces: integer('fixed_spaces').notNull(),
  symbol: text('symbol').notNull(),
  feeBps: integer('fee_bps').notNull(),
  tariffVersion: integer('tariff_version').notNull(),
  tariffHash: text('tariff_hash'),
  open: integer('open').notNull(),
  counted: integer('counted'),
  height: integer('height').notNull(),
});

export const gates = parking.table(
  'gates',
  {
    lot: text('lot').notNull(),
    gate: text('gate').notNull(),
    key: text('key').notNull(),
    height: integer('height').notNull(),
  },
  (t) => [primaryKey({ columns: [t.lot, t.gate] })],
);

export const sessions = parking.table(
  'sessions',
  {
    id: text('id').primaryKey(),
    lot: text('lot').notNull(),
    plateHash: text('plate_hash').notNull(),
    vehicle: text('vehicle').notNull(),
    entry: ms('entry'),
    exit: ms('exit'),
    entryGate: text('entry_gate'),
    exitGate: text('exit_gate'),
    tariffVersion: integer('tariff_version'),
    status: text('status').notNull(),
    orphan: text('orphan'),
    feeFen: money('fee_fen'),
    paidFen: money('paid_fen').notNull(),
    adjustedFen: money('adjusted_fen').notNull(),
    height: integer('height').notNull(),
    txId: text('tx_id').notNull(),
  },
  (t) => [index('sessions_plate').on(t.plateHash), index('sessions_lot').on(t.lot, t.status)],
);

export const receipts = parking.table(
  'receipts',
  {
    id: text('id').primaryKey(),
    session: text('session').notNull(),
    lot: text('lot').notNull(),
    payer: text('payer').notNull(),
    symbol: text('symbol').notNull(),
    amount: money('amount').notNull(),
    total: money('total').notNull(),
    tariffVersion: integer('tariff_version').notNull(),
    tariffHash: text('tariff_hash').notNull(),
    date: text('date').notNull(),
    refunded: text('refunded'),
    height: integer('height').notNull(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
  },
  (t) => [index('receipts_session').on(t.session), index('receipts_date').on(t.date)],
);

export const adjustments = parking.table('adjustments', {
  id: text('id').primaryKey(),
  session: text('session').notNull(),
  delta: money('delta').notNull(),
  reason: text('reason').notNull(),
  by: text('by').notNull(),
  height: integer('height').notNull(),
});

export const statements = parking.table('statements', {
  id: text('id').primaryKey(),
  date: text('date').notNull(),
  aggregator: text('aggregator').notNull(),
  total: money('total').notNull(),
  fees: money('fees').notNull(),
  lines: jsonb('lines').notNull(),
  height: integer('height').notNull(),
  txId: text('tx_id').notNull(),
  time: ms('time').notNull(),
});

/** The tables the indexer fills; a rebuild empties exactly these. */
export const readModels = [operators, lots, gates, sessions, receipts, adjustments, statements] as const;
