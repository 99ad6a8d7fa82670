import { describe, expect, it } from 'vitest';
import {
  coldChainBreaches,
  distanceKm,
  impossibleTravel,
  inspectionFailures,
  outOfOrderEvents,
  recalledStillSold,
  type Scan,
  scanFrequencyAnomalies,
  scansOf,
} from '../src/domain/alerts';
import type { EpcisEvent, SensorReport } from '../src/domain/epcis';
import { canonicalEpc, glnOf } from '../src/domain/gs1';
import type { TraceEvent } from '../src/domain/trace';

// Products: pork (GTIN …678901), frozen shrimp (…789010), spinach (…567892); GTIN → category as the food
// contract's registered products would give it.
const PORK = 'urn:epc:class:lgtin:6901234.067890.PK1';
const SHRIMP = 'urn:epc:class:lgtin:6901234.078901.SH1';
const SPINACH = 'urn:epc:class:lgtin:6901234.056789.SP1';
const categories: Record<string, string> = {
  '06901234678901': 'meat',
  '06901234789010': 'seafood_frozen',
  '06901234567892': 'vegetables',
};
const categoryOf = (gtin: string) => categories[gtin];

const T0 = Date.parse('2024-07-01T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function ev(id: string, minutes: number, fields: Partial<EpcisEvent>): TraceEvent {
  return {
    id,
    event: {
      type: 'ObjectEvent',
      action: 'OBSERVE',
      eventTime: at(minutes),
      eventTimeZoneOffset: '+08:00',
      ...fields,
    },
  };
}

const reading = (value: number, uom = 'CEL', type = 'Temperature'): SensorReport => ({ type, value, uom });
const inTruck = (id: string, epcClass: string, reports: SensorReport[]) =>
  ev(id, 0, {
    bizStep: 'transporting',
    quantityList: [{ epcClass, quantity: 100 }],
    sensorElementList: [{ sensorReport: reports }],
  });

describe('cold chain', () => {
  it('flags readings outside the category range, critical beyond the margin', () => {
    const alerts = coldChainBreaches(
      [
        inTruck('pork-warm', PORK, [reading(3.5), reading(7.5), reading(4.2)]),
        inTruck('pork-slightly', PORK, [reading(5)]),
        inTruck('shrimp-thawing', SHRIMP, [reading(-15)]),
        inTruck('spinach-ok', SPINACH, [reading(6)]),
      ],
      { categoryOf },
    );
    expect(alerts.map((a) => [a.evidence[0], a.severity, a.subject])).toEqual([
      ['pork-warm', 'critical', canonicalEpc(PORK)],
      ['pork-slightly', 'warning', canonicalEpc(PORK)],
      ['shrimp-thawing', 'critical', canonicalEpc(SHRIMP)],
    ]);
    expect(alerts[0]).toMatchObject({
      kind: 'cold_chain',
      message: {
        'zh-CN': `冷链温度超出范围：meat 类产品应在 0…4 °C，${at(0)} 记录到 7.5 °C`,
        en: `Cold chain out of range: meat must be kept at 0…4 °C; 7.5 °C recorded at ${at(0)}`,
      },
    });
    expect(alerts[2]!.message.en).toContain('−∞…-18 °C');
  });

  it('reads Fahrenheit and Kelvin, min/max readings, CBV URIs for the type, and custom ranges', () => {
    const f = coldChainBreaches([inTruck('f', PORK, [reading(41, 'FAH')])], { categoryOf });
    expect(f.map((a) => a.severity)).toEqual(['warning']);
    const k = coldChainBreaches([inTruck('k', PORK, [reading(275.15, 'KEL', 'gs1:Temperature')])], {
      categoryOf,
    });
    expect(k).toEqual([]);
    const range = coldChainBreaches(
      [
        inTruck('r', PORK, [
          { type: 'https://gs1.org/voc/Temperature', minValue: -3, maxValue: 2, uom: 'CEL' },
        ]),
      ],
      { categoryOf },
    );
    expect(range.map((a) => a.severity)).toEqual(['critical']);
    const custom = coldChainBreaches([inTruck('c', SPINACH, [reading(6)])], {
      categoryOf,
      ranges: { vegetables: { min: 0, max: 5 } },
    });
    expect(custom.map((a) => a.severity)).toEqual(['warning']);
  });

  it('ignores other measurements and products without a known category', () => {
    expect(
      coldChainBreaches([inTruck('h', PORK, [reading(80, 'P1', 'RelativeHumidity')])], { categoryOf }),
    ).toEqual([]);
    expect(
      coldChainBreaches([inTruck('u', 'urn:epc:class:lgtin:6901234.099999.X', [reading(30)])], {
        categoryOf,
      }),
    ).toEqual([]);
  });
});

