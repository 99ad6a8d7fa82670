// The auditor's alerts page: every kind in words in both languages; the subject a household by its head's
// name or a month's cycle, linked; a shared account's households each by its head's name, linked; each
// alert's area by name, none for one about no household; the list filtered by status, kind and area (the
// areas by name); the owner by name; raised at its block and tx; an open alert past its
// deadline on the deployment clock marked overdue; a resolved one with its outcome, who gave it, and the
// block and tx. The owner or an auditor resolves an open one: the outcome is checked against the
// contract's limit (1 to 256 characters, no control characters) before anything is signed, then signed
// as resolveAlert and answered with its block and tx; a refusal by the chain is said in words.
import { ALERT_KINDS } from '@gongxin/contracts/events';
import { ChainError, createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { ElSelect } from 'element-plus';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import AlertsView from './views/alerts-view.vue';

const mocks = vi.hoisted(() => ({
  list: vi.fn(),
  sign: vi.fn(),
  areas: vi.fn(),
  me: null as null | { address: string; roles: { app: string; role: string }[] },
  now: Date.UTC(2026, 11, 10, 2),
}));
vi.mock('./api', () => ({
  api: {
    alerts: { list: { query: mocks.list } },
    public: { areas: { query: mocks.areas } },
  },
}));
vi.mock('@gongxin/ui', async (orig) => ({
  ...(await orig<typeof import('@gongxin/ui')>()),
  useAppSigner: () => ({ sign: mocks.sign }),
  useAuth: () => ({ me: mocks.me, load: async () => mocks.me }),
  syncClock: async () => undefined,
  serverNow: () => mocks.now,
}));

function render(locale = 'zh-CN') {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale as 'zh-CN';
  return mount(AlertsView, { global: { plugins: [i18n] } });
}

const DAY = 86_400_000;
const WU = 'gx1wushenji00000000000000000000000000000';
const auditor = { address: WU, roles: [{ app: 'welfare', role: 'auditor' }] };
const caseworker = { address: 'gx1worker', roles: [{ app: 'welfare', role: 'caseworker' }] };
const HOUSEHOLD = `${'ab'.repeat(32)}:1`;
const wu = { account: WU, name: { 'zh-CN': '吴审计', en: '吴审计' } };

let n = 0;
/** An open alert owned by 吴审计, raised at block 12, due in two days, about no household. */
const alert = (extra: Record<string, unknown> = {}) => ({
  id: `${(++n).toString(16).padStart(2, '0').repeat(32)}`,
  kind: 'manual',
  subject: '抽查',
  detail: '月度抽查',
  owner: wu,
  deadline: mocks.now + 2 * DAY,
  outcome: null,
  height: 12,
  txId: 'c1'.repeat(32),
  time: mocks.now - DAY,
  resolvedBy: null,
  resolvedHeight: null,
  resolvedTx: null,
  resolvedAt: null,
  household: null,
  sharedBy: null,
  areas: [],
  ...extra,
});

beforeEach(() => {
  mocks.me = auditor;
  mocks.list.mockReset().mockResolvedValue([]);
  mocks.areas.mockReset().mockResolvedValue([{ code: '530702', name: '古城区' }]);
  mocks.sign
    .mockReset()
    .mockResolvedValue({ ok: true, id: 'd4'.repeat(32), height: 31, blockHash: '00'.repeat(32), events: [] });
});

describe('the alerts page', () => {
  it('names every kind in the page language', async () => {
    mocks.list.mockResolvedValue(ALERT_KINDS.map((kind) => alert({ kind })));
    const zh = render();
    await flushPromises();
    const zhKinds = zh.findAll('[data-test="alert-kind"]').map((k) => k.text());
    expect(zhKinds).toHaveLength(ALERT_KINDS.length);
    expect(zhKinds).toContain('多户共用账户');
    expect(zhKinds).toContain('收款账户未登记');
    for (const k of zhKinds) expect(k).not.toMatch(/[a-z_]{4,}/);
    const english = render('en');
    await flushPromises();
    const enKinds = english.findAll('[data-test="alert-kind"]').map((k) => k.text());
    expect(enKinds).toContain('Account shared by households');
    for (const k of enKinds) {
      expect(k).not.toMatch(/[\u4e00-\u9fff]/);
      expect(k).not.toContain('_');
    }
    expect(new Set(enKinds).size).toBe(ALERT_KINDS.length);
  });

  it('shows the subject household by its head, the cycle linked, the owner by name and where it was raised', async () => {
    const household = alert({
      kind: 'unregistered_account',
      subject: HOUSEHOLD,
      detail: `account gx1neighbour is not registered to a member of household ${HOUSEHOLD}`,
      household: {
        id: HOUSEHOLD,
        area: '530702',
        head: { account: 'gx1zhao', name: { 'zh-CN': '赵桂兰', en: 'Zhao Guilan' } },
      },
    });
    const envelope = alert({ kind: 'over_envelope', subject: '530702/2026-12', detail: 'over the envelope' });
    mocks.list.mockResolvedValue([household, envelope]);
    const wrapper = render();
    await flushPromises();
    const card = wrapper.get(`[data-test="alert-${household.id}"]`);
    expect(card.get('[data-test="alert-household"]').text()).toBe('赵桂兰 户');
    expect(card.get('[data-test="alert-subject"]').text()).toContain('古城区');
    expect(card.get('[data-test="alert-household-link"]').attributes('href')).toContain('ab'.repeat(32));
    expect(card.get('[data-test="alert-owner"]').text()).toContain('吴审计');
    const raised = card.get('[data-test="alert-raised"]');
    expect(raised.get('[data-test="block-link"]').text()).toBe('#12');
    expect(raised.get('[data-test="tx-link"]').attributes('href')).toContain('c1'.repeat(32));
    const cycle = wrapper.get(`[data-test="alert-${envelope.id}"] [data-test="alert-cycle"]`);
    expect(cycle.text()).toBe('古城区 2026-12 发放周期');
    expect(cycle.attributes('href')).toBe('#/cycles?area=530702&period=2026-12');
    // Each alert is a card: no table that would scroll sideways on a phone.
    expect(wrapper.find('table').exists()).toBe(false);
  });

  it('marks an open alert past its deadline on the deployment clock as overdue, not a resolved one', async () => {
    const late = alert({ deadline: mocks.now - 1 });
    const due = alert({ deadline: mocks.now + DAY });
    const resolvedLate = alert({ deadline: mocks.now - DAY, outcome: '已核实', resolvedBy: wu });
    mocks.list.mockResolvedValue([late, due, resolvedLate]);
    const wrapper = render();
    await flushPromises();
    expect(wrapper.get(`[data-test="alert-${late.id}"] [data-test="alert-overdue"]`).text()).toBe('已逾期');
    expect(wrapper.find(`[data-test="alert-${due.id}"] [data-test="alert-overdue"]`).exists()).toBe(false);
    expect(wrapper.find(`[data-test="alert-${resolvedLate.id}"] [data-test="alert-overdue"]`).exists()).toBe(
      false,
    );
    const english = render('en');
    await flushPromises();
    expect(english.get(`[data-test="alert-${late.id}"] [data-test="alert-overdue"]`).text()).toBe('overdue');
  });

  it('shows a resolved alert with its outcome, who resolved it, and the block and tx', async () => {
    const done = alert({
      outcome: '已与银行核实，账户已更正',
      resolvedBy: wu,
      resolvedHeight: 40,
      resolvedTx: 'e5'.repeat(32),
      resolvedAt: mocks.now,
    });
    mocks.list.mockResolvedValue([done]);
    const wrapper = render();
    await flushPromises();
    const outcome = wrapper.get('[data-test="alert-outcome"]');
    expect(outcome.get('[data-test="alert-outcome-text"]').text()).toBe('已与银行核实，账户已更正');
    expect(outcome.get('[data-test="alert-resolved-by"]').text()).toBe('由 吴审计 处理');
    expect(outcome.get('[data-test="block-link"]').text()).toBe('#40');
    expect(outcome.get('[data-test="tx-link"]').attributes('href')).toContain('e5'.repeat(32));
    expect(wrapper.find('[data-test="alert-resolve"]').exists()).toBe(false);
  });

  it('offers resolving to the owner and to auditors only', async () => {
    mocks.list.mockResolvedValue([alert()]);
    mocks.me = caseworker;
    const worker = render();
    await flushPromises();
    expect(worker.find('[data-test="alert-resolve"]').exists()).toBe(false);
    mocks.me = { address: WU, roles: [] };
    const owner = render();
    await flushPromises();
    expect(owner.find('[data-test="alert-resolve"]').exists()).toBe(true);
  });

  it('checks the outcome against the contract limit, in words, before signing', async () => {
    const open = alert();
    mocks.list.mockResolvedValue([open]);
    const wrapper = render();
    await flushPromises();
    await wrapper.get('[data-test="alert-resolve"]').trigger('click');
    expect(wrapper.get('[data-test="alert-outcome-rule"]').text()).toBe(
      '1 至 256 个字符，不能换行或含控制字符',
    );
    const input = wrapper.get('[data-test="alert-outcome-input"]');
    const confirm = wrapper.get('[data-test="alert-resolve-confirm"]');
    await input.setValue('   ');
    await confirm.trigger('click');
    expect(wrapper.get('[data-test="alert-outcome-problem"]').text()).toBe(
      '请填写处理结果：1 至 256 个字符。',
    );
    await input.setValue('核'.repeat(257));
    await confirm.trigger('click');
    expect(wrapper.get('[data-test="alert-outcome-problem"]').text()).toBe(
      '处理结果有 257 个字符，最多 256 个。',
    );
    await input.setValue('已核实\u0007');
    await confirm.trigger('click');
    expect(wrapper.get('[data-test="alert-outcome-problem"]').text()).toBe('处理结果不能换行或含控制字符。');
    expect(mocks.sign).not.toHaveBeenCalled();

    await input.setValue('核'.repeat(256));
    await confirm.trigger('click');
    await flushPromises();
    expect(mocks.sign).toHaveBeenCalledTimes(1);
  });

  it('signs resolveAlert and shows the block and tx; the list is read again', async () => {
    const open = alert({ kind: 'shared_account', subject: 'a1'.repeat(32) });
    mocks.list.mockResolvedValue([open]);
    const wrapper = render();
    await flushPromises();
    expect(mocks.list).toHaveBeenCalledTimes(1);
    await wrapper.get('[data-test="alert-resolve"]').trigger('click');
    await wrapper.get('[data-test="alert-outcome-input"]').setValue(' 代管账户，已更正 ');
    await wrapper.get('[data-test="alert-resolve-confirm"]').trigger('click');
    await flushPromises();
    expect(mocks.sign.mock.calls[0]).toEqual([
      [{ contract: 'welfare', name: 'resolveAlert', params: { id: open.id, outcome: '代管账户，已更正' } }],
      { describe: '处理预警：多户共用账户' },
    ]);
    const done = wrapper.get('[data-test="alert-done"]');
    expect(done.text()).toContain('预警已处理，结果已记录上链');
    expect(done.get('[data-test="block-link"]').text()).toBe('#31');
    expect(done.get('[data-test="tx-link"]').attributes('href')).toContain('d4'.repeat(32));
    expect(mocks.list).toHaveBeenCalledTimes(2);
    expect(wrapper.find('[data-test="alert-resolve-form"]').exists()).toBe(false);
  });

  it('names a shared account by its keyed hash and each household that shares it by its head, linked', async () => {
    const [one, two] = ['b7'.repeat(32), 'c8'.repeat(32)];
    mocks.list.mockResolvedValue([
      alert({
        kind: 'shared_account',
        subject: 'a1'.repeat(32),
        detail: `households ${one}:0 ${two}:1`,
        areas: ['530702'],
        sharedBy: [
          {
            id: `${one}:0`,
            area: '530702',
            head: { account: 'gx1zhao', name: { 'zh-CN': '赵桂兰', en: 'Zhao Guilan' } },
          },
          // A head this server knows no name for: its account, shortened.
          { id: `${two}:1`, area: '530702', head: { account: 'gx1abcdefgh0000000000wxyz', name: null } },
        ],
      }),
    ]);
    const wrapper = render();
    await flushPromises();
    const account = wrapper.get('[data-test="alert-account"]');
    expect(account.text()).toBe('银行账户（密钥散列） a1a1a1a1…a1a1');
    // A keyed hash is no tx: not linked to the explorer.
    expect(wrapper.get('[data-test="alert-subject"]').find('a').exists()).toBe(false);
    expect(wrapper.get('[data-test="alert-detail"]').text()).toContain('2 户共用此账户：');
    const households = wrapper.findAll('[data-test="alert-sharing-household"]');
    expect(households.map((h) => h.attributes('title'))).toEqual([`${one}:0`, `${two}:1`]);
    expect(households.map((h) => h.get('[data-test="alert-sharing-head"]').text())).toEqual([
      '赵桂兰 户',
      'gx1abcde…wxyz 户',
    ]);
    // Not by the tx hashes of their files: those are the links.
    expect(wrapper.get('[data-test="alert-detail"]').text()).not.toContain(one);
    expect(wrapper.get('[data-test="alert-area"]').text()).toBe('地区 古城区');
    expect(households.map((h) => h.get('[data-test="tx-link"]').attributes('href'))).toEqual([
      expect.stringContaining(one),
      expect.stringContaining(two),
    ]);
    expect(wrapper.text()).not.toContain('households');
  });

  it("says the chain's refusal in words", async () => {
    mocks.list.mockResolvedValue([alert()]);
    mocks.sign.mockRejectedValue(new ChainError('not_allowed', 'alert x has an outcome'));
    const wrapper = render();
    await flushPromises();
    await wrapper.get('[data-test="alert-resolve"]').trigger('click');
    await wrapper.get('[data-test="alert-outcome-input"]').setValue('已核实');
    await wrapper.get('[data-test="alert-resolve-confirm"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-test="error"]').text()).toContain('不允许这个操作');
    expect(wrapper.find('[data-test="alert-done"]').exists()).toBe(false);
  });

  it("shows each alert's areas by name, and none for an alert about no household", async () => {
    mocks.areas.mockResolvedValue([
      { code: '530702', name: '古城区' },
      { code: '530721', name: '玉龙纳西族自治县' },
    ]);
    const across = alert({ kind: 'shared_account', subject: 'a1'.repeat(32), areas: ['530721', '530702'] });
    const unnamed = alert({ kind: 'shared_account', subject: 'a2'.repeat(32), areas: ['530799'] });
    const envelope = alert({ kind: 'over_envelope', subject: '530702/2026-12', detail: 'over the envelope' });
    mocks.list.mockResolvedValue([across, unnamed, envelope]);
    const wrapper = render();
    await flushPromises();
    const areaOf = (a: { id: string }) =>
      wrapper.find(`[data-test="alert-${a.id}"] [data-test="alert-area"]`);
    expect(areaOf(across).text()).toBe('地区 玉龙纳西族自治县、古城区');
    expect(areaOf(unnamed).text()).toBe('地区 530799');
    expect(areaOf(envelope).exists()).toBe(false);
    const english = render('en');
    await flushPromises();
    expect(english.get(`[data-test="alert-${across.id}"] [data-test="alert-area"]`).text()).toBe(
      'Area 玉龙纳西族自治县、古城区',
    );
  });

  it('offers the areas by name and asks the server for the one chosen', async () => {
    mocks.areas.mockResolvedValue([
      { code: '530702', name: '古城区' },
      { code: '530721', name: '玉龙纳西族自治县' },
    ]);
    const wrapper = render();
    await flushPromises();
    const select = wrapper.findAllComponents(ElSelect)[2]!;
    expect(select.attributes('data-test')).toBe('alerts-area');
    const options = select.findAllComponents({ name: 'ElOption' }).map((o) => o.props('label'));
    expect(options).toEqual(['全部地区', '古城区（530702）', '玉龙纳西族自治县（530721）']);
    expect(wrapper.text()).toContain('地区');
    select.vm.$emit('update:modelValue', '530721');
    select.vm.$emit('change', '530721');
    await flushPromises();
    expect(mocks.list).toHaveBeenLastCalledWith({ status: 'all', area: '530721', limit: 200 });
    // Back to all areas: no area asked for.
    select.vm.$emit('update:modelValue', '');
    select.vm.$emit('change', '');
    await flushPromises();
    expect(mocks.list).toHaveBeenLastCalledWith({ status: 'all', limit: 200 });
  });

  it('asks the server for the status and kind chosen', async () => {
    const wrapper = render();
    await flushPromises();
    expect(mocks.list).toHaveBeenLastCalledWith({ status: 'all', limit: 200 });
    const [status, kind] = wrapper.findAllComponents(ElSelect);
    status!.vm.$emit('update:modelValue', 'open');
    status!.vm.$emit('change', 'open');
    await flushPromises();
    expect(mocks.list).toHaveBeenLastCalledWith({ status: 'open', limit: 200 });
    kind!.vm.$emit('update:modelValue', 'shared_account');
    kind!.vm.$emit('change', 'shared_account');
    await flushPromises();
    expect(mocks.list).toHaveBeenLastCalledWith({ status: 'open', kind: 'shared_account', limit: 200 });
    expect(wrapper.get('[data-test="alerts-empty"]').text()).toBe('暂无预警。');
  });
});
