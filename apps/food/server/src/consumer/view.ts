// What the consumer page a scanned QR code opens (GS1 Digital Link resolver) shows, gathered in one pass
// over indexed reads: origin, the journey as a timeline (the item's, its lot's and every lot upstream of
// it), inspections with their reports, cold-chain readings against the product's range, recall status,
// and the anchors of those events, which the page's script checks in the phone. The words and the HTML
// are render.ts's; this module decides what is true, including "nothing is recorded for this code".
import type { Db } from '@gongxin/db';
import { inArray } from 'drizzle-orm';
import { locations, products } from '../db/schema';
import {
  DEFAULT_TEMPERATURE_RANGES,
  type EpcisEvent,
  type Gs1Key,
  gtinOfKey,
  lineage,
  type TimelineEntry,
  timeline,
  toDigitalLink,
} from '../domain';
import type { FoodRuntime } from '../runtime';
import { anchorsByHash, SqlEventStore } from '../store';

export interface JourneyStep extends TimelineEntry {
  /** The identifier the step happened to (a farm lot, the processed lot, the item). */
  subject: string;
  place?: string;
  org: string;
  reports: string[];
  temperatures: { time?: string; value: number; outOfRange: boolean }[];
  quantity?: { value?: number; uom?: string };
  anchor?: { height: number; index: number; txId: string; hash: string };
}

export interface ConsumerView {
  key: string;
  /** The Digital Link on this server. */
  link: string;
  gtin: string;
  lot?: string;
  serial?: string;
  product?: { name: string; category: string };
  origin: { lot: string; product?: string; place?: string; time: string; country?: string }[];
  journey: JourneyStep[];
  inspections: JourneyStep[];
  coldChain: { range?: { min: number; max: number }; readings: number; outOfRange: number };
  recalls: { id: string; lot: string; reason: string; time: number; txId: string; height: number }[];
  anchored: number;
  events: number;
  /**
   * Whether anything at all is recorded for the scanned code (its own events, or for an item its lot's):
   * when not, the page says so and warns, whatever the product's master data says.
   */
  known: boolean;
}

const lotKey = (gtin: string, lot: string) => toDigitalLink({ kind: 'lgtin', gtin, lot });
const MAX_UPSTREAM = 24;

function quantityOf(event: EpcisEvent, subject: string): JourneyStep['quantity'] {
  const list = [
    ...(event.quantityList ?? []),
    ...(event.outputQuantityList ?? []),
    ...(event.inputQuantityList ?? []),
  ];
  const q = list.find((x) => x.epcClass === subject || decodeURIComponent(x.epcClass) === subject);
  return q
    ? { ...(q.quantity !== undefined && { value: q.quantity }), ...(q.uom && { uom: q.uom }) }
    : undefined;
}