describe('inspections', () => {
  const inspected = (id: string, fields: Partial<EpcisEvent>) =>
    ev(id, 0, { bizStep: 'inspecting', quantityList: [{ epcClass: PORK, quantity: 1 }], ...fields });

  it('fails with a failing disposition (critical) or a retracted record (warning)', () => {
    const alerts = inspectionFailures([
      inspected('failed', { disposition: 'non_conformant' }),
      inspected('retracted', {
        disposition: 'conformant',
        errorDeclaration: { declarationTime: at(5), reason: 'incorrect_data' },
      }),
      inspected('passed', { disposition: 'conformant' }),
      ev('not-an-inspection', 0, {
        bizStep: 'shipping',
        disposition: 'damaged',
        quantityList: [{ epcClass: PORK, quantity: 1 }],
      }),
      inspected('sampled', {
        bizStep: 'https://ref.gs1.org/cbv/BizStep-sampling',
        disposition: 'urn:epcglobal:cbv:disp:expired',
      }),
    ]);
    expect(alerts.map((a) => [a.evidence[0], a.severity])).toEqual([
      ['failed', 'critical'],
      ['retracted', 'warning'],
      ['sampled', 'critical'],
    ]);
    expect(alerts[0]).toMatchObject({
      kind: 'inspection_failed',
      subject: canonicalEpc(PORK),
      message: {
        'zh-CN': `检验不合格（non_conformant）：${at(0)}`,
        en: `Inspection failed (non_conformant) at ${at(0)}`,
      },
    });
  });
});

describe('events out of order', () => {
  const ITEM = 'urn:epc:id:sgtin:6901234.067890.42';
  const step = (id: string, minutes: number, bizStep: string, action: EpcisEvent['action'] = 'OBSERVE') =>
    ev(id, minutes, { bizStep, action, epcList: [ITEM] });

  it('flags a sale before the goods were shipped or received', () => {
    const alerts = outOfOrderEvents([
      step('made', 0, 'commissioning', 'ADD'),
      step('sold', 10, 'retail_selling'),
      step('received', 20, 'receiving'),
    ]);
    expect(alerts).toEqual([
      {
        kind: 'out_of_order',
        severity: 'critical',
        subject: canonicalEpc(ITEM),
        evidence: ['sold', 'received'],
        message: {
          'zh-CN': `销售（${at(10)}）早于收货（${at(20)}）`,
          en: `Sold (${at(10)}) before receiving (${at(20)})`,
        },
      },
    ]);
  });

  it('flags events before commissioning and after destruction, and leaves a normal life alone', () => {
    const before = outOfOrderEvents([step('seen', 0, 'shipping'), step('made', 5, 'commissioning', 'ADD')]);
    expect(before.map((a) => [a.severity, a.evidence])).toEqual([['warning', ['seen', 'made']]]);
    const after = outOfOrderEvents([
      step('made', 0, 'commissioning', 'ADD'),
      step('destroyed', 5, 'destroying'),
      step('sold', 9, 'retail_selling'),
    ]);
    expect(after.map((a) => [a.severity, a.evidence])).toEqual([['critical', ['destroyed', 'sold']]]);
    const normal = [
      step('made', 0, 'commissioning', 'ADD'),
      step('shipped', 5, 'shipping'),
      step('received', 9, 'receiving'),
      step('sold', 30, 'retail_selling'),
    ];
    expect(outOfOrderEvents(normal)).toEqual([]);
    // Order of arrival does not matter, only event time.
    expect(outOfOrderEvents(normal.slice().reverse())).toEqual([]);
  });
});

