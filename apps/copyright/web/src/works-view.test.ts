// The author's income card says which asset its amount is in, also before any royalty has been paid.
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import WorksView from './views/works-view.vue';

const royalties = vi.fn();
vi.mock('./api', () => ({
  api: {
    works: { search: { query: async () => [] } },
    market: { mine: { query: async () => ({ licences: [], royalties: royalties() }) } },
  },
  certificateUrl: (id: string) => `/copyright/api/certificates/${id}.pdf`,
}));
vi.mock('@gongxin/ui', async (orig) => ({
  ...(await orig<typeof import('@gongxin/ui')>()),
  useAppSigner: () => ({ address: ref('gx1me'), sign: vi.fn() }),
  RequireLogin: { template: '<div><slot /></div>' },
}));

async function income() {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  const w = mount(WorksView, { global: { plugins: [i18n], stubs: { RouterLink: true, WorkCard: true } } });
  await flushPromises();
  const text = w.find('[data-test="income"]').text();
  w.unmount();
  return text;
}

describe('royalty income', () => {
  it('shows none yet as 0.00 of the market asset, and a paid total with its asset', async () => {
    royalties.mockReturnValue([]);
    expect(await income()).toContain('0.00 CPYX');
    royalties.mockReturnValue([
      { symbol: 'CPYX', amount: '120000' },
      { symbol: 'CPYX', amount: '50' },
    ]);
    expect(await income()).toContain('1,200.50 CPYX');
  });
});
