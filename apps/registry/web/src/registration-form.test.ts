// Yuan as typed read as every amount in the suite is read (@gongxin/ui's parseAmount), with the
// registry's own words for what is wrong.
import { createSuiteI18n } from '@gongxin/ui';
import { describe, expect, it } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import { capitalProblem, yuanToFen } from './registration-form';

describe('yuanToFen', () => {
  it('reads yuan as the wallet reads an amount: separators, full-width digits, trailing zeros', () => {
    expect(yuanToFen('5000000')).toBe(500_000_000n);
    expect(yuanToFen('5,000,000.5')).toBe(500_000_050n);
    expect(yuanToFen('５，０００．０５')).toBe(500_005n);
    expect(yuanToFen('.5')).toBe(50n);
    expect(yuanToFen('12.340')).toBe(1234n);
    expect(yuanToFen(' 0 ')).toBe(0n);
  });

  it('is null for what is not yuan', () => {
    for (const typed of ['', '五百万', '12.345', '-5', '1,0,0', '1e6', '5 000'])
      expect(yuanToFen(typed), typed).toBeNull();
  });

  it('takes fifteen digits of yuan and no more', () => {
    expect(yuanToFen('999999999999999.99')).toBe(10n ** 17n - 1n);
    expect(yuanToFen('1000000000000000')).toBeNull();
  });
});

describe('capitalProblem', () => {
  it("says what is wrong in the registry's words, in the page's language", () => {
    const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
    const t = (key: string, named?: Record<string, unknown>) => i18n.global.t(key, named ?? {});
    expect(capitalProblem('12.345', t)).toContain('最多两位小数');
    expect(capitalProblem('5,000,000', t)).toBeNull();
    i18n.global.locale.value = 'en';
    expect(capitalProblem('abc', t)).toContain('at most two decimals');
  });
});