describe('copied codes', () => {
  const BEIJING = '6901234000009';
  const SHANGHAI = '6901234000016';
  const places: Record<string, { lat: number; lon: number }> = {
    [BEIJING]: { lat: 39.9042, lon: 116.4074 },
    [SHANGHAI]: { lat: 31.2304, lon: 121.4737 },
  };
  const locate = (gln: string) => places[gln];
  const SERIAL = 'urn:epc:id:sgtin:6901234.067890.42';
  const scan = (id: string, minutes: number, gln: string, epc = SERIAL): Scan => ({
    id,
    epc,
    time: at(minutes),
    gln,
  });

  it('measures distances on the globe', () => {
    expect(distanceKm(places[BEIJING]!, places[SHANGHAI]!)).toBeCloseTo(1067, -1);
  });

  it('flags one serial seen in two distant places faster than anything travels', () => {
    const alerts = impossibleTravel([scan('bj', 0, BEIJING), scan('sh', 30, SHANGHAI)], { locate });
    expect(alerts).toEqual([
      {
        kind: 'impossible_travel',
        severity: 'critical',
        subject: canonicalEpc(SERIAL),
        evidence: ['bj', 'sh'],
        message: {
          'zh-CN': `同一编码在 30 分钟内出现在相距 1067 公里的两地（${BEIJING} → ${SHANGHAI}），疑似假冒`,
          en: `The same code was seen 1067 km apart within 30 min (${BEIJING} → ${SHANGHAI}): probably copied`,
        },
      },
    ]);
  });

  it('lets a flight, a lot, an unknown place and a nearby rescan pass', () => {
    expect(impossibleTravel([scan('bj', 0, BEIJING), scan('sh', 180, SHANGHAI)], { locate })).toEqual([]);
    expect(
      impossibleTravel([scan('bj', 0, BEIJING), scan('sh', 180, SHANGHAI)], { locate, maxSpeedKmh: 300 }),
    ).toHaveLength(1);
    const lot = 'urn:epc:class:lgtin:6901234.067890.L1';
    expect(impossibleTravel([scan('bj', 0, BEIJING, lot), scan('sh', 1, SHANGHAI, lot)], { locate })).toEqual(
      [],
    );
    expect(impossibleTravel([scan('bj', 0, BEIJING), scan('x', 1, '6901234000023')], { locate })).toEqual([]);
    expect(impossibleTravel([scan('bj', 0, BEIJING), scan('bj2', 0, BEIJING)], { locate })).toEqual([]);
  });

  it("places a scan by the client's coordinates before its GLN, and leaves out impossible coordinates", () => {
    const phone = (id: string, minutes: number, lat: number, lon: number, gln?: string): Scan => ({
      id,
      epc: SERIAL,
      time: at(minutes),
      at: { lat, lon },
      ...(gln && { gln }),
    });
    const alerts = impossibleTravel([phone('a', 0, 39.9, 116.4), phone('b', 20, 31.23, 121.47)], { locate });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.evidence).toEqual(['a', 'b']);
    expect(alerts[0]!.message.en).toContain('(39.90,116.40 → 31.23,121.47)');
    // Coordinates win over the GLN: both in Beijing, whatever the GLN says.
    expect(
      impossibleTravel([phone('a', 0, 39.9, 116.4), phone('b', 20, 39.91, 116.41, SHANGHAI)], { locate }),
    ).toEqual([]);
    expect(
      impossibleTravel([phone('a', 0, 39.9, 116.4), phone('b', 20, Number.NaN, 121.47)], { locate }),
    ).toEqual([]);
    expect(impossibleTravel([phone('a', 0, 39.9, 116.4), phone('b', 20, 95, 121.47)], { locate })).toEqual(
      [],
    );
  });

  it('flags a serial scanned far too often in a day, once, with the burst as evidence', () => {
    const burst = Array.from({ length: 25 }, (_, i) => scan(`s${i}`, i * 30, BEIJING));
    const alerts = scanFrequencyAnomalies(burst);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'scan_frequency',
      severity: 'warning',
      subject: canonicalEpc(SERIAL),
    });
    expect(alerts[0]!.evidence).toHaveLength(25);
    expect(alerts[0]!.message.en).toBe(
      'The same code was scanned 25 times within 24 h (limit 20): probably copied',
    );
    expect(scanFrequencyAnomalies(burst.slice(0, 15))).toEqual([]);
    const spread = Array.from({ length: 25 }, (_, i) => scan(`d${i}`, i * 24 * 60, BEIJING));
    expect(scanFrequencyAnomalies(spread)).toEqual([]);
  });

  it('takes scans from EPCIS events too', () => {
    const events = [
      ev('e1', 0, { epcList: [SERIAL], bizLocation: { id: 'urn:epc:id:sgln:6901234.00000.0' } }),
      ev('e2', 20, { epcList: [SERIAL], readPoint: { id: 'urn:epc:id:sgln:6901234.00001.0' } }),
    ];
    expect(scansOf(events)).toEqual([
      { id: 'e1', epc: SERIAL, time: at(0), gln: BEIJING },
      { id: 'e2', epc: SERIAL, time: at(20), gln: SHANGHAI },
    ]);
    expect(impossibleTravel(scansOf(events), { locate }).map((a) => a.evidence)).toEqual([['e1', 'e2']]);
    expect(glnOf('urn:epc:id:sgln:6901234.00001.0')).toBe(SHANGHAI);
  });
});

