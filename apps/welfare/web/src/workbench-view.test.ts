// The caseworker's application form says what its button does (提交申请), not a state nothing has reached
// yet; its fields speak the page's language only; once the application is on chain, its state is shown in
// words with the block and tx that put it there. Every field is labelled, and areas go by their names.
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import WorkbenchView from './views/workbench-view.vue';

const mocks = vi.hoisted(() => ({ idHash: vi.fn(), list: vi.fn(), sign: vi.fn(), areas: vi.fn() }));
vi.mock('./api', () => ({
  api: {
    people: { idHash: { mutate: mocks.idHash } },
    applications: { list: { query: mocks.list } },
    public: { areas: { query: mocks.areas } },
  },
}));
vi.mock('@gongxin/ui', async (orig) => ({
  ...(await orig<typeof import('@gongxin/ui')>()),
  useAppSigner: () => ({ sign: mocks.sign }),
  useAuth: () => ({ me: null, load: async () => null }),
}));

function render(locale = 'zh-CN') {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale as 'zh-CN';
  return mount(WorkbenchView, { global: { plugins: [i18n] } });
}

beforeEach(() => {
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
