// The registration application says what is wrong with each field it refuses, in the page's language, and
// signs nothing until every field is right; the capital is then signed in fen.
import { completeUscc, orgCodeCheckChar } from '@gongxin/contracts';
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import ConsoleView from './views/console-view.vue';

const AUTHORITY = 'gx1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqs3a9pvu';
const sign = vi.fn();
vi.mock('./api', () => ({
  api: {
    authorities: { query: async () => [] },
    enterprises: { search: { query: async () => [] } },
  },
  chinaDate: () => '2026-01-01',
}));
vi.mock('@gongxin/ui', async (orig) => ({
  ...(await orig<typeof import('@gongxin/ui')>()),
  useAppSigner: () => ({ sign }),
  useAuth: () => ({ me: { address: 'gx1me' }, loaded: true, load: async () => null }),
  RequireLogin: { template: '<div><slot /></div>' },
}));
vi.mock('@gongxin/ledger', async (orig) => {
  const real = await orig<typeof import('@gongxin/ledger')>();
  return { ...real, isAddress: (a: unknown) => a === AUTHORITY || real.isAddress(a) };
});

function render(locale = 'zh-CN') {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale as 'zh-CN';
  return mount(ConsoleView, {
    global: { plugins: [i18n], stubs: { RouterLink: true } },
    attachTo: document.body,
  });
}

type Wrapper = ReturnType<typeof render>;
const valid = completeUscc(`91440304MA5HGX01${orgCodeCheckChar('MA5HGX01')}`);
const wrongCheck = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');

/** Element Plus shows a form item's error after a short debounce. */
async function settle() {
  await flushPromises();
  await new Promise((r) => setTimeout(r, 250));
  await flushPromises();
}
async function fill(w: Wrapper, fields: Record<string, string>) {
  for (const [id, value] of Object.entries(fields)) {
    const input = w.find(`[data-test="${id}"] input, input[data-test="${id}"]`);
    // The authority is a select: opened, what is typed is taken with Enter.
    if (id === 'reg-authority') await w.find(`[data-test="${id}"]`).trigger('click');
    await input.setValue(value);
    if (id === 'reg-authority') {
      await settle();
      await input.trigger('keydown', { key: 'Enter', code: 'Enter' });
    }
  }
  await settle();
}
const problem = (w: Wrapper, id: string) =>
  w.find(`[data-test="${id}-item"] .el-form-item__error`).exists()
    ? w.find(`[data-test="${id}-item"] .el-form-item__error`).text()
    : '';
async function submit(w: Wrapper) {
  await w.find('[data-test="reg-submit"]').trigger('click');
  await settle();
}

const good = {
  'reg-uscc': valid,
  'reg-name': '深圳市福田共信电子有限公司',
  'reg-capital': '5,000,000.5',
  'reg-address': '广东省深圳市福田区深南大道6008号',
  'reg-industry': 'c3971',
  'reg-established': '2019-03-08',
  'reg-authority': AUTHORITY,
};

describe('registration application', () => {
  beforeEach(() => {
    sign.mockReset();
    sign.mockResolvedValue({ ok: true });
  });

  it('names what is wrong with a bad capital and a bad code, each on its own field', async () => {
    const w = render();
    await flushPromises();
    await fill(w, { ...good, 'reg-uscc': wrongCheck, 'reg-capital': '五百万' });
    await submit(w);
    expect(sign).not.toHaveBeenCalled();
    expect(problem(w, 'reg-capital')).toContain('以元为单位');
    expect(problem(w, 'reg-uscc')).toContain(`应为 ${valid[17]}`);
    expect(problem(w, 'reg-name')).toBe('');
    expect(w.find('[data-test="console-error"]').text()).toContain('尚未签名');
    expect(w.find('[data-test="console-error"]').text()).not.toContain('出错了');

    // Corrected, each message goes; the application is signed with the capital in fen.
    await fill(w, { 'reg-uscc': valid, 'reg-capital': '5,000,000.5' });
    expect(problem(w, 'reg-uscc')).toBe('');
    expect(problem(w, 'reg-capital')).toBe('');
    await submit(w);
    expect(sign).toHaveBeenCalledTimes(1);
    const params = sign.mock.calls[0]![0][0].params;
    expect(params).toMatchObject({ uscc: valid, capital: 500_000_050n, industry: 'C3971' });
    w.unmount();
  });

  it('speaks English on an English page, including an empty form and a resident ID', async () => {
    const w = render('en');
    await flushPromises();
    await fill(w, {
      'reg-uscc': '11010519491231002X',
      'reg-capital': '12.345',
      'reg-established': '2019-02-30',
    });
    await submit(w);
    expect(sign).not.toHaveBeenCalled();
    expect(problem(w, 'reg-uscc')).toBe('This is a resident ID number, not a unified social credit code');
    expect(problem(w, 'reg-capital')).toContain('at most two decimals');
    expect(problem(w, 'reg-established')).toContain('real date');
    expect(problem(w, 'reg-name')).toBe('Required');
    expect(problem(w, 'reg-authority')).toContain('registering authority');
    expect(w.text()).toContain('Registered capital (yuan)');
    expect(w.text()).not.toMatch(/[\u4e00-\u9fff]{2,}（元）/);
    w.unmount();
  });

  it('tells a code too short or with a letter GB 32100 does not use', async () => {
    const w = render();
    await flushPromises();
    await fill(w, { ...good, 'reg-uscc': '9144030' });
    await submit(w);
    expect(problem(w, 'reg-uscc')).toBe('统一社会信用代码为 18 位，当前 7 位');
    await fill(w, { 'reg-uscc': `${valid.slice(0, 10)}O${valid.slice(11)}` });
    expect(problem(w, 'reg-uscc')).toContain('“O”');
    expect(sign).not.toHaveBeenCalled();
    w.unmount();
  });
});
