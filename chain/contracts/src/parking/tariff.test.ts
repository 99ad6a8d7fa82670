import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  type PriorStay,
  type QuoteInput,
  quote,
  type Tariff,
  TariffError,
  tariffProblem,
  VEHICLE_TYPES,
} from './tariff';

/** China time, e.g. `03-01 10:00` (2026) or a full `2026-03-01 10:00`. */
const at = (s: string) => Date.parse(`${s.length <= 11 ? `2026-${s}` : s}:00+08:00`.replace(' ', 'T'));

/** 15 free minutes, 30-minute units, day 08:00–20:00 ¥5 then ¥3, night ¥2 then ¥1, ¥50 per rolling 24 h. */
const base: Tariff = {
  freeMinutes: 15,
  chargeFrom: 'entry',
  unitMinutes: 30,
  dayStart: 8 * 60,
  dayEnd: 20 * 60,
  straddle: 'start',
  rates: {
    small: { day: { firstUnitFen: 500n, unitFen: 300n }, night: { firstUnitFen: 200n, unitFen: 100n } },
    large: { day: { firstUnitFen: 1000n, unitFen: 600n }, night: { firstUnitFen: 400n, unitFen: 200n } },
  },
  cap: { kind: 'rolling24h', fen: 5000n },
  capAcrossReentries: true,
  exitWindowMinutes: 15,
  graceDays: 3,
  noEntryFen: 1000n,
};
const t = (changes: Partial<Tariff>): Tariff => ({ ...base, ...changes });
const calendar = (fen: bigint) => t({ cap: { kind: 'calendarDay', fen } });

const stay1: PriorStay = { entry: at('03-02 08:00'), exit: at('03-02 14:00'), fen: 3800n };
const stay2: PriorStay = { entry: at('03-02 15:00'), exit: at('03-02 17:00'), fen: 1200n };
const stay3: PriorStay = { entry: at('03-02 18:00'), exit: at('03-02 19:00'), fen: 0n };
const pass = { validFrom: at('02-01 00:00'), validUntil: at('03-01 00:00') };

type Row = [
  name: string,
  tariff: Tariff,
  input: Partial<QuoteInput> & { entry: number | null; exit: number },
  total: bigint,
  due?: bigint,
];
const stay = (entry: string, exit: string, extra: Partial<QuoteInput> = {}) => ({
  entry: at(entry),
  exit: at(exit),
  ...extra,
});

