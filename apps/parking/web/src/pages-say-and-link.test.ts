// What a stranger trying the pages would trip over: a mistyped plate or receipt link is explained in the
// page's words (never the API's English pattern), a receipt names who paid, a stay that began on another
// day shows its date, every record read from the chain links its tx and block, the operator's table
// keeps its rows on one line on a phone, a settlement's "done" does not linger on another day, and
// English lines carry no Chinese colons.
import { appIdPlugin, createSuiteI18n } from '@gongxin/ui';
import { serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { TRPCClientError } from '@trpc/client';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Component } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { chinaDate } from './api';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const MIN = 60_000;
const DAY = 86_400_000;
const mocks = vi.hoisted(() => ({
  lotSessions: vi.fn(),
  dayRevenue: vi.fn(),
  statements: vi.fn(),
  sessionsByPlate: vi.fn(),
  session: vi.fn(),
  receipt: vi.fn(),
  sign: vi.fn(),
  gates: vi.fn(async () => [] as unknown[]),
  simulateRead: vi.fn(),
}));

vi.mock('./api', async (original) => ({
  ...(await original<typeof import('./api')>()),
  api: {
    lots: { query: async () => [{ id: 'hq-p1', name: '虹桥天地 P1 停车场', operatorName: '上海虹桥停车' }] },
    myPlates: { query: async () => ({ limit: 5, plates: [] }) },
    gates: { query: mocks.gates },
    simulateRead: { mutate: mocks.simulateRead },
    lotSessions: { query: mocks.lotSessions },
    dayRevenue: { query: mocks.dayRevenue },
    statements: { query: mocks.statements },
    sessionsByPlate: { query: mocks.sessionsByPlate },
    session: { query: mocks.session },
    receipt: { query: mocks.receipt },
    quote: {
      query: async ({ session }: { session: string }) => ({
        session,
        dueFen: '300',
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
      me: { address: 'gx1someone', roles: [] },
      hasRole: () => true,
      load: async () => null,
    }),
    useAppSigner: () => ({ sign: mocks.sign }),
    RequireRole: pass,
    VerifyRecord: pass,
  };
});

const ConsoleView = (await import('./views/console-view.vue')).default;
const SettlementView = (await import('./views/settlement-view.vue')).default;
const DriverView = (await import('./views/driver-view.vue')).default;
const ReceiptView = (await import('./views/receipt-view.vue')).default;

async function render(view: Component, path = '/', locale: 'zh-CN' | 'en' = 'zh-CN') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: view },
      { path: '/receipt/:id', component: view },
    ],
  });
  await router.push(path);
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale;
  const wrapper = mount(view, { global: { plugins: [appIdPlugin('parking'), i18n, router] } });
  await flushPromises();
  return wrapper;
}

const TX = '3c'.repeat(32);
const yesterday = () => Date.now() - DAY - 30 * MIN;
const openStay = () => ({
  id: 's1',
  plate: '沪A10D01',
  lot: 'hq-p1',
  status: 'open',
  entry: yesterday(),
  exit: null,
  entryGate: 'g1',
  tariffVersion: 1,
  feeFen: null,
  paidFen: '0',
  height: 4711,
  txId: TX,
  receipts: [],
});

beforeEach(() => {
  serveDeploymentClock(0);
  for (const mock of Object.values(mocks)) mock.mockReset();
  mocks.statements.mockResolvedValue([]);
  mocks.dayRevenue.mockResolvedValue([]);
});
afterEach(() => vi.unstubAllGlobals());

