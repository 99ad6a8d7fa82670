// Demo works on a demo chain: two texts and a picture by the demo authors, their files kept here with
// the codes the server computes, registered on chain; the reviewer approves two and leaves one pending for
// the review queue, and one work is offered under CC BY 4.0 and listed on the market, where the demo
// publisher buys a licence of it. The passport demo's author (周若兰, `copyright-author`), the person who
// signs in, is the author and owner of the listed text (so she is paid its royalty) and of the pending
// one, with 李明; 王晓梅 and 云图传媒 co-own the picture. Idempotent: a work whose file the chain has
// recorded is skipped with all that follows it, so a restart seeds nothing twice (and a chain seeded
// before the passport's author took part keeps its works as they were).
import { type AppServices, clockOf } from '@gongxin/app-kit';
import { ChainError, createWallet } from '@gongxin/client';
import { toHex } from '@gongxin/ledger';
import { sha256 as sha256Of } from '@gongxin/ledger/crypto';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { PNG } from 'pngjs';
import { computeCodes } from './codes';
import { files } from './db/schema';
import { DEMO_AUTHOR, DEMO_SYMBOL, demoParty, demoPartyAccounts } from './parties';

/** The demo texts (a file the chain has recorded is not seeded again). */
export const DEMO_TEXTS = {
  river: `《江南春水》
三月的江南，雨细得像丝。河埠头的青石被一代代洗衣人磨得发亮，乌篷船从石桥下穿过，船娘的橹声和着檐下的滴水。
外婆说，春水涨起来的时候，柳絮会落满整条河，鱼便浮上来吃，孩子们蹲在岸边数着一圈圈的涟漪。如今老街的店铺换了招牌，
石桥还是那座石桥，春水依旧向东流去。`,
  tea: `《茶山笔记》
清明前的茶山，雾从谷底升起，采茶人背着竹篓沿梯田慢慢往上走。一芽一叶要在露水未干时摘下，摊晾、杀青、揉捻、烘干，
每一道工序都靠手上的分寸。制茶师傅说，好茶不在锅里，在山里；山上的云多一分，茶里的香便厚一分。`,
};

/** A 240×160 picture: a sunrise over layered hills, drawn in code. */
function sunrise(): Uint8Array {
  const width = 240;
  const height = 160;
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const sky = y / height;
      let [r, g, b] = [255 - sky * 60, 180 - sky * 80, 120 + sky * 60];
      if ((x - 160) ** 2 + (y - 55) ** 2 < 22 ** 2) [r, g, b] = [255, 220, 120];
      const hill1 = 100 + 18 * Math.sin(x / 23);
      const hill2 = 125 + 12 * Math.sin(x / 13 + 1);
      if (y > hill1) [r, g, b] = [70, 110, 90];
      if (y > hill2) [r, g, b] = [40, 75, 60];
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = 255;
    }
  return new Uint8Array(PNG.sync.write(png));
}

const DAY = 86_400_000;

