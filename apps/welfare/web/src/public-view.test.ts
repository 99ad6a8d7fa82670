// The public figures page names each area (古城区), not its code alone, counts households with their
// unit, and says what will appear when no month has been disbursed yet.
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import PublicView from './views/public-view.vue';

const aggregate = vi.fn();
vi.mock('./api', () => ({
  api: {
    public: {
      aggregate: { query: () => aggregate() },
      notice: { query: async () => [] },
    },
  },
}));
vi.mock('@gongxin/ui', async (orig) => ({
  ...(await orig<typeof import('@gongxin/ui')>()),
  useAppSigner: () => ({ sign: vi.fn() }),
  useAuth: () => ({ me: null, load: async () => null }),
}));
vi.mock('echarts/core', () => ({
  use: () => undefined,
  init: () => ({ setOption: () => undefined, dispose: () => undefined, resize: () => undefined }),
}));

function render(locale = 'zh-CN') {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale as 'zh-CN';
  return mount(PublicView, { global: { plugins: [i18n] } });
}

const caseload = [
  { area: '530702', areaName: '古城区', status: 'applying', n: 3 },
  { area: '530702', areaName: '古城区', status: 'active', n: 2 },
];
const month = {
  area: '530702',
  areaName: '古城区',
  period: '2026-11',
  closed: true,
  issued: '140000',
  paid: '140000',
  households: 2,
  envelope: null,
  batches: [
    {
      id: 'b1',
      area: '530702',
      period: '2026-11',
      root: 'ab'.repeat(32),
      count: 2,
      total: '140000',
      txId: 'cd'.repeat(32),
      height: 12,
    },
  ],
};

beforeEach(() => aggregate.mockReset());

describe('the public figures', () => {
  it('names the area and counts households in 户', async () => {
    aggregate.mockResolvedValue({ months: [month], caseload });
    const w = render();
    await flushPromises();
    const load = w.get('[data-test="caseload"]').text();
    expect(load).toContain('古城区');
    expect(load).not.toContain('530702');
    expect(load).toContain('申请中 3 户');
    expect(load).toContain('在保 2 户');
    expect(w.get('[data-test="month"] h3').text()).toBe('古城区 · 2026-11');
  });

  it('says what appears once a month is disbursed, in the reader’s language', async () => {
    aggregate.mockResolvedValue({ months: [], caseload });
    const zh = render();
    await flushPromises();
    expect(zh.get('[data-test="no-months"]').text()).toContain('还没有结账的发放月份');
    const english = render('en');
    await flushPromises();
    expect(english.get('[data-test="no-months"]').text()).toContain('No month has been disbursed yet');
    expect(english.get('[data-test="caseload"]').text()).toContain('applying: 3');
  });
});
