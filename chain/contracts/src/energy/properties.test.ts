// Property tests of the energy market. Pure: pay-as-clear over random order books gives a price between
// the best ask and the best bid, fills within every order's volume and limit, the largest volume any one
// price could clear, and Wh and fen conserved to the unit; continuous matching of random arrivals trades
// at the resting order's price within both limits, best price first, never leaves the book crossed, and
// conserves Wh and fen. Through the ledger: random books, deliveries
// and certificate issues keep the chain's invariants (TestChain.commit checks them after every block,
// including the energy ones: slots balance, escrow equals locked fen, certificates ≤ anchored MWh) and
// the total CNY of all accounts is unchanged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accounts, call, eventNamed, hash32 } from '../../test/chain';
import { energyChain, grid, ingester, TARIFFS } from '../../test/energy';
import { balanceOf } from '../assets/views';
import {
  type BookOrder,
  buyLock,
  clearPayAsClear,
  largestRemainder,
  lineAmounts,
  matchContinuous,
  maxBig,
  minBig,
  type RestingOrder,
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

describe('continuous matching', () => {
  it('trades at the resting price within both limits, best first, book never crossed, Wh and fen conserved', () => {
    fc.assert(
      fc.property(bookArb, fc.bigInt({ min: 0n, max: 20_000n }), (arrivals, fee) => {
        const byId = new Map(arrivals.map((o) => [o.id, o]));
        let book: RestingOrder[] = [];
        const filled = new Map<string, bigint>();
        const energyOf = new Map<string, bigint>();
        const feeOf = new Map<string, bigint>();
        const add = (m: Map<string, bigint>, id: string, v: bigint) => m.set(id, (m.get(id) ?? 0n) + v);
        for (const o of arrivals) {
          const { trades, left } = matchContinuous(book, o, fee);
          let traded = 0n;
          let last: bigint | null = null;
          for (const t of trades) {
            const sell = byId.get(t.sell)!;
            const buy = byId.get(t.buy)!;
            const resting = o.side === 'buy' ? sell : buy;
            expect(t.wh > 0n).toBe(true);
            expect(t.price).toBe(resting.price);
            expect(sell.price <= t.price && t.price <= buy.price).toBe(true);
            // Best price first: a buyer's trades go up in price, a seller's down.
            if (last !== null) expect(o.side === 'buy' ? t.price >= last : t.price <= last).toBe(true);
            last = t.price;
            expect(t.energyFen).toBe((t.wh * t.price) / 1_000_000n);
            expect(t.feeFen).toBe((t.wh * fee) / 1_000_000n);
            traded += t.wh;
            for (const id of [t.sell, t.buy]) add(filled, id, t.wh);
            add(energyOf, t.sell, t.energyFen);
            add(energyOf, t.buy, t.energyFen);
            add(feeOf, t.buy, t.feeFen);
            book = book.map((r) => (r.id === resting.id ? { ...r, open: r.open - t.wh } : r));
          }
          expect(left).toBe(o.wh - traded);
          if (left > 0n) book.push({ id: o.id, side: o.side, price: o.price, seq: o.seq, open: left });
          book = book.filter((r) => r.open > 0n);
          // What rests never crosses: every open bid is below every open ask.
          const asks = book.filter((r) => r.side === 'sell').map((r) => r.price);
          const bids = book.filter((r) => r.side === 'buy').map((r) => r.price);
          if (asks.length > 0 && bids.length > 0)
            expect(bids.reduce(maxBig) < asks.reduce(minBig)).toBe(true);
        }
        let sold = 0n;
        let bought = 0n;
        let sellerFen = 0n;
        let buyerFen = 0n;
        for (const o of arrivals) {
          const f = filled.get(o.id) ?? 0n;
          expect(f <= o.wh).toBe(true);
          if (o.side === 'sell') {
            sold += f;
            sellerFen += energyOf.get(o.id) ?? 0n;
          } else {
            bought += f;
            buyerFen += energyOf.get(o.id) ?? 0n;
            // What a buy order locked on arrival covers every trade it makes, fee included.
            expect((energyOf.get(o.id) ?? 0n) + (feeOf.get(o.id) ?? 0n) <= buyLock(o.wh, o.price, fee)).toBe(
              true,
            );
          }
        }
        expect(sold).toBe(bought);
        expect(sellerFen).toBe(buyerFen);
      }),
      { numRuns: 300 },
    );
  });
});

const { alice, bob, carol, mallory } = accounts;
const energy = (name: string, params: Record<string, unknown>) => call('energy', name, params as never);

describe.each(['clear', 'continuous'] as const)('the market through the ledger (%s)', (matching) => {
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
      /** The owner of this placed order (by index) withdraws it (in a continuous slot: what is left). */
      cancel: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    });
    let trades = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 4 }), (steps) => {
        const chain = energyChain();
        if (matching === 'continuous')
          chain.ok(grid, energy('configure', { currency: 'CNYX', ...TARIFFS, matching }));
        const people = [alice, bob, carol];
        const balance = (addr: string) => balanceOf(chain.store, 'CNYX', addr as never);
        const everyone = () => chain.store.scan('assets/bal/CNYX/');
        const sum = () => {
          let s = 0n;
          for (const [, v] of everyone()) s += BigInt(v as number | bigint);
          return s;
        };
        const before = sum();
        void balance;
        for (const s of steps) {
          let placed = 0;
          const ids: [string, (typeof people)[number]][] = [];
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
              const events = chain.ok(who, action);
              ids.push([eventNamed(events, 'orderPlaced').id as string, who]);
              trades += events.filter(([n]) => n === 'traded').length;
              placed++;
            }
          }
          const withdrawn = s.cancel === undefined ? undefined : ids[s.cancel];
          if (withdrawn) chain.ok(withdrawn[1], energy('cancelOrder', { id: withdrawn[0] }));
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
    // The continuous runs did trade on arrival (pay-as-clear trades only when a slot is cleared).
    if (matching === 'continuous') expect(trades).toBeGreaterThan(0);
    else expect(trades).toBe(0);
    // Each run builds a chain and some 20 blocks: seconds on a loaded 2-core machine.
  }, 120_000);
});
