// Solar energy trading (能源链): plants registered as assets of their owners, meters bound to a plant
// and the gateway's device key, 15-minute intervals of verified readings anchored as Merkle roots by the
// solar app's ingester, orders per 15-minute slot placed before it and matched pay-as-clear (one price
// per slot, the marginal level rationed by largest remainder) or, as the market's second mode,
// continuously (each order trades on arrival at the resting order's price), ex-post settlement against the anchored
// readings (shortfall at the imbalance price, surplus at the feed-in tariff), green certificates (绿证:
// one per 1,000 kWh, remainder carried, two years valid, claimed atomically, never for MWh sold as green
// power) and subsidy receivables per plant-month. Payment is in the on-chain CNY asset the operator
// configures. Roles come from identity under app `energy`: operator (grid operator), ingester.
import {
  type Address,
  type ContractContext,
  ContractError,
  type ContractModule,
  defineAction,
} from '@gongxin/ledger';
import { z } from 'zod';
import { lock, transferBetween, unlock } from '../assets/library';
import { assetOf } from '../assets/views';
import {
  actionId,
  checkAmount,
  parseGenesis,
  zAddress,
  zAmount,
  zGenesisInteger,
  zHash32,
  zName,
  zSupply,
  zSymbol,
  zText,
} from '../common';
import { isRegistered } from '../identity/views';
import { energyEvents } from './events';
import {
  type BookOrder,
  buyLock,
  clearPayAsClear,
  deliverySettlement,
  fenFloor,
  lineAmounts,
  matchContinuous,
  minBig,
  type Trade,
} from './market';
import {
  type CertificateLot,
  certificateExpiry,
  certificateLotOf,
  deliveryOf,
  ENERGY_INGESTER_ROLE,
  ENERGY_OPERATOR_ROLE,
  type EnergyConfig,
  energyConfigOf,
  energyKeys,
  energyOrderOf,
  energySlotOf,
  hasEnergyRole,
  type IntervalAnchor,
  intervalOf,
  MATCHING_MODES,
  type Meter,
  type MonthRecord,
  meterOf,
  monthEnd,
  monthOf,
  monthOfTime,
  type Order,
  type Plant,
  plantOf,
  type Settlement,
  SLOT_MS,
  type Slot,
  settlementOf,
  subsidyOf,
  WH_PER_CERTIFICATE,
} from './views';

/** Orders one slot may hold: its clearing runs in one tx. */
export const MAX_SLOT_ORDERS = 256;
export const MAX_PLANT_METERS = 16;
/** Orders may be placed at most this far ahead of their slot (a week). */
export const MAX_ORDER_AHEAD_MS = 7 * 86_400_000;
/** An interval holds at most this much energy per meter (1 GWh): bounds a mistyped anchor. */
export const MAX_INTERVAL_WH = 1_000_000_000n;

const zCode = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'an id is 1–64 of A-Z, a-z, 0-9, _ . -, starting with a letter or digit',
  );
const zSlot = z
  .number()
  .int()
  .min(0)
  .refine((s) => s % SLOT_MS === 0, 'a slot starts on a 15-minute boundary (ms, a multiple of 900000)');
const zMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month is YYYY-MM');
/** A price in a tx: fen/MWh, at most 10^11. */
export const zPrice = zSupply.refine((p) => p <= 100_000_000_000n, 'a price is fen/MWh, at most 10^11');
const zId = z.string().regex(/^[0-9a-f]{64}(:\d{1,4})?$/, 'an id is a tx id, with :<action> after the first');
const zCount = z.number().int().min(1).max(1_000_000_000);

function requireConfig(ctx: ContractContext): EnergyConfig {
  const config = energyConfigOf(ctx);
  if (!config) throw new ContractError('not_found', 'the energy market is not configured yet');
  return config;
}

export function requireOperator(ctx: ContractContext, what: string): void {
  if (!hasEnergyRole(ctx, ctx.sender, ENERGY_OPERATOR_ROLE))
    throw new ContractError('not_authorized', `only the grid operator (energy/operator) may ${what}`);
}

function requirePlant(ctx: ContractContext, id: string): Plant {
  const plant = plantOf(ctx, id);
  if (!plant) throw new ContractError('not_found', `no plant ${id}`);
  return plant;
}

function requireOwner(ctx: ContractContext, plant: Plant, what: string): void {
  if (plant.owner !== ctx.sender)
    throw new ContractError(
      'not_authorized',
      `only ${plant.owner}, the owner of plant ${plant.id}, may ${what}`,
    );
}

function savePlant(ctx: ContractContext, plant: Plant): void {
  ctx.set(energyKeys.plant(plant.id), { ...plant, meters: [...plant.meters] } as never);
}

function saveOrder(ctx: ContractContext, order: Order): void {
  const { plant, ...rest } = order;
  ctx.set(energyKeys.order(order.id), { ...rest, ...(plant !== undefined && { plant }) } as never);
}

function saveMonth(ctx: ContractContext, plant: string, month: string, record: MonthRecord): void {
  ctx.set(energyKeys.month(plant, month), record as never);
}

function addMonth(
  ctx: ContractContext,
  plant: string,
  month: string,
  change: Partial<Record<keyof MonthRecord, unknown>>,
) {
  saveMonth(ctx, plant, month, { ...monthOf(ctx, plant, month), ...(change as Partial<MonthRecord>) });
}

const orderRef = (id: string) => `energy:order:${id}`;

