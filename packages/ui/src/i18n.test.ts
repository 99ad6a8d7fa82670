import { mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import { useI18n } from 'vue-i18n';
import { createSuiteI18n, initialLocale, rememberLocale } from './i18n';

describe('suite i18n', () => {
  beforeEach(() => localStorage.clear());

  it('starts in Chinese and merges app strings over the shared ones', () => {
    const i18n = createSuiteI18n({ 'zh-CN': { app: { title: '门户' } }, en: { app: { title: 'Portal' } } });
    expect(i18n.global.locale.value).toBe('zh-CN');
    expect(i18n.global.t('suite.name')).toBe('共信');
    expect(i18n.global.t('app.title')).toBe('门户');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('remembers a switch to English and ignores unknown saved values', async () => {
    rememberLocale('en');
    expect(initialLocale()).toBe('en');
    const i18n = createSuiteI18n({ 'zh-CN': {}, en: {} });
    const Probe = defineComponent(() => {
      const { t } = useI18n();
      return () => h('p', t('suite.name'));
    });
    const wrapper = mount(Probe, { global: { plugins: [i18n] } });
    expect(wrapper.text()).toBe('Gongxin');
    i18n.global.locale.value = 'zh-CN';
    await nextTick();
    expect(wrapper.text()).toBe('共信');
    localStorage.setItem('gongxin.locale', 'fr');
    expect(initialLocale()).toBe('zh-CN');
  });
});
