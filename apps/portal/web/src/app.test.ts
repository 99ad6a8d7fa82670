import { appIdPlugin, createSuiteI18n } from '@gongxin/ui';
import { serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const overview = vi.hoisted(() => ({
  apps: [
    {
      id: 'food',
      path: '/food/',
      title: { 'zh-CN': '食品溯源', en: 'Food traceability' },
      summary: { 'zh-CN': '从农田到餐桌', en: 'Farm to fork' },
      status: 'planned',
      audience: 'everyone',
    },
    {
      id: 'explorer',
      path: '/explorer/',
      title: { 'zh-CN': '区块浏览器', en: 'Explorer' },
      summary: { 'zh-CN': '追溯', en: 'Trace' },
      status: 'live',
      audience: 'public',
    },
  ],
  demo: true,
  services: { database: 'pglite', broker: 'embedded' },
  startedAt: '2026-11-24T00:00:00.000Z',
  chain: null,
}));
const query = vi.hoisted(() => vi.fn());
vi.mock('./api/trpc', () => ({ api: { suite: { overview: { query } } } }));

import App from './app.vue';

describe('portal page', () => {
  beforeEach(() => {
    localStorage.clear();
    query.mockReset();
  });

  it('lists the registered apps in Chinese and links only live ones', async () => {
    query.mockResolvedValue(overview);
    const wrapper = mount(App, { global: { plugins: [createSuiteI18n({ 'zh-CN': zhCN, en })] } });
    await flushPromises();
    expect(wrapper.get('[data-test="app-food"]').text()).toContain('食品溯源');
    expect(wrapper.get('[data-test="app-food"]').text()).toContain('即将上线');
    expect(wrapper.find('[data-test="app-food"] a').exists()).toBe(false);
    expect(wrapper.get('[data-test="app-explorer"] a').attributes('href')).toBe('/explorer/');
    expect(wrapper.get('[data-test="services"]').text()).toContain('PGlite');
    expect(wrapper.get('[data-test="chain-status"]').text()).toContain('链节点尚未接入');
  });

  it('shows the apps in English when English was chosen', async () => {
    localStorage.setItem('gongxin.locale', 'en');
    query.mockResolvedValue(overview);
    const wrapper = mount(App, { global: { plugins: [createSuiteI18n({ 'zh-CN': zhCN, en })] } });
    await flushPromises();
    expect(wrapper.get('[data-test="app-food"]').text()).toContain('Food traceability');
    expect(wrapper.get('[data-test="welcome"]').text()).toBe('Welcome to Gongxin');
  });

  it("names a demo account's roles in words in the page's language, the code as the tag's title", async () => {
    query.mockResolvedValue({
      ...overview,
      demoAccounts: {
        password: 'gongxin-demo',
        accounts: [
          {
            id: 'welfare-caseworker',
            label: { 'zh-CN': '低保经办人（街道）', en: 'Welfare case worker' },
            address: 'gx1caseworker',
            roles: [
              {
                code: 'welfare:caseworker',
                app: { 'zh-CN': '最低生活保障', en: 'Minimum living allowance' },
                role: { 'zh-CN': '街道/乡镇经办人', en: 'Case worker' },
              },
            ],
            verified: true,
          },
        ],
      },
    });
    const wrapper = mount(App, { global: { plugins: [createSuiteI18n({ 'zh-CN': zhCN, en })] } });
    await flushPromises();
    const tag = wrapper.get('[data-test="demo-welfare-caseworker"] [data-test="demo-role"]');
    expect(tag.text()).toBe('最低生活保障 · 街道/乡镇经办人');
    expect(tag.attributes('title')).toBe('welfare:caseworker');
  });

  it('puts the apps first, each naming the demo accounts that hold a role in it', async () => {
    const role = (code: string) => ({
      code,
      app: { 'zh-CN': '应用', en: 'App' },
      role: { 'zh-CN': '角色', en: 'Role' },
    });
    const account = (id: string, zh: string, codes: string[]) => ({
      id,
      label: { 'zh-CN': zh, en: id },
      address: `gx1${id}`,
      roles: codes.map(role),
      verified: true,
    });
    query.mockResolvedValue({
      ...overview,
      demoAccounts: {
        password: 'gongxin-demo',
        accounts: [
          account('food-inspector', '食品安全检查员', ['food:inspector']),
          account('citizen-li', '市民 李四', []),
          account('food-farm', '绿源农业合作社', ['food:farm', 'food:retailer']),
        ],
      },
    });
    const wrapper = mount(App, { global: { plugins: [createSuiteI18n({ 'zh-CN': zhCN, en })] } });
    await flushPromises();
    // Each account once, in the seed's order; an app no account holds a role in names none.
    expect(wrapper.get('[data-test="try-food"]').text()).toBe('可用演示账户：食品安全检查员、绿源农业合作社');
    expect(wrapper.find('[data-test="try-explorer"]').exists()).toBe(false);
    // The apps come before the list of demo accounts and the chain's status.
    const html = wrapper.html();
    expect(html.indexOf('data-test="apps"')).toBeLessThan(html.indexOf('data-test="demo-accounts"'));
    expect(html.indexOf('data-test="demo-accounts"')).toBeLessThan(html.indexOf('data-test="chain-status"'));
  });

  it("holds the apps' places with loading cards until the overview comes, then shows the apps", async () => {
    let answer!: (value: typeof overview) => void;
    query.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const wrapper = mount(App, { global: { plugins: [createSuiteI18n({ 'zh-CN': zhCN, en })] } });
    await flushPromises();
    expect(wrapper.findAll('[data-test="apps"] [data-test="app-loading"]')).toHaveLength(4);
    answer(overview);
    await flushPromises();
    expect(wrapper.findAll('[data-test="app-loading"]')).toHaveLength(0);
    expect(wrapper.get('[data-test="app-explorer"]').text()).toContain('区块浏览器');
  });

  it('says so and offers a retry when the server cannot be reached', async () => {
    query.mockRejectedValueOnce(new Error('fetch failed')).mockResolvedValue(overview);
    const wrapper = mount(App, { global: { plugins: [createSuiteI18n({ 'zh-CN': zhCN, en })] } });
    await flushPromises();
    expect(wrapper.text()).toContain('无法读取套件状态');
    await wrapper.get('.el-alert button').trigger('click');
    await flushPromises();
    expect(wrapper.text()).not.toContain('无法读取套件状态');
    expect(wrapper.find('[data-test="app-explorer"]').exists()).toBe(true);
  });

  it("tells how long ago the last block was on the deployment clock, read from the portal's own server", async () => {
    // A rehearsal three days behind this device: the block of three minutes ago on that clock is three
    // minutes old, not three days.
    const DAY = 86_400_000;
    const read = serveDeploymentClock(-3 * DAY);
    const time = Date.now() - 3 * DAY - 3 * 60_000;
    query.mockResolvedValue({
      ...overview,
      chain: { chainId: 'gongxin-demo', height: 42, validators: 1, time },
    });
    const wrapper = mount(App, {
      global: { plugins: [appIdPlugin('portal'), createSuiteI18n({ 'zh-CN': zhCN, en })] },
    });
    await flushPromises();
    expect(read).toContain('/portal/api/clock');
    const shown = wrapper.get('[data-test="last-block"] time');
    expect(shown.attributes('title')).toBe('3分钟前');
    expect(shown.text()).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
  });
});

afterEach(() => vi.unstubAllGlobals());
