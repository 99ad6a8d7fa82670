// An owner's bills list what they still offer: an order open in a slot not cleared yet is a line with
// its offer, its state in words and a dash for the amount (nothing to pay yet), beside the filled ones;
// an order its slot's clearing left unfilled stays, as 未成交 with its txs; plants go by name.
import { appIdPlugin, configureUi, createSuiteI18n } from '@gongxin/ui';
import { serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';

const TX = 'cd'.repeat(32);
const SLOT = 900_000;
const coming = Math.ceil(Date.now() / SLOT) * SLOT + 4 * SLOT;
const begun = Math.floor(Date.now() / SLOT) * SLOT - 4 * SLOT;
const offer = (slot: number, wh: string) => ({
  kind: 'order',
  slot,
  side: 'sell',
  status: 'open',
  plant: 'sh-minhang-01',
  plantName: '闵行张家屋顶光伏',
  offeredWh: wh,
  wh: '0',
  price: '40000',
  energyFen: '0',
  feeFen: '0',
  amountFen: '0',
  placedHeight: 7,
  placedTxId: TX,
  height: null,
  txId: null,
  fills: [],
});

const CLEARING_TX = 'ab'.repeat(32);
const mocks = vi.hoisted(() => ({ bills: null as unknown }));

vi.mock('../api', () => ({
  api: {
    market: {
      bills: {
        query: async () =>
          mocks.bills ?? {
            lines: [
              offer(coming, '10000'),
              offer(begun, '2500'),
              {
                ...offer(begun - 8 * SLOT, '5000'),
                status: 'settled',
                wh: '5000',
                energyFen: '200',
                amountFen: '200',
                height: 9,
                txId: TX,
              },
              {
                kind: 'settlement',
                slot: begun - 8 * SLOT,
                plant: 'sh-minhang-01',
                plantName: '闵行张家屋顶光伏',
                soldWh: '5000',
                deliveredWh: '5000',
                amountFen: '0',
                height: 10,
                txId: TX,
              },
            ],
            totalFen: '200',
            paidFen: '200',
            chargedFen: '0',
          },
      },
    },
  },
}));

vi.mock('@gongxin/ui', async (original) => {
  const { defineComponent } = await import('vue');
  return {
    ...(await original<typeof import('@gongxin/ui')>()),
    useAuth: () => ({ me: { address: 'gx1owner', roles: [] }, load: async () => ({ address: 'gx1owner' }) }),
    RequireLogin: defineComponent({
      setup:
        (_, { slots }) =>
        () =>
          slots.default?.(),
    }),
  };
});

const BillsView = (await import('./bills-view.vue')).default;

beforeEach(() => {
  configureUi();
  serveDeploymentClock(0);
  mocks.bills = null;
});

describe('bills page', () => {
  it('lists orders still on offer as open, with their offer, state in words and no amount yet', async () => {
    const wrapper = mount(BillsView, {
      global: { plugins: [appIdPlugin('solar'), createSuiteI18n({ 'zh-CN': zhCN, en })] },
    });
    await vi.waitFor(async () => {
      await flushPromises();
      expect(wrapper.findAll('[data-test="bill-state"]')).toHaveLength(3);
    }, 5_000);
    const rows = wrapper.findAll('[data-test="bill-lines"] tbody tr').map((r) => r.text());
    expect(rows[0]).toContain('挂卖单 10 kWh（闵行张家屋顶光伏），限价 0.4000 元/kWh');
    expect(rows[0]).toContain('挂单中');
    expect(rows[1]).toContain('挂卖单 2.5 kWh');
    expect(rows[1]).toContain('待出清');
    expect(rows[2]).toContain('已结算');
    expect(rows[3]).toContain('闵行张家屋顶光伏 按实测结算');
    expect(rows.join('\n')).not.toContain('sh-minhang-01');
    const amounts = wrapper.findAll('[data-test="bill-amount"]').map((a) => a.text());
    expect(amounts.slice(0, 3)).toEqual(['—', '—', '+2.00']);
    // The phone's cards say the same.
    const cards = wrapper.findAll('[data-test="bill-cards"] > li').map((c) => c.text());
    expect(cards[0]).toContain('挂卖单 10 kWh');
    expect(cards[0]).toContain('挂单中');
    expect(cards[1]).toContain('待出清');
    expect(wrapper.findAll('[data-test="bill-card-amount"]')[0]!.text()).toBe('—');
  });

  it("shows a sell order its slot's clearing left unfilled as 未成交, with its txs and no amount", async () => {
    mocks.bills = {
      lines: [
        {
          ...offer(begun, '5000'),
          status: 'unfilled',
          height: 12,
          txId: CLEARING_TX,
        },
      ],
      totalFen: '0',
      paidFen: '0',
      chargedFen: '0',
    };
    const wrapper = mount(BillsView, {
      global: { plugins: [appIdPlugin('solar'), createSuiteI18n({ 'zh-CN': zhCN, en })] },
    });
    await vi.waitFor(async () => {
      await flushPromises();
      expect(wrapper.findAll('[data-test="bill-state"]')).toHaveLength(1);
    }, 5_000);
    const row = wrapper.get('[data-test="bill-lines"] tbody tr');
    expect(row.text()).toContain('挂卖单 5 kWh（闵行张家屋顶光伏），限价 0.4000 元/kWh');
    expect(row.get('[data-test="bill-state"]').text()).toBe('未成交');
    expect(row.get('[data-test="bill-amount"]').text()).toBe('—');
    // Linked to the tx that placed it and to the clearing that left it unfilled.
    expect(row.find(`a[href*="${TX}"]`).exists()).toBe(true);
    expect(row.find(`a[href*="${CLEARING_TX}"]`).exists()).toBe(true);
    const card = wrapper.get('[data-test="bill-cards"] > li');
    expect(card.text()).toContain('挂卖单 5 kWh');
    expect(card.text()).toContain('未成交');
    expect(card.get('[data-test="bill-card-amount"]').text()).toBe('—');
    expect(card.find(`a[href*="${CLEARING_TX}"]`).exists()).toBe(true);
  });
});
