import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accounts, call, eventNamed, suite, TestChain, testValidator } from '../../test/chain';
import {
  addCivilDays,
  addWorkingDays,
  CHINA_SCHEDULES,
  calendarFrom,
  calendarOf,
  civilDateOf,
  endOfDayMs,
  isWorkingDay,
  scheduleProblem,
  startOfDayMs,
  weekdayOf,
  workingDayDeadlineMs,
  workingDaysBetween,
} from './calendar';

const china = calendarFrom(CHINA_SCHEDULES);

describe('civil days in China time', () => {
  it('turns block time into the civil date at UTC+8, midnight included', () => {
    // 2026-01-31T16:00:00Z is 2026-02-01 00:00 in Beijing.
    expect(civilDateOf(Date.UTC(2026, 0, 31, 15, 59, 59, 999))).toBe('2026-01-31');
    expect(civilDateOf(Date.UTC(2026, 0, 31, 16, 0, 0, 0))).toBe('2026-02-01');
    expect(startOfDayMs('2026-02-01')).toBe(Date.UTC(2026, 0, 31, 16));
    expect(endOfDayMs('2026-02-28')).toBe(Date.UTC(2026, 1, 28, 16));
    expect(addCivilDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addCivilDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(weekdayOf('2026-12-04')).toBe(5);
  });

  it('round-trips any day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80_000 }), (n) => {
        const day = addCivilDays('2000-01-01', n);
        return civilDateOf(startOfDayMs(day)) === day && civilDateOf(endOfDayMs(day) - 1) === day;
      }),
    );
  });
});

describe('working days with the 2026 schedule', () => {
  it('knows holidays, make-up days and ordinary weekends', () => {
    expect(isWorkingDay(china, '2026-02-16')).toBe(false); // Monday of the Spring Festival
    expect(isWorkingDay(china, '2026-02-14')).toBe(true); // Saturday make-up day
    expect(isWorkingDay(china, '2026-02-28')).toBe(true);
    expect(isWorkingDay(china, '2026-03-07')).toBe(false); // an ordinary Saturday
    expect(isWorkingDay(china, '2026-10-08')).toBe(true); // Thursday after National Day
    expect(isWorkingDay(china, '2026-10-10')).toBe(true); // Saturday make-up day
    // A year with no schedule falls back to Monday–Friday.
    expect(isWorkingDay(china, '2031-01-01')).toBe(true);
  });

  it('counts 20 working days over the Spring Festival and its make-up days', () => {
    // Filed Friday 2026-02-06. Working days: 2.9–2.13 (5), 2.14 Sat make-up (6), 2.15–2.23 holiday,
    // 2.24–2.27 (10), 2.28 Sat make-up (11), 3.2–3.6 (16), 3.9–3.12 (20).
    expect(addWorkingDays(china, '2026-02-06', 20)).toBe('2026-03-12');
    expect(workingDaysBetween(china, '2026-02-06', '2026-03-12')).toBe(20);
    // Without the schedule the same count ends earlier: the holiday would be counted as work.
    expect(addWorkingDays(calendarFrom([]), '2026-02-06', 20)).toBe('2026-03-06');
    const filed = Date.UTC(2026, 1, 6, 2); // 10:00 Beijing
    expect(workingDayDeadlineMs(china, filed, 20)).toBe(endOfDayMs('2026-03-12'));
  });

  it('agrees with a day-by-day count for any start and length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 730 }), fc.integer({ min: 0, max: 60 }), (offset, n) => {
        const start = addCivilDays('2025-01-01', offset);
        const end = addWorkingDays(china, start, n);
        return workingDaysBetween(china, start, end) === n && (n === 0 || isWorkingDay(china, end));
      }),
    );
  });

  it('the published schedules are sound', () => {
    for (const schedule of CHINA_SCHEDULES) expect(scheduleProblem(schedule)).toBeUndefined();
    expect(scheduleProblem({ year: 2026, holidays: ['02-30'], workdays: [] })).toMatch(/not a day/);
    expect(scheduleProblem({ year: 2026, holidays: [], workdays: ['03-04'] })).toMatch(/weekday/);
    expect(scheduleProblem({ year: 2026, holidays: ['02-14'], workdays: ['02-14'] })).toMatch(/both/);
    expect(scheduleProblem({ year: 2026, holidays: ['01-01', '01-01'], workdays: [] })).toMatch(/twice/);
  });
});

describe('the calendar on chain, changed by governance', () => {
  const four = [1, 2, 3, 4].map((seed) => testValidator(suite, seed, 10));
  const [op1, op2, op3] = four.map((v) => v.account) as [
    typeof accounts.alice,
    typeof accounts.alice,
    typeof accounts.alice,
  ];

  it('starts from the genesis schedules and takes a new year by a two-thirds vote', () => {
    const chain = new TestChain({
      validators: four.map((v) => v.validator),
      contracts: { governance: { calendars: CHINA_SCHEDULES.map((s) => ({ ...s })) } },
    });
    expect(isWorkingDay(calendarOf(chain.store), '2026-02-14')).toBe(true);
    expect(isWorkingDay(calendarOf(chain.store), '2027-02-08')).toBe(true);

    const schedule = { year: 2027, holidays: ['02-08', '02-06', '02-07'], workdays: ['02-20'] };
    const proposed = chain.ok(op1, call('governance', 'propose', { kind: 'setCalendar', payload: schedule }));
    const id = eventNamed(proposed, 'proposed').id as string;
    chain.ok(op2, call('governance', 'vote', { id, approve: true }));
    // Not yet: two of four is not more than two thirds.
    expect(isWorkingDay(calendarOf(chain.store), '2027-02-08')).toBe(true);
    const passed = chain.ok(op3, call('governance', 'vote', { id, approve: true }));
    expect(eventNamed(passed, 'calendarSet')).toMatchObject({
      year: 2027,
      holidays: ['02-06', '02-07', '02-08'],
      workdays: ['02-20'],
    });
    expect(isWorkingDay(calendarOf(chain.store), '2027-02-08')).toBe(false);
    expect(isWorkingDay(calendarOf(chain.store), '2027-02-20')).toBe(true);
  });

  it('refuses an unsound schedule at proposal and a non-operator proposer', () => {
    const chain = new TestChain({ validators: four.map((v) => v.validator) });
    chain.fails(
      'invalid_params',
      op1,
      call('governance', 'propose', {
        kind: 'setCalendar',
        payload: { year: 2027, holidays: [], workdays: ['02-17'] },
      }),
    );
    chain.fails(
      'not_authorized',
      accounts.alice,
      call('governance', 'propose', {
        kind: 'setCalendar',
        payload: { year: 2027, holidays: ['01-01'], workdays: [] },
      }),
    );
    expect(
      () =>
        new TestChain({
          contracts: { governance: { calendars: [{ year: 2026, holidays: ['13-01'], workdays: [] }] } },
        }),
    ).toThrow(/calendar/);
  });
});
