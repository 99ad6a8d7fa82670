import { describe, expect, it } from 'vitest';
import { accounts, eventNamed, hash32, type TestChain } from '../../test/chain';
import { energy, energyChain, grid, ingester, owner2, TARIFFS } from '../../test/energy';
import { balanceOf } from '../assets/views';
import {
  certificateExpiry,
  certificateLotOf,
  deliveryOf,
  energyOrderOf,
  energySlotOf,
  intervalOf,
  monthOf,
  monthOfTime,
  plantOf,
  SLOT_MS,
  settlementOf,
  subsidyOf,
} from './views';

const { alice, bob, carol, mallory } = accounts;

/** The first slot starting at least `ahead` ms after the chain's time. */
const nextSlot = (chain: TestChain, ahead = 60_000) => Math.ceil((chain.time + ahead) / SLOT_MS) * SLOT_MS;

const anchor = (meter: string, start: number, exportWh: number, extra: Record<string, unknown> = {}) =>
  energy('anchorInterval', {
    meter,
    start,
    root: hash32(start % 1000),
    readings: 15,
    exportWh,
    importWh: 0,
    ...extra,
  });

const cny = (chain: TestChain, who: { address: string }) =>
  balanceOf(chain.store, 'CNYX', who.address as never);
const total = (chain: TestChain) => [alice, bob, carol, grid, owner2].reduce((s, a) => s + cny(chain, a), 0n);

describe('energy roles and registration', () => {
  it('only the operator configures and certifies; only the ingester anchors; only the owner binds meters', () => {
    const chain = energyChain();
    chain.fails('not_authorized', alice, energy('configure', { currency: 'CNYX', ...TARIFFS }));
    chain.fails('not_authorized', bob, energy('registerMeter', { id: 'm2', plant: 'p1', key: hash32(8) }));
    chain.fails('already_exists', alice, energy('registerMeter', { id: 'm1', plant: 'p1', key: hash32(8) }));
    chain.fails(
      'not_authorized',
      mallory,
      energy('registerPlant', {
        id: 'px',
        name: 'x',
        capacityW: 1,
        lat: 0,
        lon: 0,
        commissioned: 0,
      }),
    );
    chain.skip(SLOT_MS);
    const start = Math.floor((chain.time - SLOT_MS) / SLOT_MS) * SLOT_MS;
    chain.fails('not_authorized', alice, anchor('m1', start, 100));
    chain.fails('not_found', ingester, anchor('nope', start, 100));
    chain.fails('invalid_params', ingester, anchor('m1', start + 1, 100));
    chain.fails('not_allowed', ingester, anchor('m1', Math.ceil(chain.time / SLOT_MS) * SLOT_MS, 100));
    chain.ok(ingester, anchor('m1', start, 100));
    chain.fails('already_exists', ingester, anchor('m1', start, 100));
    expect(intervalOf(chain.store, 'm1', start)).toMatchObject({ exportWh: 100n, revision: 0, plant: 'p1' });
    expect(plantOf(chain.store, 'p1')).toMatchObject({ anchoredWh: 100n, meters: ['m1'], certified: true });
  });
});