/** An order with one more continuous trade: its volume and money (a seller pays no fee). */
function fillOrder(order: Order, t: Trade): Order {
  return {
    ...order,
    filledWh: order.filledWh + t.wh,
    energyFen: order.energyFen + t.energyFen,
    feeFen: order.feeFen + (order.side === 'buy' ? t.feeFen : 0n),
  };
}

/** Fen the grid owes the seller for a delivery (negative: the seller owes the grid), as paid. */
function payNet(ctx: ContractContext, config: EnergyConfig, owner: Address, net: bigint, memo: string): void {
  if (net > 0n) transferBetween(ctx, config.currency, config.operator, owner, net, memo);
  else if (net < 0n) transferBetween(ctx, config.currency, owner, config.operator, -net, memo);
}

const min = minBig;

/** A price in a genesis file: fen/MWh, 0–10^11. */
export const zGenesisPrice = zGenesisInteger.refine(
  (p) => p >= 0n && p <= 100_000_000_000n,
  'a price is fen/MWh',
);
/** The market's configuration in a genesis file (v2 extends it). */
export const zEnergyGenesisConfig = z
  .object({
    currency: zSymbol,
    operator: zAddress,
    gridFee: zGenesisPrice,
    imbalance: zGenesisPrice,
    feedIn: zGenesisPrice,
    subsidyRate: zGenesisPrice,
    matching: z.enum(MATCHING_MODES).optional(),
  })
  .strict();
/** The energy section of a genesis file: the market's configuration, if it starts configured. */
export const zEnergyGenesis = z.object({ config: zEnergyGenesisConfig.optional() }).strict();
/** The `configure` action's params (v2 extends them). */
export const zConfigureParams = z
  .object({
    currency: zSymbol,
    gridFee: zPrice,
    imbalance: zPrice,
    feedIn: zPrice,
    subsidyRate: zPrice,
    /** How slots opened from now on are matched; slots with orders keep their mode. */
    matching: z.enum(MATCHING_MODES).optional(),
  })
  .strict();

