// A stay's length reads in the page's language, with its units: no "0h 50m" on a Chinese page; a plate
// the API would refuse is caught on the page, to be explained in the page's language.
import { describe, expect, it } from 'vitest';
import { chinaWhen, isPlate, isReceiptId, stay } from './api';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const entry = 1_795_537_200_000;
const min = 60_000;

describe('stay', () => {
  it('says hours and minutes in Chinese, or English', () => {
    expect(stay(entry, entry + 50 * min, 'zh-CN')).toBe('50 分钟');
    expect(stay(entry, entry + 160 * min, 'zh-CN')).toBe('2 小时 40 分');
    expect(stay(entry, entry + 65 * min, 'zh-CN')).toBe('1 小时 05 分');
    expect(stay(entry, entry + 50 * min, 'en')).toBe('50 min');
    expect(stay(entry, entry + 65 * min, 'en')).toBe('1 h 05 min');
  });

  it('counts a car still in the lot up to now, and a missing entry as a dash', () => {
    expect(stay(entry, null, 'zh-CN', entry + 30 * min + 59_000)).toBe('30 分钟');
    expect(stay(null, null, 'zh-CN')).toBe('—');
  });
});

describe('isPlate', () => {
  it('takes the shapes the API takes and nothing else', () => {
    for (const ok of ['沪A52E81', '沪AD30521', '苏E2Q8K6']) expect(isPlate(ok)).toBe(true);
    for (const bad of ['HELLO', '沪A52E8', '沪A52E81XYZ9', '沪a52e81', '沪A 52E81', ''])
      expect(isPlate(bad)).toBe(false);
  });

  it('has its explanation in both languages', () => {
    expect(zhCN.pk.sim.badPlate).toMatch(/车牌号应为 7 位/);
    expect(en.pk.sim.badPlate).toMatch(/7 characters/);
  });
});

describe('chinaWhen', () => {
  // 2026-12-07 15:30 in China.
  const now = Date.parse('2026-12-07T07:30:00Z');
  it("shows a time of today alone, another day's with its date, another year's with the year", () => {
    expect(chinaWhen(now - 90 * min, now)).toBe('14:00');
    expect(chinaWhen(now - 24 * 60 * min, now)).toBe('12-06 15:30');
    expect(chinaWhen(Date.parse('2025-12-31T15:59:00Z'), now)).toBe('2025-12-31 23:59');
    expect(chinaWhen(null, now)).toBe('—');
  });
});

describe('isReceiptId', () => {
  it("takes a payment's tx id, with :<n> after the first", () => {
    expect(isReceiptId('ab'.repeat(32))).toBe(true);
    expect(isReceiptId(`${'ab'.repeat(32)}:2`)).toBe(true);
    for (const bad of ['nonexistent', 'AB'.repeat(32), `${'ab'.repeat(32)}:`, ''])
      expect(isReceiptId(bad)).toBe(false);
  });
});
