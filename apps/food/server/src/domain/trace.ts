// Traceability over EPCIS events: a lot's timeline (where it has been, including inside which pallets),
// its lineage graph upstream (what went into it) and downstream (what it went into), and the impact of a
// recall (which lots that reached retail contain a given farm lot). Pure logic over an `EventStore`: the
// app implements the store over PostgreSQL, tests use `MemoryEventStore`. Nothing here writes or reads a
// clock; every answer is bounded (`maxNodes`) so a huge fan-out cannot take the server down.
//
// The model. Nodes are identifiers in canonical form (gs1.canonicalEpc): items (SGTIN), lots (LGTIN),
// products (GTIN patterns) and containers (SSCC…). Material flows along three kinds of links, each made
// by one event at one time:
//   transformed  input → output of a TransformationEvent;
//   packed       child → parent of an AggregationEvent (ADD/OBSERVE), until a DELETE takes it out again;
//   lot member   lot → item, by an ObjectEvent ADD whose ILMD names the lot (cbvmda:lotNumber).
// Shipping, receiving and selling do not change identity: they are events *of* a node, and tell where it
// was. A node is reached with a time window (when it carries the material of interest) and a mode: `whole`
// (all of it is concerned) or `carrier` (a container holding concerned goods among others). A carrier is
// followed into its own containers and its whereabouts count for what it carries, but it never passes the
// concern on to its other contents: a clean lot on the same pallet as a recalled one is not recalled.
import { bizStepOf, cbvTerm, dispositionOf } from './cbv';
import type { EpcisEvent, QuantityElement } from './epcis';
import { canonicalEpc, glnOf, lotOf, parseEpc, toDigitalLink } from './gs1';

/** The part an identifier plays in an event. Quantity lists play the role of their EPC list. */
export type EpcRole = 'object' | 'parent' | 'child' | 'input' | 'output' | 'lot';

export interface TraceEvent {
  /** The event's hash id (or eventID): what evidence and alerts cite. */
  id: string;
  event: EpcisEvent;
}

/** Where the app keeps events; any order is fine (callers sort by event time). */
export interface EventStore {
  /** Events naming `key` (canonical, see `canonicalEpc`) in one of `roles`, every role when omitted. */
  eventsFor(key: string, roles?: readonly EpcRole[]): Promise<TraceEvent[]>;
}

// ------------------------------------------------------------------------------------------ indexing

const ILMD_LOT_NUMBER = ['cbvmda:lotNumber', 'urn:epcglobal:cbv:mda:lotNumber'];

/** The lots an ObjectEvent ADD commissions its items into (ILMD lot number + the items' GTINs). */
function commissionedLots(event: EpcisEvent): string[] {
  if (event.type !== 'ObjectEvent' || event.action !== 'ADD' || !event.ilmd) return [];
  const lot = ILMD_LOT_NUMBER.map((k) => event.ilmd?.[k]).find(
    (v) => typeof v === 'string' || typeof v === 'number',
  );
  if (lot === undefined) return [];
  const lots = new Set<string>();
  for (const epc of event.epcList ?? []) {
    try {
      const key = parseEpc(epc);
      if (key.kind === 'sgtin') lots.add(toDigitalLink({ kind: 'lgtin', gtin: key.gtin, lot: String(lot) }));
    } catch {
      // Not a GS1 item: it has no GS1 lot.
    }
  }
  return [...lots];
}

const classes = (list: readonly QuantityElement[] | undefined) => (list ?? []).map((q) => q.epcClass);

/** Every (identifier, role) an event names, canonical: what a store indexes events by. */
export function eventKeys(event: EpcisEvent): { key: string; role: EpcRole }[] {
  return [...indexOf(event).byKey].flatMap(([key, roles]) => [...roles].map((role) => ({ key, role })));
}

interface EventIndex {
  byKey: Map<string, Set<EpcRole>>;
  byRole: Map<EpcRole, string[]>;
}

// Walks ask an event about its keys once per node that meets it: for a pallet of thousands of cases that
// is thousands of times, so an event's index is built once (events are not changed once stored).
const indexes = new WeakMap<EpcisEvent, EventIndex>();

