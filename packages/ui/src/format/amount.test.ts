import { describe, expect, it } from 'vitest';
import { AmountError, formatAmount, MAX_AMOUNT, parseAmount } from './amount';

describe('formatAmount', () => {
  it.each([
    ['123456', 2, 'en', '1,234.56'],
    ['123456', 2, 'zh-CN', '1,234.56'],
    [123456n, 2, 'de-DE', '1.234,56'],
    ['0', 2, 'en', '0.00'],
    ['0', 0, 'en', '0'],
    ['5', 2, 'en', '0.05'],
    ['100', 2, 'en', '1.00'],
    ['-123456', 2, 'en', '-1,234.56'],
    ['-5', 2, 'en', '-0.05'],
    ['1234567', 0, 'en', '1,234,567'],
    [42, 1, 'en', '4.2'],
    ['1000000000000000000', 18, 'en', '1.00'],
    ['1', 18, 'en', '0.000000000000000001'],
    ['123456789012345678901234567890', 18, 'en', '123,456,789,012.34567890123456789'],
    ['9223372036854775807', 0, 'en', '9,223,372,036,854,775,807'],
    [MAX_AMOUNT, 2, 'en', '92,233,720,368,547,758.07'],
    [MAX_AMOUNT, 18, 'en', '9.223372036854775807'],
  ] as const)('%s with %i decimals in %s → %s', (amount, decimals, locale, expected) => {
    expect(formatAmount(amount, decimals, locale)).toBe(expected);
  });

  it('keeps as many trailing zeros as asked', () => {
    expect(formatAmount('1500', 3, 'en', { minFraction: 0 })).toBe('1.5');
    expect(formatAmount('1500', 3, 'en', { minFraction: 3 })).toBe('1.500');
    expect(formatAmount('1000', 3, 'en', { minFraction: 0 })).toBe('1');
  });

  it('refuses what is not an integer amount', () => {
    for (const bad of ['1.5', '', 'abc', '1e3', ' 1', '0x10'])
      expect(() => formatAmount(bad, 2)).toThrow(RangeError);
    expect(() => formatAmount(1.5, 2)).toThrow(RangeError);
    expect(() => formatAmount(2 ** 60, 2)).toThrow(RangeError);
    expect(() => formatAmount('1', -1)).toThrow(RangeError);
    expect(() => formatAmount('1', 2.5)).toThrow(RangeError);
  });
});

describe('parseAmount', () => {
  it.each([
    ['1234.56', 2, 123456n],
    ['1,234.56', 2, 123456n],
    ['  12.5 ', 2, 1250n],
    ['.5', 2, 50n],
    ['5.', 2, 500n],
    ['0', 2, 0n],
    ['0.00', 2, 0n],
    ['1.50000', 2, 150n],
    ['１２３．４', 2, 12340n],
    ['42', 0, 42n],
    ['1', 18, 1000000000000000000n],
    ['0.000000000000000001', 18, 1n],
    ['9223372036854775807', 0, MAX_AMOUNT],
    ['92233720368547758.07', 2, MAX_AMOUNT],
    ['9.223372036854775807', 18, MAX_AMOUNT],
  ] as const)('%s with %i decimals → %s', (text, decimals, expected) => {
    expect(parseAmount(text, decimals)).toBe(expected);
  });

  it.each([
    ['', 2, 'empty'],
    ['   ', 2, 'empty'],
    ['abc', 2, 'not_a_number'],
    ['1e3', 2, 'not_a_number'],
    ['1.2.3', 2, 'not_a_number'],
    ['12,34', 2, 'not_a_number'],
    ['1,2345', 2, 'not_a_number'],
    ['.', 2, 'not_a_number'],
    ['+5', 2, 'not_a_number'],
    ['0x10', 2, 'not_a_number'],
    ['Infinity', 2, 'not_a_number'],
    ['-1', 2, 'negative'],
    ['1.234', 2, 'too_many_decimals'],
    ['1.5', 0, 'too_many_decimals'],
    ['0.0000000000000000001', 18, 'too_many_decimals'],
    ['9223372036854775808', 0, 'too_large'],
    ['92233720368547758.08', 2, 'too_large'],
    ['10', 18, 'too_large'],
  ] as const)('refuses %j with %i decimals: %s', (text, decimals, code) => {
    let error: unknown;
    try {
      parseAmount(text, decimals);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AmountError);
    expect((error as AmountError).code).toBe(code);
  });

  it('names the allowed decimals and honours a lower maximum', () => {
    expect(() => parseAmount('1.234', 2)).toThrow('at most 2 digits after the point');
    expect(() => parseAmount('101', 0, { max: 100n })).toThrow(AmountError);
  });

  it('round-trips with formatAmount', () => {
    for (const [value, decimals] of [
      [123456n, 2],
      [MAX_AMOUNT, 18],
      [1n, 18],
      [0n, 6],
      [1000n, 3],
    ] as const) {
      expect(parseAmount(formatAmount(value, decimals, 'en'), decimals)).toBe(value);
    }
  });
});
