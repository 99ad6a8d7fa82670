import { describe, expect, it } from 'vitest';
import type { EpcisEvent } from '../src/domain/epcis';
import { canonicalEpc, glnOf } from '../src/domain/gs1';
import { eventKeys, lineage, MemoryEventStore, recallImpact, timeline } from '../src/domain/trace';

// A farm-to-fork chain: three farms grow spinach (lots FA1, FB1, FC1), a processor washes and mixes them
// into bagged lot P1; from a fourth farm's lot FD1 it makes lots P2 and P3. P1 and P2 leave on the same
// pallet for store R, which unpacks and sells both. P3 never leaves the plant. Later the pallet is reused
// for lot P4 (from farm lot FE1) to store R2.
const raw = (lot: string) => `urn:epc:class:lgtin:6901234.056789.${lot}`;
const bagged = (lot: string) => `urn:epc:class:lgtin:6901234.067890.${lot}`;
const item = (serial: string) => `urn:epc:id:sgtin:6901234.067890.${serial}`;
const PALLET = 'urn:epc:id:sscc:6901234.0000000001';
const sgln = (n: number) => `urn:epc:id:sgln:6901234.${String(n).padStart(5, '0')}.0`;
const PLANT = sgln(1);
const STORE = sgln(2);
const STORE_2 = sgln(3);
const farm = (n: number) => sgln(10 + n);

const clock = Date.parse('2024-07-01T00:00:00Z');
const at = (hours: number) => new Date(clock + hours * 3_600_000).toISOString();

function event(fields: Partial<EpcisEvent> & { type: string }, hours: number): EpcisEvent {
  return { eventTime: at(hours), eventTimeZoneOffset: '+08:00', ...fields } as EpcisEvent;
}

const qty = (epcClass: string, quantity = 100) => ({ epcClass, quantity, uom: 'KGM' });

