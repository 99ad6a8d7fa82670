// The parking tariff engine: a pure function (tariff, entry, exit, history) → fee lines in fen. The
// contract prices payments with it, the gate decides at the barrier with it from its cached tariff, and
// the server quotes with it: one engine, so the gate, the app and the chain agree to the fen.
//
// Times are block/device times in ms since the epoch; local time is China time (UTC+8, no DST). All
// amounts are bigint fen. The rules, each a tariff field:
// - Free minutes: a stay of at most `freeMinutes` is free; a longer stay is charged from entry
//   (`chargeFrom: 'entry'`) or from the end of the free period (`'freeEnd'`).
// - Units: the first charged unit costs the window's `firstUnitFen`, every further started unit of
//   `unitMinutes` its `unitFen` (rounded up: a started unit is a whole unit).
// - Day/night: the day window is [dayStart, dayEnd) in local minutes of the day; the rest (crossing
//   midnight) is night. A unit that straddles a boundary is priced by the window it starts in
//   (`straddle: 'start'`) or by the dearer of the two (`'higher'`).
// - Caps: none, per rolling 24 h from the entry (`rolling24h`) or per calendar day (`calendarDay`).
//   A unit counts towards the period its start falls in. With `capAcrossReentries`, what earlier stays at
//   the lot (the history) were charged in a period counts towards that period's cap.
// - Vehicle types: each type may have its own rates; a type without rates pays the `small` rates.
// - Prepayment: paid at `prepaidAt`, the car may leave within `exitWindowMinutes`; later, the time after
//   the payment is charged again from the first unit, without free minutes, within the cap.
// - Passes: a pass covers [validFrom, validUntil + graceDays); minutes outside are charged as a stay
//   starting where the cover ends (no free minutes).
// - No entry record: the exit is charged `noEntryFen` (one line, audited by the operator).

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;
export const CHINA_OFFSET_MS = 8 * 60 * MINUTE_MS;
/** The longest stay the engine prices; a longer one is refused (a forgotten car is an operator's case). */
export const MAX_STAY_MS = 400 * DAY_MS;

export const VEHICLE_TYPES = ['small', 'large', 'newEnergy', 'motorcycle'] as const;
export type VehicleType = (typeof VEHICLE_TYPES)[number];
export const CAP_KINDS = ['none', 'rolling24h', 'calendarDay'] as const;
export type CapKind = (typeof CAP_KINDS)[number];

export interface WindowRate {
  readonly firstUnitFen: bigint;
  readonly unitFen: bigint;
}
export interface RateSet {
  readonly day: WindowRate;
  readonly night: WindowRate;
}

export interface Tariff {
  readonly freeMinutes: number;
  readonly chargeFrom: 'entry' | 'freeEnd';
  readonly unitMinutes: number;
  /** Local minute of the day the day window starts (e.g. 480 = 08:00) and ends (1200 = 20:00). */
  readonly dayStart: number;
  readonly dayEnd: number;
  readonly straddle: 'start' | 'higher';
  readonly rates: Partial<Record<VehicleType, RateSet>> & { readonly small: RateSet };
  readonly cap: { readonly kind: CapKind; readonly fen: bigint };
  readonly capAcrossReentries: boolean;
  readonly exitWindowMinutes: number;
  readonly graceDays: number;
  readonly noEntryFen: bigint;
}

export interface PriorStay {
  readonly entry: number;
  readonly exit: number;
  readonly fen: bigint;
}

export interface PassCover {
  readonly validFrom: number;
  readonly validUntil: number;
}

export interface QuoteInput {
  /** null: no entry record for this exit. */
  readonly entry: number | null;
  readonly exit: number;
  readonly vehicle?: VehicleType;
  /** Earlier stays of the same plate at the lot (for caps across re-entries). */
  readonly history?: readonly PriorStay[];
  readonly pass?: PassCover;
  /** A payment made before the exit: when and how much (the quote at that moment). */
  readonly prepaid?: { readonly at: number; readonly fen: bigint };
}

export type FeeLineKind = 'free' | 'pass' | 'units' | 'cap' | 'noEntry' | 'prepaid';

export interface FeeLine {
  readonly kind: FeeLineKind;
  readonly from: number;
  readonly to: number;
  /** Charged units (for `units`), minutes covered (for `free` and `pass`), else 0. */
  readonly count: number;
  readonly window?: 'day' | 'night';
  /** The cap period the line belongs to (rolling: index from the anchor; calendar: YYYY-MM-DD). */
  readonly period?: string;
  readonly fen: bigint;
}

export interface Quote {
  readonly lines: readonly FeeLine[];
  /** What the stay costs in all. */
  readonly totalFen: bigint;
  /** What is still to pay (total less a prepayment). */
  readonly dueFen: bigint;
  /** With a prepayment: the exit window ends here; a later exit owes more. */
  readonly mayLeaveUntil?: number;
}

export class TariffError extends Error {
  override readonly name = 'TariffError';
}