describe('pay-as-clear and ex-post settlement', () => {
  it('clears one price between the limits, settles a shortfall at the imbalance price, balances to the fen', () => {
    const chain = energyChain();
    const slot = nextSlot(chain);
    const before = total(chain);
    // alice sells 10 kWh at ≥ 0.4000 元/kWh; bob wants 12 kWh at ≤ 0.5000; carol 3 kWh at ≤ 0.3000.
    chain.ok(alice, energy('placeOrder', { slot, side: 'sell', plant: 'p1', wh: 10_000, price: 40_000 }));
    const bid = chain.ok(bob, energy('placeOrder', { slot, side: 'buy', wh: 12_000, price: 50_000 }));
    chain.ok(carol, energy('placeOrder', { slot, side: 'buy', wh: 3_000, price: 30_000 }));
    const bobOrder = eventNamed(bid, 'orderPlaced').id as string;
    // bob locked 12 kWh × (0.5 + 0.05) 元 = 6.60 元.
    expect(cny(chain, bob)).toBe(1_000_000n - 660n);
    chain.fails('not_allowed', alice, energy('clearSlot', { slot }));
    chain.skip(slot - chain.time);
    chain.fails('not_allowed', bob, energy('placeOrder', { slot, side: 'buy', wh: 1, price: 1 }));
    const cleared = chain.ok(mallory, energy('clearSlot', { slot }));
    const c = eventNamed(cleared, 'slotCleared');
    expect(c.volume).toBe(10_000n);
    expect(c.price).toBe(45_000n); // midpoint of 0.40 and 0.50
    expect(c.energyFen).toBe(450n);
    expect(c.feeFen).toBe(50n);
    // bob keeps 5.00 元 locked (4.50 energy + 0.50 fee); carol's bid is returned.
    expect(cny(chain, bob)).toBe(1_000_000n - 500n);
    expect(cny(chain, carol)).toBe(1_000_000n);
    expect(energyOrderOf(chain.store, bobOrder)).toMatchObject({
      status: 'cleared',
      filledWh: 10_000n,
      locked: 500n,
    });
    // Settlement waits for the anchored readings.
    chain.fails('not_allowed', mallory, energy('settleSlot', { slot }));
    chain.skip(SLOT_MS);
    chain.ok(ingester, anchor('m1', slot, 8_000));
    const settled = chain.ok(mallory, energy('settleSlot', { slot }));
    expect(eventNamed(settled, 'deliverySettled')).toMatchObject({
      soldWh: 10_000n,
      deliveredWh: 8_000n,
      imbalanceFen: 120n, // 2 kWh × 0.60 元
      feedInFen: 0n,
    });
    expect(cny(chain, alice)).toBe(1_000_000n + 450n - 120n);
    expect(cny(chain, grid)).toBe(10_000_000n + 50n + 120n);
    expect(total(chain)).toBe(before);
    expect(energySlotOf(chain.store, slot)?.status).toBe('settled');
    chain.fails('not_allowed', mallory, energy('settleSlot', { slot }));
  });

  it('pays a surplus at the feed-in tariff and rations a marginal level by largest remainder', () => {
    const chain = energyChain();
    chain.ok(
      owner2,
      energy('registerPlant', {
        id: 'p2',
        name: '青山光伏',
        capacityW: 100_000,
        lat: 0,
        lon: 0,
        commissioned: 0,
      }),
    );
    chain.ok(owner2, energy('registerMeter', { id: 'm2', plant: 'p2', key: hash32(9) }));
    const slot = nextSlot(chain);
    // Two sellers at the same price, 2 kWh and 1 kWh; the buyer wants 1,000 Wh: rationed 667 / 333.
    chain.ok(alice, energy('placeOrder', { slot, side: 'sell', plant: 'p1', wh: 2_000, price: 30_000 }));
    chain.ok(owner2, energy('placeOrder', { slot, side: 'sell', plant: 'p2', wh: 1_000, price: 30_000 }));
    chain.ok(bob, energy('placeOrder', { slot, side: 'buy', wh: 1_000, price: 30_000 }));
    chain.skip(slot - chain.time);
    const events = chain.ok(mallory, energy('clearSlot', { slot }));
    const fills = events.filter(([n]) => n === 'orderFilled').map(([, a]) => [a.side, a.wh, a.energyFen]);
    expect(fills).toEqual([
      ['sell', 667n, 20n],
      ['sell', 333n, 10n],
      ['buy', 1_000n, 30n],
    ]);
    chain.skip(SLOT_MS);
    chain.ok(ingester, anchor('m1', slot, 1_667));
    chain.ok(ingester, anchor('m2', slot, 333));
    const before = cny(chain, alice);
    const settled = chain.ok(mallory, energy('settleSlot', { slot }));
    // alice delivered 1,000 Wh beyond what she sold: 1 kWh × 0.35 元 = 35 fen.
    expect(settled.filter(([n]) => n === 'deliverySettled').map(([, a]) => a.feedInFen)).toEqual([35n, 0n]);
    expect(cny(chain, alice)).toBe(before + 20n + 35n);
  });

  it('a meter reset flags its interval and the settlement still balances; a true-up pays the difference', () => {
    const chain = energyChain();
    const slot = nextSlot(chain);
    const before = total(chain);
    chain.ok(alice, energy('placeOrder', { slot, side: 'sell', plant: 'p1', wh: 5_000, price: 40_000 }));
    chain.ok(bob, energy('placeOrder', { slot, side: 'buy', wh: 5_000, price: 40_000 }));
    chain.skip(slot - chain.time);
    chain.ok(mallory, energy('clearSlot', { slot }));
    chain.skip(SLOT_MS);
    // The gateway rebooted inside the interval; an outage around it leaves an estimated split.
    chain.ok(ingester, anchor('m1', slot, 4_000, { reset: true, estimated: true }));
    expect(deliveryOf(chain.store, 'p1', slot)).toMatchObject({ wh: 4_000n, estimated: 1 });
    const settled = chain.ok(mallory, energy('settleSlot', { slot }));
    expect(eventNamed(settled, 'deliverySettled')).toMatchObject({ imbalanceFen: 60n, estimated: true });
    expect(total(chain)).toBe(before);
    const alice1 = cny(chain, alice);
    // The true-up: the readings after the outage put 5,200 Wh in this interval.
    const trued = chain.ok(ingester, anchor('m1', slot, 5_200, { reset: true }));
    expect(eventNamed(trued, 'settlementTrueUp')).toMatchObject({
      deliveredWh: 5_200n,
      toSellerFen: 60n + 7n,
    });
    expect(cny(chain, alice)).toBe(alice1 + 67n);
    expect(settlementOf(chain.store, slot, 'p1')).toMatchObject({ deliveredWh: 5_200n, estimated: false });
    expect(intervalOf(chain.store, 'm1', slot)).toMatchObject({ revision: 1, estimated: false, reset: true });
    // A final interval is never rewritten.
    chain.fails('already_exists', ingester, anchor('m1', slot, 9_999));
    expect(total(chain)).toBe(before);
  });

  it('a cancelled order returns its escrow; nothing crossing returns every bid', () => {
    const chain = energyChain();
    const slot = nextSlot(chain);
    const placed = chain.ok(bob, energy('placeOrder', { slot, side: 'buy', wh: 1_000, price: 10_000 }));
    const id = eventNamed(placed, 'orderPlaced').id as string;
    chain.fails('not_authorized', carol, energy('cancelOrder', { id }));
    chain.ok(bob, energy('cancelOrder', { id }));
    expect(cny(chain, bob)).toBe(1_000_000n);
    chain.ok(bob, energy('placeOrder', { slot, side: 'buy', wh: 1_000, price: 10_000 }));
    chain.ok(alice, energy('placeOrder', { slot, side: 'sell', plant: 'p1', wh: 1_000, price: 20_000 }));
    chain.skip(slot - chain.time);
    const c = chain.ok(mallory, energy('clearSlot', { slot }));
    expect(eventNamed(c, 'slotCleared').volume).toBe(0n);
    expect(cny(chain, bob)).toBe(1_000_000n);
    expect(energySlotOf(chain.store, slot)?.status).toBe('settled');
  });
});