function indexOf(event: EpcisEvent): EventIndex {
  let index = indexes.get(event);
  if (!index) {
    index = { byKey: new Map(), byRole: new Map() };
    for (const { key, role } of keysOfEvent(event)) {
      const roles = index.byKey.get(key) ?? new Set<EpcRole>();
      if (roles.has(role)) continue;
      roles.add(role);
      index.byKey.set(key, roles);
      const keys = index.byRole.get(role) ?? [];
      keys.push(key);
      index.byRole.set(role, keys);
    }
    indexes.set(event, index);
  }
  return index;
}

function keysOfEvent(event: EpcisEvent): { key: string; role: EpcRole }[] {
  const out: { key: string; role: EpcRole }[] = [];
  const add = (values: readonly string[], role: EpcRole) => {
    for (const value of values) out.push({ key: canonicalEpc(value), role });
  };
  switch (event.type) {
    case 'TransformationEvent':
      add([...(event.inputEPCList ?? []), ...classes(event.inputQuantityList)], 'input');
      add([...(event.outputEPCList ?? []), ...classes(event.outputQuantityList)], 'output');
      break;
    case 'AggregationEvent':
    case 'AssociationEvent':
      add(event.parentID ? [event.parentID] : [], 'parent');
      add([...(event.childEPCs ?? []), ...classes(event.childQuantityList)], 'child');
      break;
    default:
      add(event.parentID ? [event.parentID] : [], 'parent');
      add([...(event.epcList ?? []), ...classes(event.quantityList)], 'object');
      for (const lot of commissionedLots(event)) out.push({ key: lot, role: 'lot' });
  }
  return out;
}

function rolesOf(event: EpcisEvent, key: string): ReadonlySet<EpcRole> {
  return indexOf(event).byKey.get(key) ?? new Set();
}

/** An in-memory EventStore (tests, demos, small tools). */
export class MemoryEventStore implements EventStore {
  private readonly byKey = new Map<string, Map<string, { role: EpcRole; event: TraceEvent }[]>>();

  add(id: string, event: EpcisEvent): this {
    for (const { key, role } of eventKeys(event)) {
      const events = this.byKey.get(key) ?? new Map<string, { role: EpcRole; event: TraceEvent }[]>();
      this.byKey.set(key, events);
      const entries = events.get(id) ?? [];
      entries.push({ role, event: { id, event } });
      events.set(id, entries);
    }
    return this;
  }

  async eventsFor(key: string, roles?: readonly EpcRole[]): Promise<TraceEvent[]> {
    const events = this.byKey.get(key);
    if (!events) return [];
    const found: TraceEvent[] = [];
    for (const entries of events.values()) {
      const match = entries.find((e) => !roles || roles.includes(e.role));
      if (match) found.push(match.event);
    }
    return found;
  }
}

// ------------------------------------------------------------------------------------------ traversal

export type Relation = 'transformed' | 'packed' | 'lot-member';
export type Direction = 'upstream' | 'downstream';
export type NodeKind = 'lot' | 'item' | 'product' | 'container' | 'other';

export interface LineageNode {
  key: string;
  kind: NodeKind;
  /** Links from the root. */
  depth: number;
  /** A container reached only because it carried concerned goods. */
  carrier: boolean;
}

/** A link in the direction material moved (from upstream to downstream), whichever way it was walked. */
export interface LineageEdge {
  from: string;
  to: string;
  relation: Relation;
  eventId: string;
  eventTime: string;
}

export interface LineageGraph {
  root: string;
  direction: Direction;
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** The walk stopped at `maxNodes`: the graph is incomplete. */
  truncated: boolean;
}

export interface TraceOptions {
  /** Most nodes one walk visits (default 10 000). */
  maxNodes?: number;
}

const DEFAULT_MAX_NODES = 10_000;

function kindOf(key: string): NodeKind {
  try {
    const parsed = parseEpc(key);
    if (parsed.kind === 'lgtin') return 'lot';
    if (parsed.kind === 'sgtin') return 'item';
    if (parsed.kind === 'gtin') return 'product';
    return parsed.kind === 'sscc' ? 'container' : 'other';
  } catch {
    return 'other';
  }
}

const timeOf = (e: TraceEvent) => Date.parse(e.event.eventTime);

