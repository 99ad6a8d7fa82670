// The registry's dates follow the deployment clock (block times, and so every deadline on chain, follow
// it), not this device's: a console's report year and delivery window, a certificate checked as of today,
// and a certificate's validity — its start signed into the tx, refused when the server's clock is unread.
import { appIdPlugin, createSuiteI18n } from '@gongxin/ui';
import { forgetDeploymentClock, jsonResponse, serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Component } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { chinaDate } from './api';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const DAY = 86_400_000;
const mocks = vi.hoisted(() => ({ verify: vi.fn(), sign: vi.fn() }));

vi.mock('./api', async (original) => ({
  ...(await original<typeof import('./api')>()),
  api: {
    enterprises: { search: { query: async () => [] } },
    authorities: { query: async () => [] },
    certificates: { verify: { query: mocks.verify }, list: { query: async () => [] } },
  },
}));
vi.mock('@gongxin/ui', async (original) => {
  const { defineComponent } = await import('vue');
  const pass = defineComponent({
    setup:
      (_, { slots }) =>
      () =>
        slots.default?.(),
  });
  return {
    ...(await original<typeof import('@gongxin/ui')>()),
    useAuth: () => ({ me: { address: 'gx1certifier', roles: [] }, hasRole: () => true }),
    useAppSigner: () => ({ sign: mocks.sign }),
    RequireLogin: pass,
    VerifyRecord: pass,
    TxLink: pass,
  };
});

const ConsoleView = (await import('./views/console-view.vue')).default;
const VerifyView = (await import('./views/verify-view.vue')).default;
const CertifyView = (await import('./views/certify-view.vue')).default;

/** Now on the deployment clock of these tests: 400 days behind the device (another year). */
const chainNow = () => Date.now() - 400 * DAY;

async function render(view: Component) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/verify/:id', component: view }],
  });
  await router.push('/verify/cert-1');
  const wrapper = mount(view, {
    global: { plugins: [appIdPlugin('registry'), createSuiteI18n({ 'zh-CN': zhCN, en }), router] },
  });
  await flushPromises();
  return wrapper;
}
const inputValue = (wrapper: Awaited<ReturnType<typeof render>>, test: string) =>
  (wrapper.get(`input[data-test="${test}"], [data-test="${test}"] input`).element as HTMLInputElement).value;

beforeEach(() => {
  serveDeploymentClock(-400 * DAY);
  mocks.verify.mockReset();
  mocks.sign.mockReset();
});
afterEach(() => vi.unstubAllGlobals());

describe('the registry on a deployment clock 400 days behind the device', () => {
  it("defaults the console's report year and delivery window to that clock", async () => {
    const wrapper = await render(ConsoleView);
    expect(Number(inputValue(wrapper, 'report-year'))).toBe(Number(chinaDate(chainNow()).slice(0, 4)) - 1);
    expect(inputValue(wrapper, 'post-from')).toBe(chinaDate(chainNow() + 7 * DAY));
    expect(inputValue(wrapper, 'post-until')).toBe(chinaDate(chainNow() + 60 * DAY));
  });

  it("checks a certificate as of that clock's today", async () => {
    mocks.verify.mockRejectedValue(new Error('not found'));
    const wrapper = await render(VerifyView);
    expect(mocks.verify.mock.calls.map(([input]) => input)).toEqual([
      { id: 'cert-1', at: chinaDate(chainNow()) },
    ]);
    wrapper.unmount();
  });

  it("dates a certificate's validity on that clock, its start signed into the tx", async () => {
    mocks.sign.mockResolvedValue({ id: 'tx-1' });
    const wrapper = await render(CertifyView);
    expect(inputValue(wrapper, 'cert-until')).toBe(chinaDate(chainNow() + 5 * 365 * DAY));
    await wrapper.get('[data-test="cert-submit"]').trigger('click');
    await flushPromises();
    const [[actions]] = mocks.sign.mock.calls as [[{ params: { validFrom: number; validUntil: number } }[]]];
    expect(Math.abs(actions[0]!.params.validFrom - (chainNow() - 60_000))).toBeLessThan(60_000);
    expect(actions[0]!.params.validUntil).toBe(
      Date.parse(`${chinaDate(chainNow() + 5 * 365 * DAY)}T23:59:59+08:00`),
    );
    wrapper.unmount();
  });

  it("signs nothing, and says why, when the server's clock cannot be read", async () => {
    forgetDeploymentClock();
    vi.stubGlobal('fetch', async () => jsonResponse({ error: 'unavailable' }, 503));
    const wrapper = await render(CertifyView);
    await wrapper.get('[data-test="cert-submit"]').trigger('click');
    await flushPromises();
    expect(mocks.sign).not.toHaveBeenCalled();
    expect(wrapper.get('[data-test="certify-error"]').text()).toContain('暂时读不到服务器时间');
    wrapper.unmount();
  });
});