describe('continuous matching', () => {
  it('trades each order on arrival at the resting price, withdraws the rest, settles to the fen', () => {
    const chain = energyChain();
    const before = total(chain);
    const early = nextSlot(chain);
    // A slot with orders before the switch stays pay-as-clear.
    chain.ok(bob, energy('placeOrder', { slot: early, side: 'buy', wh: 1_000, price: 10_000 }));
    chain.ok(grid, energy('configure', { currency: 'CNYX', ...TARIFFS, matching: 'continuous' }));
    expect(energySlotOf(chain.store, early)?.mode).toBeUndefined();
    const slot = early + SLOT_MS;
    const fen = (wh: bigint, perMWh: bigint) => (wh * perMWh) / 1_000_000n;
    // alice asks 10 kWh at ≥ 0.4123 元/kWh: nothing to meet, it rests.
    const ask = chain.ok(
      alice,
      energy('placeOrder', { slot, side: 'sell', plant: 'p1', wh: 10_000, price: 41_230 }),
    );
    const askId = eventNamed(ask, 'orderPlaced').id as string;
    expect(ask.filter(([n]) => n === 'traded')).toEqual([]);
    // bob bids 3,333 Wh at ≤ 0.5000: trades at once at alice's price (the resting order's), to the fen.
    const bid = chain.ok(bob, energy('placeOrder', { slot, side: 'buy', wh: 3_333, price: 50_000 }));
    const bobId = eventNamed(bid, 'orderPlaced').id as string;
    const t1 = eventNamed(bid, 'traded');
    expect(t1).toMatchObject({ slot, sell: askId, buy: bobId, wh: 3_333n, price: 41_230n });
    expect(t1.energyFen).toBe(fen(3_333n, 41_230n)); // 137.4 fen → 137
    expect(t1.feeFen).toBe(fen(3_333n, 5_000n)); // 16.7 fen → 16
    // carol bids 2 kWh at ≤ 0.3000: below the ask, it rests.
    const low = chain.ok(carol, energy('placeOrder', { slot, side: 'buy', wh: 2_000, price: 30_000 }));
    const carolId = eventNamed(low, 'orderPlaced').id as string;
    expect(low.filter(([n]) => n === 'traded')).toEqual([]);
    // alice offers 5 kWh more at ≥ 0.2500: meets carol's resting bid at carol's price; 3 kWh rest.
    const ask2 = chain.ok(
      alice,
      energy('placeOrder', { slot, side: 'sell', plant: 'p1', wh: 5_000, price: 25_000 }),
    );
    const ask2Id = eventNamed(ask2, 'orderPlaced').id as string;
    expect(eventNamed(ask2, 'traded')).toMatchObject({
      sell: ask2Id,
      buy: carolId,
      wh: 2_000n,
      price: 30_000n,
    });
    // alice withdraws what is left of her first ask: the 3,333 Wh traded stand.
    chain.ok(alice, energy('cancelOrder', { id: askId }));
    expect(energyOrderOf(chain.store, askId)).toMatchObject({ wh: 3_333n, filledWh: 3_333n, status: 'open' });
    chain.fails('not_allowed', mallory, energy('clearSlot', { slot }));

    chain.skip(slot - chain.time);
    chain.ok(mallory, energy('clearSlot', { slot: early }));
    const cleared = chain.ok(mallory, energy('clearSlot', { slot }));
    const energyFen = fen(3_333n, 41_230n) + fen(2_000n, 30_000n);
    const feeFen = fen(3_333n, 5_000n) + fen(2_000n, 5_000n);
    expect(eventNamed(cleared, 'slotCleared')).toMatchObject({ volume: 5_333n, energyFen, feeFen });
    expect(eventNamed(cleared, 'slotCleared').price).toBeUndefined();
    // Each buyer keeps locked exactly what its trades cost; the rest of its escrow came back.
    expect(cny(chain, bob)).toBe(1_000_000n - fen(3_333n, 41_230n) - fen(3_333n, 5_000n));
    expect(cny(chain, carol)).toBe(1_000_000n - fen(2_000n, 30_000n) - fen(2_000n, 5_000n));
    expect(energyOrderOf(chain.store, ask2Id)).toMatchObject({ status: 'cleared', filledWh: 2_000n });

    // Delivered 5,000 Wh of the 5,333 sold: 333 Wh shortfall at the imbalance price, rounded up.
    chain.skip(SLOT_MS);
    chain.ok(ingester, anchor('m1', slot, 5_000));
    const settled = chain.ok(mallory, energy('settleSlot', { slot }));
    const imbalanceFen = (333n * 60_000n + 999_999n) / 1_000_000n;
    expect(eventNamed(settled, 'deliverySettled')).toMatchObject({ soldWh: 5_333n, imbalanceFen });
    expect(cny(chain, alice)).toBe(1_000_000n + energyFen - imbalanceFen);
    expect(cny(chain, grid)).toBe(10_000_000n + feeFen + imbalanceFen);
    // Buyers paid exactly what the seller got plus the grid fee: no fen made or lost.
    expect(total(chain)).toBe(before);
  });
});