interface Visit {
  key: string;
  /** Concerned during [from, to): event times in ms. */
  from: number;
  to: number;
  carrier: boolean;
  depth: number;
  /** For a carrier: the concerned goods it holds (their whereabouts are its whereabouts). */
  carries: Set<string>;
  /** How the walk got here. */
  reachedBy?: { edge: LineageEdge; from: Visit };
  /** Carriers this visit led to (its goods travel on in them). */
  carriersInside: Visit[];
}

/** Memoises one walk's reads: a node is asked for once, however many paths lead to it. */
class CachedStore {
  private readonly cache = new Map<string, Promise<TraceEvent[]>>();

  constructor(private readonly store: EventStore) {}

  events(key: string, roles?: readonly EpcRole[]): Promise<TraceEvent[]> {
    const id = `${key}\n${roles?.join(',') ?? '*'}`;
    let found = this.cache.get(id);
    if (!found) {
      found = this.store
        .eventsFor(key, roles)
        .then((events) => events.slice().sort((a, b) => timeOf(a) - timeOf(b) || (a.id < b.id ? -1 : 1)));
      this.cache.set(id, found);
    }
    return found;
  }
}

/**
 * The end of the window in which `parent` held `child` (packed at `since`): just after the DELETE that
 * takes it out (naming it, or naming no child: "all"), so the unpacking itself belongs to the window.
 */
async function unpackedAt(store: CachedStore, parent: string, child: string, since: number): Promise<number> {
  for (const e of await store.events(parent, ['parent'])) {
    const t = timeOf(e);
    if (e.event.errorDeclaration) continue;
    if (e.event.type !== 'AggregationEvent' || e.event.action !== 'DELETE' || t <= since) continue;
    const children = keysIn(e.event, 'child');
    if (children.length === 0 || children.includes(child)) return t + 1;
  }
  return Number.POSITIVE_INFINITY;
}

const keysIn = (event: EpcisEvent, role: EpcRole): readonly string[] => indexOf(event).byRole.get(role) ?? [];

interface Step {
  next: { key: string; from: number; to: number; carrier: boolean };
  edge: LineageEdge;
}

/** Links out of one visit, in the walking direction. */
async function steps(store: CachedStore, visit: Visit, direction: Direction): Promise<Step[]> {
  const out: Step[] = [];
  const link = (e: TraceEvent, from: string, to: string, relation: Relation): LineageEdge => ({
    from,
    to,
    relation,
    eventId: e.id,
    eventTime: e.event.eventTime,
  });
  const roles: EpcRole[] = visit.carrier
    ? ['child']
    : direction === 'downstream'
      ? ['input', 'child', 'parent', 'lot']
      : ['output', 'child', 'parent', 'object'];
  for (const e of await store.events(visit.key, roles)) {
    const t = timeOf(e);
    if (t < visit.from || t >= visit.to) continue;
    const { event } = e;
    // An event declared erroneous (EPCIS errorDeclaration) moved nothing: its corrective events did.
    if (event.errorDeclaration) continue;
    const mine = rolesOf(event, visit.key);
    const packs = event.type === 'AggregationEvent' && (event.action === 'ADD' || event.action === 'OBSERVE');

    if (packs && mine.has('child')) {
      // Into a container, in either direction: it carries the goods until unpacked.
      for (const parent of keysIn(event, 'parent')) {
        const to = await unpackedAt(store, parent, visit.key, t);
        out.push({
          next: { key: parent, from: t, to, carrier: true },
          edge: link(e, visit.key, parent, 'packed'),
        });
      }
    }
    if (visit.carrier) continue;

    if (direction === 'downstream') {
      if (event.type === 'TransformationEvent' && mine.has('input')) {
        for (const output of keysIn(event, 'output')) {
          out.push({
            next: { key: output, from: t, to: Number.POSITIVE_INFINITY, carrier: false },
            edge: link(e, visit.key, output, 'transformed'),
          });
        }
      }
      if (event.type === 'AggregationEvent' && mine.has('parent')) {
        // What comes out of, or is in, a concerned container is concerned from then on.
        for (const child of keysIn(event, 'child')) {
          out.push({
            next: { key: child, from: t, to: Number.POSITIVE_INFINITY, carrier: false },
            edge: link(e, child, visit.key, 'packed'),
          });
        }
      }
      if (mine.has('lot')) {
        const lot = visit.key;
        for (const item of keysIn(event, 'object').filter((k) => lotOfItem(k, lot))) {
          out.push({
            next: { key: item, from: t, to: Number.POSITIVE_INFINITY, carrier: false },
            edge: link(e, lot, item, 'lot-member'),
          });
        }
      }
    } else {
      const before = { from: Number.NEGATIVE_INFINITY, to: t + 1, carrier: false };
      if (event.type === 'TransformationEvent' && mine.has('output')) {
        for (const input of keysIn(event, 'input'))
          out.push({ next: { key: input, ...before }, edge: link(e, input, visit.key, 'transformed') });
      }
      if (packs && mine.has('parent')) {
        for (const child of keysIn(event, 'child'))
          out.push({ next: { key: child, ...before }, edge: link(e, child, visit.key, 'packed') });
      }
      if (mine.has('object')) {
        for (const lot of commissionedLots(event)) {
          if (lotOfItem(visit.key, lot))
            out.push({ next: { key: lot, ...before }, edge: link(e, lot, visit.key, 'lot-member') });
        }
      }
    }
  }
  return out;
}

