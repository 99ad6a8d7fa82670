// The demo supply chains (DEMO ONLY, invented firms and places): a vegetable co-op, a pork processor and a
// tea producer, each from farm to supermarket shelf, as EPCIS 2.0 documents per capturing organisation,
// with their products and locations. Deterministic from `base` (ms), so seeding twice gives the same
// events and the same hash ids.
import { withCheckDigit } from './domain';

export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const DL = 'https://id.gs1.org';

export const gtinOf = (prefix: string, item: number) =>
  withCheckDigit(`0${prefix}${String(item).padStart(5, '0')}`);
export const glnOf = (prefix: string, loc: number) =>
  withCheckDigit(`${prefix}${String(loc).padStart(5, '0')}`);
export const lotUri = (gtin: string, lot: string) => `${DL}/01/${gtin}/10/${encodeURIComponent(lot)}`;
export const itemUri = (gtin: string, serial: string) => `${DL}/01/${gtin}/21/${encodeURIComponent(serial)}`;
export const placeUri = (gln: string) => `${DL}/414/${gln}`;

export interface DemoProduct {
  org: string;
  gtin: string;
  name: string;
  category: string;
}
export interface DemoLocation {
  /** The demo organisation that registers it, or `passport:<id>` for a passport demo account. */
  org: string;
  gln: string;
  name: string;
  lat: number;
  lon: number;
}
export interface DemoCapture {
  org: string;
  document: Record<string, unknown>;
}
export interface DemoChains {
  products: DemoProduct[];
  locations: DemoLocation[];
  captures: DemoCapture[];
  /** Lots worth a QR label, for the label sheet and the portal. */
  lots: { gtin: string; lot: string; name: string }[];
  items: { gtin: string; serial: string; name: string }[];
  /** The lot the regulator recalls, with the reason. */
  recall: { lot: string; reason: string };
}

const P = {
  veg: '6901234',
  packer: '6901235',
  pig: '6902234',
  pork: '6902235',
  garden: '6903234',
  tea: '6903235',
  logistics: '6904234',
  lab: '6905234',
  shop: '6906234',
  farm: '6901236',
};

