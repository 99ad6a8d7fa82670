// The settlement page for someone signed in without the alliance aggregator role: it says in the page's
// language who can settle, not the role's code.
import { appIdPlugin, createSuiteI18n } from '@gongxin/ui';
import { serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import en from './locales/en';
import zhCN from './locales/zh-CN';

vi.mock('./api', async (original) => ({
  ...(await original<typeof import('./api')>()),
  api: {
    dayRevenue: {
      query: async () => [
        {
          lot: 'p1',
          name: '虹桥天地 P1',
          operator: 'op1',
          operatorName: '虹桥停车',
          sessions: 1,
          gross: '1200',
          settled: '0',
          pending: '1200',
        },
      ],
    },
    statements: { query: async () => [] },
  },
}));
vi.mock('@gongxin/ui', async (original) => ({
  ...(await original<typeof import('@gongxin/ui')>()),
  useAuth: () => ({
    me: { address: 'gx1operator', roles: [{ app: 'parking', role: 'operator' }] },
    hasRole: (_app: string, role: string) => role === 'operator',
    load: async () => null,
  }),
  useAppSigner: () => ({ sign: vi.fn() }),
}));

const SettlementView = (await import('./views/settlement-view.vue')).default;

afterEach(() => vi.unstubAllGlobals());

describe('settlement without the aggregator role', () => {
  it('names who may settle in words, without the role code', async () => {
    serveDeploymentClock(0);
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/', component: SettlementView }],
    });
    await router.push('/');
    const wrapper = mount(SettlementView, {
      global: { plugins: [appIdPlugin('parking'), createSuiteI18n({ 'zh-CN': zhCN, en }), router] },
    });
    await flushPromises();
    const note = wrapper.get('[data-test="settle-role"]').text();
    expect(note).toContain('联盟结算方');
    expect(note).not.toMatch(/parking|aggregator/);
  });
});