/** Whether item `item` has the GTIN of `lot` (a lot commissions items of its own product only). */
function lotOfItem(item: string, lot: string): boolean {
  try {
    const i = parseEpc(item);
    const l = parseEpc(lot);
    return i.kind === 'sgtin' && l.kind === 'lgtin' && i.gtin === l.gtin;
  } catch {
    return false;
  }
}

/** Adds goods to a carrier and to the carriers it went into. */
function credit(carrier: Visit, goods: Iterable<string>, done = new Set<Visit>()): void {
  if (done.has(carrier)) return;
  done.add(carrier);
  for (const g of goods) carrier.carries.add(g);
  for (const inner of carrier.carriersInside) credit(inner, carrier.carries, done);
}

interface Walk {
  visits: Visit[];
  edges: LineageEdge[];
  truncated: boolean;
  store: CachedStore;
}

function rootVisit(key: string): Visit {
  const always = { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY };
  return { key, ...always, carrier: false, depth: 0, carries: new Set(), carriersInside: [] };
}

async function walk(
  store: EventStore,
  root: string,
  direction: Direction,
  options: TraceOptions,
): Promise<Walk> {
  const cached = new CachedStore(store);
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  const start = rootVisit(root);
  const seen = new Map<string, Visit[]>([[root, [start]]]);
  const visits: Visit[] = [start];
  const edges = new Map<string, LineageEdge>();
  let truncated = false;
  // Breadth first: depth is the number of links from the root.
  for (let i = 0; i < visits.length; i++) {
    const visit = visits[i]!;
    for (const { next, edge } of await steps(cached, visit, direction)) {
      const earlier = seen.get(next.key) ?? [];
      if (earlier.length === 0 && seen.size >= maxNodes) {
        truncated = true;
        continue;
      }
      edges.set(`${edge.from}\n${edge.to}\n${edge.eventId}\n${edge.relation}`, edge);
      const goods = visit.carrier ? visit.carries : [visit.key];
      if (next.carrier) {
        // One carrier visit per packing window; later goods packed in the same window join it.
        const same = earlier.find((s) => s.carrier && s.from === next.from && s.to === next.to);
        if (same) {
          credit(same, goods);
          continue;
        }
      }
      // A visit inside an earlier whole one adds nothing (cycles end here).
      if (earlier.some((s) => !s.carrier && s.from <= next.from && s.to >= next.to)) continue;
      const v: Visit = {
        ...next,
        depth: visit.depth + 1,
        carries: new Set(next.carrier ? goods : []),
        reachedBy: { edge, from: visit },
        carriersInside: [],
      };
      if (next.carrier) visit.carriersInside.push(v);
      seen.set(next.key, [...earlier, v]);
      visits.push(v);
    }
  }
  return { visits, edges: [...edges.values()], truncated, store: cached };
}

/**
 * The lineage graph of `key`: upstream, what it was made of and packed with (transformation inputs,
 * the lot an item was commissioned in, what a concerned container held, and the containers that carried
 * it); downstream, what it became (transformation outputs, items of a lot, what came out of a concerned
 * container) and the containers it travelled in.
 */
export async function lineage(
  store: EventStore,
  key: string,
  direction: Direction,
  options: TraceOptions = {},
): Promise<LineageGraph> {
  const root = canonicalEpc(key);
  const { visits, edges, truncated } = await walk(store, root, direction, options);
  const nodes = new Map<string, LineageNode>();
  for (const v of visits) {
    const known = nodes.get(v.key);
    if (!known) nodes.set(v.key, { key: v.key, kind: kindOf(v.key), depth: v.depth, carrier: v.carrier });
    else if (!v.carrier) known.carrier = false;
  }
  return { root, direction, nodes: [...nodes.values()], edges, truncated };
}

// ------------------------------------------------------------------------------------------ timeline

export interface TimelineEntry {
  eventId: string;
  eventTime: string;
  /** The event's own time zone offset (`+08:00`), to show its time as it was local there. */
  offset?: string;
  type: string;
  action?: string;
  /** The CBV term when the step is standard, else the URI as written. */
  bizStep?: string;
  disposition?: string;
  readPoint?: string;
  bizLocation?: string;
  /** GLN of the business location (else the read point), for master data look-ups. */
  gln?: string;
  /** Set when the event happened to a container holding the lot, not to the lot itself. */
  via?: string;
  /** The event was declared erroneous (EPCIS errorDeclaration): it did not happen as recorded. */
  retracted?: { declarationTime: string; reason?: string; correctiveEventIDs: string[] };
}

function entryOf(e: TraceEvent, via?: string): TimelineEntry {
  const { event } = e;
  const location = event.bizLocation?.id ?? event.readPoint?.id;
  const gln = location ? glnOf(location) : undefined;
  return {
    eventId: e.id,
    eventTime: event.eventTime,
    ...(event.eventTimeZoneOffset && { offset: event.eventTimeZoneOffset }),
    type: event.type,
    ...(event.action && { action: event.action }),
    ...(event.bizStep && { bizStep: bizStepOf(event.bizStep) ?? event.bizStep }),
    ...(event.disposition && { disposition: dispositionOf(event.disposition) ?? event.disposition }),
    ...(event.readPoint && { readPoint: event.readPoint.id }),
    ...(event.bizLocation && { bizLocation: event.bizLocation.id }),
    ...(gln && { gln }),
    ...(via && { via }),
    ...(event.errorDeclaration && {
      retracted: {
        declarationTime: event.errorDeclaration.declarationTime,
        ...(typeof event.errorDeclaration.reason === 'string' && {
          reason: cbvTerm(event.errorDeclaration.reason, 'errorReason') ?? event.errorDeclaration.reason,
        }),
        correctiveEventIDs: event.errorDeclaration.correctiveEventIDs ?? [],
      },
    }),
  };
}

/** Events of a visit during its window (a container's only while it held the goods). */
async function presence(store: CachedStore, visit: Visit): Promise<TraceEvent[]> {
  return (await store.events(visit.key)).filter((e) => {
    const t = timeOf(e);
    return t >= visit.from && t < visit.to;
  });
}

/**
 * A lot's (or any identifier's) story in time order: its own events, and those of the containers it
 * travelled in while it was inside them (marked `via`).
 */
export async function timeline(
  store: EventStore,
  key: string,
  options: TraceOptions = {},
): Promise<TimelineEntry[]> {
  const root = canonicalEpc(key);
  const cached = new CachedStore(store);
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  const visits: Visit[] = [rootVisit(root)];
  const entries = new Map<string, TimelineEntry>();
  for (let i = 0; i < visits.length && i < maxNodes; i++) {
    const visit = visits[i]!;
    for (const e of await presence(cached, visit)) {
      if (!entries.has(e.id)) entries.set(e.id, entryOf(e, visit.key === root ? undefined : visit.key));
    }
    // Only containers: a timeline follows the goods, not what they became.
    for (const { next } of await steps(cached, { ...visit, carrier: true }, 'downstream')) {
      if (!visits.some((v) => v.key === next.key && v.from <= next.from && v.to >= next.to)) {
        visits.push({ ...next, depth: visit.depth + 1, carries: new Set([root]), carriersInside: [] });
      }
    }
  }
  return [...entries.values()].sort(
    (a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime) || (a.eventId < b.eventId ? -1 : 1),
  );
}