/** Everything the page shows, from indexed reads only. */
export async function consumerView(
  runtime: FoodRuntime,
  key: Gs1Key,
  linkBase: string,
): Promise<ConsumerView> {
  if (key.kind !== 'lgtin' && key.kind !== 'sgtin')
    throw new Error('a consumer page is for a lot or an item');
  const db: Db = runtime.services.database.db;
  const store = new SqlEventStore(db);
  const root = toDigitalLink(key);
  const link = toDigitalLink(key, linkBase);

  // The lot of an item: in its identifier, else the lot it was commissioned in.
  let lot = key.kind === 'lgtin' ? key.lot : key.lot;
  const upstream = await lineage(store, root, 'upstream', { maxNodes: 200 });
  const lotNodes = upstream.nodes.filter((n) => n.kind === 'lot' && !n.carrier).slice(0, MAX_UPSTREAM);
  if (key.kind === 'sgtin' && !lot) {
    const own = lotNodes.find((n) => gtinOfKey(n.key) === key.gtin);
    if (own) lot = decodeURIComponent(own.key.split('/10/')[1] ?? '');
  }

  // The journey: the item's and every upstream lot's own timeline, merged by time.
  const subjects = [root, ...lotNodes.map((n) => n.key).filter((k) => k !== root)];
  const steps = new Map<string, JourneyStep>();
  for (const subject of subjects) {
    for (const entry of await timeline(store, subject, { maxNodes: 50 })) {
      if (steps.has(entry.eventId)) continue;
      const stored = store.rows.get(entry.eventId);
      steps.set(entry.eventId, {
        ...entry,
        subject,
        org: stored?.row.org ?? '',
        reports: (stored?.event.bizTransactionList ?? []).map((b) => b.bizTransaction),
        temperatures: [],
        ...(stored && { quantity: quantityOf(stored.event, subject) }),
      });
    }
  }
  const journey = [...steps.values()].sort(
    (a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime) || (a.eventId < b.eventId ? -1 : 1),
  );

  // Master data in two reads.
  const gtins = new Set<string>([key.gtin]);
  for (const s of subjects) {
    const g = gtinOfKey(s);
    if (g) gtins.add(g);
  }
  const glns = new Set(journey.map((s) => s.gln).filter((g): g is string => !!g));
  const [productRows, placeRows, anchorRows] = await Promise.all([
    db
      .select()
      .from(products)
      .where(inArray(products.gtin, [...gtins])),
    glns.size
      ? db
          .select()
          .from(locations)
          .where(inArray(locations.gln, [...glns]))
      : Promise.resolve([]),
    anchorsByHash(
      db,
      journey.map((s) => s.eventId),
    ),
  ]);
  const productOf = new Map(productRows.map((p) => [p.gtin, p]));
  const placeOf = new Map(placeRows.map((p) => [p.gln, p.name]));
  const product = productOf.get(key.gtin);
  const range = product ? DEFAULT_TEMPERATURE_RANGES[product.category] : undefined;

  let readings = 0;
  let outOfRange = 0;
  for (const step of journey) {
    if (step.gln) step.place = placeOf.get(step.gln);
    const anchor = anchorRows.get(step.eventId);
    if (anchor)
      step.anchor = { height: anchor.height, index: anchor.eventIndex, txId: anchor.txId, hash: anchor.hash };
    const event = store.rows.get(step.eventId)?.event;
    const stepRange =
      DEFAULT_TEMPERATURE_RANGES[productOf.get(gtinOfKey(step.subject) ?? '')?.category ?? ''] ?? range;
    for (const element of event?.sensorElementList ?? []) {
      for (const report of element.sensorReport) {
        if (typeof report.value !== 'number' || !/Temperature$/.test(report.type)) continue;
        const bad = stepRange ? report.value < stepRange.min || report.value > stepRange.max : false;
        readings++;
        if (bad) outOfRange++;
        step.temperatures.push({
          ...(report.time && { time: report.time }),
          value: report.value,
          outOfRange: bad,
        });
      }
    }
  }

  // Origin: the upstream lots nothing further upstream feeds, with where and when they began.
  const fed = new Set(upstream.edges.map((e) => e.to));
  const sources = new Set(upstream.edges.map((e) => e.from));
  const leaves = lotNodes.filter((n) => n.key !== root && sources.has(n.key) && !fed.has(n.key));
  const originKeys =
    leaves.length > 0
      ? leaves.map((n) => n.key)
      : [key.kind === 'lgtin' ? root : lot ? lotKey(key.gtin, lot) : root];
  const origin = originKeys.map((k) => {
    const first =
      journey.find((s) => s.subject === k && s.bizStep === 'commissioning') ??
      journey.find((s) => s.subject === k);
    const event = first ? store.rows.get(first.eventId)?.event : undefined;
    const country = event?.ilmd?.['cbvmda:countryOfOrigin'];
    return {
      lot: decodeURIComponent(k.split('/10/')[1] ?? k),
      ...(productOf.get(gtinOfKey(k) ?? '') && { product: productOf.get(gtinOfKey(k) ?? '')!.name }),
      ...(first?.place && { place: first.place }),
      time: first?.eventTime ?? '',
      ...(typeof country === 'string' && { country }),
    };
  });

  const recallLots = [
    ...new Set([root, ...(lot ? [lotKey(key.gtin, lot)] : []), ...lotNodes.map((n) => n.key)]),
  ];
  // One recall flags many lots (the one it names and those downstream): each recall once.
  const byRecall = new Map((await runtime.recallsOf(recallLots)).map((r) => [r.id, r]));
  const recalls = [...byRecall.values()].map((r) => ({
    id: r.id,
    lot: r.lot,
    reason: r.reason,
    time: r.time,
    txId: r.txId,
    height: r.height,
  }));

  return {
    key: root,
    link,
    gtin: key.gtin,
    ...(lot && { lot }),
    ...(key.kind === 'sgtin' && { serial: key.serial }),
    ...(product && { product: { name: product.name, category: product.category } }),
    origin,
    journey,
    inspections: journey.filter((s) => s.bizStep === 'inspecting' || s.bizStep === 'sampling'),
    coldChain: { ...(range && { range }), readings, outOfRange },
    recalls,
    anchored: journey.filter((s) => s.anchor).length,
    events: journey.length,
    known: journey.length > 0,
  };
}
