// The welfare pages' "now" is the deployment clock's (block times follow it), not this device's: finance's
// cycle view opens on that clock's month, and a 公示 notice still running on that clock can be objected to.
import { appIdPlugin, createSuiteI18n } from '@gongxin/ui';
import { serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const DAY = 86_400_000;
const mocks = vi.hoisted(() => ({ cycle: vi.fn(), notice: vi.fn() }));

vi.mock('./api', () => ({
  api: {
    cycles: { get: { query: mocks.cycle } },
    public: {
      areas: { query: async () => [] },
      aggregate: { query: async () => ({ months: [], caseload: [] }) },
      notice: { query: mocks.notice },
    },
  },
}));
vi.mock('@gongxin/ui', async (orig) => ({
  ...(await orig<typeof import('@gongxin/ui')>()),
  useAppSigner: () => ({ sign: vi.fn() }),
  useAuth: () => ({ me: { address: 'gx1zhao', roles: [] }, load: async () => null }),
}));
vi.mock('echarts/core', () => ({
  use: () => undefined,
  init: () => ({ setOption: () => undefined, dispose: () => undefined, resize: () => undefined }),
}));

const CycleView = (await import('./views/cycle-view.vue')).default;
const PublicView = (await import('./views/public-view.vue')).default;

const plugins = () => [appIdPlugin('welfare'), createSuiteI18n({ 'zh-CN': zhCN, en })];
const monthOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 7);

beforeEach(() => {
  mocks.cycle.mockReset();
  mocks.notice.mockReset();
});
afterEach(() => vi.unstubAllGlobals());

describe('welfare on a deployment clock behind the device', () => {
  it("opens the cycle view on that clock's month", async () => {
    // Forty days behind: always another month than this device's.
    serveDeploymentClock(-40 * DAY);
    const wrapper = mount(CycleView, { global: { plugins: plugins() } });
    await flushPromises();
    const period = wrapper.get('input[data-test="cycle-period"], [data-test="cycle-period"] input');
    expect((period.element as HTMLInputElement).value).toBe(monthOf(Date.now() - 40 * DAY));
    // Shown on arrival: that month's cycle, and no other.
    expect(mocks.cycle.mock.calls.map(([input]) => input)).toEqual([
      { area: '530702', period: monthOf(Date.now() - 40 * DAY) },
    ]);
  });

  it('offers an objection while a notice runs on that clock', async () => {
    serveDeploymentClock(-10 * DAY);
    // Ends in three days on the chain's clock: a week before this device's now.
    mocks.notice.mockResolvedValue([
      {
        application: 'app-1',
        area: '530702',
        areaName: '古城区',
        name: '赵*兰',
        category: 'urban',
        categoryZh: '城市低保',
        proposed: '70000',
        noticeEnds: Date.now() - 10 * DAY + 3 * DAY,
        openObjections: 0,
      },
    ]);
    const wrapper = mount(PublicView, { global: { plugins: plugins() } });
    await flushPromises();
    expect(wrapper.findAll('[data-test="notice-row"]')).toHaveLength(1);
    expect(wrapper.find('[data-test="notice-object"]').exists()).toBe(true);
  });
});
