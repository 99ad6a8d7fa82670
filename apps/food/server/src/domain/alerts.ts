// Supervision alert rules (食品链监管预警): pure functions from EPCIS events, scans and master data to
// alerts a regulator acts on — cold chain out of range, failed inspections, events out of order, codes
// scanned too far apart too fast or far too often (signs of copied QR codes), recalled lots still sold.
// Every alert names its subject (an EPC or a lot, canonical), the events that prove it, and says what
// happened in Chinese and English. Rules never read a clock (times come from the events) and never
// decide what is done about an alert: raising it on chain is the app's job (contract `food.raiseAlert`).
import { bizStepOf, cbvTerm, dispositionOf } from './cbv';
import type { EpcisEvent, SensorReport } from './epcis';
import { canonicalEpc, glnOf, gtinOf, lotOf, parseEpc } from './gs1';
import type { TraceEvent } from './trace';

export type AlertKind =
  | 'cold_chain'
  | 'inspection_failed'
  | 'out_of_order'
  | 'impossible_travel'
  | 'scan_frequency'
  | 'recalled_sold'
  /** A consumer scanned a code nothing is recorded for (a made-up or copied label). */
  | 'unknown_code';

export type Severity = 'warning' | 'critical';

export interface Alert {
  kind: AlertKind;
  severity: Severity;
  /** The EPC or lot concerned, canonical (GS1 Digital Link on id.gs1.org when it is a GS1 key). */
  subject: string;
  /** Ids of the events (or scans) that show it, oldest first. */
  evidence: string[];
  message: { 'zh-CN': string; en: string };
}

const ms = (time: string | number) => (typeof time === 'number' ? time : Date.parse(time));

function byTime<T extends { time: number }>(list: T[]): T[] {
  return list.sort((a, b) => a.time - b.time);
}

/** What an event is about, canonical: its objects, parent and children, inputs and outputs, classes. */
function subjectsOf(event: EpcisEvent): string[] {
  const ids = [
    ...(event.parentID ? [event.parentID] : []),
    ...(event.epcList ?? []),
    ...(event.childEPCs ?? []),
    ...(event.inputEPCList ?? []),
    ...(event.outputEPCList ?? []),
    ...[
      ...(event.quantityList ?? []),
      ...(event.childQuantityList ?? []),
      ...(event.inputQuantityList ?? []),
      ...(event.outputQuantityList ?? []),
    ].map((q) => q.epcClass),
  ];
  return [...new Set(ids.map(canonicalEpc))];
}

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

// ------------------------------------------------------------------------------------------ cold chain

/** Allowed storage temperature, °C, inclusive. */
export interface TemperatureRange {
  min: number;
  max: number;
}

/**
 * Default ranges by product category (the `category` of food.registerProduct). Chilled meat and seafood
 * 0–4 °C, frozen at or below −18 °C, fresh vegetables 0–8 °C, fruit 0–10 °C, dairy 2–6 °C. Deployments
 * replace or extend them (`ColdChainOptions.ranges`).
 */
export const DEFAULT_TEMPERATURE_RANGES: Readonly<Record<string, TemperatureRange>> = {
  meat: { min: 0, max: 4 },
  seafood_chilled: { min: 0, max: 4 },
  seafood_frozen: { min: Number.NEGATIVE_INFINITY, max: -18 },
  frozen: { min: Number.NEGATIVE_INFINITY, max: -18 },
  vegetables: { min: 0, max: 8 },
  fruit: { min: 0, max: 10 },
  dairy: { min: 2, max: 6 },
};

export interface ColdChainOptions {
  /** Category of a GTIN (14 digits), from the registered products. */
  categoryOf: (gtin: string) => string | undefined;
  ranges?: Readonly<Record<string, TemperatureRange>>;
  /** Beyond the range by more than this (°C) is critical; within it, a warning. Default 2. */
  criticalMargin?: number;
}

