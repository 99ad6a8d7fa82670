// The parking app's own tRPC API (same origin, with the `gx_parking` session cookie) and its answers' types.
import type { AppRouter } from '@gongxin/parking-server';
import { createAppTrpc } from '@gongxin/ui';

export const api = createAppTrpc<AppRouter>('/parking/api/trpc');

export type LotRow = Awaited<ReturnType<typeof api.lots.query>>[number];
export type SessionRow = Awaited<ReturnType<typeof api.sessionsByPlate.query>>[number];
export type SessionRecord = Awaited<ReturnType<typeof api.session.query>>;
export type Quote = Awaited<ReturnType<typeof api.quote.query>>;
export type Receipt = Awaited<ReturnType<typeof api.receipt.query>>;
export type GateRow = Awaited<ReturnType<typeof api.gates.query>>[number];
export type Statement = Awaited<ReturnType<typeof api.statements.query>>[number];
export type DayRevenue = Awaited<ReturnType<typeof api.dayRevenue.query>>[number];

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

/** A stay's length in words-free form: 1 h 05 min. */
export function stay(entry: number | null, exit: number | null, now = Date.now()): string {
  if (entry === null) return '—';
  const min = Math.max(0, Math.floor(((exit ?? now) - entry) / 60_000));
  return `${Math.floor(min / 60)}h ${String(min % 60).padStart(2, '0')}m`;
}
