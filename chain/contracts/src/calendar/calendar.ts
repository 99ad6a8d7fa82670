// The chain's working-day calendar (工作日历): which civil days in China are working days, with the State
// Council's public holidays and their make-up working days (调休). Deadlines of the domain contracts
// ("20 working days", "a notice period of 7 working days") are computed here from block time, so every
// validator and every browser gets the same day. The schedules are held on chain and changed only by a
// governance vote (`setCalendar`); a year without a schedule falls back to Monday–Friday.
//
// Pure date arithmetic on integers: no clock, no locale, no time-zone database. China has kept UTC+8 without
// daylight saving since 1991, so a civil day is a fixed 24-hour window of block time.
import type { StateReader } from '@gongxin/ledger';

/** China Standard Time: UTC+8, no daylight saving. */
export const CHINA_UTC_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export const CALENDAR_MIN_YEAR = 2000;
export const CALENDAR_MAX_YEAR = 2199;
/** Most holidays or make-up days one year's schedule may list (China has about 30 and 6–8). */
export const MAX_CALENDAR_DAYS = 80;

/** A civil date, `YYYY-MM-DD`. */
export type CivilDate = string;

/** One year's exceptions to the Monday–Friday week, as `MM-DD` days of that year. */
export interface YearSchedule {
  readonly year: number;
  /** Rest days that would otherwise be working days (and the weekend days of a holiday block). */
  readonly holidays: readonly string[];
  /** Weekend days that are working days (调休上班). */
  readonly workdays: readonly string[];
}

/** Where schedules come from: chain state in a contract, a list fetched from the API in a browser. */
export interface WorkCalendar {
  schedule(year: number): YearSchedule | undefined;
}

export const calendarKeys = {
  year: (year: number) => `governance/calendar/${year}`,
} as const;

/** The calendar held in chain state (written by governance). */
export function calendarOf(state: StateReader): WorkCalendar {
  return { schedule: (year) => state.get(calendarKeys.year(year)) as YearSchedule | undefined };
}

/** A calendar over given schedules (tests, browsers, genesis checks). */
export function calendarFrom(schedules: readonly YearSchedule[]): WorkCalendar {
  const byYear = new Map(schedules.map((s) => [s.year, s]));
  return { schedule: (year) => byYear.get(year) };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function parseCivil(date: CivilDate): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a date YYYY-MM-DD: ${JSON.stringify(date)}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`no such day: ${date}`);
  }
  return { year, month, day };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 of a civil date (the proleptic Gregorian calendar). */