function supplyChain(): MemoryEventStore {
  const store = new MemoryEventStore();
  const add = (id: string, e: EpcisEvent) => store.add(id, e);
  ['FA1', 'FB1', 'FC1', 'FD1', 'FE1'].forEach((lot, i) => {
    add(
      `harvest-${lot}`,
      event(
        {
          type: 'ObjectEvent',
          action: 'ADD',
          bizStep: 'commissioning',
          quantityList: [qty(raw(lot))],
          bizLocation: { id: farm(i) },
        },
        0,
      ),
    );
    add(
      `ship-${lot}`,
      event(
        {
          type: 'ObjectEvent',
          action: 'OBSERVE',
          bizStep: 'shipping',
          quantityList: [qty(raw(lot))],
          readPoint: { id: farm(i) },
        },
        2,
      ),
    );
    add(
      `receive-${lot}`,
      event(
        {
          type: 'ObjectEvent',
          action: 'OBSERVE',
          bizStep: 'receiving',
          quantityList: [qty(raw(lot))],
          bizLocation: { id: PLANT },
        },
        6,
      ),
    );
  });
  add(
    'mix-P1',
    event(
      {
        type: 'TransformationEvent',
        inputQuantityList: ['FA1', 'FB1', 'FC1'].map((l) => qty(raw(l))),
        outputQuantityList: [qty(bagged('P1'), 280)],
        bizStep: 'commissioning',
        bizLocation: { id: PLANT },
      },
      8,
    ),
  );
  add(
    'wash-P2-P3',
    event(
      {
        type: 'TransformationEvent',
        inputQuantityList: [qty(raw('FD1'))],
        outputQuantityList: [qty(bagged('P2'), 50), qty(bagged('P3'), 45)],
        bizStep: 'commissioning',
        bizLocation: { id: PLANT },
      },
      9,
    ),
  );
  add(
    'bag-P1',
    event(
      {
        type: 'ObjectEvent',
        action: 'ADD',
        bizStep: 'commissioning',
        epcList: [item('1001'), item('1002')],
        ilmd: { 'cbvmda:lotNumber': 'P1' },
        bizLocation: { id: PLANT },
      },
      9,
    ),
  );
  add(
    'pack',
    event(
      {
        type: 'AggregationEvent',
        action: 'ADD',
        parentID: PALLET,
        childQuantityList: [qty(bagged('P1'), 280), qty(bagged('P2'), 50)],
        bizStep: 'packing',
        bizLocation: { id: PLANT },
      },
      10,
    ),
  );
  add(
    'ship-pallet',
    event(
      {
        type: 'ObjectEvent',
        action: 'OBSERVE',
        epcList: [PALLET],
        bizStep: 'shipping',
        readPoint: { id: PLANT },
        destinationList: [{ type: 'location', destination: STORE }],
      },
      11,
    ),
  );
  add(
    'receive-pallet',
    event(
      {
        type: 'ObjectEvent',
        action: 'OBSERVE',
        epcList: [PALLET],
        bizStep: 'receiving',
        bizLocation: { id: STORE },
      },
      14,
    ),
  );
  add(
    'unpack',
    event(
      {
        type: 'AggregationEvent',
        action: 'DELETE',
        parentID: PALLET,
        childQuantityList: [],
        bizStep: 'unpacking',
        bizLocation: { id: STORE },
      },
      15,
    ),
  );
  add(
    'sell-P1',
    event(
      {
        type: 'ObjectEvent',
        action: 'OBSERVE',
        quantityList: [qty(bagged('P1'), 3)],
        bizStep: 'retail_selling',
        bizLocation: { id: STORE },
      },
      20,
    ),
  );
  add(
    'sell-item-1001',
    event(
      {
        type: 'ObjectEvent',
        action: 'OBSERVE',
        epcList: [item('1001')],
        bizStep: 'retail_selling',
        disposition: 'retail_sold',
        bizLocation: { id: STORE },
      },
      21,
    ),
  );
  add(
    'sell-P2',
    event(
      {
        type: 'ObjectEvent',
        action: 'OBSERVE',
        quantityList: [qty(bagged('P2'), 2)],
        bizStep: 'retail_selling',
        bizLocation: { id: STORE },
      },
      22,
    ),
  );
  add(
    'store-P3',
    event(
      {
        type: 'ObjectEvent',
        action: 'OBSERVE',
        quantityList: [qty(bagged('P3'))],
        bizStep: 'storing',
        bizLocation: { id: PLANT },
      },
      22,
    ),
  );
  // The pallet again, days later, with other goods for another store.
  add(
    'wash-P4',
    event(
      {
        type: 'TransformationEvent',
        inputQuantityList: [qty(raw('FE1'))],
        outputQuantityList: [qty(bagged('P4'))],
        bizStep: 'commissioning',
        bizLocation: { id: PLANT },
      },
      70,
    ),
  );
  add(
    'pack-again',
    event(
      {
        type: 'AggregationEvent',
        action: 'ADD',
        parentID: PALLET,
        childQuantityList: [qty(bagged('P4'))],
        bizStep: 'packing',
        bizLocation: { id: PLANT },
      },
      71,
    ),
  );
  add(
    'ship-again',
    event(
      {
        type: 'ObjectEvent',
        action: 'OBSERVE',
        epcList: [PALLET],
        bizStep: 'shipping',
        readPoint: { id: PLANT },
        destinationList: [{ type: 'location', destination: STORE_2 }],
      },
      72,
    ),
  );
  add(
    'sell-P4',
    event(
      {
        type: 'ObjectEvent',
        action: 'OBSERVE',
        quantityList: [qty(bagged('P4'), 1)],
        bizStep: 'retail_selling',
        bizLocation: { id: STORE_2 },
      },
      80,
    ),
  );
  return store;
}

const c = canonicalEpc;
const RETAIL = { retailLocations: new Set([glnOf(STORE)!, glnOf(STORE_2)!]) };

