// The welfare app's tables, all in the Postgres schema `welfare`. Two kinds:
//   off chain, written by the app: prepared payment lists (the original of each batch; only its Merkle
//     root goes on chain), kept so each payment can be shown with its inclusion proof;
//   read models of the chain, written only by the indexer (src/indexer.ts) from `welfare.*` events:
//     areas, households, applications with objections, decisions, envelopes, batches, payments, cycles
//     and alerts. `reset` empties exactly these, so a rebuild replays them from genesis.
// Read by drizzle-kit: no driver imports here. Times are ms since the epoch (bigint, read as number).
import { appSchema, money } from '@gongxin/db/schema';
import { bigint, boolean, index, integer, jsonb, primaryKey, text } from 'drizzle-orm/pg-core';
import { messagesTable } from '../inbox/table';
import { grievanceTables } from './grievances';

export const welfare = appSchema('welfare');
const ms = (name: string) => bigint(name, { mode: 'number' });

export interface PaymentJson {
  household: string;
  idHash: string;
  account: string;
  amount: string;
}

// ------------------------------------------------------------------------------------------ off chain

/** A payment list as computed for a batch, keyed by its Merkle root (what the disburse tx carries). */
export const preparedBatches = welfare.table('prepared_batches', {
  root: text('root').primaryKey(),
  area: text('area').notNull(),
  period: text('period').notNull(),
  payments: jsonb('payments').$type<PaymentJson[]>().notNull(),
  createdAt: ms('created_at').notNull(),
});

/** Messages between officers and recipients (src/inbox): off chain, kept across a rebuild. */
export const messages = messagesTable(welfare);

/**
 * Grievances (申诉): `grievances` is a read model (emptied by `reset` with the others); `grievanceTexts`
 * (their words, by hash) is off chain.
 */
export const { grievances, grievanceTexts } = grievanceTables(welfare);

// ------------------------------------------------------------------------------------------ read models

export const areas = welfare.table('areas', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  symbol: text('symbol').notNull(),
  standard: money('standard'),
  standardFrom: text('standard_from'),
  height: integer('height').notNull(),
});

export const households = welfare.table(
  'households',
  {
    id: text('id').primaryKey(),
    area: text('area').notNull(),
    members: integer('members').notNull(),
    status: text('status').notNull(),
    category: text('category'),
    monthly: money('monthly'),
    openedBy: text('opened_by').notNull(),
    height: integer('height').notNull(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
  },
  (t) => [index('households_area').on(t.area)],
);

export const applications = welfare.table('applications', {
  id: text('id').primaryKey(),
  household: text('household').notNull(),
  step: text('step').notNull(),
  reports: jsonb('reports').$type<string[]>().notNull(),
  noticeEnds: ms('notice_ends'),
  height: integer('height').notNull(),
  txId: text('tx_id').notNull(),
  updatedAt: ms('updated_at').notNull(),
});

export const objections = welfare.table(
  'objections',
  {
    application: text('application').notNull(),
    objection: integer('objection').notNull(),
    evidence: text('evidence').notNull(),
    upheld: boolean('upheld'),
    open: boolean('open').notNull(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
  },
  (t) => [primaryKey({ columns: [t.application, t.objection] })],
);

export const decisions = welfare.table('decisions', {
  application: text('application').primaryKey(),
  household: text('household').notNull(),
  category: text('category').notNull(),
  eligible: boolean('eligible').notNull(),
  monthly: money('monthly').notNull(),
  ruleVersion: integer('rule_version').notNull(),
  standardVersion: integer('standard_version').notNull(),
  inputsHash: text('inputs_hash').notNull(),
  height: integer('height').notNull(),
  txId: text('tx_id').notNull(),
  time: ms('time').notNull(),
});

export const envelopes = welfare.table(
  'envelopes',
  {
    area: text('area').notNull(),
    period: text('period').notNull(),
    count: integer('count').notNull(),
    total: money('total').notNull(),
  },
  (t) => [primaryKey({ columns: [t.area, t.period] })],
);

export const batches = welfare.table(
  'batches',
  {
    id: text('id').primaryKey(),
    area: text('area').notNull(),
    period: text('period').notNull(),
    root: text('root').notNull(),
    count: integer('count').notNull(),
    total: money('total').notNull(),
    paid: money('paid').notNull(),
    failed: money('failed').notNull(),
    returned: money('returned').notNull(),
    height: integer('height').notNull(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
  },
  (t) => [index('batches_cycle').on(t.area, t.period)],
);

/** Payments of committed batches whose payment list this server holds (prepared here). */
export const payments = welfare.table(
  'payments',
  {
    batch: text('batch').notNull(),
    position: integer('position').notNull(),
    household: text('household').notNull(),
    idHash: text('id_hash').notNull(),
    account: text('account').notNull(),
    amount: money('amount').notNull(),
    area: text('area').notNull(),
    period: text('period').notNull(),
    height: integer('height').notNull(),
    txId: text('tx_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.batch, t.position] }), index('payments_account').on(t.account)],
);

export const cycles = welfare.table(
  'cycles',
  {
    area: text('area').notNull(),
    period: text('period').notNull(),
    issued: money('issued').notNull(),
    paid: money('paid').notNull(),
    failed: money('failed').notNull(),
    returned: money('returned').notNull(),
    closed: boolean('closed').notNull(),
  },
  (t) => [primaryKey({ columns: [t.area, t.period] })],
);

export const alerts = welfare.table('alerts', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  subject: text('subject').notNull(),
  detail: text('detail').notNull(),
  owner: text('owner').notNull(),
  deadline: ms('deadline').notNull(),
  outcome: text('outcome'),
  height: integer('height').notNull(),
  txId: text('tx_id').notNull(),
  time: ms('time').notNull(),
});

export const readModels = [
  areas,
  households,
  applications,
  objections,
  decisions,
  envelopes,
  batches,
  payments,
  cycles,
  alerts,
] as const;
