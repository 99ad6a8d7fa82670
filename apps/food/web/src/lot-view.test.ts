// The lot page's timeline says what happened in words, in the page language (the consumer page's words),
// keeping the CBV identifier as the tooltip; identifiers without words are shown as written.
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const LOT = 'https://id.gs1.org/01/06902235004010/10/LOIN-2611-07';
const timeline = [
  {
    eventId: 'a'.repeat(64),
    eventTime: '2026-11-02T08:00:00Z',
    type: 'TransformationEvent',
    bizStep: 'killing',
    disposition: 'active',
    anchor: null,
  },
  { eventId: 'b'.repeat(64), eventTime: '2026-11-02T09:00:00Z', type: 'TransformationEvent', anchor: null },
  {
    eventId: 'c'.repeat(64),
    eventTime: '2026-11-02T10:00:00Z',
    type: 'ObjectEvent',
    bizStep: 'shipping',
    disposition: 'in_transit',
    gln: '6902235000012',
    anchor: null,
  },
  {
    eventId: 'd'.repeat(64),
    eventTime: '2026-11-02T11:00:00Z',
    type: 'ObjectEvent',
    bizStep: 'urn:example:step:tasting',
    disposition: 'urn:example:disp:tasty',
    anchor: null,
  },
];
const lineage = { root: LOT, nodes: [{ key: LOT, kind: 'lot', depth: 0, carrier: false }], edges: [] };

vi.mock('./api', () => ({
  api: {
    trace: {
      timeline: { query: vi.fn(async () => timeline) },
      lineage: { query: vi.fn(async () => lineage) },
    },
    masterData: {
      locations: { query: vi.fn(async () => [{ gln: '6902235000012', name: '华美屠宰加工厂' }]) },
    },
  },
}));
vi.mock('vue-router', () => ({
  useRoute: () => ({ query: { epc: LOT } }),
  useRouter: () => ({ push: vi.fn() }),
}));

const LotView = (await import('./views/lot-view.vue')).default;

async function rendered(locale: 'en' | 'zh-CN') {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale;
  const wrapper = mount(LotView, { global: { plugins: [i18n], stubs: { TxLink: true } } });
  await flushPromises();
  const steps = wrapper.findAll('[data-test="step"]').map((s) => [s.text(), s.attributes('title')]);
  const dispositions = wrapper
    .findAll('[data-test="disposition"]')
    .map((s) => [s.text(), s.attributes('title')]);
  wrapper.unmount();
  return { steps, dispositions };
}

describe('the lot timeline', () => {
  it('shows steps and dispositions in English words, the identifier in the tooltip', async () => {
    const { steps, dispositions } = await rendered('en');
    expect(steps).toEqual([
      ['Slaughtered and cut', 'killing'],
      ['Processed', 'TransformationEvent'],
      ['Shipped', 'shipping'],
      ['urn:example:step:tasting', 'urn:example:step:tasting'],
    ]);
    expect(dispositions).toEqual([
      ['active', 'active'],
      ['in transit', 'in_transit'],
      ['urn:example:disp:tasty', 'urn:example:disp:tasty'],
    ]);
  });

  it('and in Chinese', async () => {
    const { steps, dispositions } = await rendered('zh-CN');
    expect(steps.map((s) => s[0])).toEqual(['屠宰分割', '加工', '发货', 'urn:example:step:tasting']);
    expect(dispositions.map((d) => d[0])).toEqual(['已赋码', '在途', 'urn:example:disp:tasty']);
  });
});
