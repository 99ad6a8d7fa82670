// The trade page as a person uses it: an order is checked before the signing dialog opens, amounts go to
// the chain in its integer units straight from the typed digits, and each outcome is shown next to the
// form that was submitted.
import { appIdPlugin, configureUi, createSuiteI18n } from '@gongxin/ui';
import { serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { packTranslator } from '@gongxin/ui/testing/decoder-pack';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';

const mocks = vi.hoisted(() => ({ sign: vi.fn(), plants: vi.fn(), slots: vi.fn(), operator: false }));

vi.mock('../api', () => ({
  api: { plants: { list: { query: mocks.plants } }, market: { slots: { query: mocks.slots } } },
}));

vi.mock('@gongxin/ui', async (original) => {
  const { defineComponent } = await import('vue');
  return {
    ...(await original<typeof import('@gongxin/ui')>()),
    useAppSigner: () => ({ sign: mocks.sign }),
    useAuth: () => ({
      hasRole: (_app: string, role: string) => role === 'operator' && mocks.operator,
      me: { address: mocks.operator ? 'gx1operator' : 'gx1owner', roles: [] },
    }),
    RequireLogin: defineComponent({
      setup:
        (_, { slots }) =>
        () =>
          slots.default?.(),
    }),
  };
});

const TradeView = (await import('./trade-view.vue')).default;
const pack = (await import('../explorer-decoders')).default;

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
  // No market read model: the slot forms go to the chain as they are.
  mocks.slots.mockReset().mockRejectedValue(new Error('offline'));
  mocks.plants.mockReset().mockResolvedValue([
    { id: 'p1', name: '屋顶一号', owner: 'gx1owner', certified: true },
    { id: 'p2', name: '大棚二号', owner: 'gx1owner', certified: false },
    { id: 'other', name: '别人的电站', owner: 'gx1other', certified: true },
  ]);
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
    // A volume is not money: the sentence says what is missing without calling it an amount (金额).
    expect(problem(wrapper).text()).toBe('电量 (kWh)：请填写。');
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
    // The registration is checked field by field, top down.
    await input(wrapper, 'plant-id').setValue('pv-9');
    await input(wrapper, 'plant-name').setValue('屋顶九号');
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

  it('tells the signing dialog which plant a sell order sells: by its name, the id after it', async () => {
    mocks.sign.mockResolvedValue({ id: 'ab'.repeat(32), height: 7, blockHash: '00', ok: true, events: [] });
    const wrapper = await mountTrade();
    await submitOrder(wrapper, { plant: 'p2', kwh: '10', price: '0.4' });
    const [actions, opts] = mocks.sign.mock.calls[0]!;
    expect(opts.describe).toContain('出售电站「大棚二号」（p2）');
    expect(opts.describe).toContain('10 kWh，限价 0.4000 元/kWh');
    // The action's own line in the dialog names it too, from the plant list this page read (the dialog
    // reads the params as the API's JSON: bigints as decimal strings).
    const params = JSON.parse(
      JSON.stringify(actions[0].params, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)),
    );
    expect(pack.actions['energy.placeOrder']!(params, packTranslator(pack, 'zh-CN'))).toContain(
      '出售电站「大棚二号」（p2）的发电',
    );
    // A buy order sells no plant's power.
    await wrapper.find('[data-test="side-buy"] input, [data-test="side-buy"]').trigger('click');
    await submitOrder(wrapper, {});
    const [, buy] = mocks.sign.mock.calls[1]!;
    expect(buy.describe).toMatch(/^挂买单/);
    expect(buy.describe).not.toContain('电站');
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

  it("offers the signed-in person's own plants by name and fills the first in", async () => {
    const wrapper = await mountTrade();
    expect((input(wrapper, 'order-plant').element as HTMLInputElement).value).toBe('p1');
    expect((input(wrapper, 'cert-plant').element as HTMLInputElement).value).toBe('p1');
    const mine = wrapper.find('[data-test="order-my-plants"]');
    expect(mine.text()).toContain('屋顶一号（p1）');
    expect(mine.text()).toContain('大棚二号（p2）');
    expect(mine.text()).not.toContain('别人的电站');
    await wrapper.find('[data-test="order-pick-p2"]').trigger('click');
    expect((input(wrapper, 'order-plant').element as HTMLInputElement).value).toBe('p2');
  });

  it('tells an owner without plants to register one, and says nothing of it to the grid operator', async () => {
    mocks.plants.mockResolvedValue([{ id: 'p9', name: '别人的电站', owner: 'gx1other', certified: true }]);
    const owner = await mountTrade();
    expect(owner.get('[data-test="order-my-plants"]').text()).toBe(
      '您还没有登记电站：先在上方登记电站与电表。',
    );
    owner.unmount();
    mocks.operator = true;
    try {
      const operator = await mountTrade();
      expect(operator.get('[data-test="order-my-plants"]').text()).toBe('');
      operator.unmount();
    } finally {
      mocks.operator = false;
    }
  });

  it("refuses to sell a plant that does not exist or is someone else's, before signing", async () => {
    const wrapper = await mountTrade();
    await submitOrder(wrapper, { plant: 'nope' });
    // Looked up again first (a plant registered a moment ago), then refused.
    await vi.waitFor(() => expect(problem(wrapper).text()).toBe('没有编号为 nope 的电站。'), {
      timeout: 8_000,
    });
    await submitOrder(wrapper, { plant: 'other' });
    expect(problem(wrapper).text()).toBe('电站 other 不是您登记的电站。');
    expect(mocks.sign).not.toHaveBeenCalled();
  }, 20_000);

  it('looks a plant registered a moment ago up again before refusing it', async () => {
    mocks.sign.mockResolvedValue({ id: 'ab'.repeat(32), height: 7, blockHash: '00', ok: true, events: [] });
    const wrapper = await mountTrade();
    mocks.plants.mockResolvedValue([{ id: 'new-1', name: '新电站', owner: 'gx1owner', certified: false }]);
    await submitOrder(wrapper, { plant: 'new-1' });
    await vi.waitFor(() => expect(mocks.sign).toHaveBeenCalledTimes(1), { timeout: 5_000 });
    expect(mocks.sign.mock.calls[0]![0][0].params).toMatchObject({ plant: 'new-1' });
  }, 20_000);

  it('refuses a volume or price above what the chain takes, saying the limit', async () => {
    const wrapper = await mountTrade();
    await submitOrder(wrapper, { plant: 'p1', kwh: '1000000.001' });
    expect(problem(wrapper).text()).toBe('电量 (kWh)：最多 1,000,000。');
    await submitOrder(wrapper, { kwh: '10', price: '1000001' });
    expect(problem(wrapper).text()).toBe('限价（元/kWh）：最多 1,000,000。');
    expect(mocks.sign).not.toHaveBeenCalled();
  });

  it('checks a plant registration before signing: ids, name and the device key', async () => {
    const wrapper = await mountTrade();
    const register = async (fields: Record<string, string>) => {
      for (const [name, value] of Object.entries(fields)) await input(wrapper, name).setValue(value);
      await formOf(wrapper, 'register-plant').requestSubmit();
      await flushPromises();
    };
    await register({ 'plant-id': '' });
    expect(problem(wrapper).text()).toBe('请填写电站编号。');
    await register({ 'plant-id': '我的 电站' });
    expect(problem(wrapper).text()).toContain('电站编号只能用字母、数字');
    await register({ 'plant-id': 'p1' });
    expect(problem(wrapper).text()).toBe('电站编号 p1 已被登记，请换一个编号。');
    await register({ 'plant-id': 'pv-9', 'plant-name': ' ' });
    expect(problem(wrapper).text()).toBe('请填写电站名称。');
    await register({ 'plant-name': '屋顶九号', 'meter-id': 'm-9', 'meter-key': 'zz' });
    expect(problem(wrapper).text()).toContain('64 位十六进制');
    expect(mocks.sign).not.toHaveBeenCalled();
  });

  it('checks the month to issue and the lot to retire before signing', async () => {
    const wrapper = await mountTrade();
    await input(wrapper, 'cert-month').setValue('december');
    await wrapper.find('[data-test="issue-certificates"]').trigger('click');
    await flushPromises();
    expect(problem(wrapper).text()).toBe('月份请按 YYYY-MM 填写，例如 2026-11。');
    // The month of the deployment clock's now has not ended.
    const now = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    await input(wrapper, 'cert-month').setValue(now);
    await wrapper.find('[data-test="issue-certificates"]').trigger('click');
    await flushPromises();
    expect(problem(wrapper).text()).toContain(`${now} 还没有结束`);
    await wrapper.find('[data-test="retire-certificates"]').trigger('click');
    await flushPromises();
    expect(problem(wrapper).text()).toContain('请填写绿证批次编号');
    await input(wrapper, 'cert-lot').setValue('ab'.repeat(32));
    await wrapper.find('[data-test="retire-certificates"]').trigger('click');
    await flushPromises();
    expect(problem(wrapper).text()).toBe('请填写核销用途。');
    expect(mocks.sign).not.toHaveBeenCalled();
    await input(wrapper, 'cert-month').setValue('2020-01');
    await wrapper.find('[data-test="issue-certificates"]').trigger('click');
    await flushPromises();
    expect(mocks.sign).toHaveBeenCalledTimes(1);
    expect(mocks.sign.mock.calls[0]![0][0].params).toEqual({ plant: 'p1', month: '2020-01' });
  });

  it('sends one tx for a double click while the first is being signed', async () => {
    let finish: (r: unknown) => void = () => undefined;
    mocks.sign.mockReturnValue(new Promise((r) => (finish = r)));
    const wrapper = await mountTrade();
    await wrapper.find('[data-test="clear-slot"]').trigger('click');
    await wrapper.find('[data-test="clear-slot"]').trigger('click');
    await flushPromises();
    expect(mocks.sign).toHaveBeenCalledTimes(1);
    finish({ id: 'ef'.repeat(32), height: 9, blockHash: '00', ok: true, events: [] });
    await flushPromises();
    expect(wrapper.find('[data-test="trade-done"]').exists()).toBe(true);
  });

  it('names the past slots with their orders, and refuses to clear a slot without orders', async () => {
    const SLOT = 900_000;
    const last = Math.floor(Date.now() / SLOT) * SLOT - SLOT;
    mocks.slots.mockReset().mockResolvedValue([
      { slot: last - SLOT, orders: [{}, {}, {}], result: { status: 'cleared' } },
      { slot: last - 2 * SLOT, orders: [{}], result: null },
    ]);
    mocks.sign.mockResolvedValue({ id: 'ab'.repeat(32), height: 7, blockHash: '00', ok: true, events: [] });
    const wrapper = await mountTrade();
    // The slot picked by default (the last one begun) holds no order.
    await wrapper.find('[data-test="clear-slot"]').trigger('click');
    await flushPromises();
    expect(problem(wrapper).text()).toContain('时段没有挂单，没有可出清或结算的内容');
    expect(mocks.sign).not.toHaveBeenCalled();
    const labels = wrapper
      .findAllComponents({ name: 'ElOption' })
      .map((o) => (o.props() as { label: string }).label);
    expect(labels.find((l) => l.includes('3 笔挂单 · 已出清'))).toBeDefined();
    // A slot begun with orders and never cleared awaits its clearing: it is not "open".
    expect(labels.find((l) => l.includes('1 笔挂单'))).toContain('1 笔挂单 · 待出清');
    expect(labels.filter((l) => l.includes('无挂单')).length).toBeGreaterThan(0);
    // The cleared slot is not cleared again; it may be settled.
    await wrapper
      .findAllComponents({ name: 'ElSelect' })
      .at(-1)!
      .vm.$emit('update:modelValue', last - SLOT);
    await wrapper.find('[data-test="clear-slot"]').trigger('click');
    await flushPromises();
    expect(problem(wrapper).text()).toContain('时段已经出清过了');
    expect(mocks.sign).not.toHaveBeenCalled();
    await wrapper.find('[data-test="settle-slot"]').trigger('click');
    await flushPromises();
    expect(mocks.sign).toHaveBeenCalledTimes(1);
    expect(mocks.sign.mock.calls[0]![0][0]).toMatchObject({
      name: 'settleSlot',
      params: { slot: last - SLOT },
    });
  });
});
