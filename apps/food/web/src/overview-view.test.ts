// The overview's list of lots reads as goods: each lot under its product's registered name, the lot code
// and GTIN beside it, linking to its trace; a lot whose product is not registered shows its code alone.
import { appIdPlugin, createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const mocks = vi.hoisted(() => ({ overview: vi.fn(), lots: vi.fn() }));
vi.mock('./api', () => ({
  api: {
    overview: { query: mocks.overview },
    masterData: { lots: { query: mocks.lots } },
    capture: { pending: { query: vi.fn().mockResolvedValue([]) } },
  },
}));

const OverviewView = (await import('./views/overview-view.vue')).default;

describe('overview lots', () => {
  it("names each lot's product, and keeps the code for a lot of an unregistered product", async () => {
    // Signed out: the session check answers 401.
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('{}', { status: 401 })));
    mocks.overview.mockResolvedValue({ events: 2, anchored: 2, unanchored: 0 });
    mocks.lots.mockResolvedValue([
      { epc: 'https://id.gs1.org/01/06903235006011/10/LJ-2604-01', events: 5, last: 1, product: '西湖龙井' },
      { epc: 'https://id.gs1.org/01/06901234001013/10/VEG-X', events: 1, last: 0, product: null },
    ]);
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/:p(.*)*', component: {} }],
    });
    const wrapper = mount(OverviewView, {
      global: {
        plugins: [appIdPlugin('food'), createPinia(), createSuiteI18n({ 'zh-CN': zhCN, en }), router],
      },
    });
    await flushPromises();
    const links = wrapper.findAll('[data-test="lot-link"]');
    expect(links.map((l) => l.text())).toEqual([
      '西湖龙井LJ-2604-01 · 06903235006011',
      'VEG-X · 06901234001013',
    ]);
    expect(links[0]!.find('[data-test="lot-product"]').text()).toBe('西湖龙井');
    expect(links[1]!.find('[data-test="lot-product"]').exists()).toBe(false);
    vi.unstubAllGlobals();
  });
});
