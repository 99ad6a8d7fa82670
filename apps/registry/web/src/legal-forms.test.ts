// The legal forms the registration application and the change filing offer are the contract's own
// (`LEGAL_FORMS`), not a copy: a form the contract adds appears in both selects.
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import ChangeFilingForm from './components/change-filing-form.vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';
import ConsoleView from './views/console-view.vue';

vi.mock('@gongxin/contracts', async (orig) => {
  const real = await orig<typeof import('@gongxin/contracts')>();
  return { ...real, LEGAL_FORMS: [...real.LEGAL_FORMS, 'social_enterprise'] };
});
vi.mock('./api', () => ({
  api: {
    authorities: { query: async () => [] },
    enterprises: { search: { query: async () => [] } },
  },
  chinaDate: () => '2026-01-01',
  yuan: (fen: string) => fen,
}));
vi.mock('@gongxin/ui', async (orig) => ({
  ...(await orig<typeof import('@gongxin/ui')>()),
  useAppSigner: () => ({ sign: vi.fn() }),
  useAuth: () => ({ me: { address: 'gx1me' }, loaded: true, load: async () => null }),
  deploymentNow: async () => Date.UTC(2026, 0, 1),
  RequireLogin: { template: '<div><slot /></div>' },
}));

function i18n() {
  const i = createSuiteI18n({
    'zh-CN': { ...zhCN, reg: { ...zhCN.reg, forms: { ...zhCN.reg.forms, social_enterprise: '社会企业' } } },
    en,
  });
  i.global.locale.value = 'zh-CN';
  return i;
}

/** The labels of the options of the select marked `id` (Element Plus renders them in a popper). */
async function options(w: ReturnType<typeof mount>, id: string) {
  await w.find(`[data-test="${id}"]`).trigger('click');
  await flushPromises();
  return [...document.body.querySelectorAll('.el-select-dropdown__item')].map((o) => o.textContent?.trim());
}

describe('legal forms', () => {
  it('the change filing offers every form the contract knows', async () => {
    const w = mount(ChangeFilingForm, {
      props: {
        enterprise: {
          uscc: '91440300MA5DQ3LX0B',
          name: '深圳市鹏程电子科技有限公司',
          address: '广东省深圳市',
          capital: '100',
          representative: 'gx1me',
          industry: 'C3971',
          legalForm: 'limited_company',
        },
      },
      global: { plugins: [i18n()] },
      attachTo: document.body,
    });
    expect(await options(w, 'change-legal-form')).toContain('社会企业');
    w.unmount();
    document.body.innerHTML = '';
  });

  it('the registration application offers every form the contract knows', async () => {
    const w = mount(ConsoleView, {
      global: { plugins: [i18n()], stubs: { RouterLink: true } },
      attachTo: document.body,
    });
    await flushPromises();
    expect(await options(w, 'reg-form')).toContain('社会企业');
    w.unmount();
  });
});
