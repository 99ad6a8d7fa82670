// The trade page as a person uses it: an order is checked before the signing dialog opens, amounts go to
// the chain in its integer units straight from the typed digits, and each outcome is shown next to the
// form that was submitted.
import { appIdPlugin, configureUi, createSuiteI18n } from '@gongxin/ui';
import { serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';

const mocks = vi.hoisted(() => ({ sign: vi.fn() }));

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

const TradeView = (await import('./trade-view.vue')).default;

async function mountTrade() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/trade', component: { template: '<div />' } }],
  });
  await router.push('/trade');
  const wrapper = mount(TradeView, {
    global: { plugins: [appIdPlugin('solar'), createSuiteI18n({ 'zh-CN': zhCN, en }), router] },
    attachTo: document.body,
  });
  await flushPromises();
  await flushPromises();
  return wrapper;
}

type Wrapper = Awaited<ReturnType<typeof mountTrade>>;
const input = (wrapper: Wrapper, name: string) =>
  wrapper.find(`[data-test="${name}"] input, input[data-test="${name}"]`);
/** The form holding a button: where that form's outcome belongs. */
const formOf = (wrapper: Wrapper, button: string) =>
  wrapper.find(`[data-test="${button}"]`).element.closest('form')!;

async function submitOrder(wrapper: Wrapper, fields: { plant?: string; kwh?: string; price?: string }) {
  if (fields.plant !== undefined) await input(wrapper, 'order-plant').setValue(fields.plant);
  if (fields.kwh !== undefined) await input(wrapper, 'order-kwh').setValue(fields.kwh);
  if (fields.price !== undefined) await input(wrapper, 'order-price').setValue(fields.price);
  await wrapper.find('[data-test="place-order"]').element.closest('form')!.requestSubmit();
  await flushPromises();
}

const problem = (wrapper: Wrapper) => wrapper.find('[data-test="trade-problem"]');

beforeEach(() => {
  configureUi();
  mocks.sign.mockReset();
  serveDeploymentClock(0);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

describe('trade page', () => {
  it('refuses a sell order without a plant id, in words, and opens no signing dialog', async () => {
    const wrapper = await mountTrade();
    await submitOrder(wrapper, { plant: '  ' });
    expect(problem(wrapper).text()).toContain('请填写电站编号');
    expect(mocks.sign).not.toHaveBeenCalled();
  });

  it('refuses a volume of 0 and a slot that has begun', async () => {
    const wrapper = await mountTrade();
    await submitOrder(wrapper, { plant: 'p1', kwh: '0' });
    expect(problem(wrapper).text()).toBe('电量 (kWh)：请填写大于 0 的数。');
    await submitOrder(wrapper, { kwh: '' });
    expect(problem(wrapper).text()).toBe('电量 (kWh)：请输入金额。');
    await input(wrapper, 'order-kwh').setValue('5');
    // The page stayed open for an hour: the slot picked then has begun.
    const later = Date.now() + 3_600_000;
    vi.spyOn(Date, 'now').mockReturnValue(later);
    await submitOrder(wrapper, {});
    expect(problem(wrapper).text()).toContain('请选择一个尚未开始的 15 分钟时段');
    expect(mocks.sign).not.toHaveBeenCalled();
  });

  it('refuses more decimals than the unit holds rather than rounding', async () => {
    const wrapper = await mountTrade();
    await submitOrder(wrapper, { plant: 'p1', kwh: '1.0005' });
    expect(problem(wrapper).text()).toBe('电量 (kWh)：最多 3 位小数。');
    await submitOrder(wrapper, { kwh: '1', price: '0.400001' });
    expect(problem(wrapper).text()).toBe('限价（元/kWh）：最多 5 位小数。');
    await input(wrapper, 'plant-capacity').setValue('1.2345');
    await wrapper.find('[data-test="register-plant"]').element.closest('form')!.requestSubmit();
    await flushPromises();
    expect(problem(wrapper).text()).toBe('装机容量（kW）：最多 3 位小数。');
    expect(mocks.sign).not.toHaveBeenCalled();
  });

  it('sends the typed decimals as exact integers (Wh, fen/MWh)', async () => {
    mocks.sign.mockResolvedValue({ id: 'ab'.repeat(32), height: 7, blockHash: '00', ok: true, events: [] });
    const wrapper = await mountTrade();
    // As floats, 0.29 × 100,000 is 28,999.999… and 1.005 × 1,000 is 1,004.999…: the digits are used instead.
    await submitOrder(wrapper, { plant: ' p1 ', kwh: '1.005', price: '0.29' });
    expect(mocks.sign).toHaveBeenCalledTimes(1);
    const [actions] = mocks.sign.mock.calls[0]!;
    expect(actions[0].params).toMatchObject({ side: 'sell', plant: 'p1', wh: 1005n, price: 29_000n });
    expect(problem(wrapper).exists()).toBe(false);
  });

  it('shows the outcome next to the form that was submitted, scrolled into view', async () => {
    const scrolled = vi.fn();
    Element.prototype.scrollIntoView = scrolled;
    mocks.sign.mockResolvedValue({ id: 'cd'.repeat(32), height: 8, blockHash: '00', ok: true, events: [] });
    const wrapper = await mountTrade();
    await submitOrder(wrapper, { plant: '' });
    expect(formOf(wrapper, 'place-order').contains(problem(wrapper).element)).toBe(true);
    expect(scrolled).toHaveBeenCalled();
    await submitOrder(wrapper, { plant: 'p1' });
    const done = wrapper.find('[data-test="trade-done"]');
    expect(formOf(wrapper, 'place-order').contains(done.element)).toBe(true);
    expect(done.attributes('data-tx')).toBe('cd'.repeat(32));
    expect(problem(wrapper).exists()).toBe(false);
    // Another form's outcome goes next to that form.
    await wrapper.find('[data-test="clear-slot"]').trigger('click');
    await flushPromises();
    expect(formOf(wrapper, 'clear-slot').contains(wrapper.find('[data-test="trade-done"]').element)).toBe(
      true,
    );
    expect(formOf(wrapper, 'place-order').querySelector('[data-test="trade-done"]')).toBeNull();
  });
});
