// The market's continuous mode through the app: the grid operator switches new slots to continuous
// matching, an order trades on arrival, both orders show the trade in the read model before the slot
// begins, and the read models equal a rebuild from genesis.
import { generateDeviceKey } from '@gongxin/solar-meter';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders, readModels } from '../src/db/schema';
import { DEMO_TARIFFS, SOLAR_CURRENCY } from '../src/parties';
import { type SolarHarness, startSolarHarness } from './harness';

const MIN = 60_000;
let h: SolarHarness;
beforeAll(async () => {
  h = await startSolarHarness();
});
afterAll(async () => {
  await h?.closeAll();
});

const order = async (id: string) => (await h.database.db.select().from(orders).where(eq(orders.id, id)))[0];

describe('continuous matching in the app', () => {
  it('shows a trade on both orders as it happens, and a rebuild gives the same read models', async () => {
    await h.as('grid-operator', [
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
        },
      },
    ]);
    await h.as('zhang-wei', [
      {
        contract: 'energy',
        name: 'registerPlant',
        params: { id: 'p-cm', name: '连续撮合测试', capacityW: 10_000, lat: 0, lon: 0, commissioned: 0 },
      },
      {
        contract: 'energy',
        name: 'registerMeter',
        params: { id: 'm-cm', plant: 'p-cm', key: generateDeviceKey().publicKey },
      },
    ]);
    const slot = Math.ceil((Date.now() + 30 * MIN) / (15 * MIN)) * 15 * MIN;
    const ask = await h.as('zhang-wei', [
      {
        contract: 'energy',
        name: 'placeOrder',
        params: { slot, side: 'sell', plant: 'p-cm', wh: 10_000, price: 40_000 },
      },
    ]);
    const bid = await h.as('jinghua-textile', [
      { contract: 'energy', name: 'placeOrder', params: { slot, side: 'buy', wh: 4_000, price: 50_000 } },
    ]);
    await h.caughtUp();
    // 4 kWh at the resting ask's 0.40 元/kWh: 160 fen, and 20 fen grid fee (0.05 元/kWh) on the buyer.
    expect(await order(ask.id)).toMatchObject({
      status: 'open',
      filledWh: 4_000n,
      energyFen: 160n,
      feeFen: 0n,
    });
    expect(await order(bid.id)).toMatchObject({
      status: 'open',
      filledWh: 4_000n,
      energyFen: 160n,
      feeFen: 20n,
    });
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
});
