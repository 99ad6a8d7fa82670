// Read-only views of the energy contract's state: the market's configuration, plants and their meters,
// anchored 15-minute intervals, orders and slots, settlements, green-certificate lots and subsidy
// receivables. The solar app's server and web read these; views never write.
import { type Address, asBigInt, type StateReader, type Value } from '@gongxin/ledger';
import { hasRole } from '../identity/views';

/** The app name under which identity grants energy roles. */
export const ENERGY_APP = 'energy';
/** The grid operator: sets tariffs, certifies plants, receives grid fees and imbalance, pays feed-in and subsidies. */
export const ENERGY_OPERATOR_ROLE = 'operator';
/** The solar app's ingestion service: anchors the 15-minute intervals of verified readings. */
export const ENERGY_INGESTER_ROLE = 'ingester';

/** A market slot and a metering interval: 15 minutes, aligned to the epoch. */
export const SLOT_MS = 15 * 60_000;
/** 1 green certificate (绿证) per 1,000 kWh. */
export const WH_PER_CERTIFICATE = 1_000_000n;
/** Certificates are valid two years from issue. */
export const CERTIFICATE_YEARS = 2;
/** Months of certificates and subsidies are calendar months in China Standard Time (UTC+8, no DST). */
export const CST_OFFSET_MS = 8 * 3_600_000;

export const energyKeys = {
  config: () => 'energy/config',
  plant: (id: string) => `energy/plant/${id}`,
  meter: (id: string) => `energy/meter/${id}`,
  interval: (meter: string, start: number) => `energy/interval/${meter}/${start}`,
  /** Per plant and slot: exported Wh anchored so far and how many of its meters anchored it. */
  delivery: (plant: string, slot: number) => `energy/delivery/${plant}/${slot}`,
  month: (plant: string, month: string) => `energy/month/${plant}/${month}`,
  order: (id: string) => `energy/order/${id}`,
  slot: (slot: number) => `energy/slot/${slot}`,
  settlement: (slot: number, plant: string) => `energy/settlement/${slot}/${plant}`,
  lot: (id: string) => `energy/lot/${id}`,
  subsidy: (id: string) => `energy/subsidy/${id}`,
  /** Energy contract v2: a plant's owner points earned from anchored export and the Wh carried. */
  points: (plant: string) => `energy/points/${plant}`,
} as const;

/** Owner points (总积分, energy contract v2): one point per kWh of anchored export. */
export const WH_PER_POINT = 1_000n;

export type EnergyConfig = {
  /** The on-chain CNY asset trades are paid in (fen). */
  readonly currency: string;
  readonly operator: Address;
  /** Grid fee (过网费) charged to buyers, fen/MWh. */
  readonly gridFee: bigint;
  /** Price of a seller's shortfall bought from the grid, fen/MWh. */
  readonly imbalance: bigint;
  /** Feed-in tariff of a seller's surplus, fen/MWh. */
  readonly feedIn: bigint;
  /** Subsidy rate per eligible MWh, fen/MWh. */
  readonly subsidyRate: bigint;
  /**
   * How slots opened from now on are matched: `clear` (absent: pay-as-clear, one price per slot when it
   * begins) or `continuous` (each order trades on arrival with the resting orders it reaches).
   */
  readonly matching?: MatchingMode;
  /**
   * Energy contract v2: the mintable asset (0 decimals, issued by the operator) in which plant owners
   * earn points from anchored export; absent, no points are earned.
   */
  readonly points?: string;
};

/** A plant's points account (energy contract v2). */
export type PlantPoints = {
  readonly plant: string;
  /** Points credited to the plant's owner, ever. */
  readonly earned: bigint;
  /**
   * Wh of anchored export not yet worth a whole point, carried to the next interval; negative when a
   * true-up took back export already turned into points (paid back by the next export).
   */
  readonly carryWh: bigint;
  /** Height and tx of the last credit. */
  readonly at?: number;
  readonly txId?: string;
};

export const MATCHING_MODES = ['clear', 'continuous'] as const;
export type MatchingMode = (typeof MATCHING_MODES)[number];

export type Plant = {
  readonly id: string;
  readonly owner: Address;
  readonly name: string;
  /** Peak capacity, W. */
  readonly capacityW: bigint;
  readonly latE6: number;
  readonly lonE6: number;
  /** Commissioning date, ms since the epoch. */
  readonly commissioned: number;
  readonly meters: readonly string[];
  readonly certified: boolean;
  /** Wh anchored as export, ever. */
  readonly anchoredWh: bigint;
  /** Wh delivered under green-power trades: never certified as well. */
  readonly greenWh: bigint;
  /** Wh covered by issued certificates (count × 1,000,000). */
  readonly certifiedWh: bigint;
  /** Eligible Wh not yet certified, carried to the next issue (below 1 MWh after an issue). */
  readonly carryWh: bigint;
  /** The last month (YYYY-MM) certificates were issued for. */
  readonly lastIssued?: string;
  readonly at: number;
};

