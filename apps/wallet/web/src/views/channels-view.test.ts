// The channels page without a channel node at its address: it says so once, with how to start one, asks
// less and less often, and not at all while the page is hidden.
import { appIdPlugin, configureUi, createSuiteI18n, explorerLinks } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';
import ChannelsView from './channels-view.vue';

let nodeAsks = 0;
let hidden = false;

function setHidden(value: boolean) {
  hidden = value;
  document.dispatchEvent(new Event('visibilitychange'));
}

beforeEach(() => {
  setActivePinia(createPinia());
  configureUi();
  localStorage.clear();
  nodeAsks = 0;
  hidden = false;
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => (hidden ? 'hidden' : 'visible'));
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      if (String(input).startsWith('http://127.0.0.1:7400/')) {
        nodeAsks++;
        throw new TypeError('Failed to fetch');
      }
      return new Response('{}', { status: 404 });
    }),
  );
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

async function mountChannels() {
  const wrapper = mount(ChannelsView, {
    global: { plugins: [appIdPlugin('wallet'), createSuiteI18n({ 'zh-CN': zhCN, en })] },
    attachTo: document.body,
  });
  await flushPromises();
  return wrapper;
}

describe('channels page without a channel node', () => {
  it('says once that no node answers at the address, and how to start one', async () => {
    const wrapper = await mountChannels();
    await vi.advanceTimersByTimeAsync(10_000);
    const errors = wrapper.findAll('[data-test="channels-error"]');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.text()).toContain('http://127.0.0.1:7400');
    expect(errors[0]!.text()).toContain('没有节点应答');
    // Said by the kit's error alert: the page's sentence, the node's own words folded away under it.
    expect(errors[0]!.attributes('role')).toBe('alert');
    expect(errors[0]!.get('[data-test="error-message"]').text()).toContain('没有节点应答');
    expect(errors[0]!.get('[data-test="error-detail-text"]').text()).toBe('unreachable: Failed to fetch');
    expect(wrapper.find('[data-test="start-command"]').text()).toContain('npm run channels -- start');
    expect(wrapper.find('[data-test="start-command"]').text()).toContain('--api 7400');
    wrapper.unmount();
  });

  it('asks less and less often while the node does not answer', async () => {
    const wrapper = await mountChannels();
    expect(nodeAsks).toBe(1);
    // A 2 s poll would have asked 60 times (twice each: status and payments) in two minutes.
    await vi.advanceTimersByTimeAsync(120_000);
    expect(nodeAsks).toBeLessThanOrEqual(7);
    const before = nodeAsks;
    // At most once a minute from then on.
    await vi.advanceTimersByTimeAsync(600_000);
    expect(nodeAsks - before).toBeLessThanOrEqual(10);
    expect(nodeAsks - before).toBeGreaterThanOrEqual(9);
    wrapper.unmount();
  });

  it('does not ask while the page is hidden, and asks at once when it shows again', async () => {
    const wrapper = await mountChannels();
    setHidden(true);
    const before = nodeAsks;
    await vi.advanceTimersByTimeAsync(600_000);
    expect(nodeAsks).toBe(before);
    setHidden(false);
    await flushPromises();
    expect(nodeAsks).toBe(before + 1);
    wrapper.unmount();
    // Nor after the page is left.
    await vi.advanceTimersByTimeAsync(600_000);
    expect(nodeAsks).toBe(before + 1);
  });
});

describe('a settled channel', () => {
  const closeTx = { id: 'c1'.repeat(32), height: 4321 };
  const channel = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
    id,
    peer: 'gx1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq',
    side: 'a',
    status,
    disputeMs: 3_000,
    assets: {},
    keys: { mine: '00'.repeat(32), peer: '11'.repeat(32) },
    ...extra,
  });

  beforeEach(() => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => {
        const url = String(input);
        const json = (body: unknown) =>
          new Response(JSON.stringify(body), {
            status: 200,
            headers: { 'content-type': 'application/json' },
          });
        if (url === 'http://127.0.0.1:7400/status')
          return json({
            address: 'gx1pppppppppppppppppppppppppppppppppppppp',
            publicKey: '22'.repeat(32),
            chainId: 'test',
            suite: 'ed25519-sha256',
            linkPort: null,
            idle: true,
            channels: [channel('aa'.repeat(32), 'settled', { closeTx }), channel('bb'.repeat(32), 'open')],
          });
        if (url.startsWith('http://127.0.0.1:7400/payments')) return json({ payments: [] });
        return new Response('{}', { status: 404 });
      }),
    );
  });

  it('links to the tx that settled it and its block in the explorer', async () => {
    const wrapper = await mountChannels();
    const cards = wrapper.findAll('[data-test="channel"]');
    expect(cards).toHaveLength(2);
    const settled = cards.find((c) => c.attributes('data-channel') === 'aa'.repeat(32))!;
    const line = settled.find('[data-test="channel-close-tx"]');
    expect(line.exists()).toBe(true);
    expect(line.text()).toContain('链上结算交易');
    const tx = line.find('[data-test="tx-link"]');
    expect(tx.attributes('href')).toBe(explorerLinks.tx(closeTx.id));
    expect(tx.attributes('title')).toBe(closeTx.id);
    const block = line.find('[data-test="block-link"]');
    expect(block.attributes('href')).toBe(explorerLinks.block(closeTx.height));
    expect(block.text()).toBe('#4321');
    // An open channel has no closing tx to show.
    const open = cards.find((c) => c.attributes('data-channel') === 'bb'.repeat(32))!;
    expect(open.find('[data-test="channel-close-tx"]').exists()).toBe(false);
    wrapper.unmount();
  });
});
