// Smart parking (智慧停车): rival operators' lots on one ledger. Operators register lots, versioned
// tariffs, gate device keys and monthly passes any lot of the alliance can check; the aggregator (the
// parking server's service account) records sessions from the gates' signed events; drivers pay from
// their wallet in the lot's CNY asset, priced on chain by the same tariff engine the gate decides with,
// and every receipt names the tariff version and hash. Payments are held (locked) until the daily
// settlement splits each lot's net revenue between its operator and the aggregator's fee, to the fen.
//
// Noisy reality is recorded, never crashed on: an exit without entry and an entry while a session is
// open become orphan sessions; a second payment of the same stay is refunded; a difference found on
// reconciliation is an audited adjustment, never a silent edit.
import {
  type Address,
  type ContractContext,
  ContractError,
  type ContractModule,
  defineAction,
  encodeCanonical,
  toHex,
  type Value,
} from '@gongxin/ledger';
import { z } from 'zod';
import { lock, unlock } from '../assets/library';
import { assetOf } from '../assets/views';
import { actionId, zHash32, zName, zReason, zSlug, zSymbol } from '../common';
import { parkingEvents } from './events';
import {
  CAP_KINDS,
  civilDay,
  DAY_MS,
  type FeeLine,
  quote,
  type Tariff,
  TariffError,
  tariffProblem,
  VEHICLE_TYPES,
} from './tariff';
import {
  type DayTotal,
  dayLotsOf,
  dayTotalOf,
  hasParkingRole,
  historyOf,
  type Lot,
  operatorOf,
  type Pass,
  parkingKeys,
  parkingLotOf,
  passOf,
  type Receipt,
  receiptOf,
  type Session,
  type Statement,
  type StatementLine,
  sessionOf,
  tariffOf,
} from './views';

/** Stays of a plate kept per lot for caps across re-entries (within 48 h). */
export const MAX_HISTORY = 8;
export const MAX_PASS_LOTS = 32;
/** How far a device time may be ahead of the block time (gate clocks drift). */
export const DEVICE_TIME_TOLERANCE_MS = 5 * 60_000;
export const PASS_DAYS = 31;

const zFen = z
  .union([z.number().int(), z.bigint()])
  .transform((v) => BigInt(v))
  .refine((v) => v >= 0n && v <= 10n ** 12n, 'fen: 0 to 10^12');
const zMinutes = (max: number) => z.number().int().min(0).max(max);
const zRate = z.object({ firstUnitFen: zFen, unitFen: zFen }).strict();
const zRateSet = z.object({ day: zRate, night: zRate }).strict();
export const zTariff = z
  .object({
    freeMinutes: zMinutes(1440),
    chargeFrom: z.enum(['entry', 'freeEnd']),
    unitMinutes: zMinutes(1440).refine((v) => v >= 1, 'unitMinutes: at least 1'),
    dayStart: zMinutes(1439),
    dayEnd: zMinutes(1439),
    straddle: z.enum(['start', 'higher']),
    rates: z
      .object({
        small: zRateSet,
        large: zRateSet.optional(),
        newEnergy: zRateSet.optional(),
        motorcycle: zRateSet.optional(),
      })
      .strict(),
    cap: z.object({ kind: z.enum(CAP_KINDS), fen: zFen }).strict(),
    capAcrossReentries: z.boolean(),
    exitWindowMinutes: zMinutes(1440),
    graceDays: zMinutes(366),
    noEntryFen: zFen,
  })
  .strict();
const zId = z.string().regex(/^[0-9a-f]{64}(:\d{1,4})?$/, 'an id is a tx id, with :<action> after the first');
const zTime = z.number().int().min(0).max(8.64e15);
const zVehicle = z.enum(VEHICLE_TYPES);
const zGateId = zSlug;

function requireRole(ctx: ContractContext, role: 'operator' | 'aggregator', what: string): void {
  if (!hasParkingRole(ctx, ctx.sender, role))
    throw new ContractError('not_authorized', `only an account with role parking/${role} may ${what}`);
}

