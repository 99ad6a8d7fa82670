// The history page names a counterparty the server names (an authority, a demo person), its address
// beside it, and shows any other counterparty by its address alone.
import { appIdPlugin, configureUi, createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';
import { signedInAs } from './signed-in.test-helper';

const me = 'gx13nrr3ehgc3fzpmkk7rlt88fsqmaakeqv90m0gg';
const zhang = 'gx1sg59gye6j98rja3cccfq5plt5yjwg49k0479rk';
const stranger = 'gx1e8zuak4xqpp7k330d2kc8ux7mrgpgur5ksyfy8';

const mocks = vi.hoisted(() => ({ history: vi.fn(), balances: vi.fn() }));
vi.mock('../api', () => ({
  api: { history: { query: mocks.history }, balances: { query: mocks.balances } },
}));

import HistoryView from './history-view.vue';

const row = (height: number, direction: 'in' | 'out', counterparty: string) => ({
  height,
  index: 0,
  txId: height.toString(16).padStart(64, '0'),
  time: 1_765_000_000_000 + height,
  kind: 'transfer',
  direction,
  symbol: 'CNYX',
  decimals: 2,
  amount: '1250',
  counterparty,
  memo: null,
  ref: null,
});

beforeEach(() => {
  setActivePinia(createPinia());
  configureUi();
  mocks.balances.mockResolvedValue([]);
  mocks.history.mockResolvedValue({
    items: [row(9, 'out', zhang), row(8, 'in', stranger)],
    nextCursor: null,
    names: { [zhang]: '张三' },
  });
  vi.stubGlobal('fetch', vi.fn(signedInAs(me)));
});

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

describe('history page', () => {
  it('names a counterparty the server names, the address beside it; another by its address alone', async () => {
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', component: HistoryView },
        { path: '/:other(.*)', component: { template: '<div />' } },
      ],
    });
    await router.push('/');
    const wrapper = mount(HistoryView, {
      global: { plugins: [appIdPlugin('wallet'), createSuiteI18n({ 'zh-CN': zhCN, en }), router] },
      attachTo: document.body,
    });
    await flushPromises();
    await flushPromises();
    const [named, unnamed] = wrapper.findAll('[data-test="history-counterparty"]');
    expect(named!.get('[data-test="history-counterparty-name"]').text()).toBe('张三');
    expect(named!.get('[data-test="address"] a').attributes('title')).toBe(zhang);
    expect(unnamed!.find('[data-test="history-counterparty-name"]').exists()).toBe(false);
    expect(unnamed!.get('[data-test="address"] a').attributes('title')).toBe(stranger);
    wrapper.unmount();
  });
});
