import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it } from 'vitest';
import { createSuiteI18n } from '../i18n';
import SignRequestDialog from './sign-request-dialog.vue';
import SuiteLayout from './suite-layout.vue';

describe('<SuiteLayout>', () => {
  afterEach(() => setActivePinia(undefined));

  it('renders the chrome and the page’s sign dialog when the app uses pinia', () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const i18n = createSuiteI18n({ 'zh-CN': {}, en: {} });
    const wrapper = mount(SuiteLayout, {
      props: { appTitle: '低保' },
      slots: { default: '<p data-test="page">内容</p>' },
      global: { plugins: [i18n, pinia] },
    });
    expect(wrapper.find('.gx-app-title').text()).toBe('低保');
    expect(wrapper.find('[data-test="page"]').exists()).toBe(true);
    expect(wrapper.findComponent(SignRequestDialog).exists()).toBe(true);
  });

  it('still renders for an app without pinia, without a sign dialog', () => {
    const i18n = createSuiteI18n({ 'zh-CN': {}, en: {} });
    const wrapper = mount(SuiteLayout, { global: { plugins: [i18n] } });
    expect(wrapper.find('.gx-brand').exists()).toBe(true);
    expect(wrapper.findComponent(SignRequestDialog).exists()).toBe(false);
  });
});