/** A temperature in °C from a sensor report, reading `value`, else the extreme of min/max. */
function celsius(report: SensorReport, pick: 'value' | 'minValue' | 'maxValue'): number | undefined {
  const raw = report[pick];
  if (typeof raw !== 'number') return undefined;
  switch (report.uom ?? 'CEL') {
    case 'CEL':
      return raw;
    case 'FAH':
      return ((raw - 32) * 5) / 9;
    case 'KEL':
      return raw - 273.15;
    default:
      return undefined;
  }
}

function isTemperature(report: SensorReport): boolean {
  return cbvTerm(report.type, 'measurementType') === 'Temperature';
}

/**
 * Temperature readings (sensorElementList, type Temperature) outside the range of the product's
 * category: one alert per event and subject, citing the worst reading.
 */
export function coldChainBreaches(events: readonly TraceEvent[], options: ColdChainOptions): Alert[] {
  const ranges = options.ranges ?? DEFAULT_TEMPERATURE_RANGES;
  const margin = options.criticalMargin ?? 2;
  const alerts: Alert[] = [];
  for (const { id, event } of events) {
    const readings = (event.sensorElementList ?? [])
      .flatMap((element) => element.sensorReport)
      .filter(isTemperature)
      .flatMap((r) => [celsius(r, 'value'), celsius(r, 'minValue'), celsius(r, 'maxValue')])
      .filter((t): t is number => t !== undefined);
    if (readings.length === 0) continue;
    for (const subject of subjectsOf(event)) {
      const gtin = gtinOf(subject);
      const category = gtin ? options.categoryOf(gtin) : undefined;
      const range = category ? ranges[category] : undefined;
      if (!range || !category) continue;
      // How far outside the range each reading is; the worst one is reported.
      const worst = readings.reduce(
        (w, t) => {
          const off = t > range.max ? t - range.max : t < range.min ? range.min - t : 0;
          return off > w.off ? { t, off } : w;
        },
        { t: 0, off: 0 },
      );
      if (worst.off === 0) continue;
      const bounds = `${Number.isFinite(range.min) ? fmt(range.min) : '−∞'}…${Number.isFinite(range.max) ? fmt(range.max) : '+∞'} °C`;
      alerts.push({
        kind: 'cold_chain',
        severity: worst.off > margin ? 'critical' : 'warning',
        subject,
        evidence: [id],
        message: {
          'zh-CN': `冷链温度超出范围：${category} 类产品应在 ${bounds}，${event.eventTime} 记录到 ${fmt(worst.t)} °C`,
          en: `Cold chain out of range: ${category} must be kept at ${bounds}; ${fmt(worst.t)} °C recorded at ${event.eventTime}`,
        },
      });
    }
  }
  return alerts;
}

// ------------------------------------------------------------------------------------------ inspection

/** Dispositions that, on an inspection, mean the goods failed it. */
export const FAILING_DISPOSITIONS: ReadonlySet<string> = new Set([
  'non_conformant',
  'damaged',
  'destroyed',
  'expired',
  'recalled',
  'non_sellable_other',
  'needs_replacement',
]);

const INSPECTION_STEPS = new Set(['inspecting', 'sampling']);

/**
 * Inspections (bizStep inspecting or sampling) that failed: a failing disposition is critical; an
 * inspection record declared erroneous (errorDeclaration) is a warning, since its result no longer holds.
 */
export function inspectionFailures(events: readonly TraceEvent[]): Alert[] {
  const alerts: Alert[] = [];
  for (const { id, event } of events) {
    const step = bizStepOf(event.bizStep);
    if (!step || !INSPECTION_STEPS.has(step)) continue;
    const disposition = dispositionOf(event.disposition);
    const failed = disposition !== undefined && FAILING_DISPOSITIONS.has(disposition);
    if (!failed && !event.errorDeclaration) continue;
    for (const subject of subjectsOf(event)) {
      alerts.push(
        failed
          ? {
              kind: 'inspection_failed',
              severity: 'critical',
              subject,
              evidence: [id],
              message: {
                'zh-CN': `检验不合格（${disposition}）：${event.eventTime}`,
                en: `Inspection failed (${disposition}) at ${event.eventTime}`,
              },
            }
          : {
              kind: 'inspection_failed',
              severity: 'warning',
              subject,
              evidence: [id],
              message: {
                'zh-CN': `检验记录已被声明有误，检验结果不再有效：${event.eventTime}`,
                en: `An inspection record of ${event.eventTime} was declared erroneous: its result no longer stands`,
              },
            },
      );
    }
  }
  return alerts;
}

