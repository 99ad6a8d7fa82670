// The register's dates follow the deployment clock (block times follow it), not this device's: a work is
// created yesterday by default and never after today on that clock, and a reviewer's suggested
// registration number carries its year.
import { appIdPlugin, createSuiteI18n } from '@gongxin/ui';
import { serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { flushPromises, mount } from '@vue/test-utils';
import { ElDatePicker } from 'element-plus';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { computed } from 'vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const DAY = 86_400_000;
const mocks = vi.hoisted(() => ({ search: vi.fn(), get: vi.fn() }));

vi.mock('./api', () => ({
  api: {
    works: {
      stats: { query: async () => ({ byStatus: { pending: 1 }, turnover: [], byCategory: [], byMonth: [] }) },
      search: { query: mocks.search },
      get: { query: mocks.get },
      similarToFile: { query: vi.fn() },
    },
  },
  certificateUrl: (id: string) => `/copyright/api/works/${id}/certificate.pdf`,
  fileContent: vi.fn(),
  uploadFile: vi.fn(),
}));
vi.mock('./codes', () => ({ browserCodes: vi.fn(), mediaTypeOf: () => 'text/plain' }));
vi.mock('./components/stats-chart.vue', () => ({ default: { render: () => null } }));
vi.mock('@gongxin/ui', async (original) => {
  const { defineComponent } = await import('vue');
  return {
    ...(await original<typeof import('@gongxin/ui')>()),
    useAppSigner: () => ({ address: computed(() => 'gx1reviewer'), sign: vi.fn() }),
    useAuth: () => ({
      me: { address: 'gx1reviewer', roles: [{ app: 'copyright', role: 'reviewer' }] },
      load: async () => null,
    }),
    RequireLogin: defineComponent({
      setup:
        (_, { slots }) =>
        () =>
          slots.default?.(),
    }),
  };
});

const RegisterView = (await import('./views/register-view.vue')).default;
const ReviewView = (await import('./views/review-view.vue')).default;

const plugins = () => [appIdPlugin('copyright'), createSuiteI18n({ 'zh-CN': zhCN, en })];
const day = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

describe('the register on a deployment clock ten days behind the device', () => {
  it('defaults the creation date to yesterday on that clock and refuses dates after its today', async () => {
    serveDeploymentClock(-10 * DAY);
    const wrapper = mount(RegisterView, { global: { plugins: plugins() }, attachTo: document.body });
    await flushPromises();
    const [created, published] = wrapper.findAllComponents(ElDatePicker);
    const value = created!.props('modelValue') as Date;
    expect(Math.abs(value.getTime() - (Date.now() - 11 * DAY))).toBeLessThan(60_000);
    expect((created!.find('input').element as HTMLInputElement).value).toBe(day(value));
    // Five days ago on this device lies five days after today on the chain's clock.
    const disabled = published!.props('disabledDate') as (d: Date) => boolean;
    expect(disabled(new Date(Date.now() - 5 * DAY))).toBe(true);
    expect(disabled(new Date(Date.now() - 12 * DAY))).toBe(false);
  });
});

describe('the review queue on a deployment clock a year and more behind the device', () => {
  it("suggests a registration number in that clock's year", async () => {
    serveDeploymentClock(-400 * DAY);
    const work = { id: 'w1', title: '春', category: 'text', height: 42, status: 'pending' };
    mocks.search.mockResolvedValue([work]);
    mocks.get.mockResolvedValue({ ...work, similar: [] });
    const wrapper = mount(ReviewView, {
      global: {
        plugins: plugins(),
        stubs: { WorkCard: { template: '<div><slot /></div>' }, RouterLink: true },
      },
    });
    await flushPromises();
    const year = new Date(Date.now() - 400 * DAY).getFullYear();
    const regNo = wrapper.get('input[data-test="review-regno"]').element as HTMLInputElement;
    expect(regNo.value).toBe(`国作登字-${year}-A-00000042`);
  });
});
