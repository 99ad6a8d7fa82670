// Small formatting helpers of the copyright pages: fen as yuan, shares as per cent, grants in words.
import { formatAmount } from '@gongxin/ui';

/** An amount of the smallest unit (decimal string or bigint) with the asset's 2 decimals. */
export const yuan = (amount: string | bigint, symbol = '') =>
  `${formatAmount(BigInt(amount), 2)}${symbol ? ` ${symbol}` : ''}`;

/** A share of 10,000 as a percentage: 6667 → 66.67 %. */
export const percent = (share: number) => `${(share / 100).toFixed(2)} %`;

export const shortId = (id: string) => (id.length > 20 ? `${id.slice(0, 10)}…${id.slice(-6)}` : id);

/** A block-time date in China Standard Time, written the page's way: 2026/12/7, or 7 Dec 2026 in English. */
export const dateOf = (ms: number | null | undefined, locale = 'zh-CN') =>
  ms === null || ms === undefined
    ? '—'
    : locale === 'en'
      ? new Date(ms).toLocaleDateString('en-GB', { timeZone: 'Asia/Shanghai', dateStyle: 'medium' })
      : new Date(ms).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });

/** A file's size as people read it: 122 B, 3.4 KB, 12.5 MB (units of 1,024; display only). */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