const rows: Row[] = [
  ['no time at all', base, stay('03-02 10:00', '03-02 10:00'), 0n],
  ['inside the free period', base, stay('03-02 10:00', '03-02 10:10'), 0n],
  ['exactly the free period', base, stay('03-02 10:00', '03-02 10:15'), 0n],
  ['one minute past the free period, charged from entry', base, stay('03-02 10:00', '03-02 10:16'), 500n],
  ['one full unit', base, stay('03-02 10:00', '03-02 10:30'), 500n],
  ['a started second unit', base, stay('03-02 10:00', '03-02 10:31'), 800n],
  ['two units', base, stay('03-02 10:00', '03-02 11:00'), 800n],
  ['a started third unit', base, stay('03-02 10:00', '03-02 11:01'), 1100n],
  [
    'one minute past free, charged from free end',
    t({ chargeFrom: 'freeEnd' }),
    stay('03-02 10:00', '03-02 10:16'),
    500n,
  ],
  [
    'free end: one unit after the free period',
    t({ chargeFrom: 'freeEnd' }),
    stay('03-02 10:00', '03-02 10:45'),
    500n,
  ],
  ['free end: a started second unit', t({ chargeFrom: 'freeEnd' }), stay('03-02 10:00', '03-02 10:46'), 800n],
  ['free end at night', t({ chargeFrom: 'freeEnd' }), stay('03-02 22:00', '03-02 22:16'), 200n],
  ['night first unit', base, stay('03-02 22:00', '03-02 22:30'), 200n],
  ['night two units', base, stay('03-02 22:00', '03-02 23:00'), 300n],
  ['across midnight at night', base, stay('03-02 23:00', '03-03 01:00'), 500n],
  ['day into night', base, stay('03-02 19:00', '03-02 21:00'), 1000n],
  ['a unit straddling day→night priced by its start', base, stay('03-02 19:45', '03-02 20:45'), 600n],
  [
    'a unit straddling day→night, dearer rule',
    t({ straddle: 'higher' }),
    stay('03-02 19:45', '03-02 20:45'),
    600n,
  ],
  ['a unit straddling night→day priced by its start', base, stay('03-02 07:45', '03-02 08:45'), 500n],
  [
    'a unit straddling night→day, dearer rule',
    t({ straddle: 'higher' }),
    stay('03-02 07:45', '03-02 08:45'),
    800n,
  ],
  [
    'a unit ending on the boundary does not straddle',
    t({ straddle: 'higher' }),
    stay('03-02 07:30', '03-02 08:00'),
    200n,
  ],
  ['a whole day shift reaches the 24 h cap', base, stay('03-02 08:00', '03-02 20:00'), 5000n],
  ['24 h is one cap', base, stay('03-02 08:00', '03-03 08:00'), 5000n],
  ['one minute into the second 24 h', base, stay('03-02 08:00', '03-03 08:01'), 5300n],
  ['48 h are two caps', base, stay('03-02 08:00', '03-04 08:00'), 10000n],
  ['no cap', t({ cap: { kind: 'none', fen: 0n } }), stay('03-02 08:00', '03-03 08:00'), 9800n],
  [
    'calendar cap: evening and early morning are two days',
    calendar(1000n),
    stay('03-02 18:00', '03-03 06:00'),
    2000n,
  ],
  [
    'rolling cap: the same stay is one period',
    t({ cap: { kind: 'rolling24h', fen: 1000n } }),
    stay('03-02 18:00', '03-03 06:00'),
    1000n,
  ],
  [
    'calendar cap: a unit before midnight and one after',
    calendar(5000n),
    stay('03-02 23:50', '03-03 00:21'),
    300n,
  ],
  [
    'calendar cap: 30 minutes over midnight is one unit',
    calendar(5000n),
    stay('03-02 23:50', '03-03 00:20'),
    200n,
  ],
  [
    'calendar cap counts a re-entry the same day',
    calendar(1000n),
    stay('03-02 14:00', '03-02 15:00', {
      history: [{ entry: at('03-02 09:00'), exit: at('03-02 11:00'), fen: 900n }],
    }),
    100n,
  ],
  [
    'calendar cap: yesterday does not count',
    calendar(1000n),
    stay('03-02 14:00', '03-02 15:00', {
      history: [{ entry: at('03-01 09:00'), exit: at('03-01 11:00'), fen: 900n }],
    }),
    800n,
  ],
  [
    'second entry in 24 h: the cap counts the first',
    base,
    stay('03-02 15:00', '03-02 17:00', { history: [stay1] }),
    1200n,
  ],
  [
    'third entry in 24 h: the cap is reached',
    base,
    stay('03-02 18:00', '03-02 19:00', { history: [stay1, stay2] }),
    0n,
  ],
  [
    'third entry, cap per stay only',
    t({ capAcrossReentries: false }),
    stay('03-02 18:00', '03-02 19:00', { history: [stay1, stay2] }),
    800n,
  ],
  [
    'fourth entry the next morning: a new window from the second entry',
    base,
    stay('03-03 09:00', '03-03 10:00', { history: [stay1, stay2, stay3] }),
    800n,
  ],
  [
    'a stay two days ago does not count',
    base,
    stay('03-04 10:00', '03-04 11:00', { history: [{ ...stay1, fen: 5000n }] }),
    800n,
  ],
  ['pass within its grace days', base, stay('03-02 10:00', '03-02 12:00', { pass }), 0n],
  ['pass past its grace days', base, stay('03-04 10:00', '03-04 12:00', { pass }), 1400n],
  [
    'pass expiring during the stay, no grace',
    t({ graceDays: 0 }),
    stay('02-28 22:00', '03-01 01:00', { pass }),
    300n,
  ],
  ['pass not yet valid', base, stay('01-31 10:00', '01-31 11:00', { pass }), 800n],
  [
    'prepaid, left within the exit window',
    base,
    stay('03-02 10:00', '03-02 11:10', { prepaid: { at: at('03-02 11:00'), fen: 800n } }),
    800n,
    0n,
  ],
  [
    'prepaid, left at the end of the window',
    base,
    stay('03-02 10:00', '03-02 11:15', { prepaid: { at: at('03-02 11:00'), fen: 800n } }),
    800n,
    0n,
  ],
  [
    'prepaid, left one minute late: charged again from the first unit',
    base,
    stay('03-02 10:00', '03-02 11:16', { prepaid: { at: at('03-02 11:00'), fen: 800n } }),
    1300n,
    500n,
  ],
  [
    'prepaid, left an hour late',
    base,
    stay('03-02 10:00', '03-02 12:20', { prepaid: { at: at('03-02 11:00'), fen: 800n } }),
    1900n,
    1100n,
  ],
  ['no entry record', base, { entry: null, exit: at('03-02 12:00') }, 1000n],
  ['large vehicle', base, stay('03-02 10:00', '03-02 11:00', { vehicle: 'large' }), 1600n],
  [
    'new-energy vehicle without own rates pays the small rates',
    base,
    stay('03-02 10:00', '03-02 11:00', { vehicle: 'newEnergy' }),
    800n,
  ],
  ['hour units', t({ unitMinutes: 60 }), stay('03-02 10:00', '03-02 11:01'), 800n],
  ['no free minutes', t({ freeMinutes: 0 }), stay('03-02 10:00', '03-02 10:01'), 500n],
];

