// Owners' points, continuous trades and bills through the app, on a chain whose block times follow a
// test clock: the demo genesis runs energy v2 with the points asset; a plant sells a continuous slot in
// two trades, the slot closes, an estimated anchor settles it provisionally and the final anchor trues it
// up. The market lists the trades with their txs, each party's bills add up to the fen, and the owner's
// points (1 per kWh anchored, remainder carried) match the on-chain balance.
import { generateDeviceKey } from '@gongxin/solar-meter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModels } from '../src/db/schema';
import { DEMO_TARIFFS, SOLAR_CURRENCY, SOLAR_POINTS } from '../src/parties';
import { type SolarHarness, startSolarHarness } from './harness';

const MIN = 60_000;
const SLOT = 15 * MIN;
let now = Date.now();
let h: SolarHarness;
beforeAll(async () => {
  h = await startSolarHarness({ clock: () => now });
});
afterAll(async () => {
  await h?.closeAll();
});

type Api = {
  market: {
    slots(input: { from?: number }): Promise<
      {
        slot: number;
        orders: Record<string, unknown>[];
        trades: Record<string, unknown>[];
        trueUps: Record<string, unknown>[];
      }[]
    >;
    bills(input: { account: string }): Promise<{
      lines: ({ kind: string; amountFen: string; height: number | null; txId: string | null } & Record<
        string,
        unknown
      >)[];
      totalFen: string;
      paidFen: string;
      chargedFen: string;
    }>;
  };
  points(input: { owner: string }): Promise<{
    symbol: string | null;
    total: string;
    plants: { plant: string; earned: string; carryWh: string }[];
    latest: { height: number; txId: string; points: string } | null;
  }>;
};

async function ok(id: string, actions: Parameters<SolarHarness['as']>[1]) {
  const receipt = await h.as(id, actions);
  expect(receipt, receipt.message).toMatchObject({ ok: true });
  return receipt;
}

