// The market page names a settled plant as the dashboard does, and labels its chain columns in the
// page's language.
import { appIdPlugin, configureUi, createSuiteI18n } from '@gongxin/ui';
import { serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';

const TX = 'cd'.repeat(32);
const order = (id: string, side: string, amountFen: string) => ({
  id,
  side,
  wh: '10000',
  price: '400',
  status: amountFen === '0' ? 'open' : 'filled',
  filledWh: amountFen === '0' ? '0' : '10000',
  energyFen: amountFen,
  feeFen: '0',
  amountFen,
  green: false,
  height: 11,
  txId: 'ab'.repeat(32),
  filledHeight: null,
  filledTxId: null,
});
vi.mock('../api', () => ({
  api: {
    plants: { list: { query: async () => [{ id: 'sh-minhang-01', name: '闵行张家屋顶光伏' }] } },
    market: {
      config: { query: async () => ({ matching: 'clear' }) },
      slots: {
        query: async () => [
          {
            slot: 1_796_628_600_000,
            result: null,
            orders: [
              // Open, nothing filled: no bill yet.
              order('o1', 'sell', '0'),
              // Filled: paid to the seller.
              order('o2', 'sell', '1234'),
            ],
            trades: [],
            trueUps: [],
            settlements: [
              {
                plant: 'sh-minhang-01',
                soldWh: '10000',
                deliveredWh: '9500',
                imbalanceFen: '30',
                feedInFen: '0',
                estimated: false,
                height: 12,
                txId: TX,
              },
            ],
          },
        ],
      },
    },
  },
}));

const MarketView = (await import('./market-view.vue')).default;

beforeEach(() => {
  configureUi();
  serveDeploymentClock(0);
});

describe('market page', () => {
  it('names the settled plant and labels the chain column', async () => {
    const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
    const wrapper = mount(MarketView, { global: { plugins: [appIdPlugin('solar'), i18n] } });
    await vi.waitFor(async () => {
      await flushPromises();
      expect(wrapper.find('[data-test="settlement"]').text()).toContain('闵行张家屋顶光伏：售出 10 kWh');
    });
    expect(wrapper.find('[data-test="settlement"]').text()).not.toContain('sh-minhang-01');
    const headers = wrapper.findAll('th').map((h) => h.text());
    expect(headers).toContain('链上交易');
    expect(headers).not.toContain('tx');
  });

  it('shows an order with nothing to pay yet as a dash, not a green ¥0.00', async () => {
    const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
    const wrapper = mount(MarketView, { global: { plugins: [appIdPlugin('solar'), i18n] } });
    await vi.waitFor(async () => {
      await flushPromises();
      expect(wrapper.findAll('[data-test="order-bill"]').length).toBe(2);
    });
    const [open, filled] = wrapper.findAll('[data-test="order-bill"]');
    expect(open!.text()).toBe('—');
    expect(open!.classes()).not.toContain('sl-ok');
    expect(filled!.text()).toContain('12.34');
    expect(filled!.classes()).toContain('sl-ok');
    expect(wrapper.get('[data-test="order-cards"]').text()).not.toContain('¥0.00');
  });
});
