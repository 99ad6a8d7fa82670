// The public lookup's latest notices say whom each concerns (linked to the enterprise's page), what
// kind of notice it is in words, and the block and tx that published it, in the page's language.
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import SearchView from './views/search-view.vue';

vi.mock('vue-router', () => ({
  useRoute: () => ({ query: {} }),
  useRouter: () => ({ replace: async () => undefined }),
}));
vi.mock('./api', () => ({
  api: {
    enterprises: { search: { query: async () => [] } },
    notices: {
      list: {
        query: async () => [
          {
            id: 'n1',
            kind: 'penalty',
            uscc: '91440300MA5G9KQX2N',
            enterpriseName: '深圳市前海云帆科技有限公司',
            title: '行政处罚决定书 深南市监罚〔2026〕118号',
            violation: '销售未经强制性产品认证的充电器',
            from: '2026-12-07',
            until: '2029-12-06',
            height: 42,
            txId: 'ab'.repeat(32),
          },
        ],
      },
    },
  },
}));

function render(locale: 'zh-CN' | 'en') {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale;
  return mount(SearchView, { global: { plugins: [i18n], stubs: { RouterLink: RouterLinkStub } } });
}

describe('the latest notices', () => {
  it('name and link the enterprise, say the kind in words and link the block and tx', async () => {
    const wrapper = render('zh-CN');
    await flushPromises();
    const notice = wrapper.get('[data-test="notice"]');
    expect(notice.text()).toContain('行政处罚');
    const who = notice.getComponent(RouterLinkStub);
    expect(who.text()).toBe('深圳市前海云帆科技有限公司');
    expect(who.props('to')).toBe('/e/91440300MA5G9KQX2N');
    expect(notice.text()).toContain('公示期 2026-12-07 至 2029-12-06');
    expect(notice.get('[data-test="block-link"]').text()).toBe('#42');
    expect(notice.get('[data-test="tx-link"]').attributes('href')).toContain('ab'.repeat(32));
  });

  it('in English on an English page', async () => {
    const wrapper = render('en');
    await flushPromises();
    const notice = wrapper.get('[data-test="notice"]');
    expect(notice.text()).toContain('Penalty');
    expect(notice.text()).toContain('shown 2026-12-07 to 2029-12-06');
  });
});
