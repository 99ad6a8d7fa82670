// The balances page names an asset's issuer where the chain names it, with the address beside it.
import { appIdPlugin, configureUi, createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';
import { signedInAs } from './signed-in.test-helper';

const me = 'gx13nrr3ehgc3fzpmkk7rlt88fsqmaakeqv90m0gg';
const aggregator = 'gx1sg59gye6j98rja3cccfq5plt5yjwg49k0479rk';

const mocks = vi.hoisted(() => ({ balances: vi.fn(), state: {} as Record<string, unknown> }));

vi.mock('../api', () => ({ api: { balances: { query: mocks.balances } } }));
vi.mock('@gongxin/ui', async (original) => ({
  ...(await original<typeof import('@gongxin/ui')>()),
  createUiChainClient: () => ({ state: async (key: string) => ({ value: mocks.state[key] ?? null }) }),
}));

import BalancesView from './balances-view.vue';

const asset = (symbol: string, issuer: string) => ({
  symbol,
  name: symbol,
  decimals: 2,
  issuer,
  policy: 'mintable',
  amount: '100',
  frozen: false,
});

beforeEach(() => {
  setActivePinia(createPinia());
  configureUi();
  mocks.state = {
    [`identity/account/${aggregator}`]: { kind: 'service', did: `did:gx:${aggregator}`, registeredAt: 0 },
    [`identity/roles/${aggregator}`]: ['parking/aggregator'],
  };
  mocks.balances.mockResolvedValue([asset('CNYD', aggregator), asset('MINE', me)]);
  vi.stubGlobal('fetch', vi.fn(signedInAs(me)));
});

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

describe('balances page', () => {
  it('names an issuer the chain names, its address beside it; another by its address alone', async () => {
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', component: BalancesView },
        { path: '/:other(.*)', component: { template: '<div />' } },
      ],
    });
    await router.push('/');
    const wrapper = mount(BalancesView, {
      global: { plugins: [appIdPlugin('wallet'), createSuiteI18n({ 'zh-CN': zhCN, en }), router] },
      attachTo: document.body,
    });
    await flushPromises();
    await flushPromises();
    const cnyd = wrapper.get('[data-test="balance-CNYD"] [data-test="balance-issuer"]');
    expect(cnyd.get('[data-test="balance-issuer-name"]').text()).toBe('智慧停车服务账户');
    expect(cnyd.get('[data-test="address"] a').attributes('title')).toBe(aggregator);
    const mine = wrapper.get('[data-test="balance-MINE"] [data-test="balance-issuer"]');
    expect(mine.find('[data-test="balance-issuer-name"]').exists()).toBe(false);
    expect(mine.get('[data-test="address"] a').attributes('title')).toBe(me);
    wrapper.unmount();
  });
});