export const energyContract: ContractModule = {
  name: 'energy',
  version: 1,
  /** A new chain may start with the market configured (the currency asset must be issued at genesis). */
  genesis(ctx, section) {
    const { config } = parseGenesis('energy', zEnergyGenesis, section);
    if (!config) return;
    if (!assetOf(ctx, config.currency))
      throw new Error(`genesis section "energy": no asset ${config.currency}`);
    ctx.set(energyKeys.config(), config as never);
  },
  actions: {
    /** The grid operator sets the currency and tariffs (fen/MWh); it is the grid's account from then on. */
    configure: defineAction(zConfigureParams, (ctx, p) => {
      requireOperator(ctx, 'configure the energy market');
      if (!assetOf(ctx, p.currency)) throw new ContractError('not_found', `no asset ${p.currency}`);
      const config: EnergyConfig = { ...p, operator: ctx.sender };
      ctx.set(energyKeys.config(), config as never);
      energyEvents.emit(ctx, 'configured', config);
    }),

    registerPlant: defineAction(
      z
        .object({
          id: zCode,
          name: zName,
          capacityW: zAmount.refine((w) => w <= 10_000_000_000n, 'capacityW is W, at most 10 GW'),
          lat: z.number().int().min(-90_000_000).max(90_000_000),
          lon: z.number().int().min(-180_000_000).max(180_000_000),
          commissioned: z.number().int().min(0),
        })
        .strict(),
      (ctx, p) => {
        if (!isRegistered(ctx, ctx.sender))
          throw new ContractError(
            'not_authorized',
            `${ctx.sender} has no identity account; register it first`,
          );
        if (plantOf(ctx, p.id)) throw new ContractError('already_exists', `plant ${p.id} exists`);
        if (p.commissioned > ctx.time)
          throw new ContractError('not_allowed', 'commissioned lies after the block time');
        const plant: Plant = {
          id: p.id,
          owner: ctx.sender,
          name: p.name,
          capacityW: p.capacityW,
          latE6: p.lat,
          lonE6: p.lon,
          commissioned: p.commissioned,
          meters: [],
          certified: false,
          anchoredWh: 0n,
          greenWh: 0n,
          certifiedWh: 0n,
          carryWh: 0n,
          at: ctx.height,
        };
        savePlant(ctx, plant);
        energyEvents.emit(ctx, 'plantRegistered', {
          id: p.id,
          owner: ctx.sender,
          name: p.name,
          capacityW: p.capacityW,
          latE6: p.lat,
          lonE6: p.lon,
          commissioned: p.commissioned,
        });
      },
    ),

    /** The operator certifies a plant as renewable: only certified plants earn certificates and subsidies. */
    certifyPlant: defineAction(z.object({ id: zCode }).strict(), (ctx, { id }) => {
      requireOperator(ctx, 'certify plants');
      const plant = requirePlant(ctx, id);
      if (plant.certified) throw new ContractError('already_exists', `plant ${id} is certified`);
      savePlant(ctx, { ...plant, certified: true });
      energyEvents.emit(ctx, 'plantCertified', { id, by: ctx.sender });
    }),

    /** Binds a meter to the owner's plant and the gateway's Ed25519 device key (32 bytes, hex). */
    registerMeter: defineAction(
      z.object({ id: zCode, plant: zCode, key: zHash32 }).strict(),
      (ctx, { id, plant: plantId, key }) => {
        const plant = requirePlant(ctx, plantId);
        requireOwner(ctx, plant, 'register its meters');
        if (meterOf(ctx, id)) throw new ContractError('already_exists', `meter ${id} is registered`);
        if (plant.meters.length >= MAX_PLANT_METERS)
          throw new ContractError('limit_exceeded', `a plant has at most ${MAX_PLANT_METERS} meters`);
        const meter: Meter = { id, plant: plantId, owner: ctx.sender, key, at: ctx.height };
        ctx.set(energyKeys.meter(id), meter as never);
        savePlant(ctx, { ...plant, meters: [...plant.meters, id] });
        energyEvents.emit(ctx, 'meterRegistered', { id, plant: plantId, owner: ctx.sender, key });
      },
    ),

    /**
     * The ingester anchors a meter's 15-minute interval once it has ended. An interval is anchored once,
     * except that an estimated one is trued up by a later revision; after its slot settled, the
     * difference is paid between grid and seller.
     */
    anchorInterval: defineAction(
      z
        .object({
          meter: zCode,
          start: zSlot,
          root: zHash32,
          readings: z.number().int().min(0).max(100_000),
          exportWh: zSupply.refine((w) => w <= MAX_INTERVAL_WH, `at most ${MAX_INTERVAL_WH} Wh per interval`),
          importWh: zSupply.refine((w) => w <= MAX_INTERVAL_WH, `at most ${MAX_INTERVAL_WH} Wh per interval`),
          reset: z.boolean().default(false),
          estimated: z.boolean().default(false),
        })
        .strict(),
      (ctx, p) => {
        if (!hasEnergyRole(ctx, ctx.sender, ENERGY_INGESTER_ROLE))
          throw new ContractError(
            'not_authorized',
            'only the ingester (energy/ingester) may anchor intervals',
          );
        const meter = meterOf(ctx, p.meter);
        if (!meter) throw new ContractError('not_found', `no meter ${p.meter}`);
        if (p.start + SLOT_MS > ctx.time)
          throw new ContractError(
            'not_allowed',
            `interval ${p.start} has not ended at block time ${ctx.time}`,
          );
        const previous = intervalOf(ctx, p.meter, p.start);
        if (previous && !previous.estimated)
          throw new ContractError(
            'already_exists',
            `interval ${p.start} of meter ${p.meter} is anchored and final (revision ${previous.revision})`,
          );
        const plant = requirePlant(ctx, meter.plant);
        const month = monthOfTime(p.start);
        const monthRecord = monthOf(ctx, plant.id, month);
        const delta = p.exportWh - (previous?.exportWh ?? 0n);
        const estimatedDelta = (p.estimated ? 1 : 0) - (previous?.estimated ? 1 : 0);
        let carryWh = plant.carryWh;
        if (monthRecord.issued) {
          // Certificates of the month are out: late or corrected energy goes to the next issue.
          carryWh += delta;
          if (carryWh < 0n)
            throw new ContractError(
              'not_allowed',
              `the correction takes ${-delta} Wh from month ${month}, already certified, beyond the carried ${plant.carryWh} Wh`,
            );
        }
        const anchor: IntervalAnchor = {
          meter: p.meter,
          plant: plant.id,
          start: p.start,
          root: p.root,
          readings: p.readings,
          exportWh: p.exportWh,
          importWh: p.importWh,
          reset: p.reset,
          estimated: p.estimated,
          revision: previous ? previous.revision + 1 : 0,
          by: ctx.sender,
          at: ctx.height,
          time: ctx.time,
          txId: ctx.txIdHex,
        };
        ctx.set(energyKeys.interval(p.meter, p.start), anchor as never);
        const delivery = deliveryOf(ctx, plant.id, p.start);
        const newDelivery = {
          wh: delivery.wh + delta,
          meters: delivery.meters + (previous ? 0 : 1),
          estimated: delivery.estimated + estimatedDelta,
        };
        ctx.set(energyKeys.delivery(plant.id, p.start), newDelivery as never);
        addMonth(ctx, plant.id, month, {
          wh: monthRecord.wh + delta,
          estimated: monthRecord.estimated + estimatedDelta,
        });
        savePlant(ctx, {
          ...plant,
          anchoredWh: checkAmount(plant.anchoredWh + delta, 'anchoredWh'),
          carryWh,
        });
        energyEvents.emit(ctx, 'intervalAnchored', {
          meter: p.meter,
          plant: plant.id,
          start: p.start,
          root: p.root,
          readings: p.readings,
          exportWh: p.exportWh,
          importWh: p.importWh,
          reset: p.reset,
          estimated: p.estimated,
          revision: anchor.revision,
        });
        const settled = settlementOf(ctx, p.start, plant.id);
        if (settled && delta !== 0n) trueUp(ctx, plant, settled, newDelivery.wh, newDelivery.estimated > 0);
      },
    ),

    placeOrder: defineAction(
      z
        .object({
          slot: zSlot,
          side: z.enum(['sell', 'buy']),
          wh: zAmount.refine((w) => w <= MAX_INTERVAL_WH, `at most ${MAX_INTERVAL_WH} Wh per order`),
          price: zPrice,
          plant: zCode.optional(),
          green: z.boolean().default(false),
        })
        .strict()
        .refine(
          (p) => (p.side === 'sell') === (p.plant !== undefined),
          'a sell order names its plant, a buy order none',
        ),
      (ctx, p) => {
        const config = requireConfig(ctx);
        if (ctx.time >= p.slot)
          throw new ContractError(
            'not_allowed',
            `slot ${p.slot} has begun (block time ${ctx.time}); orders go in before it`,
          );
        if (p.slot - ctx.time > MAX_ORDER_AHEAD_MS)
          throw new ContractError('not_allowed', 'orders are placed at most 7 days ahead of their slot');
        if (!isRegistered(ctx, ctx.sender))
          throw new ContractError('not_authorized', `${ctx.sender} has no identity account`);
        const slot: Slot = energySlotOf(ctx, p.slot) ?? {
          slot: p.slot,
          orders: [],
          status: 'open',
          ...(config.matching === 'continuous' && { mode: 'continuous' as const }),
        };
        if (slot.orders.length >= MAX_SLOT_ORDERS)
          throw new ContractError('limit_exceeded', `slot ${p.slot} holds ${MAX_SLOT_ORDERS} orders`);
        const id = actionId(ctx);
        let locked = 0n;
        if (p.side === 'sell') {
          const plant = requirePlant(ctx, p.plant!);
          requireOwner(ctx, plant, 'sell its energy');
          if (plant.meters.length === 0)
            throw new ContractError(
              'not_allowed',
              `plant ${plant.id} has no meter: its delivery could not be settled`,
            );
          if (p.green) {
            if (!plant.certified)
              throw new ContractError(
                'not_allowed',
                `plant ${plant.id} is not certified: it cannot sell green power`,
              );
            const month = monthOfTime(p.slot);
            const record = monthOf(ctx, plant.id, month);
            addMonth(ctx, plant.id, month, { greenPending: record.greenPending + 1 });
          }
        } else {
          locked = buyLock(p.wh, p.price, config.gridFee);
          if (locked > 0n) lock(ctx, config.currency, ctx.sender, locked, orderRef(id));
        }
        let order: Order = {
          id,
          slot: p.slot,
          side: p.side,
          account: ctx.sender,
          ...(p.plant !== undefined && { plant: p.plant }),
          wh: p.wh,
          price: p.price,
          green: p.green,
          seq: slot.orders.length,
          status: 'open',
          filledWh: 0n,
          energyFen: 0n,
          feeFen: 0n,
          locked,
          at: ctx.height,
        };
        const trades =
          slot.mode === 'continuous'
            ? matchContinuous(
                slot.orders.map((oid) => {
                  const o = energyOrderOf(ctx, oid)!;
                  return { id: o.id, side: o.side, price: o.price, seq: o.seq, open: o.wh - o.filledWh };
                }),
                { id, side: p.side, price: p.price, wh: p.wh },
                config.gridFee,
              ).trades
            : [];
        saveOrder(ctx, order);
        ctx.set(energyKeys.slot(p.slot), { ...slot, orders: [...slot.orders, id] } as never);
        energyEvents.emit(ctx, 'orderPlaced', {
          id,
          slot: p.slot,
          side: p.side,
          account: ctx.sender,
          ...(p.plant !== undefined && { plant: p.plant }),
          wh: p.wh,
          price: p.price,
          green: p.green,
          locked,
        });
        // Continuous slot: the trades are firm now; money moves when the slot begins (escrow) and settles.
        for (const t of trades) {
          const restingId = p.side === 'buy' ? t.sell : t.buy;
          const resting = energyOrderOf(ctx, restingId)!;
          saveOrder(ctx, fillOrder(resting, t));
          order = fillOrder(order, t);
          energyEvents.emit(ctx, 'traded', { slot: p.slot, ...t });
        }
        if (trades.length > 0) saveOrder(ctx, order);
      },
    ),

    cancelOrder: defineAction(z.object({ id: zId }).strict(), (ctx, { id }) => {
      const config = requireConfig(ctx);
      const order = energyOrderOf(ctx, id);
      if (!order) throw new ContractError('not_found', `no order ${id}`);
      if (order.account !== ctx.sender)
        throw new ContractError('not_authorized', `order ${id} is ${order.account}'s`);
      if (order.status !== 'open' || ctx.time >= order.slot)
        throw new ContractError('not_allowed', `order ${id} can no longer be cancelled: its slot has begun`);
      if (order.filledWh > 0n) {
        // Partly traded in a continuous slot: the trades stand, the rest is withdrawn.
        const keep = order.side === 'buy' ? order.energyFen + order.feeFen : 0n;
        if (order.locked > keep)
          unlock(ctx, config.currency, order.account, order.locked - keep, orderRef(id));
        saveOrder(ctx, { ...order, wh: order.filledWh, locked: order.side === 'buy' ? keep : order.locked });
        energyEvents.emit(ctx, 'orderCancelled', { id, by: ctx.sender });
        return;
      }
      if (order.locked > 0n) unlock(ctx, config.currency, order.account, order.locked, orderRef(id));
      releaseGreen(ctx, order);
      const slot = energySlotOf(ctx, order.slot)!;
      ctx.set(energyKeys.slot(order.slot), { ...slot, orders: slot.orders.filter((o) => o !== id) } as never);
      ctx.delete(energyKeys.order(id));
      energyEvents.emit(ctx, 'orderCancelled', { id, by: ctx.sender });
    }),

    /** Anyone clears a slot once it has begun: pay-as-clear, deterministic from the slot's orders. */
    clearSlot: defineAction(z.object({ slot: zSlot }).strict(), (ctx, { slot: slotStart }) => {
      const config = requireConfig(ctx);
      const slot = energySlotOf(ctx, slotStart);
      if (!slot) throw new ContractError('not_found', `slot ${slotStart} has no orders`);
      if (slot.status !== 'open')
        throw new ContractError('already_exists', `slot ${slotStart} is ${slot.status}`);
      if (ctx.time < slotStart)
        throw new ContractError(
          'not_allowed',
          `slot ${slotStart} has not begun; its order book is still open`,
        );
      const orders = slot.orders.map((id) => energyOrderOf(ctx, id)!);
      if (slot.mode === 'continuous') {
        closeContinuous(ctx, config, slot, orders);
        return;
      }
      const book: BookOrder[] = orders.map((o) => ({
        id: o.id,
        side: o.side,
        wh: o.wh,
        price: o.price,
        seq: o.seq,
      }));
      const clearing = clearPayAsClear(book);
      const amounts = lineAmounts(clearing, config.gridFee);
      const filled = new Map(clearing.fills.map((f) => [f.id, f.wh]));
      const buyMoney = new Map(amounts.buyers.map((b) => [b.id, b]));
      const sellMoney = new Map(amounts.sellers.map((s) => [s.id, s.energy]));
      for (const order of orders) {
        const wh = filled.get(order.id) ?? 0n;
        if (wh === 0n) {
          if (order.locked > 0n)
            unlock(ctx, config.currency, order.account, order.locked, orderRef(order.id));
          releaseGreen(ctx, order);
          saveOrder(ctx, { ...order, status: 'unfilled', locked: 0n });
          continue;
        }
        const energyFen = order.side === 'buy' ? buyMoney.get(order.id)!.energy : sellMoney.get(order.id)!;
        const feeFen = order.side === 'buy' ? buyMoney.get(order.id)!.fee : 0n;
        let locked = order.locked;
        if (order.side === 'buy') {
          const keep = energyFen + feeFen;
          if (keep > locked)
            throw new ContractError(
              'contract_fault',
              `order ${order.id} locked ${locked} fen, ${keep} needed`,
            );
          if (locked > keep) unlock(ctx, config.currency, order.account, locked - keep, orderRef(order.id));
          locked = keep;
        }
        saveOrder(ctx, { ...order, status: 'cleared', filledWh: wh, energyFen, feeFen, locked });
        energyEvents.emit(ctx, 'orderFilled', {
          id: order.id,
          slot: slotStart,
          side: order.side,
          wh,
          energyFen,
          feeFen,
        });
      }
      const status = clearing.volume === 0n ? 'settled' : 'cleared';
      ctx.set(energyKeys.slot(slotStart), {
        ...slot,
        status,
        ...(clearing.price !== null && { price: clearing.price }),
        volume: clearing.volume,
        energyFen: amounts.energyTotal,
        feeFen: amounts.feeTotal,
      } as never);
      energyEvents.emit(ctx, 'slotCleared', {
        slot: slotStart,
        ...(clearing.price !== null && { price: clearing.price }),
        volume: clearing.volume,
        energyFen: amounts.energyTotal,
        feeFen: amounts.feeTotal,
        orders: orders.length,
      });
    }),

    /**
     * Anyone settles a cleared slot once every meter of every selling plant has its interval anchored:
     * buyers' escrow pays sellers their energy and the grid its fee; each seller's shortfall is charged
     * at the imbalance price (from its proceeds first) and its surplus paid at the feed-in tariff.
     */
    settleSlot: defineAction(z.object({ slot: zSlot }).strict(), (ctx, { slot: slotStart }) => {
      const config = requireConfig(ctx);
      const slot = energySlotOf(ctx, slotStart);
      if (!slot) throw new ContractError('not_found', `slot ${slotStart} has no orders`);
      if (slot.status !== 'cleared')
        throw new ContractError('not_allowed', `slot ${slotStart} is ${slot.status}, not cleared`);
      const orders = slot.orders.map((id) => energyOrderOf(ctx, id)!).filter((o) => o.status === 'cleared');
      const plants = new Map<string, { sold: bigint; green: bigint; energy: bigint }>();
      for (const o of orders) {
        if (o.side !== 'sell') continue;
        const p = plants.get(o.plant!) ?? { sold: 0n, green: 0n, energy: 0n };
        p.sold += o.filledWh;
        if (o.green) p.green += o.filledWh;
        p.energy += o.energyFen;
        plants.set(o.plant!, p);
      }
      for (const plantId of plants.keys()) {
        const plant = requirePlant(ctx, plantId);
        const delivery = deliveryOf(ctx, plantId, slotStart);
        if (delivery.meters < plant.meters.length)
          throw new ContractError(
            'not_allowed',
            `plant ${plantId}: ${delivery.meters} of ${plant.meters.length} meters have anchored slot ${slotStart}`,
          );
      }
      for (const o of orders) {
        if (o.side === 'buy') saveOrder(ctx, { ...o, status: 'settled', locked: 0n });
      }
      if (slot.feeFen! > 0n)
        unlock(ctx, config.currency, config.operator, slot.feeFen!, `energy:slot:${slotStart}`);
      const month = monthOfTime(slotStart);
      for (const [plantId, p] of plants) {
        const plant = requirePlant(ctx, plantId);
        const delivery = deliveryOf(ctx, plantId, slotStart);
        const s = deliverySettlement(p.sold, delivery.wh, config.imbalance, config.feedIn);
        // The seller's proceeds come out of escrow; a shortfall is paid from them first.
        const fromEscrowToGrid = min(s.imbalanceFen, p.energy);
        if (p.energy - fromEscrowToGrid > 0n)
          unlock(ctx, config.currency, plant.owner, p.energy - fromEscrowToGrid, `energy:slot:${slotStart}`);
        if (fromEscrowToGrid > 0n)
          unlock(ctx, config.currency, config.operator, fromEscrowToGrid, `energy:slot:${slotStart}`);
        payNet(
          ctx,
          config,
          plant.owner,
          s.feedInFen - (s.imbalanceFen - fromEscrowToGrid),
          `imbalance ${slotStart}`,
        );
        const greenWh = min(p.green, delivery.wh);
        const settlement: Settlement & { greenSoldWh: bigint; greenWh: bigint } = {
          slot: slotStart,
          plant: plantId,
          soldWh: p.sold,
          deliveredWh: delivery.wh,
          net: s.net,
          estimated: delivery.estimated > 0,
          at: ctx.height,
          greenSoldWh: p.green,
          greenWh,
        };
        ctx.set(energyKeys.settlement(slotStart, plantId), settlement as never);
        if (greenWh > 0n) addGreen(ctx, plant, month, greenWh);
        energyEvents.emit(ctx, 'deliverySettled', {
          slot: slotStart,
          plant: plantId,
          soldWh: p.sold,
          deliveredWh: delivery.wh,
          imbalanceFen: s.imbalanceFen,
          feedInFen: s.feedInFen,
          estimated: settlement.estimated,
        });
      }
      for (const o of orders) {
        if (o.side !== 'sell') continue;
        saveOrder(ctx, { ...o, status: 'settled' });
        releaseGreen(ctx, o);
      }
      ctx.set(energyKeys.slot(slotStart), { ...slot, status: 'settled' } as never);
      energyEvents.emit(ctx, 'slotSettled', {
        slot: slotStart,
        energyFen: slot.energyFen!,
        feeFen: slot.feeFen!,
      });
    }),

    /**
     * The owner has a finished month's certificates issued: the month's anchored export, less what was
     * delivered as green power, plus what was carried, in whole 1,000 kWh; the rest is carried on.
     */
    issueCertificates: defineAction(z.object({ plant: zCode, month: zMonth }).strict(), (ctx, p) => {
      const plant = requirePlant(ctx, p.plant);
      requireOwner(ctx, plant, 'have its certificates issued');
      if (!plant.certified) throw new ContractError('not_allowed', `plant ${plant.id} is not certified`);
      if (monthEnd(p.month) > ctx.time)
        throw new ContractError('not_allowed', `month ${p.month} has not ended`);
      if (plant.lastIssued !== undefined && p.month <= plant.lastIssued)
        throw new ContractError(
          'already_exists',
          `certificates up to ${plant.lastIssued} are issued; months go in order`,
        );
      const record = monthOf(ctx, plant.id, p.month);
      if (record.estimated > 0)
        throw new ContractError(
          'not_allowed',
          `${record.estimated} intervals of ${p.month} are estimated; true them up first`,
        );
      if (record.greenPending > 0)
        throw new ContractError(
          'not_allowed',
          `${record.greenPending} green-power orders of ${p.month} are not settled yet`,
        );
      const greenWh = greenOfMonth(ctx, plant.id, p.month);
      const pool = plant.carryWh + record.wh - greenWh;
      const count = pool / WH_PER_CERTIFICATE;
      const carryWh = pool % WH_PER_CERTIFICATE;
      const id = actionId(ctx);
      const expires = certificateExpiry(ctx.time);
      if (count > 0n) {
        const lot: CertificateLot = {
          id,
          plant: plant.id,
          month: p.month,
          owner: plant.owner,
          count: Number(count),
          issued: ctx.time,
          expires,
          status: 'active',
          at: ctx.height,
        };
        ctx.set(energyKeys.lot(id), lot as never);
      }
      savePlant(ctx, {
        ...plant,
        certifiedWh: plant.certifiedWh + count * WH_PER_CERTIFICATE,
        carryWh,
        lastIssued: p.month,
      });
      addMonth(ctx, plant.id, p.month, { issued: true });
      energyEvents.emit(ctx, 'certificatesIssued', {
        lot: id,
        plant: plant.id,
        month: p.month,
        owner: plant.owner,
        count: Number(count),
        carryWh,
        expires,
      });
    }),

    transferCertificates: defineAction(
      z.object({ lot: zId, count: zCount, to: zAddress }).strict(),
      (ctx, { lot: lotId, count, to }) => {
        const lot = requireActiveLot(ctx, lotId, count);
        if (to === lot.owner)
          throw new ContractError('not_allowed', 'sender and recipient are the same account');
        if (!isRegistered(ctx, to)) throw new ContractError('not_found', `${to} has no identity account`);
        const id = splitLot(ctx, lot, count, { owner: to });
        energyEvents.emit(ctx, 'certificatesTransferred', { lot: id, from: lotId, to, count });
      },
    ),

    /** Claims (retires) certificates for a beneficiary: atomic; a retired certificate can never be used again. */
    retireCertificates: defineAction(
      z.object({ lot: zId, count: zCount, beneficiary: zText(128) }).strict(),
      (ctx, { lot: lotId, count, beneficiary }) => {
        const lot = requireActiveLot(ctx, lotId, count);
        const id = splitLot(ctx, lot, count, { status: 'retired', beneficiary });
        energyEvents.emit(ctx, 'certificatesRetired', { lot: id, from: lotId, count, beneficiary });
      },
    ),

    /** Anyone marks a lot expired once its two years have passed. */
    expireCertificates: defineAction(z.object({ lot: zId }).strict(), (ctx, { lot: lotId }) => {
      const lot = certificateLotOf(ctx, lotId);
      if (!lot) throw new ContractError('not_found', `no certificate lot ${lotId}`);
      if (lot.status !== 'active') throw new ContractError('not_allowed', `lot ${lotId} is ${lot.status}`);
      if (ctx.time < lot.expires)
        throw new ContractError('not_allowed', `lot ${lotId} is valid until ${lot.expires}`);
      ctx.set(energyKeys.lot(lotId), { ...lot, status: 'expired' } as never);
      energyEvents.emit(ctx, 'certificatesExpired', { lot: lotId, count: lot.count });
    }),

    /** A receivable of a month's subsidy: face value = the month's anchored export × the subsidy rate. */
    tokeniseSubsidy: defineAction(z.object({ plant: zCode, month: zMonth }).strict(), (ctx, p) => {
      const config = requireConfig(ctx);
      const plant = requirePlant(ctx, p.plant);
      requireOwner(ctx, plant, 'tokenise its subsidy');
      if (!plant.certified) throw new ContractError('not_allowed', `plant ${plant.id} is not certified`);
      if (monthEnd(p.month) > ctx.time)
        throw new ContractError('not_allowed', `month ${p.month} has not ended`);
      const record = monthOf(ctx, plant.id, p.month);
      if (record.subsidised)
        throw new ContractError('already_exists', `the subsidy of ${p.month} is tokenised`);
      if (record.estimated > 0)
        throw new ContractError(
          'not_allowed',
          `${record.estimated} intervals of ${p.month} are estimated; true them up first`,
        );
      const faceFen = fenFloor(record.wh, config.subsidyRate);
      if (faceFen === 0n) throw new ContractError('not_allowed', `month ${p.month} earned no subsidy`);
      const id = `${plant.id}:${p.month}`;
      ctx.set(energyKeys.subsidy(id), {
        id,
        plant: plant.id,
        month: p.month,
        wh: record.wh,
        faceFen,
        holder: plant.owner,
        status: 'open',
        at: ctx.height,
      } as never);
      addMonth(ctx, plant.id, p.month, { subsidised: true });
      energyEvents.emit(ctx, 'subsidyTokenised', {
        id,
        plant: plant.id,
        month: p.month,
        wh: record.wh,
        faceFen,
        holder: plant.owner,
      });
    }),

    listSubsidy: defineAction(
      z.object({ id: z.string().max(80), askFen: zAmount }).strict(),
      (ctx, { id, askFen }) => {
        const s = requireOpenSubsidy(ctx, id);
        if (s.holder !== ctx.sender)
          throw new ContractError('not_authorized', `receivable ${id} is held by ${s.holder}`);
        ctx.set(energyKeys.subsidy(id), { ...s, askFen } as never);
        energyEvents.emit(ctx, 'subsidyListed', { id, askFen });
      },
    ),

    buySubsidy: defineAction(z.object({ id: z.string().max(80) }).strict(), (ctx, { id }) => {
      const config = requireConfig(ctx);
      const s = requireOpenSubsidy(ctx, id);
      if (s.askFen === undefined) throw new ContractError('not_allowed', `receivable ${id} is not for sale`);
      transferBetween(ctx, config.currency, ctx.sender, s.holder, s.askFen, `subsidy ${id}`);
      const { askFen, ...rest } = s;
      ctx.set(energyKeys.subsidy(id), { ...rest, holder: ctx.sender } as never);
      energyEvents.emit(ctx, 'subsidySold', { id, from: s.holder, to: ctx.sender, priceFen: askFen });
    }),

    /** The subsidy arrived: the operator pays the face value to the holder and the receivable is spent. */
    paySubsidy: defineAction(z.object({ id: z.string().max(80) }).strict(), (ctx, { id }) => {
      const config = requireConfig(ctx);
      requireOperator(ctx, 'pay subsidies');
      const s = requireOpenSubsidy(ctx, id);
      transferBetween(ctx, config.currency, ctx.sender, s.holder, s.faceFen, `subsidy ${id}`);
      const { askFen: _ask, ...rest } = s;
      ctx.set(energyKeys.subsidy(id), { ...rest, status: 'paid' } as never);
      energyEvents.emit(ctx, 'subsidyPaid', { id, holder: s.holder, faceFen: s.faceFen });
    }),
  },
};

