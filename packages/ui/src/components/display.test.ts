import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appIdPlugin } from '../app-id';
import { configureUi } from '../config';
import { splitLongValues } from '../explorer';
import { relativeTime } from '../format/time';
import { createSuiteI18n } from '../i18n';
import { serveDeploymentClock } from '../testing/clock';
import AddressText from './address-text.vue';
import AmountText from './amount-text.vue';
import BlockLink from './block-link.vue';
import QrCode from './qr-code.vue';
import RecordText from './record-text.vue';
import TimeText from './time-text.vue';
import TxLink from './tx-link.vue';

const address = 'gx13nrr3ehgc3fzpmkk7rlt88fsqmaakeqv90m0gg';
const txId = 'bf3c891b0367c2e30f1c7026a270f2286f68fe6cd8bf9ca6c8f3620c71a34d62';

function withI18n(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const i18n = createSuiteI18n({ 'zh-CN': {}, en: {} });
  i18n.global.locale.value = locale;
  return { global: { plugins: [i18n] } };
}

afterEach(() => {
  vi.unstubAllGlobals();
  configureUi();
});

describe('display components', () => {
  it("splits a record's words around the addresses and hashes in them, keeping every character", () => {
    const text = `${address} 锚定 0x${txId}，文件 ${txId}；短值 abc123 与 did:gx:${address}`;
    const parts = splitLongValues(text);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(parts.filter((p) => p.kind !== 'text')).toEqual([
      { kind: 'address', text: address },
      { kind: 'hash', text: `0x${txId}` },
      { kind: 'hash', text: txId },
      { kind: 'address', text: address },
    ]);
    // Not a word of its own: left as it is.
    expect(splitLongValues(`x${txId}`)).toEqual([{ kind: 'text', text: `x${txId}` }]);
    expect(splitLongValues('')).toEqual([]);
  });

  it('<RecordText> shows long values shortened in the middle, full on hover, linked', () => {
    const wrapper = mount(RecordText, { props: { text: `${address} 锚定 ${txId}。` }, ...withI18n() });
    expect(wrapper.text()).toBe(`gx13nr…m0gg 锚定 bf3c89…4d62。`);
    const who = wrapper.get('[data-test="text-address"] a');
    expect(who.attributes('title')).toBe(address);
    expect(who.attributes('href')).toBe(`/explorer/#/account/${address}`);
    const hash = wrapper.get('[data-test="text-hash"] a');
    expect(hash.attributes('title')).toBe(txId);
    expect(hash.attributes('href')).toBe(`/explorer/#/search?q=${txId}`);
  });

  it('<AddressText> shortens, links to the explorer and copies the full address', async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    const wrapper = mount(AddressText, { props: { address }, ...withI18n() });
    const link = wrapper.find('a');
    expect(link.text()).toBe('gx13nr…m0gg');
    expect(link.attributes('title')).toBe(address);
    expect(link.attributes('href')).toBe(`/explorer/#/account/${address}`);
    await wrapper.find('[data-test="copy"]').trigger('click');
    expect(writeText).toHaveBeenCalledWith(address);
    await flushPromises();
    expect(wrapper.find('[data-test="copy"]').attributes('title')).toBe('已复制');

    const full = mount(AddressText, {
      props: { address, short: false, link: false, copyable: false },
      ...withI18n(),
    });
    expect(full.find('a').exists()).toBe(false);
    expect(full.text()).toBe(address);
    configureUi({ explorerBase: 'https://explorer.example/' });
    const custom = mount(AddressText, { props: { address }, ...withI18n() });
    expect(custom.find('a').attributes('href')).toBe(`https://explorer.example/#/account/${address}`);
  });

  it('<AmountText> formats integer strings and bigints in the current language', () => {
    const amount = (props: Record<string, unknown>, locale: 'zh-CN' | 'en' = 'zh-CN') =>
      mount(AmountText, { props: props as never, ...withI18n(locale) }).text();
    expect(amount({ amount: '123456', decimals: 2, symbol: 'CNYX' })).toBe('1,234.56\u00a0CNYX');
    expect(amount({ amount: 2n ** 63n - 1n, decimals: 18 }, 'en')).toBe('9.223372036854775807');
    expect(amount({ amount: '-5', decimals: 2 })).toBe('-0.05');
    expect(amount({ amount: 'oops', decimals: 2 })).toBe('oops');
  });

  it('<TimeText> shows the time in the language with the relative form on hover', () => {
    const ms = Date.UTC(2026, 2, 1, 6, 5, 9);
    const zh = mount(TimeText, { props: { ms }, ...withI18n('zh-CN') }).find('time');
    expect(zh.text()).toMatch(/2026年3月1日/);
    expect(zh.attributes('datetime')).toBe('2026-03-01T06:05:09.000Z');
    const en = mount(TimeText, { props: { ms: Date.now() - 3 * 60_000 }, ...withI18n('en') }).find('time');
    expect(en.attributes('title')).toBe('3 minutes ago');
    expect(relativeTime(0, 2 * 86_400_000, 'zh-CN')).toBe('前天');
    expect(relativeTime(1000, 1000, 'en')).toBe('now');
  });

  it('<TimeText> measures "3 分钟前" from the deployment clock, not the device\'s', async () => {
    const DAY = 86_400_000;
    // The chain (and the server's clock) ten days behind this device: a block of three minutes ago.
    serveDeploymentClock(-10 * DAY);
    const ms = Date.now() - 10 * DAY - 3 * 60_000;
    const { global } = withI18n('zh-CN');
    const time = mount(TimeText, {
      props: { ms },
      global: { plugins: [...global.plugins, appIdPlugin('explorer')] },
    });
    await flushPromises();
    expect(time.find('time').attributes('title')).toBe('3分钟前');
  });

  it('<TxLink> and <BlockLink> point into the explorer', () => {
    const tx = mount(TxLink, { props: { id: txId } });
    expect(tx.attributes('href')).toBe(`/explorer/#/tx/${txId}`);
    expect(tx.text()).toBe('bf3c89…4d62');
    const block = mount(BlockLink, { props: { height: 1234 } });
    expect(block.attributes('href')).toBe('/explorer/#/block/1234');
    expect(block.text()).toBe('#1234');
  });

  it('<QrCode> renders an SVG image of the text', async () => {
    const wrapper = mount(QrCode, { props: { text: `gongxin:pay?to=${address}`, size: 160 }, ...withI18n() });
    await vi.waitFor(() => expect(wrapper.find('img').exists()).toBe(true));
    const img = wrapper.find('img');
    expect(img.attributes('width')).toBe('160');
    expect(img.attributes('alt')).toContain(address);
    const src = img.attributes('src')!;
    expect(src.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(src)).toContain('<svg');
  });
});
