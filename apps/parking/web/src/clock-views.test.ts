// The parking pages on a deployment clock ten days behind this device (gate and block times follow that
// clock): a stay runs to its now, "today" is its day, and the settlement day defaults to it.
import { appIdPlugin, createSuiteI18n } from '@gongxin/ui';
import { serveDeploymentClock } from '@gongxin/ui/testing/clock';
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
  sessionsByPlate: vi.fn(),
  session: vi.fn(),
}));

vi.mock('./api', async (original) => ({
  ...(await original<typeof import('./api')>()),
  api: {
    lots: { query: async () => [] },
    myPlates: { query: async () => ({ limit: 5, plates: [] }) },
    gates: { query: async () => [] },
    lotSessions: { query: mocks.lotSessions },
    dayRevenue: { query: mocks.dayRevenue },
    statements: { query: async () => [] },
    sessionsByPlate: { query: mocks.sessionsByPlate },
    session: { query: mocks.session },
    quote: { query: async ({ session }: { session: string }) => ({ session, dueFen: '300', lines: [] }) },
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
      me: { address: 'gx1operator', roles: [] },
      hasRole: () => true,
      load: async () => null,
    }),
    useAppSigner: () => ({ sign: vi.fn() }),
    RequireRole: pass,
    VerifyRecord: pass,
    TxLink: pass,
  };
});

const ConsoleView = (await import('./views/console-view.vue')).default;
const SettlementView = (await import('./views/settlement-view.vue')).default;
const DriverView = (await import('./views/driver-view.vue')).default;

/** Now on the deployment clock of these tests. */
const chainNow = () => Date.now() - 10 * DAY;

async function render(view: Component) {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: view }] });
  await router.push('/');
  const wrapper = mount(view, {
    global: { plugins: [appIdPlugin('parking'), createSuiteI18n({ 'zh-CN': zhCN, en }), router] },
  });
  await flushPromises();
  return wrapper;
}

beforeEach(() => {
  serveDeploymentClock(-10 * DAY);
  for (const mock of Object.values(mocks)) mock.mockReset();
});
afterEach(() => vi.unstubAllGlobals());

describe('parking on a deployment clock ten days behind the device', () => {
  it("lists today's sessions of a lot by that clock, with an open stay running to its now", async () => {
    const row = (id: string, plate: string, entry: number, exit: number | null) => ({
      id,
      plate,
      entry,
      exit,
      status: exit === null ? 'open' : 'closed',
      orphan: null,
      feeFen: '0',
      paidFen: '0',
    });
    mocks.lotSessions.mockResolvedValue([
      row('s1', '沪A10D01', chainNow() - 70 * MIN, null),
      row('s2', '沪A10D02', chainNow() - 2 * MIN, chainNow() - MIN),
    ]);
    const wrapper = await render(ConsoleView);
    const sessions = wrapper.findAll('[data-test="lot-session"]');
    expect(sessions.map((s) => s.attributes('data-plate'))).toEqual(['沪A10D01', '沪A10D02']);
    expect(sessions[0]!.findAll('td')[3]!.text()).toBe('1 小时 10 分');
  });

  it('settles the day of that clock by default', async () => {
    mocks.dayRevenue.mockResolvedValue([]);
    const wrapper = await render(SettlementView);
    const today = chinaDate(chainNow());
    expect((wrapper.get('input[data-test="settle-date"]').element as HTMLInputElement).value).toBe(today);
    expect(mocks.dayRevenue.mock.calls.map(([input]) => input)).toEqual([{ date: today }]);
  });

  it("shows a driver's open stay up to that clock's now", async () => {
    const session = {
      id: 's1',
      plate: '沪A10D01',
      lot: 'hq-p1',
      status: 'open',
      entry: chainNow() - 70 * MIN,
      exit: null,
      entryGate: 'g1',
      tariffVersion: 1,
      receipts: [],
    };
    mocks.sessionsByPlate.mockResolvedValue([{ id: 's1' }]);
    mocks.session.mockResolvedValue(session);
    const wrapper = await render(DriverView);
    await wrapper.get('input[data-test="plate-input"]').setValue('沪A10D01');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    const values = wrapper.findAll('[data-test="session"] dd').map((dd) => dd.text());
    expect(values).toContain('1 小时 10 分');
  });
});
