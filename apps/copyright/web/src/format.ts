// Small formatting helpers of the copyright pages: fen as yuan, shares as per cent, grants in words.
import { formatAmount } from '@gongxin/ui';

/** An amount of the smallest unit (decimal string or bigint) with the asset's 2 decimals. */
export const yuan = (amount: string | bigint, symbol = '') =>
  `${formatAmount(BigInt(amount), 2)}${symbol ? ` ${symbol}` : ''}`;

/** A share of 10,000 as a percentage: 6667 → 66.67 %. */
export const percent = (share: number) => `${(share / 100).toFixed(2)} %`;

export const shortId = (id: string) => (id.length > 20 ? `${id.slice(0, 10)}…${id.slice(-6)}` : id);

export const dateOf = (ms: number | null | undefined) =>
  ms === null || ms === undefined
    ? '—'
    : new Date(ms).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });
