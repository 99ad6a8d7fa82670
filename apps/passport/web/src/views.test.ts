import { configureUi, createSuiteI18n, useKeyring } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const mocks = vi.hoisted(() => ({
  details: vi.fn(),
  demoAccounts: vi.fn(),
  status: vi.fn(),
}));

vi.mock('./api', () => ({
  api: {
    demo: { accounts: { query: mocks.demoAccounts } },
    registration: { status: { query: mocks.status } },
  },
  interaction: { details: mocks.details },
  InteractionError: class extends Error {},
}));

import LoginView from './views/login-view.vue';
import RegisterView from './views/register-view.vue';

function plugins() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }],
  });
  return [createSuiteI18n({ 'zh-CN': zhCN, en }), router];
}

const DEMO_KEY = '11'.repeat(32);

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
  configureUi({ kdf: { N: 1024, r: 8, p: 1 } });
  for (const m of Object.values(mocks)) m.mockReset();
});

describe('login page', () => {
  it('shows the client, no password field without an account, and the demo accounts in demo mode', async () => {
    mocks.details.mockResolvedValue({
      uid: 'u1',
      prompt: { name: 'login', reasons: [], details: {} },
      client: { id: 'welfare', name: 'welfare', firstParty: true },
      scopes: ['openid'],
      accountId: null,
      demo: true,
    });
    mocks.demoAccounts.mockResolvedValue({
      demo: true,
      password: 'gongxin-demo',
      accounts: [
        {
          id: 'citizen-zhang',
          label: { 'zh-CN': '市民 张三', en: 'Citizen Zhang San' },
          name: '张三',
          address: 'gx1x',
          privateKey: DEMO_KEY,
          verified: true,
          roles: [],
          kind: 'person',
          authority: null,
        },
      ],
    });
    const wrapper = mount(LoginView, {
      props: { uid: 'u1' },
      global: { plugins: [createPinia(), ...plugins()] },
    });
    await flushPromises();
    expect(wrapper.text()).toContain('welfare');
    expect(wrapper.find('[data-test="login-no-account"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="demo-accounts"]').text()).toContain('gongxin-demo');
    expect(wrapper.find('[data-test="demo-account-citizen-zhang"]').exists()).toBe(true);
  });

  it('tells the person when the sign-in expired', async () => {
    mocks.details.mockRejectedValue(new Error('gone'));
    const wrapper = mount(LoginView, {
      props: { uid: 'u2' },
      global: { plugins: [createPinia(), ...plugins()] },
    });
    await flushPromises();
    expect(wrapper.find('[data-test="login-expired"]').exists()).toBe(true);
  });

  it('asks for the password of an account on this device', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    await useKeyring().importDemoKey(DEMO_KEY, 'demo', 'gongxin-demo', 'ed25519-sha256');
    useKeyring().lock();
    mocks.details.mockResolvedValue({
      uid: 'u3',
      prompt: { name: 'login', reasons: [], details: {} },
      client: { id: 'food', name: 'food', firstParty: true },
      scopes: ['openid'],
      accountId: null,
      demo: false,
    });
    const wrapper = mount(LoginView, { props: { uid: 'u3' }, global: { plugins: [pinia, ...plugins()] } });
    await flushPromises();
    expect(wrapper.find('[data-test="login-password"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="login-continue"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="demo-accounts"]').exists()).toBe(false);
  });
});

describe('registration', () => {
  it('validates the ID number’s check digit as it is typed', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    await useKeyring().importDemoKey(DEMO_KEY, 'mine', 'password-1', 'ed25519-sha256');
    mocks.status.mockResolvedValue({ kind: 'person', registered: true, verified: false, application: null });
    const wrapper = mount(RegisterView, { global: { plugins: [pinia, ...plugins()] } });
    await flushPromises();
    await wrapper.find('[data-test="reg-use-existing"]').trigger('click');
    await flushPromises();
    await wrapper.find('[data-test="reg-chain-submit"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="reg-step-details"]').exists()).toBe(true);

    await wrapper.find('[data-test="reg-name"]').setValue('张三');
    await wrapper.find('[data-test="reg-id-number"]').setValue('11010519491231003X');
    await flushPromises();
    expect(wrapper.find('[data-test="reg-id-error"]').text()).toContain('校验码不符');
    expect(wrapper.find('[data-test="reg-details-next"]').attributes('disabled')).toBeDefined();

    await wrapper.find('[data-test="reg-id-number"]').setValue('11010519491231002X');
    await flushPromises();
    expect(wrapper.find('[data-test="reg-id-ok"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="reg-details-next"]').attributes('disabled')).toBeUndefined();
  });
});