function requireLot(ctx: ContractContext, id: string): Lot {
  const lot = parkingLotOf(ctx, id);
  if (!lot) throw new ContractError('not_found', `no lot ${id}`);
  return lot;
}

function operatorAccount(ctx: ContractContext, lot: Lot): Address {
  return operatorOf(ctx, lot.operator)!.account;
}

/** The lot's operator, or the aggregator that records for the alliance. */
function requireLotWriter(ctx: ContractContext, lot: Lot, what: string): void {
  if (operatorAccount(ctx, lot) === ctx.sender) return;
  if (hasParkingRole(ctx, ctx.sender, 'aggregator')) return;
  throw new ContractError('not_authorized', `only lot ${lot.id}'s operator or the aggregator may ${what}`);
}

function requireSession(ctx: ContractContext, id: string): Session {
  const session = sessionOf(ctx, id);
  if (!session) throw new ContractError('not_found', `no session ${id}`);
  return session;
}

function checkDeviceTime(ctx: ContractContext, time: number, field: string): void {
  if (time > ctx.time + DEVICE_TIME_TOLERANCE_MS)
    throw new ContractError('not_allowed', `${field} ${time} is later than the block time ${ctx.time}`);
}

function putSession(ctx: ContractContext, session: Session): void {
  ctx.set(parkingKeys.session(session.id), session as unknown as Value);
}

function putLot(ctx: ContractContext, lot: Lot): void {
  ctx.set(parkingKeys.lot(lot.id), lot as unknown as Value);
}

function validPass(ctx: ContractContext, lot: Lot, plateHash: string): Pass | undefined {
  const pass = passOf(ctx, plateHash, lot.operator);
  return pass?.lots.includes(lot.id) ? pass : undefined;
}

/** The engine's quote for a session at `exit`, with history, pass and what was paid before. */
function quoteSession(ctx: ContractContext, session: Session, exit: number) {
  const lot = requireLot(ctx, session.lot);
  const record = tariffOf(ctx, lot.id, session.tariffVersion);
  if (!record)
    throw new ContractError('not_found', `lot ${lot.id} has no tariff version ${session.tariffVersion}`);
  const pass = validPass(ctx, lot, session.plateHash);
  const history = historyOf(ctx, lot.id, session.plateHash).filter(
    (h) => session.entry === null || h.entry < session.entry,
  );
  try {
    const q = quote(record.tariff, {
      entry: session.entry,
      exit: session.entry === null ? exit : Math.max(exit, session.entry),
      vehicle: session.vehicle,
      history,
      ...(pass && { pass: { validFrom: pass.validFrom, validUntil: pass.validUntil } }),
      ...(session.paidAt !== undefined &&
        session.paidFen > 0n && { prepaid: { at: session.paidAt, fen: session.paidFen } }),
    });
    return { q, record, lot };
  } catch (error) {
    if (error instanceof TariffError) throw new ContractError('not_allowed', error.message);
    throw error;
  }
}

function linesValue(lines: readonly FeeLine[]): Value {
  return lines.map((l) =>
    Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined)),
  ) as unknown as Value;
}

function putDayTotal(ctx: ContractContext, date: string, lot: string, total: DayTotal): void {
  ctx.set(parkingKeys.day(date, lot), total as unknown as Value);
  const lots = dayLotsOf(ctx, date);
  if (!lots.includes(lot)) ctx.set(parkingKeys.dayLots(date), [...lots, lot]);
}

const lockRef = (lot: string) => `parking:${lot}`;

