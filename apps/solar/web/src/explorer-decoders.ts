// The energy contract's records in words: the solar app's decoder pack, served at
// /solar/explorer-decoders.js for the explorer and installed by this app for its own pages. Events are
// read through the energy contract's event catalog; besides it only the ui kit's amount formatter (a module
// of its own, no Vue) is imported at run time. Quantities and money are integers (Wh, fen, fen/MWh) and are
// shown exactly, as the solar pages show them (format.ts), never through a float.
import { energyEvents } from '@gongxin/contracts/events';
import type { ActionParams, Translate } from '@gongxin/ui';
import { formatAmount } from '@gongxin/ui/format';

type Integer = bigint | number | string;
/** Wh → kWh, exact, without trailing zeros: 4500 → '4.5'. */
const kwh = (wh: Integer) => formatAmount(wh, 3, 'zh-CN', { minFraction: 0 });
/** fen → 元, exact, two decimals. */
const yuan = (fen: Integer) => formatAmount(fen, 2, 'zh-CN');
/** fen/MWh → 元/kWh, exact, at least 4 decimals. */
const perKwh = (fenPerMWh: Integer) => formatAmount(fenPerMWh, 5, 'zh-CN', { minFraction: 4 });
/** A slot or interval start in China time (UTC+8, no daylight saving): `2026-11-30 12:00`. */
const time = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '—');

const zh = {
  configured:
    '电网运营方设置市场：结算资产 {currency}，过网费 {gridFee}、偏差 {imbalance}、上网 {feedIn}、补贴 {subsidy} 元/kWh',
  plantRegistered: '{owner} 登记电站「{name}」（{id}），装机 {kw} kW',
  plantCertified: '电站 {id} 通过认证',
  meterRegistered: '电表 {id} 绑定电站 {plant}，设备公钥 {key}',
  intervalAnchored:
    '电表 {meter} {start} 起 15 分钟：上网 {kwh} kWh，{readings} 条读数，默克尔根 {root}{flags}',
  orderPlaced: '{account} 为 {slot} 时段挂{side}单 {kwh} kWh，限价 {price} 元/kWh',
  orderCancelled: '撤销挂单 {id}',
  traded:
    '{slot} 时段连续撮合：挂单 {sell} 卖给 {buy} {kwh} kWh，价格 {price} 元/kWh，电费 ¥{yuan}，过网费 ¥{fee}',
  slotCleared: '{slot} 时段出清：价格 {price} 元/kWh，成交 {kwh} kWh',
  orderFilled: '挂单 {id} 成交 {kwh} kWh，电费 ¥{yuan}',
  deliverySettled: '电站 {plant} {slot} 时段结算：售出 {sold} kWh，实发 {delivered} kWh',
  slotSettled: '{slot} 时段结算完成',
  settlementTrueUp: '电站 {plant} {slot} 时段按实测核定为 {delivered} kWh',
  certificatesIssued: '电站 {plant} {month} 核发绿证 {count} 张，结转 {carry} kWh',
  certificatesTransferred: '转让绿证 {count} 张给 {to}',
  certificatesRetired: '核销绿证 {count} 张，用于 {beneficiary}',
  certificatesExpired: '绿证批次 {lot} 过期（{count} 张）',
  subsidyTokenised: '电站 {plant} {month} 补贴凭证面值 ¥{face}',
  subsidyListed: '补贴凭证 {id} 挂牌 ¥{ask}',
  subsidySold: '补贴凭证 {id} 以 ¥{price} 转让给 {to}',
  subsidyPaid: '补贴凭证 {id} 兑付 ¥{face}',
  pointsCredited:
    '电站 {plant} 的业主 {owner} 获得 {points} 积分（{symbol}），累计 {earned}，结转 {carry} Wh',
  reset: '，计数器归零',
  estimated: '，含估算',
  sell: '卖',
  buy: '买',
  placeOrder: '为 {slot} 时段挂{side}单 {kwh} kWh，限价 {price} 元/kWh',
  placeSell: '为 {slot} 时段挂卖单 {kwh} kWh，限价 {price} 元/kWh，出售电站{plant}的发电',
  plantNamed: '「{name}」（{id}）',
  anchorInterval: '锚定电表 {meter} {start} 起 15 分钟区间（{kwh} kWh）',
  registerPlant: '登记电站「{name}」（{id}），装机 {kw} kW',
  registerMeter: '电表 {id} 绑定电站 {plant}',
  certifyPlant: '认证电站 {id}',
  clearSlot: '出清 {slot} 时段',
  settleSlot: '按锚定读数结算 {slot} 时段',
  issueCertificates: '按锚定发电量核发电站 {plant} {month} 的绿证',
  retireCertificates: '核销绿证 {count} 张，用于 {beneficiary}',
};
const en: typeof zh = {
  configured:
    'The grid operator set the market: currency {currency}, grid fee {gridFee}, imbalance {imbalance}, feed-in {feedIn}, subsidy {subsidy} 元/kWh',
  plantRegistered: '{owner} registered plant "{name}" ({id}), {kw} kW peak',
  plantCertified: 'Plant {id} certified',
  meterRegistered: 'Meter {id} bound to plant {plant} with device key {key}',
  intervalAnchored:
    'Meter {meter}, 15 minutes from {start}: {kwh} kWh exported, {readings} readings, Merkle root {root}{flags}',
  orderPlaced: '{account} placed a {side} order for {slot}: {kwh} kWh at {price} 元/kWh or better',
  orderCancelled: 'Order {id} cancelled',
  traded:
    'Slot {slot}, continuous trade: order {sell} sold {kwh} kWh to order {buy} at {price} 元/kWh, ¥{yuan} energy, ¥{fee} grid fee',
  slotCleared: 'Slot {slot} cleared at {price} 元/kWh, {kwh} kWh traded',
  orderFilled: 'Order {id} filled {kwh} kWh for ¥{yuan}',
  deliverySettled: 'Plant {plant}, slot {slot} settled: sold {sold} kWh, delivered {delivered} kWh',
  slotSettled: 'Slot {slot} settled',
  settlementTrueUp: 'Plant {plant}, slot {slot} trued up to {delivered} kWh',
  certificatesIssued: 'Plant {plant}, {month}: {count} green certificates issued, {carry} kWh carried',
  certificatesTransferred: '{count} certificates transferred to {to}',
  certificatesRetired: '{count} certificates retired for {beneficiary}',
  certificatesExpired: 'Certificate lot {lot} expired ({count})',
  subsidyTokenised: 'Plant {plant}, {month}: subsidy receivable of ¥{face}',
  subsidyListed: 'Subsidy receivable {id} offered at ¥{ask}',
  subsidySold: 'Subsidy receivable {id} sold to {to} for ¥{price}',
  subsidyPaid: 'Subsidy receivable {id} paid: ¥{face}',
  pointsCredited:
    'Owner {owner} of plant {plant} earned {points} points ({symbol}), {earned} in all, {carry} Wh carried',
  reset: ', counter reset',
  estimated: ', estimated in part',
  sell: 'sell',
  buy: 'buy',
  placeOrder: 'Place a {side} order for {slot}: {kwh} kWh at {price} 元/kWh',
  placeSell: 'Place a sell order for {slot}: {kwh} kWh of plant {plant} at {price} 元/kWh',
  plantNamed: '"{name}" ({id})',
  anchorInterval: 'Anchor meter {meter}, 15 minutes from {start} ({kwh} kWh)',
  registerPlant: 'Register plant "{name}" ({id}), {kw} kW peak',
  registerMeter: 'Bind meter {id} to plant {plant}',
  certifyPlant: 'Certify plant {id}',
  clearSlot: 'Clear slot {slot}',
  settleSlot: 'Settle slot {slot} against the anchored readings',
  issueCertificates: 'Issue the green certificates of plant {plant} for {month} from its anchored generation',
  retireCertificates: 'Retire {count} certificates for {beneficiary}',
};

