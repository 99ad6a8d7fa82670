// The driver's page for a signed-in driver with bound plates: it opens on each car without typing (the
// parked one with its lot, entry, stay, fee due and pay button; the other "未在场" with its receipts
// linked), binds a new plate after checking it in the page's words, and unbinds after a confirmation.
// The search field's example is said as an example. Signed out, it asks to sign in instead. A signed-in
// person gets the tabs of the operator's console and the alliance's settlement only with those roles.
import { appIdPlugin, createSuiteI18n } from '@gongxin/ui';
import { serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { TRPCClientError } from '@trpc/client';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Component, defineComponent, h, type Plugin } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { isBindablePlate } from './api';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const MIN = 60_000;
const mocks = vi.hoisted(() => ({
  me: { value: null as null | { address: string; roles: { app: string; role: string }[] } },
  myPlates: vi.fn(),
  bindPlate: vi.fn(),
  unbindPlate: vi.fn(),
  sessionsByPlate: vi.fn(),
}));

vi.mock('./api', async (original) => ({
  ...(await original<typeof import('./api')>()),
  api: {
    lots: { query: async () => [{ id: 'hq-p1', name: '虹桥天地 P1 停车场' }] },
    myPlates: { query: mocks.myPlates },
    bindPlate: { mutate: mocks.bindPlate },
    unbindPlate: { mutate: mocks.unbindPlate },
    sessionsByPlate: { query: mocks.sessionsByPlate },
    session: { query: async () => ({ receipts: [] }) },
    quote: {
      query: async ({ session }: { session: string }) => ({
        session,
        dueFen: '1100',
        paidFen: '0',
        lines: [],
      }),
    },
  },
}));
vi.mock('@gongxin/ui', async (original) => {
  const { defineComponent } = await import('vue');
  const pass = defineComponent({
    setup:
      (_, { slots }) =>
      () =>
        slots.default?.(),
  });
  return {
    ...(await original<typeof import('@gongxin/ui')>()),
    useAuth: () => ({
      get me() {
        return mocks.me.value;
      },
      hasRole: (app: string, role: string) =>
        mocks.me.value?.roles.some((r) => r.app === app && r.role === role) ?? false,
      load: async () => mocks.me.value,
      login: vi.fn(),
    }),
    useAppSigner: () => ({ sign: vi.fn() }),
    SuiteLayout: pass,
  };
});

const DriverView = (await import('./views/driver-view.vue')).default;
const App = (await import('./app.vue')).default;

const now = () => Date.now();
const zhang = { address: 'gx1zhang', roles: [] };

function plates() {
  return {
    limit: 5,
    plates: [
      {
        plate: '沪B7M325',
        kind: 'ordinary',
        boundAt: now() - 86_400_000,
        open: {
          id: 's-open',
          lot: 'hq-p1',
          entry: now() - 150 * MIN - 20_000,
          entryGate: 'g1',
          tariffVersion: 1,
          paidFen: '0',
          height: 4711,
          txId: '12'.repeat(32),
        },
        receipts: [],
      },
      {
        plate: '沪AD30521',
        kind: 'newEnergy',
        boundAt: now(),
        open: null,
        receipts: [
          {
            id: 'a'.repeat(64),
            session: 's-old',
            lot: 'hq-p1',
            amount: '800',
            time: now() - 3 * 86_400_000,
            refunded: null,
            entry: null,
            exit: null,
          },
        ],
      },
    ],
  };
}

const Blank = defineComponent({ render: () => h('div') });

async function render(view: Component, plugins: Plugin[] = []) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      // The frame's own view at '/' would render the frame again inside it.
      { path: '/', component: view === App ? Blank : view },
      { path: '/console', component: defineComponent({ render: () => h('div') }) },
      { path: '/settlement', component: defineComponent({ render: () => h('div') }) },
      { path: '/receipt/:id', component: defineComponent({ render: () => h('div') }) },
    ],
  });
  await router.push('/');
  const wrapper = mount(view, {
    global: { plugins: [appIdPlugin('parking'), createSuiteI18n({ 'zh-CN': zhCN, en }), router, ...plugins] },
  });
  await flushPromises();
  return wrapper;
}

beforeEach(() => {
  serveDeploymentClock(0);
  mocks.me.value = zhang;
  for (const m of [mocks.myPlates, mocks.bindPlate, mocks.unbindPlate, mocks.sessionsByPlate]) m.mockReset();
  mocks.myPlates.mockImplementation(async () => plates());
});
afterEach(() => vi.unstubAllGlobals());