export function demoChains(base: number): DemoChains {
  const day = 86_400_000;
  const hour = 3_600_000;
  const at = (d: number, h = 0) => new Date(base + d * day + h * hour).toISOString();
  const event = (fields: Record<string, unknown>) => ({ eventTimeZoneOffset: '+08:00', ...fields });
  const doc = (eventList: unknown[]) => ({
    '@context': [EPCIS_CONTEXT],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date(base).toISOString(),
    epcisBody: { eventList },
  });
  const qty = (epcClass: string, quantity: number, uom = 'KGM') => ({ epcClass, quantity, uom });
  const temps = (start: string, values: number[], device: string) => [
    {
      sensorMetadata: { time: start, deviceID: device },
      sensorReport: values.map((value, i) => ({
        type: 'Temperature',
        value,
        uom: 'CEL',
        time: new Date(Date.parse(start) + i * 30 * 60_000).toISOString(),
      })),
    },
  ];

  // Products and places.
  const g = {
    bokChoy: gtinOf(P.veg, 101),
    saladBox: gtinOf(P.packer, 201),
    pig: gtinOf(P.pig, 301),
    porkLoin: gtinOf(P.pork, 401),
    freshLeaf: gtinOf(P.garden, 501),
    longjing: gtinOf(P.tea, 601),
  };
  const l = {
    field: glnOf(P.veg, 1),
    packing: glnOf(P.packer, 1),
    pigFarm: glnOf(P.pig, 1),
    plant: glnOf(P.pork, 1),
    garden: glnOf(P.garden, 1),
    teaFactory: glnOf(P.tea, 1),
    dc: glnOf(P.logistics, 1),
    lab: glnOf(P.lab, 1),
    store: glnOf(P.shop, 1),
    store2: glnOf(P.shop, 2),
  };
  /** The pork plant's pallet of loin packs for the supermarket's second store. */
  const porkPallet = `${DL}/00/${withCheckDigit(`0${P.pork}000000071`)}`;
  const products: DemoProduct[] = [
    { org: 'veg-coop', gtin: g.bokChoy, name: '有机上海青', category: 'vegetables' },
    { org: 'veg-packer', gtin: g.saladBox, name: '净菜沙拉盒', category: 'vegetables' },
    { org: 'pig-farm', gtin: g.pig, name: '生猪', category: 'livestock' },
    { org: 'pork-plant', gtin: g.porkLoin, name: '冷鲜猪里脊', category: 'meat' },
    { org: 'tea-garden', gtin: g.freshLeaf, name: '鲜茶叶', category: 'tea_leaf' },
    { org: 'tea-factory', gtin: g.longjing, name: '明前龙井', category: 'tea' },
  ];
  const locations: DemoLocation[] = [
    {
      org: 'veg-coop',
      gln: l.field,
      name: '绿源合作社 崇明基地',
      lat: 31.623,
      lon: 121.397,
    },
    { org: 'veg-packer', gln: l.packing, name: '绿源净菜加工厂', lat: 31.52, lon: 121.45 },
    { org: 'pig-farm', gln: l.pigFarm, name: '丰泽养殖场', lat: 30.23, lon: 119.71 },
    { org: 'pork-plant', gln: l.plant, name: '华美屠宰加工厂', lat: 30.31, lon: 120.04 },
    { org: 'tea-garden', gln: l.garden, name: '云雾山茶园', lat: 30.24, lon: 120.11 },
    { org: 'tea-factory', gln: l.teaFactory, name: '云雾茶厂', lat: 30.25, lon: 120.13 },
    { org: 'cold-logistics', gln: l.dc, name: '顺安冷链配送中心', lat: 31.1, lon: 121.3 },
    { org: 'food-lab', gln: l.lab, name: '市食品检验检测中心', lat: 31.2, lon: 121.47 },
    {
      org: 'supermarket',
      gln: l.store,
      name: '惠民超市 人民广场店',
      lat: 31.232,
      lon: 121.475,
    },
    {
      org: 'supermarket',
      gln: l.store2,
      name: '惠民超市 徐家汇店',
      lat: 31.195,
      lon: 121.437,
    },
    // The places of the people one signs in as: the farm co-op's base and the store, each registered by
    // that account, so their harvests and receipts name a place of their own.
    {
      org: 'passport:enterprise-farm',
      gln: glnOf(P.farm, 1),
      name: '绿源农业合作社 东滩基地',
      lat: 31.512,
      lon: 121.905,
    },
    {
      org: 'passport:food-retailer',
      gln: glnOf(P.shop, 3),
      name: '惠民超市 人民路店',
      lat: 31.236,
      lon: 121.483,
    },
  ];

  const vegLot = lotUri(g.bokChoy, 'VEG-2611-A');
  const vegLot2 = lotUri(g.bokChoy, 'VEG-2611-B');
  const saladLot = lotUri(g.saladBox, 'SALAD-2611-01');
  const pigLots = ['PIG-A01', 'PIG-A02', 'PIG-A03'].map((lot) => lotUri(g.pig, lot));
  const loinLot = lotUri(g.porkLoin, 'LOIN-2611-07');
  const loinItems = ['L0001', 'L0002', 'L0003'].map((s) => itemUri(g.porkLoin, s));
  const leafLot = lotUri(g.freshLeaf, 'LEAF-2604-Q1');
  const teaLot = lotUri(g.longjing, 'LJ-2604-01');
  const toStore = [{ type: 'location', destination: placeUri(l.store) }];
  const report = (n: string) => [{ type: 'testres', bizTransaction: `urn:gongxin:food:report:${n}` }];
  /** A laboratory or quarantine inspection of one lot, with the number of its report. */
  const inspected = (
    eventTime: string,
    disposition: 'conformant' | 'non_conformant',
    quantity: ReturnType<typeof qty>,
    place: string,
    reportNumber: string,
  ) =>
    event({
      type: 'ObjectEvent',
      action: 'OBSERVE',
      eventTime,
      bizStep: 'inspecting',
      disposition,
      quantityList: [quantity],
      readPoint: { id: placeUri(place) },
      bizTransactionList: report(reportNumber),
    });

  const captures: DemoCapture[] = [
    // --- vegetables: harvest, inspection, fresh-cut packing, cold transport, sale
    {
      org: 'veg-coop',
      document: doc([
        event({
          type: 'ObjectEvent',
          action: 'ADD',
          eventTime: at(0, 6),
          bizStep: 'commissioning',
          disposition: 'active',
          quantityList: [qty(vegLot, 800)],
          readPoint: { id: placeUri(l.field) },
          bizLocation: { id: placeUri(l.field) },
          ilmd: {
            'cbvmda:lotNumber': 'VEG-2611-A',
            'cbvmda:countryOfOrigin': 'CN',
            'cbvmda:harvestStartDate': at(0, 5).slice(0, 10),
          },
        }),
        event({
          type: 'ObjectEvent',
          action: 'ADD',
          eventTime: at(0, 7),
          bizStep: 'commissioning',
          disposition: 'active',
          quantityList: [qty(vegLot2, 600)],
          readPoint: { id: placeUri(l.field) },
          bizLocation: { id: placeUri(l.field) },
          ilmd: { 'cbvmda:lotNumber': 'VEG-2611-B', 'cbvmda:countryOfOrigin': 'CN' },
        }),
        event({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(0, 9),
          bizStep: 'shipping',
          disposition: 'in_transit',
          quantityList: [qty(vegLot, 800), qty(vegLot2, 600)],
          readPoint: { id: placeUri(l.field) },
          destinationList: [{ type: 'location', destination: placeUri(l.packing) }],
        }),
      ]),
    },
    {
      org: 'food-lab',
      document: doc([
        inspected(at(0, 11), 'conformant', qty(vegLot, 2), l.lab, 'VEG-2611-A-PR'),
        inspected(at(0, 12), 'non_conformant', qty(vegLot2, 2), l.lab, 'VEG-2611-B-PR'),
        ...pigLots.map((lot, i) =>
          inspected(at(1, 8 + i), 'conformant', qty(lot, 1, 'H87'), l.pigFarm, `QUAR-${i + 1}`),
        ),
        inspected(at(2, 15), 'conformant', qty(loinLot, 1), l.plant, 'LOIN-2611-07-MT'),
        inspected(at(3, 10), 'conformant', qty(teaLot, 1), l.lab, 'LJ-2604-01-PR'),
      ]),
    },
    {
      org: 'veg-packer',
      document: doc([
        event({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(0, 13),
          bizStep: 'receiving',
          disposition: 'in_progress',
          quantityList: [qty(vegLot, 800)],
          readPoint: { id: placeUri(l.packing) },
          bizLocation: { id: placeUri(l.packing) },
        }),
        event({
          type: 'TransformationEvent',
          eventTime: at(0, 15),
          bizStep: 'repackaging',
          disposition: 'active',
          inputQuantityList: [qty(vegLot, 780)],
          outputQuantityList: [qty(saladLot, 3000, 'H87')],
          readPoint: { id: placeUri(l.packing) },
          bizLocation: { id: placeUri(l.packing) },
          ilmd: { 'cbvmda:lotNumber': 'SALAD-2611-01', 'cbvmda:bestBeforeDate': at(5).slice(0, 10) },
        }),
        event({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(0, 18),
          bizStep: 'shipping',
          disposition: 'in_transit',
          quantityList: [qty(saladLot, 3000, 'H87')],
          readPoint: { id: placeUri(l.packing) },
          destinationList: toStore,
        }),
      ]),
    },
    // --- pork: three farm lots slaughtered into one lot of chilled loin, packs serialised
    {
      org: 'pig-farm',
      document: doc([
        ...pigLots.map((lot, i) =>
          event({
            type: 'ObjectEvent',
            action: 'ADD',
            eventTime: at(1, 6 + i * 0.25),
            bizStep: 'commissioning',
            disposition: 'active',
            quantityList: [qty(lot, 20 + i * 5, 'H87')],
            readPoint: { id: placeUri(l.pigFarm) },
            bizLocation: { id: placeUri(l.pigFarm) },
            ilmd: { 'cbvmda:lotNumber': `PIG-A0${i + 1}`, 'cbvmda:countryOfOrigin': 'CN' },
          }),
        ),
        event({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(1, 14),
          bizStep: 'shipping',
          disposition: 'in_transit',
          quantityList: pigLots.map((lot, i) => qty(lot, 20 + i * 5, 'H87')),
          readPoint: { id: placeUri(l.pigFarm) },
          destinationList: [{ type: 'location', destination: placeUri(l.plant) }],
        }),
      ]),
    },
    {
      org: 'pork-plant',
      document: doc([
        event({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(1, 18),
          bizStep: 'receiving',
          disposition: 'in_progress',
          quantityList: pigLots.map((lot, i) => qty(lot, 20 + i * 5, 'H87')),
          readPoint: { id: placeUri(l.plant) },
          bizLocation: { id: placeUri(l.plant) },
        }),
        event({
          type: 'TransformationEvent',
          eventTime: at(2, 8),
          bizStep: 'killing',
          disposition: 'active',
          inputQuantityList: pigLots.map((lot, i) => qty(lot, 20 + i * 5, 'H87')),
          outputQuantityList: [qty(loinLot, 240)],
          readPoint: { id: placeUri(l.plant) },
          bizLocation: { id: placeUri(l.plant) },
          ilmd: { 'cbvmda:lotNumber': 'LOIN-2611-07', 'cbvmda:bestBeforeDate': at(9).slice(0, 10) },
        }),
        event({
          type: 'ObjectEvent',
          action: 'ADD',
          eventTime: at(2, 10),
          bizStep: 'commissioning',
          disposition: 'active',
          epcList: loinItems,
          readPoint: { id: placeUri(l.plant) },
          bizLocation: { id: placeUri(l.plant) },
          ilmd: { 'cbvmda:lotNumber': 'LOIN-2611-07' },
        }),
        // Two packs on a pallet for the second store.
        event({
          type: 'AggregationEvent',
          action: 'ADD',
          eventTime: at(2, 12),
          bizStep: 'packing',
          disposition: 'in_progress',
          parentID: porkPallet,
          childEPCs: loinItems.slice(1),
          readPoint: { id: placeUri(l.plant) },
          bizLocation: { id: placeUri(l.plant) },
        }),
        event({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(2, 18),
          bizStep: 'shipping',
          disposition: 'in_transit',
          quantityList: [qty(loinLot, 240)],
          epcList: loinItems,
          readPoint: { id: placeUri(l.plant) },
          destinationList: toStore,
        }),
      ]),
    },
    // --- tea: fresh leaf made into Longjing
    {
      org: 'tea-garden',
      document: doc([
        event({
          type: 'ObjectEvent',
          action: 'ADD',
          eventTime: at(-200, 6),
          bizStep: 'commissioning',
          disposition: 'active',
          quantityList: [qty(leafLot, 120)],
          readPoint: { id: placeUri(l.garden) },
          bizLocation: { id: placeUri(l.garden) },
          ilmd: { 'cbvmda:lotNumber': 'LEAF-2604-Q1', 'cbvmda:countryOfOrigin': 'CN' },
        }),
      ]),
    },
    {
      org: 'tea-factory',
      document: doc([
        event({
          type: 'TransformationEvent',
          eventTime: at(-199, 9),
          bizStep: 'commissioning',
          disposition: 'active',
          inputQuantityList: [qty(leafLot, 120)],
          outputQuantityList: [qty(teaLot, 30)],
          readPoint: { id: placeUri(l.teaFactory) },
          bizLocation: { id: placeUri(l.teaFactory) },
          ilmd: { 'cbvmda:lotNumber': 'LJ-2604-01' },
        }),
        event({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(3, 6),
          bizStep: 'shipping',
          disposition: 'in_transit',
          quantityList: [qty(teaLot, 10)],
          readPoint: { id: placeUri(l.teaFactory) },
          destinationList: toStore,
        }),
      ]),
    },
    // --- cold chain: transport with temperature loggers (the pork truck warmed up for an hour)
    {
      org: 'cold-logistics',
      document: doc([
        event({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(0, 20),
          bizStep: 'transporting',
          disposition: 'in_transit',
          quantityList: [qty(saladLot, 3000, 'H87')],
          readPoint: { id: placeUri(l.dc) },
          sensorElementList: temps(at(0, 18), [3.5, 4.0, 4.2, 3.8], 'urn:gongxin:food:logger:TRUCK-07'),
        }),
        event({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(2, 23),
          bizStep: 'transporting',
          disposition: 'in_transit',
          quantityList: [qty(loinLot, 240)],
          readPoint: { id: placeUri(l.dc) },
          sensorElementList: temps(
            at(2, 19),
            [2.1, 2.6, 3.4, 7.8, 6.9, 3.2],
            'urn:gongxin:food:logger:TRUCK-12',
          ),
        }),
        event({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(3, 2),
          bizStep: 'shipping',
          disposition: 'in_transit',
          epcList: [porkPallet],
          readPoint: { id: placeUri(l.dc) },
          destinationList: [{ type: 'location', destination: placeUri(l.store2) }],
        }),
      ]),
    },
    {
      org: 'supermarket',
      document: doc([
        event({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(1, 6),
          bizStep: 'receiving',
          disposition: 'sellable_accessible',
          quantityList: [qty(saladLot, 3000, 'H87')],
          readPoint: { id: placeUri(l.store) },
          bizLocation: { id: placeUri(l.store) },
        }),
        event({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(1, 12),
          bizStep: 'retail_selling',
          disposition: 'retail_sold',
          quantityList: [qty(saladLot, 420, 'H87')],
          readPoint: { id: placeUri(l.store) },
          bizLocation: { id: placeUri(l.store) },
        }),
        event({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(3, 7),
          bizStep: 'receiving',
          disposition: 'sellable_accessible',
          quantityList: [qty(loinLot, 240)],
          epcList: loinItems,
          readPoint: { id: placeUri(l.store) },
          bizLocation: { id: placeUri(l.store) },
        }),
        event({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(3, 9),
          bizStep: 'receiving',
          disposition: 'sellable_accessible',
          epcList: [porkPallet],
          readPoint: { id: placeUri(l.store2) },
          bizLocation: { id: placeUri(l.store2) },
        }),
        event({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(3, 15),
          bizStep: 'retail_selling',
          disposition: 'retail_sold',
          epcList: [loinItems[0]],
          readPoint: { id: placeUri(l.store) },
          bizLocation: { id: placeUri(l.store) },
        }),
        event({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(4, 9),
          bizStep: 'receiving',
          disposition: 'sellable_accessible',
          quantityList: [qty(teaLot, 10)],
          readPoint: { id: placeUri(l.store) },
          bizLocation: { id: placeUri(l.store) },
        }),
        event({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(4, 16),
          bizStep: 'retail_selling',
          disposition: 'retail_sold',
          quantityList: [qty(teaLot, 1)],
          readPoint: { id: placeUri(l.store) },
          bizLocation: { id: placeUri(l.store) },
        }),
      ]),
    },
  ];

  return {
    products,
    locations,
    captures,
    lots: [
      { gtin: g.saladBox, lot: 'SALAD-2611-01', name: products[1]!.name },
      { gtin: g.bokChoy, lot: 'VEG-2611-A', name: products[0]!.name },
      { gtin: g.bokChoy, lot: 'VEG-2611-B', name: products[0]!.name },
      { gtin: g.porkLoin, lot: 'LOIN-2611-07', name: products[3]!.name },
      { gtin: g.longjing, lot: 'LJ-2604-01', name: products[5]!.name },
    ],
    items: ['L0001', 'L0002', 'L0003'].map((serial) => ({
      gtin: g.porkLoin,
      serial,
      name: products[3]!.name,
    })),
    recall: { lot: vegLot2, reason: '农药残留超标（检测报告 VEG-2611-B-PR）' },
  };
}
