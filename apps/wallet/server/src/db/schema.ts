// The wallet's read models, all in the Postgres schema `wallet`, built by the indexer from the assets
// contract's events (see src/indexer.ts). Read by drizzle-kit: no driver imports here. Amounts are
// `money` (int8 smallest units, read as bigint); times are block times in ms since the epoch.
import { appSchema, money } from '@gongxin/db/schema';
import { bigint, index, integer, primaryKey, text } from 'drizzle-orm/pg-core';
import { DIRECTIONS, HISTORY_KINDS, PACKET_STATUSES } from '../kinds';

export const wallet = appSchema('wallet');

const height = (name: string) => bigint(name, { mode: 'number' });
const ms = (name: string) => bigint(name, { mode: 'number' });

/**
 * Assets issued by an `issue` action (assets created by the genesis document emit no event and are
 * not here: the router reads those from chain state). `supply` follows the `supply` of minted/burned.
 */
export const assets = wallet.table(
  'assets',
  {
    symbol: text('symbol').primaryKey(),
    name: text('name').notNull(),
    decimals: integer('decimals').notNull(),
    issuer: text('issuer').notNull(),
    policy: text('policy', { enum: ['fixed', 'mintable'] }).notNull(),
    supply: money('supply').notNull(),
    issuedHeight: height('issued_height').notNull(),
    issuedTxId: text('issued_tx_id').notNull(),
    issuedAt: ms('issued_at_ms').notNull(),
  },
  (t) => [index('assets_issuer_idx').on(t.issuer)],
);

/**
 * Balances of the assets in `assets`, folded from minted/transferred/burned/locked/unlocked (every
 * balance change emits one of them). Only kept for assets whose whole life the indexer saw, so they are
 * exact; zero balances are deleted, like the contract does.
 */
export const holdings = wallet.table(
  'holdings',
  {
    symbol: text('symbol').notNull(),
    account: text('account').notNull(),
    amount: money('amount').notNull(),
  },
  (t) => [primaryKey({ columns: [t.symbol, t.account] })],
);

/**
 * One row per (event, account it concerns): a transfer is an `out` row of the sender and an `in` row of
 * the recipient. Keyed by the event's position, so the history pages by (height, event index).
 */
export const history = wallet.table(
  'history',
  {
    height: height('height').notNull(),
    eventIndex: integer('event_index').notNull(),
    account: text('account').notNull(),
    txId: text('tx_id').notNull(),
    time: ms('time_ms').notNull(),
    kind: text('kind', { enum: HISTORY_KINDS }).notNull(),
    direction: text('direction', { enum: DIRECTIONS }).notNull(),
    symbol: text('symbol').notNull(),
    /** null for issue/freeze/unfreeze. */
    amount: money('amount'),
    /** The other side: recipient/sender, the issuer of a mint, the creator of a claimed packet, who froze. */
    counterparty: text('counterparty'),
    memo: text('memo'),
    /** The red packet id (packet kinds), the lock ref (lock/unlock), the reason (freeze/unfreeze). */
    ref: text('ref'),
  },
  (t) => [
    primaryKey({ columns: [t.height, t.eventIndex, t.account] }),
    index('history_account_idx').on(t.account, t.height, t.eventIndex),
    index('history_account_symbol_idx').on(t.account, t.symbol, t.height, t.eventIndex),
  ],
);

export const packets = wallet.table(
  'packets',
  {
    id: text('id').primaryKey(),
    symbol: text('symbol').notNull(),
    creator: text('creator').notNull(),
    total: money('total').notNull(),
    count: integer('count').notNull(),
    split: text('split', { enum: ['equal', 'random'] }).notNull(),
    expiresAt: ms('expires_at_ms').notNull(),
    status: text('status', { enum: PACKET_STATUSES }).notNull(),
    /** Not yet claimed; for a refunded packet what went back to the creator. */
    remaining: money('remaining').notNull(),
    claimed: integer('claimed').notNull(),
    createdHeight: height('created_height').notNull(),
    createdTxId: text('created_tx_id').notNull(),
    createdAt: ms('created_at_ms').notNull(),
    /** When it was emptied or refunded. */
    closedAt: ms('closed_at_ms'),
    refundTxId: text('refund_tx_id'),
  },
  (t) => [index('packets_creator_idx').on(t.creator, t.createdHeight)],
);

export const packetClaims = wallet.table(
  'packet_claims',
  {
    packetId: text('packet_id').notNull(),
    claimer: text('claimer').notNull(),
    amount: money('amount').notNull(),
    height: height('height').notNull(),
    eventIndex: integer('event_index').notNull(),
    txId: text('tx_id').notNull(),
    claimedAt: ms('claimed_at_ms').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.packetId, t.claimer] }),
    index('packet_claims_claimer_idx').on(t.claimer, t.height),
  ],
);
