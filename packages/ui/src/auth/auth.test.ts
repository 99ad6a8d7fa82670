import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import RequireLogin from '../components/require-login.vue';
import RequireRole from '../components/require-role.vue';
import { createSuiteI18n } from '../i18n';
import { json, mockFetch } from '../testing/fetch-mock';
import { type SessionUser, useAuth } from './store';

const officer: SessionUser = {
  did: 'did:gx:gx1example',
  address: 'gx1example',
  roles: [{ app: 'welfare', role: 'officer' }],
  name: '李四',
  sessionId: 's1',
};

let session: SessionUser | null;
let assigned: string[];

beforeEach(() => {
  setActivePinia(createPinia());
  session = officer;
  assigned = [];
  vi.stubGlobal('location', {
    ...window.location,
    pathname: '/welfare/cases',
    search: '?page=2',
    hash: '#top',
    assign: (url: string) => assigned.push(url),
  });
});

afterEach(() => vi.unstubAllGlobals());

function sessionRoutes(logoutAnswer: ReturnType<typeof json> = { status: 204, body: undefined }) {
  return mockFetch((req) => {
    if (req.path === '/welfare/auth/me')
      return session ? json(session) : json({ error: { code: 'unauthorized' } }, 401);
    if (req.path === '/welfare/auth/logout' && req.method === 'POST') {
      session = null;
      return logoutAnswer;
    }
    return undefined;
  });
}

describe('useAuth', () => {
  it('loads the session user once, answers roles, and is null after a 401', async () => {
    const requests = sessionRoutes();
    const auth = useAuth('welfare');
    expect(auth.me).toBeNull();
    const [a, b] = await Promise.all([auth.load(), auth.load()]);
    expect(a).toEqual(officer);
    expect(b).toEqual(officer);
    await auth.load();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.init?.credentials).toBe('same-origin');
    expect(auth.loggedIn).toBe(true);
    expect(auth.hasRole('welfare', 'officer')).toBe(true);
    expect(auth.hasRole('welfare', 'auditor')).toBe(false);
    expect(auth.hasRole('parking', 'officer')).toBe(false);

    session = null;
    expect(await auth.refresh()).toBeNull();
    expect(auth.loggedIn).toBe(false);
    expect(auth.hasRole('welfare', 'officer')).toBe(false);
  });

  it('keeps one store per app and refuses ids that are not app paths', () => {
    expect(useAuth('welfare')).toBe(useAuth('welfare'));
    expect(useAuth('welfare')).not.toBe(useAuth('parking'));
    expect(() => useAuth('../passport')).toThrow('not an app id');
  });

  it('sends people to the app’s login route with where to come back to', () => {
    const auth = useAuth('welfare');
    auth.login();
    auth.login('/welfare/#/apply?x=1&y=2');
    expect(assigned).toEqual([
      `/welfare/auth/login?returnTo=${encodeURIComponent('/welfare/cases?page=2#top')}`,
      '/welfare/auth/login?returnTo=%2Fwelfare%2F%23%2Fapply%3Fx%3D1%26y%3D2',
    ]);
  });

  it('logs out with a POST and follows the end-session redirect the server gives', async () => {
    const requests = sessionRoutes(json({ redirect: '/passport/oidc/session/end?x=1' }));
    const auth = useAuth('welfare');
    await auth.load();
    await auth.logout();
    const post = requests.find((r) => r.path === '/welfare/auth/logout')!;
    expect(post.method).toBe('POST');
    expect(post.init?.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(auth.me).toBeNull();
    expect(assigned).toEqual(['/passport/oidc/session/end?x=1']);
  });

  it('does not follow a redirect that is not a web address', async () => {
    sessionRoutes(json({ redirect: 'javascript:alert(1)' }));
    const auth = useAuth('welfare');
    await auth.logout();
    expect(assigned).toEqual([]);
    expect(auth.me).toBeNull();
  });

  it('reports a broken session route as an error, not as logged out', async () => {
    mockFetch(() => json({}, 502));
    const auth = useAuth('welfare');
    await expect(auth.load()).rejects.toMatchObject({ status: 502 });
    expect(auth.error).toBeTruthy();
    expect(auth.loaded).toBe(false);
  });
});

describe('<RequireLogin> and <RequireRole>', () => {
  function mountGuard(component: unknown, props: Record<string, unknown>) {
    const i18n = createSuiteI18n({ 'zh-CN': {}, en: {} });
    const Host = defineComponent(
      () => () =>
        h(component as never, props, {
          default: ({ user }: { user: SessionUser }) => h('p', { 'data-test': 'secret' }, user.name),
        }),
    );
    return mount(Host, { global: { plugins: [i18n] } });
  }

  it('shows the content to a logged-in person', async () => {
    sessionRoutes();
    const wrapper = mountGuard(RequireLogin, { app: 'welfare' });
    expect(wrapper.find('[data-test="auth-checking"]').exists()).toBe(true);
    await flushPromises();
    expect(wrapper.find('[data-test="secret"]').text()).toBe('李四');
  });

  it('shows a login button to anonymous people', async () => {
    session = null;
    sessionRoutes();
    const wrapper = mountGuard(RequireLogin, { app: 'welfare', returnTo: '/welfare/#/mine' });
    await flushPromises();
    expect(wrapper.find('[data-test="secret"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="login-required"]').text()).toContain('请先登录');
    await wrapper.find('[data-test="login-button"]').trigger('click');
    expect(assigned).toEqual([`/welfare/auth/login?returnTo=${encodeURIComponent('/welfare/#/mine')}`]);
  });

  it('shows the content only with the role, and names the role otherwise', async () => {
    sessionRoutes();
    const allowed = mountGuard(RequireRole, { app: 'welfare', role: 'officer' });
    await flushPromises();
    expect(allowed.find('[data-test="secret"]').exists()).toBe(true);

    const refused = mountGuard(RequireRole, { app: 'welfare', role: 'auditor' });
    await flushPromises();
    expect(refused.find('[data-test="secret"]').exists()).toBe(false);
    expect(refused.find('[data-test="role-required"]').text()).toContain('需要角色 welfare/auditor');
  });

  it('says why a sign-in failed when passport sent the person back with an error', async () => {
    session = null;
    sessionRoutes();
    vi.stubGlobal('location', { ...window.location, search: '?login_error=expired', assign: () => {} });
    const wrapper = mountGuard(RequireLogin, { app: 'welfare' });
    await flushPromises();
    expect(wrapper.find('[data-test="login-error"]').text()).toBe('登录已过期，请重新登录。');
  });

  it('asks anonymous people to log in before talking about roles', async () => {
    session = null;
    sessionRoutes();
    const wrapper = mountGuard(RequireRole, { app: 'welfare', role: 'officer' });
    await flushPromises();
    expect(wrapper.find('[data-test="login-button"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="role-required"]').exists()).toBe(false);
  });
});