export type Meter = {
  readonly id: string;
  readonly plant: string;
  readonly owner: Address;
  /** The gateway's Ed25519 public key, hex: readings are verified against it. */
  readonly key: string;
  readonly at: number;
};

export type IntervalAnchor = {
  readonly meter: string;
  readonly plant: string;
  /** Interval start, ms (a multiple of SLOT_MS). */
  readonly start: number;
  /** Merkle root of the interval's readings (the solar app's reading tree). */
  readonly root: string;
  readonly readings: number;
  readonly exportWh: bigint;
  readonly importWh: bigint;
  /** A counter went down in the interval: a new epoch began (energy across the reset is not invented). */
  readonly reset: boolean;
  /** Part of the energy is an estimated split of a gap; a later revision trues it up. */
  readonly estimated: boolean;
  readonly revision: number;
  readonly by: Address;
  readonly at: number;
  readonly time: number;
  readonly txId: string;
};

export type Delivery = { readonly wh: bigint; readonly meters: number; readonly estimated: number };

export type MonthRecord = {
  readonly wh: bigint;
  /** Intervals of the month still estimated: certificates wait for their true-up. */
  readonly estimated: number;
  /** Green sell orders of the month not yet settled or returned: certificates wait for them. */
  readonly greenPending: number;
  readonly issued: boolean;
  readonly subsidised: boolean;
};

export const ORDER_STATUSES = ['open', 'cleared', 'unfilled', 'settled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type Order = {
  readonly id: string;
  readonly slot: number;
  readonly side: 'sell' | 'buy';
  readonly account: Address;
  /** Sell orders: the plant the energy comes from. */
  readonly plant?: string;
  readonly wh: bigint;
  /** Limit price, fen/MWh. */
  readonly price: bigint;
  /** Sold or bought as green power: the delivered MWh earn no certificate. */
  readonly green: boolean;
  readonly seq: number;
  readonly status: OrderStatus;
  readonly filledWh: bigint;
  /** Fen of energy paid (buy) or earned (sell) at the clearing price. */
  readonly energyFen: bigint;
  /** Grid fee paid (buy). */
  readonly feeFen: bigint;
  /** Fen this order keeps locked now (buy orders: its escrow). */
  readonly locked: bigint;
  readonly at: number;
};

export type Slot = {
  readonly slot: number;
  readonly orders: readonly string[];
  readonly status: 'open' | 'cleared' | 'settled';
  /** `continuous` when the slot's orders trade on arrival; absent: pay-as-clear. */
  readonly mode?: 'continuous';
  /** The pay-as-clear price (continuous slots have none: each trade has its own). */
  readonly price?: bigint;
  readonly volume?: bigint;
  readonly energyFen?: bigint;
  readonly feeFen?: bigint;
};

export type Settlement = {
  readonly slot: number;
  readonly plant: string;
  readonly soldWh: bigint;
  readonly deliveredWh: bigint;
  /** Fen the grid owes the seller (negative: the seller owes the grid) for surplus and shortfall. */
  readonly net: bigint;
  readonly estimated: boolean;
  readonly at: number;
};

export const LOT_STATUSES = ['active', 'retired', 'expired'] as const;
export type CertificateLot = {
  readonly id: string;
  readonly plant: string;
  readonly month: string;
  readonly owner: Address;
  readonly count: number;
  readonly issued: number;
  readonly expires: number;
  readonly status: (typeof LOT_STATUSES)[number];
  readonly beneficiary?: string;
  readonly at: number;
};

export type Subsidy = {
  readonly id: string;
  readonly plant: string;
  readonly month: string;
  readonly wh: bigint;
  readonly faceFen: bigint;
  readonly holder: Address;
  readonly status: 'open' | 'paid';
  readonly askFen?: bigint;
  readonly at: number;
};

const bi = (v: Value | undefined): bigint => asBigInt(v) ?? 0n;

export function hasEnergyRole(state: StateReader, address: Address, role: string): boolean {
  return hasRole(state, address, ENERGY_APP, role);
}

export function energyConfigOf(state: StateReader): EnergyConfig | undefined {
  const c = state.get(energyKeys.config()) as Record<string, Value> | undefined;
  if (!c) return undefined;
  return {
    currency: c.currency as string,
    operator: c.operator as Address,
    gridFee: bi(c.gridFee),
    imbalance: bi(c.imbalance),
    feedIn: bi(c.feedIn),
    subsidyRate: bi(c.subsidyRate),
    ...(c.matching === 'continuous' && { matching: 'continuous' as const }),
    ...(typeof c.points === 'string' && { points: c.points }),
  };
}

