// The demo supply chains on a fresh chain: seeded, anchored, alerts raised for what the rules find, the
// failed lot recalled; seeding again changes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Value } from '@gongxin/ledger';
import { demoAccounts, passportGenesis } from '@gongxin/passport-server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFoodDemo } from '../src/demo';
import { demoChains } from '../src/demo-chains';
import { type FoodHarness, startFoodHarness } from './harness';

let h: FoodHarness;
const dataDir = mkdtempSync(path.join(tmpdir(), 'gongxin-food-demo-'));
// The passport's farm co-op and store, as in the embedded suite: the demo registers a place for each.
const people = demoAccounts().filter((a) => a.id === 'enterprise-farm' || a.id === 'food-retailer');
beforeAll(async () => {
  const genesis = passportGenesis(people, { dataDir });
  h = await startFoodHarness({ genesis: { identity: genesis.identity } as unknown as Record<string, Value> });
});
afterAll(async () => {
  await h?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const count = async (table: string) =>
  (await h.database.query<{ n: number }>(sql.raw(`select count(*)::int as n from food.${table}`)))[0]!.n;

describe('demo data', () => {
  it('seeds three supply chains, anchored on chain, idempotently', async () => {
    const first = await seedFoodDemo(h.services, h.app);
    expect(first.seeded).toBe(true);
    await h.caughtUp();
    const events = await count('events');
    const chains = demoChains(0);
    expect(events).toBe(
      chains.captures.reduce(
        (n, c) => n + (c.document.epcisBody as { eventList: unknown[] }).eventList.length,
        0,
      ),
    );
    expect(await count('anchors')).toBe(events);
    expect(await count('products')).toBe(chains.products.length);
    expect(await count('locations')).toBe(chains.locations.length);
    // The farm co-op and the store one signs in as each registered a place of their own, as themselves.
    const own = await h.database.query<{ name: string; by: string }>(
      sql`select name, by from food.locations where by in (${people[0]!.address}, ${people[1]!.address}) order by name`,
    );
    expect(own.map((l) => [l.name, people.find((p) => p.address === l.by)?.id])).toEqual([
      ['惠民超市 人民路店', 'food-retailer'],
      ['绿源农业合作社 东滩基地', 'enterprise-farm'],
    ]);
    // Names in one language, as a Chinese supply chain registers them.
    for (const named of [...chains.products, ...chains.locations])
      expect(named.name).not.toMatch(/[A-Za-z]{3,}/);
    expect(await count('recalls')).toBe(1);
    const kinds = (await h.database.query<{ kind: string }>(sql`select distinct kind from food.alerts`)).map(
      (r) => r.kind,
    );
    expect(kinds).toEqual(expect.arrayContaining(['cold_chain', 'inspection_failed']));

    const again = await seedFoodDemo(h.services, h.app);
    expect(again.seeded).toBe(true);
    await h.caughtUp();
    expect(await count('events')).toBe(events);
    expect(await count('anchors')).toBe(events);
    expect(await count('recalls')).toBe(1);
  });

  it('says which shelves a recall of the sold demo tea lot reaches: the supermarket', async () => {
    const { createCallerFactory } = await import('../src/trpc');
    const { appRouter } = await import('../src/router');
    const caller = createCallerFactory(appRouter)({
      user: null,
      requestId: 't',
      logger: h.services.logger,
      services: h.services,
      ip: '',
      app: h.app,
    } as never);
    const { lotUri } = await import('../src/demo-chains');
    const chains = demoChains(0);
    const tea = chains.products.find((p) => p.name.includes('龙井'))!;
    const impact = await caller.trace.recallImpact({ lot: lotUri(tea.gtin, 'LJ-2604-01') });
    const store = chains.locations.find((l) => l.name.includes('超市'))!;
    expect(impact.affected.map((a) => [a.lot, a.atRetail])).toContainEqual([
      lotUri(tea.gtin, 'LJ-2604-01'),
      true,
    ]);
    expect(impact.retailPlaces).toEqual([
      expect.objectContaining({
        gln: store.gln,
        name: store.name,
        sold: true,
        lots: [lotUri(tea.gtin, 'LJ-2604-01')],
      }),
    ]);

    // The lots list names each lot's product, as registered in master data.
    const lots = await caller.masterData.lots({ limit: 100 });
    expect(lots.find((l) => l.epc === lotUri(tea.gtin, 'LJ-2604-01'))?.product).toBe(tea.name);
    expect(lots.every((l) => chains.products.some((p) => p.name === l.product))).toBe(true);

    // A farm lot of pigs: slaughtered into loin (another organisation), packs commissioned, two packs on a
    // pallet to the second store (delivered), the rest to the first (one pack sold).
    const pig = chains.products.find((p) => p.category === 'livestock')!;
    const pork = await caller.trace.recallImpact({ lot: lotUri(pig.gtin, 'PIG-A01') });
    const stores = chains.locations.filter((l) => l.org === 'supermarket');
    expect(pork.retailPlaces.map((p) => [p.name, p.sold]).sort()).toEqual(
      [
        [stores[0]!.name, true],
        [stores[1]!.name, false],
      ].sort(),
    );
  });

  it('serves the consumer page of a pork pack: three farm lots, inspections, a cold-chain breach', async () => {
    const { items } = demoChains(0);
    const item = items[0]!;
    const res = await fetch(`${h.url}/food/01/${item.gtin}/21/${item.serial}?lang=en`);
    expect(res.status).toBe(200);
    const page = await res.text();
    for (const lot of ['PIG-A01', 'PIG-A02', 'PIG-A03']) expect(page).toContain(lot);
    expect(page).toContain('LOIN-2611-07');
    expect(page).toMatch(/out of range/);
    expect(page).toContain('No recall recorded');
  });
});
