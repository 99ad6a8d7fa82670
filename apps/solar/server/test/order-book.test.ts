// Whose power is on offer: the market's book names each order's plant and the party behind it (as far as
// this deployment knows names), and an owner's bills list the orders still open in a slot not cleared
// yet, with nothing to pay until it is.
import { generateDeviceKey } from '@gongxin/solar-meter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SolarHarness, startSolarHarness } from './harness';

const SLOT = 15 * 60_000;
let h: SolarHarness;
/** The slot both orders are for, and the owner's sell order: the second test bills it. */
let slot = 0;
let ask: Awaited<ReturnType<SolarHarness['as']>>;
beforeAll(async () => {
  h = await startSolarHarness();
});
afterAll(async () => {
  await h?.closeAll();
});

type Api = {
  market: {
    slots(input: { from?: number }): Promise<{ slot: number; orders: Record<string, unknown>[] }[]>;
    bills(input: { account: string }): Promise<{
      lines: Record<string, unknown>[];
      totalFen: string;
    }>;
  };
};

async function ok(id: string, actions: Parameters<SolarHarness['as']>[1]) {
  const receipt = await h.as(id, actions);
  expect(receipt, receipt.message).toMatchObject({ ok: true });
  return receipt;
}

describe('the order book and open orders', () => {
  it('names each order’s plant and the party behind it', async () => {
    const api = h.caller(null) as unknown as Api;
    const owner = h.party('zhang-wei').address;
    await ok('zhang-wei', [
      {
        contract: 'energy',
        name: 'registerPlant',
        params: { id: 'p-book', name: '张家屋顶', capacityW: 10_000, lat: 0, lon: 0, commissioned: 0 },
      },
      {
        contract: 'energy',
        name: 'registerMeter',
        params: { id: 'm-book', plant: 'p-book', key: generateDeviceKey().publicKey },
      },
    ]);
    slot = Math.ceil((Date.now() + 30 * 60_000) / SLOT) * SLOT;
    ask = await ok('zhang-wei', [
      {
        contract: 'energy',
        name: 'placeOrder',
        params: { slot, side: 'sell', plant: 'p-book', wh: 10_000, price: 40_000 },
      },
    ]);
    const bid = await ok('jinghua-textile', [
      { contract: 'energy', name: 'placeOrder', params: { slot, side: 'buy', wh: 4_000, price: 30_000 } },
    ]);
    await h.caughtUp();

    const book = (await api.market.slots({ from: slot - SLOT })).find((s) => s.slot === slot)!.orders;
    const byTx = Object.fromEntries(book.map((o) => [o.txId as string, o]));
    expect(byTx[ask.id]).toMatchObject({
      account: owner,
      plant: 'p-book',
      plantName: '张家屋顶',
      accountName: { 'zh-CN': '张伟', en: 'Zhang Wei' },
    });
    expect(byTx[bid.id]).toMatchObject({
      plant: null,
      plantName: null,
      accountName: { 'zh-CN': '苏州精华纺织有限公司', en: 'Suzhou Jinghua Textile Co.' },
    });
  });

  it('bills an order still open in a slot not cleared as open, with nothing to pay yet', async () => {
    const api = h.caller(null) as unknown as Api;
    const owner = h.party('zhang-wei').address;
    // Nothing filled yet, the slot not cleared: the order is on the bill as open, offering 10 kWh.
    const bill = await api.market.bills({ account: owner });
    expect(bill.lines).toEqual([
      expect.objectContaining({
        kind: 'order',
        slot,
        side: 'sell',
        status: 'open',
        plant: 'p-book',
        plantName: '张家屋顶',
        offeredWh: '10000',
        wh: '0',
        amountFen: '0',
        placedTxId: ask.id,
        txId: null,
      }),
    ]);
    expect(bill.totalFen).toBe('0');
  });
});
