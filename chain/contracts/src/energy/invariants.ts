// What must hold of the energy contract's state after every block: each cleared slot balances (Wh sold =
// Wh bought = volume; buyers' energy fen = sellers' energy fen = the slot's; buyers' fees = the slot's
// fee), certificates never exceed the anchored MWh less what was delivered as green power, lots add up
// to what was issued, owners' points (v2) never stand for more Wh than the plant anchored, and the fen
// buy orders hold locked are reported to the assets invariant.
import { asBigInt, type Value } from '@gongxin/ledger';
import type { ScannableState } from '../invariants';
import {
  energyConfigOf,
  energyOrderOf,
  energySlotOf,
  plantOf,
  plantPointsOf,
  WH_PER_CERTIFICATE,
  WH_PER_POINT,
} from './views';

const bi = (v: unknown) => asBigInt(v as Value) ?? 0n;

export function checkEnergyState(state: ScannableState): {
  problems: string[];
  escrowed: Map<string, bigint>;
} {
  const problems: string[] = [];
  const escrowed = new Map<string, bigint>();
  const config = energyConfigOf(state);
  const plants = new Map<string, bigint>();
  const lots = new Map<string, bigint>();
  const anchored = new Map<string, bigint>();
  const slots: number[] = [];
  let locked = 0n;
  for (const [key, value] of state.scan('energy/')) {
    const [, kind, a = ''] = key.split('/');
    if (kind === 'plant') plants.set(a, 0n);
    else if (kind === 'slot') slots.push(Number(a));
    else if (kind === 'order') {
      const l = bi((value as Record<string, Value>).locked);
      if (l < 0n) problems.push(`${key}: locked ${l} is negative`);
      locked += l;
    } else if (kind === 'lot') {
      const lot = value as { plant: string; count: number };
      if (!(lot.count >= 1)) problems.push(`${key}: a lot of ${lot.count} certificates`);
      lots.set(lot.plant, (lots.get(lot.plant) ?? 0n) + BigInt(lot.count));
    } else if (kind === 'interval') {
      const i = value as { plant: string; exportWh: Value };
      anchored.set(i.plant, (anchored.get(i.plant) ?? 0n) + bi(i.exportWh));
    }
  }
  if (locked > 0n) {
    if (!config) problems.push(`energy orders lock ${locked} fen but the market has no currency`);
    else escrowed.set(config.currency, locked);
  }
  for (const id of plants.keys()) {
    const plant = plantOf(state, id)!;
    const issued = lots.get(id) ?? 0n;
    if (issued * WH_PER_CERTIFICATE !== plant.certifiedWh)
      problems.push(`plant ${id}: lots hold ${issued} certificates, certifiedWh is ${plant.certifiedWh}`);
    const sum = anchored.get(id) ?? 0n;
    if (sum !== plant.anchoredWh)
      problems.push(`plant ${id}: intervals hold ${sum} Wh, anchoredWh is ${plant.anchoredWh}`);
    if (plant.certifiedWh + plant.greenWh + plant.carryWh > plant.anchoredWh)
      problems.push(
        `plant ${id}: certified ${plant.certifiedWh} + green ${plant.greenWh} + carried ${plant.carryWh} Wh exceed the anchored ${plant.anchoredWh}`,
      );
    if (plant.carryWh < 0n) problems.push(`plant ${id}: carry ${plant.carryWh} is negative`);
    const points = plantPointsOf(state, id);
    if (points.earned < 0n) problems.push(`plant ${id}: ${points.earned} points earned`);
    if (points.earned * WH_PER_POINT + points.carryWh > plant.anchoredWh)
      problems.push(
        `plant ${id}: ${points.earned} points and ${points.carryWh} Wh carried exceed the anchored ${plant.anchoredWh} Wh`,
      );
  }
  for (const start of slots) {
    const slot = energySlotOf(state, start)!;
    if (slot.status === 'open') continue;
    const orders = slot.orders.map((id) => energyOrderOf(state, id)!);
    let sold = 0n;
    let bought = 0n;
    let sellerFen = 0n;
    let buyerFen = 0n;
    let fees = 0n;
    for (const o of orders) {
      if (o.side === 'sell') {
        sold += o.filledWh;
        sellerFen += o.energyFen;
      } else {
        bought += o.filledWh;
        buyerFen += o.energyFen;
        fees += o.feeFen;
      }
      if (o.filledWh > o.wh) problems.push(`order ${o.id}: filled ${o.filledWh} of ${o.wh} Wh`);
    }
    if (sold !== bought || sold !== (slot.volume ?? 0n))
      problems.push(`slot ${start}: sold ${sold} Wh, bought ${bought} Wh, volume ${slot.volume}`);
    if (sellerFen !== buyerFen || buyerFen !== (slot.energyFen ?? 0n))
      problems.push(
        `slot ${start}: sellers get ${sellerFen}, buyers pay ${buyerFen} fen for energy (${slot.energyFen})`,
      );
    if (fees !== (slot.feeFen ?? 0n)) problems.push(`slot ${start}: fees ${fees} != ${slot.feeFen}`);
  }
  return { problems, escrowed };
}