export async function seedCopyrightDemo(services: AppServices): Promise<number> {
  const suite = getSuite(services.chain.suite);
  // Dates on the deployment clock: the chain checks them against its block times.
  const now = clockOf(services);
  const parties = demoPartyAccounts(suite);
  const wallet = (id: string) => createWallet(services.chain.client, demoParty(parties, id).account);
  const wang = demoParty(parties, 'wang-xiaomei');
  const li = demoParty(parties, 'li-ming');
  const yuntu = demoParty(parties, 'yuntu-media');
  const zhou = demoParty(parties, DEMO_AUTHOR);
  const encoder = new TextEncoder();
  const works = [
    {
      authors: [zhou],
      owners: [{ address: zhou.address, share: 10_000 }],
      title: '江南春水',
      category: 'text',
      bytes: encoder.encode(DEMO_TEXTS.river),
      mediaType: 'text/plain',
      createdAt: now() - 400 * DAY,
      publishedAt: now() - 300 * DAY,
      approve: '国作登字-2026-A-00010001',
      cc: 'CC-BY-4.0',
      // Beyond CC BY: a commercial licence without the attribution duty, one year, 800.00 each.
      listing: { rights: ['reproduction', 'network'], territory: ['CN'], price: 80_000n, quantity: 20 },
      // The demo publisher licenses it at once: the author's royalty, the publisher's licence.
      buyer: 'xinghe-press',
    },
    {
      authors: [wang],
      owners: [
        { address: wang.address, share: 6_667 },
        { address: yuntu.address, share: 3_333 },
      ],
      title: '黄山日出（摄影）',
      category: 'photography',
      bytes: sunrise(),
      mediaType: 'image/png',
      createdAt: now() - 120 * DAY,
      approve: '国作登字-2026-G-00010002',
    },
    {
      authors: [zhou, li],
      owners: [
        { address: zhou.address, share: 5_000 },
        { address: li.address, share: 5_000 },
      ],
      title: '茶山笔记',
      category: 'text',
      bytes: encoder.encode(DEMO_TEXTS.tea),
      mediaType: 'text/plain',
      createdAt: now() - 30 * DAY,
    },
  ];
  let seeded = 0;
  for (const w of works) {
    const computed = await computeCodes(w.bytes, w.mediaType);
    const sha256 = toHex(sha256Of(w.bytes));
    await services.database.db
      .insert(files)
      .values({
        sha256,
        mediaType: w.mediaType,
        size: w.bytes.length,
        name: `${w.title}${w.mediaType === 'image/png' ? '.png' : '.txt'}`,
        bytes: w.bytes,
        codes: computed.codes,
        tool: computed.tool,
        uploadedBy: w.authors[0]!.address,
        uploadedAt: now(),
      })
      .onConflictDoNothing();
    try {
      await services.chain.client.state(`copyright/file/${sha256}`);
      continue; // recorded before
    } catch (error) {
      if (!(error instanceof ChainError && error.code === 'not_found')) throw error;
    }
    const applicant = w.authors[0]!;
    const registered = await wallet(applicant.id).send([
      {
        contract: 'copyright',
        name: 'registerWork',
        params: {
          title: w.title,
          category: w.category,
          authorship: 'natural',
          authors: w.authors.map((a) => a.address),
          owners: w.owners,
          createdAt: w.createdAt,
          ...(w.publishedAt !== undefined && { publishedAt: w.publishedAt }),
          files: [{ hash: sha256, codes: computed.codes, tool: computed.tool, mediaType: w.mediaType }],
          originality: `${w.title}：作者独立构思与创作，未使用他人作品。`,
        },
      },
    ]);
    if (!registered.ok)
      throw new Error(`demo work ${w.title} refused: ${registered.code} ${registered.message ?? ''}`);
    seeded++;
    if (!w.approve) continue;
    const reviewed = await wallet('cpcc-reviewer').send([
      {
        contract: 'copyright',
        name: 'reviewWork',
        params: {
          id: registered.id,
          decision: 'approve',
          regNo: w.approve,
          reason: '材料齐全，符合登记条件',
        },
      },
    ]);
    if (!reviewed.ok) throw new Error(`demo review of ${w.title} refused: ${reviewed.code}`);
    if (w.cc) {
      const offered = await wallet(applicant.id).send([
        { contract: 'copyright', name: 'offerCc', params: { workId: registered.id, holding: 0, cc: w.cc } },
      ]);
      if (!offered.ok) throw new Error(`demo CC licence of ${w.title} refused: ${offered.code}`);
    }
    if (w.listing) {
      const listed = await wallet(applicant.id).send([
        {
          contract: 'copyright',
          name: 'list',
          params: {
            workId: registered.id,
            holding: 0,
            rights: w.listing.rights,
            territory: w.listing.territory,
            kind: 'licence',
            durationMs: 365 * DAY,
            exclusivity: 'non-exclusive',
            price: { symbol: DEMO_SYMBOL, amount: w.listing.price },
            quantity: w.listing.quantity,
          },
        },
      ]);
      if (!listed.ok) throw new Error(`demo listing of ${w.title} refused: ${listed.code}`);
      if (w.buyer) {
        const bought = await wallet(w.buyer).send([
          { contract: 'copyright', name: 'purchase', params: { listingId: listed.id } },
        ]);
        if (!bought.ok) throw new Error(`demo purchase of ${w.title} refused: ${bought.code}`);
      }
    }
  }
  return seeded;
}