const localMinuteOfDay = (t: number) =>
  Math.floor(((((t + CHINA_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);

export function civilDay(t: number): string {
  return new Date(t + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether a local minute of the day is in the day window (the night window wraps past midnight). */
export function isDayMinute(tariff: Tariff, minuteOfDay: number): boolean {
  const { dayStart, dayEnd } = tariff;
  if (dayStart === dayEnd) return true;
  return dayStart < dayEnd
    ? minuteOfDay >= dayStart && minuteOfDay < dayEnd
    : minuteOfDay >= dayStart || minuteOfDay < dayEnd;
}

/** Why a tariff cannot be used, or null. Checked on chain when an operator sets one. */
export function tariffProblem(t: Tariff): string | null {
  const minutes = (v: number, max: number) => Number.isInteger(v) && v >= 0 && v <= max;
  if (!minutes(t.freeMinutes, 24 * 60)) return 'freeMinutes: 0–1440 whole minutes';
  if (!minutes(t.unitMinutes, 24 * 60) || t.unitMinutes < 1) return 'unitMinutes: 1–1440 whole minutes';
  if (!minutes(t.dayStart, 1439) || !minutes(t.dayEnd, 1439)) return 'dayStart/dayEnd: minutes 0–1439';
  if (!minutes(t.exitWindowMinutes, 24 * 60)) return 'exitWindowMinutes: 0–1440';
  if (!minutes(t.graceDays, 366)) return 'graceDays: 0–366';
  if (t.noEntryFen < 0n) return 'noEntryFen: must not be negative';
  if (t.cap.fen < 0n || (t.cap.kind !== 'none' && t.cap.fen === 0n))
    return 'cap.fen: a cap is a positive amount';
  for (const [type, set] of Object.entries(t.rates)) {
    if (!set) continue;
    for (const w of [set.day, set.night])
      if (w.firstUnitFen < 0n || w.unitFen < 0n) return `rates.${type}: amounts must not be negative`;
  }
  return null;
}

interface Segment {
  /** Charged from here, in units. */
  readonly start: number;
  readonly end: number;
  /** Whether the segment's first unit is a first unit (a fresh stay) or a further one. */
  readonly fresh: boolean;
}

/** The charge of units over [start, end) within caps, appended to `lines`. Returns the amount. */
function chargeUnits(
  tariff: Tariff,
  rates: RateSet,
  segment: Segment,
  periodOf: (t: number) => { key: string; end: number },
  spent: Map<string, bigint>,
  lines: FeeLine[],
): bigint {
  const unitMs = tariff.unitMinutes * MINUTE_MS;
  const capped = tariff.cap.kind !== 'none';
  let total = 0n;
  let first = segment.fresh;
  let t = segment.start;
  // One line per run of units in the same period and window.
  let run: {
    from: number;
    to: number;
    count: number;
    window: 'day' | 'night';
    period: string;
    fen: bigint;
  } | null = null;
  const flush = () => {
    if (run && run.count > 0) lines.push({ kind: 'units', ...run });
    run = null;
  };
  while (t < segment.end) {
    const unitEnd = t + unitMs;
    const { key, end: periodEnd } = periodOf(t);
    const already = spent.get(key) ?? 0n;
    if (capped && already >= tariff.cap.fen) {
      // The period is capped: its remaining units are free; jump to its end (whole units).
      flush();
      const skip = Math.max(1, Math.ceil((periodEnd - t) / unitMs));
      t += skip * unitMs;
      first = false;
      continue;
    }
    const startsDay = isDayMinute(tariff, localMinuteOfDay(t));
    let window: 'day' | 'night' = startsDay ? 'day' : 'night';
    const priceOf = (w: 'day' | 'night') => (first ? rates[w].firstUnitFen : rates[w].unitFen);
    let price = priceOf(window);
    if (tariff.straddle === 'higher' && crossesBoundary(tariff, t, Math.min(unitEnd, segment.end))) {
      const other: 'day' | 'night' = window === 'day' ? 'night' : 'day';
      if (priceOf(other) > price) {
        price = priceOf(other);
        window = other;
      }
    }
    const charged = capped ? minBig(price, tariff.cap.fen - already) : price;
    spent.set(key, already + charged);
    total += charged;
    if (!run || run.window !== window || run.period !== key) {
      flush();
      run = { from: t, to: t, count: 0, window, period: key, fen: 0n };
    }
    run.to = Math.min(unitEnd, segment.end);
    run.count += 1;
    run.fen += charged;
    first = false;
    t = unitEnd;
  }
  flush();
  return total;
}

/** Whether [from, to) reaches past the next day/night boundary after `from` (into the other window). */
function crossesBoundary(tariff: Tariff, from: number, to: number): boolean {
  if (tariff.dayStart === tariff.dayEnd) return false;
  const msOfDay = (((from + CHINA_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS;
  let next = DAY_MS;
  for (const b of [tariff.dayStart, tariff.dayEnd]) {
    const d = (((b * MINUTE_MS - msOfDay) % DAY_MS) + DAY_MS) % DAY_MS;
    if (d > 0 && d < next) next = d;
  }
  return from + next < to;
}

const minBig = (a: bigint, b: bigint) => (a < b ? a : b);
const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);

/** The fee of a stay. Throws TariffError for an exit before the entry or a stay beyond MAX_STAY_MS. */
export function quote(tariff: Tariff, input: QuoteInput): Quote {
  const { entry, exit } = input;
  if (!Number.isSafeInteger(exit)) throw new TariffError('exit: a time in ms');
  if (entry === null) {
    const lines: FeeLine[] = [{ kind: 'noEntry', from: exit, to: exit, count: 0, fen: tariff.noEntryFen }];
    return settle(lines, tariff.noEntryFen, input.prepaid, undefined);
  }
  if (!Number.isSafeInteger(entry)) throw new TariffError('entry: a time in ms');
  if (exit < entry) throw new TariffError('exit: before the entry');
  if (exit - entry > MAX_STAY_MS) throw new TariffError('exit: the stay is longer than the engine prices');
  const rates = tariff.rates[input.vehicle ?? 'small'] ?? tariff.rates.small;

  // Cap periods and what earlier stays already spent in them.
  const history = tariff.capAcrossReentries ? (input.history ?? []) : [];
  let anchor = entry;
  if (tariff.cap.kind === 'rolling24h') {
    // Chain of 24 h windows: the earliest earlier entry whose window reaches this entry anchors it.
    for (const h of [...history].sort((a, b) => a.entry - b.entry))
      if (h.entry <= entry && entry - h.entry < DAY_MS) {
        anchor = h.entry;
        break;
      }
  }
  const periodOf = (t: number): { key: string; end: number } => {
    if (tariff.cap.kind === 'calendarDay') {
      const dayStart = Math.floor((t + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;
      return { key: civilDay(t), end: dayStart + DAY_MS };
    }
    const index = Math.floor((t - anchor) / DAY_MS);
    return { key: String(index), end: anchor + (index + 1) * DAY_MS };
  };
  const spent = new Map<string, bigint>();
  for (const h of history) {
    if (h.entry > entry || h.fen <= 0n) continue;
    if (tariff.cap.kind === 'rolling24h' && h.entry < anchor) continue;
    const { key } = periodOf(h.entry);
    spent.set(key, (spent.get(key) ?? 0n) + h.fen);
  }

  const lines: FeeLine[] = [];
  let total = 0n;
  // What a pass covers, with grace after its expiry.
  let chargedFrom = entry;
  const fresh = true;
  if (input.pass) {
    const coverEnd = input.pass.validUntil + tariff.graceDays * DAY_MS;
    if (input.pass.validFrom <= entry && entry < coverEnd) {
      const to = Math.min(exit, coverEnd);
      lines.push({ kind: 'pass', from: entry, to, count: Math.ceil((to - entry) / MINUTE_MS), fen: 0n });
      chargedFrom = to;
    }
  }
  // With a prepayment, the stay is priced up to the payment; an exit past the window adds the time after
  // the payment, charged again from the first unit without free minutes.
  const prepaid =
    input.prepaid && input.prepaid.at >= entry && input.prepaid.at <= exit ? input.prepaid : undefined;
  const end = prepaid ? prepaid.at : exit;
  const freeMs = tariff.freeMinutes * MINUTE_MS;
  if (chargedFrom === entry && end - entry <= freeMs) {
    if (end > entry)
      lines.push({
        kind: 'free',
        from: entry,
        to: end,
        count: Math.ceil((end - entry) / MINUTE_MS),
        fen: 0n,
      });
    chargedFrom = end;
  } else if (chargedFrom === entry && tariff.chargeFrom === 'freeEnd' && freeMs > 0) {
    lines.push({ kind: 'free', from: entry, to: entry + freeMs, count: tariff.freeMinutes, fen: 0n });
    chargedFrom = entry + freeMs;
  }
  if (chargedFrom < end)
    total += chargeUnits(tariff, rates, { start: chargedFrom, end, fresh }, periodOf, spent, lines);
  if (prepaid && exit > prepaid.at + tariff.exitWindowMinutes * MINUTE_MS)
    total += chargeUnits(
      tariff,
      rates,
      { start: prepaid.at, end: exit, fresh: true },
      periodOf,
      spent,
      lines,
    );
  return settle(lines, total, input.prepaid, tariff);
}

function settle(
  lines: FeeLine[],
  total: bigint,
  prepaid: QuoteInput['prepaid'],
  tariff: Tariff | undefined,
): Quote {
  if (!prepaid) return { lines, totalFen: total, dueFen: total };
  const paid = minBig(prepaid.fen, total);
  const withPrepaid: FeeLine[] = [
    ...lines,
    { kind: 'prepaid', from: prepaid.at, to: prepaid.at, count: 0, fen: -paid },
  ];
  return {
    lines: withPrepaid,
    totalFen: total,
    dueFen: maxBig(0n, total - prepaid.fen),
    ...(tariff && { mayLeaveUntil: prepaid.at + tariff.exitWindowMinutes * MINUTE_MS }),
  };
}