function epochDay(date: CivilDate): number {
  const { year, month, day } = parseCivil(date);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function civilOfEpochDay(days: number): CivilDate {
  const d = new Date(days * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** Whether `MM-DD` is a real day of `year`. */
export function isDayOfYear(year: number, monthDay: string): boolean {
  if (!/^\d{2}-\d{2}$/.test(monthDay)) return false;
  try {
    parseCivil(`${pad(year, 4)}-${monthDay}`);
    return true;
  } catch {
    return false;
  }
}

/** The civil date in China of a block time (ms since the epoch). */
export function civilDateOf(timeMs: number): CivilDate {
  return civilOfEpochDay(Math.floor((timeMs + CHINA_UTC_OFFSET_MS) / DAY_MS));
}

/** Block time of 00:00 China time on `date`. */
export function startOfDayMs(date: CivilDate): number {
  return epochDay(date) * DAY_MS - CHINA_UTC_OFFSET_MS;
}

/** Block time of 24:00 China time on `date` (the first instant after it). */
export function endOfDayMs(date: CivilDate): number {
  return startOfDayMs(date) + DAY_MS;
}

export function addCivilDays(date: CivilDate, days: number): CivilDate {
  return civilOfEpochDay(epochDay(date) + days);
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function civilDaysBetween(a: CivilDate, b: CivilDate): number {
  return epochDay(b) - epochDay(a);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: CivilDate): number {
  // 1970-01-01 was a Thursday.
  return (((epochDay(date) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: CivilDate): boolean {
  const wd = weekdayOf(date);
  return wd === 0 || wd === 6;
}

/** Whether people work on `date`: make-up days yes, holidays no, otherwise Monday to Friday. */
export function isWorkingDay(calendar: WorkCalendar, date: CivilDate): boolean {
  const year = Number(date.slice(0, 4));
  const monthDay = date.slice(5);
  const schedule = calendar.schedule(year);
  if (schedule?.workdays.includes(monthDay)) return true;
  if (schedule?.holidays.includes(monthDay)) return false;
  return !isWeekend(date);
}

/** Whether `date`'s year has a schedule on chain (else the Monday–Friday fallback decides it). */
export function hasSchedule(calendar: WorkCalendar, date: CivilDate): boolean {
  return calendar.schedule(Number(date.slice(0, 4))) !== undefined;
}

/**
 * The `n`-th working day after `date` (n ≥ 1); `date` itself never counts, as in "within 20 working days
 * of the filing". n = 0 gives `date` itself.
 */
export function addWorkingDays(calendar: WorkCalendar, date: CivilDate, n: number): CivilDate {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
  let day = date;
  let left = n;
  // A year has at least ~240 working days, so this ends within n·2 + 30 steps; the bound guards a schedule
  // that (wrongly) has no working day at all.
  for (let guard = 0; left > 0; guard++) {
    if (guard > n * 7 + 400) throw new RangeError(`no working day found within ${guard} days of ${date}`);
    day = addCivilDays(day, 1);
    if (isWorkingDay(calendar, day)) left--;
  }
  return day;
}

/** Working days after `a` up to and including `b` (0 when b ≤ a). */
export function workingDaysBetween(calendar: WorkCalendar, a: CivilDate, b: CivilDate): number {
  let count = 0;
  for (let day = addCivilDays(a, 1); civilDaysBetween(day, b) >= 0; day = addCivilDays(day, 1)) {
    if (isWorkingDay(calendar, day)) count++;
  }
  return count;
}

/**
 * The deadline `n` working days after the day of `timeMs`: the first instant after the end of that working
 * day (a tx in a block at or after it is late).
 */
export function workingDayDeadlineMs(calendar: WorkCalendar, timeMs: number, n: number): number {
  return endOfDayMs(addWorkingDays(calendar, civilDateOf(timeMs), n));
}

/** The deadline `n` calendar days after the day of `timeMs` (end of that day, China time). */
export function calendarDayDeadlineMs(timeMs: number, n: number): number {
  return endOfDayMs(addCivilDays(civilDateOf(timeMs), n));
}

/**
 * Why a year's schedule cannot be used, or undefined when it is sound: days exist in that year, none is
 * listed twice or as both, and every make-up working day falls on a weekend (a weekday is a working day
 * already).
 */
export function scheduleProblem(schedule: YearSchedule): string | undefined {
  const { year, holidays, workdays } = schedule;
  if (!Number.isInteger(year) || year < CALENDAR_MIN_YEAR || year > CALENDAR_MAX_YEAR) {
    return `the year must be between ${CALENDAR_MIN_YEAR} and ${CALENDAR_MAX_YEAR}, got ${year}`;
  }
  for (const [what, days] of [
    ['holidays', holidays],
    ['workdays', workdays],
  ] as const) {
    if (days.length > MAX_CALENDAR_DAYS) return `at most ${MAX_CALENDAR_DAYS} ${what} a year`;
    for (const day of days) {
      if (!isDayOfYear(year, day)) return `${what}: ${JSON.stringify(day)} is not a day MM-DD of ${year}`;
    }
    if (new Set(days).size !== days.length) return `${what}: a day is listed twice`;
  }
  const both = holidays.find((d) => workdays.includes(d));
  if (both) return `${year}-${both} is listed both as a holiday and as a make-up working day`;
  const weekday = workdays.find((d) => !isWeekend(`${pad(year, 4)}-${d}`));
  if (weekday) return `${year}-${weekday} is a weekday: only a weekend day can be a make-up working day`;
  return undefined;
}

/** Sorted copies (the order on chain is canonical, so equal schedules are equal records). */
export function normaliseSchedule(schedule: YearSchedule): YearSchedule {
  return {
    year: schedule.year,
    holidays: [...schedule.holidays].sort(),
    workdays: [...schedule.workdays].sort(),
  };
}

/**
 * The State Council's published holiday arrangements (国务院办公厅关于部分节假日安排的通知) for 2025 and
 * 2026: what a new chain starts with. Later years are added by a governance vote once announced.
 */
export const CHINA_SCHEDULES: readonly YearSchedule[] = [
  {
    year: 2025,
    // 元旦; 春节 1.28–2.4; 清明 4.4–4.6; 劳动节 5.1–5.5; 端午 5.31–6.2; 国庆·中秋 10.1–10.8.
    holidays: [
      '01-01',
      ...['01-28', '01-29', '01-30', '01-31', '02-01', '02-02', '02-03', '02-04'],
      ...['04-04', '04-05', '04-06'],
      ...['05-01', '05-02', '05-03', '05-04', '05-05'],
      ...['05-31', '06-01', '06-02'],
      ...['10-01', '10-02', '10-03', '10-04', '10-05', '10-06', '10-07', '10-08'],
    ],
    workdays: ['01-26', '02-08', '04-27', '09-28', '10-11'],
  },
  {
    year: 2026,
    // 元旦 1.1–1.3; 春节 2.15–2.23; 清明 4.4–4.6; 劳动节 5.1–5.5; 端午 6.19–6.21; 中秋 9.25–9.27;
    // 国庆 10.1–10.7.
    holidays: [
      ...['01-01', '01-02', '01-03'],
      ...['02-15', '02-16', '02-17', '02-18', '02-19', '02-20', '02-21', '02-22', '02-23'],
      ...['04-04', '04-05', '04-06'],
      ...['05-01', '05-02', '05-03', '05-04', '05-05'],
      ...['06-19', '06-20', '06-21'],
      ...['09-25', '09-26', '09-27'],
      ...['10-01', '10-02', '10-03', '10-04', '10-05', '10-06', '10-07'],
    ],
    workdays: ['01-04', '02-14', '02-28', '05-09', '09-20', '10-10'],
  },
];

/**
 * Genesis contract sections with the published working-day calendars added to governance's section, unless
 * the sections already bring calendars of their own. Every new chain starts with them.
 */
export function withChinaCalendars<T extends Record<string, unknown>>(contracts: T): T {
  const governance = (contracts.governance ?? {}) as Record<string, unknown>;
  if (governance.calendars !== undefined) return contracts;
  return {
    ...contracts,
    governance: {
      ...governance,
      calendars: CHINA_SCHEDULES.map((s) => ({
        year: s.year,
        holidays: [...s.holidays],
        workdays: [...s.workdays],
      })),
    },
  };
}