const k = (name: keyof typeof zh) => `solar.explorer.${name}`;

/**
 * Plant id → name where the page knows it: the solar app's own pages fill it from their plant list, so
 * the sign dialog names the plant a sell order sells from. In the explorer it stays empty and a plant
 * shows as its id (the action holds only the id).
 */
export const plantNames = new Map<string, string>();
const plantOf = (id: string, t: Translate) => {
  const name = plantNames.get(id);
  return name ? t(k('plantNamed'), { name, id }) : id;
};

const pack = {
  messages: { 'zh-CN': { solar: { explorer: zh } }, en: { solar: { explorer: en } } },
  events: energyEvents.decoders({
    configured: (a, t: Translate) =>
      t(k('configured'), {
        currency: a.currency,
        gridFee: perKwh(a.gridFee),
        imbalance: perKwh(a.imbalance),
        feedIn: perKwh(a.feedIn),
        subsidy: perKwh(a.subsidyRate),
      }),
    plantRegistered: (a, t: Translate) =>
      t(k('plantRegistered'), { owner: a.owner, name: a.name, id: a.id, kw: kwh(a.capacityW) }),
    plantCertified: (a, t: Translate) => t(k('plantCertified'), { id: a.id }),
    meterRegistered: (a, t: Translate) => t(k('meterRegistered'), { id: a.id, plant: a.plant, key: a.key }),
    intervalAnchored: (a, t: Translate) =>
      t(k('intervalAnchored'), {
        meter: a.meter,
        start: time(a.start),
        kwh: kwh(a.exportWh),
        readings: a.readings,
        root: a.root,
        flags: (a.reset ? t(k('reset')) : '') + (a.estimated ? t(k('estimated')) : ''),
      }),
    orderPlaced: (a, t: Translate) =>
      t(k('orderPlaced'), {
        account: a.account,
        slot: time(a.slot),
        side: t(k(a.side)),
        kwh: kwh(a.wh),
        price: perKwh(a.price),
      }),
    orderCancelled: (a, t: Translate) => t(k('orderCancelled'), { id: a.id }),
    traded: (a, t: Translate) =>
      t(k('traded'), {
        slot: time(a.slot),
        sell: a.sell,
        buy: a.buy,
        kwh: kwh(a.wh),
        price: perKwh(a.price),
        yuan: yuan(a.energyFen),
        fee: yuan(a.feeFen),
      }),
    slotCleared: (a, t: Translate) =>
      t(k('slotCleared'), {
        slot: time(a.slot),
        price: a.price === undefined ? '—' : perKwh(a.price),
        kwh: kwh(a.volume),
      }),
    orderFilled: (a, t: Translate) =>
      t(k('orderFilled'), { id: a.id, kwh: kwh(a.wh), yuan: yuan(a.energyFen) }),
    deliverySettled: (a, t: Translate) =>
      t(k('deliverySettled'), {
        plant: a.plant,
        slot: time(a.slot),
        sold: kwh(a.soldWh),
        delivered: kwh(a.deliveredWh),
      }),
    slotSettled: (a, t: Translate) => t(k('slotSettled'), { slot: time(a.slot) }),
    settlementTrueUp: (a, t: Translate) =>
      t(k('settlementTrueUp'), { plant: a.plant, slot: time(a.slot), delivered: kwh(a.deliveredWh) }),
    certificatesIssued: (a, t: Translate) =>
      t(k('certificatesIssued'), { plant: a.plant, month: a.month, count: a.count, carry: kwh(a.carryWh) }),
    certificatesTransferred: (a, t: Translate) =>
      t(k('certificatesTransferred'), { count: a.count, to: a.to }),
    certificatesRetired: (a, t: Translate) =>
      t(k('certificatesRetired'), { count: a.count, beneficiary: a.beneficiary }),
    certificatesExpired: (a, t: Translate) => t(k('certificatesExpired'), { lot: a.lot, count: a.count }),
    subsidyTokenised: (a, t: Translate) =>
      t(k('subsidyTokenised'), { plant: a.plant, month: a.month, face: yuan(a.faceFen) }),
    subsidyListed: (a, t: Translate) => t(k('subsidyListed'), { id: a.id, ask: yuan(a.askFen) }),
    subsidySold: (a, t: Translate) => t(k('subsidySold'), { id: a.id, to: a.to, price: yuan(a.priceFen) }),
    subsidyPaid: (a, t: Translate) => t(k('subsidyPaid'), { id: a.id, face: yuan(a.faceFen) }),
    pointsCredited: (a, t: Translate) =>
      t(k('pointsCredited'), {
        plant: a.plant,
        owner: a.owner,
        points: String(a.points),
        symbol: a.symbol,
        earned: String(a.earned),
        carry: a.carryWh,
      }),
  }),
  actions: {
    'energy.placeOrder': (p: ActionParams, t: Translate) => {
      const named = {
        slot: time(Number(p.slot)),
        side: t(k(p.side === 'buy' ? 'buy' : 'sell')),
        kwh: kwh(str(p.wh)),
        price: perKwh(str(p.price)),
      };
      // A sell order sells a plant's generation: the line names the plant.
      return p.side !== 'buy' && typeof p.plant === 'string'
        ? t(k('placeSell'), { ...named, plant: plantOf(p.plant, t) })
        : t(k('placeOrder'), named);
    },
    'energy.anchorInterval': (p: ActionParams, t: Translate) =>
      t(k('anchorInterval'), {
        meter: str(p.meter),
        start: time(Number(p.start)),
        kwh: kwh(str(p.exportWh)),
      }),
    'energy.registerPlant': (p: ActionParams, t: Translate) =>
      t(k('registerPlant'), { name: str(p.name), id: str(p.id), kw: kwh(str(p.capacityW)) }),
    'energy.registerMeter': (p: ActionParams, t: Translate) =>
      t(k('registerMeter'), { id: str(p.id), plant: str(p.plant) }),
    'energy.certifyPlant': (p: ActionParams, t: Translate) => t(k('certifyPlant'), { id: str(p.id) }),
    'energy.clearSlot': (p: ActionParams, t: Translate) => t(k('clearSlot'), { slot: time(Number(p.slot)) }),
    'energy.settleSlot': (p: ActionParams, t: Translate) =>
      t(k('settleSlot'), { slot: time(Number(p.slot)) }),
    'energy.issueCertificates': (p: ActionParams, t: Translate) =>
      t(k('issueCertificates'), { plant: str(p.plant), month: str(p.month) }),
    'energy.retireCertificates': (p: ActionParams, t: Translate) =>
      t(k('retireCertificates'), { count: str(p.count), beneficiary: str(p.beneficiary) }),
  },
};

export default pack;
