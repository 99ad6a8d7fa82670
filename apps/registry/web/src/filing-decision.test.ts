import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { defaultDecisionReason } from './filing-decision';
import en from './locales/en';
import zhCN from './locales/zh-CN';

describe('the default reason of a filing decision', () => {
  const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN, en } });
  const t = (locale: 'zh-CN' | 'en', key: string) => {
    i18n.global.locale.value = locale;
    return i18n.global.t(key);
  };

  it('speaks of the filing’s own kind, in both languages', () => {
    expect(t('zh-CN', defaultDecisionReason('deregister', 'accept'))).toBe('材料齐全，准予注销登记');
    expect(t('zh-CN', defaultDecisionReason('merge', 'accept'))).toBe('材料齐全，准予合并注销登记');
    expect(t('zh-CN', defaultDecisionReason('change', 'reject'))).toBe('材料不全，不予变更登记');
    expect(t('en', defaultDecisionReason('deregister', 'reject'))).toBe(
      'Documents incomplete; deregistration rejected',
    );
    // An unknown kind falls back to a change, never to a message key shown as text.
    expect(t('zh-CN', defaultDecisionReason('other', 'accept'))).toBe('材料齐全，准予变更登记');
  });
});
