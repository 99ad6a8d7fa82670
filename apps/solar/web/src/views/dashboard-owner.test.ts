// The dashboard opens on the signed-in owner's own plant, the first they registered, rather than the
// first plant by id; anyone else (signed out, or with no plant) gets the first plant of the list.
import { appIdPlugin, configureUi, createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';

const OWNER = 'gx1zhangwei000000000000000000';
const OTHER = 'gx1lvyuanfarm0000000000000000';
const mocks = vi.hoisted(() => ({
  me: null as { address: string } | null,
  get: vi.fn(),
}));

const plant = (id: string, owner: string, height: number, name: string) => ({
  id,
  owner,
  name,
  height,
  capacityW: '30000',
  exportWh: '0',
  meters: 1,
  certified: true,
});

vi.mock('../api', () => ({
  api: {
    plants: {
      // By id, as the server lists them: another owner's plant first, then the owner's two, the later
      // registered one before the earlier.
      list: {
        query: async () => [
          plant('a-yancheng', OTHER, 3, '盐城绿源渔光互补电站'),
          plant('b-minhang-2', OWNER, 9, '闵行张家二号'),
          plant('c-minhang-1', OWNER, 5, '闵行张家屋顶光伏'),
        ],
      },
      get: { query: mocks.get },
    },
    health: { query: async () => ({ meters: [], rejects: [] }) },
    points: { query: async () => null },
  },
}));

vi.mock('@gongxin/ui', async (original) => ({
  ...(await original<typeof import('@gongxin/ui')>()),
  useAuth: () => ({ me: mocks.me, load: async () => mocks.me, hasRole: () => false }),
}));

vi.mock('../components/generation-chart.vue', async () => {
  const { defineComponent, h } = await import('vue');
  return { default: defineComponent({ setup: () => () => h('div') }) };
});

const DashboardView = (await import('./dashboard-view.vue')).default;

beforeEach(() => {
  configureUi();
  mocks.get.mockReset().mockImplementation(async ({ id }: { id: string }) => ({
    plant: { id, name: `plant ${id}` },
    meters: [],
    curve: [],
    forecast: [],
    intervals: [],
  }));
});

async function opened() {
  const wrapper = mount(DashboardView, {
    global: { plugins: [appIdPlugin('solar'), createSuiteI18n({ 'zh-CN': zhCN, en })] },
  });
  await vi.waitFor(async () => {
    await flushPromises();
    expect(mocks.get).toHaveBeenCalled();
  });
  wrapper.unmount();
  return mocks.get.mock.calls[0]![0] as { id: string };
}

describe('the plant the dashboard opens on', () => {
  it("is the signed-in owner's first registered plant", async () => {
    mocks.me = { address: OWNER };
    expect(await opened()).toEqual({ id: 'c-minhang-1' });
  });

  it('is the first plant for a visitor who is not signed in', async () => {
    mocks.me = null;
    expect(await opened()).toEqual({ id: 'a-yancheng' });
  });

  it('is the first plant for a signed-in party without a plant', async () => {
    mocks.me = { address: 'gx1suzhoubuyer0000000000000000' };
    expect(await opened()).toEqual({ id: 'a-yancheng' });
  });
});
