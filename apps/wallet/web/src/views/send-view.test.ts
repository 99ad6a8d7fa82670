// The send page as a person uses it: fields found by data-test, problems shown on submit, a payment
// request filled in, and the transfer handed to the signer with the amount in smallest units.
import { appIdPlugin, ChainError, configureUi, createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { computed } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';
import { signedInAs } from './signed-in.test-helper';

const me = 'gx13nrr3ehgc3fzpmkk7rlt88fsqmaakeqv90m0gg';
const bob = 'gx1sg59gye6j98rja3cccfq5plt5yjwg49k0479rk';

const mocks = vi.hoisted(() => ({ balances: vi.fn(), sign: vi.fn(), hasKey: true }));

vi.mock('../api', () => ({ api: { balances: { query: mocks.balances } } }));
vi.mock('@gongxin/ui', async (original) => ({
  ...(await original<typeof import('@gongxin/ui')>()),
  useAppSigner: () => ({
    address: computed(() => me),
    hasKey: computed(() => mocks.hasKey),
    sign: mocks.sign,
  }),
}));

import SendView from './send-view.vue';

async function mountSend(query: Record<string, string> = {}) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/send', component: { template: '<div />' } }],
  });
  await router.push({ path: '/send', query });
  const wrapper = mount(SendView, {
    global: { plugins: [appIdPlugin('wallet'), createSuiteI18n({ 'zh-CN': zhCN, en }), router] },
    attachTo: document.body,
  });
  await flushPromises();
  await flushPromises();
  return wrapper;
}

const field = (wrapper: Awaited<ReturnType<typeof mountSend>>, name: string) =>
  wrapper.find(`[data-test="${name}"]`);

beforeEach(() => {
  setActivePinia(createPinia());
  configureUi();
  mocks.hasKey = true;
  mocks.sign.mockReset();
  mocks.balances.mockResolvedValue([
    {
      symbol: 'CNYX',
      name: '数字人民币券',
      decimals: 2,
      issuer: me,
      policy: 'mintable',
      amount: '123456',
      frozen: false,
    },
    { symbol: 'ICE', name: 'Frozen', decimals: 0, issuer: me, policy: 'fixed', amount: '5', frozen: true },
  ]);
  vi.stubGlobal('fetch', vi.fn(signedInAs(me)));
});

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

describe('send page', () => {
  it('shows each problem next to its field on submit and signs nothing', async () => {
    const wrapper = await mountSend();
    expect((field(wrapper, 'send-asset').element as HTMLSelectElement).value).toBe('CNYX');
    await field(wrapper, 'send-to').setValue(`${bob.slice(0, -1)}x`);
    await field(wrapper, 'send-amount').setValue('2000');
    await field(wrapper, 'send-memo').setValue('a\u0001');
    await wrapper.find('[data-test="send-form"]').trigger('submit');
    await flushPromises();
    expect(field(wrapper, 'send-to-error').text()).toContain('地址无效');
    expect(field(wrapper, 'send-amount-error').text()).toBe('余额不足。');
    expect(field(wrapper, 'send-memo-error').text()).toContain('控制字符');
    expect(mocks.sign).not.toHaveBeenCalled();
  });

  it('fills the form from a pasted payment request and signs the transfer in smallest units', async () => {
    mocks.sign.mockResolvedValue({ id: 'ab'.repeat(32), height: 7, blockHash: '00', ok: true, events: [] });
    const wrapper = await mountSend();
    await field(wrapper, 'send-request').setValue(`gongxin:pay?to=${bob}&asset=CNYX&amount=1250&memo=rent`);
    await field(wrapper, 'send-request-apply').trigger('click');
    expect((field(wrapper, 'send-to').element as HTMLInputElement).value).toBe(bob);
    expect((field(wrapper, 'send-amount').element as HTMLInputElement).value).toBe('12.5');
    expect((field(wrapper, 'send-memo').element as HTMLInputElement).value).toBe('rent');
    await wrapper.find('[data-test="send-form"]').trigger('submit');
    await flushPromises();
    expect(mocks.sign).toHaveBeenCalledTimes(1);
    const [actions, opts] = mocks.sign.mock.calls[0]!;
    expect(actions).toEqual([
      {
        contract: 'assets',
        name: 'transfer',
        params: { symbol: 'CNYX', to: bob, amount: 1250n, memo: 'rent' },
      },
    ]);
    expect(opts.describe).toBe(`向 ${bob} 转账 12.50 CNYX`);
    expect(field(wrapper, 'send-result').exists()).toBe(true);
  });

  it('says what is wrong with a request that cannot be used', async () => {
    const wrapper = await mountSend();
    await field(wrapper, 'send-request').setValue('bitcoin:1abc');
    await field(wrapper, 'send-request-apply').trigger('click');
    expect(field(wrapper, 'send-request-error').text()).toContain('不是收款请求');
  });

  it("shows the chain's refusal in words", async () => {
    mocks.sign.mockRejectedValue(new ChainError('frozen', 'CNYX of gx1… is frozen'));
    const wrapper = await mountSend({ to: bob });
    await field(wrapper, 'send-amount').setValue('1');
    await wrapper.find('[data-test="send-form"]').trigger('submit');
    await flushPromises();
    expect(field(wrapper, 'send-error').text()).toContain('账户已被冻结');
  });

  it("says a refusal in Chinese only, with the node's reason folded under 技术详情", async () => {
    mocks.sign.mockRejectedValue(new ChainError('insufficient_funds', 'gx1… holds 100 CNYX, 200 needed'));
    const wrapper = await mountSend({ to: bob });
    await field(wrapper, 'send-amount').setValue('1');
    await wrapper.find('[data-test="send-form"]').trigger('submit');
    await flushPromises();
    const failure = field(wrapper, 'send-error');
    expect(failure.get('[data-test="error-message"]').text()).toBe('余额不足。');
    const details = failure.get('details');
    expect(details.get('summary').text()).toBe('技术详情');
    expect(details.get('[data-test="error-detail-text"]').text()).toBe(
      'insufficient_funds: gx1… holds 100 CNYX, 200 needed',
    );
  });

  it('cannot submit without the key on this device', async () => {
    mocks.hasKey = false;
    const wrapper = await mountSend();
    expect(field(wrapper, 'send-submit').attributes('disabled')).toBeDefined();
  });
});
