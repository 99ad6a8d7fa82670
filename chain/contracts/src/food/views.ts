// Read-only views of the food contract's state: anchored EPCIS events, registered products and
// locations, recalls and supervision alerts, and who may act in the food app. The food app's server and
// web read these; views never write.
import type { Address, StateReader } from '@gongxin/ledger';
import { hasRole } from '../identity/views';

/** The app name under which identity grants food roles (`identity.grantRole { app: 'food', role }`). */
export const FOOD_APP = 'food';

/** Roles of organisations in the supply chain and of supervision. */
export const FOOD_ORG_ROLES = [
  'farm',
  'processor',
  'logistics',
  'inspector',
  'retailer',
  'regulator',
] as const;
/** The food app's own service account: raises alerts its rules find. */
export const FOOD_MONITOR_ROLE = 'monitor';
export const FOOD_ROLES = [...FOOD_ORG_ROLES, FOOD_MONITOR_ROLE] as const;

export type FoodOrgRole = (typeof FOOD_ORG_ROLES)[number];
export type FoodRole = (typeof FOOD_ROLES)[number];

export const EPCIS_EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
] as const;

export const ALERT_SEVERITIES = ['warning', 'critical'] as const;

export const foodKeys = {
  event: (hashHex: string) => `food/event/${hashHex}`,
  product: (gtin: string) => `food/product/${gtin}`,
  location: (gln: string) => `food/location/${gln}`,
  recall: (id: string) => `food/recall/${id}`,
  /** Ids of the recalls naming a lot, so "is this lot recalled?" is one read. */
  recalledLot: (lot: string) => `food/recalled/${lot}`,
  alert: (id: string) => `food/alert/${id}`,
  /** An EPCIS error declaration retracting an anchored event (the anchor itself is never changed). */
  eventError: (hashHex: string) => `food/error/${hashHex}`,
} as const;

export type EventErrorDeclaration = {
  readonly hash: string;
  /** EPCIS errorDeclaration.declarationTime, ms since the epoch. */
  readonly declarationTime: number;
  /** CBV error reason (`incorrect_data`, `did_not_occur`) or a URI. */
  readonly reason?: string;
  /** Hashes of the corrective events (anchored or to be anchored). */
  readonly corrective: readonly string[];
  readonly by: Address;
  readonly at: number;
  readonly time: number;
};

export type EventAnchor = {
  /** Lowercase hex of the SHA-256 digest of the EPCIS Event Hash ID (`ni:///sha-256;<this>?ver=…`). */
  readonly hash: string;
  readonly eventType: (typeof EPCIS_EVENT_TYPES)[number];
  readonly bizStep?: string;
  /** The event's EPCs (canonical), when there were at most MAX_ANCHORED_EPCS of them… */
  readonly epcs?: readonly string[];
  /** …else the Merkle root over them (see the food app's domain/anchor.ts). */
  readonly epcsRoot?: string;
  readonly epcCount: number;
  /** EPCIS recordTime, ms since the epoch, as the capturing organisation stated it. */
  readonly recordTime: number;
  readonly by: Address;
  readonly at: number;
  readonly time: number;
  readonly txId: string;
};

export type Product = {
  /** GTIN-14. */
  readonly gtin: string;
  readonly name: string;
  /** Product category (meat, seafood_chilled, vegetables…): selects cold-chain ranges. */
  readonly category: string;
  readonly by: Address;
  readonly at: number;
};

export type FoodLocation = {
  readonly gln: string;
  readonly name: string;
  /** Latitude and longitude in millionths of a degree (the chain stores no floats). */
  readonly latE6?: number;
  readonly lonE6?: number;
  readonly by: Address;
  readonly at: number;
};

export type Recall = {
  readonly id: string;
  /** Lots as sent: canonical GS1 Digital Link URIs (`…/01/<gtin>/10/<lot>`), so look-ups match. */
  readonly lots: readonly string[];
  readonly reason: string;
  readonly by: Address;
  readonly at: number;
  readonly time: number;
};

export type AlertRecord = {
  readonly id: string;
  readonly kind: string;
  readonly subject: string;
  /** Hashes (hex) of the events or scans that show it. */
  readonly evidence: readonly string[];
  readonly severity: (typeof ALERT_SEVERITIES)[number];
  readonly by: Address;
  readonly at: number;
  readonly time: number;
  readonly status: 'open' | 'resolved';
  readonly resolved?: {
    readonly by: Address;
    readonly resolution: string;
    readonly at: number;
    readonly time: number;
  };
};

/** Any of `roles` in the food app. */
export function hasFoodRole(
  state: StateReader,
  address: Address,
  roles: readonly FoodRole[] = FOOD_ROLES,
): boolean {
  return roles.some((role) => hasRole(state, address, FOOD_APP, role));
}

export function eventAnchorOf(state: StateReader, hashHex: string): EventAnchor | undefined {
  return state.get(foodKeys.event(hashHex.toLowerCase())) as EventAnchor | undefined;
}

export function eventErrorOf(state: StateReader, hashHex: string): EventErrorDeclaration | undefined {
  return state.get(foodKeys.eventError(hashHex.toLowerCase())) as EventErrorDeclaration | undefined;
}

export function productOf(state: StateReader, gtin: string): Product | undefined {
  return state.get(foodKeys.product(gtin)) as Product | undefined;
}

export function locationOf(state: StateReader, gln: string): FoodLocation | undefined {
  return state.get(foodKeys.location(gln)) as FoodLocation | undefined;
}

export function recallOf(state: StateReader, id: string): Recall | undefined {
  return state.get(foodKeys.recall(id)) as Recall | undefined;
}

/** Recalls naming the lot, oldest first (empty when it was never recalled). */
export function recallsOfLot(state: StateReader, lot: string): Recall[] {
  const ids = (state.get(foodKeys.recalledLot(lot)) as readonly string[] | undefined) ?? [];
  return ids.map((id) => recallOf(state, id)).filter((r): r is Recall => r !== undefined);
}

export function alertOf(state: StateReader, id: string): AlertRecord | undefined {
  return state.get(foodKeys.alert(id)) as AlertRecord | undefined;
}
