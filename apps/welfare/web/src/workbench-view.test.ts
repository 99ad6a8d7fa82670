// The caseworker's application form says what its button does (提交申请), not a state nothing has reached
// yet; its fields speak the page's language only; once the application is on chain, its state is shown in
// words with the block and tx that put it there. Every field is labelled, and areas go by their names.
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import WorkbenchView from './views/workbench-view.vue';

const mocks = vi.hoisted(() => ({
  idHash: vi.fn(),
  list: vi.fn(),
  get: vi.fn(),
  sign: vi.fn(),
  areas: vi.fn(),
  me: null as null | { address: string; roles: { app: string; role: string }[] },
  now: Date.UTC(2026, 11, 10, 2),
}));
vi.mock('./api', () => ({
  api: {
    people: { idHash: { mutate: mocks.idHash } },
    applications: { list: { query: mocks.list }, get: { query: mocks.get } },
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
  return mount(WorkbenchView, { global: { plugins: [i18n] } });
}

beforeEach(() => {
  mocks.me = null;
  mocks.get.mockReset();
  mocks.idHash.mockReset().mockResolvedValue({ idHash: 'cd'.repeat(32) });
  mocks.list.mockReset().mockResolvedValue([]);
  mocks.areas.mockReset().mockResolvedValue([
    { code: '530702', name: '古城区' },
    { code: '530721', name: '玉龙纳西族自治县' },
  ]);
  mocks.sign
    .mockReset()
    .mockResolvedValue({ ok: true, id: 'ab'.repeat(32), height: 7, blockHash: '00'.repeat(32), events: [] });
});

const DAY = 86_400_000;
const caseworker = { address: 'gx1worker', roles: [{ app: 'welfare', role: 'caseworker' }] };
const reviewer = { address: 'gx1reviewer', roles: [{ app: 'welfare', role: 'reviewer' }] };
/** An application in 古城区, headed by 赵桂兰, at `step`. */
const application = (step: string, extra: Record<string, unknown> = {}) => ({
  id: 'ab'.repeat(32),
  area: '530702',
  step,
  members: 1,
  openObjections: 0,
  noticeEnds: null,
  head: {
    account: 'gx1zhaoguilan0000000000000000000000000000',
    name: { 'zh-CN': '赵桂兰', en: 'Zhao Guilan' },
  },
  ...extra,
});

/** An application in 玉龙纳西族自治县 (530721), not the form's default area. */
const inYulong = {
  id: 'ef'.repeat(32),
  area: '530721',
  step: 'accepted',
  members: 3,
  openObjections: 0,
  noticeEnds: null,
};

describe('the application form', () => {
  beforeEach(() => {
    mocks.me = caseworker;
  });

  it('is for the case worker only: the chain takes applications from no other role', async () => {
    mocks.me = reviewer;
    const wrapper = render();
    await flushPromises();
    expect(wrapper.find('[data-test="apply-form"]').exists()).toBe(false);
  });

  it('has a button that says what it does, not 已受理', async () => {
    const wrapper = render();
    await flushPromises();
    const button = wrapper.get('[data-test="apply"]');
    expect(button.text()).toBe('提交申请');
    expect(button.text()).not.toContain('已受理');
    expect(wrapper.find('[data-test="apply-done"]').exists()).toBe(false);
  });

  it('asks for the ID number in the page language only', async () => {
    const zh = render();
    expect(zh.get('[data-test="apply-id"]').attributes('placeholder')).toBe('身份证号');
    const english = render('en');
    expect(english.get('[data-test="apply-id"]').attributes('placeholder')).toBe('ID number');
    expect(english.get('[data-test="apply"]').text()).toBe('Submit application');
  });

  it('names the categories in the page language only', async () => {
    const wrapper = render('en');
    await flushPromises();
    expect(wrapper.get('[data-test="apply-category"]').text()).not.toMatch(/低保/);
  });

  it('after submission shows the state in words with its block and tx', async () => {
    const wrapper = render();
    await flushPromises();
    await wrapper.get('[data-test="apply-id"]').setValue('530702199001011234');
    await wrapper.get('[data-test="apply-did"]').setValue('gx1applicant');
    await wrapper.get('[data-test="apply"]').trigger('click');
    await flushPromises();
    expect(mocks.sign).toHaveBeenCalledTimes(1);
    expect(mocks.sign.mock.calls[0]![1]).toEqual({ describe: '提交申请' });
    const done = wrapper.get('[data-test="apply-done"]');
    expect(done.text()).toContain('申请已提交，当前状态：已受理');
    expect(done.get('[data-test="block-link"]').text()).toBe('#7');
    expect(done.get('[data-test="tx-link"]').attributes('href')).toContain('ab'.repeat(32));
  });

  it('labels every field and names the areas, in the form and on each application', async () => {
    mocks.list.mockResolvedValue([inYulong]);
    const wrapper = render();
    await flushPromises();
    const labels = wrapper.findAll('[data-test="apply-form"] .wf-field > span').map((l) => l.text());
    expect(labels).toEqual(['地区', '保障类别', '申请人身份证号', '申请人账户（gx1…）']);
    // The chosen area shows by its name, with its code.
    expect(wrapper.get('[data-test="apply-area"]').text()).toContain('古城区（530702）');
    const area = wrapper.get('[data-test="application-area"]');
    expect(area.text()).toBe('玉龙纳西族自治县');
    expect(area.attributes('title')).toBe('530721');
  });

  it('shows an area by its code while the names are not known', async () => {
    mocks.areas.mockRejectedValue(new Error('offline'));
    mocks.list.mockResolvedValue([inYulong]);
    const wrapper = render('en');
    await flushPromises();
    expect(wrapper.get('[data-test="application-area"]').text()).toBe('530721');
    expect(wrapper.find('[data-test="apply-form"]').text()).toContain('Area');
  });
});

describe('the applications', () => {
  it('go by the head of household by name in the page language, the account shortened where no name is known', async () => {
    mocks.list.mockResolvedValue([
      application('accepted'),
      application('accepted', {
        id: 'cd'.repeat(32),
        head: { account: 'gx1abcdefgh0000000000000000wxyz', name: null },
      }),
    ]);
    const zh = render();
    await flushPromises();
    const heads = zh.findAll('[data-test="application-head"]');
    expect(heads.map((h) => h.text())).toEqual(['赵桂兰', 'gx1abcde…wxyz']);
    expect(heads[0]!.attributes('title')).toBe('ab'.repeat(32));
    expect(zh.text()).not.toContain('abababababab');
    const en = render('en');
    await flushPromises();
    expect(en.get('[data-test="application-head"]').text()).toBe('Zhao Guilan');
  });

  it('offers a step only to the role that signs it; the others see whom it waits for', async () => {
    mocks.list.mockResolvedValue([
      application('publicised', { openObjections: 1, noticeEnds: mocks.now + 5 * DAY }),
    ]);
    mocks.me = caseworker;
    const worker = render();
    await flushPromises();
    expect(worker.find('[data-test="next-resolve"]').exists()).toBe(false);
    expect(worker.get('[data-test="waits-resolve"]').text()).toBe('处理异议：待区县审核人员办理');
    mocks.me = reviewer;
    const county = render();
    await flushPromises();
    expect(county.find('[data-test="next-resolve"]').exists()).toBe(true);
    expect(county.find('[data-test="waits-resolve"]').exists()).toBe(false);
  });

  it('keeps 民主评议 off until the notice has ended, saying until when; after it, signs the step', async () => {
    mocks.me = caseworker;
    mocks.list.mockResolvedValue([application('publicised', { noticeEnds: mocks.now + 2 * DAY })]);
    const early = render();
    await flushPromises();
    const button = early.get('[data-test="next-deliberate"]');
    expect(button.attributes('disabled')).toBeDefined();
    expect(early.get('[data-test="notice-wait"]').text()).toBe('公示期满后可办理');
    await button.trigger('click');
    expect(mocks.sign).not.toHaveBeenCalled();

    mocks.list.mockResolvedValue([application('publicised', { noticeEnds: mocks.now - 1 })]);
    const late = render();
    await flushPromises();
    expect(late.find('[data-test="notice-wait"]').exists()).toBe(false);
    await late.get('[data-test="next-deliberate"]').trigger('click');
    await flushPromises();
    expect(mocks.sign.mock.calls[0]![0]).toEqual([
      { contract: 'welfare', name: 'deliberate', params: { id: 'ab'.repeat(32) } },
    ]);
  });

  it('lets the reviewer read an objection and decide it, upheld or not, before signing', async () => {
    mocks.me = reviewer;
    mocks.list.mockResolvedValue([
      application('publicised', { openObjections: 1, noticeEnds: mocks.now + DAY }),
    ]);
    mocks.get.mockResolvedValue({
      objections: [
        { objection: 0, evidence: 'ee'.repeat(32), open: false, time: '1', txId: '01'.repeat(32) },
        {
          objection: 1,
          evidence: 'cd'.repeat(32),
          open: true,
          time: String(mocks.now - DAY),
          txId: '02'.repeat(32),
        },
      ],
    });
    const wrapper = render();
    await flushPromises();
    await wrapper.get('[data-test="next-resolve"]').trigger('click');
    await flushPromises();
    expect(mocks.sign).not.toHaveBeenCalled();
    const dialog = wrapper.findComponent({ name: 'ElDialog' });
    expect(dialog.get('[data-test="objection-household"]').text()).toBe('赵桂兰 · 古城区');
    const objections = dialog.findAll('[data-test="objection"]');
    expect(objections).toHaveLength(1);
    expect(objections[0]!.text()).toContain('举报材料指纹');
    expect(objections[0]!.get('code').attributes('title')).toBe('cd'.repeat(32));
    const confirm = dialog.get('[data-test="objection-confirm"]');
    expect(confirm.attributes('disabled')).toBeDefined();
    await dialog.get('[data-test="objection-uphold"] input').setValue(true);
    await confirm.trigger('click');
    await flushPromises();
    expect(mocks.sign.mock.calls[0]![0]).toEqual([
      {
        contract: 'welfare',
        name: 'resolveObjection',
        params: { id: 'ab'.repeat(32), objection: 1, upheld: true },
      },
    ]);
    expect(mocks.sign.mock.calls[0]![1]).toEqual({ describe: '异议成立' });
  });

  it('signs the annual income in fen exactly as typed in yuan, and refuses a third decimal', async () => {
    mocks.me = caseworker;
    mocks.list.mockResolvedValue([application('investigated')]);
    const wrapper = render();
    await flushPromises();
    await wrapper.get('[data-test="income"]').setValue('3600.555');
    await wrapper.get('[data-test="next-preliminary"]').trigger('click');
    await flushPromises();
    expect(mocks.sign).not.toHaveBeenCalled();
    expect(wrapper.get('[data-test="error"]').text()).not.toBe('');
    await wrapper.get('[data-test="income"]').setValue('3600.55');
    await wrapper.get('[data-test="next-preliminary"]').trigger('click');
    await flushPromises();
    expect(mocks.sign.mock.calls[0]![0]).toEqual([
      {
        contract: 'welfare',
        name: 'preliminary',
        params: { id: 'ab'.repeat(32), inputs: { annualIncome: 360055n } },
      },
    ]);
  });
});