function requireOpenSubsidy(ctx: ContractContext, id: string) {
  const s = subsidyOf(ctx, id);
  if (!s) throw new ContractError('not_found', `no subsidy receivable ${id}`);
  if (s.status !== 'open') throw new ContractError('not_allowed', `receivable ${id} is paid`);
  return s;
}

function requireActiveLot(ctx: ContractContext, lotId: string, count: number): CertificateLot {
  const lot = certificateLotOf(ctx, lotId);
  if (!lot) throw new ContractError('not_found', `no certificate lot ${lotId}`);
  if (lot.owner !== ctx.sender)
    throw new ContractError('not_authorized', `lot ${lotId} is held by ${lot.owner}`);
  if (lot.status !== 'active') throw new ContractError('not_allowed', `lot ${lotId} is ${lot.status}`);
  if (ctx.time >= lot.expires) throw new ContractError('expired', `lot ${lotId} expired at ${lot.expires}`);
  if (count > lot.count)
    throw new ContractError(
      'insufficient_funds',
      `lot ${lotId} holds ${lot.count} certificates, ${count} asked`,
    );
  return lot;
}

/** Moves `count` certificates of a lot into a new lot with `change`, or changes the whole lot in place. */
function splitLot(
  ctx: ContractContext,
  lot: CertificateLot,
  count: number,
  change: Partial<CertificateLot>,
): string {
  if (count === lot.count) {
    ctx.set(energyKeys.lot(lot.id), { ...lot, ...change } as never);
    return lot.id;
  }
  const id = actionId(ctx);
  ctx.set(energyKeys.lot(lot.id), { ...lot, count: lot.count - count } as never);
  ctx.set(energyKeys.lot(id), { ...lot, ...change, id, count, at: ctx.height } as never);
  return id;
}

