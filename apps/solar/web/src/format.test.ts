// Slot times and dates in the page's language: a Chinese page writes 12/07 16:00 and 2028/12/1, an English
// one 7 Dec, 16:00 and 1 Dec 2028, both in China Standard Time whatever the device's zone.
import { describe, expect, it } from 'vitest';
import { day, when } from './format';

// 2026-12-07 16:00 and 2028-12-01 00:30 in China (UTC+8).
const SLOT = Date.UTC(2026, 11, 7, 8, 0);
const EXPIRES = Date.UTC(2028, 10, 30, 16, 30);

describe('slot times and dates', () => {
  it('are written the Chinese way on a Chinese page', () => {
    expect(when(SLOT, 'zh-CN')).toBe('12/07 16:00');
    expect(day(EXPIRES, 'zh-CN')).toBe('2028/12/1');
  });

  it('are written the English way on an English page, in China time', () => {
    expect(when(SLOT, 'en')).toBe('7 Dec, 16:00');
    expect(day(EXPIRES, 'en')).toBe('1 Dec 2028');
  });
});