// ------------------------------------------------------------------------------------------ recall

export interface RetailCriteria {
  /** GLNs of retail locations (from master data); events there count as having reached retail. */
  retailLocations?: ReadonlySet<string>;
}

/** Whether an event records a retail sale (CBV retail_selling step or retail_sold disposition). */
function isSale(event: EpcisEvent): boolean {
  return bizStepOf(event.bizStep) === 'retail_selling' || dispositionOf(event.disposition) === 'retail_sold';
}

/**
 * The retail places an event shows goods at: where a sale happened (its business location, else read
 * point), and any of its business location, read point or destinations that is a retail location. An
 * empty list: the event says nothing about retail.
 */
export function retailPlacesOf(
  event: EpcisEvent,
  criteria: RetailCriteria = {},
): { gln: string | undefined; sold: boolean }[] {
  const sold = isSale(event);
  const retail = criteria.retailLocations ?? new Set<string>();
  const glnAt = (id: string | undefined) => (id ? glnOf(id) : undefined);
  const here = glnAt(event.bizLocation?.id) ?? glnAt(event.readPoint?.id);
  const places = new Map<string | undefined, boolean>();
  if (sold) places.set(here, true);
  for (const id of [
    event.bizLocation?.id,
    event.readPoint?.id,
    ...(event.destinationList ?? []).map((d) => d.destination),
  ]) {
    const gln = glnAt(id);
    if (gln && retail.has(gln) && !places.has(gln)) places.set(gln, sold && gln === here);
  }
  return [...places].map(([gln, atSale]) => ({ gln, sold: atSale }));
}

/** Retail evidence in one event: a retail sale, or any step at or towards a retail location. */
export function reachesRetail(event: EpcisEvent, criteria: RetailCriteria = {}): boolean {
  return retailPlacesOf(event, criteria).length > 0;
}

export interface PathStep {
  key: string;
  relation: Relation;
  eventId: string;
}

/** A retail location where affected goods are (received, stocked, shipped to) or were sold. */
export interface RetailPlace {
  /** GLN of the location; undefined for a sale recorded without a place. */
  gln?: string;
  /** A sale was recorded there; else the goods were delivered or stocked there (it holds them). */
  sold: boolean;
  /** The affected lots (canonical) found there. */
  lots: string[];
  /** Ids of the events that show it. */
  evidence: string[];
}

export interface AffectedLot {
  /** The lot (canonical LGTIN Digital Link), or the identifier itself when its lot is unknown. */
  lot: string;
  kind: NodeKind;
  atRetail: boolean;
  /** Ids of the events that show it reached retail (on it, or on a container holding it). */
  evidence: string[];
  /** Where at retail it is or was sold. */
  places: { gln?: string; sold: boolean }[];
  /** How the recalled lot got into it, from the recalled lot onwards (empty: the recalled lot itself). */
  path: PathStep[];
}

export interface RecallImpact {
  origin: string;
  /**
   * The recalled lot itself and every lot or item that contains it (containers are not listed: see
   * lineage), each with where it reached retail.
   */
  affected: AffectedLot[];
  /** The subset that reached retail: what must come off the shelves. */
  retailLots: AffectedLot[];
  /** Every retail location that holds or sold affected goods, with the lots and the evidence. */
  retailPlaces: RetailPlace[];
  truncated: boolean;
}

/**
 * What a recall of `recalledLot` reaches: the lot itself and its downstream closure (through
 * transformations, commissioning of items, aggregation into cases and pallets and out of them again,
 * across whichever organisations recorded the events), each with the retail locations where it was
 * delivered, stocked or sold (itself, or in a container while holding it), and the chain of events that
 * links it to the recalled lot. Events declared erroneous are left out.
 */