/** Anchors `wh` of export into consecutive intervals of meter m1 starting at `from`. */
function anchorEnergy(chain: TestChain, from: number, kwh: number[]): number {
  let start = from;
  for (const k of kwh) {
    chain.ok(ingester, anchor('m1', start, k * 1000));
    start += SLOT_MS;
  }
  return start;
}

describe('green certificates', () => {
  it('2,500 kWh give 2 certificates and 500 kWh carried; retired once; expired after two years', () => {
    const chain = energyChain();
    const t0 = Math.ceil(chain.time / SLOT_MS) * SLOT_MS;
    chain.skip(t0 + 3 * SLOT_MS - chain.time);
    anchorEnergy(chain, t0, [1_000, 1_000, 500]);
    const month = monthOfTime(t0);
    chain.fails('not_allowed', alice, energy('issueCertificates', { plant: 'p1', month }));
    // Into the next month (China Standard Time).
    const [y, m] = month.split('-').map(Number) as [number, number];
    const nextMonthStart = Date.UTC(y, m, 1) - 8 * 3_600_000;
    chain.skip(nextMonthStart - chain.time + 1000);
    chain.fails('not_authorized', bob, energy('issueCertificates', { plant: 'p1', month }));
    const issued = chain.ok(alice, energy('issueCertificates', { plant: 'p1', month }));
    const e = eventNamed(issued, 'certificatesIssued');
    expect(e).toMatchObject({ count: 2, carryWh: 500_000n });
    expect(e.expires).toBe(certificateExpiry(chain.time));
    chain.fails('already_exists', alice, energy('issueCertificates', { plant: 'p1', month }));
    const lot = e.lot as string;
    // The carried 500 kWh and the next month's 600 make one more certificate and 100 kWh carried.
    const t1 = Math.ceil(chain.time / SLOT_MS) * SLOT_MS;
    chain.skip(t1 + SLOT_MS - chain.time);
    anchorEnergy(chain, t1, [600]);
    const next = monthOfTime(t1);
    const [y2, m2] = next.split('-').map(Number) as [number, number];
    chain.skip(Date.UTC(y2, m2, 1) - 8 * 3_600_000 - chain.time + 1000);
    const issued2 = chain.ok(alice, energy('issueCertificates', { plant: 'p1', month: next }));
    expect(eventNamed(issued2, 'certificatesIssued')).toMatchObject({ count: 1, carryWh: 100_000n });
    expect(plantOf(chain.store, 'p1')).toMatchObject({ certifiedWh: 3_000_000n, carryWh: 100_000n });

    // Transfer one to bob; bob retires it; retiring again is refused.
    const moved = chain.ok(alice, energy('transferCertificates', { lot, count: 1, to: bob.address }));
    const bobLot = eventNamed(moved, 'certificatesTransferred').lot as string;
    chain.fails(
      'not_authorized',
      alice,
      energy('retireCertificates', { lot: bobLot, count: 1, beneficiary: 'x' }),
    );
    chain.ok(
      bob,
      energy('retireCertificates', { lot: bobLot, count: 1, beneficiary: '上海某数据中心 2024 年用电' }),
    );
    chain.fails(
      'not_allowed',
      bob,
      energy('retireCertificates', { lot: bobLot, count: 1, beneficiary: 'again' }),
    );
    chain.fails(
      'insufficient_funds',
      alice,
      energy('retireCertificates', { lot, count: 2, beneficiary: 'x' }),
    );
    expect(certificateLotOf(chain.store, bobLot)).toMatchObject({
      status: 'retired',
      count: 1,
      owner: bob.address,
    });
    expect(certificateLotOf(chain.store, lot)).toMatchObject({ status: 'active', count: 1 });
    // Two years on, the rest expires: it can be neither moved nor retired.
    chain.fails('not_allowed', mallory, energy('expireCertificates', { lot }));
    chain.skip(certificateLotOf(chain.store, lot)!.expires - chain.time);
    chain.fails('expired', alice, energy('retireCertificates', { lot, count: 1, beneficiary: 'late' }));
    chain.ok(mallory, energy('expireCertificates', { lot }));
    expect(certificateLotOf(chain.store, lot)?.status).toBe('expired');
  });

  it('MWh delivered as green power earn no certificate, and issue waits for pending green orders', () => {
    const chain = energyChain();
    const slot = nextSlot(chain);
    chain.ok(
      alice,
      energy('placeOrder', { slot, side: 'sell', plant: 'p1', wh: 600_000, price: 40_000, green: true }),
    );
    chain.ok(bob, energy('placeOrder', { slot, side: 'buy', wh: 600_000, price: 45_000, green: true }));
    const month = monthOfTime(slot);
    expect(monthOf(chain.store, 'p1', month).greenPending).toBe(1);
    chain.skip(slot - chain.time);
    chain.ok(mallory, energy('clearSlot', { slot }));
    chain.skip(SLOT_MS);
    chain.ok(ingester, anchor('m1', slot, 1_500_000));
    const [y, m] = month.split('-').map(Number) as [number, number];
    const end = Date.UTC(y, m, 1) - 8 * 3_600_000;
    if (end > chain.time) {
      chain.skip(end - chain.time + 1000);
    }
    chain.fails('not_allowed', alice, energy('issueCertificates', { plant: 'p1', month }));
    chain.ok(mallory, energy('settleSlot', { slot }));
    const issued = chain.ok(alice, energy('issueCertificates', { plant: 'p1', month }));
    // 1,500 kWh anchored, 600 sold as green power: 900 kWh left, no certificate, all carried.
    expect(eventNamed(issued, 'certificatesIssued')).toMatchObject({ count: 0, carryWh: 900_000n });
    expect(plantOf(chain.store, 'p1')).toMatchObject({ greenWh: 600_000n, certifiedWh: 0n });
  });

  it('an uncertified plant sells no green power and gets no certificates', () => {
    const chain = energyChain();
    chain.ok(
      owner2,
      energy('registerPlant', {
        id: 'p2',
        name: '青山光伏',
        capacityW: 100_000,
        lat: 0,
        lon: 0,
        commissioned: 0,
      }),
    );
    chain.ok(owner2, energy('registerMeter', { id: 'm2', plant: 'p2', key: hash32(9) }));
    const slot = nextSlot(chain);
    chain.fails(
      'not_allowed',
      owner2,
      energy('placeOrder', { slot, side: 'sell', plant: 'p2', wh: 1, price: 1, green: true }),
    );
    chain.fails('not_allowed', owner2, energy('issueCertificates', { plant: 'p2', month: '2023-10' }));
  });
});

