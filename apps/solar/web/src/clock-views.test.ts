// The solar pages pick slots and date a plant's commissioning on the deployment clock (block times,
// metering intervals and market slots follow it), not this device's, and sign no commissioning date when
// the server's clock cannot be read.
import { appIdPlugin, createSuiteI18n } from '@gongxin/ui';
import { forgetDeploymentClock, jsonResponse, serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { flushPromises, mount } from '@vue/test-utils';
import { ElSelect } from 'element-plus';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Component } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const DAY = 86_400_000;
const SLOT = 900_000;
const mocks = vi.hoisted(() => ({ sign: vi.fn(), slots: vi.fn() }));

vi.mock('./api', () => ({
  api: {
    market: { config: { query: async () => ({ matching: 'clear' }) }, slots: { query: mocks.slots } },
  },
}));

vi.mock('@gongxin/ui', async (original) => {
  const { defineComponent } = await import('vue');
  return {
    ...(await original<typeof import('@gongxin/ui')>()),
    useAppSigner: () => ({ sign: mocks.sign }),
    useAuth: () => ({ hasRole: () => false, me: { address: 'gx1owner', roles: [] } }),
    RequireLogin: defineComponent({
      setup:
        (_, { slots }) =>
        () =>
          slots.default?.(),
    }),
  };
});

const TradeView = (await import('./views/trade-view.vue')).default;
const MarketView = (await import('./views/market-view.vue')).default;
const chainNow = () => Date.now() - 10 * DAY;

async function render(view: Component = TradeView) {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: view }] });
  await router.push('/');
  const wrapper = mount(view, {
    global: { plugins: [appIdPlugin('solar'), createSuiteI18n({ 'zh-CN': zhCN, en }), router] },
  });
  await flushPromises();
  return wrapper;
}

async function registerPlant(wrapper: Awaited<ReturnType<typeof render>>) {
  await wrapper.get('input[data-test="plant-id"]').setValue('pv-1');
  await wrapper.get('input[data-test="plant-name"]').setValue('屋顶一号');
  await wrapper.get('input[data-test="meter-id"]').setValue('m-1');
  await wrapper.get('input[data-test="meter-key"]').setValue('ab'.repeat(32));
  const form = wrapper.findAll('form').find((f) => f.find('[data-test="register-plant"]').exists())!;
  await form.trigger('submit');
  await flushPromises();
}

beforeEach(() => {
  mocks.sign.mockReset().mockResolvedValue({ id: 'cd'.repeat(32) });
  mocks.slots.mockReset().mockResolvedValue([]);
});
afterEach(() => vi.unstubAllGlobals());

describe('trading on a deployment clock ten days behind this device', () => {
  it("offers that clock's coming slots and dates a commissioning a day before its now", async () => {
    serveDeploymentClock(-10 * DAY);
    const wrapper = await render();
    const [orderSlot] = wrapper.findAllComponents(ElSelect);
    const slot = orderSlot!.props('modelValue') as number;
    const first = Math.ceil((chainNow() + 60_000) / SLOT) * SLOT;
    expect(Math.abs(slot - first)).toBeLessThanOrEqual(SLOT);

    await registerPlant(wrapper);
    expect(mocks.sign).toHaveBeenCalledTimes(1);
    const [[plant]] = mocks.sign.mock.calls[0]! as [[{ params: { commissioned: number } }]];
    expect(Math.abs(plant.params.commissioned - (chainNow() - DAY))).toBeLessThan(60_000);
  });

  it("signs no commissioning date when the server's clock cannot be read", async () => {
    forgetDeploymentClock();
    vi.stubGlobal('fetch', async () => jsonResponse({ error: 'unavailable' }, 503));
    const wrapper = await render();
    await registerPlant(wrapper);
    expect(mocks.sign).not.toHaveBeenCalled();
    expect(wrapper.get('[data-test="trade-problem"]').text()).toContain('暂时读不到服务器时间');
  });

  it("shows the market's slots of that clock's last week", async () => {
    serveDeploymentClock(-10 * DAY);
    await render(MarketView);
    const [[{ from }]] = mocks.slots.mock.calls as [[{ from: number }]];
    expect(Math.abs(from - (chainNow() - 7 * DAY))).toBeLessThan(60_000);
  });
});
