// The registry app's own tRPC API (same origin, with the `gx_registry` session cookie) and its answers' types.
import type { AppRouter } from '@gongxin/registry-server';
import { createAppTrpc } from '@gongxin/ui';

export const api = createAppTrpc<AppRouter>('/registry/api/trpc');

export type EnterpriseRow = Awaited<ReturnType<typeof api.enterprises.search.query>>[number];
export type EnterpriseRecord = Awaited<ReturnType<typeof api.enterprises.get.query>>;
export type ImportProof = Awaited<ReturnType<typeof api.enterprises.importProof.query>>;
export type CertificateCheck = Awaited<ReturnType<typeof api.certificates.verify.query>>;
export type PostRow = Awaited<ReturnType<typeof api.posts.list.query>>[number];
export type MatchRow = Awaited<ReturnType<typeof api.posts.matches.query>>[number];

/** Fen as yuan with two decimals, grouped (万 for large capital is left to the reader). */
export function yuan(fen: string | number | bigint | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const v = BigInt(fen);
  const sign = v < 0n ? '-' : '';
  const a = v < 0n ? -v : v;
  const whole = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${whole}.${(a % 100n).toString().padStart(2, '0')}`;
}

/** A civil date in China time (YYYY-MM-DD) of a block time. */
export const chinaDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