const schemas = {
  registerOperator: z.object({ id: zSlug, name: zName }).strict(),
  registerLot: z
    .object({
      id: zSlug,
      name: zName,
      operator: zSlug,
      capacity: z.number().int().min(1).max(100_000),
      fixedSpaces: z.number().int().min(0).max(100_000).default(0),
      symbol: zSymbol,
      feeBps: z.number().int().min(0).max(3000),
      passQuotaPercent: z.number().int().min(0).max(100).default(60),
      lat: z.number().int().min(-90e6).max(90e6).optional(),
      lon: z.number().int().min(-180e6).max(180e6).optional(),
    })
    .strict()
    .refine((p) => p.fixedSpaces <= p.capacity, 'fixedSpaces: at most the capacity'),
  setTariff: z.object({ lot: zSlug, tariff: zTariff }).strict(),
  registerGate: z
    .object({
      lot: zSlug,
      gate: zGateId,
      key: z.string().regex(/^[0-9a-f]{64}$/, 'key: 32-byte public key as 64 lowercase hex digits'),
    })
    .strict(),
  issuePass: z
    .object({
      operator: zSlug,
      plateHash: zHash32,
      lots: z
        .array(zSlug)
        .min(1)
        .max(MAX_PASS_LOTS)
        .refine((l) => new Set(l).size === l.length, 'lots: a lot is named twice'),
    })
    .strict(),
  openSession: z
    .object({
      id: zHash32,
      lot: zSlug,
      gate: zGateId,
      plateHash: zHash32,
      vehicle: zVehicle.default('small'),
      entry: zTime,
    })
    .strict(),
  closeSession: z
    .object({
      eventHash: zHash32,
      lot: zSlug,
      gate: zGateId,
      plateHash: zHash32,
      vehicle: zVehicle.default('small'),
      exit: zTime,
    })
    .strict(),
  pay: z.object({ session: zHash32, maxFen: zFen.optional() }).strict(),
  refund: z.object({ receipt: zId, reason: zReason }).strict(),
  adjust: z
    .object({
      session: zHash32,
      deltaFen: z.union([z.number().int(), z.bigint()]).transform((v) => BigInt(v)),
      reason: zReason,
    })
    .strict(),
  reportOccupancy: z.object({ lot: zSlug, counted: z.number().int().min(0).max(100_000) }).strict(),
  settle: z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date: YYYY-MM-DD') }).strict(),
} as const;

