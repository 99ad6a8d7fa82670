import type { Database } from '@gongxin/db';
import { testBackends } from '@gongxin/db/testing';
import type { Action } from '@gongxin/ledger';
import { PDFDocument } from 'pdf-lib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModels, royalties } from '../src/db/schema';
import type { PartyAccount } from '../src/parties';
import { type CopyrightHarness, startCopyrightHarness, TEST_SYMBOL } from './harness';
import { extractText, type0Fonts } from './pdf-text';

let h: CopyrightHarness;

/** A 160×120 test picture: gradients and shapes; `brighten` lifts every channel (an edited copy). */
function picture(seed: number, brighten = 0): Uint8Array {
  const png = new PNG({ width: 160, height: 120 });
  for (let y = 0; y < 120; y++)
    for (let x = 0; x < 160; x++) {
      const i = (y * 160 + x) * 4;
      const inCircle = (x - 50 - seed * 7) ** 2 + (y - 60) ** 2 < 900;
      const base = inCircle ? 220 : ((x * (3 + seed) + y * 2 * seed) % 256) * 0.6;
      png.data[i] = Math.min(255, base + brighten);
      png.data[i + 1] = Math.min(255, ((y * 2 + seed * 40) % 256) + brighten);
      png.data[i + 2] = Math.min(255, ((x + seed * 90) % 256) + brighten);
      png.data[i + 3] = 255;
    }
  return new Uint8Array(PNG.sync.write(png));
}

const TEXT =
  '黄山云海变幻莫测，清晨的光从莲花峰背后升起，雾气漫过始信峰的松林，像一条缓慢流动的河。摄影者在光明顶守候了三个清晨，' +
  '终于等到云层在天都峰下铺开，远处的群峰只露出尖顶，仿佛海上的岛屿。这组照片记录了云海从生成到消散的四十分钟。';

async function upload(body: Uint8Array | string, type: string) {
  const res = await fetch(`${h.url}/copyright/api/files?name=test`, {
    method: 'POST',
    headers: { 'content-type': type },
    body: typeof body === 'string' ? body : Buffer.from(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string } },
  };
}

const cr = (name: string, params: Record<string, unknown>): Action =>
  ({ contract: 'copyright', name, params }) as never;

let workId: string;
let imageSha: string;
let imageCodes: string[];

