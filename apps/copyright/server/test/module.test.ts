// The copyright app as a suite module under startAppHarness: its manifest and genesis contribution, the
// demo works it seeds, and the journey an author makes — upload → similar works → register → review →
// certificate — over HTTP and the app's procedures.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyrightApp } from '../src/app';
import { evidence, works } from '../src/db/schema';
import { seedCopyrightDemo } from '../src/demo';
import type { EvidenceReceipt } from '../src/evidence/verify';
import { verifyEvidence } from '../src/evidence/verify';
import { evidenceByFile } from '../src/router';
import { type CopyrightHarness, startCopyrightHarness } from './harness';
import { extractText, type0Fonts } from './pdf-text';

let h: CopyrightHarness;

beforeAll(async () => {
  h = await startCopyrightHarness({ seedDemo: true });
  // The demo seed runs in the background after start-up: wait for its three works.
  const deadline = Date.now() + 60_000;
  while ((await h.database.db.select().from(works)).length < 3 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  await h.caughtUp();
});
afterAll(async () => {
  await h?.close();
});

describe('copyright app module', () => {
  it('declares its manifest and roles, and contributes its parties and reviewer to genesis', async () => {
    expect(copyrightApp.id).toBe('copyright');
    expect(copyrightApp.manifest.roles.map((r) => r.id)).toEqual([
      'author',
      'reviewer',
      'regulator',
      'service',
    ]);
    const reviewer = h.party('cpcc-reviewer').address;
    const roles = await h.services.chain.client.state(`identity/roles/${reviewer}`);
    expect(roles.value).toContain('copyright/reviewer');
    const passport = await h.services.chain.client.state(
      `identity/account/${h.party('wang-xiaomei').address}`,
    );
    expect(passport.value).toMatchObject({ kind: 'person' });
  });

  it("gives its service account, the demo voucher's issuer, a role the wallet names it by", async () => {
    const service = h.party('copyright-service').address;
    const asset = await h.services.chain.client.state('assets/asset/CPYX');
    expect(asset.value).toMatchObject({ issuer: service });
    const account = await h.services.chain.client.state(`identity/account/${service}`);
    expect(account.value).toMatchObject({ kind: 'service' });
    // The wallet names a service account by the one app its roles are in (apps/wallet issuer-names.ts).
    const roles = await h.services.chain.client.state(`identity/roles/${service}`);
    expect(roles.value).toEqual(['copyright/service']);
  });

  it('seeds demo works once: two registered, one in the review queue, one under CC BY and licensed', async () => {
    const all = await h.anonymous.works.search({});
    expect(all.map((w) => [w.title, w.status]).sort()).toEqual([
      ['江南春水', 'registered'],
      ['茶山笔记', 'pending'],
      ['黄山日出（摄影）', 'registered'],
    ]);
    const river = all.find((w) => w.title === '江南春水')!;
    // The owners by name as the certificate names them, the address beside (the demo's people and firms,
    // and the passport's author by her passport name).
    const sunrise = all.find((w) => w.title === '黄山日出（摄影）')!;
    expect(sunrise.owners.map((o) => [o.name, o.share])).toEqual([
      ['王晓梅', 6_667],
      ['杭州云图文化传媒有限公司', 3_333],
    ]);
    const { licences, work } = await h.anonymous.works.get({ id: river.id });
    expect(work.owners).toEqual([{ address: river.owners[0]!.address, share: 10_000, name: '周若兰' }]);
    // Under CC BY for everyone, and the demo publisher's licence bought from the listing, by its name.
    expect(licences).toMatchObject([
      { licensee: '*', cc: 'CC-BY-4.0', status: 'active' },
      { licensee: h.party('xinghe-press').address, licenseeName: '星河数字出版有限公司', status: 'active' },
    ]);
    expect(await seedCopyrightDemo(h.services)).toBe(0);
    // The listed licence of the demo text, over HTTP as the web reads it: prices as decimal strings of fen.
    const res = await fetch(
      `${h.url}/copyright/api/trpc/works.get?input=${encodeURIComponent(JSON.stringify({ id: river.id }))}`,
    );
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as {
      result: { data: { listings: { price: string; symbol: string }[] } };
    };
    expect(result.data.listings).toMatchObject([{ price: '80000', symbol: 'CPYX' }]);
    // The verify page's copy of a registered work's file; a pending work's file stays with its applicant.
    const original = await fetch(`${h.url}/copyright/api/files/${river.files[0]}/content`);
    expect(original.status).toBe(200);
    expect(new TextDecoder().decode(await original.arrayBuffer())).toContain('三月的江南');
    const tea = all.find((w) => w.title === '茶山笔记')!;
    expect((await fetch(`${h.url}/copyright/api/files/${tea.files[0]}/content`)).status).toBe(404);
    // The certificate's QR code lands on the web's verify page.
    const qr = await fetch(`${h.url}/copyright/verify/${river.id}`, { redirect: 'manual' });
    expect(qr.status).toBe(302);
    expect(qr.headers.get('location')).toBe(`/copyright/#/verify/${river.id}`);
  });

  it('upload → similar works → register → review → certificate', async () => {
    // An author uploads a reprint of a demo text: the server computes the codes and finds the original.
    const reprint = `转载自《茶山笔记》\n清明前的茶山，雾从谷底升起，采茶人背着竹篓沿梯田慢慢往上走。一芽一叶要在露水未干时摘下，摊晾、杀青、揉捻、烘干，每一道工序都靠手上的分寸。制茶师傅说，好茶不在锅里，在山里；山上的云多一分，茶里的香便厚一分。`;
    const uploaded = await fetch(`${h.url}/copyright/api/files`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: reprint,
    }).then((r) => r.json() as Promise<{ sha256: string; codes: string[]; tool: string }>);
    const similar = await h.anonymous.works.similarToFile({ sha256: uploaded.sha256 });
    expect(similar.similar[0]).toMatchObject({ kind: 'text', strong: true, work: { title: '茶山笔记' } });

    // Similarity informs, it does not refuse: the author registers anyway, the reviewer sees the match.
    const li = h.party('li-ming');
    const registered = await h.as('li-ming', [
      {
        contract: 'copyright',
        name: 'registerWork',
        params: {
          title: '茶山笔记（转载）',
          category: 'text',
          authorship: 'natural',
          authors: [li.address],
          owners: [{ address: li.address, share: 10_000 }],
          createdAt: Date.now() - 86_400_000,
          files: [
            { hash: uploaded.sha256, codes: uploaded.codes, tool: uploaded.tool, mediaType: 'text/plain' },
          ],
          originality: '转载整理。',
        },
      },
    ]);
    expect(registered.ok, registered.message).toBe(true);
    const { similar: forReviewer } = await h.anonymous.works.get({ id: registered.id });
    expect(forReviewer[0]).toMatchObject({ kind: 'text', strong: true });

    const reviewed = await h.as('cpcc-reviewer', [
      {
        contract: 'copyright',
        name: 'reviewWork',
        params: {
          id: registered.id,
          decision: 'approve',
          regNo: '国作登字-2026-A-00010077',
          reason: '已核实授权',
        },
      },
    ]);
    expect(reviewed.ok, reviewed.message).toBe(true);

    const pdf = await fetch(`${h.url}/copyright/api/works/${registered.id}/certificate.pdf`);
    expect(pdf.status).toBe(200);
    const doc = await PDFDocument.load(new Uint8Array(await pdf.arrayBuffer()));
    const text = extractText(doc, type0Fonts(doc)[0]!);
    for (const expected of [
      registered.id,
      '国作登字-2026-A-00010077',
      uploaded.sha256,
      ...uploaded.codes,
      '文字作品',
    ])
      expect(text).toContain(expected);
  });

  it('captures an infringing page for an author: anchored at once, the receipt verifies offline', async () => {
    const page = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        '<!doctype html><meta charset="utf-8"><title>转载</title><p>黄山日出（摄影），未经授权转载。</p>',
      );
    });
    page.listen(0, '127.0.0.1');
    await new Promise((r) => page.once('listening', r));
    try {
      const wang = h.party('wang-xiaomei').address;
      const stranger = h.caller(h.userOf(h.party('xinghe-press').address, []));
      const url = `http://127.0.0.1:${(page.address() as AddressInfo).port}/photo`;
      await expect(stranger.evidence.capture({ url })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(h.anonymous.evidence.capture({ url })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

      const author = h.caller(h.userOf(wang, ['copyright:author']));
      await expect(author.evidence.capture({ url: 'ftp://example.com/x' })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
      const [sunrise] = await h.anonymous.works.search({ title: '黄山日出' });
      const receipt = (await author.evidence.capture({ url, workId: sunrise!.id })) as EvidenceReceipt;
      // Found by the work it was captured for, without its root.
      expect(await h.anonymous.evidence.byWork({ workId: sunrise!.id })).toEqual([
        {
          root: receipt.manifest.root,
          url,
          capturedAt: receipt.manifest.capturedAt,
          workId: sunrise!.id,
          anchored: true,
        },
      ]);
      expect(await h.anonymous.evidence.byWork({ workId: 'f'.repeat(64) })).toEqual([]);
      expect(receipt.anchor).toMatchObject({ contract: 'notary', type: 'evidence.web' });
      const stored = await h.anonymous.evidence.get({ root: receipt.manifest.root });
      expect(stored).toMatchObject({ url, receipt: { tx: receipt.tx } });
      const [row] = await h.database.db
        .select()
        .from(evidence)
        .where(eq(evidence.root, receipt.manifest.root));
      const files = new Map(
        Object.entries(row!.files).map(([n, b64]) => [n, new Uint8Array(Buffer.from(b64, 'base64'))]),
      );
      expect(verifyEvidence(receipt, files).ok).toBe(true);
      // Found by a file of it, by the file's SHA-256 alone: the page as served is in the bundle.
      const served = createHash('sha256').update(files.get('response.body')!).digest('hex');
      expect(await h.anonymous.evidence.byFile({ sha256: served })).toEqual([
        {
          root: receipt.manifest.root,
          url,
          capturedAt: receipt.manifest.capturedAt,
          workId: sunrise!.id,
          anchored: true,
          files: ['response.body'],
        },
      ]);
      // And by a file of the work it was captured for: no file of the bundle is that one.
      expect(await h.anonymous.evidence.byFile({ sha256: sunrise!.files[0]! })).toEqual([
        expect.objectContaining({ root: receipt.manifest.root, files: [] }),
      ]);
      expect(await h.anonymous.evidence.byFile({ sha256: 'e'.repeat(64) })).toEqual([]);
      // Found through the GIN indexes of the bundles' and the works' files, not by reading every row.
      const plan = await h.database.transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        const query = evidenceByFile(h.database.db, served, 50).toSQL();
        return tx.execute(sql.raw(`explain ${inline(query.sql, query.params)}`));
      });
      const text = JSON.stringify(plan);
      expect(text).toContain('evidence_manifest_files');
      expect(text).toContain('works_files');
      await expect(h.anonymous.evidence.byFile({ sha256: 'not-a-hash' })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
      // The same bundle over HTTP, as a court would fetch it.
      const base = `${h.url}/copyright/api/evidence/${receipt.manifest.root}`;
      const fetched = await fetch(`${base}/receipt.json`).then((r) => r.json() as Promise<EvidenceReceipt>);
      const downloaded = new Map<string, Uint8Array>();
      for (const f of fetched.manifest.files) {
        const res = await fetch(`${base}/files/${f.name}`);
        expect(res.headers.get('content-disposition')).toContain('attachment');
        downloaded.set(f.name, new Uint8Array(await res.arrayBuffer()));
      }
      expect(verifyEvidence(fetched, downloaded).ok).toBe(true);
      expect((await fetch(`${base}/files/nope.txt`)).status).toBe(404);
      expect((await fetch(`${h.url}/copyright/api/evidence/xyz/receipt.json`)).status).toBe(400);
      const html = files.get('page.html')!;
      html[html.length - 3] = html[html.length - 3]! ^ 1;
      expect(verifyEvidence(receipt, files).changed).toEqual(['page.html']);
    } finally {
      page.close();
    }
  });
});

/** A statement with its $n parameters written in as literals, for EXPLAIN. */
function inline(statement: string, params: unknown[]): string {
  return statement.replace(/\$(\d+)/g, (_m, n: string) => {
    const value = params[Number(n) - 1];
    return typeof value === 'number' ? String(value) : `'${String(value).replaceAll("'", "''")}'`;
  });
}
