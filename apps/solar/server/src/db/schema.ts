// The solar app's tables, all in the Postgres schema `solar`. Two kinds:
//   off chain, written by the app: each meter's 15-minute intervals computed from its verified readings
//     (the readings themselves are in appkit_ingest.readings, stream `solar.meters`, one row per signed
//     batch) and how far the aggregation has read;
//   read models of the chain, written only by the indexer (src/indexer.ts) from `energy.*` events: plants,
//     meters, anchored intervals, orders, slots, continuous trades, settlements and their true-ups,
//     certificate lots, subsidy receivables and owners' points credits.
//     `reset` empties exactly these, so a rebuild replays them from genesis.
// Read by drizzle-kit: no driver imports here. Times are ms since the epoch; quantities Wh, money fen.
import { appSchema } from '@gongxin/db/schema';
import { bigint, boolean, integer, jsonb, primaryKey, text } from 'drizzle-orm/pg-core';

export const solar = appSchema('solar');

const ms = (name: string) => bigint(name, { mode: 'number' });
/** Wh and fen as bigint (PostgreSQL bigint, exact). */
const big = (name: string) => bigint(name, { mode: 'bigint' });

// ------------------------------------------------------------------------------------------ off chain

/** A meter's 15-minute interval as computed from its readings (device time). */
export const meterIntervals = solar.table(
  'meter_intervals',
  {
    meter: text('meter').notNull(),
    start: ms('start').notNull(),
    exportWh: big('export_wh').notNull(),
    importWh: big('import_wh').notNull(),
    readings: integer('readings').notNull(),
    /** Hex RFC 6962 root over the interval's reading leaves, in (epoch, seq) order. */
    root: text('root').notNull(),
    /** The (epoch, seq) of each reading under `root`, in leaf order. */
    leaves: jsonb('leaves').$type<[number, number][]>().notNull().default([]),
    /** A counter went down (a new epoch began) in the interval. */
    reset: boolean('reset').notNull(),
    /** Part of the energy is an estimated split of a gap across intervals. */
    estimated: boolean('estimated').notNull(),
    /** The revision anchored on chain last, null before the first anchor. */
    anchoredRevision: integer('anchored_revision'),
    /** The values changed after an anchor and wait to be anchored again (a true-up). */
    dirty: boolean('dirty').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.meter, t.start] })],
);

/**
 * The readings under each anchored root, by revision: a reading's audit path is computed over exactly the
 * set that was anchored, so a reading that arrived after its interval's final anchor cannot change the
 * path of the others (it is shown as recorded after the anchor, not in it).
 */
export const anchoredLeaves = solar.table(
  'anchored_leaves',
  {
    meter: text('meter').notNull(),
    start: ms('start').notNull(),
    revision: integer('revision').notNull(),
    root: text('root').notNull(),
    leaves: jsonb('leaves').$type<[number, number][]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.meter, t.start, t.revision] })],
);

/** How far the aggregation has read the ingest table (received_at of the newest row taken). */
export const aggregationCursor = solar.table('aggregation_cursor', {
  id: text('id').primaryKey(),
  receivedAt: ms('received_at').notNull(),
});

/**
 * The newest reading time (device clock, UTC ms) the aggregation has taken in, per meter: an interval
 * is determined once a reading after its end is in. Kept as the passes read readings, so deciding what
 * is due never scans a meter's whole history.
 */
export const meterNewest = solar.table('meter_newest', {
  meter: text('meter').primaryKey(),
  ts: ms('ts').notNull(),
});

// ------------------------------------------------------------------------------------------ read models

export const plants = solar.table('plants', {
  id: text('id').primaryKey(),
  owner: text('owner').notNull(),
  name: text('name').notNull(),
  capacityW: big('capacity_w').notNull(),
  latE6: integer('lat_e6').notNull(),
  lonE6: integer('lon_e6').notNull(),
  commissioned: ms('commissioned').notNull(),
  certified: boolean('certified').notNull(),
  height: integer('height').notNull(),
  txId: text('tx_id').notNull(),
});

export const meters = solar.table('meters', {
  id: text('id').primaryKey(),
  plant: text('plant').notNull(),
  owner: text('owner').notNull(),
  /** Ed25519 public key, hex: batches are verified against it. */
  key: text('key').notNull(),
  height: integer('height').notNull(),
  txId: text('tx_id').notNull(),
});

