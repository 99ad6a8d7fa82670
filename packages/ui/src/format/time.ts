// Times on the chain are block times in ms since the epoch. People read them in their language, absolute
// ("2026年3月1日 14:05:09") with the relative form ("3 分钟前") alongside.

export function formatTime(ms: number, locale = 'zh-CN'): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(ms);
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "3 minutes ago" / "in 2 days": the largest unit that fits, rounded toward zero. */
export function relativeTime(ms: number, now = Date.now(), locale = 'zh-CN'): string {
  const diff = ms - now;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(diff) >= size) return format.format(Math.trunc(diff / size), unit);
  }
  return format.format(0, 'second');
}
