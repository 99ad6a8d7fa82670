import { createSuiteI18n } from '@gongxin/ui';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import LineageGraph from './components/lineage-graph.vue';
import { documentFromForm, gs1CheckOk } from './gs1';
import { columnsOf, labelOf } from './lineage';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const lot = (gtin: string, l: string) => `https://id.gs1.org/01/${gtin}/10/${l}`;
const farm = ['F1', 'F2', 'F3'].map((l) => lot('06901234001013', l));
const pork = lot('06902235004010', 'LOIN-1');
const graph = {
  nodes: [
    { key: pork, kind: 'lot', depth: 0, carrier: false },
    ...farm.map((key) => ({ key, kind: 'lot', depth: 1, carrier: false })),
  ],
  edges: farm.map((from) => ({ from, to: pork, relation: 'transformed' })),
};

describe('lineage layout', () => {
  it('puts upstream sources left of the root, with how they were linked', () => {
    const columns = columnsOf(graph, 'upstream');
    expect(columns.map((c) => c.depth)).toEqual([1, 0]);
    expect(columns[0]!.nodes.map((n) => n.label)).toEqual([
      'F1 · 06901234001013',
      'F2 · 06901234001013',
      'F3 · 06901234001013',
    ]);
    expect(columns[0]!.nodes[0]!.via).toEqual(['transformed']);
    expect(labelOf('https://id.gs1.org/01/06902235004010/21/A%2F1')).toBe('#A/1 · 06902235004010');
  });

  it('renders the graph and opens a node when clicked', async () => {
    const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
    const wrapper = mount(LineageGraph, {
      props: { graph, direction: 'upstream' },
      global: { plugins: [i18n] },
    });
    const nodes = wrapper.findAll('[data-test="lineage-node"]');
    expect(nodes).toHaveLength(4);
    // How material moved, in words of the page language.
    expect(nodes[0]!.text()).toContain('加工而成');
    expect(wrapper.text()).not.toContain('transformed');
    expect(nodes.at(-1)!.classes()).toContain('lg-root');
    await nodes[1]!.trigger('click');
    expect(wrapper.emitted('open')?.[0]).toEqual([farm[1]]);
  });
});

describe('forms', () => {
  it('checks GS1 check digits as typed', () => {
    expect(gs1CheckOk('06901234001013')).toBe(true);
    expect(gs1CheckOk('06901234001014')).toBe(false);
    expect(gs1CheckOk('69012340000')).toBe(false);
  });

  it('builds an EPCIS 2.0 ObjectEvent with a quantity for a lot and sensor readings', () => {
    const doc = documentFromForm(
      {
        action: 'OBSERVE',
        bizStep: 'transporting',
        disposition: 'in_transit',
        epc: farm[0]!,
        quantity: '12',
        gln: '6901234000016',
        lotNumber: '',
        temperatures: '3.5 4',
        eventTime: '2026-11-01T08:00:00Z',
      },
      Date.parse('2026-11-01T09:00:00Z'),
    );
    const event = (doc.epcisBody as { eventList: Record<string, unknown>[] }).eventList[0]!;
    expect(event.quantityList).toEqual([{ epcClass: farm[0], quantity: 12, uom: 'KGM' }]);
    expect(event.sensorElementList).toEqual([
      {
        sensorReport: [
          { type: 'Temperature', value: 3.5, uom: 'CEL' },
          { type: 'Temperature', value: 4, uom: 'CEL' },
        ],
      },
    ]);
    expect(event.readPoint).toEqual({ id: 'https://id.gs1.org/414/6901234000016' });
  });
});