export const anchors = solar.table(
  'anchors',
  {
    meter: text('meter').notNull(),
    start: ms('start').notNull(),
    revision: integer('revision').notNull(),
    plant: text('plant').notNull(),
    root: text('root').notNull(),
    readings: integer('readings').notNull(),
    exportWh: big('export_wh').notNull(),
    importWh: big('import_wh').notNull(),
    reset: boolean('reset').notNull(),
    estimated: boolean('estimated').notNull(),
    height: integer('height').notNull(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
  },
  (t) => [primaryKey({ columns: [t.meter, t.start, t.revision] })],
);

export const orders = solar.table('orders', {
  id: text('id').primaryKey(),
  slot: ms('slot').notNull(),
  side: text('side').notNull(),
  account: text('account').notNull(),
  plant: text('plant'),
  wh: big('wh').notNull(),
  price: big('price').notNull(),
  green: boolean('green').notNull(),
  status: text('status').notNull(),
  filledWh: big('filled_wh').notNull(),
  energyFen: big('energy_fen').notNull(),
  feeFen: big('fee_fen').notNull(),
  height: integer('height').notNull(),
  txId: text('tx_id').notNull(),
  /** Block and tx that filled the order (the slot's clearing or, for continuous slots, its close). */
  filledHeight: integer('filled_height'),
  filledTxId: text('filled_tx_id'),
});

/** A continuous slot's trade (`energy.traded`): keyed by its event's place in the chain. */
export const trades = solar.table(
  'trades',
  {
    height: integer('height').notNull(),
    eventIndex: integer('event_index').notNull(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
    slot: ms('slot').notNull(),
    sellOrder: text('sell_order').notNull(),
    buyOrder: text('buy_order').notNull(),
    seller: text('seller').notNull(),
    buyer: text('buyer').notNull(),
    wh: big('wh').notNull(),
    price: big('price').notNull(),
    energyFen: big('energy_fen').notNull(),
    feeFen: big('fee_fen').notNull(),
  },
  (t) => [primaryKey({ columns: [t.height, t.eventIndex] })],
);

/** A true-up of a settled slot after an estimated interval was revised (`energy.settlementTrueUp`). */
export const trueUps = solar.table(
  'true_ups',
  {
    height: integer('height').notNull(),
    eventIndex: integer('event_index').notNull(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
    slot: ms('slot').notNull(),
    plant: text('plant').notNull(),
    deliveredWh: big('delivered_wh').notNull(),
    toSellerFen: big('to_seller_fen').notNull(),
    toGridFen: big('to_grid_fen').notNull(),
  },
  (t) => [primaryKey({ columns: [t.height, t.eventIndex] })],
);

/** Points credited to a plant's owner from anchored export (`energy.pointsCredited`, contract v2). */
export const pointCredits = solar.table(
  'point_credits',
  {
    height: integer('height').notNull(),
    eventIndex: integer('event_index').notNull(),
    txId: text('tx_id').notNull(),
    time: ms('time').notNull(),
    plant: text('plant').notNull(),
    owner: text('owner').notNull(),
    symbol: text('symbol').notNull(),
    points: big('points').notNull(),
    /** The plant's points credited ever, after this credit. */
    earned: big('earned').notNull(),
    carryWh: big('carry_wh').notNull(),
  },
  (t) => [primaryKey({ columns: [t.height, t.eventIndex] })],
);

export const slots = solar.table('slots', {
  slot: ms('slot').primaryKey(),
  status: text('status').notNull(),
  price: big('price'),
  volume: big('volume').notNull(),
  energyFen: big('energy_fen').notNull(),
  feeFen: big('fee_fen').notNull(),
  height: integer('height').notNull(),
  txId: text('tx_id').notNull(),
});

export const settlements = solar.table(
  'settlements',
  {
    slot: ms('slot').notNull(),
    plant: text('plant').notNull(),
    soldWh: big('sold_wh').notNull(),
    deliveredWh: big('delivered_wh').notNull(),
    imbalanceFen: big('imbalance_fen').notNull(),
    feedInFen: big('feed_in_fen').notNull(),
    estimated: boolean('estimated').notNull(),
    height: integer('height').notNull(),
    txId: text('tx_id').notNull(),
    /** Block time of the settlement, ms (null for rows indexed before the column existed). */
    time: ms('time'),
  },
  (t) => [primaryKey({ columns: [t.slot, t.plant] })],
);

export const lots = solar.table('lots', {
  id: text('id').primaryKey(),
  plant: text('plant').notNull(),
  month: text('month').notNull(),
  owner: text('owner').notNull(),
  count: integer('count').notNull(),
  status: text('status').notNull(),
  expires: ms('expires').notNull(),
  beneficiary: text('beneficiary'),
  height: integer('height').notNull(),
  txId: text('tx_id').notNull(),
});

export const subsidies = solar.table('subsidies', {
  id: text('id').primaryKey(),
  plant: text('plant').notNull(),
  month: text('month').notNull(),
  wh: big('wh').notNull(),
  faceFen: big('face_fen').notNull(),
  holder: text('holder').notNull(),
  status: text('status').notNull(),
  askFen: big('ask_fen'),
  height: integer('height').notNull(),
  txId: text('tx_id').notNull(),
});

/** The tables the indexer writes; `reset` empties exactly these. */
export const readModels = [
  plants,
  meters,
  anchors,
  orders,
  trades,
  slots,
  settlements,
  trueUps,
  lots,
  subsidies,
  pointCredits,
] as const;
