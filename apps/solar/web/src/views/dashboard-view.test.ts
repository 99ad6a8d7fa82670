// The dashboard on a phone: each 15-minute interval is a card with its block, tx and verify button in
// sight, where the desktop's table would push them off the side of the screen.
import { appIdPlugin, configureUi, createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';

const TX = 'ef'.repeat(32);
const START = Date.parse('2026-11-30T10:00:00+08:00');
vi.mock('../api', () => ({
  api: {
    plants: {
      list: {
        query: async () => [
          { id: 'p1', name: '屋顶一号', capacityW: '30000', exportWh: '1500', meters: 1, certified: true },
        ],
      },
      get: {
        query: async () => ({
          plant: { id: 'p1', name: '屋顶一号' },
          meters: [],
          curve: [],
          forecast: [],
          intervals: [
            {
              meter: 'p1-m1',
              start: START,
              exportWh: '1000',
              importWh: '0',
              readings: 15,
              root: 'aa',
              reset: false,
              estimated: false,
              anchor: { revision: 0, root: 'aa', txId: TX, height: 42, estimated: false },
            },
            {
              meter: 'p1-m1',
              start: START + 900_000,
              exportWh: '500',
              importWh: '0',
              readings: 10,
              root: 'bb',
              reset: false,
              estimated: true,
              anchor: null,
            },
          ],
        }),
      },
    },
    health: { query: async () => ({ meters: [], rejects: [] }) },
    points: { query: async () => null },
  },
}));

vi.mock('@gongxin/ui', async (original) => ({
  ...(await original<typeof import('@gongxin/ui')>()),
  useAuth: () => ({ me: null, load: async () => null, hasRole: () => false }),
}));

vi.mock('../components/generation-chart.vue', async () => {
  const { defineComponent, h } = await import('vue');
  return { default: defineComponent({ setup: () => () => h('div') }) };
});

const DashboardView = (await import('./dashboard-view.vue')).default;

describe('dashboard on a phone', () => {
  it('shows each interval as a card with its block, tx and verify button', async () => {
    configureUi();
    const wrapper = mount(DashboardView, {
      global: { plugins: [appIdPlugin('solar'), createSuiteI18n({ 'zh-CN': zhCN, en })] },
    });
    await vi.waitFor(async () => {
      await flushPromises();
      expect(wrapper.find('[data-test="interval-cards"]').exists()).toBe(true);
    });
    const cards = wrapper.findAll('[data-test="interval-cards"] > li');
    // Newest first: the interval still waiting for its anchor, then the anchored one.
    expect(cards).toHaveLength(2);
    expect(cards[0]!.text()).toContain('10:15–10:30');
    expect(cards[0]!.text()).toContain('等待上链');
    expect(cards[1]!.text()).toContain('1 kWh');
    expect(cards[1]!.text()).toContain('#42');
    expect(cards[1]!.find(`a[href*="${TX}"]`).exists()).toBe(true);
    expect(cards[1]!.find(`[data-test="verify-card-p1-m1-${START}"]`).exists()).toBe(true);
    // The table is the desktop's; the cards are the phone's.
    expect(wrapper.find('.sl-table.sl-wide [data-test="intervals"]').exists()).toBe(true);
  });
});
