// GB/T 4754-2017 industry codes in words and checked: every division 01–97 belongs to exactly one section
// and has a name in both languages; a code shows its section and division; a code whose division belongs
// to another section is refused with the section it belongs to and the code it probably meant.
import { PROVINCES } from '@gongxin/contracts';
import { createSuiteI18n } from '@gongxin/ui';
import { describe, expect, it } from 'vitest';
import {
  divisionOf,
  industryWords,
  SECTION_DIVISIONS,
  sectionOfDivision,
  statLabel,
} from './enterprise-labels';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import { industryProblem } from './registration-form';

function translator(locale: 'zh-CN' | 'en') {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale;
  return (key: string, named?: Record<string, unknown>) => i18n.global.t(key, named ?? {});
}

describe('GB/T 4754-2017 sections and divisions', () => {
  it('puts each division 01–97 in exactly one section, in order, with a name in both languages', () => {
    const divisions = Array.from({ length: 97 }, (_, i) => String(i + 1).padStart(2, '0'));
    let next = 1;
    for (const [first, last] of Object.values(SECTION_DIVISIONS)) {
      expect(first).toBe(next);
      expect(last).toBeGreaterThanOrEqual(first);
      next = last + 1;
    }
    expect(next).toBe(98);
    expect(Object.keys(zhCN.reg.divisions).sort()).toEqual(divisions);
    expect(Object.keys(en.reg.divisions).sort()).toEqual(divisions);
    for (const d of divisions) expect(sectionOfDivision(d)).toMatch(/^[A-T]$/);
    expect(sectionOfDivision('98')).toBeUndefined();
    expect(sectionOfDivision('00')).toBeUndefined();
  });

  it('names a code by its section and division', () => {
    const zh = translator('zh-CN');
    expect(industryWords('C3971', zh)).toBe('制造业 · 计算机、通信和其他电子设备制造业');
    expect(industryWords('i6450', zh)).toBe('信息传输、软件和信息技术服务业 · 互联网和相关服务');
    expect(industryWords('F', zh)).toBe('批发和零售业');
    expect(industryWords('G5430', translator('en'))).toBe(
      'Transport, storage and postal services · Road transport',
    );
    // A division of another section names the section only; a letter that is no section, nothing.
    expect(industryWords('C0111', zh)).toBe('制造业');
    expect(industryWords('Z12', zh)).toBe('');
    expect(divisionOf('C3971')).toBe('39');
    expect(divisionOf('C')).toBeUndefined();
  });

  it('refuses a code whose division belongs to another section, saying which and what was meant', () => {
    const zh = translator('zh-CN');
    expect(industryProblem('A0111', zh)).toBeNull();
    expect(industryProblem('C3971', zh)).toBeNull();
    expect(industryProblem('C0111', zh)).toBe('大类 01（农业）属于门类 A，不属于 C：应为 A0111');
    expect(industryProblem('i3971', translator('en'))).toBe(
      'Division 39 (Manufacture of computers, communication and other electronic equipment) belongs to section C, not I: use C3971',
    );
    // Two digits no section has: not a code at all.
    expect(industryProblem('C9901', zh)).toContain('GB/T 4754');
  });

  it('labels the statistics by section and province name, a key outside the standards as it is', () => {
    const zh = translator('zh-CN');
    expect(statLabel('industry', 'C', zh)).toBe('C 制造业');
    expect(statLabel('industry', 'Z', zh)).toBe('Z');
    expect(statLabel('region', '44', zh)).toBe('广东省');
    expect(statLabel('region', '31', translator('en'))).toBe('Shanghai');
    expect(statLabel('region', '99', zh)).toBe('99');
    expect([...PROVINCES].sort()).toEqual(Object.keys(zhCN.reg.provinces).sort());
    expect(Object.keys(en.reg.provinces).sort()).toEqual(Object.keys(zhCN.reg.provinces).sort());
  });
});
