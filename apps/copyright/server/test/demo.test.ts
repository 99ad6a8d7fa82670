// The demo as the people who sign in find it: the passport demo's author (周若兰, `copyright-author`) owns
// demo works — one registered and listed, whose licence the demo publisher has bought, one in the review
// queue — and the passport demo's reviewer (钱审查, `copyright-reviewer`) reads and approves that one.
import { toHex } from '@gongxin/ledger';
import { sha256 } from '@gongxin/ledger/crypto';
import { demoAccounts } from '@gongxin/passport-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCodes } from '../src/codes';
import { works } from '../src/db/schema';
import { DEMO_TEXTS, seedCopyrightDemo } from '../src/demo';
import { type CopyrightHarness, startCopyrightHarness } from './harness';

let h: CopyrightHarness;
const passport = (id: string) => demoAccounts().find((a) => a.id === id)!;

beforeAll(async () => {
  h = await startCopyrightHarness({ seedDemo: true });
  // The seed runs in the background after start-up: wait for its three works and the purchase.
  const deadline = Date.now() + 60_000;
  const seeded = async () =>
    (await h.database.db.select().from(works)).length >= 3 &&
    (await h.anonymous.market.mine({ address: h.party('xinghe-press').address, limit: 10 })).licences.length >
      0;
  while (!(await seeded()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await h.caughtUp();
});
afterAll(async () => {
  await h?.close();
});

describe('the copyright demo for the passport demo accounts', () => {
  it("gives the passport's author works, a listing and royalties, under her passport name", async () => {
    const zhou = passport('copyright-author');
    expect(zhou.name).toBe('周若兰');
    const mine = await h.anonymous.works.search({ owner: zhou.address });
    expect(mine.map((w) => [w.title, w.status]).sort()).toEqual([
      ['江南春水', 'registered'],
      ['茶山笔记', 'pending'],
    ]);
    // Named as the passport names her, never by a bare address; her co-author of the pending text beside.
    const river = mine.find((w) => w.title === '江南春水')!;
    expect(river.owners).toEqual([{ address: zhou.address, share: 10_000, name: '周若兰' }]);
    const tea = mine.find((w) => w.title === '茶山笔记')!;
    expect(tea.owners.map((o) => o.name)).toEqual(['周若兰', '李明']);

    // Her listing on the market, one licence of it sold to the demo publisher.
    const listings = await h.anonymous.market.listings({ seller: zhou.address });
    expect(listings).toMatchObject([
      { workId: river.id, price: '80000', symbol: 'CPYX', quantity: 20, sold: 1, remaining: 19 },
    ]);
    const market = await h.anonymous.market.mine({ address: zhou.address, limit: 10 });
    expect(market.royalties).toMatchObject([{ workId: river.id, title: '江南春水', symbol: 'CPYX' }]);
    expect(BigInt(market.royalties[0]!.amount)).toBe(80_000n);
    const buyer = await h.anonymous.market.mine({ address: h.party('xinghe-press').address, limit: 10 });
    expect(buyer.licences).toMatchObject([{ workId: river.id, title: '江南春水', status: 'active' }]);
    expect(buyer.purchases).toMatchObject([{ workId: river.id, price: '80000' }]);

    // A restart seeds nothing twice: no second work, listing or purchase.
    expect(await seedCopyrightDemo(h.services)).toBe(0);
    await h.caughtUp();
    expect(await h.anonymous.market.listings({ seller: zhou.address })).toMatchObject([{ sold: 1 }]);
    expect((await h.anonymous.market.mine({ address: zhou.address, limit: 10 })).royalties).toHaveLength(1);
  });

  it("puts the pending work in the passport's reviewer's queue, who reads and approves it", async () => {
    const qian = passport('copyright-reviewer');
    const roles = await h.services.chain.client.state(`identity/roles/${qian.address}`);
    expect(roles.value).toEqual(expect.arrayContaining(['copyright/reviewer', 'copyright/regulator']));

    const queue = await h.anonymous.works.search({ status: 'pending' });
    expect(queue.map((w) => w.title)).toEqual(['茶山笔记']);
    const reviewer = h.caller(h.userOf(qian.address, ['copyright:reviewer', 'copyright:regulator']));
    const filed = await reviewer.works.application({ id: queue[0]!.id });
    expect(filed.originality).toContain('茶山笔记');
    expect(filed.files).toMatchObject([{ held: true, preview: { kind: 'text' } }]);

    const reviewed = await h.send(h.party('copyright-reviewer').account, [
      {
        contract: 'copyright',
        name: 'reviewWork',
        params: {
          id: queue[0]!.id,
          decision: 'approve',
          regNo: '国作登字-2026-A-00010003',
          reason: '材料齐全，符合登记条件',
        },
      },
    ]);
    expect(reviewed.ok, reviewed.message).toBe(true);
    expect(h.party('copyright-reviewer').address).toBe(qian.address);
    const { work } = await h.anonymous.works.get({ id: queue[0]!.id });
    expect(work).toMatchObject({ status: 'registered', regNo: '国作登字-2026-A-00010003' });
  });
});

describe('the copyright demo on a chain seeded before the passport author took part', () => {
  it('skips the work recorded then and seeds the rest', async () => {
    const old = await startCopyrightHarness();
    try {
      // The listed text as the demo recorded it then: 李明's.
      const bytes = new TextEncoder().encode(DEMO_TEXTS.river);
      const computed = await computeCodes(bytes, 'text/plain');
      const li = old.party('li-ming').address;
      const recorded = await old.as('li-ming', [
        {
          contract: 'copyright',
          name: 'registerWork',
          params: {
            title: '江南春水',
            category: 'text',
            authorship: 'natural',
            authors: [li],
            owners: [{ address: li, share: 10_000 }],
            createdAt: Date.now() - 400 * 86_400_000,
            files: [
              {
                hash: toHex(sha256(bytes)),
                codes: computed.codes,
                tool: computed.tool,
                mediaType: 'text/plain',
              },
            ],
            originality: '江南春水：作者独立构思与创作，未使用他人作品。',
          },
        },
      ]);
      expect(recorded.ok, recorded.message).toBe(true);
      expect(await seedCopyrightDemo(old.services)).toBe(2);
      await old.caughtUp();
      const all = await old.anonymous.works.search({});
      expect(all.map((w) => [w.title, w.owners.map((o) => o.name).join('、')]).sort()).toEqual([
        ['江南春水', '李明'],
        ['茶山笔记', '周若兰、李明'],
        ['黄山日出（摄影）', '王晓梅、杭州云图文化传媒有限公司'],
      ]);
      expect(await seedCopyrightDemo(old.services)).toBe(0);
    } finally {
      await old.close();
    }
  });
});
