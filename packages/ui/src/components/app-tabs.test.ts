// An app's tab bar: a router link per tab named from the app's messages, the staff tabs hidden from a
// signed-in person without their roles, the current page's tab marked.
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { appIdPlugin } from '../app-id';
import { type SessionUser, useAuth } from '../auth/store';
import { createSuiteI18n } from '../i18n';
import { mockSession } from '../testing/fetch-mock';
import AppTabs from './app-tabs.vue';

const TABS = [
  { key: 'public', path: '/' },
  { key: 'payments', path: '/payments' },
  { key: 'workbench', path: '/workbench', roles: ['caseworker', 'reviewer'] },
  { key: 'cycles', path: '/cycles', roles: ['treasurer'] },
];
const NAMES = { public: '公示', payments: '我的发放', workbench: '工作台', cycles: '发放周期' };

const citizen: SessionUser = {
  did: 'did:gx:gx1citizen',
  address: 'gx1citizen',
  roles: [{ app: 'passport', role: 'citizen' }],
  sessionId: 's1',
};

async function render(at: string, me: SessionUser | null) {
  mockSession('welfare', () => me);
  const pinia = createPinia();
  setActivePinia(pinia);
  const page = { template: '<p />' };
  const router = createRouter({
    history: createMemoryHistory(),
    routes: TABS.map((tab) => ({ path: tab.path, component: page })),
  });
  await router.push(at);
  const i18n = createSuiteI18n({ 'zh-CN': { wf: { nav: NAMES } }, en: {} });
  const wrapper = mount(AppTabs, {
    props: { tabs: TABS, labels: 'wf.nav' },
    global: { plugins: [appIdPlugin('welfare'), i18n, pinia, router] },
  });
  await useAuth('welfare').refresh();
  await flushPromises();
  return wrapper;
}

describe('<AppTabs>', () => {
  afterEach(() => {
    setActivePinia(undefined);
    vi.unstubAllGlobals();
  });

  it('renders a link per tab, named from the app’s messages, to the tab’s page', async () => {
    const wrapper = await render('/', null);
    const links = wrapper.findAll('[data-test="nav"] a');
    expect(links.map((a) => a.attributes('data-test'))).toEqual([
      'nav-public',
      'nav-payments',
      'nav-workbench',
      'nav-cycles',
    ]);
    expect(links.map((a) => a.text())).toEqual(['公示', '我的发放', '工作台', '发放周期']);
    expect(wrapper.get('[data-test="nav-payments"]').attributes('href')).toBe('/payments');
    expect(wrapper.get('nav').classes()).toEqual(expect.arrayContaining(['gx-app-tabs', 'gx-tabs']));
  });

  it('leaves out the tabs whose roles a signed-in person holds none of', async () => {
    const wrapper = await render('/', citizen);
    expect(wrapper.findAll('[data-test="nav"] a').map((a) => a.attributes('data-test'))).toEqual([
      'nav-public',
      'nav-payments',
    ]);
    expect(wrapper.find('[data-test="nav-workbench"]').exists()).toBe(false);
  });

  it('marks the current page’s tab, and only that one', async () => {
    const wrapper = await render('/payments', null);
    const active = wrapper.findAll('a.router-link-exact-active');
    expect(active.map((a) => a.attributes('data-test'))).toEqual(['nav-payments']);
    expect(wrapper.get('[data-test="nav-payments"]').attributes('aria-current')).toBe('page');
    expect(wrapper.get('[data-test="nav-public"]').classes()).not.toContain('router-link-active');
  });
});