describe('points, trades and bills', () => {
  it('lists continuous fills with their txs, bills each party to the fen, credits points per kWh', async () => {
    const api = h.caller(null) as unknown as Api;
    const owner = h.party('zhang-wei').address;
    const buyer = h.party('jinghua-textile').address;
    await ok('grid-operator', [
      {
        contract: 'energy',
        name: 'configure',
        params: {
          currency: SOLAR_CURRENCY,
          gridFee: Number(DEMO_TARIFFS.gridFee),
          imbalance: Number(DEMO_TARIFFS.imbalance),
          feedIn: Number(DEMO_TARIFFS.feedIn),
          subsidyRate: Number(DEMO_TARIFFS.subsidyRate),
          matching: 'continuous',
          points: SOLAR_POINTS,
        },
      },
    ]);
    await ok('zhang-wei', [
      {
        contract: 'energy',
        name: 'registerPlant',
        params: { id: 'p-bill', name: '账单测试', capacityW: 10_000, lat: 0, lon: 0, commissioned: 0 },
      },
      {
        contract: 'energy',
        name: 'registerMeter',
        params: { id: 'm-bill', plant: 'p-bill', key: generateDeviceKey().publicKey },
      },
    ]);
    const slot = Math.ceil((now + 30 * MIN) / SLOT) * SLOT;
    const ask = await ok('zhang-wei', [
      {
        contract: 'energy',
        name: 'placeOrder',
        params: { slot, side: 'sell', plant: 'p-bill', wh: 10_000, price: 40_000 },
      },
    ]);
    // Two bids trade at the resting ask's 0.40 元/kWh: 4 kWh (160 + 20 fee) and 3 kWh (120 + 15 fee).
    const bid1 = await ok('jinghua-textile', [
      { contract: 'energy', name: 'placeOrder', params: { slot, side: 'buy', wh: 4_000, price: 50_000 } },
    ]);
    const bid2 = await ok('jinghua-textile', [
      { contract: 'energy', name: 'placeOrder', params: { slot, side: 'buy', wh: 3_000, price: 45_000 } },
    ]);
    const listed = (await api.market.slots({ from: slot - SLOT })).find((s) => s.slot === slot)!;
    expect(listed.trades).toEqual([
      expect.objectContaining({
        sellOrder: ask.id,
        buyOrder: bid1.id,
        seller: owner,
        buyer,
        wh: '4000',
        price: '40000',
        energyFen: '160',
        feeFen: '20',
        txId: bid1.id,
        height: bid1.height,
      }),
      expect.objectContaining({ buyOrder: bid2.id, wh: '3000', energyFen: '120', txId: bid2.id }),
    ]);

    // The slot ends and closes; an estimated anchor of 6.5 kWh settles it provisionally (0.5 kWh short
    // at 0.60 元/kWh: 30 fen), then the final 7.2 kWh trues it up (0.2 kWh surplus at 0.35: +7, so +37).
    now = slot + SLOT + MIN;
    const closed = await ok('jinghua-textile', [{ contract: 'energy', name: 'clearSlot', params: { slot } }]);
    const anchorOf = (exportWh: number, estimated: boolean) => ({
      contract: 'energy',
      name: 'anchorInterval',
      params: {
        meter: 'm-bill',
        start: slot,
        root: '11'.repeat(32),
        readings: 15,
        exportWh,
        importWh: 0,
        estimated,
      },
    });
    await ok('solar-ingester', [anchorOf(6_500, true)]);
    const settled = await ok('zhang-wei', [{ contract: 'energy', name: 'settleSlot', params: { slot } }]);
    const final = await ok('solar-ingester', [anchorOf(7_200, false)]);
    await h.caughtUp();

    // The book shows each order's bill as the server sums it, in signed fen: the ask is paid 160 + 120,
    // each bid pays its energy and grid fee.
    const book = (await api.market.slots({ from: slot - SLOT })).find((s) => s.slot === slot)!.orders;
    expect(Object.fromEntries(book.map((o) => [o.txId, o.amountFen]))).toEqual({
      [ask.id]: '280',
      [bid1.id]: '-180',
      [bid2.id]: '-135',
    });

    const sellerBill = await api.market.bills({ account: owner });
    expect(sellerBill.lines.map((l) => [l.kind, l.amountFen, l.txId])).toEqual([
      ['order', '280', closed.id],
      ['settlement', '-30', settled.id],
      ['trueUp', '37', final.id],
    ]);
    expect(sellerBill.lines[0]!.fills).toHaveLength(2);
    expect(sellerBill).toMatchObject({ totalFen: '287', paidFen: '317', chargedFen: '30' });
    const buyerBill = await api.market.bills({ account: buyer });
    expect(buyerBill.lines.map((l) => [l.kind, l.amountFen])).toEqual([
      ['order', '-180'],
      ['order', '-135'],
    ]);
    expect(buyerBill.totalFen).toBe('-315');
    expect(buyerBill.lines[0]).toMatchObject({ height: closed.height, txId: closed.id, placedTxId: bid1.id });
    const trued = (await api.market.slots({ from: slot - SLOT })).find((s) => s.slot === slot)!.trueUps;
    expect(trued).toEqual([
      expect.objectContaining({ plant: 'p-bill', toSellerFen: '37', toGridFen: '0', txId: final.id }),
    ]);

    // 7,200 Wh anchored: 7 points, 200 Wh carried; the latest credit is the final anchor's.
    const points = await api.points({ owner });
    expect(points).toMatchObject({
      symbol: SOLAR_POINTS,
      total: '7',
      plants: [{ plant: 'p-bill', earned: '7', carryWh: '200' }],
      latest: { txId: final.id, height: final.height, points: '1' },
    });
    const { value } = await h.services.chain.client.state(`assets/bal/${SOLAR_POINTS}/${owner}`);
    expect(BigInt(value as string | number)).toBe(7n);
    expect((await api.points({ owner: buyer })).total).toBe('0');

    // A rebuild from genesis gives the same read models.
    const snapshot = async () =>
      Promise.all(
        readModels.map(async (t) =>
          (await h.database.db.select().from(t))
            .map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))
            .sort(),
        ),
      );
    const before = await snapshot();
    await h.mounted.indexer!.rebuild();
    expect(await snapshot()).toEqual(before);
  });

  it("keeps a sell order the clearing left unfilled on the owner's bills, with the clearing's tx", async () => {
    const api = h.caller(null) as unknown as Api;
    const owner = h.party('zhang-wei').address;
    await ok('zhang-wei', [
      {
        contract: 'energy',
        name: 'registerPlant',
        params: {
          id: 'p-unfilled',
          name: '无人问津电站',
          capacityW: 10_000,
          lat: 0,
          lon: 0,
          commissioned: 0,
        },
      },
      {
        contract: 'energy',
        name: 'registerMeter',
        params: { id: 'm-unfilled', plant: 'p-unfilled', key: generateDeviceKey().publicKey },
      },
    ]);
    const slot = Math.ceil((now + 30 * MIN) / SLOT) * SLOT;
    // Nobody bids: the ask is left unfilled when the slot clears.
    const ask = await ok('zhang-wei', [
      {
        contract: 'energy',
        name: 'placeOrder',
        params: { slot, side: 'sell', plant: 'p-unfilled', wh: 5_000, price: 90_000 },
      },
    ]);
    now = slot + SLOT + MIN;
    const cleared = await ok('jinghua-textile', [
      { contract: 'energy', name: 'clearSlot', params: { slot } },
    ]);
    await h.caughtUp();

    const bill = await api.market.bills({ account: owner });
    const line = bill.lines.find((l) => l.order === ask.id);
    expect(line).toMatchObject({
      kind: 'order',
      slot,
      side: 'sell',
      status: 'unfilled',
      plantName: '无人问津电站',
      offeredWh: '5000',
      wh: '0',
      amountFen: '0',
      placedTxId: ask.id,
      height: cleared.height,
      txId: cleared.id,
    });
    // Nothing was paid for it: the totals are those of the other lines.
    expect(BigInt(bill.totalFen)).toBe(bill.lines.reduce((s, l) => s + BigInt(l.amountFen), 0n));
  });
});
