// The market page names a settled plant as the dashboard does, and labels its chain columns in the
// page's language; each order says whose it is (plant and party by name, the signed-in person's own
// marked), and a slot that has begun without being cleared awaits clearing, which the grid operator can
// do right there.
import { appIdPlugin, configureUi, createSuiteI18n } from '@gongxin/ui';
import { serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';

const TX = 'cd'.repeat(32);
const OWNER = 'gx1zhangwei';
const BUYER = 'gx1jinghua';
const SLOT = 900_000;
const order = (id: string, side: string, amountFen: string) => ({
  id,
  side,
  account: side === 'sell' ? OWNER : BUYER,
  plant: side === 'sell' ? 'sh-minhang-01' : null,
  plantName: side === 'sell' ? '闵行张家屋顶光伏' : null,
  accountName:
    side === 'sell'
      ? { 'zh-CN': '张伟', en: 'Zhang Wei' }
      : { 'zh-CN': '苏州精华纺织有限公司', en: 'Suzhou Jinghua Textile Co.' },
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
const mocks = vi.hoisted(() => ({
  me: null as string | null,
  operator: false,
  sign: vi.fn(),
  /** Slots besides the fixture's. */
  extra: [] as unknown[],
}));

vi.mock('@gongxin/ui', async (original) => ({
  ...(await original<typeof import('@gongxin/ui')>()),
  useAuth: () => ({
    get me() {
      return mocks.me ? { address: mocks.me, roles: [] } : null;
    },
    hasRole: (_app: string, role: string) => role === 'operator' && mocks.operator,
  }),
  useAppSigner: () => ({ sign: mocks.sign }),
}));

vi.mock('../api', () => ({
  api: {
    plants: { list: { query: async () => [{ id: 'sh-minhang-01', name: '闵行张家屋顶光伏' }] } },
    market: {
      config: { query: async () => ({ matching: 'clear' }) },
      slots: {
        query: async () => [
          ...(mocks.extra as never[]),
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
  mocks.me = null;
  mocks.operator = false;
  mocks.sign.mockReset();
  mocks.extra = [];
});

/** A slot of the fixture's kind (two orders, nothing settled) starting at `slot`. */
const slotAt = (slot: number, result: unknown = null) => ({
  slot,
  result,
  orders: [order(`${slot}-a`, 'sell', '0'), order(`${slot}-b`, 'buy', '0')],
  trades: [],
  trueUps: [],
  settlements: [],
});

async function mountMarket() {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  const wrapper = mount(MarketView, { global: { plugins: [appIdPlugin('solar'), i18n] } });
  await vi.waitFor(async () => {
    await flushPromises();
    expect(wrapper.find('[data-test="settlement"]').exists()).toBe(true);
  }, 5_000);
  return wrapper;
}

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

  it('says whose each order is: plant and owner by name, a buyer by name, and marks one’s own', async () => {
    mocks.me = OWNER;
    const wrapper = await mountMarket();
    const parties = wrapper.findAll('[data-test="order-party"]').map((p) => p.text());
    expect(parties[0]).toContain('闵行张家屋顶光伏');
    expect(parties[0]).toContain('张伟');
    expect(parties[0]).toContain('我的');
    expect(wrapper.findAll('[data-test="order-mine"]')).toHaveLength(2);
    // On a phone too.
    const cards = wrapper.findAll('[data-test="order-card-party"]').map((c) => c.text());
    expect(cards[0]).toContain('闵行张家屋顶光伏 · 张伟');
    expect(cards[0]).toContain('我的');

    mocks.me = BUYER;
    mocks.extra = [slotAt(Math.ceil(Date.now() / SLOT) * SLOT + 4 * SLOT)];
    const theirs = await mountMarket();
    const book = theirs.findAll('[data-test="order-party"]').map((p) => p.text());
    expect(book.filter((p) => p.includes('苏州精华纺织有限公司'))).toHaveLength(1);
    expect(book.filter((p) => p.includes('我的'))).toHaveLength(1);
    expect(book.find((p) => p.includes('闵行张家屋顶光伏'))).not.toContain('我的');
  });

  it('shows a slot that has begun and was never cleared as awaiting clearing, a coming one as open', async () => {
    const coming = Math.ceil(Date.now() / SLOT) * SLOT + 4 * SLOT;
    const past = Math.floor(Date.now() / SLOT) * SLOT - 8 * SLOT;
    mocks.extra = [slotAt(past), slotAt(coming)];
    const wrapper = await mountMarket();
    const state = (slot: number) => wrapper.get(`[data-test="slot-${slot}"] [data-test="slot-state"]`);
    expect(state(past).text()).toBe('待出清');
    expect(state(past).attributes('data-state')).toBe('awaiting');
    expect(wrapper.get(`[data-test="slot-${past}"]`).text()).toContain('时段已开始，尚待电网运营方出清');
    expect(wrapper.findAll(`[data-test="slot-${past}"] [data-test="order-state"]`)[0]!.text()).toBe('待出清');
    expect(state(coming).text()).toBe('挂单中');
    expect(wrapper.findAll(`[data-test="slot-${coming}"] [data-test="order-state"]`)[0]!.text()).toBe(
      '挂单中',
    );
    // Nobody but the grid operator is offered the clearing.
    expect(wrapper.find('[data-test="clear-here"]').exists()).toBe(false);
  });

  it('lets the grid operator clear an awaiting slot where it is shown, and reads the result back', async () => {
    mocks.operator = true;
    const past = Math.floor(Date.now() / SLOT) * SLOT - 8 * SLOT;
    const coming = Math.ceil(Date.now() / SLOT) * SLOT + 4 * SLOT;
    mocks.extra = [slotAt(past), slotAt(coming)];
    const wrapper = await mountMarket();
    expect(wrapper.find(`[data-test="slot-${coming}"] [data-test="clear-here"]`).exists()).toBe(false);
    mocks.sign.mockImplementation(async () => {
      const result = {
        price: '40000',
        volume: '0',
        energyFen: '0',
        feeFen: '0',
        status: 'settled',
        height: 9,
        txId: TX,
      };
      mocks.extra = [slotAt(past, result), slotAt(coming)];
      return { id: TX, ok: true };
    });
    await wrapper.get(`[data-test="slot-${past}"] [data-test="clear-here"]`).trigger('click');
    await vi.waitFor(async () => {
      await flushPromises();
      expect(wrapper.get(`[data-test="slot-${past}"] [data-test="slot-state"]`).text()).toBe('已结算');
    }, 5_000);
    expect(mocks.sign).toHaveBeenCalledTimes(1);
    expect(mocks.sign.mock.calls[0]![0]).toEqual([
      { contract: 'energy', name: 'clearSlot', params: { slot: past } },
    ]);
    expect(wrapper.find(`[data-test="slot-${past}"] [data-test="clear-here"]`).exists()).toBe(false);
  });
});