/**
 * A continuous slot begins: its trades stand as made. Orders that never traded are unfilled and their
 * escrow returned; a buy order that traded keeps locked what its trades cost (energy plus grid fee)
 * and gets the rest back. The slot's totals are its trades' sums, so buyers' energy fen = sellers'.
 */
function closeContinuous(ctx: ContractContext, config: EnergyConfig, slot: Slot, orders: Order[]): void {
  let volume = 0n;
  let energyFen = 0n;
  let feeFen = 0n;
  for (const order of orders) {
    if (order.filledWh === 0n) {
      if (order.locked > 0n) unlock(ctx, config.currency, order.account, order.locked, orderRef(order.id));
      releaseGreen(ctx, order);
      saveOrder(ctx, { ...order, status: 'unfilled', locked: 0n });
      continue;
    }
    let locked = order.locked;
    if (order.side === 'buy') {
      const keep = order.energyFen + order.feeFen;
      if (keep > locked)
        throw new ContractError('contract_fault', `order ${order.id} locked ${locked} fen, ${keep} needed`);
      if (locked > keep) unlock(ctx, config.currency, order.account, locked - keep, orderRef(order.id));
      locked = keep;
      feeFen += order.feeFen;
    } else {
      volume += order.filledWh;
      energyFen += order.energyFen;
    }
    saveOrder(ctx, { ...order, status: 'cleared', locked });
    energyEvents.emit(ctx, 'orderFilled', {
      id: order.id,
      slot: slot.slot,
      side: order.side,
      wh: order.filledWh,
      energyFen: order.energyFen,
      feeFen: order.feeFen,
    });
  }
  ctx.set(energyKeys.slot(slot.slot), {
    ...slot,
    status: volume === 0n ? 'settled' : 'cleared',
    volume,
    energyFen,
    feeFen,
  } as never);
  energyEvents.emit(ctx, 'slotCleared', {
    slot: slot.slot,
    volume,
    energyFen,
    feeFen,
    orders: orders.length,
  });
}