describe('tariff table', () => {
  it('has at least 40 rows', () => expect(rows.length).toBeGreaterThanOrEqual(40));
  it.each(rows)('%s', (_name, tariff, input, total, due) => {
    const q = quote(tariff, input);
    expect(q.totalFen).toBe(total);
    expect(q.dueFen).toBe(due ?? total);
    // The lines add up to the total (a prepayment line is a credit against it).
    const sum = q.lines.filter((l) => l.kind !== 'prepaid').reduce((a, l) => a + l.fen, 0n);
    expect(sum).toBe(total);
  });

  it('refuses an exit before the entry and absurd stays', () => {
    expect(() => quote(base, { entry: at('03-02 10:00'), exit: at('03-02 09:00') })).toThrow(TariffError);
    expect(() => quote(base, { entry: 0, exit: 500 * DAY_MS })).toThrow(TariffError);
  });

  it('names what is wrong with a tariff', () => {
    expect(tariffProblem(base)).toBeNull();
    expect(tariffProblem(t({ unitMinutes: 0 }))).toMatch(/unitMinutes/);
    expect(tariffProblem(t({ cap: { kind: 'rolling24h', fen: 0n } }))).toMatch(/cap/);
  });
});

const fen = (max: number) => fc.integer({ min: 0, max }).map(BigInt);
const rate = fc.record({ firstUnitFen: fen(2000), unitFen: fen(1000) });
const arbTariff: fc.Arbitrary<Tariff> = fc.record({
  freeMinutes: fc.integer({ min: 0, max: 120 }),
  chargeFrom: fc.constantFrom('entry' as const, 'freeEnd' as const),
  unitMinutes: fc.constantFrom(1, 10, 15, 30, 60, 90, 120, 1440),
  dayStart: fc.integer({ min: 0, max: 1439 }),
  dayEnd: fc.integer({ min: 0, max: 1439 }),
  straddle: fc.constantFrom('start' as const, 'higher' as const),
  rates: fc.record({ small: fc.record({ day: rate, night: rate }) }),
  cap: fc.record({
    kind: fc.constantFrom('rolling24h' as const, 'calendarDay' as const),
    fen: fen(20000).map((f) => f + 1n),
  }),
  capAcrossReentries: fc.boolean(),
  exitWindowMinutes: fc.integer({ min: 0, max: 60 }),
  graceDays: fc.integer({ min: 0, max: 7 }),
  noEntryFen: fen(5000),
});
const START = at('03-01 00:00');
const arbEntry = fc.integer({ min: START, max: START + 30 * DAY_MS });
const arbHistory = (entry: number) =>
  fc.array(
    fc
      .record({
        back: fc.integer({ min: 1, max: 2 * DAY_MS }),
        len: fc.integer({ min: 0, max: DAY_MS }),
        fen: fen(10000),
      })
      .map((h) => ({
        entry: entry - h.back,
        exit: Math.min(entry, entry - h.back + h.len),
        fen: h.fen,
      })),
    { maxLength: 4 },
  );

