// Copyright end to end in Chromium, on the demo chain: an author uploads a text and a picture (edited
// copies of two demo works), their codes are computed in the browser, the similar works appear with their
// distances, and the author signs the registration in the browser keyring; the reviewer approves it; the
// author downloads the certificate and lists a licence; a buyer licenses it in the market; the QR code of
// the downloaded certificate (decoded with jsQR) opens the public page on a phone, which verifies the
// registration's proof, the file's hash and content code in the browser; a capture of a local test page
// verifies, and fails, naming page.html, after one byte of it is changed.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateSync } from 'node:zlib';
import jsQR from 'jsqr';
import { PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type SuiteProcess, saveScreenshot } from '../src/harness';
import { AppJourney, confirmSignature } from '../src/journey';
import { demoSuite } from '../src/shared-suite';

let suite: SuiteProcess;
let j: AppJourney;
let browser: Browser;
let testPage: Server;
const contexts: BrowserContext[] = [];
const errors: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  testPage = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(
      '<!doctype html><html><head><title>盗版转载页</title></head><body><h1>江南春水</h1><p>三月的江南，雨细得像丝。</p></body></html>',
    );
  });
  await new Promise<void>((resolve) => testPage.listen(0, '127.0.0.1', resolve));
  [suite, browser] = await Promise.all([demoSuite(), launchBrowser()]);
  j = new AppJourney(browser, suite, 'copyright');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await suite?.stop();
  await new Promise((resolve) => testPage?.close(resolve));
});

interface WorkRow {
  id: string;
  title: string;
  status: string;
  files: string[];
}

/** The demo works and the demo listing are seeded in the background after start-up. */
async function demoReady(timeoutMs = 120_000): Promise<WorkRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const works = await j.trpc<WorkRow[]>('works.search', { limit: 50 }).catch(() => []);
    const listings = await j.trpc<unknown[]>('market.listings', {}).catch(() => []);
    if (works.length >= 3 && listings.length >= 1) return works;
    if (Date.now() > deadline)
      throw new Error(`copyright demo not seeded in time:\n${suite.output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A fresh browser (its own keyring) on a copyright page, signed in through passport as a demo account. */
async function as(account: string, path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`${account}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('401')) consoleErrors.push(`${account}: ${m.text()}`);
  });
  await page.goto(`${suite.url}/copyright/#${path}`);
  await page.getByTestId('header-login').click();
  await page.getByTestId(`demo-account-${account}`).click();
  await page.getByTestId('login-continue').click();
  await page.waitForURL(/\/copyright\//, { timeout: 30_000 });
  await page.getByTestId('header-login').waitFor({ state: 'detached', timeout: 30_000 });
  if (!page.url().includes(`#${path}`)) await page.goto(`${suite.url}/copyright/#${path}`);
  return page;
}

/** An Element Plus input by its data-test (on the wrapper or on the input itself). */
function field(page: Page, testId: string) {
  return page
    .locator(
      `[data-test="${testId}"] input, input[data-test="${testId}"], [data-test="${testId}"] textarea, textarea[data-test="${testId}"]`,
    )
    .first();
}