export const parkingContract: ContractModule = {
  name: 'parking',
  version: 1,
  actions: {
    registerOperator: defineAction(schemas.registerOperator, (ctx, { id, name }) => {
      requireRole(ctx, 'operator', 'register as a parking operator');
      if (operatorOf(ctx, id)) throw new ContractError('already_exists', `operator ${id} exists`);
      ctx.set(parkingKeys.operator(id), { id, name, account: ctx.sender, at: ctx.height });
      parkingEvents.emit(ctx, 'operatorRegistered', { id, name, account: ctx.sender });
    }),

    registerLot: defineAction(schemas.registerLot, (ctx, p) => {
      const operator = operatorOf(ctx, p.operator);
      if (!operator) throw new ContractError('not_found', `no operator ${p.operator}`);
      if (operator.account !== ctx.sender)
        throw new ContractError(
          'not_authorized',
          `only operator ${p.operator}'s account may register its lots`,
        );
      if (parkingLotOf(ctx, p.id)) throw new ContractError('already_exists', `lot ${p.id} exists`);
      if (!assetOf(ctx, p.symbol)) throw new ContractError('not_found', `no asset ${p.symbol}`);
      const lot: Lot = {
        id: p.id,
        name: p.name,
        operator: p.operator,
        capacity: p.capacity,
        fixedSpaces: p.fixedSpaces,
        symbol: p.symbol,
        feeBps: p.feeBps,
        passQuotaPercent: p.passQuotaPercent,
        tariffVersion: 0,
        open: 0,
        ...(p.lat !== undefined && p.lon !== undefined && { latE6: p.lat, lonE6: p.lon }),
        at: ctx.height,
      };
      putLot(ctx, lot);
      parkingEvents.emit(ctx, 'lotRegistered', {
        id: p.id,
        name: p.name,
        operator: p.operator,
        capacity: p.capacity,
        fixedSpaces: p.fixedSpaces,
        symbol: p.symbol,
        feeBps: p.feeBps,
      });
    }),

    setTariff: defineAction(schemas.setTariff, (ctx, { lot: lotId, tariff }) => {
      const lot = requireLot(ctx, lotId);
      if (operatorAccount(ctx, lot) !== ctx.sender)
        throw new ContractError('not_authorized', `only lot ${lotId}'s operator may set its tariff`);
      const problem = tariffProblem(tariff as Tariff);
      if (problem) throw new ContractError('invalid_params', problem);
      const version = lot.tariffVersion + 1;
      const hash = toHex(ctx.suite.hash(encodeCanonical(tariff as unknown as Value)));
      ctx.set(parkingKeys.tariff(lotId, version), {
        lot: lotId,
        version,
        tariff: tariff as unknown as Value,
        hash,
        at: ctx.height,
        time: ctx.time,
      });
      putLot(ctx, { ...lot, tariffVersion: version });
      parkingEvents.emit(ctx, 'tariffSet', { lot: lotId, version, hash });
    }),

    registerGate: defineAction(schemas.registerGate, (ctx, { lot: lotId, gate, key }) => {
      const lot = requireLot(ctx, lotId);
      if (operatorAccount(ctx, lot) !== ctx.sender)
        throw new ContractError('not_authorized', `only lot ${lotId}'s operator may register its gates`);
      // A new key replaces the old one (a replaced controller); events keep the key they were signed with.
      ctx.set(parkingKeys.gate(lotId, gate), { lot: lotId, gate, key, at: ctx.height });
      parkingEvents.emit(ctx, 'gateRegistered', { lot: lotId, gate, key });
    }),

    /** A monthly pass: valid from 00:00 the next day for 31 days, within the lots' pass quotas. */
    issuePass: defineAction(schemas.issuePass, (ctx, { operator, plateHash, lots }) => {
      const op = operatorOf(ctx, operator);
      if (!op) throw new ContractError('not_found', `no operator ${operator}`);
      if (op.account !== ctx.sender)
        throw new ContractError('not_authorized', `only operator ${operator} may issue its passes`);
      const existing = passOf(ctx, plateHash, operator);
      if (existing && existing.validUntil > ctx.time)
        throw new ContractError(
          'already_exists',
          `the plate holds a pass of ${operator} until ${existing.validUntil}`,
        );
      for (const id of lots) {
        const lot = requireLot(ctx, id);
        if (lot.operator !== operator)
          throw new ContractError('not_allowed', `lot ${id} is not run by ${operator}`);
        const count = (ctx.get(parkingKeys.passCount(id)) as number | undefined) ?? 0;
        const quota = Math.floor((lot.capacity * lot.passQuotaPercent) / 100);
        if (count >= quota)
          throw new ContractError(
            'limit_exceeded',
            `lot ${id} has issued its ${quota} passes (${lot.passQuotaPercent}% of ${lot.capacity} spaces)`,
          );
        ctx.set(parkingKeys.passCount(id), count + 1);
      }
      const validFrom = Math.floor((ctx.time + 8 * 3_600_000) / DAY_MS + 1) * DAY_MS - 8 * 3_600_000;
      const pass: Pass = {
        id: actionId(ctx),
        plateHash,
        operator,
        lots,
        validFrom,
        validUntil: validFrom + PASS_DAYS * DAY_MS,
        at: ctx.height,
      };
      ctx.set(parkingKeys.pass(plateHash, operator), pass as unknown as Value);
      parkingEvents.emit(ctx, 'passIssued', {
        id: pass.id,
        plateHash,
        operator,
        lots,
        validFrom,
        validUntil: pass.validUntil,
      });
    }),

    openSession: defineAction(
      schemas.openSession,
      (ctx, { id, lot: lotId, gate, plateHash, vehicle, entry }) => {
        let lot = requireLot(ctx, lotId);
        requireLotWriter(ctx, lot, 'record sessions');
        if (!ctx.get(parkingKeys.gate(lotId, gate)))
          throw new ContractError('not_found', `lot ${lotId} has no gate ${gate}`);
        if (lot.tariffVersion === 0) throw new ContractError('not_allowed', `lot ${lotId} has no tariff yet`);
        checkDeviceTime(ctx, entry, 'entry');
        if (sessionOf(ctx, id)) throw new ContractError('already_exists', `session ${id} was recorded`);
        const previous = ctx.get(parkingKeys.open(lotId, plateHash)) as string | undefined;
        if (previous) {
          // An entry while a session is open: the exit was missed. The old one becomes an orphan.
          const old = requireSession(ctx, previous);
          putSession(ctx, { ...old, status: 'orphan', orphan: 'superseded' });
          lot = { ...lot, open: Math.max(0, lot.open - 1) };
          parkingEvents.emit(ctx, 'sessionOrphaned', {
            id: previous,
            lot: lotId,
            plateHash,
            vehicle: old.vehicle,
            reason: 'superseded',
          });
        }
        const session: Session = {
          id,
          lot: lotId,
          plateHash,
          vehicle,
          entry,
          entryGate: gate,
          tariffVersion: lot.tariffVersion,
          status: 'open',
          paidFen: 0n,
          adjustedFen: 0n,
          receipts: [],
          at: ctx.height,
        };
        putSession(ctx, session);
        ctx.set(parkingKeys.open(lotId, plateHash), id);
        putLot(ctx, { ...lot, open: lot.open + 1 });
        parkingEvents.emit(ctx, 'sessionOpened', {
          id,
          lot: lotId,
          plateHash,
          vehicle,
          entry,
          gate,
          tariffVersion: lot.tariffVersion,
        });
      },
    ),

    closeSession: defineAction(
      schemas.closeSession,
      (ctx, { eventHash, lot: lotId, gate, plateHash, vehicle, exit }) => {
        let lot = requireLot(ctx, lotId);
        requireLotWriter(ctx, lot, 'record sessions');
        if (!ctx.get(parkingKeys.gate(lotId, gate)))
          throw new ContractError('not_found', `lot ${lotId} has no gate ${gate}`);
        checkDeviceTime(ctx, exit, 'exit');
        const openId = ctx.get(parkingKeys.open(lotId, plateHash)) as string | undefined;
        let session: Session;
        if (openId) {
          session = requireSession(ctx, openId);
          if (session.entry !== null && exit < session.entry)
            throw new ContractError('not_allowed', `exit ${exit} is before the entry ${session.entry}`);
          ctx.delete(parkingKeys.open(lotId, plateHash));
          lot = { ...lot, open: Math.max(0, lot.open - 1) };
        } else {
          // An exit without entry record: an orphan session, charged the tariff's no-entry fee.
          if (lot.tariffVersion === 0)
            throw new ContractError('not_allowed', `lot ${lotId} has no tariff yet`);
          if (sessionOf(ctx, eventHash))
            throw new ContractError('already_exists', `session ${eventHash} was recorded`);
          session = {
            id: eventHash,
            lot: lotId,
            plateHash,
            vehicle,
            entry: null,
            tariffVersion: lot.tariffVersion,
            status: 'orphan',
            orphan: 'noEntry',
            paidFen: 0n,
            adjustedFen: 0n,
            receipts: [],
            at: ctx.height,
          };
          parkingEvents.emit(ctx, 'sessionOrphaned', {
            id: eventHash,
            lot: lotId,
            plateHash,
            vehicle,
            reason: 'noEntry',
          });
        }
        const { q } = quoteSession(ctx, session, exit);
        const closed: Session = {
          ...session,
          exit,
          exitGate: gate,
          feeFen: q.totalFen,
          status: session.status === 'open' ? 'closed' : session.status,
        };
        putSession(ctx, closed);
        putLot(ctx, lot);
        if (session.entry !== null) {
          const keep = historyOf(ctx, lotId, plateHash).filter((h) => exit - h.exit < 2 * DAY_MS);
          const history = [...keep, { entry: session.entry, exit, fen: q.totalFen }].slice(-MAX_HISTORY);
          ctx.set(parkingKeys.history(lotId, plateHash), history as unknown as Value);
        }
        parkingEvents.emit(ctx, 'sessionClosed', {
          id: closed.id,
          lot: lotId,
          exit,
          gate,
          fee: q.totalFen,
          paid: closed.paidFen,
        });
      },
    ),

    /** The driver pays what is due now (an open session) or at its exit (a closed one), from the wallet. */
    pay: defineAction(schemas.pay, (ctx, { session: id, maxFen }) => {
      const session = requireSession(ctx, id);
      const { q, record, lot } = quoteSession(ctx, session, session.exit ?? ctx.time);
      const due = q.totalFen - session.paidFen + session.adjustedFen;
      if (due <= 0n) throw new ContractError('not_allowed', `nothing is due on session ${id}`);
      if (maxFen !== undefined && due > maxFen)
        throw new ContractError(
          'not_allowed',
          `${due} fen are due, more than the ${maxFen} the payer agreed to`,
        );
      lock(ctx, lot.symbol, ctx.sender, due, lockRef(lot.id));
      const date = civilDay(ctx.time);
      const receiptId = actionId(ctx);
      const receipt: Receipt = {
        id: receiptId,
        session: id,
        lot: lot.id,
        operator: lot.operator,
        payer: ctx.sender,
        symbol: lot.symbol,
        fen: due,
        totalFen: q.totalFen,
        lines: q.lines,
        tariffVersion: record.version,
        tariffHash: record.hash,
        date,
        time: ctx.time,
        at: ctx.height,
        txId: ctx.txIdHex,
      };
      ctx.set(parkingKeys.receipt(receiptId), { ...receipt, lines: linesValue(q.lines) } as unknown as Value);
      putSession(ctx, {
        ...session,
        paidFen: session.paidFen + due,
        paidAt: ctx.time,
        receipts: [...session.receipts, receiptId],
      });
      const day = dayTotalOf(ctx, date, lot.id);
      putDayTotal(ctx, date, lot.id, { ...day, gross: day.gross + due, count: day.count + 1 });
      parkingEvents.emit(ctx, 'paid', {
        receipt: receiptId,
        session: id,
        lot: lot.id,
        payer: ctx.sender,
        symbol: lot.symbol,
        amount: due,
        total: q.totalFen,
        tariffVersion: record.version,
        tariffHash: record.hash,
        date,
      });
    }),

    /** Paid twice (app and booth) or wrongly: the payment goes back to the payer before it is settled. */
    refund: defineAction(schemas.refund, (ctx, { receipt: receiptId, reason }) => {
      const receipt = receiptOf(ctx, receiptId);
      if (!receipt) throw new ContractError('not_found', `no receipt ${receiptId}`);
      const lot = requireLot(ctx, receipt.lot);
      requireLotWriter(ctx, lot, 'refund payments');
      if (receipt.refunded) throw new ContractError('not_allowed', `receipt ${receiptId} was refunded`);
      const day = dayTotalOf(ctx, receipt.date, lot.id);
      if (day.gross - day.refunded - day.settled < receipt.fen)
        throw new ContractError(
          'not_allowed',
          `the revenue of ${receipt.date} at ${lot.id} is settled: adjust instead`,
        );
      unlock(ctx, receipt.symbol, receipt.payer, receipt.fen, lockRef(lot.id));
      const stored = ctx.get(parkingKeys.receipt(receiptId)) as Record<string, Value>;
      ctx.set(parkingKeys.receipt(receiptId), {
        ...stored,
        refunded: { by: ctx.sender, reason, at: ctx.height },
      });
      const session = requireSession(ctx, receipt.session);
      putSession(ctx, { ...session, paidFen: session.paidFen - receipt.fen });
      putDayTotal(ctx, receipt.date, lot.id, { ...day, refunded: day.refunded + receipt.fen });
      parkingEvents.emit(ctx, 'refunded', {
        receipt: receiptId,
        session: receipt.session,
        amount: receipt.fen,
        reason,
        by: ctx.sender,
      });
    }),

    /** An audited correction of what a session owes (a reconciliation difference, an orphan's fee). */
    adjust: defineAction(schemas.adjust, (ctx, { session: id, deltaFen, reason }) => {
      const session = requireSession(ctx, id);
      const lot = requireLot(ctx, session.lot);
      requireLotWriter(ctx, lot, 'adjust sessions');
      const adjusted = session.adjustedFen + deltaFen;
      if ((session.feeFen ?? 0n) + adjusted < 0n)
        throw new ContractError('not_allowed', 'an adjustment may not make the fee negative');
      const adjustmentId = actionId(ctx);
      ctx.set(parkingKeys.adjustment(adjustmentId), {
        id: adjustmentId,
        session: id,
        deltaFen,
        reason,
        by: ctx.sender,
        at: ctx.height,
      });
      putSession(ctx, { ...session, adjustedFen: adjusted });
      parkingEvents.emit(ctx, 'adjusted', {
        id: adjustmentId,
        session: id,
        delta: deltaFen.toString(),
        reason,
        by: ctx.sender,
      });
    }),

    /** Counted occupancy (loops, cameras or a walk-round) beside the derived one (open sessions). */
    reportOccupancy: defineAction(schemas.reportOccupancy, (ctx, { lot: lotId, counted }) => {
      const lot = requireLot(ctx, lotId);
      requireLotWriter(ctx, lot, 'report occupancy');
      if (counted > lot.capacity)
        throw new ContractError('not_allowed', `counted ${counted} exceeds the capacity ${lot.capacity}`);
      putLot(ctx, { ...lot, counted, countedAt: ctx.time });
      parkingEvents.emit(ctx, 'occupancyCounted', { lot: lotId, counted, derived: lot.open });
    }),

    /**
     * The day's settlement: every lot's net revenue not yet settled is paid out of the held payments,
     * the aggregator's fee (basis points, rounded down) to the aggregator and the rest to the operator.
     * Σ shares + Σ fees = Σ net to the fen. A day may be settled again for what was paid since.
     */
    settle: defineAction(schemas.settle, (ctx, { date }) => {
      requireRole(ctx, 'aggregator', 'settle');
      if (date > civilDay(ctx.time)) throw new ContractError('not_allowed', `${date} has not begun`);
      const lines: StatementLine[] = [];
      let total = 0n;
      let fees = 0n;
      for (const lotId of dayLotsOf(ctx, date)) {
        const lot = requireLot(ctx, lotId);
        const day = dayTotalOf(ctx, date, lotId);
        const net = day.gross - day.refunded - day.settled;
        if (net <= 0n) continue;
        const fee = (net * BigInt(lot.feeBps)) / 10_000n;
        const share = net - fee;
        const account = operatorAccount(ctx, lot);
        if (fee > 0n) unlock(ctx, lot.symbol, ctx.sender, fee, lockRef(lotId));
        if (share > 0n) unlock(ctx, lot.symbol, account, share, lockRef(lotId));
        putDayTotal(ctx, date, lotId, { ...day, settled: day.settled + net });
        lines.push({ lot: lotId, operator: lot.operator, account, net, fee, share });
        total += net;
        fees += fee;
      }
      if (lines.length === 0) throw new ContractError('not_allowed', `nothing to settle for ${date}`);
      const id = actionId(ctx);
      const statement: Statement = {
        id,
        date,
        aggregator: ctx.sender,
        lines,
        total,
        fees,
        at: ctx.height,
        time: ctx.time,
      };
      ctx.set(parkingKeys.statement(id), statement as unknown as Value);
      parkingEvents.emit(ctx, 'settled', { id, date, aggregator: ctx.sender, total, fees, lines });
    }),
  },
};