// ------------------------------------------------------------------------------------------ order

const END_OF_LIFE = new Set(['decommissioning', 'destroying']);
const BEFORE_SALE = new Set(['shipping', 'receiving', 'commissioning']);

/**
 * Events in an impossible order for one EPC: sold before it was shipped or received, seen before it
 * was commissioned, or used after it was destroyed or decommissioned. Errors of record keeping or of a
 * copied code; corrected events (errorDeclaration) are left out.
 */
export function outOfOrderEvents(events: readonly TraceEvent[]): Alert[] {
  const perEpc = new Map<string, { id: string; time: number; step?: string; event: EpcisEvent }[]>();
  for (const { id, event } of events) {
    if (event.errorDeclaration) continue;
    for (const subject of subjectsOf(event)) {
      const list = perEpc.get(subject) ?? [];
      list.push({ id, time: ms(event.eventTime), step: bizStepOf(event.bizStep), event });
      perEpc.set(subject, list);
    }
  }
  const alerts: Alert[] = [];
  for (const [subject, list] of perEpc) {
    const sorted = byTime(list);
    const sale = sorted.find((e) => e.step === 'retail_selling');
    const laterSupply = sale && sorted.find((e) => e.time > sale.time && e.step && BEFORE_SALE.has(e.step));
    if (sale && laterSupply) {
      alerts.push({
        kind: 'out_of_order',
        severity: 'critical',
        subject,
        evidence: [sale.id, laterSupply.id],
        message: {
          'zh-CN': `销售（${sale.event.eventTime}）早于${zhStep(laterSupply.step!)}（${laterSupply.event.eventTime}）`,
          en: `Sold (${sale.event.eventTime}) before ${laterSupply.step} (${laterSupply.event.eventTime})`,
        },
      });
    }
    const commissioned = sorted.find((e) => e.step === 'commissioning' && e.event.action === 'ADD');
    const earlier = commissioned && sorted.find((e) => e.time < commissioned.time);
    if (commissioned && earlier) {
      alerts.push({
        kind: 'out_of_order',
        severity: 'warning',
        subject,
        evidence: [earlier.id, commissioned.id],
        message: {
          'zh-CN': `在赋码（${commissioned.event.eventTime}）之前已有记录（${earlier.event.eventTime}）`,
          en: `Recorded (${earlier.event.eventTime}) before it was commissioned (${commissioned.event.eventTime})`,
        },
      });
    }
    const ended = sorted.find((e) => e.step && END_OF_LIFE.has(e.step));
    const after = ended && sorted.find((e) => e.time > ended.time);
    if (ended && after) {
      alerts.push({
        kind: 'out_of_order',
        severity: 'critical',
        subject,
        evidence: [ended.id, after.id],
        message: {
          'zh-CN': `已销毁或注销（${ended.event.eventTime}）后仍出现记录（${after.event.eventTime}）`,
          en: `Seen again (${after.event.eventTime}) after it was ${ended.step === 'destroying' ? 'destroyed' : 'decommissioned'} (${ended.event.eventTime})`,
        },
      });
    }
  }
  return alerts;
}

function zhStep(step: string): string {
  return (
    ({ shipping: '发货', receiving: '收货', commissioning: '赋码' } as Record<string, string>)[step] ?? step
  );
}

// ------------------------------------------------------------------------------------------ scans

/** One reading of a code: an EPCIS event or a consumer's QR scan. */
export interface Scan {
  id: string;
  /** The serialised EPC scanned (any spelling). */
  epc: string;
  time: string | number;
  /** Where, as a GLN (master data gives its coordinates). */
  gln?: string;
  /** Where, as coordinates the scanning client reported; used before the GLN's. */
  at?: Coordinates;
}