describe('my vehicles on the driver page', () => {
  it("opens on each bound car without typing: the parked one's stay and fee, the other not parked with its receipt", async () => {
    const wrapper = await render(DriverView);
    expect(mocks.sessionsByPlate).not.toHaveBeenCalled();
    const cards = wrapper.findAll('[data-test="my-plate"]');
    expect(cards.map((c) => [c.attributes('data-plate'), c.attributes('data-status')])).toEqual([
      ['沪B7M325', 'open'],
      ['沪AD30521', 'away'],
    ]);
    const [parked, away] = cards;
    expect(parked!.get('[data-test="my-lot"]').text()).toBe('虹桥天地 P1 停车场');
    expect(parked!.get('[data-test="my-stay"]').text()).toBe('2 小时 30 分');
    expect(parked!.get('[data-test="my-entry"]').text()).toContain('g1');
    expect(parked!.get('[data-test="my-fee"]').attributes('data-fen')).toBe('1100');
    expect(parked!.get('[data-test="my-fee"]').text()).toBe('¥11.00');
    expect(parked!.get('[data-test="my-pay"]').text()).toBe('钱包支付 ¥11.00');
    expect(parked!.get('[data-test="my-status"]').text()).toBe('在场');
    // The stay's entry as the chain records it: its tx and block, and the in-browser check of the tx.
    const record = parked!.get('[data-test="my-entry-record"]');
    expect(record.html()).toContain('12'.repeat(32));
    expect(record.text()).toContain('4711');
    expect(parked!.find('[data-test="verify-button"]').exists()).toBe(true);
    expect(away!.get('[data-test="not-parked"]').text()).toBe('未在场');
    expect(away!.find('[data-test="my-pay"]').exists()).toBe(false);
    const link = away!.get('[data-test="my-receipt-link"]');
    expect(link.attributes('href')).toBe(`/receipt/${'a'.repeat(64)}`);
    expect(link.text()).toContain('¥8.00');
    expect(wrapper.get('[data-test="plate-privacy"]').text()).toContain('链上只记录车牌的加密哈希');
    expect(wrapper.get('[data-test="mine-count"]').text()).toBe('已绑定 2/5 辆');
    // No English on the Chinese page.
    expect(wrapper.get('[data-test="my-plates"]').text()).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('binds a plate typed loosely, after checking it in Chinese; a full account is told so', async () => {
    const wrapper = await render(DriverView);
    await wrapper.get('input[data-test="bind-input"]').setValue('沪a1234');
    await wrapper.get('[data-test="bind"]').trigger('click');
    await flushPromises();
    expect(mocks.bindPlate).not.toHaveBeenCalled();
    expect(wrapper.get('[data-test="bind-error"]').text()).toContain('车牌号不正确');

    mocks.bindPlate.mockResolvedValue({ plate: '苏E2Q8K6', already: false });
    await wrapper.get('input[data-test="bind-input"]').setValue('苏e 2q8·k6');
    await wrapper.get('[data-test="bind"]').trigger('click');
    await flushPromises();
    expect(mocks.bindPlate).toHaveBeenCalledWith({ plate: '苏E2Q8K6' });
    expect(wrapper.get('[data-test="bind-note"]').text()).toContain('已绑定 苏E2Q8K6');
    expect(wrapper.get('[data-test="bind-note"]').html()).toContain('el-alert--success');
    expect(mocks.myPlates).toHaveBeenCalledTimes(2);

    // A plate bound already (here, the server says so: another tab bound it) is said as news, not success.
    mocks.bindPlate.mockResolvedValue({ plate: '浙A9C177', already: true });
    await wrapper.get('input[data-test="bind-input"]').setValue('浙A9C177');
    await wrapper.get('[data-test="bind"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-test="bind-note"]').text()).toBe('浙A9C177 已经绑定过了。');
    expect(wrapper.get('[data-test="bind-note"]').html()).toContain('el-alert--info');

    const five = plates();
    for (const p of ['京A12345', '苏E2Q8K6', '浙A9C177'])
      five.plates.push({ ...five.plates[1]!, plate: p, receipts: [] });
    mocks.myPlates.mockImplementation(async () => five);
    const full = await render(DriverView);
    expect(full.find('input[data-test="bind-input"]').exists()).toBe(false);
    expect(full.get('[data-test="bind-full"]').text()).toBe('最多绑定 5 辆车，解绑一辆后才能再绑定。');
  });

  it('unbinds a plate only after a confirmation', async () => {
    mocks.unbindPlate.mockResolvedValue({ plate: '沪AD30521' });
    const wrapper = await render(DriverView);
    const card = () => wrapper.get('[data-plate="沪AD30521"]');
    await card().get('[data-test="unbind"]').trigger('click');
    expect(mocks.unbindPlate).not.toHaveBeenCalled();
    await card().get('[data-test="unbind-confirm"]').trigger('click');
    await flushPromises();
    expect(mocks.unbindPlate).toHaveBeenCalledWith({ plate: '沪AD30521' });
  });

  it("says the server's refusal to unbind in Chinese, its English only in the technical details", async () => {
    mocks.unbindPlate.mockRejectedValue(
      TRPCClientError.from({
        error: {
          message: 'plate 沪AD30521 is not bound to this account',
          code: -32004,
          data: {
            code: 'NOT_FOUND',
            httpStatus: 404,
            reason: { key: 'plate_not_bound', params: { plate: '沪AD30521' } },
          },
        },
      } as never),
    );
    const wrapper = await render(DriverView);
    const card = () => wrapper.get('[data-plate="沪AD30521"]');
    await card().get('[data-test="unbind"]').trigger('click');
    await card().get('[data-test="unbind-confirm"]').trigger('click');
    await flushPromises();
    const said = wrapper.get('[data-test="bind-error"]');
    expect(said.get('.el-alert__title').text()).toBe('车牌 沪AD30521 没有绑定到这个账户。');
    expect(said.get('[data-test="error-detail-text"]').text()).toBe(
      'NOT_FOUND: plate 沪AD30521 is not bound to this account',
    );
  });

  it('signed out: asks to sign in, binds nothing; the search example is said as an example', async () => {
    mocks.me.value = null;
    const wrapper = await render(DriverView);
    expect(mocks.myPlates).not.toHaveBeenCalled();
    expect(wrapper.get('[data-test="mine-login"]').text()).toContain('登录后可绑定自己的车辆');
    expect(wrapper.find('[data-test="my-plate"]').exists()).toBe(false);
    const placeholder = wrapper.get('input[data-test="plate-input"]').attributes('placeholder');
    expect(placeholder).toMatch(/^车牌号，例如 /);
    expect(placeholder).not.toContain('沪A52E81');
  });
});

describe('plate rules on the page', () => {
  it('takes ordinary and new-energy plates, as the gates do, and nothing else', () => {
    for (const ok of ['沪B7M325', '沪A3L692', '粤BD12345', '沪AD30521', '京A1234学'])
      expect(isBindablePlate(ok), ok).toBe(true);
    for (const bad of ['沪A1234', '沪I12345', '沪A123456789', '无牌A1B2C3', 'HELLO12', '沪a12345', ''])
      expect(isBindablePlate(bad), bad).toBe(false);
  });
});

describe('tabs by role', () => {
  // The frame reads the session through the suite's own store (useRoleTabs), not this file's stand-in.
  const tabsFor = async (roles: { app: string; role: string }[] | null) => {
    const ui = await vi.importActual<typeof import('@gongxin/ui')>('@gongxin/ui');
    const pinia = createPinia();
    setActivePinia(pinia);
    const store = ui.useAuth('parking');
    store.me = roles ? { did: 'did:gx:gx1someone', address: 'gx1someone', roles, sessionId: 's' } : null;
    store.loaded = true;
    mocks.me.value = store.me;
    const wrapper = await render(App, [pinia]);
    return wrapper.findAll('[data-test^="nav-"]').map((a) => a.attributes('data-test'));
  };

  it('a signed-in citizen sees no operator or settlement tabs', async () => {
    expect(await tabsFor([])).toEqual(['nav-driver']);
    expect(await tabsFor([{ app: 'welfare', role: 'operator' }])).toEqual(['nav-driver']);
  });

  it('an operator sees the console and settlement; the aggregator the settlement; a visitor all, to sign in', async () => {
    expect(await tabsFor([{ app: 'parking', role: 'operator' }])).toEqual([
      'nav-driver',
      'nav-console',
      'nav-settlement',
    ]);
    expect(await tabsFor([{ app: 'parking', role: 'aggregator' }])).toEqual(['nav-driver', 'nav-settlement']);
    expect(await tabsFor(null)).toEqual(['nav-driver', 'nav-console', 'nav-settlement']);
  });
});
