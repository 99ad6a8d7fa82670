// What the genesis document put on chain without events — the demo area with its standard and a caseload
// already on the rolls — is in the read models from the first block on, and a rebuild from genesis (a fresh
// database, an upgraded handler) holds exactly the same areas and households as the live build.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { areas, households } from '../src/db/schema';
import { seedWelfareDemo } from '../src/demo';
import { DEMO_AREA } from '../src/people';
import { demoSingle, startWelfareHarness, type WelfareHarness } from './harness';

let h: WelfareHarness;
const area = DEMO_AREA.code;

beforeAll(async () => {
  h = await startWelfareHarness({
    genesis: {
      welfare: {
        households: [demoSingle('mu-laoshan', 300_000)],
      },
    },
  });
  // As on `npm start`: the demo seed opens three more households through the contract's actions.
  await seedWelfareDemo(h.services);
  await h.caughtUp();
});
afterAll(async () => {
  await h?.close();
});

const rows = async () => {
  const json = (r: object) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
  return {
    areas: (await h.database.db.select().from(areas)).map(json).sort(),
    households: (await h.database.db.select().from(households)).map(json).sort(),
  };
};

describe('the genesis areas and households', () => {
  it('are in the read models, with the standard and the monthly amount the contract set', async () => {
    const [gucheng] = await h.database.db.select().from(areas);
    expect(gucheng).toMatchObject({ code: area, name: DEMO_AREA.name, height: 0 });
    expect(gucheng?.standard).toBeGreaterThan(0n);
    const all = await h.database.db.select().from(households);
    const genesis = all.filter((r) => r.openedBy === 'genesis');
    expect(genesis).toHaveLength(1);
    expect(genesis[0]).toMatchObject({ area, members: 1, status: 'active', category: 'single', height: 0 });
    // (standard − 300,000 / 12) × 1, in fen.
    expect(genesis[0]?.monthly).toBe(gucheng!.standard! - 25_000n);
    expect(genesis[0]?.txId).toBe((await h.services.chain.client.info()).genesisHash);
    expect(all.length).toBe(4);
  });

  it('survive a rebuild from genesis unchanged', async () => {
    const before = await rows();
    await h.mounted.indexer!.rebuild();
    expect(await rows()).toEqual(before);
  });
});
