// Finance's cycle page shows this month's cycle on arrival, its batches' columns headed in the page's
// language (Merkle 根 on a Chinese page).
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import CycleView from './views/cycle-view.vue';

const get = vi.fn();
vi.mock('./api', () => ({
  api: { cycles: { get: { query: (input: unknown) => get(input) }, prepare: { mutate: vi.fn() } } },
}));
vi.mock('@gongxin/ui', async (orig) => ({
  ...(await orig<typeof import('@gongxin/ui')>()),
  useAppSigner: () => ({ sign: vi.fn() }),
}));

function render(locale = 'zh-CN') {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale as 'zh-CN';
  return mount(CycleView, { global: { plugins: [i18n] } });
}

const answer = {
  cycle: { area: '530702', period: '2026-12', issued: '140000', paid: '140000', closed: true },
  envelope: { area: '530702', period: '2026-12', count: 1000, total: '100000000' },
  batches: [
    {
      id: 'ab'.repeat(32),
      area: '530702',
      period: '2026-12',
      root: 'cd'.repeat(32),
      count: 2,
      total: '140000',
      paid: '140000',
      txId: 'ab'.repeat(32),
      height: 9,
    },
  ],
};

beforeEach(() => {
  get.mockReset();
  get.mockResolvedValue(answer);
});

describe('the cycle page', () => {
  it("shows the month's batches on arrival, headed in Chinese", async () => {
    const wrapper = render();
    await flushPromises();
    expect(get).toHaveBeenCalledTimes(1);
    expect(get.mock.calls[0]![0]).toMatchObject({
      area: '530702',
      period: expect.stringMatching(/^\d{4}-\d{2}$/),
    });
    const table = wrapper.get('[data-test="batches"]').text();
    expect(table).toContain('Merkle 根');
    expect(table).not.toContain('Merkle root');
    expect(table).toContain('1,400.00');
  });

  it('heads the root column in English when the page is', async () => {
    const wrapper = render('en');
    await flushPromises();
    expect(wrapper.get('[data-test="batches"]').text()).toContain('Merkle root');
  });
});
