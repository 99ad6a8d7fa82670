// An enterprise's page names its registering authority (the address beside the name), lists its change
// filings with each field old → new and, once decided, the decision's reason with links to its tx and
// block; the change form is there for its legal representative only.
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const AUTHORITY = 'gx1w938tgdrnzvlkh49h995val84xu9jznhyawrhj';
const REP = 'gx17h7pvts9cvtzmxj29qy8evyuvlzkggs6ux2wgg';
const FILED_TX = 'aa'.repeat(32);
const DECIDED_TX = 'dd'.repeat(32);
const me = vi.hoisted(() => ({ address: '' }));

vi.mock('vue-router', () => ({ useRoute: () => ({ params: { uscc: '91440300MA5DQ3LX0B' } }) }));
vi.mock('./api', async (original) => ({
  ...(await original<typeof import('./api')>()),
  api: {
    enterprises: {
      get: {
        query: async () => ({
          enterprise: {
            uscc: '91440300MA5DQ3LX0B',
            name: '深圳市鹏程智能科技有限公司',
            previousNames: ['深圳市鹏程电子科技有限公司'],
            legalForm: 'limited_company',
            capital: '5000000000',
            representative: REP,
            address: '广东省深圳市南山区科技园科苑路15号',
            industry: 'C3971',
            establishedOn: '2012-05-18',
            authority: AUTHORITY,
            life: 'active',
            listingStatus: 'normal',
            txId: 'ee'.repeat(32),
          },
          live: { life: 'active', listingStatus: 'normal', goodStanding: true },
          reports: [],
          listings: [],
          certificates: [],
          notices: [],
          posts: [],
          filings: [
            {
              id: `${FILED_TX}`,
              uscc: '91440300MA5DQ3LX0B',
              kind: 'change',
              fields: ['name', 'address'],
              effectiveOn: '2026-01-05',
              successor: null,
              status: 'accepted',
              height: 41,
              txId: FILED_TX,
              time: 0,
              name: '深圳市鹏程智能科技有限公司',
              filedReason: '更名并迁址',
              filedBy: REP,
              diff: [
                { field: 'name', from: '深圳市鹏程电子科技有限公司', to: '深圳市鹏程智能科技有限公司' },
                {
                  field: 'address',
                  from: '广东省深圳市南山区高新南九道10号',
                  to: '广东省深圳市南山区科技园科苑路15号',
                },
              ],
              decision: {
                reason: '材料齐全，准予变更',
                by: AUTHORITY,
                txId: DECIDED_TX,
                height: 43,
                time: 0,
              },
            },
          ],
          names: { [AUTHORITY]: '深圳市市场监督管理局', [REP]: '陈志强' },
        }),
      },
    },
  },
}));
vi.mock('@gongxin/ui', async (original) => ({
  ...(await original<typeof import('@gongxin/ui')>()),
  useAuth: () => ({ me: me.address ? { address: me.address } : null, load: async () => null }),
  useAppSigner: () => ({ sign: vi.fn() }),
  deploymentNow: async () => Date.UTC(2026, 0, 5),
  VerifyRecord: { template: '<span />' },
  QrCode: { template: '<span />' },
}));

const EnterpriseView = (await import('./views/enterprise-view.vue')).default;

async function render(locale = 'zh-CN') {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale as 'zh-CN';
  const w = mount(EnterpriseView, { global: { plugins: [i18n], stubs: { RouterLink: true } } });
  await flushPromises();
  return w;
}

describe('enterprise page', () => {
  it('names the registering authority, the address beside it', async () => {
    const w = await render();
    const authority = w.find('[data-test="enterprise-authority"]');
    expect(authority.find('[data-test="party-name"]').text()).toBe('深圳市市场监督管理局');
    expect(authority.find('[data-test="address"] a').attributes('title')).toBe(AUTHORITY);
    expect(w.find('[data-test="enterprise-representative"] [data-test="party-name"]').text()).toBe('陈志强');
    w.unmount();
  });

  it('shows a decided change old → new with the decision’s reason, tx and block', async () => {
    const w = await render();
    const filing = w.find(`[data-filing="${FILED_TX}"]`);
    expect(filing.find('[data-test="filing-status"]').text()).toBe('已核准');
    const lines = filing.findAll('.rg-diff-line').map((l) => l.text());
    expect(lines[0]).toBe('企业名称：深圳市鹏程电子科技有限公司→深圳市鹏程智能科技有限公司');
    const decision = filing.find('[data-test="filing-decision"]');
    expect(decision.text()).toContain('材料齐全，准予变更');
    expect(decision.text()).toContain('深圳市市场监督管理局');
    const links = decision.findAll('a').map((a) => a.attributes('href') ?? '');
    expect(links.some((h) => h.includes(DECIDED_TX))).toBe(true);
    expect(decision.find('[data-test="block-link"]').text()).toBe('#43');
    w.unmount();
  });

  it('offers the change form to its legal representative only', async () => {
    me.address = 'gx1someoneelse';
    const other = await render();
    expect(other.find('[data-test="change-filing"]').exists()).toBe(false);
    other.unmount();
    me.address = REP;
    const rep = await render();
    expect(rep.find('[data-test="change-filing"]').exists()).toBe(true);
    rep.unmount();
  });
});
