import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
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
});
