// The parking contract's records in words: its decoder pack, served at /parking/explorer-decoders.js; the
// explorer imports it and calls these with its own `t`, and this app installs it for its sign dialog.
// Events are read through the contract's event catalog (a mismatch throws and the line shows the JSON);
// actions read the params they need and throw on anything else. Only the catalog is imported at run time.
// Plates never reach the chain in clear: the lines show the first digits of their keyed hashes.
import { parkingEvents } from '@gongxin/contracts/events';
import type { ActionParams, Translate } from '@gongxin/ui';

type Json = ActionParams[string];
const text = (value: Json | undefined, what: string): string => {
  if (typeof value !== 'string' || value === '') throw new Error(`${what} is not text`);
  return value;
};
const yuan = (fen: unknown) => {
  const v = BigInt(String(fen));
  const a = v < 0n ? -v : v;
  return `${v < 0n ? '-' : ''}¥${(a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(a % 100n).toString().padStart(2, '0')}`;
};
const time = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const short = (h: string) => `${h.slice(0, 8)}…`;

const zh = {
  parking: {
    explorer: {
      operatorRegistered: '停车运营方「{name}」（{id}）入驻联盟',
      lotRegistered:
        '{operator} 登记停车场「{name}」（{id}）：{capacity} 个车位，固定车位 {fixed}，联盟服务费 {bps}',
      tariffSet: '停车场 {lot} 发布第 {version} 版费率（{hash}）',
      gateRegistered: '停车场 {lot} 登记道闸 {gate}（设备公钥 {key}）',
      passIssued: '{operator} 签发月卡 {id}（车牌哈希 {plate}），{lots} 个停车场通用，{from} 至 {until}',
      sessionOpened: '车辆（车牌哈希 {plate}）{entry} 经道闸 {gate} 驶入 {lot}，按第 {version} 版费率计费',
      sessionOrphaned: '{lot} 的停车记录 {id} 成为异常记录：{reason}',
      sessionClosed: '{lot} 的停车记录 {id} 于 {exit} 经道闸 {gate} 出场：应收 {fee}，已收 {paid}',
      paid: '{payer} 为 {lot} 的停车记录 {session} 支付 {amount}（本次停车费 {total}，第 {version} 版费率），计入 {date}',
      refunded: '收据 {receipt} 退款 {amount}：{reason}',
      adjusted: '停车记录 {session} 调整 {delta}：{reason}',
      occupancyCounted: '{lot} 实际计数 {counted} 辆，按记录推算 {derived} 辆',
      settled: '{date} 联盟日结：净收入 {total}，服务费 {fees}；{lines}',
      settledLine: '{lot}（{operator}）分成 {share}',
      reasons: { noEntry: '无入场记录的出场', superseded: '同一车牌再次入场' },
      registerOperator: '入驻停车联盟：{name}（{id}）',
      registerLot: '登记停车场「{name}」（{id}），{capacity} 个车位',
      setTariff: '发布停车场 {lot} 的新费率',
      registerGate: '登记停车场 {lot} 的道闸 {gate}',
      issuePass: '签发月卡（{lots} 个停车场）',
      openSession: '道闸 {lot}.{gate} 报告车辆入场',
      closeSession: '道闸 {lot}.{gate} 报告车辆出场',
      pay: '为停车记录 {session} 缴费{max}',
      payMax: '（最多 {max}）',
      refund: '退回收据 {receipt}：{reason}',
      adjust: '调整停车记录 {session} {delta}：{reason}',
      reportOccupancy: '报告停车场 {lot} 的实际计数 {counted} 辆',
      settle: '结算 {date} 的停车收入',
    },
  },
};
const en = {
  parking: {
    explorer: {
      operatorRegistered: 'Parking operator “{name}” ({id}) joined the alliance',
      lotRegistered:
        '{operator} registered lot “{name}” ({id}): {capacity} spaces, {fixed} fixed, alliance fee {bps}',
      tariffSet: 'Lot {lot} published tariff version {version} ({hash})',
      gateRegistered: 'Lot {lot} registered gate {gate} (device key {key})',
      passIssued: '{operator} issued pass {id} (plate hash {plate}) for {lots} lots, {from} to {until}',
      sessionOpened:
        'A car (plate hash {plate}) entered {lot} at gate {gate} at {entry}, priced by tariff v{version}',
      sessionOrphaned: 'Session {id} at {lot} became irregular: {reason}',
      sessionClosed: 'Session {id} at {lot} left at gate {gate} at {exit}: fee {fee}, paid {paid}',
      paid: '{payer} paid {amount} for session {session} at {lot} (stay {total}, tariff v{version}), booked on {date}',
      refunded: 'Receipt {receipt} refunded {amount}: {reason}',
      adjusted: 'Session {session} adjusted by {delta}: {reason}',
      occupancyCounted: '{lot} counted {counted} cars ({derived} by its sessions)',
      settled: 'Alliance settlement of {date}: net {total}, fees {fees}; {lines}',
      settledLine: '{lot} ({operator}) share {share}',
      reasons: { noEntry: 'an exit with no entry', superseded: 'the same plate entered again' },
      registerOperator: 'Join the parking alliance: {name} ({id})',
      registerLot: 'Register lot “{name}” ({id}), {capacity} spaces',
      setTariff: 'Publish a new tariff for lot {lot}',
      registerGate: 'Register gate {gate} of lot {lot}',
      issuePass: 'Issue a pass ({lots} lots)',
      openSession: 'Gate {lot}.{gate} reports a car entering',
      closeSession: 'Gate {lot}.{gate} reports a car leaving',
      pay: 'Pay for parking session {session}{max}',
      payMax: ' (at most {max})',
      refund: 'Refund receipt {receipt}: {reason}',
      adjust: 'Adjust session {session} by {delta}: {reason}',
      reportOccupancy: 'Report {counted} cars counted at lot {lot}',
      settle: 'Settle the parking takings of {date}',
    },
  },
};