async function bytesOf(path: string): Promise<Buffer> {
  const res = await fetch(`${suite.url}${path}`);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** An amount as the copyright pages show it ("2,000.00 CPYX") in fen. */
function fenOf(text: string | null): bigint {
  const m = /([\d,]+)\.(\d{2}) CPYX/.exec(text ?? '');
  if (!m) throw new Error(`no CPYX amount in ${text}`);
  return BigInt(m[1]!.replaceAll(',', '') + m[2]);
}

/** The QR code image of a certificate PDF, decoded. */
async function qrOfPdf(pdf: Uint8Array): Promise<string | undefined> {
  const doc = await PDFDocument.load(pdf);
  for (const [, o] of doc.context.enumerateIndirectObjects()) {
    if (!(o instanceof PDFRawStream) || o.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
    const width = Number(String(o.dict.get(PDFName.of('Width'))));
    const height = Number(String(o.dict.get(PDFName.of('Height'))));
    const raw =
      o.dict.get(PDFName.of('Filter')) === PDFName.of('FlateDecode') ? inflateSync(o.contents) : o.contents;
    if (raw.length !== width * height * 3) continue;
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      rgba.set([raw[i * 3]!, raw[i * 3 + 1]!, raw[i * 3 + 2]!, 255], i * 4);
    }
    const code = jsQR(rgba, width, height);
    if (code) return code.data;
  }
  return undefined;
}

describe('copyright in Chromium', () => {
  // Seven steps, each waiting on committed blocks; at a load average of 15 they took 182 s up to the
  // evidence capture (which runs a browser on the server): the limit leaves room for that.
  it('uploads → similar works → registers → certificate → market licence → QR verify page → evidence', {
    timeout: 300_000,
  }, async () => {
    const started = Date.now();
    const step = (what: string) =>
      console.log(`copyright journey ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
    const demo = await demoReady();
    const river = demo.find((w) => w.title === '江南春水')!;
    const sunrise = demo.find((w) => w.title === '黄山日出（摄影）')!;

    // The author's two files: a reprint of the demo text with a source line, and the demo photograph
    // brightened a little (new bytes, so a new file; the same picture to the Image-Code).
    const original = (await bytesOf(`/copyright/api/files/${river.files[0]}/content`)).toString('utf8');
    const text = `${original}\n（转载请注明出处：江南文学网 2026 年第 3 期）`;
    const png = PNG.sync.read(await bytesOf(`/copyright/api/files/${sunrise.files[0]}/content`));
    for (let i = 0; i < png.data.length; i += 4)
      for (let c = 0; c < 3; c++) png.data[i + c] = Math.min(255, png.data[i + c]! + 12);
    const picture = PNG.sync.write(png);

    step('1');
    // 1. The author picks both files: codes in the browser, the server's recomputation, similar works.
    const author = await as('copyright-author', '/register');
    await author.getByTestId('register-files').setInputFiles([
      { name: '江南春水（转载）.txt', mimeType: 'text/plain', buffer: Buffer.from(text) },
      { name: '黄山日出-调亮.png', mimeType: 'image/png', buffer: picture },
    ]);
    await expect
      .poll(async () => author.locator('[data-test="picked-file"][data-state="ready"]').count(), {
        timeout: 60_000,
      })
      .toBe(2)
      .catch(async (error) => {
        await saveScreenshot(author, 'copyright-failed-register');
        throw new Error(
          `${error}\n${await author.locator('[data-test="picked-file"]').allTextContents()}\n${errors}`,
        );
      });
    await saveScreenshot(author, 'copyright-register-similar-desktop');
    const similarTo = (file: string) =>
      author
        .locator('[data-test="picked-file"]', { hasText: file })
        .getByTestId('similar-work')
        .allTextContents();
    expect((await similarTo('.txt'))[0]).toMatch(/江南春水[\s\S]*文本码距离 \d+ 位/);
    expect((await similarTo('.png'))[0]).toMatch(/黄山日出[\s\S]*图像码距离 \d+ 位/);
    expect(await author.getByTestId('server-agrees').first().textContent()).toContain('一致');

    step('2');
    // 2. …and registers them as one work, signed in the browser keyring.
    await field(author, 'register-title').fill('江南春水（图文版）');
    await field(author, 'register-originality').fill('作者重新编排的图文版本，配图为作者拍摄。');
    await author.getByTestId('register-submit').click();
    await confirmSignature(author);
    await author.getByTestId('register-result').waitFor({ timeout: 30_000 });
    const workId = (await author.getByTestId('work-id').textContent())!.trim();
    expect(workId).toMatch(/^[0-9a-f]{64}$/);

    step('3');
    // 3. The reviewer sees it in the queue with what was filed (the originality statement, a preview of
    // each file) and its similar works, and approves it.
    const reviewer = await as('copyright-reviewer', '/review');
    const card = reviewer.locator(`[data-test="work-card"][data-work="${workId}"]`);
    await card.waitFor({ timeout: 30_000 });
    await expect.poll(() => card.getByTestId('review-similar').count()).toBeGreaterThanOrEqual(2);
    await card.getByTestId('review-originality').waitFor({ timeout: 30_000 });
    expect(await card.getByTestId('review-originality').textContent()).toBe(
      '作者重新编排的图文版本，配图为作者拍摄。',
    );
    await card.getByTestId('review-file').first().waitFor();
    await reviewer.getByTestId('stats-charts').locator('svg').first().waitFor();
    await saveScreenshot(reviewer, 'copyright-review-desktop');
    await card.getByTestId('approve').click();
    await confirmSignature(reviewer);
    await reviewer.getByTestId('decided').waitFor({ timeout: 30_000 });

    step('4');
    // 4. The author downloads the certificate, now with its number.
    const [download] = await Promise.all([
      author.waitForEvent('download'),
      author.getByTestId('certificate-link').click(),
    ]);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const qrUrl = await qrOfPdf(pdf);
    expect(qrUrl).toBe(`${suite.url}/copyright/verify/${workId}`);

    step('5');
    // 5. …and lists a licence of it; a buyer licenses it in the market, paying from the demo voucher.
    // Her console holds the demo's works too: the listed text the demo publisher licensed (its royalty
    // already in her income) and the text in the review queue.
    await author.goto(`${suite.url}/copyright/#/works`);
    const mine = author.locator(`[data-test="work-card"][data-work="${workId}"]`);
    await mine.waitFor({ timeout: 30_000 });
    for (const demoWork of [river, demo.find((w) => w.title === '茶山笔记')!])
      await author.locator(`[data-test="work-card"][data-work="${demoWork.id}"]`).waitFor();
    const incomeBefore = fenOf(await author.getByTestId('income').textContent());
    expect(incomeBefore).toBe(80_000n);
    await mine.getByTestId('list-open').click();
    await field(author, 'list-price').fill('1200.00');
    await mine.getByTestId('list-submit').click();
    await confirmSignature(author);
    await author.getByTestId('listed').waitFor({ timeout: 30_000 });
    await saveScreenshot(author, 'copyright-works-desktop');

    const buyer = await as('citizen-li', '/market');
    const listing = buyer.locator(`[data-test="listing"][data-work="${workId}"]`);
    await listing.waitFor({ timeout: 30_000 });
    expect(await listing.getByTestId('listing-price').textContent()).toContain('1,200.00');
    const left = /剩余 (\d+) \/ (\d+) 份/.exec((await listing.textContent()) ?? '');
    expect(left, 'the listing says how many are left').not.toBeNull();
    await listing.getByTestId('buy').click();
    await confirmSignature(buyer);
    await buyer.getByTestId('bought').waitFor({ timeout: 30_000 });
    // Announced with the list read after the purchase's block: one fewer left, or sold out and gone.
    const after = Number(left![1]) - 1;
    if (after > 0) expect(await listing.textContent()).toContain(`剩余 ${after} / ${left![2]} 份`);
    else expect(await listing.count()).toBe(0);
    await saveScreenshot(buyer, 'copyright-market-desktop');
    // The author is paid the whole price (sole owner), to the fen, on top of the demo's royalty.
    await author.reload();
    await expect
      .poll(async () => fenOf(await author.getByTestId('income').textContent()))
      .toBe(incomeBefore + 120_000n);

    step('6');
    // 6. The certificate's QR code on a phone: the public page verifies proof, hash and code here.
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
    });
    contexts.push(phone);
    const pub = await phone.newPage();
    pub.on('pageerror', (e) => errors.push(`public: ${e.message}`));
    await pub.goto(qrUrl!);
    const verdict = pub.locator('[data-test="verify"][data-verified]');
    await verdict.waitFor({ timeout: 60_000 }).catch(async (error) => {
      await saveScreenshot(pub, 'copyright-failed-verify');
      throw new Error(
        `${error}\n${pub.url()}\n${await pub.locator('body').textContent()}\n${errors}\n${suite.output().slice(-4000)}`,
      );
    });
    expect(await verdict.getAttribute('data-verified')).toBe('true');
    expect(await pub.getByTestId('verify-hash').count()).toBe(2);
    expect(await pub.getByTestId('verify-code').count()).toBe(2);
    expect(await pub.getByTestId('verify-proof').textContent()).toContain('三分之二');
    expect(await pub.getByTestId('explorer-tx').getAttribute('href')).toBe(`/explorer/#/tx/${workId}`);
    await saveScreenshot(pub, 'copyright-verify-phone');

    step('7');
    // 7. Evidence: a capture of a local test page verifies in the browser; one changed byte is named.
    await author.goto(`${suite.url}/copyright/#/evidence`);
    await field(author, 'evidence-url').fill(
      `http://127.0.0.1:${(testPage.address() as AddressInfo).port}/copied`,
    );
    await author.getByTestId('evidence-capture').click();
    const evidence = author.getByTestId('evidence-verdict');
    await evidence.waitFor({ timeout: 60_000 }).catch(async (error) => {
      await saveScreenshot(author, 'copyright-failed-evidence');
      throw new Error(
        `${error}\n${await author.locator('body').textContent()}\n${consoleErrors}\n${suite.output().slice(-3000)}`,
      );
    });
    expect(await evidence.getAttribute('data-ok')).toBe('true');
    const root = (await evidence.getAttribute('data-root'))!;
    await saveScreenshot(author, 'copyright-evidence-verified-desktop');
    const html = await bytesOf(`/copyright/api/evidence/${root}/files/page.html`);
    const at = html.indexOf('江');
    expect(at).toBeGreaterThan(0);
    html[at] = html[at]! ^ 0x01;
    await author
      .getByTestId('evidence-replace')
      .setInputFiles({ name: 'page.html', mimeType: 'text/html', buffer: html });
    await expect.poll(() => evidence.getAttribute('data-ok')).toBe('false');
    expect(await author.getByTestId('evidence-summary').textContent()).toContain('page.html');
    await saveScreenshot(author, 'copyright-evidence-changed-desktop');

    // The phone-sized public pages: search and market.
    await pub.goto(`${suite.url}/copyright/#/`);
    await pub.getByTestId('search-results').waitFor();
    await saveScreenshot(pub, 'copyright-search-phone');
    await pub.goto(`${suite.url}/copyright/#/market`);
    await pub.getByTestId('listing').first().waitFor();
    await saveScreenshot(pub, 'copyright-market-phone');

    expect(errors).toEqual([]);
    step('done');
    for (const c of contexts) await c.close();
  });
});
