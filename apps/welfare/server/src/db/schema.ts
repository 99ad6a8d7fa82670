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

export type PaymentState = 'sent' | 'paid' | 'failed' | 'returned';

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

/**
 * Which failed or returned payment each payment of a re-issue (补发) list pays again: by the list's Merkle
 * root and position, so a rebuild links them again. A root may recur (a re-issue can have the very leaves
 * of the batch it repeats), so a (root, position) may name several originals: the indexer links the one
 * still failed or returned and not yet re-issued when the batch commits.
 */
export const reissueLinks = welfare.table(
  'reissue_links',
  {
    root: text('root').notNull(),
    position: integer('position').notNull(),
    originalBatch: text('original_batch').notNull(),
    originalPosition: integer('original_position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.root, t.position, t.originalBatch, t.originalPosition] })],
);

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
    /**
     * The head of household's passport account (the file's first member on chain), from the event that
     * opened it: staff lists name the head from it without reading the chain per row. Null for a file
     * opened by an event older than the `head` attribute.
     */
    head: text('head'),
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
    /** As the chain holds it: sent, then paid, failed or returned (outcomesRecorded). */
    state: text('state').$type<PaymentState>().notNull().default('sent'),
    /** The bank's words for a failed or returned payment, as recorded on chain. */
    reason: text('reason'),
    /** The tx and block that recorded the outcome. */
    outcomeTxId: text('outcome_tx_id'),
    outcomeHeight: integer('outcome_height'),
    /** The failed or returned payment this one re-issues (补发), if it is a re-issue. */
    reissueOfBatch: text('reissue_of_batch'),
    reissueOfPosition: integer('reissue_of_position'),
  },
  (t) => [
    primaryKey({ columns: [t.batch, t.position] }),
    index('payments_account').on(t.account),
    index('payments_cycle').on(t.area, t.period),
  ],
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
  /**
   * The households the alert is about, as the indexer read them when it was raised: its subject where
   * that is a household of the read model (a refused payment's), the households sharing a bank account
   * (a shared-account alert's detail), else none. Their areas are the alert's: the area filter and the
   * names join through them.
   */
  households: text('households').array().notNull().default([]),
  owner: text('owner').notNull(),
  deadline: ms('deadline').notNull(),
  outcome: text('outcome'),
  height: integer('height').notNull(),
  txId: text('tx_id').notNull(),
  time: ms('time').notNull(),
  /** Who gave the outcome, and the block and tx of the alertResolved event: null while open. */
  resolvedBy: text('resolved_by'),
  resolvedHeight: integer('resolved_height'),
  resolvedTx: text('resolved_tx'),
  resolvedAt: ms('resolved_at'),
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