// On in-memory PGlite, and on PostgreSQL too when TEST_DATABASE_URL is set.
describe.each(testBackends())('copyright server on $name', ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
    h = await startCopyrightHarness({ database });
  });
  afterAll(async () => {
    await h?.close();
    await database?.close();
  });

  it('takes an upload and computes its content, data and instance codes itself', async () => {
    const image = await upload(picture(1), 'image/png');
    expect(image.status).toBe(201);
    imageSha = image.body.sha256 as string;
    imageCodes = image.body.codes as string[];
    expect(imageCodes).toHaveLength(3);
    expect(image.body.content).toMatchObject({ kind: 'image' });
    expect(image.body.tool).toMatch(/^@gongxin\/iscc \S+ \(pngjs/);

    const text = await upload(TEXT, 'text/plain; charset=utf-8');
    expect(text.status).toBe(201);
    expect(text.body.content).toMatchObject({ kind: 'text' });

    const meta = await fetch(`${h.url}/copyright/api/files/${imageSha}`).then((r) => r.json());
    expect(meta).toMatchObject({ sha256: imageSha, mediaType: 'image/png', codes: imageCodes });
  });

  it('refuses bad uploads with a 4xx that names the problem, and counts them', async () => {
    const wrongType = await upload('x', 'application/x-msdownload');
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.error?.message).toMatch(/content-type: application\/x-msdownload is not accepted/);
    const notPng = await upload('not a png at all', 'image/png');
    expect(notPng.status).toBe(415);
    expect(notPng.body.error?.message).toMatch(/not a PNG/);
    const empty = await upload('', 'text/plain');
    expect(empty.status).toBe(400);
    const big = await upload(new Uint8Array(20 * 1024 * 1024 + 1), 'application/pdf');
    expect(big.status).toBe(413);
    const badLatin = await upload(new Uint8Array([0xff, 0xfe, 0xfd]), 'text/plain');
    expect(badLatin.status).toBe(422);
    expect(badLatin.body.error?.message).toMatch(/UTF-8/);
    const badSha = await fetch(`${h.url}/copyright/api/files/XYZ`);
    expect(badSha.status).toBe(400);
    const metrics = await h.services.metrics.registry.getSingleMetricAsString('gongxin_bad_input_total');
    expect(metrics).toMatch(/source="copyright",reason="unsupported_media_type"} [1-9]/);
    expect(metrics).toMatch(/source="copyright",reason="too_large"} [1-9]/);
  });

  it('registers a work on chain; the indexer reads it into works, parties and codes', async () => {
    const wang = h.party('wang-xiaomei');
    const yuntu = h.party('yuntu-media');
    const receipt = await h.as('wang-xiaomei', [
      cr('registerWork', {
        title: '黄山云海（摄影组照之一）',
        category: 'photography',
        authorship: 'natural',
        authors: [wang.address],
        owners: [
          { address: wang.address, share: 6_667 },
          { address: yuntu.address, share: 3_333 },
        ],
        createdAt: Date.now() - 30 * 86_400_000,
        files: [{ hash: imageSha, codes: imageCodes, tool: '@gongxin/iscc 0.1.0', mediaType: 'image/png' }],
        originality: '作者于黄山光明顶连续三日清晨守候拍摄，构图与时机选择均为独立创作。',
      }),
    ]);
    expect(receipt.ok, receipt.message).toBe(true);
    workId = receipt.id;
    const byTitle = await h.anonymous.works.search({ title: '黄山' });
    expect(byTitle.map((w) => w.id)).toEqual([workId]);
    expect(byTitle[0]).toMatchObject({ status: 'pending', category: 'photography', files: [imageSha] });
    const byOwner = await h.anonymous.works.search({ owner: yuntu.address });
    expect(byOwner.map((w) => w.id)).toEqual([workId]);
    expect(await h.anonymous.works.search({ owner: h.party('li-ming').address })).toEqual([]);
  });

  it('finds the work for an edited copy of its image, by codes the server computed from the upload', async () => {
    const copy = await upload(picture(1, 12), 'image/png');
    expect(copy.status).toBe(201);
    const unrelated = await upload(picture(4), 'image/png');
    const similar = await h.anonymous.works.similarToFile({ sha256: copy.body.sha256 as string });
    expect(similar.similar[0]).toMatchObject({ workId, kind: 'image', strong: true });
    expect(similar.similar[0]!.distance).toBeLessThanOrEqual(similar.thresholds.strong);
    expect(similar.similar[0]!.work.title).toBe('黄山云海（摄影组照之一）');
    const none = await h.anonymous.works.similarToFile({ sha256: unrelated.body.sha256 as string });
    expect(none.similar.filter((s) => s.strong)).toEqual([]);

    const byCode = await h.anonymous.works.search({ code: (copy.body.content as { iscc: string }).iscc });
    expect(byCode[0]).toMatchObject({ id: workId, similarity: { kind: 'image' } });
    await expect(h.anonymous.works.similarToFile({ sha256: 'ab'.repeat(32) })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(h.anonymous.works.search({ code: 'ISCC:nope' as never })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('shows the reviewer what was filed: the originality statement and a preview of each file', async () => {
    const reviewer = h.caller(h.userOf(h.party('cpcc-reviewer').address, ['copyright:reviewer']));
    const image = await reviewer.works.application({ id: workId });
    expect(image.originality).toBe('作者于黄山光明顶连续三日清晨守候拍摄，构图与时机选择均为独立创作。');
    expect(image.files).toHaveLength(1);
    const [photo] = image.files;
    expect(photo).toMatchObject({ sha256: imageSha, held: true, mediaType: 'image/png', name: 'test' });
    expect(photo!.size).toBeGreaterThan(0);
    expect(photo!.preview).toMatchObject({ kind: 'image', width: 160, height: 120 });
    const thumbnail = (photo!.preview as { thumbnail: string }).thumbnail;
    expect(thumbnail).toMatch(/^data:image\/png;base64,/);
    const small = PNG.sync.read(Buffer.from(thumbnail.split(',')[1]!, 'base64'));
    expect(Math.max(small.width, small.height)).toBeLessThanOrEqual(240);

    const text = await upload(`第一行\n第二行\n${TEXT}`, 'text/plain');
    const li = h.party('li-ming').address;
    const filed = await h.as('li-ming', [
      cr('registerWork', {
        title: '云海散记',
        category: 'text',
        authorship: 'natural',
        authors: [li],
        owners: [{ address: li, share: 10_000 }],
        createdAt: Date.now() - 86_400_000,
        files: [
          {
            hash: text.body.sha256 as string,
            codes: text.body.codes as string[],
            tool: '@gongxin/iscc 0.1.0',
            mediaType: 'text/plain',
          },
        ],
        originality: '作者游记原稿。',
      }),
    ]);
    expect(filed.ok, filed.message).toBe(true);
    const essay = await reviewer.works.application({ id: filed.id });
    expect(essay.originality).toBe('作者游记原稿。');
    expect(essay.files[0]!.preview).toMatchObject({ kind: 'text', lines: ['第一行', '第二行', TEXT] });

    // The files of a pending work are not public: a visitor or an author is refused.
    await expect(h.anonymous.works.application({ id: workId })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    const author = h.caller(h.userOf(li, ['copyright:author']));
    await expect(author.works.application({ id: workId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(reviewer.works.application({ id: 'f'.repeat(64) })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('the reviewer registers it; the certificate PDF carries the number, id, hash and codes', async () => {
    const review = await h.as('cpcc-reviewer', [
      cr('reviewWork', {
        id: workId,
        decision: 'approve',
        regNo: '国作登字-2026-G-00000001',
        reason: '符合登记条件',
      }),
    ]);
    expect(review.ok, review.message).toBe(true);
    const { work } = await h.anonymous.works.get({ id: workId });
    expect(work).toMatchObject({ status: 'registered', regNo: '国作登字-2026-G-00000001' });

    const res = await fetch(`${h.url}/copyright/api/works/${workId}/certificate.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const doc = await PDFDocument.load(new Uint8Array(await res.arrayBuffer()));
    expect(doc.getTitle()).toBe('作品登记证书 黄山云海（摄影组照之一）');
    expect(doc.getSubject()).toBe(`${workId} 国作登字-2026-G-00000001`);
    const text = extractText(doc, type0Fonts(doc)[0]!);
    for (const expected of [
      workId,
      '国作登字-2026-G-00000001',
      imageSha,
      ...imageCodes,
      '摄影作品',
      '66.67%',
      '33.33%',
    ])
      expect(text).toContain(expected);
    expect(text).toContain(`${h.url}/copyright/verify/${workId}`);
    expect((await fetch(`${h.url}/copyright/api/works/${'0'.repeat(64)}/certificate.pdf`)).status).toBe(404);
    expect((await fetch(`${h.url}/copyright/api/works/nope/certificate.pdf`)).status).toBe(400);
  });

  it('answers the use check from the rights engine: owner, licensee, outsider, moral right', async () => {
    const wang = h.party('wang-xiaomei').address;
    const xinghe = h.party('xinghe-press').address;
    const ask = (actor: string, right = 'network', territory = 'CN') =>
      h.anonymous.rights.useCheck({
        workId,
        actor,
        right: right as never,
        territory,
        date: new Date().toISOString(),
      });
    expect((await ask(wang)).answer).toMatchObject({ allowed: true, basis: 'owner' });
    expect((await ask(xinghe)).answer).toMatchObject({ allowed: false, reason: 'not_covered' });
    expect((await ask(xinghe, 'attribution')).answer).toMatchObject({
      allowed: false,
      reason: 'moral_right',
    });

    const yuntu = h.party('yuntu-media');
    const licence = await h.as('wang-xiaomei', [
      cr('grantLicence', {
        workId,
        holding: 0,
        rights: ['network'],
        territory: ['CN'],
        licensee: xinghe,
        exclusivity: 'non-exclusive',
        duties: ['attribute'],
        cosignatures: await cosign(yuntu, 'grantLicence', {
          workId,
          holding: 0,
          rights: ['network'],
          territory: ['CN'],
          licensee: xinghe,
          exclusivity: 'non-exclusive',
          duties: ['attribute'],
        }),
      }),
    ]);
    expect(licence.ok, licence.message).toBe(true);
    // The work's page lists the licence with its licensee by name and its chain record.
    const { licences: granted } = await h.anonymous.works.get({ id: workId });
    expect(granted).toMatchObject([
      {
        licensee: xinghe,
        licenseeName: '星河数字出版有限公司',
        grant: { rights: ['network'], territory: ['CN'] },
        status: 'active',
        txId: licence.id,
      },
    ]);
    expect((await ask(xinghe)).answer).toMatchObject({
      allowed: true,
      basis: 'licence',
      duties: ['attribute'],
    });
    expect((await ask(xinghe, 'network', 'US')).answer).toMatchObject({
      allowed: false,
      reason: 'not_covered',
    });
    await expect(ask(xinghe, 'network', 'China')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      h.anonymous.rights.useCheck({
        workId: 'f'.repeat(64),
        actor: xinghe,
        right: 'network',
        territory: 'CN',
        date: 0,
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists a licence in the market; a purchase shows as sold with royalties split by share', async () => {
    const yuntu = h.party('yuntu-media');
    const params = {
      workId,
      holding: 0,
      rights: ['reproduction'],
      territory: ['CN'],
      kind: 'licence',
      exclusivity: 'non-exclusive',
      price: { symbol: TEST_SYMBOL, amount: 10_001n },
      quantity: 2,
    };
    const listed = await h.as('wang-xiaomei', [
      cr('list', { ...params, cosignatures: await cosign(yuntu, 'list', params) }),
    ]);
    expect(listed.ok, listed.message).toBe(true);
    const open = await h.anonymous.market.listings({});
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      workId,
      price: '10001',
      remaining: 2,
      title: '黄山云海（摄影组照之一）',
    });

    const bought = await h.as('xinghe-press', [cr('purchase', { listingId: open[0]!.id })]);
    expect(bought.ok, bought.message).toBe(true);
    const after = await h.anonymous.market.listings({});
    expect(after[0]).toMatchObject({ sold: 1, remaining: 1, status: 'open' });
    const paid = await h.database.db.select().from(royalties);
    expect(paid.map((p) => p.amount).reduce((a, b) => a + b, 0n)).toBe(10_001n);
    expect(paid.map((p) => p.amount).sort()).toEqual([3_333n, 6_668n]);
    // Each royalty names the purchase's tx, which the page links to.
    expect(paid.map((p) => p.txId)).toEqual([bought.id, bought.id]);
  });

  it('shows a seller their own listings in every standing; the public market only what is on sale', async () => {
    const wang = h.party('wang-xiaomei').address;
    const yuntu = h.party('yuntu-media');
    const list = async (rights: string[], quantity: number) => {
      const params = {
        workId,
        holding: 0,
        rights,
        territory: ['CN'],
        kind: 'licence',
        exclusivity: 'non-exclusive',
        price: { symbol: TEST_SYMBOL, amount: 500n },
        quantity,
      };
      const listed = await h.as('wang-xiaomei', [
        cr('list', { ...params, cosignatures: await cosign(yuntu, 'list', params) }),
      ]);
      expect(listed.ok, listed.message).toBe(true);
    };
    const [before] = await h.anonymous.market.listings({ seller: wang, status: 'any' });
    await list(['translation'], 1);
    await list(['adaptation'], 3);
    const mine = await h.anonymous.market.listings({ seller: wang, status: 'any' });
    const translation = mine.find((l) => l.grant.rights.includes('translation'))!;
    const adaptation = mine.find((l) => l.grant.rights.includes('adaptation'))!;
    // One sells out, one is withdrawn.
    const bought = await h.as('xinghe-press', [cr('purchase', { listingId: translation.id })]);
    expect(bought.ok, bought.message).toBe(true);
    const cancelled = await h.as('wang-xiaomei', [cr('cancelListing', { id: adaptation.id })]);
    expect(cancelled.ok, cancelled.message).toBe(true);

    const publicIds = (await h.anonymous.market.listings({})).map((l) => l.id);
    expect(publicIds).not.toContain(translation.id);
    expect(publicIds).not.toContain(adaptation.id);
    const own = await h.anonymous.market.listings({ seller: wang, status: 'any' });
    expect(own.map((l) => [l.id, l.status, l.remaining])).toEqual(
      expect.arrayContaining([
        [translation.id, 'sold', 0],
        [adaptation.id, 'cancelled', 3],
        [before!.id, 'open', 1],
      ]),
    );
    // Every seller of a listing finds it (the co-owner too); anyone else finds none of these.
    expect(
      (await h.anonymous.market.listings({ seller: yuntu.address, status: 'any' })).map((l) => l.id),
    ).toEqual(own.map((l) => l.id));
    expect(
      await h.anonymous.market.listings({ seller: h.party('xinghe-press').address, status: 'any' }),
    ).toEqual([]);
    expect(
      (await h.anonymous.market.listings({ seller: wang, status: 'cancelled' })).map((l) => l.id),
    ).toEqual([adaptation.id]);
  });

  it('the read models equal a rebuild from genesis', async () => {
    const snapshot = async () =>
      Promise.all(
        readModels.map(async (t) =>
          (await h.database.db.select().from(t))
            .map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))
            .sort(),
        ),
      );
    const before = await snapshot();
    expect(before[0]!.length).toBeGreaterThan(0);
    await h.mounted.indexer!.rebuild();
    expect(await snapshot()).toEqual(before);
  });

  it("a work's similar works come with their titles, for the reviewer", async () => {
    const copy = await upload(picture(1, 12), 'image/png');
    const li = h.party('li-ming');
    const receipt = await h.as('li-ming', [
      cr('registerWork', {
        title: '云海（调亮）',
        category: 'photography',
        authorship: 'natural',
        authors: [li.address],
        owners: [{ address: li.address, share: 10_000 }],
        createdAt: Date.now() - 86_400_000,
        files: [
          {
            hash: copy.body.sha256 as string,
            codes: copy.body.codes as string[],
            tool: '@gongxin/iscc 0.1.0',
            mediaType: 'image/png',
          },
        ],
        originality: '自行拍摄。',
      }),
    ]);
    expect(receipt.ok, receipt.message).toBe(true);
    const { similar } = await h.anonymous.works.get({ id: receipt.id });
    expect(similar[0]).toMatchObject({
      workId,
      kind: 'image',
      strong: true,
      work: { title: '黄山云海（摄影组照之一）', status: 'registered' },
    });
  });
});

/** A co-owner's consent to an action over the work as it stands (consentMessage over params and rev). */
async function cosign(signer: PartyAccount, action: string, params: Record<string, unknown>) {
  const { consentMessage } = await import('@gongxin/contracts');
  const state = await h.services.chain.client.state(`copyright/work/${workId}`);
  const rev = (state.value as { rev: number }).rev;
  const message = consentMessage(h.services.chain.chainId, action, params, rev);
  return [
    {
      signer: signer.address,
      key: signer.account.publicKey,
      signature: signer.account.suite.sign(message, signer.account.privateKey),
    },
  ];
}