describe('lineage', () => {
  it('traces a mixed lot upstream to its three farm lots, and from a farm lot downstream again', async () => {
    const store = supplyChain();
    const up = await lineage(store, bagged('P1'), 'upstream');
    const lots = up.nodes.filter((n) => n.kind === 'lot').map((n) => n.key);
    expect(lots.sort()).toEqual([c(bagged('P1')), c(raw('FA1')), c(raw('FB1')), c(raw('FC1'))].sort());
    expect(
      up.edges.filter((e) => e.relation === 'transformed').map((e) => [e.from, e.to, e.eventId]),
    ).toEqual(
      expect.arrayContaining(['FA1', 'FB1', 'FC1'].map((l) => [c(raw(l)), c(bagged('P1')), 'mix-P1'])),
    );
    // The pallet that carried it is in its ancestry, but not what else travelled on that pallet.
    expect(up.nodes.find((n) => n.key === c(PALLET))).toMatchObject({ carrier: true, kind: 'container' });
    expect(up.nodes.map((n) => n.key)).not.toContain(c(bagged('P2')));
    expect(up.nodes.map((n) => n.key)).not.toContain(c(raw('FD1')));
    expect(up.truncated).toBe(false);

    const down = await lineage(store, raw('FB1'), 'downstream');
    const keys = down.nodes.map((n) => n.key);
    expect(keys).toContain(c(bagged('P1')));
    expect(keys).toContain(c(item('1001')));
    expect(down.nodes.find((n) => n.key === c(bagged('P1')))).toMatchObject({ depth: 1, carrier: false });
    expect(keys).not.toContain(c(bagged('P2')));
    expect(keys).not.toContain(c(bagged('P4')));
    expect(down.edges).toContainEqual({
      from: c(bagged('P1')),
      to: c(PALLET),
      relation: 'packed',
      eventId: 'pack',
      eventTime: at(10),
    });
  });

  it('ends on cycles (rework that feeds a lot back into itself)', async () => {
    const store = supplyChain();
    store.add(
      'rework-1',
      event(
        {
          type: 'TransformationEvent',
          inputQuantityList: [qty(bagged('P1'))],
          outputQuantityList: [qty(bagged('R1'))],
        },
        30,
      ),
    );
    store.add(
      'rework-2',
      event(
        {
          type: 'TransformationEvent',
          inputQuantityList: [qty(bagged('R1'))],
          outputQuantityList: [qty(bagged('P1'))],
        },
        31,
      ),
    );
    for (const direction of ['upstream', 'downstream'] as const) {
      const graph = await lineage(store, bagged('P1'), direction);
      const keys = graph.nodes.map((n) => n.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toContain(c(bagged('R1')));
    }
  });

  it('stays bounded on a huge fan-out', async () => {
    const store = new MemoryEventStore();
    const items = Array.from({ length: 5000 }, (_, i) => item(`X${i}`));
    store.add(
      'bag-many',
      event(
        {
          type: 'ObjectEvent',
          action: 'ADD',
          epcList: items,
          ilmd: { 'cbvmda:lotNumber': 'BIG' },
          bizStep: 'commissioning',
        },
        0,
      ),
    );
    const all = await lineage(store, bagged('BIG'), 'downstream');
    expect(all.nodes).toHaveLength(5001);
    expect(all.truncated).toBe(false);
    const capped = await lineage(store, bagged('BIG'), 'downstream', { maxNodes: 100 });
    expect(capped.nodes).toHaveLength(100);
    expect(capped.truncated).toBe(true);
    expect(capped.edges.every((e) => capped.nodes.some((n) => n.key === e.to))).toBe(true);

    // A pallet of 5000 cases: every case meets the same packing event, read once.
    store.add(
      'palletise',
      event({ type: 'AggregationEvent', action: 'ADD', parentID: PALLET, childEPCs: items }, 1),
    );
    const started = performance.now();
    const cases = await lineage(store, PALLET, 'downstream');
    expect(cases.nodes).toHaveLength(5001);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('timeline', () => {
  it("lists a lot's events in time order, with the pallet's while it was on it", async () => {
    const entries = await timeline(supplyChain(), bagged('P1'));
    expect(entries.map((e) => [e.eventId, e.bizStep, e.via ?? ''])).toEqual([
      ['mix-P1', 'commissioning', ''],
      ['bag-P1', 'commissioning', ''],
      ['pack', 'packing', ''],
      ['ship-pallet', 'shipping', c(PALLET)],
      ['receive-pallet', 'receiving', c(PALLET)],
      ['unpack', 'unpacking', c(PALLET)],
      ['sell-P1', 'retail_selling', ''],
    ]);
    expect(entries.find((e) => e.eventId === 'receive-pallet')).toMatchObject({
      gln: glnOf(STORE),
      type: 'ObjectEvent',
      action: 'OBSERVE',
    });
    // The pallet's later trip with other goods is not this lot's story.
    expect(entries.map((e) => e.eventId)).not.toContain('ship-again');
  });

  it('of a farm lot: harvest, shipping, receiving, and what it went into', async () => {
    const entries = await timeline(supplyChain(), raw('FA1'));
    expect(entries.map((e) => e.eventId)).toEqual(['harvest-FA1', 'ship-FA1', 'receive-FA1', 'mix-P1']);
    expect(entries[0]).toMatchObject({ bizStep: 'commissioning', gln: glnOf(farm(0)) });
  });
});

describe('recall impact', () => {
  it('flags the retail lots that contain a recalled farm lot, through transformation, packing and shipping', async () => {
    const impact = await recallImpact(supplyChain(), raw('FA1'), RETAIL);
    expect(impact.origin).toBe(c(raw('FA1')));
    expect(impact.retailLots.map((l) => l.lot)).toEqual([c(bagged('P1'))]);
    const p1 = impact.retailLots[0]!;
    expect(p1.path).toEqual([{ key: c(bagged('P1')), relation: 'transformed', eventId: 'mix-P1' }]);
    // Sold by lot, sold as an item of the lot, and shipped to and received at the store on the pallet.
    expect(p1.evidence).toEqual(
      ['receive-pallet', 'sell-P1', 'sell-item-1001', 'ship-pallet', 'unpack'].sort(),
    );
  });

  it('does not flag a lot that never met the recalled one, even on the same pallet or the same pallet later', async () => {
    const impact = await recallImpact(supplyChain(), raw('FA1'), RETAIL);
    const lots = impact.affected.map((a) => a.lot);
    for (const clean of ['P2', 'P3', 'P4']) expect(lots).not.toContain(c(bagged(clean)));
    expect(lots).not.toContain(c(PALLET));
  });

  it('separates affected lots still in the plant from those at retail', async () => {
    const impact = await recallImpact(supplyChain(), raw('FD1'), RETAIL);
    expect(impact.affected.map((a) => [a.lot, a.atRetail]).sort()).toEqual(
      [
        [c(raw('FD1')), false],
        [c(bagged('P2')), true],
        [c(bagged('P3')), false],
      ].sort(),
    );
    expect(impact.retailLots.map((l) => l.lot)).toEqual([c(bagged('P2'))]);
  });

  it('without retail locations, counts retail sales only', async () => {
    const impact = await recallImpact(supplyChain(), raw('FE1'));
    expect(impact.retailLots).toEqual([
      {
        lot: c(bagged('P4')),
        kind: 'lot',
        atRetail: true,
        evidence: ['sell-P4'],
        places: [{ gln: glnOf(STORE_2), sold: true }],
        path: [{ key: c(bagged('P4')), relation: 'transformed', eventId: 'wash-P4' }],
      },
    ]);
    expect(impact.retailPlaces).toEqual([
      { gln: glnOf(STORE_2), sold: true, lots: [c(bagged('P4'))], evidence: ['sell-P4'] },
    ]);
  });
});

describe('indexing', () => {
  it('names each identifier of an event with its role, canonical', () => {
    const keys = eventKeys(
      event(
        { type: 'ObjectEvent', action: 'ADD', epcList: [item('7')], ilmd: { 'cbvmda:lotNumber': 'L9' } },
        0,
      ),
    );
    expect(keys).toEqual([
      { key: c(item('7')), role: 'object' },
      { key: 'https://id.gs1.org/01/06901234678901/10/L9', role: 'lot' },
    ]);
  });
});

describe('recall impact across organisations, packing and processing', () => {
  // A tea garden (org 1) ships leaf lot LEAF to a factory (org 2), which makes it into tea lot TEA. TEA is
  // sold as it is at store S3 (the lot itself on the shelf); TEA is also commissioned into tins T1..T3,
  // packed on a pallet shipped to store S1 (delivered, not yet sold) and to store S2, which unpacks it and
  // sells a tin. A recall of the farm lot LEAF must name all three stores.
  const LEAF = 'https://id.gs1.org/01/06901234567892/10/LEAF';
  const TEA = 'https://id.gs1.org/01/06901234678901/10/TEA';
  const tin = (n: number) => `https://id.gs1.org/01/06901234678901/21/T${n}`;
  const S1 = sgln(21);
  const S2 = sgln(22);
  const S3 = sgln(23);
  const PALLET_2 = 'urn:epc:id:sscc:6901234.0000000002';
  function chain(retractMaking = false): MemoryEventStore {
    const s = new MemoryEventStore();
    const retracted = retractMaking
      ? { errorDeclaration: { declarationTime: at(20), reason: 'incorrect_data' } }
      : {};
    s.add(
      'ship-leaf',
      event(
        {
          type: 'ObjectEvent',
          action: 'OBSERVE',
          bizStep: 'shipping',
          quantityList: [qty(LEAF)],
          readPoint: { id: farm(1) },
          destinationList: [{ type: 'location', destination: PLANT }],
        },
        1,
      ),
    );
    s.add(
      'receive-leaf',
      event(
        {
          type: 'ObjectEvent',
          action: 'OBSERVE',
          bizStep: 'receiving',
          quantityList: [qty(LEAF)],
          bizLocation: { id: PLANT },
        },
        3,
      ),
    );
    s.add('make-tea', {
      ...event(
        {
          type: 'TransformationEvent',
          inputQuantityList: [qty(LEAF)],
          outputQuantityList: [qty(TEA, 20)],
          bizStep: 'commissioning',
          bizLocation: { id: PLANT },
        },
        5,
      ),
      ...retracted,
    });
    s.add(
      'tins',
      event(
        {
          type: 'ObjectEvent',
          action: 'ADD',
          bizStep: 'commissioning',
          epcList: [tin(1), tin(2), tin(3)],
          ilmd: { 'cbvmda:lotNumber': 'TEA' },
          bizLocation: { id: PLANT },
        },
        6,
      ),
    );
    s.add(
      'pack',
      event(
        {
          type: 'AggregationEvent',
          action: 'ADD',
          bizStep: 'packing',
          parentID: PALLET_2,
          childEPCs: [tin(1), tin(2)],
          bizLocation: { id: PLANT },
        },
        7,
      ),
    );
    s.add(
      'ship-s1',
      event(
        {
          type: 'ObjectEvent',
          action: 'OBSERVE',
          bizStep: 'shipping',
          epcList: [PALLET_2],
          readPoint: { id: PLANT },
          destinationList: [{ type: 'location', destination: S1 }],
        },
        8,
      ),
    );
    s.add(
      'receive-s2',
      event(
        {
          type: 'ObjectEvent',
          action: 'OBSERVE',
          bizStep: 'receiving',
          epcList: [PALLET_2],
          bizLocation: { id: S2 },
        },
        12,
      ),
    );
    s.add(
      'unpack-s2',
      event(
        {
          type: 'AggregationEvent',
          action: 'DELETE',
          bizStep: 'unpacking',
          parentID: PALLET_2,
          childEPCs: [tin(1), tin(2)],
          bizLocation: { id: S2 },
        },
        13,
      ),
    );
    s.add(
      'sell-tin',
      event(
        {
          type: 'ObjectEvent',
          action: 'OBSERVE',
          bizStep: 'retail_selling',
          disposition: 'retail_sold',
          epcList: [tin(1)],
          bizLocation: { id: S2 },
        },
        14,
      ),
    );
    s.add(
      'sell-tea',
      event(
        {
          type: 'ObjectEvent',
          action: 'OBSERVE',
          bizStep: 'retail_selling',
          quantityList: [qty(TEA, 1)],
          bizLocation: { id: S3 },
        },
        15,
      ),
    );
    return s;
  }
  const retail = { retailLocations: new Set([glnOf(S1)!, glnOf(S2)!, glnOf(S3)!]) };

  it('lists every retail location that holds or sold it, and the lots found there', async () => {
    const impact = await recallImpact(chain(), LEAF, retail);
    expect(impact.retailPlaces).toEqual([
      { gln: glnOf(S1), sold: false, lots: [TEA], evidence: ['ship-s1'] },
      { gln: glnOf(S2), sold: true, lots: [TEA], evidence: ['receive-s2', 'sell-tin', 'unpack-s2'] },
      { gln: glnOf(S3), sold: true, lots: [TEA], evidence: ['sell-tea'] },
    ]);
    expect(impact.retailLots.map((l) => l.lot)).toEqual([TEA]);
    expect(impact.affected.find((a) => a.lot === LEAF)).toMatchObject({ atRetail: false, path: [] });
  });

  it('counts the recalled lot itself when it is on the shelves', async () => {
    const impact = await recallImpact(chain(), TEA, retail);
    expect(impact.affected.find((a) => a.lot === TEA)).toMatchObject({ atRetail: true, path: [] });
    expect(impact.retailPlaces.map((p) => [p.gln, p.sold])).toEqual([
      [glnOf(S1), false],
      [glnOf(S2), true],
      [glnOf(S3), true],
    ]);
  });

  it('follows the correction when an event is declared erroneous', async () => {
    // The tea was never made from this leaf: the transformation is retracted.
    const s = chain(true);
    const impact = await recallImpact(s, LEAF, retail);
    expect(impact.retailPlaces).toEqual([]);
    expect(impact.affected.map((a) => a.lot)).toEqual([LEAF]);
    const steps = await timeline(s, TEA);
    expect(steps.find((e) => e.eventId === 'make-tea')?.retracted).toMatchObject({
      reason: 'incorrect_data',
    });
  });
});