/** Scans of serialised items in events: each item of an event at its business location (else read point). */
export function scansOf(events: readonly TraceEvent[]): Scan[] {
  const scans: Scan[] = [];
  for (const { id, event } of events) {
    const place = event.bizLocation?.id ?? event.readPoint?.id;
    const gln = place ? glnOf(place) : undefined;
    for (const epc of [...(event.epcList ?? []), ...(event.childEPCs ?? [])]) {
      scans.push({ id, epc, time: event.eventTime, ...(gln && { gln }) });
    }
  }
  return scans;
}

/** Only serial numbers identify one thing that cannot be in two places: lots and classes can. */
function isSerial(epc: string): boolean {
  try {
    const kind = parseEpc(epc).kind;
    return kind === 'sgtin' || kind === 'sscc';
  } catch {
    return false;
  }
}

interface SerialScan {
  id: string;
  time: number;
  gln?: string;
  at?: Coordinates;
}

function isPlace(at: Coordinates | undefined): at is Coordinates {
  return (
    at !== undefined &&
    Number.isFinite(at.lat) &&
    Number.isFinite(at.lon) &&
    Math.abs(at.lat) <= 90 &&
    Math.abs(at.lon) <= 180
  );
}

function scansPerSerial(scans: readonly Scan[]): Map<string, SerialScan[]> {
  const per = new Map<string, SerialScan[]>();
  for (const scan of scans) {
    if (!isSerial(scan.epc) || !Number.isFinite(ms(scan.time))) continue;
    const key = canonicalEpc(scan.epc);
    const list = per.get(key) ?? [];
    list.push({
      id: scan.id,
      time: ms(scan.time),
      ...(scan.gln && { gln: scan.gln }),
      ...(isPlace(scan.at) && { at: scan.at }),
    });
    per.set(key, list);
  }
  for (const list of per.values()) byTime(list);
  return per;
}

export interface Coordinates {
  lat: number;
  lon: number;
}

/** Great-circle distance in km (haversine, mean Earth radius). */
export function distanceKm(a: Coordinates, b: Coordinates): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface TravelOptions {
  /** Coordinates of a GLN, from the registered locations. */
  locate: (gln: string) => Coordinates | undefined;
  /** Fastest believable movement, km/h (default 900: an airliner). */
  maxSpeedKmh?: number;
  /** Closer than this (km) is the same place, whatever the time (default 5). */
  minDistanceKm?: number;
}

/** How a place is named in messages: its GLN, else its coordinates to two decimals. */
function placeName(scan: { gln?: string; at: Coordinates }): string {
  return scan.gln ?? `${scan.at.lat.toFixed(2)},${scan.at.lon.toFixed(2)}`;
}

/**
 * The same serial seen at two places further apart than it could have travelled in between: two copies
 * of one code are in circulation. A scan's place is its own coordinates, else its GLN's; scans with
 * neither are left out.
 */
export function impossibleTravel(scans: readonly Scan[], options: TravelOptions): Alert[] {
  const maxSpeed = options.maxSpeedKmh ?? 900;
  const minDistance = options.minDistanceKm ?? 5;
  const alerts: Alert[] = [];
  for (const [subject, list] of scansPerSerial(scans)) {
    const located = list.flatMap((s) => {
      const at = s.at ?? (s.gln ? options.locate(s.gln) : undefined);
      return isPlace(at) ? [{ ...s, at }] : [];
    });
    for (let i = 1; i < located.length; i++) {
      const a = located[i - 1]!;
      const b = located[i]!;
      const km = distanceKm(a.at, b.at);
      if (km < minDistance) continue;
      const hours = Math.max(b.time - a.time, 0) / 3_600_000;
      const speed = hours === 0 ? Number.POSITIVE_INFINITY : km / hours;
      if (speed <= maxSpeed) continue;
      const minutes = Math.round(hours * 60);
      alerts.push({
        kind: 'impossible_travel',
        severity: 'critical',
        subject,
        evidence: [a.id, b.id],
        message: {
          'zh-CN': `同一编码在 ${minutes} 分钟内出现在相距 ${Math.round(km)} 公里的两地（${placeName(a)} → ${placeName(b)}），疑似假冒`,
          en: `The same code was seen ${Math.round(km)} km apart within ${minutes} min (${placeName(a)} → ${placeName(b)}): probably copied`,
        },
      });
    }
  }
  return alerts;
}

