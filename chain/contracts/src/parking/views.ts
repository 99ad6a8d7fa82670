// Read-only views of the parking contract's state: operators, lots, versioned tariffs, gate keys, passes,
// sessions, receipts, per-day revenue and settlement statements. The parking server, its gates' tariff
// cache and the web read these; views never write.
import { type Address, asBigInt, type StateReader, type Value } from '@gongxin/ledger';
import { hasRole } from '../identity/views';
import type { FeeLine, Tariff, VehicleType } from './tariff';

export const PARKING_APP = 'parking';
/** A company running lots; an aggregator collects payments for the alliance and settles daily. */
export const PARKING_ROLES = ['operator', 'aggregator'] as const;
export type ParkingRole = (typeof PARKING_ROLES)[number];

export const SESSION_STATUSES = ['open', 'closed', 'orphan'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
/** Why a session is an orphan: an exit without entry, or an entry while one was open (superseded). */
export const ORPHAN_REASONS = ['noEntry', 'superseded'] as const;

export const parkingKeys = {
  operator: (id: string) => `parking/operator/${id}`,
  lot: (id: string) => `parking/lot/${id}`,
  tariff: (lot: string, version: number) => `parking/tariff/${lot}/${version}`,
  gate: (lot: string, gate: string) => `parking/gate/${lot}/${gate}`,
  pass: (plateHash: string, operator: string) => `parking/pass/${plateHash}/${operator}`,
  passCount: (lot: string) => `parking/passcount/${lot}`,
  session: (id: string) => `parking/session/${id}`,
  open: (lot: string, plateHash: string) => `parking/open/${lot}/${plateHash}`,
  history: (lot: string, plateHash: string) => `parking/history/${lot}/${plateHash}`,
  receipt: (id: string) => `parking/receipt/${id}`,
  day: (date: string, lot: string) => `parking/day/${date}/${lot}`,
  dayLots: (date: string) => `parking/daylots/${date}`,
  statement: (id: string) => `parking/statement/${id}`,
  adjustment: (id: string) => `parking/adjustment/${id}`,
} as const;

export type Operator = {
  readonly id: string;
  readonly name: string;
  readonly account: Address;
  readonly at: number;
};

export type Lot = {
  readonly id: string;
  readonly name: string;
  readonly operator: string;
  readonly capacity: number;
  /** Spaces let to fixed-pass cars: they never count as free. */
  readonly fixedSpaces: number;
  /** The asset payments are made in (the CNY voucher). */
  readonly symbol: string;
  /** The aggregator's fee on this lot's revenue, in basis points. */
  readonly feeBps: number;
  /** Most monthly passes as a share of the spaces, in percent (60 in busy zones, 80 elsewhere). */
  readonly passQuotaPercent: number;
  readonly tariffVersion: number;
  /** Sessions open now (derived occupancy). */
  readonly open: number;
  /** The last count the operator reported (counted occupancy) and when. */
  readonly counted?: number;
  readonly countedAt?: number;
  readonly latE6?: number;
  readonly lonE6?: number;
  readonly at: number;
};

export type TariffRecord = {
  readonly lot: string;
  readonly version: number;
  readonly tariff: Tariff;
  /** Hash of the tariff's canonical encoding: every receipt names version and hash. */
  readonly hash: string;
  readonly at: number;
  readonly time: number;
};

export type Gate = { readonly lot: string; readonly gate: string; readonly key: string; readonly at: number };

export type Pass = {
  readonly id: string;
  readonly plateHash: string;
  readonly operator: string;
  readonly lots: readonly string[];
  readonly validFrom: number;
  readonly validUntil: number;
  readonly at: number;
};

export type Session = {
  readonly id: string;
  readonly lot: string;
  readonly plateHash: string;
  readonly vehicle: VehicleType;
  readonly entry: number | null;
  readonly exit?: number;
  readonly entryGate?: string;
  readonly exitGate?: string;
  readonly tariffVersion: number;
  readonly status: SessionStatus;
  readonly orphan?: (typeof ORPHAN_REASONS)[number];
  /** What the stay cost at its exit (after the exit only). */
  readonly feeFen?: bigint;
  readonly paidFen: bigint;
  readonly paidAt?: number;
  readonly adjustedFen: bigint;
  readonly receipts: readonly string[];
  readonly at: number;
};

export type Receipt = {
  readonly id: string;
  readonly session: string;
  readonly lot: string;
  readonly operator: string;
  readonly payer: Address;
  readonly symbol: string;
  readonly fen: bigint;
  readonly totalFen: bigint;
  readonly lines: readonly FeeLine[];
  readonly tariffVersion: number;
  readonly tariffHash: string;
  readonly date: string;
  readonly time: number;
  readonly at: number;
  readonly txId: string;
  readonly refunded?: { readonly by: Address; readonly reason: string; readonly at: number };
};

export type DayTotal = {
  readonly gross: bigint;
  readonly refunded: bigint;
  readonly settled: bigint;
  readonly count: number;
};

export type StatementLine = {
  readonly lot: string;
  readonly operator: string;
  readonly account: Address;
  readonly net: bigint;
  readonly fee: bigint;
  readonly share: bigint;
};

export type Statement = {
  readonly id: string;
  readonly date: string;
  readonly aggregator: Address;
  readonly lines: readonly StatementLine[];
  readonly total: bigint;
  readonly fees: bigint;
  readonly at: number;
  readonly time: number;
};

export type Adjustment = {
  readonly id: string;
  readonly session: string;
  readonly deltaFen: bigint;
  readonly reason: string;
  readonly by: Address;
  readonly at: number;
};

export function hasParkingRole(state: StateReader, address: Address, role: ParkingRole): boolean {
  return hasRole(state, address, PARKING_APP, role);
}

const big = (v: Value | undefined) => asBigInt(v) ?? 0n;

export const operatorOf = (s: StateReader, id: string) =>
  s.get(parkingKeys.operator(id)) as Operator | undefined;
export const parkingLotOf = (s: StateReader, id: string) => s.get(parkingKeys.lot(id)) as Lot | undefined;
export const gateOf = (s: StateReader, lot: string, gate: string) =>
  s.get(parkingKeys.gate(lot, gate)) as Gate | undefined;
export const passOf = (s: StateReader, plateHash: string, operator: string) =>
  s.get(parkingKeys.pass(plateHash, operator)) as Pass | undefined;
export const openSessionOf = (s: StateReader, lot: string, plateHash: string) =>
  s.get(parkingKeys.open(lot, plateHash)) as string | undefined;
export const statementOf = (s: StateReader, id: string) =>
  s.get(parkingKeys.statement(id)) as Statement | undefined;
export const adjustmentOf = (s: StateReader, id: string) =>
  s.get(parkingKeys.adjustment(id)) as Adjustment | undefined;
export const dayLotsOf = (s: StateReader, date: string) =>
  (s.get(parkingKeys.dayLots(date)) as readonly string[] | undefined) ?? [];

/** Amounts come back as bigint, or as numbers once a node reloaded small ones: always bigint here. */
export function tariffFromValue(v: Value): Tariff {
  const t = v as unknown as Tariff;
  const rate = (r: { firstUnitFen: unknown; unitFen: unknown }) => ({
    firstUnitFen: big(r.firstUnitFen as Value),
    unitFen: big(r.unitFen as Value),
  });
  const rates: Record<string, unknown> = {};
  for (const [k, set] of Object.entries(t.rates))
    if (set) rates[k] = { day: rate(set.day), night: rate(set.night) };
  return {
    ...t,
    rates: rates as unknown as Tariff['rates'],
    cap: { kind: t.cap.kind, fen: big(t.cap.fen as unknown as Value) },
    noEntryFen: big(t.noEntryFen as unknown as Value),
  };
}

export function tariffOf(s: StateReader, lot: string, version: number): TariffRecord | undefined {
  const record = s.get(parkingKeys.tariff(lot, version)) as TariffRecord | undefined;
  return record && { ...record, tariff: tariffFromValue(record.tariff as unknown as Value) };
}

export function sessionOf(s: StateReader, id: string): Session | undefined {
  const v = s.get(parkingKeys.session(id)) as Session | undefined;
  if (!v) return undefined;
  return {
    ...v,
    paidFen: big(v.paidFen as unknown as Value),
    adjustedFen: big(v.adjustedFen as unknown as Value),
    ...(v.feeFen !== undefined && { feeFen: big(v.feeFen as unknown as Value) }),
  };
}

export function receiptOf(s: StateReader, id: string): Receipt | undefined {
  const v = s.get(parkingKeys.receipt(id)) as Receipt | undefined;
  if (!v) return undefined;
  return {
    ...v,
    fen: big(v.fen as unknown as Value),
    totalFen: big(v.totalFen as unknown as Value),
    lines: v.lines.map((l) => ({ ...l, fen: big(l.fen as unknown as Value) })),
  };
}

export function dayTotalOf(s: StateReader, date: string, lot: string): DayTotal {
  const v = s.get(parkingKeys.day(date, lot)) as DayTotal | undefined;
  return {
    gross: big(v?.gross as Value),
    refunded: big(v?.refunded as Value),
    settled: big(v?.settled as Value),
    count: v?.count ?? 0,
  };
}

/** Earlier stays of a plate at a lot (the last few, for caps across re-entries). */
export function historyOf(s: StateReader, lot: string, plateHash: string) {
  const v =
    (s.get(parkingKeys.history(lot, plateHash)) as
      | readonly { entry: number; exit: number; fen: Value }[]
      | undefined) ?? [];
  return v.map((h) => ({ entry: h.entry, exit: h.exit, fen: big(h.fen) }));
}