describe('recalled lots still sold', () => {
  const LOT = 'urn:epc:class:lgtin:6901234.056789.SP1';
  const recall = { lots: [canonicalEpc(LOT)], time: at(60), id: 'R-1' };
  const sale = (id: string, minutes: number, fields: Partial<EpcisEvent>) =>
    ev(id, minutes, { bizStep: 'retail_selling', ...fields });

  it('flags sales of a recalled lot after the recall, by lot or by item', () => {
    const item = 'urn:epc:id:sgtin:6901234.056789.7';
    const alerts = recalledStillSold(
      [
        sale('before', 30, { quantityList: [{ epcClass: LOT, quantity: 1 }] }),
        sale('after', 90, { quantityList: [{ epcClass: LOT, quantity: 1 }] }),
        sale('item-after', 95, { epcList: [item] }),
        sale('other-lot', 95, {
          quantityList: [{ epcClass: 'urn:epc:class:lgtin:6901234.056789.SP2', quantity: 1 }],
        }),
        ev('stocked', 99, { bizStep: 'stocking', quantityList: [{ epcClass: LOT, quantity: 1 }] }),
        ev('sold-disposition', 99, {
          bizStep: 'other',
          disposition: 'retail_sold',
          quantityList: [{ epcClass: LOT, quantity: 1 }],
        }),
      ],
      [recall],
      (epc) => (epc === canonicalEpc(item) ? canonicalEpc(LOT) : undefined),
    );
    expect(alerts.map((a) => a.evidence[0])).toEqual(['after', 'item-after', 'sold-disposition']);
    expect(alerts[0]).toEqual({
      kind: 'recalled_sold',
      severity: 'critical',
      subject: canonicalEpc(LOT),
      evidence: ['after'],
      message: {
        'zh-CN': `已召回（召回 R-1）的批次仍在销售：${at(90)}`,
        en: `A recalled lot (recall R-1) was still sold at ${at(90)}`,
      },
    });
  });
});