export async function recallImpact(
  store: EventStore,
  recalledLot: string,
  criteria: RetailCriteria = {},
  options: TraceOptions = {},
): Promise<RecallImpact> {
  const origin = canonicalEpc(recalledLot);
  const { visits, truncated, store: cached } = await walk(store, origin, 'downstream', options);

  type Seen = {
    evidence: Set<string>;
    places: Map<string, { gln?: string; sold: boolean; evidence: Set<string> }>;
  };
  const found = new Map<string, Seen>();
  const seenOf = (key: string) => {
    let seen = found.get(key);
    if (!seen) {
      seen = { evidence: new Set(), places: new Map() };
      found.set(key, seen);
    }
    return seen;
  };
  for (const visit of visits) {
    const holders = visit.carrier ? visit.carries : [visit.key];
    for (const e of await presence(cached, visit)) {
      if (e.event.errorDeclaration) continue;
      const places = retailPlacesOf(e.event, criteria);
      if (places.length === 0) continue;
      for (const holder of holders) {
        const seen = seenOf(holder);
        seen.evidence.add(e.id);
        for (const p of places) {
          const id = p.gln ?? '';
          const place = seen.places.get(id) ?? {
            ...(p.gln && { gln: p.gln }),
            sold: false,
            evidence: new Set<string>(),
          };
          place.sold ||= p.sold;
          place.evidence.add(e.id);
          seen.places.set(id, place);
        }
      }
    }
  }

  const pathTo = (visit: Visit): PathStep[] => {
    const path: PathStep[] = [];
    for (let v: Visit | undefined = visit; v?.reachedBy; v = v.reachedBy.from) {
      const { edge } = v.reachedBy;
      path.unshift({ key: v.key, relation: edge.relation, eventId: edge.eventId });
    }
    return path;
  };

  const byLot = new Map<string, AffectedLot>();
  const placesOf = new Map<string, Seen['places']>();
  for (const visit of visits) {
    if (visit.carrier) continue;
    // Items commissioned into a lot answer for that lot.
    const viaLot = visit.reachedBy?.edge.relation === 'lot-member' ? visit.reachedBy.edge.from : undefined;
    const lot = visit.key === origin ? origin : (lotOf(visit.key) ?? viaLot ?? visit.key);
    const seen = found.get(visit.key);
    const merged = placesOf.get(lot) ?? new Map();
    for (const [id, p] of seen?.places ?? []) {
      const known = merged.get(id) ?? {
        ...(p.gln && { gln: p.gln }),
        sold: false,
        evidence: new Set<string>(),
      };
      known.sold ||= p.sold;
      for (const e of p.evidence) known.evidence.add(e);
      merged.set(id, known);
    }
    placesOf.set(lot, merged);
    const evidence = [...(seen?.evidence ?? [])];
    const known = byLot.get(lot);
    if (known) {
      known.evidence = [...new Set([...known.evidence, ...evidence])].sort();
      known.atRetail = known.evidence.length > 0;
      continue;
    }
    byLot.set(lot, {
      lot,
      kind: kindOf(lot),
      atRetail: evidence.length > 0,
      evidence: evidence.sort(),
      places: [],
      path: pathTo(visit),
    });
  }

  const retailPlaces = new Map<string, RetailPlace>();
  for (const [lot, places] of placesOf) {
    const affected = byLot.get(lot)!;
    affected.places = [...places.values()]
      .map((p) => ({ ...(p.gln && { gln: p.gln }), sold: p.sold }))
      .sort((a, b) => (a.gln ?? '').localeCompare(b.gln ?? ''));
    for (const [id, p] of places) {
      const place = retailPlaces.get(id) ?? {
        ...(p.gln && { gln: p.gln }),
        sold: false,
        lots: [],
        evidence: [],
      };
      place.sold ||= p.sold;
      if (!place.lots.includes(lot)) place.lots.push(lot);
      place.evidence = [...new Set([...place.evidence, ...p.evidence])].sort();
      retailPlaces.set(id, place);
    }
  }
  const affected = [...byLot.values()];
  return {
    origin,
    affected,
    retailLots: affected.filter((a) => a.atRetail),
    retailPlaces: [...retailPlaces.values()].sort((a, b) => (a.gln ?? '').localeCompare(b.gln ?? '')),
    truncated,
  };
}