describe('finding a car by plate', () => {
  it('explains a mistyped or missing plate in Chinese without asking the server', async () => {
    const wrapper = await render(DriverView);
    await wrapper.get('input[data-test="plate-input"]').setValue('abc');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(mocks.sessionsByPlate).not.toHaveBeenCalled();
    const said = wrapper.get('[data-test="driver-error"]').text();
    expect(said).toContain('车牌号不正确');
    expect(said).not.toMatch(/characters|plate:/);

    await wrapper.get('input[data-test="plate-input"]').setValue('   ');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(mocks.sessionsByPlate).not.toHaveBeenCalled();
    expect(wrapper.get('[data-test="driver-error"]').text()).toContain('请先输入车牌号');
  });

  it("links a found stay's record on chain, and dates an entry of another day", async () => {
    mocks.sessionsByPlate.mockResolvedValue([{ id: 's1' }]);
    mocks.session.mockResolvedValue(openStay());
    const wrapper = await render(DriverView);
    await wrapper.get('input[data-test="plate-input"]').setValue('沪a10d01');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(mocks.sessionsByPlate).toHaveBeenCalledWith({ plate: '沪A10D01' });
    const record = wrapper.get('[data-test="session"] [data-test="session-record"]');
    expect(record.get('[data-test="tx-link"]').attributes('href')).toContain(TX);
    expect(record.get('[data-test="block-link"]').text()).toBe('#4711');
    expect(wrapper.get('[data-test="session-entry"]').text()).toMatch(
      new RegExp(`^${chinaDate(yesterday()).slice(5)} \\d\\d:\\d\\d`),
    );
  });
});

describe("the operator's sessions", () => {
  it('dates an entry of another day and keeps each row on one line (scrolling sideways on a phone)', async () => {
    mocks.lotSessions.mockResolvedValue([{ ...openStay(), orphan: null, feeFen: null, paidFen: '0' }]);
    const wrapper = await render(ConsoleView);
    const entry = wrapper.get('[data-test="lot-session-entry"]').text();
    expect(entry).toMatch(new RegExp(`^${chinaDate(yesterday()).slice(5)} \\d\\d:\\d\\d$`));
    expect(wrapper.get('[data-test="sessions"]').classes()).toContain('pk-nowrap');
  });

  it("links each session's record on chain, its tx and block", async () => {
    mocks.lotSessions.mockResolvedValue([{ ...openStay(), orphan: null }]);
    const wrapper = await render(ConsoleView);
    const record = wrapper.get('[data-test="lot-session"] [data-test="lot-session-record"]');
    expect(record.get('[data-test="tx-link"]').attributes('href')).toContain(TX);
    expect(record.get('[data-test="block-link"]').text()).toBe('#4711');
  });
});

describe("the demo's gate simulator", () => {
  it('says what a held barrier is owed: 应缴 and the fee', async () => {
    mocks.lotSessions.mockResolvedValue([]);
    mocks.gates.mockResolvedValue([{ id: 'g1', lot: 'hq-p1', live: true }]);
    mocks.simulateRead.mockResolvedValue({ open: false, reason: 'fee', dueFen: '1400' });
    const wrapper = await render(ConsoleView);
    await wrapper.get('input[data-test="sim-plate"], [data-test="sim-plate"] input').setValue('沪B7M325');
    await wrapper.get('[data-test="sim-exit"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-test="sim-result"]').text()).toBe('沪B7M325：不抬杆（需缴费），应缴 ¥14.00');
    mocks.gates.mockResolvedValue([]);
  });
});

