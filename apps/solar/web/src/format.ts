// The solar pages' formatters, in one place. Quantities and money are integers on the wire (Wh, fen,
// fen/MWh as decimal strings) and are shown exactly with formatAmount: never through a float. Times are
// China Standard Time, as the market's slots are. In a component, useFormat() gives the money and
// quantity formatters bound to the page's locale.
import { formatAmount } from '@gongxin/ui';
import { useI18n } from 'vue-i18n';

type Integer = string | bigint;

/** fen → 元, exact, two decimals: '12345' → '123.45'. */
export const yuan = (fen: Integer, locale: string) => formatAmount(fen, 2, locale);

/** fen → 元 with a + in front when the party is paid: '+1.00', '-1.00', '0.00'. */
export const signedYuan = (fen: Integer, locale: string) =>
  BigInt(fen) > 0n ? `+${yuan(fen, locale)}` : yuan(fen, locale);

/** fen → ¥ with its sign in front: +¥1.00, −¥1.00, ¥0.00. */
export const money = (fen: Integer, locale: string) => {
  const v = BigInt(fen);
  const sign = v > 0n ? '+' : v < 0n ? '−' : '';
  return `${sign}¥${yuan(v < 0n ? -v : v, locale)}`;
};

/** fen/MWh → 元/kWh, exact, at least 4 decimals: '40000' → '0.4000'; null (no price) → '—'. */
export const yuanPerKwh = (price: Integer | null, locale: string) =>
  price === null ? '—' : formatAmount(price, 5, locale, { minFraction: 4 });

/** Wh → kWh, exact, without trailing zeros: '4500' → '4.5'. */
export const kwh = (wh: Integer, locale: string) => formatAmount(wh, 3, locale, { minFraction: 0 });

/** A slot's start: month, day, hour and minute (China Standard Time), the page's way: 12/07 16:00, 7 Dec, 16:00. */
export const when = (ms: number, locale = 'zh-CN') =>
  locale === 'en'
    ? new Date(ms).toLocaleString('en-GB', {
        day: 'numeric',
        month: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone: 'Asia/Shanghai',
      })
    : new Date(ms).toLocaleString('zh-CN', {
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: 'Asia/Shanghai',
      });

/** A date (China Standard Time), the page's way: 2028/12/1, or 1 Dec 2028 in English. */
export const day = (ms: number, locale = 'zh-CN') =>
  locale === 'en'
    ? new Date(ms).toLocaleDateString('en-GB', { dateStyle: 'medium', timeZone: 'Asia/Shanghai' })
    : new Date(ms).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });

/** A time of day to the second (China Standard Time). */
export const clock = (ms: number) =>
  new Date(ms).toLocaleTimeString('zh-CN', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZone: 'Asia/Shanghai',
  });

/** The formatters above, the locale-dependent ones bound to the i18n locale (read at each call). */
export function useFormat() {
  const { locale } = useI18n();
  return {
    yuan: (fen: Integer) => yuan(fen, locale.value),
    signedYuan: (fen: Integer) => signedYuan(fen, locale.value),
    money: (fen: Integer) => money(fen, locale.value),
    yuanPerKwh: (price: Integer | null) => yuanPerKwh(price, locale.value),
    kwh: (wh: Integer) => kwh(wh, locale.value),
    when: (ms: number) => when(ms, locale.value),
    day: (ms: number) => day(ms, locale.value),
    clock,
  };
}
