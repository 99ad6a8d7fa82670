// Finance's cycle page shows this month's cycle on arrival (or the month a link names), its batches' columns headed in the page's
// language (Merkle 根 on a Chinese page).
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { routeLocationKey } from 'vue-router';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import CycleView from './views/cycle-view.vue';

const get = vi.fn();
const batch = vi.fn();
const sign = vi.fn();
const reissue = vi.fn();
vi.mock('./api', () => ({
  api: {
    cycles: {
      get: { query: (input: unknown) => get(input) },
      batch: { query: (input: unknown) => batch(input) },
      prepare: { mutate: vi.fn() },
      reissue: { mutate: (input: unknown) => reissue(input) },
    },
    public: { areas: { query: async () => [{ code: '530702', name: '古城区' }] } },
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
  failures: [] as unknown[],
};

/** The same month with its one batch sent and no outcome recorded yet. */
const sent = {
  ...answer,
  cycle: { ...answer.cycle, paid: '0', failed: '0', returned: '0', closed: false },
  batches: [{ ...answer.batches[0]!, paid: '0', failed: '0', returned: '0' }],
};
const zhao = { account: `gx1${'a'.repeat(38)}`, name: { 'zh-CN': '赵桂兰', en: 'Zhao Guilan' } };
const li = { account: `gx1${'h'.repeat(38)}`, name: { 'zh-CN': '李文芳', en: 'Li Wenfang' } };
const receipt = { ok: true, id: 'ee'.repeat(32), height: 12, blockHash: '00'.repeat(32), events: [] };

beforeEach(() => {
  get.mockReset();
  get.mockResolvedValue(answer);
  batch.mockReset();
  batch.mockResolvedValue([
    { index: 0, household: 'a1'.repeat(32), head: zhao, amount: '80000', state: 'sent' },
    { index: 1, household: 'b2'.repeat(32), head: li, amount: '60000', state: 'sent' },
  ]);
  sign.mockReset();
  sign.mockResolvedValue(receipt);
  reissue.mockReset();
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

  it('opens the month a link names (an alert over the envelope), not this month', async () => {
    const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
    const query = { area: '530721', period: '2025-11' };
    const wrapper = mount(CycleView, {
      global: { plugins: [i18n], provide: { [routeLocationKey as symbol]: { query } } },
    });
    await flushPromises();
    expect(get.mock.calls.at(-1)![0]).toEqual({ area: '530721', period: '2025-11' });
    expect((wrapper.get('[data-test="cycle-period"]').element as HTMLInputElement).value).toBe('2025-11');
    // A link with a malformed month or area is this month of the default area.
    get.mockClear();
    mount(CycleView, {
      global: {
        plugins: [i18n],
        provide: { [routeLocationKey as symbol]: { query: { area: 'x', period: '2025-13' } } },
      },
    });
    await flushPromises();
    expect(get.mock.calls.at(-1)![0]).toMatchObject({ area: '530702' });
    expect(get.mock.calls.at(-1)![0].period).not.toBe('2025-13');
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
      { index: 0, household: 'a1'.repeat(32), head: zhao, amount: '80000', state: 'paid' },
      { index: 1, household: 'b2'.repeat(32), head: li, amount: '60000', state: 'failed' },
    ]);
    const wrapper = render();
    await flushPromises();
    await wrapper.get('[data-test="batch-outcomes"]').trigger('click');
    await flushPromises();
    // Each payment by its head of household's name, the household id only in its title.
    const heads = wrapper.findAll('[data-test="payment-head"]');
    expect(heads.map((x) => x.text())).toEqual(['赵桂兰', '李文芳']);
    expect(heads[0]!.attributes('title')).toBe('a1'.repeat(32));
    expect(wrapper.get('[data-test="outcomes"]').text()).not.toContain('a1'.repeat(6));
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

describe('failed and returned payments are paid again (补发)', () => {
  const failure = (over: Record<string, unknown> = {}) => ({
    batch: 'ab'.repeat(32),
    position: 1,
    household: 'b2'.repeat(32),
    amount: '60000',
    state: 'returned',
    reason: '账户已销户',
    outcomeTxId: 'cc'.repeat(32),
    outcomeHeight: 11,
    head: li,
    reissuedBy: null,
    open: true,
    ...over,
  });
  const withFailures = (failures: unknown[], closed = false) => ({
    ...sent,
    cycle: { ...sent.cycle, paid: '80000', returned: '60000', closed },
    batches: [{ ...sent.batches[0]!, paid: '80000', returned: '60000' }],
    failures,
  });
  const prepared = {
    root: 'dd'.repeat(32),
    count: 1,
    total: '60000',
    action: {
      contract: 'welfare',
      name: 'disburse',
      params: {
        area: '530702',
        period: '2026-12',
        root: 'dd'.repeat(32),
        payments: [{ household: 'b2'.repeat(32), idHash: 'ef'.repeat(32), account: 'gx1b', amount: '60000' }],
      },
    },
  };

  it('lists each with its outcome, the reason and the tx that recorded it, in Chinese', async () => {
    get.mockResolvedValue(
      withFailures([
        failure(),
        failure({
          position: 0,
          state: 'failed',
          reason: null,
          reissuedBy: {
            batch: 'ef'.repeat(32),
            position: 0,
            state: 'paid',
            txId: 'ef'.repeat(32),
            height: 42,
          },
          open: false,
        }),
      ]),
    );
    const wrapper = render();
    await flushPromises();
    const rows = wrapper.findAll('[data-test="failure"]');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.text()).toContain('¥600.00');
    expect(rows[0]!.get('[data-test="failure-state"]').text()).toBe('被退回');
    expect(rows[0]!.get('[data-test="failure-reason"]').text()).toBe('账户已销户');
    expect(rows[0]!.get('[data-test="tx-link"]').attributes('href')).toContain('cc'.repeat(32));
    expect(rows[0]!.get('[data-test="failure-reissue"]').text()).toBe('待补发');
    expect(rows[1]!.get('[data-test="failure-reissue"]').text()).toBe('已补发（已到账）');
    expect(wrapper.get('[data-test="failures"]').text()).not.toMatch(/returned|failed|re-issue|reason/i);
    expect(wrapper.get('[data-test="reissue"]').text()).toBe('补发 1 笔并签名');
    expect(wrapper.get('[data-test="close-open-failures"]').text()).toContain('1 笔');
  });

  it('names each by its head of household, as the workbench does, in the page’s language', async () => {
    const unnamed = { account: 'gx1' + 'k'.repeat(34) + 'zz9q', name: null };
    get.mockResolvedValue(withFailures([failure(), failure({ position: 0, head: unnamed })]));
    const wrapper = render();
    await flushPromises();
    const heads = wrapper.findAll('[data-test="failure-head"]');
    expect(heads.map((h) => h.text())).toEqual(['李文芳', 'gx1kkkkk…zz9q']);
    // The household id is there for who needs it, not as the row's name.
    expect(heads[0]!.attributes('title')).toBe('b2'.repeat(32));
    expect(wrapper.get('[data-test="failures"]').text()).not.toContain('b2'.repeat(6));
    const english = render('en');
    await flushPromises();
    expect(english.get('[data-test="failure-head"]').text()).toBe('Li Wenfang');
  });

  it('re-issues exactly the open ones as a new batch, signed in the keyring', async () => {
    get.mockResolvedValue(
      withFailures([
        failure(),
        failure({
          position: 0,
          reissuedBy: {
            batch: 'ef'.repeat(32),
            position: 0,
            state: 'sent',
            txId: 'ef'.repeat(32),
            height: 42,
          },
          open: false,
        }),
      ]),
    );
    reissue.mockResolvedValue({ batches: [prepared], skipped: [] });
    const wrapper = render();
    await flushPromises();
    await wrapper.get('[data-test="reissue"]').trigger('click');
    await flushPromises();
    expect(reissue).toHaveBeenCalledWith({
      area: '530702',
      period: expect.stringMatching(/^\d{4}-\d{2}$/),
      payments: [{ batch: 'ab'.repeat(32), position: 1 }],
    });
    expect(sign).toHaveBeenCalledTimes(1);
    const [action] = sign.mock.calls[0]![0] as {
      name: string;
      params: { payments: { amount: unknown }[] };
    }[];
    expect(action!.name).toBe('disburse');
    expect(action!.params.payments[0]!.amount).toBe(60_000n);
    expect(sign.mock.calls[0]![1]).toEqual({ describe: '补发 1 笔未到账的发放' });
    expect(wrapper.get('[data-test="cycle-done"]').find('[data-test="tx-link"]').exists()).toBe(true);
  });

  it('says so when the chain refuses the re-issue batch, with the alert in words', async () => {
    get.mockResolvedValue(withFailures([failure()]));
    reissue.mockResolvedValue({ batches: [prepared], skipped: [] });
    sign.mockResolvedValue({
      ...receipt,
      events: [
        { contract: 'welfare', name: 'alertRaised', attrs: { detail: 'household is already sent or paid' } },
        { contract: 'welfare', name: 'batchRefused', attrs: {} },
      ],
    });
    const wrapper = render();
    await flushPromises();
    await wrapper.get('[data-test="reissue"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-test="error"]').text()).toContain('批次被链上拒绝，未发出资金');
  });

  it('links a re-issued payment to the block and tx of its re-issue', async () => {
    get.mockResolvedValue(
      withFailures([
        failure({
          open: false,
          reissuedBy: {
            batch: 'ef'.repeat(32),
            position: 0,
            state: 'sent',
            txId: 'ef'.repeat(32),
            height: 42,
          },
        }),
      ]),
    );
    const wrapper = render();
    await flushPromises();
    const proof = wrapper.get('[data-test="failure"]').get('[data-test="failure-reissue-proof"]');
    expect(proof.text()).toContain('42');
    expect(proof.find('[data-test="tx-link"]').exists()).toBe(true);
  });

  it('says in words that a payment already re-issued is not re-issued again, and refreshes', async () => {
    get.mockResolvedValueOnce(withFailures([failure()]));
    const words = `payments: payment 1 of batch ${'ab'.repeat(32)} is already re-issued (batch ${'ef'.repeat(32)})`;
    reissue.mockRejectedValue(new Error(words));
    get.mockResolvedValue(
      withFailures([
        failure({
          open: false,
          reissuedBy: {
            batch: 'ef'.repeat(32),
            position: 0,
            state: 'sent',
            txId: 'ef'.repeat(32),
            height: 42,
          },
        }),
      ]),
    );
    const wrapper = render();
    await flushPromises();
    await wrapper.get('[data-test="reissue"]').trigger('click');
    await flushPromises();
    expect(sign).not.toHaveBeenCalled();
    const alert = wrapper.get('[data-test="error"]');
    expect(alert.text()).toContain('这笔发放已经补发过，不能再补发一次');
    expect(alert.get('[data-test="error-detail-text"]').text()).toBe(words);
    expect(wrapper.get('[data-test="failure-reissue"]').text()).toBe('已补发（已发出）');
    expect(wrapper.find('[data-test="reissue"]').exists()).toBe(false);
  });

  it('offers no re-issue once nothing is open, nor in a closed month', async () => {
    get.mockResolvedValue(
      withFailures([
        failure({
          open: false,
          reissuedBy: {
            batch: 'ef'.repeat(32),
            position: 0,
            state: 'paid',
            txId: 'ef'.repeat(32),
            height: 42,
          },
        }),
      ]),
    );
    const wrapper = render();
    await flushPromises();
    expect(wrapper.find('[data-test="reissue"]').exists()).toBe(false);
    get.mockResolvedValue(withFailures([failure()], true));
    await wrapper.get('[data-test="cycle-load"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="reissue"]').exists()).toBe(false);
    expect(wrapper.get('[data-test="reissue-closed"]').text()).toBe('本月已结账，不能再补发。');
    // A failure the month closed without re-issuing is not "waiting" for anything.
    expect(wrapper.get('[data-test="failure-reissue"]').text()).toBe('未补发（本月已结账）');
    // Nor can anything more be disbursed into it; another month typed in can be.
    const disburse = () => wrapper.get('button[data-test="cycle-disburse"]');
    expect(disburse().attributes('disabled')).toBeDefined();
    await wrapper.get('[data-test="cycle-period"]').setValue('2099-01');
    expect(disburse().attributes('disabled')).toBeUndefined();
  });

  it("records the bank's reason with a failed or returned payment, none with a paid one", async () => {
    get.mockResolvedValue(sent);
    const wrapper = render();
    await flushPromises();
    await wrapper.get('[data-test="batch-outcomes"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="payment-reason"]').exists()).toBe(false);
    wrapper
      .get('[data-test="payment-1"]')
      .findComponent({ name: 'ElSelect' })
      .vm.$emit('update:modelValue', 'failed');
    await flushPromises();
    const input = wrapper.get('[data-test="payment-1"] input[data-test="payment-reason"]');
    expect(input.attributes('maxlength')).toBe('200');
    await input.setValue('  户名不符 ');
    await wrapper.get('[data-test="record-outcomes"]').trigger('click');
    await flushPromises();
    expect((sign.mock.calls[0]![0] as { params: unknown }[])[0]!.params).toEqual({
      batch: 'ab'.repeat(32),
      outcomes: [
        { index: 0, outcome: 'paid' },
        { index: 1, outcome: 'failed', reason: '户名不符' },
      ],
    });
  });
});

describe('the month chosen', () => {
  it('by labelled fields, the area by its name, and a month without batches says what to do', async () => {
    get.mockResolvedValue({ ...answer, cycle: null, batches: [] });
    const wrapper = render();
    await flushPromises();
    const labels = wrapper.findAll('.wf-form .wf-field > span').map((l) => l.text());
    expect(labels).toEqual(['地区', '月份']);
    expect(wrapper.get('[data-test="cycle-area"]').text()).toContain('古城区（530702）');
    expect(wrapper.get('[data-test="batches"]').text()).toMatch(
      /\d{4}-\d{2} 还没有发放批次。点“计算并签名发放”/,
    );
    expect(wrapper.text()).not.toContain('暂无数据');
  });
});
