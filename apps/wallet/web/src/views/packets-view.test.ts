// A red packet's expiry is signed into the tx and the chain judges it by block time, so the page sets it on
// the deployment clock: hours from that clock's now, whatever this device's clock says, and nothing is
// signed (with the reason in words) when the server's clock cannot be read.
import { appIdPlugin, createSuiteI18n } from '@gongxin/ui';
import { forgetDeploymentClock, jsonResponse, serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { computed } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';

const me = 'gx13nrr3ehgc3fzpmkk7rlt88fsqmaakeqv90m0gg';
const DAY = 86_400_000;
const HOUR = 3_600_000;

const mocks = vi.hoisted(() => ({ sign: vi.fn() }));

vi.mock('../api', () => ({
  api: {
    balances: {
      query: async () => [
        {
          symbol: 'CNYX',
          name: '数字人民币券',
          decimals: 2,
          issuer: me,
          policy: 'mintable',
          amount: '123456',
          frozen: false,
        },
      ],
    },
    packets: { mine: { query: async () => ({ created: [], claimed: [] }) } },
  },
}));
vi.mock('@gongxin/ui', async (original) => ({
  ...(await original<typeof import('@gongxin/ui')>()),
  useAppSigner: () => ({
    address: computed(() => me),
    hasKey: computed(() => true),
    sign: mocks.sign,
  }),
}));

import PacketsView from './packets-view.vue';

/** The session route answers for `me`; everything else is the caller's. */
const signedIn = async (input: RequestInfo | URL) =>
  String(input).endsWith('/wallet/auth/me')
    ? jsonResponse({ did: `did:gx:${me}`, address: me, roles: [], sessionId: 's' })
    : jsonResponse({}, 404);

async function mountPackets() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/packets', component: { template: '<div />' } }],
  });
  await router.push('/packets');
  const wrapper = mount(PacketsView, {
    global: { plugins: [appIdPlugin('wallet'), createSuiteI18n({ 'zh-CN': zhCN, en }), router] },
    attachTo: document.body,
  });
  await flushPromises();
  await flushPromises();
  return wrapper;
}

async function handOut(wrapper: Awaited<ReturnType<typeof mountPackets>>) {
  await wrapper.get('input[data-test="packet-total"]').setValue('30');
  await wrapper.get('[data-test="packet-form"]').trigger('submit');
  await flushPromises();
}

beforeEach(() => {
  setActivePinia(createPinia());
  mocks.sign.mockReset();
  mocks.sign.mockResolvedValue({ id: 'ab'.repeat(32), height: 7, blockHash: '00', ok: true, events: [] });
});
afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

describe('red packets on a deployment clock ten days behind this device', () => {
  it("signs an expiry a day from that clock's now", async () => {
    serveDeploymentClock(-10 * DAY, signedIn);
    const wrapper = await mountPackets();
    await handOut(wrapper);
    expect(mocks.sign).toHaveBeenCalledTimes(1);
    const [[action]] = mocks.sign.mock.calls[0]! as [[{ name: string; params: { expiresAt: number } }]];
    expect(action.name).toBe('createPacket');
    const expected = Date.now() - 10 * DAY + 24 * HOUR;
    expect(Math.abs(action.params.expiresAt - expected)).toBeLessThan(60_000);
  });

  it("signs nothing and says why when the server's clock cannot be read", async () => {
    forgetDeploymentClock();
    vi.stubGlobal('fetch', async (input: RequestInfo | URL) =>
      String(input).endsWith('/api/clock') ? jsonResponse({ error: 'unavailable' }, 503) : signedIn(input),
    );
    const wrapper = await mountPackets();
    await handOut(wrapper);
    expect(mocks.sign).not.toHaveBeenCalled();
    expect(wrapper.get('[data-test="packet-error"]').text()).toBe('暂时读不到服务器时间，请稍后再试。');
  });
});