export interface FrequencyOptions {
  /** More scans than this inside one window raise an alert (default 20). */
  maxScans?: number;
  /** Window length in ms (default 24 h). */
  windowMs?: number;
}

/** A serial scanned far more often than one pack ever is: its code has been copied onto many packs. */
export function scanFrequencyAnomalies(scans: readonly Scan[], options: FrequencyOptions = {}): Alert[] {
  const maxScans = options.maxScans ?? 20;
  const windowMs = options.windowMs ?? 86_400_000;
  const alerts: Alert[] = [];
  for (const [subject, list] of scansPerSerial(scans)) {
    // Sliding window over the sorted scans: the largest burst is reported, once per serial.
    let best: { from: number; to: number } | undefined;
    for (let from = 0, to = 0; to < list.length; to++) {
      while (list[to]!.time - list[from]!.time >= windowMs) from++;
      if (to - from + 1 > maxScans && (!best || to - from > best.to - best.from)) best = { from, to };
    }
    if (!best) continue;
    const burst = list.slice(best.from, best.to + 1);
    const hours = Math.round(windowMs / 3_600_000);
    alerts.push({
      kind: 'scan_frequency',
      severity: 'warning',
      subject,
      evidence: burst.map((s) => s.id),
      message: {
        'zh-CN': `同一编码在 ${hours} 小时内被扫描 ${burst.length} 次（上限 ${maxScans}），疑似被复制`,
        en: `The same code was scanned ${burst.length} times within ${hours} h (limit ${maxScans}): probably copied`,
      },
    });
  }
  return alerts;
}

// ------------------------------------------------------------------------------------------ recalls

export interface Recall {
  /** Lots recalled, any spelling: the recalled lot and those containing it (trace.recallImpact). */
  lots: readonly string[];
  /** When the recall took effect (the block time of food.issueRecall). */
  time: string | number;
  /** The recall's id on chain, for the message. */
  id?: string;
}

/** The lots an event's goods belong to, as far as their identifiers say. */
function lotsOf(event: EpcisEvent, lotOfEpc?: (epc: string) => string | undefined): string[] {
  const lots = subjectsOf(event).map((s) => lotOf(s) ?? lotOfEpc?.(s));
  return [...new Set(lots.filter((l): l is string => l !== undefined))];
}

/**
 * Retail sales (bizStep retail_selling or disposition retail_sold) of goods of a recalled lot after the
 * recall took effect. `lotOfEpc` supplies the lot of items whose identifier does not carry it (learnt
 * from their commissioning events).
 */
export function recalledStillSold(
  events: readonly TraceEvent[],
  recalls: readonly Recall[],
  lotOfEpc?: (epc: string) => string | undefined,
): Alert[] {
  const recalledSince = new Map<string, { time: number; id?: string }>();
  for (const recall of recalls) {
    for (const lot of recall.lots) {
      const key = lotOf(lot) ?? canonicalEpc(lot);
      const time = ms(recall.time);
      const known = recalledSince.get(key);
      if (!known || time < known.time) recalledSince.set(key, { time, ...(recall.id && { id: recall.id }) });
    }
  }
  const alerts: Alert[] = [];
  for (const { id, event } of events) {
    const sold =
      bizStepOf(event.bizStep) === 'retail_selling' || dispositionOf(event.disposition) === 'retail_sold';
    if (!sold) continue;
    const t = ms(event.eventTime);
    for (const lot of lotsOf(event, lotOfEpc)) {
      const recall = recalledSince.get(lot);
      if (!recall || t < recall.time) continue;
      const ref = recall.id ? ` ${recall.id}` : '';
      alerts.push({
        kind: 'recalled_sold',
        severity: 'critical',
        subject: lot,
        evidence: [id],
        message: {
          'zh-CN': `已召回${ref ? `（召回${ref}）` : ''}的批次仍在销售：${event.eventTime}`,
          en: `A recalled lot${ref ? ` (recall${ref})` : ''} was still sold at ${event.eventTime}`,
        },
      });
    }
  }
  return alerts;
}
