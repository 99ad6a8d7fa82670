// The parking app's own tRPC API (same origin, with the `gx_parking` session cookie) and its answers' types.
import { plateKind } from '@gongxin/contracts/parking/plate';
import type { AppRouter } from '@gongxin/parking-server';
import { createAppTrpc, serverNow } from '@gongxin/ui';

export const api = createAppTrpc<AppRouter>('/parking/api/trpc');

export type LotRow = Awaited<ReturnType<typeof api.lots.query>>[number];
export type SessionRow = Awaited<ReturnType<typeof api.sessionsByPlate.query>>[number];
export type SessionRecord = Awaited<ReturnType<typeof api.session.query>>;
export type Quote = Awaited<ReturnType<typeof api.quote.query>>;
export type Receipt = Awaited<ReturnType<typeof api.receipt.query>>;
export type GateRow = Awaited<ReturnType<typeof api.gates.query>>[number];
export type Statement = Awaited<ReturnType<typeof api.statements.query>>[number];
export type DayRevenue = Awaited<ReturnType<typeof api.dayRevenue.query>>[number];
export type MyPlates = Awaited<ReturnType<typeof api.myPlates.query>>;
export type MyPlate = MyPlates['plates'][number];

/** Fen as yuan with two decimals, exact (bigint), grouped. */
export function yuan(fen: string | number | bigint | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const v = BigInt(fen);
  const sign = v < 0n ? '-' : '';
  const a = v < 0n ? -v : v;
  const whole = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${whole}.${(a % 100n).toString().padStart(2, '0')}`;
}

/** The civil date in China time (YYYY-MM-DD): the chain's settlement day. */
export const chinaDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/** A time of day in China time (HH:MM). */
export const chinaTime = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? '—' : new Date(ms + 8 * 3_600_000).toISOString().slice(11, 16);

/**
 * A moment in China time as a table or card shows it: the time of day (HH:MM) when it falls on today's
 * date (on the deployment clock), with its date before it otherwise (MM-DD HH:MM, or YYYY-MM-DD HH:MM in
 * another year), so a stay that began yesterday does not read as a time of today.
 */
export function chinaWhen(ms: number | null | undefined, now = serverNow()): string {
  if (ms === null || ms === undefined) return '—';
  const day = chinaDate(ms);
  const today = chinaDate(now);
  if (day === today) return chinaTime(ms);
  return `${day.slice(0, 4) === today.slice(0, 4) ? day.slice(5) : day} ${chinaTime(ms)}`;
}

/**
 * Whether a plate (upper case, no spaces) has the shape the API takes: 7 characters (8 for new-energy
 * plates, at most 10), Chinese characters, letters and digits. The page says so in its own words before
 * asking the server, whose answer would be the API's terse English.
 */
export const isPlate = (plate: string) => /^[\p{Script=Han}A-Z0-9]{7,10}$/u.test(plate);

/** Whether a receipt id has the shape receipts have: the payment's tx id, with `:<n>` after the first. */
export const isReceiptId = (id: string) => /^[0-9a-f]{64}(:\d{1,4})?$/.test(id);

/** A plate as people type it (any case, spaces, `·` or `-` between parts) in the form the gates read. */
export const normalizePlate = (plate: string) =>
  plate
    .trim()
    .toUpperCase()
    .replace(/[\s·.-]/g, '');

// The gates' plate rules, which the server applies to a plate to bind: checked here too so the page
// explains a mistyped plate in its own language before asking the server.
/** Whether a normalized plate may be bound: an ordinary plate (7 characters) or a new-energy one (8). */
export const isBindablePlate = (plate: string) => {
  const kind = plateKind(plate);
  return kind === 'ordinary' || kind === 'newEnergy';
};

/**
 * A stay's length in the page's language: 2 小时 05 分 / 2 h 05 min, or 50 分钟 / 50 min under an hour. An
 * open stay runs to now on the deployment clock (gate and block times follow it), not this device's.
 */
export function stay(entry: number | null, exit: number | null, locale: string, now = serverNow()): string {
  if (entry === null) return '—';
  const min = Math.max(0, Math.floor(((exit ?? now) - entry) / 60_000));
  const zh = !locale.startsWith('en');
  if (min < 60) return zh ? `${min} 分钟` : `${min} min`;
  const h = Math.floor(min / 60);
  const m = String(min % 60).padStart(2, '0');
  return zh ? `${h} 小时 ${m} 分` : `${h} h ${m} min`;
}