describe('the settlement', () => {
  const statement = (date: string) => ({
    id: 'st1',
    date,
    total: '2000',
    fees: '100',
    lines: [{ lot: 'hq-p1', operator: 'hongqiao', account: 'gx1hq', net: '2000', fee: '100', share: '1900' }],
    height: 812,
    txId: TX,
    time: Date.now(),
  });
  const revenue = [
    {
      lot: 'hq-p1',
      name: '虹桥天地 P1 停车场',
      operator: 'hongqiao',
      operatorName: '上海虹桥停车',
      payments: 1,
      gross: '2000',
      settled: '0',
      pending: '2000',
    },
  ];

  it("links a statement's tx and block; its done note goes when another day is picked", async () => {
    mocks.dayRevenue.mockResolvedValue(revenue);
    const wrapper = await render(SettlementView);
    const today = chinaDate(Date.now());
    mocks.statements.mockResolvedValue([statement(today)]);
    mocks.sign.mockResolvedValue({});
    await wrapper.get('[data-test="settle"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="settle-done"]').exists()).toBe(true));
    const record = wrapper.get('[data-test="statement-record"]');
    expect(record.get('[data-test="tx-link"]').attributes('href')).toContain(TX);
    expect(record.get('[data-test="block-link"]').text()).toBe('#812');

    mocks.dayRevenue.mockResolvedValue([]);
    mocks.statements.mockResolvedValue([]);
    await wrapper.get('input[data-test="settle-date"]').setValue('2020-01-01');
    await flushPromises();
    expect(wrapper.find('[data-test="settle-done"]').exists()).toBe(false);
  });

  it('says a day with nothing left to settle in words, not as a greyed "settle ¥0.00"', async () => {
    mocks.dayRevenue.mockResolvedValue([{ ...revenue[0], settled: '2000', pending: '0' }]);
    const wrapper = await render(SettlementView);
    expect(wrapper.find('[data-test="settle"]').exists()).toBe(false);
    expect(wrapper.get('[data-test="settle-nothing"]').text()).toContain('已全部结算');
    mocks.dayRevenue.mockResolvedValue([{ ...revenue[0], payments: 0, gross: '0', pending: '0' }]);
    const empty = await render(SettlementView);
    expect(empty.get('[data-test="settle-nothing"]').text()).toBe('这一天没有可结算的收入。');
  });

  it('says the split per operator without a Chinese colon in English', async () => {
    mocks.dayRevenue.mockResolvedValue(revenue);
    mocks.statements.mockResolvedValue([statement(chinaDate(Date.now()))]);
    const wrapper = await render(SettlementView, '/', 'en');
    expect(wrapper.get('[data-test="operator-share"]').text()).toBe(
      '上海虹桥停车: share ¥19.00 (net ¥20.00, fee ¥1.00)',
    );
    expect(wrapper.get('[data-test="statement-record"]').text()).not.toContain('：');
  });
});

describe('a receipt', () => {
  it('that is not a receipt address is said so in Chinese, without asking the server', async () => {
    const wrapper = await render(ReceiptView, '/receipt/nonexistent');
    expect(mocks.receipt).not.toHaveBeenCalled();
    const said = wrapper.get('[data-test="receipt-error"]').text();
    expect(said).toContain('不是一张停车收据的地址');
    expect(said).not.toMatch(/tx id/);
  });

  it('to a receipt the chain does not have says so in Chinese', async () => {
    mocks.receipt.mockRejectedValue(
      TRPCClientError.from({
        error: { message: `no receipt ${'ab'.repeat(32)}`, code: -32004, data: { code: 'NOT_FOUND' } },
      }),
    );
    const wrapper = await render(ReceiptView, `/receipt/${'ab'.repeat(32)}`);
    expect(wrapper.get('[data-test="receipt-error"]').text()).toContain('没有找到这张收据');
  });

  it("dates the stay's entry, and its exit when it fell on another day", async () => {
    const entry = Date.parse('2026-12-06T15:00:00Z'); // 23:00 in China
    mocks.receipt.mockResolvedValue({
      id: 'ab'.repeat(32),
      session: 's1',
      lot: 'hq-p1',
      payer: 'gx1payeraddressqqqqqqqqqqqqqqqqqqqqqqqqqqq',
      payerName: '张三',
      amount: '2000',
      total: '2000',
      tariffVersion: 1,
      tariffHash: 'ef'.repeat(32),
      refunded: null,
      height: 30,
      txId: TX,
      time: entry + 2 * 3_600_000,
    });
    mocks.session.mockResolvedValue({ ...openStay(), status: 'closed', entry, exit: entry + 2 * 3_600_000 });
    const wrapper = await render(ReceiptView, `/receipt/${'ab'.repeat(32)}`);
    expect(wrapper.get('[data-test="receipt-stay"]').text()).toBe('2026-12-06 23:00 – 12-07 01:00');
    // Who paid by name, the address beside it, short and linked to the explorer.
    const payer = wrapper.get('[data-test="receipt-payer"]');
    expect(payer.get('[data-test="receipt-payer-name"]').text()).toBe('张三');
    expect(payer.get('[data-test="address"] a').attributes('href')).toContain(
      'gx1payeraddressqqqqqqqqqqqqqqqqqqqqqqqqqqq',
    );
    expect(payer.text()).not.toContain('gx1payeraddressqqqqqqqqqqqqqqqqqqqqqqqqqqq');
    expect(payer.text()).toMatch(/^张三 · gx1pay/);
  });
});