export function plantPointsOf(state: StateReader, plant: string): PlantPoints {
  const p = state.get(energyKeys.points(plant)) as Record<string, Value> | undefined;
  return {
    ...(p as unknown as PlantPoints),
    plant,
    earned: bi(p?.earned),
    carryWh: asBigInt(p?.carryWh as Value) ?? 0n,
  };
}

export function plantOf(state: StateReader, id: string): Plant | undefined {
  const p = state.get(energyKeys.plant(id)) as Record<string, Value> | undefined;
  if (!p) return undefined;
  return {
    ...(p as unknown as Plant),
    capacityW: bi(p.capacityW),
    anchoredWh: bi(p.anchoredWh),
    greenWh: bi(p.greenWh),
    certifiedWh: bi(p.certifiedWh),
    carryWh: bi(p.carryWh),
  };
}

export function meterOf(state: StateReader, id: string): Meter | undefined {
  return state.get(energyKeys.meter(id)) as Meter | undefined;
}

export function intervalOf(state: StateReader, meter: string, start: number): IntervalAnchor | undefined {
  const a = state.get(energyKeys.interval(meter, start)) as Record<string, Value> | undefined;
  if (!a) return undefined;
  return { ...(a as unknown as IntervalAnchor), exportWh: bi(a.exportWh), importWh: bi(a.importWh) };
}

export function deliveryOf(state: StateReader, plant: string, slot: number): Delivery {
  const d = state.get(energyKeys.delivery(plant, slot)) as Record<string, Value> | undefined;
  return { wh: bi(d?.wh), meters: (d?.meters as number) ?? 0, estimated: (d?.estimated as number) ?? 0 };
}

export function monthOf(state: StateReader, plant: string, month: string): MonthRecord {
  const m = state.get(energyKeys.month(plant, month)) as Record<string, Value> | undefined;
  return {
    wh: bi(m?.wh),
    estimated: (m?.estimated as number) ?? 0,
    greenPending: (m?.greenPending as number) ?? 0,
    issued: m?.issued === true,
    subsidised: m?.subsidised === true,
  };
}

export function energyOrderOf(state: StateReader, id: string): Order | undefined {
  const o = state.get(energyKeys.order(id)) as Record<string, Value> | undefined;
  if (!o) return undefined;
  return {
    ...(o as unknown as Order),
    wh: bi(o.wh),
    price: bi(o.price),
    filledWh: bi(o.filledWh),
    energyFen: bi(o.energyFen),
    feeFen: bi(o.feeFen),
    locked: bi(o.locked),
  };
}

export function energySlotOf(state: StateReader, slot: number): Slot | undefined {
  const s = state.get(energyKeys.slot(slot)) as Record<string, Value> | undefined;
  if (!s) return undefined;
  return {
    ...(s as unknown as Slot),
    ...(s.price !== undefined && { price: bi(s.price) }),
    ...(s.volume !== undefined && { volume: bi(s.volume) }),
    ...(s.energyFen !== undefined && { energyFen: bi(s.energyFen) }),
    ...(s.feeFen !== undefined && { feeFen: bi(s.feeFen) }),
  };
}

export function settlementOf(state: StateReader, slot: number, plant: string): Settlement | undefined {
  const s = state.get(energyKeys.settlement(slot, plant)) as Record<string, Value> | undefined;
  if (!s) return undefined;
  return {
    ...(s as unknown as Settlement),
    soldWh: bi(s.soldWh),
    deliveredWh: bi(s.deliveredWh),
    net: asBigInt(s.net) ?? 0n,
  };
}

export function certificateLotOf(state: StateReader, id: string): CertificateLot | undefined {
  return state.get(energyKeys.lot(id)) as CertificateLot | undefined;
}

export function subsidyOf(state: StateReader, id: string): Subsidy | undefined {
  const s = state.get(energyKeys.subsidy(id)) as Record<string, Value> | undefined;
  if (!s) return undefined;
  return {
    ...(s as unknown as Subsidy),
    wh: bi(s.wh),
    faceFen: bi(s.faceFen),
    ...(s.askFen !== undefined && { askFen: bi(s.askFen) }),
  };
}

/** The calendar month (YYYY-MM, China Standard Time) an instant falls in. */
export function monthOfTime(ms: number): string {
  const d = new Date(ms + CST_OFFSET_MS);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The first instant (ms, UTC) after a month (YYYY-MM, China Standard Time) ends. */
export function monthEnd(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return Date.UTC(y, m, 1) - CST_OFFSET_MS;
}

/** When certificates issued at `ms` expire: the same instant two calendar years later (UTC). */
export function certificateExpiry(ms: number): number {
  const d = new Date(ms);
  d.setUTCFullYear(d.getUTCFullYear() + CERTIFICATE_YEARS);
  return d.getTime();
}
