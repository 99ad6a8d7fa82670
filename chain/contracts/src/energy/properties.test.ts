// Property tests of the energy market. Pure: pay-as-clear over random order books gives a price between
// the best ask and the best bid, fills within every order's volume and limit, the largest volume any one
// price could clear, and Wh and fen conserved to the unit. Through the ledger: random books, deliveries
// and certificate issues keep the chain's invariants (TestChain.commit checks them after every block,
// including the energy ones: slots balance, escrow equals locked fen, certificates ≤ anchored MWh) and
// the total CNY of all accounts is unchanged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accounts, call, hash32 } from '../../test/chain';
import { energyChain, ingester } from '../../test/energy';
import { balanceOf } from '../assets/views';
import {
  type BookOrder,
  buyLock,
  clearPayAsClear,
  largestRemainder,
  lineAmounts,
  maxBig,
  minBig,
} from './market';
import { monthOfTime, plantOf, SLOT_MS, WH_PER_CERTIFICATE } from './views';

const orderArb = fc.record({
  side: fc.constantFrom('sell' as const, 'buy' as const),
  wh: fc.bigInt({ min: 1n, max: 5_000_000n }),
  price: fc.bigInt({ min: 0n, max: 200_000n }),
});
const bookArb = fc
  .array(orderArb, { maxLength: 30 })
  .map((os) => os.map((o, i): BookOrder => ({ ...o, id: `o${i}`, seq: i })));

