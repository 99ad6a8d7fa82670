// The certificates page as a holder reads it: plants by name, a receivable's face value exact to the fen
// (never through a float) and its state in words, each row linked to its tx.
import { appIdPlugin, configureUi, createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';

const mocks = vi.hoisted(() => ({ certificates: vi.fn(), plants: vi.fn() }));

vi.mock('../api', () => ({
  api: { certificates: { query: mocks.certificates }, plants: { list: { query: mocks.plants } } },
}));

vi.mock('@gongxin/ui', async (original) => ({
  ...(await original<typeof import('@gongxin/ui')>()),
  useAuth: () => ({ hasRole: () => false, me: { address: 'gx1owner', roles: [] } }),
}));

const CertificatesView = (await import('./certificates-view.vue')).default;
const TX = 'ab'.repeat(32);

async function render() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/', component: CertificatesView }],
  });
  await router.push('/');
  const wrapper = mount(CertificatesView, {
    global: { plugins: [appIdPlugin('solar'), createSuiteI18n({ 'zh-CN': zhCN, en }), router] },
  });
  await flushPromises();
  await flushPromises();
  return wrapper;
}

beforeEach(() => {
  configureUi();
  mocks.plants.mockResolvedValue([{ id: 'sh-minhang-01', name: '闵行张家屋顶光伏' }]);
  mocks.certificates.mockResolvedValue({
    lots: [
      {
        id: TX,
        plant: 'sh-minhang-01',
        month: '2026-11',
        owner: 'gx1owner',
        count: 3,
        status: 'active',
        expires: Date.UTC(2028, 11, 31),
        beneficiary: null,
        txId: TX,
      },
    ],
    subsidies: [
      // 9,007,199,254,740,993 fen: a float makes it …992 (2^53 + 1 is not a double).
      {
        id: TX,
        plant: 'sh-minhang-01',
        month: '2026-11',
        wh: '1234567',
        faceFen: '9007199254740993',
        holder: 'gx1owner',
        status: 'open',
        askFen: null,
        txId: TX,
      },
      {
        id: `${TX}:1`,
        plant: 'sh-minhang-01',
        month: '2026-10',
        wh: '1000',
        faceFen: '30',
        holder: 'gx1owner',
        status: 'paid',
        askFen: null,
        txId: TX,
      },
    ],
  });
});

describe('certificates page', () => {
  it('names each plant, and shows a receivable exactly with its state in words', async () => {
    const wrapper = await render();
    expect(wrapper.find('[data-test="lot-plant"]').text()).toBe('闵行张家屋顶光伏');
    const faces = wrapper.findAll('[data-test="subsidy-face"]').map((f) => f.text());
    expect(faces).toEqual(['¥90,071,992,547,409.93', '¥0.30']);
    const states = wrapper.findAll('[data-test="subsidy-status"]').map((f) => f.text());
    expect(states).toEqual(['持有中', '已兑付']);
    const subsidies = wrapper.get('[data-test="subsidies"]').text();
    expect(subsidies).toContain('闵行张家屋顶光伏 · 2026-11');
    expect(subsidies).toContain('1,234.567 kWh');
    expect(subsidies).not.toContain(TX);
  });

  it('shows each receivable as a card on a phone, where the table would scroll sideways', async () => {
    const wrapper = await render();
    expect(wrapper.get('[data-test="subsidies"]').element.closest('.sl-wide')).not.toBeNull();
    const cards = wrapper.get('[data-test="subsidy-cards"]');
    expect(cards.classes()).toContain('sl-narrow');
    const [open, paid] = cards.findAll('li').map((c) => c.text());
    expect(open).toContain('闵行张家屋顶光伏 2026-11 · 1,234.567 kWh');
    expect(open).toContain('面值 ¥90,071,992,547,409.93 · 持有中');
    expect(paid).toContain('已兑付');
  });
});
