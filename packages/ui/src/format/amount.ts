// Amounts on the chain are integers in an asset's smallest unit (up to 2^63-1, with up to 18 decimals), far
// beyond what a float holds exactly. Formatting and parsing work on the decimal digits and bigints only;
// Intl groups the integer part (it formats bigints exactly), so no amount ever passes through a float.

/** The largest amount the chain stores (the assets contract's MAX_AMOUNT). */
export const MAX_AMOUNT = 2n ** 63n - 1n;
const MAX_DECIMALS = 36;

export type AmountErrorCode = 'empty' | 'not_a_number' | 'negative' | 'too_many_decimals' | 'too_large';

export class AmountError extends Error {
  constructor(
    readonly code: AmountErrorCode,
    message: string,
    /** For too_many_decimals: how many the asset allows. */
    readonly decimals?: number,
  ) {
    super(message);
    this.name = 'AmountError';
  }
}

function checkDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_DECIMALS)
    throw new RangeError(`decimals must be an integer 0–${MAX_DECIMALS}, got ${decimals}`);
}

function toBigInt(amount: bigint | string | number): bigint {
  if (typeof amount === 'bigint') return amount;
  if (typeof amount === 'number') {
    if (!Number.isSafeInteger(amount)) throw new RangeError(`not an integer amount: ${amount}`);
    return BigInt(amount);
  }
  if (!/^-?\d+$/.test(amount)) throw new RangeError(`not an integer amount: "${amount}"`);
  return BigInt(amount);
}

const separators = new Map<string, string>();

function decimalSeparator(locale: string): string {
  let sep = separators.get(locale);
  if (sep === undefined) {
    sep = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
    separators.set(locale, sep);
  }
  return sep;
}

export interface FormatAmountOptions {
  /**
   * Trailing zeros of the fraction are dropped down to this many digits (default: up to 2), so a 2-decimal
   * currency reads "1.00" and an 18-decimal token "1.00" rather than "1.000000000000000000".
   */
  minFraction?: number;
}

/**
 * '123456' with 2 decimals → '1,234.56' (en) / '1,234.56' (zh-CN). Accepts a bigint, a decimal integer
 * string or a safe integer number; throws RangeError on anything else.
 */
export function formatAmount(
  amount: bigint | string | number,
  decimals: number,
  locale = 'zh-CN',
  opts: FormatAmountOptions = {},
): string {
  checkDecimals(decimals);
  const value = toBigInt(amount);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const whole = new Intl.NumberFormat(locale, { numberingSystem: 'latn', useGrouping: true }).format(
    abs / scale,
  );
  let fraction = decimals > 0 ? (abs % scale).toString().padStart(decimals, '0') : '';
  const keep = Math.min(decimals, opts.minFraction ?? 2);
  while (fraction.length > keep && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  const sign = negative ? '-' : '';
  return fraction ? `${sign}${whole}${decimalSeparator(locale)}${fraction}` : `${sign}${whole}`;
}

/**
 * What a person typed → the amount in smallest units. Accepts "1234.5", "1,234.50", ".5", full-width
 * digits (NFKC), surrounding spaces. Refuses empty text, non-numbers, negatives, more fraction digits
 * than the asset has (never rounds: a person must see exactly what is sent) and amounts above the
 * chain's maximum.
 */
export function parseAmount(text: string, decimals: number, opts: { max?: bigint } = {}): bigint {
  checkDecimals(decimals);
  const input = String(text ?? '')
    .normalize('NFKC')
    .trim();
  if (input === '') throw new AmountError('empty', 'enter an amount');
  if (/^-/.test(input)) throw new AmountError('negative', 'an amount cannot be negative');
  const match = /^(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$/.exec(input);
  const whole = match?.[1]?.replaceAll(',', '') ?? '';
  const fraction = match?.[2] ?? '';
  if (!match || (whole === '' && fraction === ''))
    throw new AmountError('not_a_number', `"${input}" is not a number`);
  const trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length > decimals) {
    throw new AmountError(
      'too_many_decimals',
      decimals === 0 ? 'this asset has no fractions' : `at most ${decimals} digits after the point`,
      decimals,
    );
  }
  const value = BigInt(whole || '0') * 10n ** BigInt(decimals) + BigInt(trimmed.padEnd(decimals, '0') || '0');
  const max = opts.max ?? MAX_AMOUNT;
  if (value > max) throw new AmountError('too_large', `at most ${formatAmount(max, decimals, 'en')}`);
  return value;
}
