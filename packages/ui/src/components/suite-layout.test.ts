import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appIdPlugin } from '../app-id';
import { createSuiteI18n } from '../i18n';
import { mockSession } from '../testing/fetch-mock';
import SignRequestDialog from './sign-request-dialog.vue';
import SuiteLayout from './suite-layout.vue';

describe('<SuiteLayout>', () => {
  afterEach(() => {
    setActivePinia(undefined);
    vi.unstubAllGlobals();
  });

  async function withSession(me: object | null, props: Record<string, unknown> = {}) {
    const requests = mockSession('welfare', () => me);
    const pinia = createPinia();
    setActivePinia(pinia);
    const i18n = createSuiteI18n({ 'zh-CN': {}, en: {} });
    const wrapper = mount(SuiteLayout, {
      props: { appTitle: '低保', session: true, ...props },
      global: { plugins: [appIdPlugin('welfare'), i18n, pinia] },
    });
    await flushPromises();
    return { wrapper, requests };
  }

  it('shows the app’s session: the signed-in account and logout, or a login button', async () => {
    const signedIn = await withSession({ did: 'did:gx:gx1a', address: 'gx1a', roles: [], sessionId: 's' });
    expect(signedIn.requests.map((r) => r.path)).toEqual(['/welfare/auth/me']);
    expect(signedIn.wrapper.find('[data-test="me"]').text()).toContain('gx1a');
    expect(signedIn.wrapper.find('[data-test="logout"]').exists()).toBe(true);
    expect(signedIn.wrapper.find('[data-test="header-login"]').exists()).toBe(false);

    // A session with the person's name (the passport's claim): the name, the address beside it.
    const named = await withSession({
      did: 'did:gx:gx1a',
      address: 'gx1a',
      roles: [],
      name: '周若兰',
      sessionId: 's',
    });
    expect(named.wrapper.find('[data-test="me-name"]').text()).toBe('周若兰');
    expect(named.wrapper.find('[data-test="me"]').text()).toContain('gx1a');
    expect(signedIn.wrapper.find('[data-test="me-name"]').exists()).toBe(false);

    const anonymous = await withSession(null);
    expect(anonymous.wrapper.find('[data-test="me"]').exists()).toBe(false);
    expect(anonymous.wrapper.find('[data-test="header-login"]').exists()).toBe(true);
    const hidden = await withSession(null, { hideLogin: true });
    expect(hidden.wrapper.find('[data-test="header-login"]').exists()).toBe(false);
  });

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