const k = (key: string) => `parking.explorer.${key}`;
const bps = (n: number) => `${(n / 100).toFixed(2)}%`;

const pack = {
  messages: { 'zh-CN': zh, en },
  events: parkingEvents.decoders<[Translate], string>({
    operatorRegistered: (a, t) => t(k('operatorRegistered'), { name: a.name, id: a.id }),
    lotRegistered: (a, t) =>
      t(k('lotRegistered'), {
        operator: a.operator,
        name: a.name,
        id: a.id,
        capacity: String(a.capacity),
        fixed: String(a.fixedSpaces),
        bps: bps(a.feeBps),
      }),
    tariffSet: (a, t) => t(k('tariffSet'), { lot: a.lot, version: String(a.version), hash: short(a.hash) }),
    gateRegistered: (a, t) => t(k('gateRegistered'), { lot: a.lot, gate: a.gate, key: short(a.key) }),
    passIssued: (a, t) =>
      t(k('passIssued'), {
        operator: a.operator,
        id: a.id,
        plate: short(a.plateHash),
        lots: String(a.lots.length),
        from: day(a.validFrom),
        until: day(a.validUntil - 1),
      }),
    sessionOpened: (a, t) =>
      t(k('sessionOpened'), {
        plate: short(a.plateHash),
        entry: time(a.entry),
        gate: a.gate,
        lot: a.lot,
        version: String(a.tariffVersion),
      }),
    sessionOrphaned: (a, t) =>
      t(k('sessionOrphaned'), { lot: a.lot, id: short(a.id), reason: t(k(`reasons.${a.reason}`)) }),
    sessionClosed: (a, t) =>
      t(k('sessionClosed'), {
        lot: a.lot,
        id: short(a.id),
        exit: time(a.exit),
        gate: a.gate,
        fee: yuan(a.fee),
        paid: yuan(a.paid),
      }),
    paid: (a, t) =>
      t(k('paid'), {
        payer: short(a.payer),
        lot: a.lot,
        session: short(a.session),
        amount: yuan(a.amount),
        total: yuan(a.total),
        version: String(a.tariffVersion),
        date: a.date,
      }),
    refunded: (a, t) =>
      t(k('refunded'), { receipt: short(a.receipt), amount: yuan(a.amount), reason: a.reason }),
    adjusted: (a, t) =>
      t(k('adjusted'), { session: short(a.session), delta: yuan(a.delta), reason: a.reason }),
    occupancyCounted: (a, t) =>
      t(k('occupancyCounted'), { lot: a.lot, counted: String(a.counted), derived: String(a.derived) }),
    settled: (a, t) =>
      t(k('settled'), {
        date: a.date,
        total: yuan(a.total),
        fees: yuan(a.fees),
        lines: a.lines
          .map((l) => t(k('settledLine'), { lot: l.lot, operator: l.operator, share: yuan(l.share) }))
          .join('；'),
      }),
  }),
  actions: {
    'parking.registerOperator': (p: ActionParams, t: Translate) =>
      t(k('registerOperator'), { name: text(p.name, 'name'), id: text(p.id, 'id') }),
    'parking.registerLot': (p: ActionParams, t: Translate) =>
      t(k('registerLot'), { name: text(p.name, 'name'), id: text(p.id, 'id'), capacity: String(p.capacity) }),
    'parking.setTariff': (p: ActionParams, t: Translate) => t(k('setTariff'), { lot: text(p.lot, 'lot') }),
    'parking.registerGate': (p: ActionParams, t: Translate) =>
      t(k('registerGate'), { lot: text(p.lot, 'lot'), gate: text(p.gate, 'gate') }),
    'parking.issuePass': (p: ActionParams, t: Translate) =>
      t(k('issuePass'), { lots: String(Array.isArray(p.lots) ? p.lots.length : 0) }),
    'parking.openSession': (p: ActionParams, t: Translate) =>
      t(k('openSession'), { lot: text(p.lot, 'lot'), gate: text(p.gate, 'gate') }),
    'parking.closeSession': (p: ActionParams, t: Translate) =>
      t(k('closeSession'), { lot: text(p.lot, 'lot'), gate: text(p.gate, 'gate') }),
    'parking.pay': (p: ActionParams, t: Translate) =>
      t(k('pay'), {
        session: short(text(p.session, 'session')),
        max: p.maxFen === undefined ? '' : t(k('payMax'), { max: yuan(p.maxFen) }),
      }),
    'parking.refund': (p: ActionParams, t: Translate) =>
      t(k('refund'), { receipt: short(text(p.receipt, 'receipt')), reason: text(p.reason, 'reason') }),
    'parking.adjust': (p: ActionParams, t: Translate) =>
      t(k('adjust'), {
        session: short(text(p.session, 'session')),
        delta: yuan(p.deltaFen),
        reason: text(p.reason, 'reason'),
      }),
    'parking.reportOccupancy': (p: ActionParams, t: Translate) =>
      t(k('reportOccupancy'), { lot: text(p.lot, 'lot'), counted: String(p.counted) }),
    'parking.settle': (p: ActionParams, t: Translate) => t(k('settle'), { date: text(p.date, 'date') }),
  },
};

export default pack;
