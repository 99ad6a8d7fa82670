// Finance's cycle page shows this month's cycle on arrival, its batches' columns headed in the page's
// language (Merkle 根 on a Chinese page).
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import CycleView from './views/cycle-view.vue';

const get = vi.fn();
const batch = vi.fn();
const sign = vi.fn();
vi.mock('./api', () => ({
  api: {
    cycles: {
      get: { query: (input: unknown) => get(input) },
      batch: { query: (input: unknown) => batch(input) },
      prepare: { mutate: vi.fn() },
    },
  },
}));
vi.mock('@gongxin/ui', async (orig) => ({
  ...(await orig<typeof import('@gongxin/ui')>()),
  useAppSigner: () => ({ sign }),
}));

function render(locale = 'zh-CN') {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale as 'zh-CN';
  return mount(CycleView, { global: { plugins: [i18n] } });
}

const answer = {
  cycle: {
    area: '530702',
    period: '2026-12',
    issued: '140000',
    paid: '140000',
    failed: '0',
    returned: '0',
    closed: true,
  },
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
      failed: '0',
      returned: '0',
      txId: 'ab'.repeat(32),
      height: 9,
    },
  ],
};

/** The same month with its one batch sent and no outcome recorded yet. */
const sent = {
  ...answer,
  cycle: { ...answer.cycle, paid: '0', failed: '0', returned: '0', closed: false },
  batches: [{ ...answer.batches[0]!, paid: '0', failed: '0', returned: '0' }],
};
const receipt = { ok: true, id: 'ee'.repeat(32), height: 12, blockHash: '00'.repeat(32), events: [] };

beforeEach(() => {
  get.mockReset();
  get.mockResolvedValue(answer);
  batch.mockReset();
  batch.mockResolvedValue([
    { index: 0, household: 'a1'.repeat(32), amount: '80000', state: 'sent' },
    { index: 1, household: 'b2'.repeat(32), amount: '60000', state: 'sent' },
  ]);
  sign.mockReset();
  sign.mockResolvedValue(receipt);
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

describe("finance records a batch's outcomes and closes the month", () => {
  it('records every payment as paid in one signed step, shown with its block and tx', async () => {
    get.mockResolvedValue(sent);
    const wrapper = render();
    await flushPromises();
    await wrapper.get('[data-test="batch-outcomes"]').trigger('click');
    await flushPromises();
    expect(batch).toHaveBeenCalledWith({ id: 'ab'.repeat(32) });
    const record = wrapper.get('[data-test="record-outcomes"]');
    expect(record.text()).toContain('2 笔全部记为已到账');
    await record.trigger('click');
    await flushPromises();
    expect(sign).toHaveBeenCalledTimes(1);
    expect(sign.mock.calls[0]![0]).toEqual([
      {
        contract: 'welfare',
        name: 'recordOutcomes',
        params: {
          batch: 'ab'.repeat(32),
          outcomes: [
            { index: 0, outcome: 'paid' },
            { index: 1, outcome: 'paid' },
          ],
        },
      },
    ]);
    const done = wrapper.get('[data-test="cycle-done"]');
    expect(done.text()).toContain('已签名上链');
    expect(done.get('[data-test="block-link"]').text()).toBe('#12');
    expect(done.get('[data-test="tx-link"]').attributes('href')).toContain('ee'.repeat(32));
  });

  it('records a payment marked failed or returned as such and the rest as paid', async () => {
    get.mockResolvedValue(sent);
    const wrapper = render();
    await flushPromises();
    await wrapper.get('[data-test="batch-outcomes"]').trigger('click');
    await flushPromises();
    wrapper
      .get('[data-test="payment-1"]')
      .findComponent({ name: 'ElSelect' })
      .vm.$emit('update:modelValue', 'returned');
    await flushPromises();
    const record = wrapper.get('[data-test="record-outcomes"]');
    expect(record.text()).toContain('记录 1 笔未到账、1 笔已到账');
    await record.trigger('click');
    await flushPromises();
    expect((sign.mock.calls[0]![0] as { params: unknown }[])[0]!.params).toEqual({
      batch: 'ab'.repeat(32),
      outcomes: [
        { index: 0, outcome: 'paid' },
        { index: 1, outcome: 'returned' },
      ],
    });
  });

  it('shows each recorded outcome in words and offers nothing more to record', async () => {
    get.mockResolvedValue(sent);
    batch.mockResolvedValue([
      { index: 0, household: 'a1'.repeat(32), amount: '80000', state: 'paid' },
      { index: 1, household: 'b2'.repeat(32), amount: '60000', state: 'failed' },
    ]);
    const wrapper = render();
    await flushPromises();
    await wrapper.get('[data-test="batch-outcomes"]').trigger('click');
    await flushPromises();
    expect(wrapper.findAll('[data-test="payment-state"]').map((x) => x.text())).toEqual([
      '已到账',
      '支付失败',
    ]);
    expect(wrapper.find('[data-test="record-outcomes"]').exists()).toBe(false);
  });

  it('closes the month only once paid + failed + returned = issued, signed and linked', async () => {
    get.mockResolvedValue(sent);
    const wrapper = render();
    await flushPromises();
    expect(wrapper.get('[data-test="cycle-close-button"]').attributes('disabled')).toBeDefined();

    get.mockResolvedValue({
      ...sent,
      cycle: { ...sent.cycle, paid: '80000', failed: '60000' },
      batches: [{ ...sent.batches[0]!, paid: '80000', failed: '60000' }],
    });
    await wrapper.get('[data-test="cycle-load"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="batch-settled"]').exists()).toBe(true);
    const close = wrapper.get('[data-test="cycle-close-button"]');
    expect(close.attributes('disabled')).toBeUndefined();
    await close.trigger('click');
    await flushPromises();
    expect(sign.mock.calls[0]![0]).toEqual([
      {
        contract: 'welfare',
        name: 'closeCycle',
        params: { area: '530702', period: expect.stringMatching(/^\d{4}-\d{2}$/) },
      },
    ]);
    expect(wrapper.get('[data-test="cycle-done"]').find('[data-test="tx-link"]').exists()).toBe(true);
  });

  it('says a closed month is closed, with no button', async () => {
    const wrapper = render();
    await flushPromises();
    expect(wrapper.get('[data-test="cycle-closed"]').text()).toBe('本月已结账');
    expect(wrapper.find('[data-test="cycle-close-button"]').exists()).toBe(false);
  });
});

describe('the cycle page on a phone', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows each batch as a card with its outcomes button, not a table to scroll sideways', async () => {
    vi.stubGlobal('matchMedia', (query: string) => ({
      matches: query.includes('max-width'),
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    }));
    get.mockResolvedValue(sent);
    const wrapper = render();
    await flushPromises();
    expect(wrapper.find('[data-test="batches"] table').exists()).toBe(false);
    const card = wrapper.get('[data-test="batch"]');
    expect(card.text()).toContain('¥1,400.00');
    await card.get('[data-test="batch-outcomes"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="record-outcomes"]').exists()).toBe(true);
  });
});