describe('pay-as-clear', () => {
  it('price within [best ask, best bid], fills within limits, Wh and fen conserved', () => {
    fc.assert(
      fc.property(bookArb, fc.bigInt({ min: 0n, max: 20_000n }), (book, fee) => {
        const c = clearPayAsClear(book);
        const asks = book.filter((o) => o.side === 'sell');
        const bids = book.filter((o) => o.side === 'buy');
        const byId = new Map(book.map((o) => [o.id, o]));
        // The largest volume any single price clears.
        let best = 0n;
        for (const p of new Set(book.map((o) => o.price))) {
          const s = asks.filter((a) => a.price <= p).reduce((x, a) => x + a.wh, 0n);
          const d = bids.filter((b) => b.price >= p).reduce((x, b) => x + b.wh, 0n);
          best = maxBig(best, minBig(s, d));
        }
        expect(c.volume).toBe(best);
        if (c.volume === 0n) {
          expect(c.price).toBeNull();
          expect(c.fills).toEqual([]);
          return;
        }
        const price = c.price!;
        const bestAsk = asks.reduce((m, a) => minBig(m, a.price), asks[0]!.price);
        const bestBid = bids.reduce((m, b) => maxBig(m, b.price), bids[0]!.price);
        expect(price >= bestAsk && price <= bestBid).toBe(true);
        let sold = 0n;
        let bought = 0n;
        for (const f of c.fills) {
          const o = byId.get(f.id)!;
          expect(f.wh > 0n && f.wh <= o.wh).toBe(true);
          if (o.side === 'sell') {
            expect(o.price <= price).toBe(true);
            sold += f.wh;
          } else {
            expect(o.price >= price).toBe(true);
            bought += f.wh;
          }
        }
        expect(sold).toBe(c.volume);
        expect(bought).toBe(c.volume);
        const money = lineAmounts(c, fee);
        const buyerEnergy = money.buyers.reduce((s, b) => s + b.energy, 0n);
        const buyerFee = money.buyers.reduce((s, b) => s + b.fee, 0n);
        const sellerEnergy = money.sellers.reduce((s, x) => s + x.energy, 0n);
        expect(buyerEnergy).toBe(sellerEnergy);
        expect(buyerEnergy + buyerFee).toBe(sellerEnergy + money.feeTotal);
        expect(money.energyTotal).toBe((c.volume * price) / 1_000_000n);
        // No buyer pays more than its order locked.
        for (const b of money.buyers) {
          const o = byId.get(b.id)!;
          expect(b.energy + b.fee <= buyLock(o.wh, o.price, fee)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('largest remainder sums exactly and keeps each share within one unit of its quota', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 9n }), { minLength: 1, maxLength: 20 }),
        (totalUnits, weights) => {
          const shares = largestRemainder(totalUnits, weights);
          const sum = weights.reduce((a, b) => a + b, 0n);
          expect(shares.reduce((a, b) => a + b, 0n)).toBe(totalUnits);
          for (const [i, s] of shares.entries()) {
            const floor = (totalUnits * weights[i]!) / sum;
            expect(s === floor || s === floor + 1n).toBe(true);
          }
        },
      ),
    );
  });
});

const { alice, bob, carol, mallory } = accounts;
const energy = (name: string, params: Record<string, unknown>) => call('energy', name, params as never);

describe('the market through the ledger', () => {
  it('random books and deliveries keep the invariants; CNY is conserved; certificates never exceed anchored MWh', () => {
    const step = fc.record({
      orders: fc.array(
        fc.record({
          who: fc.constantFrom(0, 1, 2),
          side: fc.constantFrom('sell' as const, 'buy' as const),
          kwh: fc.integer({ min: 1, max: 400 }),
          price: fc.integer({ min: 20_000, max: 60_000 }),
          green: fc.boolean(),
        }),
        { maxLength: 6 },
      ),
      deliveredKwh: fc.integer({ min: 0, max: 800 }),
      estimated: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 4 }), (steps) => {
        const chain = energyChain();
        const people = [alice, bob, carol];
        const grid = (addr: string) => balanceOf(chain.store, 'CNYX', addr as never);
        const everyone = () => chain.store.scan('assets/bal/CNYX/');
        const sum = () => {
          let s = 0n;
          for (const [, v] of everyone()) s += BigInt(v as number | bigint);
          return s;
        };
        const before = sum();
        void grid;
        for (const s of steps) {
          let placed = 0;
          const slot = Math.ceil((chain.time + 60_000) / SLOT_MS) * SLOT_MS;
          for (const o of s.orders) {
            const who = people[o.who]!;
            // Only alice owns a plant: others' sell orders are refused on chain (not_authorized).
            const sell = o.side === 'sell';
            const action = energy('placeOrder', {
              slot,
              side: o.side,
              wh: o.kwh * 1000,
              price: o.price,
              green: o.green,
              ...(sell && { plant: 'p1' }),
            });
            if (sell && who !== alice) chain.fails('not_authorized', who, action);
            else {
              chain.ok(who, action);
              placed++;
            }
          }
          chain.skip(slot - chain.time);
          if (placed > 0) chain.ok(mallory, energy('clearSlot', { slot }));
          chain.skip(SLOT_MS);
          chain.ok(
            ingester,
            energy('anchorInterval', {
              meter: 'm1',
              start: slot,
              root: hash32(1),
              readings: 15,
              exportWh: s.deliveredKwh * 1000,
              importWh: 0,
              estimated: s.estimated,
            }),
          );
          const slotRecord = chain.store.get(`energy/slot/${slot}`) as { status?: string } | undefined;
          if (slotRecord?.status === 'cleared') chain.ok(mallory, energy('settleSlot', { slot }));
          if (s.estimated)
            chain.ok(
              ingester,
              energy('anchorInterval', {
                meter: 'm1',
                start: slot,
                root: hash32(2),
                readings: 15,
                exportWh: s.deliveredKwh * 900,
                importWh: 0,
              }),
            );
        }
        const month = monthOfTime(chain.time - SLOT_MS);
        const [y, m] = month.split('-').map(Number) as [number, number];
        chain.skip(Date.UTC(y, m, 1) - 8 * 3_600_000 - chain.time + 1000);
        for (const mm of new Set([monthOfTime(chain.time - 40 * 86_400_000), month])) {
          const r = chain.run(alice, energy('issueCertificates', { plant: 'p1', month: mm }));
          void r;
        }
        const plant = plantOf(chain.store, 'p1')!;
        expect(plant.certifiedWh + plant.greenWh <= plant.anchoredWh).toBe(true);
        expect(plant.certifiedWh % WH_PER_CERTIFICATE).toBe(0n);
        expect(sum()).toBe(before);
      }),
      { numRuns: 25 },
    );
    // Each run builds a chain and some 20 blocks: seconds on a loaded 2-core machine.
  }, 120_000);
});
