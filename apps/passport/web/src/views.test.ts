import { appIdPlugin, configureUi, createSuiteI18n, explorerLinks, useKeyring } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const mocks = vi.hoisted(() => ({
  details: vi.fn(),
  demoAccounts: vi.fn(),
  status: vi.fn(),
  info: vi.fn(),
  me: vi.fn(),
  sessions: vi.fn(),
  apps: vi.fn(),
  revokeApp: vi.fn(),
}));

vi.mock('./api', () => ({
  api: {
    demo: { accounts: { query: mocks.demoAccounts } },
    registration: { status: { query: mocks.status }, info: { query: mocks.info } },
    profile: {
      me: { query: mocks.me },
      sessions: { query: mocks.sessions },
      revokeApp: { mutate: mocks.revokeApp },
    },
    suite: { apps: { query: mocks.apps } },
  },
  interaction: { details: mocks.details },
  InteractionError: class extends Error {},
}));

import HomeView from './views/home-view.vue';
import LoginView from './views/login-view.vue';
import ProfileView from './views/profile-view.vue';
import RegisterView from './views/register-view.vue';

function plugins() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }],
  });
  return [createSuiteI18n({ 'zh-CN': zhCN, en }), router];
}

const DEMO_KEY = '11'.repeat(32);

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
  configureUi({ kdf: { N: 1024, r: 8, p: 1 } });
  for (const m of Object.values(mocks)) m.mockReset();
});

describe('login page', () => {
  it('shows the client, no password field without an account, and the demo accounts in demo mode', async () => {
    mocks.details.mockResolvedValue({
      uid: 'u1',
      prompt: { name: 'login', reasons: [], details: {} },
      client: { id: 'welfare', name: 'welfare', firstParty: true },
      scopes: ['openid'],
      accountId: null,
      demo: true,
    });
    mocks.demoAccounts.mockResolvedValue({
      demo: true,
      password: 'gongxin-demo',
      accounts: [
        {
          id: 'citizen-zhang',
          label: { 'zh-CN': '市民 张三', en: 'Citizen Zhang San' },
          name: '张三',
          address: 'gx1x',
          privateKey: DEMO_KEY,
          verified: true,
          roles: [],
          kind: 'person',
          authority: null,
        },
        {
          id: 'welfare-caseworker',
          label: { 'zh-CN': '低保经办人（街道）', en: 'Welfare case worker' },
          name: '赵街道',
          address: 'gx1y',
          privateKey: DEMO_KEY,
          verified: true,
          roles: [
            {
              code: 'welfare:caseworker',
              app: { 'zh-CN': '最低生活保障', en: 'Minimum living allowance' },
              role: { 'zh-CN': '街道/乡镇经办人', en: 'Case worker' },
            },
          ],
          kind: 'person',
          authority: null,
        },
      ],
    });
    const wrapper = mount(LoginView, {
      props: { uid: 'u1' },
      global: { plugins: [createPinia(), ...plugins()] },
    });
    await flushPromises();
    // The suite's app by its name, not its client id.
    expect(wrapper.text()).toContain('最低生活保障 请求用你的共信护照登录');
    expect(wrapper.text()).not.toContain('welfare 请求');
    expect(wrapper.find('[data-test="login-no-account"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="demo-accounts"]').text()).toContain('gongxin-demo');
    expect(wrapper.find('[data-test="demo-account-citizen-zhang"]').exists()).toBe(true);
    // A role in words (app · role), its code as the tag's title.
    const role = wrapper.get('[data-test="demo-role"]');
    expect(role.text()).toBe('最低生活保障 · 街道/乡镇经办人');
    expect(role.attributes('title')).toBe('welfare:caseworker');
  });

  it('tells the person when the sign-in expired', async () => {
    mocks.details.mockRejectedValue(new Error('gone'));
    const wrapper = mount(LoginView, {
      props: { uid: 'u2' },
      global: { plugins: [createPinia(), ...plugins()] },
    });
    await flushPromises();
    expect(wrapper.find('[data-test="login-expired"]').exists()).toBe(true);
  });

  it('asks for the password of an account on this device', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    await useKeyring().importDemoKey(DEMO_KEY, 'demo', 'gongxin-demo', 'ed25519-sha256');
    useKeyring().lock();
    mocks.details.mockResolvedValue({
      uid: 'u3',
      prompt: { name: 'login', reasons: [], details: {} },
      client: { id: 'food', name: 'food', firstParty: true },
      scopes: ['openid'],
      accountId: null,
      demo: false,
    });
    const wrapper = mount(LoginView, { props: { uid: 'u3' }, global: { plugins: [pinia, ...plugins()] } });
    await flushPromises();
    expect(wrapper.find('[data-test="login-password"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="login-continue"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="demo-accounts"]').exists()).toBe(false);
  });
});