describe('tariff properties', () => {
  it('the fee never falls with a later exit', () => {
    fc.assert(
      fc.property(
        arbTariff,
        arbEntry.chain((entry) => fc.tuple(fc.constant(entry), arbHistory(entry))),
        fc.integer({ min: 0, max: 5 * DAY_MS }),
        fc.integer({ min: 0, max: DAY_MS }),
        (tariff, [entry, history], stayMs, later) => {
          const a = quote(tariff, { entry, exit: entry + stayMs, history });
          const b = quote(tariff, { entry, exit: entry + stayMs + later, history });
          expect(b.totalFen).toBeGreaterThanOrEqual(a.totalFen);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never above the cap × started periods', () => {
    fc.assert(
      fc.property(arbTariff, arbEntry, fc.integer({ min: 0, max: 5 * DAY_MS }), (tariff, entry, stayMs) => {
        const exit = entry + stayMs;
        const { totalFen } = quote(tariff, { entry, exit });
        const periods =
          tariff.cap.kind === 'rolling24h'
            ? Math.max(1, Math.ceil(stayMs / DAY_MS))
            : // Calendar days the stay touches.
              Math.floor((exit + 8 * 3_600_000) / DAY_MS) - Math.floor((entry + 8 * 3_600_000) / DAY_MS) + 1;
        expect(totalFen).toBeLessThanOrEqual(tariff.cap.fen * BigInt(periods));
      }),
      { numRuns: 300 },
    );
  });

  it('a prepaid stay owes nothing more within the exit window, and the total never falls', () => {
    fc.assert(
      fc.property(
        arbTariff,
        arbEntry,
        fc.integer({ min: 0, max: 2 * DAY_MS }),
        fc.integer({ min: 0, max: 3 * 3_600_000 }),
        (tariff, entry, paidAfter, extra) => {
          const paidAt = entry + paidAfter;
          const paid = quote(tariff, { entry, exit: paidAt }).totalFen;
          const prepaid = { at: paidAt, fen: paid };
          const exit = paidAt + extra;
          const q = quote(tariff, { entry, exit, prepaid });
          if (extra <= tariff.exitWindowMinutes * 60_000) expect(q.dueFen).toBe(0n);
          expect(q.totalFen).toBeGreaterThanOrEqual(paid);
          const later = quote(tariff, { entry, exit: exit + 60_000, prepaid });
          expect(later.totalFen).toBeGreaterThanOrEqual(q.totalFen);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('knows every vehicle type', () => {
    for (const vehicle of VEHICLE_TYPES)
      expect(
        quote(base, { entry: at('03-02 10:00'), exit: at('03-02 11:00'), vehicle }).totalFen,
      ).toBeGreaterThan(0n);
  });
});
