// The market says each listing's standing in words — for sale, sold out, withdrawn, or expired (its
// period ended on the deployment clock) — and offers to buy only what can be bought. The public market
// asks for what is on sale; a signed-in seller's 我的挂牌 shows their own listings in every standing.
import { appIdPlugin, createSuiteI18n } from '@gongxin/ui';
import { serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { computed } from 'vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const DAY = 86_400_000;
/** The deployment clock runs 100 days ahead of this device's (a rehearsal of next season's market). */
const AHEAD = 100 * DAY;
const NOW = Date.now() + AHEAD;
const mocks = vi.hoisted(() => ({ listings: vi.fn(), sign: vi.fn() }));

vi.mock('./api', () => ({ api: { market: { listings: { query: mocks.listings } } } }));
vi.mock('@gongxin/ui', async (original) => ({
  ...(await original<typeof import('@gongxin/ui')>()),
  useAppSigner: () => ({ address: computed(() => 'gx1buyer'), sign: mocks.sign }),
  useAuth: () => ({ me: { address: 'gx1buyer', roles: [] }, load: async () => null, login: vi.fn() }),
}));

const MarketView = (await import('./views/market-view.vue')).default;

const listing = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  workId: 'a1'.repeat(32),
  kind: 'licence',
  grant: { rights: ['network'], territory: ['CN'], from: NOW - 30 * DAY },
  exclusivity: 'non-exclusive',
  symbol: 'CPYX',
  price: '80000',
  quantity: 20,
  sold: 0,
  sellers: ['gx1seller'],
  status: 'open',
  height: 5,
  txId: 'b2'.repeat(32),
  time: NOW - 10 * DAY,
  title: `作品 ${id}`,
  remaining: 20,
  ...extra,
});

beforeEach(() => {
  serveDeploymentClock(AHEAD);
  mocks.listings.mockReset().mockResolvedValue([
    listing('open', {
      grant: { rights: ['network'], territory: ['CN'], from: NOW - DAY, until: NOW + 365 * DAY },
    }),
    listing('expired', {
      grant: { rights: ['network'], territory: ['CN'], from: NOW - 400 * DAY, until: NOW - DAY },
    }),
    listing('soldout', { sold: 20, remaining: 0 }),
    listing('withdrawn', { status: 'cancelled' }),
  ]);
  mocks.sign.mockReset();
});
afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

async function page() {
  const wrapper = mount(MarketView, {
    global: {
      plugins: [appIdPlugin('copyright'), createSuiteI18n({ 'zh-CN': zhCN, en })],
      stubs: { RouterLink: { props: ['to'], template: '<a :href="to"><slot /></a>' }, TxLink: true },
    },
  });
  await flushPromises();
  return wrapper;
}

describe('the market', () => {
  it("says each listing's standing in words and offers to buy only one for sale", async () => {
    const w = await page();
    const cards = w.findAll('[data-test="listing"]');
    expect(cards.map((c) => c.get('[data-test="listing-status"]').text())).toEqual([
      '在售',
      '已过期',
      '已售罄',
      '已撤回',
    ]);
    expect(cards[0]!.find('button[data-test="buy"]').exists()).toBe(true);
    expect(cards[0]!.get('[data-test="listing-until"]').text()).toContain('授权期限至');
    expect(cards[1]!.find('button[data-test="buy"]').exists()).toBe(false);
    expect(cards[1]!.get('[data-test="listing-why"]').text()).toBe('挂牌的授权期限已经结束，不能购买。');
    expect(cards[2]!.get('[data-test="listing-why"]').text()).toBe('已全部售出，不能再购买。');
    expect(cards[3]!.get('[data-test="listing-why"]').text()).toBe('卖方已撤回挂牌，不能购买。');
  });
});

describe("a seller's own listings", () => {
  it('are shown in every standing under 我的挂牌, while the market asks only for those on sale', async () => {
    const w = await page();
    expect(mocks.listings).toHaveBeenLastCalledWith({ limit: 100 });
    mocks.listings.mockResolvedValue([
      listing('mine-open', { sellers: ['gx1buyer'], sold: 3, remaining: 17 }),
      listing('mine-soldout', { sellers: ['gx1buyer'], status: 'sold', sold: 20, remaining: 0 }),
      listing('mine-withdrawn', { sellers: ['gx1buyer'], status: 'cancelled' }),
    ]);
    await w.get('[data-test="market-tab-mine"] input').setValue(true);
    await flushPromises();
    expect(mocks.listings).toHaveBeenLastCalledWith({ seller: 'gx1buyer', status: 'any', limit: 100 });
    const cards = w.findAll('[data-test="listing"]');
    expect(cards.map((c) => c.get('[data-test="listing-status"]').text())).toEqual([
      '在售',
      '已售罄',
      '已撤回',
    ]);
    // A seller does not buy their own listing: what of it has sold is said instead.
    expect(w.find('button[data-test="buy"]').exists()).toBe(false);
    expect(cards[0]!.get('[data-test="listing-sold"]').text()).toBe('已售 3 / 20 份');
    expect(cards[2]!.get('[data-test="listing-why"]').text()).toBe('卖方已撤回挂牌，不能购买。');

    mocks.listings.mockResolvedValue([]);
    await w.get('[data-test="market-tab-market"] input').setValue(true);
    await flushPromises();
    expect(mocks.listings).toHaveBeenLastCalledWith({ limit: 100 });
    expect(w.get('[data-test="empty"]').text()).toBe('目前没有挂牌。');
  });

  it('says so when the seller has listed nothing', async () => {
    const w = await page();
    mocks.listings.mockResolvedValue([]);
    await w.get('[data-test="market-tab-mine"] input').setValue(true);
    await flushPromises();
    expect(w.get('[data-test="empty"]').text()).toContain('您还没有挂牌');
  });
});
