// An enterprise's page names its registering authority (the address beside the name), lists its change
// filings with each field old → new and, once decided, the decision's reason with links to its tx and
// block, a rejected change's old values beside the ones it asked for; the change, deregistration and
// merger forms are there for its legal representative only, while it is active; an ended enterprise
// says so and offers no filing.
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const AUTHORITY = 'gx1w938tgdrnzvlkh49h995val84xu9jznhyawrhj';
const REP = 'gx17h7pvts9cvtzmxj29qy8evyuvlzkggs6ux2wgg';
const FILED_TX = 'aa'.repeat(32);
const DECIDED_TX = 'dd'.repeat(32);
const REJECTED_TX = 'bb'.repeat(32);
const me = vi.hoisted(() => ({ address: '' }));
// What the page reads besides the record above: its life now and further filings, per test.
const page = vi.hoisted(() => ({
  life: 'active',
  listing: 'normal',
  endedAt: null as number | null,
  successor: null as string | null,
  filings: [] as unknown[],
}));

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
            life: page.life,
            listingStatus: page.listing,
            successor: page.successor,
            height: 41,
            txId: 'ee'.repeat(32),
          },
          live: {
            life: page.life,
            endedAt: page.endedAt,
            successor: page.successor,
            listingStatus: page.listing,
            goodStanding: page.life === 'active',
          },
          reports: [],
          listings: [],
          certificates: [],
          notices: [],
          posts: [],
          filings: [
            ...page.filings,
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

const rejected = {
  id: REJECTED_TX,
  uscc: '91440300MA5DQ3LX0B',
  kind: 'change',
  fields: ['industry'],
  effectiveOn: '2026-01-06',
  successor: null,
  status: 'rejected',
  height: 50,
  txId: REJECTED_TX,
  time: 0,
  name: '深圳市鹏程智能科技有限公司',
  filedReason: '调整主营',
  filedBy: REP,
  diff: [{ field: 'industry', from: 'C3971', to: 'C3982' }],
  decision: { reason: '经营范围材料不全', by: AUTHORITY, txId: 'cc'.repeat(32), height: 52, time: 0 },
};

beforeEach(() => {
  Object.assign(page, { life: 'active', listing: 'normal', endedAt: null, successor: null, filings: [] });
  me.address = '';
});

describe('enterprise page', () => {
  it('links its registration to its block, its tx and the check in the browser', async () => {
    const w = await render();
    const record = w.find('[data-test="enterprise-record"]');
    expect(record.text()).toContain('41');
    expect(record.text()).toContain('eeeeee');
    expect(record.html()).toContain('#/block/41');
    w.unmount();
  });

  it('names the industry’s section and division beside its code, in both languages', async () => {
    const zh = await render();
    expect(zh.find('[data-test="enterprise-industry"]').text()).toBe(
      'C3971（制造业 · 计算机、通信和其他电子设备制造业）',
    );
    zh.unmount();
    const en = await render('en');
    expect(en.find('[data-test="enterprise-industry"]').text()).toBe(
      'C3971 (Manufacturing · Manufacture of computers, communication and other electronic equipment)',
    );
    en.unmount();
  });

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

  it('says an application not yet decided waits, neither listed nor ended, and offers no credential', async () => {
    page.life = 'pending';
    const w = await render();
    expect(w.find('[data-test="enterprise-awaiting"]').text()).toBe('设立登记申请待登记机关核准');
    expect(w.text()).not.toContain('存在经营异常或已终止');
    expect(w.find('[data-test="credential-link"]').exists()).toBe(false);
    w.unmount();
    page.life = 'active';
    const active = await render();
    expect(active.find('[data-test="enterprise-awaiting"]').exists()).toBe(false);
    expect(active.find('[data-test="credential-link"]').exists()).toBe(true);
    active.unmount();
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

  it('shows a rejected change’s old value beside the one it asked for, unchanged', async () => {
    page.filings = [rejected];
    const w = await render();
    const filing = w.find(`[data-filing="${REJECTED_TX}"]`);
    expect(filing.find('[data-test="filing-status"]').text()).toBe('已驳回');
    const line = filing.find('.rg-diff-line[data-field="industry"]');
    expect(line.find('[data-test="diff-from"]').text()).toBe('C3971');
    expect(line.find('[data-test="diff-to"]').text()).toBe('C3982');
    expect(line.text()).toBe('行业（GB/T 4754）：C3971申请变更为C3982（未予变更）');
    expect(line.find('del').exists()).toBe(false);
    w.unmount();
  });

  it('offers its representative the change, deregistration and merger forms', async () => {
    me.address = REP;
    const w = await render();
    expect(w.findAll('[data-test="filing-kinds"] input').length).toBe(3);
    await w.find('[data-test="filing-kind-deregister"] input').setValue(true);
    await flushPromises();
    expect(w.find('[data-test="change-filing"]').exists()).toBe(false);
    expect(w.find('[data-test="deregistration-filing"]').exists()).toBe(true);
    await w.find('[data-test="filing-kind-merge"] input').setValue(true);
    await flushPromises();
    expect(w.find('[data-test="merger-filing"]').exists()).toBe(true);
    w.unmount();
  });

  it('files no second deregistration or merger while one awaits a decision', async () => {
    me.address = REP;
    page.filings = [
      {
        ...rejected,
        id: 'ab'.repeat(32),
        kind: 'deregister',
        fields: [],
        diff: [],
        status: 'pending',
        decision: null,
      },
    ];
    const w = await render();
    await w.find('[data-test="filing-kind-deregister"] input').setValue(true);
    await flushPromises();
    expect(w.find('[data-test="deregistration-filing"]').exists()).toBe(false);
    expect(w.find('[data-test="ending-pending"]').text()).toContain('待审核的注销或合并申请');
    w.unmount();
  });

  it('shows a merged enterprise’s state, date and successor, and no filing to its representative', async () => {
    me.address = REP;
    page.life = 'merged';
    page.endedAt = Date.UTC(2026, 2, 31, 16); // 2026-04-01 in China time
    page.successor = '91441900324238A8PY';
    const w = await render();
    expect(w.find('[data-test="enterprise-life"]').text()).toBe('已合并');
    const ended = w.find('[data-test="enterprise-ended"]');
    expect(ended.text()).toContain('本企业登记状态为“已合并”');
    expect(ended.text()).toContain('2026-04-01');
    expect(ended.find('[data-test="enterprise-successor"] router-link-stub').attributes('to')).toBe(
      '/e/91441900324238A8PY',
    );
    expect(w.find('[data-test="filing-kinds"]').exists()).toBe(false);
    expect(w.find('[data-test="change-filing"]').exists()).toBe(false);
    expect(w.find('[data-test="deregistration-filing"]').exists()).toBe(false);
    // "正常" beside "已合并" would read as if it still traded: an ended enterprise off every list shows none.
    expect(w.find('[data-test="enterprise-listing"]').exists()).toBe(false);
    w.unmount();
  });

  it('shows the listing of a live enterprise, and of an ended one still on a list', async () => {
    const live = await render();
    expect(live.find('[data-test="enterprise-listing"]').text()).toBe('正常');
    live.unmount();
    page.life = 'revoked';
    page.listing = 'serious';
    page.endedAt = Date.UTC(2026, 2, 31, 16);
    const revoked = await render();
    expect(revoked.find('[data-test="enterprise-life"]').text()).toBe('吊销');
    expect(revoked.find('[data-test="enterprise-listing"]').text()).toBe('严重违法失信名单');
    revoked.unmount();
  });
});