describe('registration', () => {
  it('validates the ID number’s check digit as it is typed', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    await useKeyring().importDemoKey(DEMO_KEY, 'mine', 'password-1', 'ed25519-sha256');
    mocks.status.mockResolvedValue({ kind: 'person', registered: true, verified: false, application: null });
    const wrapper = mount(RegisterView, { global: { plugins: [pinia, ...plugins()] } });
    await flushPromises();
    await wrapper.find('[data-test="reg-use-existing"]').trigger('click');
    await flushPromises();
    await wrapper.find('[data-test="reg-chain-submit"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="reg-step-details"]').exists()).toBe(true);

    await wrapper.find('[data-test="reg-name"]').setValue('张三');
    await wrapper.find('[data-test="reg-id-number"]').setValue('11010519491231003X');
    await flushPromises();
    expect(wrapper.find('[data-test="reg-id-error"]').text()).toContain('校验码不符');
    expect(wrapper.find('[data-test="reg-details-next"]').attributes('disabled')).toBeDefined();

    await wrapper.find('[data-test="reg-id-number"]').setValue('11010519491231002X');
    await flushPromises();
    expect(wrapper.find('[data-test="reg-id-ok"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="reg-details-next"]').attributes('disabled')).toBeUndefined();
  });
});

describe('my passport', () => {
  /** The profile page of the account signed in with the key on this device, in `lang`. */
  async function profile(
    lang: 'zh-CN' | 'en' = 'zh-CN',
    more: {
      roles?: { app: string; role: string }[];
      grants?: { id: string; clientId: string; scope: string }[];
      clientNames?: Record<string, string>;
      authority?: { name: string; scopes: string[] };
      attestation?: Record<string, unknown>;
      /** The apps as the server groups them; by default one per grant above. */
      apps?: {
        clientId: string;
        firstParty: boolean;
        name: string | null;
        scopes: string[];
        since: string | null;
        grants: number;
        sessions: number;
      }[];
    } = {},
  ) {
    const pinia = createPinia();
    setActivePinia(pinia);
    const account = await useKeyring().importDemoKey(DEMO_KEY, '张三', 'password-1', 'ed25519-sha256');
    const address = account.address;
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        Response.json({ did: `did:gx:${address}`, address, roles: [], name: '张三', sessionId: 's1' }),
      ),
    );
    mocks.me.mockResolvedValue({
      address,
      did: `did:gx:${address}`,
      name: '张三',
      account: { kind: 'person' },
      verified: true,
      application: null,
      attestation: more.attestation ?? null,
      roles: more.roles ?? [],
      authority: more.authority ?? null,
      officer: false,
      keys: { rotated: false, keys: [] },
    });
    mocks.sessions.mockResolvedValue({
      sessions: [
        {
          id: 's1',
          loginAt: '2026-12-06T06:00:00.000Z',
          expiresAt: '2026-12-06T14:00:00.000Z',
          clients: ['passport'],
        },
      ],
      grants: more.grants ?? [],
      clientNames: more.clientNames ?? {},
      apps:
        more.apps ??
        (more.grants ?? []).map((g) => ({
          clientId: g.clientId,
          firstParty: !more.clientNames?.[g.clientId],
          name: more.clientNames?.[g.clientId] ?? null,
          scopes: g.scope.split(' '),
          since: '2026-12-06T06:00:00.000Z',
          grants: 1,
          sessions: 1,
        })),
    });
    mocks.apps.mockResolvedValue([
      {
        id: 'solar',
        title: { 'zh-CN': '能源链', en: 'Solar energy' },
        roles: [{ id: 'operator', label: { 'zh-CN': '电网运营方', en: 'Grid operator' } }],
      },
    ]);
    const [i18n, router] = plugins();
    (i18n as ReturnType<typeof createSuiteI18n>).global.locale.value = lang;
    const wrapper = mount(ProfileView, {
      global: { plugins: [pinia, i18n!, router!, appIdPlugin('passport')] },
    });
    await flushPromises();
    return { wrapper, address };
  }

  it('saves the key as a backup file that brings the account back with its password', async () => {
    const saved: Blob[] = [];
    const names: string[] = [];
    const createObjectURL = (b: Blob) => {
      saved.push(b);
      return 'blob:backup';
    };
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      names.push(this.download);
    });
    const { wrapper, address } = await profile();
    await wrapper.find('[data-test="key-backup"]').trigger('click');
    expect(names).toEqual([expect.stringContaining(address)]);

    // A new device: the file and the password restore the same account.
    localStorage.clear();
    setActivePinia(createPinia());
    const restored = await useKeyring().importBackup(await saved[0]!.text(), 'password-1');
    expect(restored.address).toBe(address);
    click.mockRestore();
    vi.unstubAllGlobals();
  });

  it('shows the sign-in sessions in the page’s language', async () => {
    const { wrapper } = await profile();
    const shown = wrapper.find('[data-test="profile-sessions"]').text();
    expect(shown).toContain('2026年12月6日');
    expect(shown).not.toMatch(/AM|PM/);
    const english = await profile('en');
    expect(english.wrapper.find('[data-test="profile-sessions"]').text()).toContain('Dec 6, 2026');
    vi.unstubAllGlobals();
  });

  it('names roles, the authorised app and its scopes in the page’s language', async () => {
    const more = {
      roles: [
        { app: 'solar', role: 'operator' },
        { app: 'solar', role: 'auditor' },
      ],
      grants: [
        { id: 'g1', clientId: 'passport', scope: 'openid profile roles gongxin' },
        { id: 'g2', clientId: 'c-3f9a', scope: 'openid' },
      ],
      clientNames: { 'c-3f9a': '社区食堂' },
    };
    const { wrapper } = await profile('zh-CN', more);
    const roles = wrapper.findAll('[data-test="profile-role"]').map((r) => r.text());
    // A role the manifest does not name keeps its id, under its app's name.
    expect(roles).toEqual(['能源链 · 电网运营方', '能源链 · auditor']);
    const grants = wrapper.findAll('[data-test="profile-grant"]');
    // A third-party app by the name it was registered under.
    expect(grants[1]!.text()).toBe('社区食堂 · 可读取你的链上账户与 DID');
    const grant = grants[0]!.text();
    expect(grant).toContain('护照');
    expect(grant).toContain('可读取你的链上账户与 DID；你的实名姓名与认证状态；你在各应用中的角色');
    expect(grant).not.toContain('openid');
    expect(wrapper.find('[data-test="profile-sessions"]').text()).not.toContain('passport');

    const english = await profile('en', more);
    expect(english.wrapper.find('[data-test="profile-role"]').text()).toBe('Solar energy · Grid operator');
    expect(english.wrapper.find('[data-test="profile-grant"]').text()).toContain('Passport');
    expect(english.wrapper.find('[data-test="profile-grant"]').text()).toContain(
      'may read your chain account and DID;',
    );
    vi.unstubAllGlobals();
  });

  it('lists each authorised app once, as what it is, and revokes the whole app', async () => {
    const since = '2026-12-06T06:00:00.000Z';
    const apps = [
      {
        clientId: 'passport',
        firstParty: true,
        name: null,
        scopes: ['openid'],
        since,
        grants: 2,
        sessions: 2,
      },
      {
        clientId: 'welfare',
        firstParty: true,
        name: null,
        scopes: ['openid'],
        since,
        grants: 3,
        sessions: 2,
      },
      {
        clientId: 'c-3f9a',
        firstParty: false,
        name: '社区食堂',
        scopes: ['openid'],
        since,
        grants: 1,
        sessions: 1,
      },
    ];
    const { wrapper } = await profile('zh-CN', { apps, clientNames: { 'c-3f9a': '社区食堂' } });
    const rows = wrapper.findAll('[data-test="profile-app"]');
    expect(rows.map((r) => r.get('[data-test="profile-grant"] strong').text())).toEqual([
      '护照',
      '最低生活保障',
      '社区食堂',
    ]);
    expect(rows[0]!.text()).toContain('护照本身');
    expect(rows[0]!.text()).toContain('2 个登录会话在用');
    // The passport itself is withdrawn by ending its session, not from here.
    expect(rows[0]!.find('[data-test="revoke-grant"]').exists()).toBe(false);
    expect(rows[1]!.text()).toContain('套件应用');
    expect(rows[1]!.text()).toContain('2026年12月6日');
    expect(rows[2]!.text()).toContain('第三方应用');
    mocks.revokeApp.mockResolvedValue({ revoked: 3 });
    await rows[1]!.get('[data-test="revoke-grant"]').trigger('click');
    await flushPromises();
    expect(mocks.revokeApp).toHaveBeenCalledWith({ clientId: 'welfare' });

    const english = await profile('en', { apps, clientNames: { 'c-3f9a': '社区食堂' } });
    const first = english.wrapper.get('[data-test="profile-app"]').text();
    expect(first).toContain('This passport');
    expect(first).toContain('used by 2 sign-in sessions');
    vi.unstubAllGlobals();
  });

  it('says who attested in words and links the block and the transaction to the explorer', async () => {
    const atGenesis = { by: 'genesis', genesis: true, byName: null, at: 0, txId: null, kind: 'person' };
    const { wrapper } = await profile('zh-CN', { attestation: atGenesis });
    const card = wrapper.get('[data-test="profile-attestation"]');
    const by = card.get('[data-test="profile-attested-by"]').text();
    expect(by).toContain('创世配置');
    expect(by).not.toMatch(/\bgenesis\b/);
    const block = card.get('[data-test="profile-attested-at"] a[data-test="block-link"]');
    expect(block.attributes('href')).toBe(explorerLinks.block(0));
    expect(block.text()).toBe('创世区块 #0');
    expect(card.find('[data-test="tx-link"]').exists()).toBe(false);
    const english = await profile('en', { attestation: atGenesis });
    expect(english.wrapper.get('[data-test="profile-attested-by"]').text()).toContain('genesis document');

    const txId = 'ab'.repeat(32);
    const byAuthority = {
      by: 'gx1authority',
      genesis: false,
      byName: '民政局',
      at: 12,
      txId,
      kind: 'person',
    };
    const later = await profile('zh-CN', { attestation: byAuthority });
    const attested = later.wrapper.get('[data-test="profile-attestation"]');
    expect(attested.get('[data-test="profile-attested-by"]').text()).toContain('民政局');
    const link = attested.get('[data-test="block-link"]');
    expect(link.attributes('href')).toBe(explorerLinks.block(12));
    expect(link.text()).toBe('#12');
    expect(attested.get('[data-test="tx-link"]').attributes('href')).toBe(explorerLinks.tx(txId));
    vi.unstubAllGlobals();
  });

  it('names an authority’s scopes in the page’s language, not as codes', async () => {
    const authority = { name: '民政局', scopes: ['identity', 'welfare'] };
    const { wrapper } = await profile('zh-CN', { authority });
    const line = wrapper.get('[data-test="profile-authority"]').text();
    expect(line).toBe('民政局 · 机构权限：身份认证、最低生活保障');
    const english = await profile('en', { authority });
    const words = english.wrapper.get('[data-test="profile-authority"]').text();
    expect(words).toContain('Identity');
    expect(words).not.toMatch(/\bidentity\b|\bwelfare\b/);
    vi.unstubAllGlobals();
  });
});

describe('home page', () => {
  it("puts a newcomer's next step first, then where their information is kept, under its heading", async () => {
    mocks.info.mockResolvedValue({ verifier: { development: true } });
    mocks.me.mockRejectedValue(new Error('not signed in'));
    const wrapper = mount(HomeView, { global: { plugins: plugins() } });
    await flushPromises();
    const html = wrapper.html();
    expect(wrapper.find('[data-test="home-register"]').exists()).toBe(true);
    // On a phone the cards stack: the one with "start registration" must not sit below the explanation.
    expect(html.indexOf('data-test="home-status"')).toBeLessThan(html.indexOf('data-test="home-data"'));
    expect(wrapper.get('[data-test="home-data"] .el-card__header').text()).toBe('你的信息存在哪里');
    expect(wrapper.get('[data-test="home-data"]').text()).toContain('链上只有');
  });
});