describe('subsidy receivables', () => {
  it('are tokenised once per plant-month at eligible kWh × rate, sold, then paid to the holder', () => {
    const chain = energyChain();
    const t0 = Math.ceil(chain.time / SLOT_MS) * SLOT_MS;
    chain.skip(t0 + 2 * SLOT_MS - chain.time);
    anchorEnergy(chain, t0, [100, 23]);
    const month = monthOfTime(t0);
    chain.fails('not_allowed', alice, energy('tokeniseSubsidy', { plant: 'p1', month }));
    const [y, m] = month.split('-').map(Number) as [number, number];
    chain.skip(Date.UTC(y, m, 1) - 8 * 3_600_000 - chain.time + 1000);
    const t = chain.ok(alice, energy('tokeniseSubsidy', { plant: 'p1', month }));
    // 123 kWh × 0.30 元 = 36.90 元.
    expect(eventNamed(t, 'subsidyTokenised')).toMatchObject({ faceFen: 3_690n, wh: 123_000n });
    chain.fails('already_exists', alice, energy('tokeniseSubsidy', { plant: 'p1', month }));
    const id = `p1:${month}`;
    chain.fails('not_allowed', bob, energy('buySubsidy', { id }));
    chain.ok(alice, energy('listSubsidy', { id, askFen: 3_500 }));
    chain.ok(bob, energy('buySubsidy', { id }));
    expect(subsidyOf(chain.store, id)).toMatchObject({ holder: bob.address, status: 'open' });
    chain.fails('not_authorized', alice, energy('paySubsidy', { id }));
    const bob0 = cny(chain, bob);
    chain.ok(grid, energy('paySubsidy', { id }));
    expect(cny(chain, bob)).toBe(bob0 + 3_690n);
    chain.fails('not_allowed', grid, energy('paySubsidy', { id }));
  });
});

describe('energy genesis', () => {
  it('may configure the market on a new chain, and refuses an unknown currency', async () => {
    const { TestChain, demoGenesis } = await import('../../test/chain');
    const { energyContract } = await import('./contract');
    const { energyConfigOf } = await import('./views');
    const g = demoGenesis();
    const config = {
      currency: 'CNYX',
      operator: grid.address,
      gridFee: 1,
      imbalance: 2,
      feedIn: 3,
      subsidyRate: '4',
    };
    const chain = new TestChain({ contracts: { ...g, energy: { config } }, extra: [energyContract] });
    expect(energyConfigOf(chain.store)).toMatchObject({
      currency: 'CNYX',
      operator: grid.address,
      subsidyRate: 4n,
    });
    expect(
      () =>
        new TestChain({
          contracts: { ...g, energy: { config: { ...config, currency: 'NOPE' } } },
          extra: [energyContract],
        }),
    ).toThrow(/no asset NOPE/);
  });
});