function releaseGreen(ctx: ContractContext, order: Order): void {
  if (order.side !== 'sell' || !order.green) return;
  const month = monthOfTime(order.slot);
  const record = monthOf(ctx, order.plant!, month);
  addMonth(ctx, order.plant!, month, { greenPending: record.greenPending - 1 });
}

const greenKey = (plant: string, month: string) => `energy/green/${plant}/${month}`;

function greenOfMonth(ctx: ContractContext, plant: string, month: string): bigint {
  const v = ctx.get(greenKey(plant, month));
  return typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(v) : 0n;
}

/** Wh delivered as green power in a month: subtracted from that month's certificates. */
function addGreen(ctx: ContractContext, plant: Plant, month: string, wh: bigint): void {
  ctx.set(greenKey(plant.id, month), greenOfMonth(ctx, plant.id, month) + wh);
  const fresh = plantOf(ctx, plant.id)!;
  savePlant(ctx, { ...fresh, greenWh: fresh.greenWh + wh });
}

/** A settled slot's delivery changed by a true-up: the grid and the seller settle the difference. */
function trueUp(
  ctx: ContractContext,
  plant: Plant,
  settled: Settlement,
  deliveredWh: bigint,
  estimated: boolean,
): void {
  const config = requireConfig(ctx);
  const record = settled as Settlement & { greenSoldWh?: bigint; greenWh?: bigint };
  const s = deliverySettlement(settled.soldWh, deliveredWh, config.imbalance, config.feedIn);
  const diff = s.net - settled.net;
  payNet(ctx, config, plant.owner, diff, `true-up ${settled.slot}`);
  const greenSold = BigInt(record.greenSoldWh ?? 0n);
  const oldGreen = BigInt(record.greenWh ?? 0n);
  const newGreen = min(greenSold, deliveredWh);
  const month = monthOfTime(settled.slot);
  if (newGreen !== oldGreen) {
    if (monthOf(ctx, plant.id, month).issued && newGreen > oldGreen)
      throw new ContractError(
        'not_allowed',
        `month ${month} is certified; its green-power deliveries are final`,
      );
    ctx.set(greenKey(plant.id, month), greenOfMonth(ctx, plant.id, month) + newGreen - oldGreen);
    const fresh = plantOf(ctx, plant.id)!;
    savePlant(ctx, { ...fresh, greenWh: fresh.greenWh + newGreen - oldGreen });
  }
  ctx.set(energyKeys.settlement(settled.slot, plant.id), {
    ...record,
    deliveredWh,
    net: s.net,
    estimated,
    greenWh: newGreen,
  } as never);
  energyEvents.emit(ctx, 'settlementTrueUp', {
    slot: settled.slot,
    plant: plant.id,
    deliveredWh,
    toSellerFen: diff > 0n ? diff : 0n,
    toGridFen: diff < 0n ? -diff : 0n,
  });
}
