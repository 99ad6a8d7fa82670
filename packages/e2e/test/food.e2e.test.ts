// Food traceability end to end in Chromium: the suite seeds its demo supply chains; a QR code the app
// generates for a lot is decoded (jsQR) to its GS1 Digital Link; opening that link on a phone-sized
// screen shows the consumer page with the journey, and the page's own script recomputes each event's
// hash and verifies its anchor against the chain's proofs in the browser. A recall of a farm lot that was
// slaughtered into another organisation's lot, packed on a pallet and delivered to two stores lists both
// stores; the consumer page of the lot then shows the recall; a made-up lot's page warns.
import { createChainClient, createWallet } from '@gongxin/client';
import { demoOrgAccounts } from '@gongxin/food-server';
import jsQR from 'jsqr';
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type SuiteProcess, saveScreenshot } from '../src/harness';
import { confirmSignature, PHONE } from '../src/journey';
import { demoSuite } from '../src/shared-suite';

let suite: SuiteProcess;
let browser: Browser;

// The suite takes about a minute to start on a loaded 2-core machine: room for three.
beforeAll(async () => {
  [suite, browser] = await Promise.all([demoSuite(), launchBrowser()]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await suite?.stop();
});

/** The demo is anchored in the background after start-up: wait until every event is on chain. */
async function demoReady(timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${suite.url}/food/api/trpc/overview`);
    if (res.ok) {
      const { result } = (await res.json()) as {
        result: { data: { events: number; anchored: number; recalls: number } };
      };
      if (result.data.events > 30 && result.data.anchored === result.data.events && result.data.recalls > 0)
        return;
    }
    if (Date.now() > deadline)
      throw new Error(`food demo not anchored in time:\n${suite.output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('food traceability in Chromium', () => {
  it('decodes an app-made QR code to its Digital Link, whose consumer page shows the journey and a verified proof', async () => {
    await demoReady();
    // The pork pack's QR code as the label printer gets it.
    const lots = (await (
      await fetch(
        `${suite.url}/food/api/trpc/masterData.lots?input=${encodeURIComponent(JSON.stringify({ limit: 100 }))}`,
      )
    ).json()) as { result: { data: { epc: string }[] } };
    const loin = lots.result.data.find((l) => l.epc.includes('/10/LOIN-2611-07'));
    expect(loin).toBeDefined();
    const qrPath = loin!.epc.replace('https://id.gs1.org', '/food/qr');
    const png = await fetch(`${suite.url}${qrPath}?format=png&size=400`);
    expect(png.headers.get('content-type')).toBe('image/png');
    const image = PNG.sync.read(Buffer.from(await png.arrayBuffer()));
    const code = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(code).not.toBeNull();
    const uri = code!.data;
    expect(uri).toBe(`${suite.url}/food${loin!.epc.replace('https://id.gs1.org', '')}`);

    // A phone whose browser asks for English: the page follows it.
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      locale: 'en-GB',
    });
    const page = await phone.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(uri);
    await page.locator('#journey li').first().waitFor();
    const steps = await page.locator('#journey li').count();
    expect(steps).toBeGreaterThanOrEqual(8);
    const journey = await page.locator('#journey').textContent();
    for (const farmLot of ['PIG-A01', 'PIG-A02', 'PIG-A03']) expect(journey).toContain(farmLot);
    expect(await page.locator('#origin').textContent()).toContain('丰泽');
    expect(await page.locator('#cold-chain').textContent()).toMatch(/out of range/);

    // The proof check runs in this browser: every anchored event verified.
    await page.locator('#verify[data-verified]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#verify').getAttribute('data-verified')).toBe('true');
    const verify = await page.locator('#verify').textContent();
    expect(verify).toMatch(/all (\d+) records verified in this browser/);
    expect(verify).toContain('recomputed the record’s hash');
    expect(verify).toContain('Merkle proof');
    expect(verify).toContain('two thirds of the validators');
    expect(await page.locator('body').textContent()).not.toMatch(/溯源旅程|产地/);
    const txLink = await page.locator('#journey a[href*="/explorer/#/tx/"]').first().getAttribute('href');
    expect(txLink).toMatch(/^\/explorer\/#\/tx\/[0-9a-f]{64}$/);
    await saveScreenshot(page, 'food-consumer-page');

    // The explorer reads the anchor in words through the food app's decoder pack.
    const explorer = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const tx = await explorer.newPage();
    await tx.goto(`${suite.url}${txLink}`);
    const anchored = tx.locator('[data-test="event-line"][data-event="food.anchored"]').first();
    await anchored.waitFor();
    await tx
      .locator('[data-test="event-line"][data-event="food.anchored"][data-decoded="true"]')
      .first()
      .waitFor();
    expect(await anchored.textContent()).toMatch(/EPCIS/);
    await saveScreenshot(tx, 'food-explorer-tx');
    await explorer.close();

    // The printable label sheet: one QR code per lot.
    const sheet = await phone.newPage();
    await sheet.goto(`${suite.url}/food/labels`);
    expect(await sheet.locator('figure.label svg').count()).toBeGreaterThanOrEqual(5);
    await saveScreenshot(sheet, 'food-label-sheet');
    expect(errors).toEqual([]);
    await phone.close();
  });

  it('shows the staff pages: lots, a lineage graph and alerts with evidence', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${suite.url}/food/#/`);
    await page.getByTestId('count-events').waitFor();
    await saveScreenshot(page, 'food-overview');
    const lots = (await (
      await fetch(
        `${suite.url}/food/api/trpc/masterData.lots?input=${encodeURIComponent(JSON.stringify({ limit: 100 }))}`,
      )
    ).json()) as { result: { data: { epc: string }[] } };
    const loin = lots.result.data.find((l) => l.epc.includes('/10/LOIN-2611-07'))!;
    await page.goto(`${suite.url}/food/#/lot?epc=${encodeURIComponent(loin.epc)}`);
    await page.locator('[data-test="lineage-upstream"] [data-test="lineage-node"]').first().waitFor();
    expect(
      await page.locator('[data-test="lineage-upstream"] [data-test="lineage-node"]').count(),
    ).toBeGreaterThanOrEqual(4);
    await saveScreenshot(page, 'food-lot-lineage');
    await page.goto(`${suite.url}/food/#/alerts`);
    await page.locator('[data-test="alerts"] .el-table__row').first().waitFor();
    // In words, not rule identifiers.
    expect(await page.locator('[data-test="alerts"]').textContent()).toContain('冷链温度超标');
    expect(await page.locator('[data-test="alerts"]').textContent()).not.toContain('cold_chain');
    await saveScreenshot(page, 'food-alerts');
    await context.close();
  });

  it('recalls a farm lot through slaughter, packing and two organisations down to both stores, and the consumer pages say so', async () => {
    await demoReady();
    const trpc = async <T>(path: string, input?: unknown): Promise<T> => {
      const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
      const res = await fetch(`${suite.url}/food/api/trpc/${path}${query}`);
      return ((await res.json()) as { result: { data: T } }).result.data;
    };
    const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await desktop.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // The regulator's preview, from a lot number typed bare.
    await page.goto(`${suite.url}/food/#/recalls`);
    await page.getByTestId('recall-lot').fill('PIG-A01');
    await page.getByTestId('recall-lot').press('Enter');
    await page.locator('[data-test="retail-places"] .el-table__row').first().waitFor();
    const places = await page.locator('[data-test="retail-places"] .el-table__row').allTextContents();
    expect(places).toHaveLength(2);
    expect(places.find((p) => p.includes('人民广场店'))).toContain('已售');
    expect(places.find((p) => p.includes('徐家汇店'))).toContain('在库');
    const affected = await page.locator('[data-test="impact"]').textContent();
    expect(affected).toContain('PIG-A01');
    expect(affected).toContain('LOIN-2611-07');
    await saveScreenshot(page, 'food-recall-impact-desktop');
    const narrow = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
    });
    const small = await narrow.newPage();
    await small.goto(`${suite.url}/food/#/recalls`);
    await small.getByTestId('recall-lot').fill('PIG-A01');
    await small.getByTestId('recall-lot').press('Enter');
    await small.locator('[data-test="retail-places"] .el-table__row').first().waitFor();
    await saveScreenshot(small, 'food-recall-impact-phone');

    // The regulator issues it (its demo key, published for the demo only), and the indexer flags the lots.
    const lots = await trpc<{ epc: string }[]>('masterData.lots', { limit: 100 });
    const pigLot = lots.find((l) => l.epc.endsWith('/10/PIG-A01'))!.epc;
    const loin = lots.find((l) => l.epc.endsWith('/10/LOIN-2611-07'))!.epc;
    const regulator = demoOrgAccounts().find((o) => o.role === 'regulator')!;
    const wallet = createWallet(createChainClient({ url: `${suite.url}/chain` }), regulator.account);
    const receipt = await wallet.send([
      {
        contract: 'food',
        name: 'issueRecall',
        params: { lots: [pigLot], reason: '非洲猪瘟检测阳性 ASF test positive' },
      },
    ]);
    expect(receipt.ok).toBe(true);
    for (const deadline = Date.now() + 30_000; ; ) {
      const recalls = await trpc<{ lots: string[] }[]>('recalls.list');
      if (recalls.some((r) => r.lots.includes(pigLot))) break;
      if (Date.now() > deadline) throw new Error('the recall was not indexed in time');
      await new Promise((resolve) => setTimeout(resolve, 300));
    }

    // The consumer page of the loin lot, on a phone in Chinese: recalled, and nothing English.
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      locale: 'zh-CN',
    });
    const consumer = await phone.newPage();
    consumer.on('pageerror', (e) => errors.push(e.message));
    await consumer.goto(`${suite.url}/food${loin.replace('https://id.gs1.org', '')}`);
    const banner = consumer.locator('#recall');
    await banner.waitFor();
    expect(await banner.getAttribute('class')).toContain('bad');
    expect(await banner.textContent()).toContain('已召回');
    expect(await banner.textContent()).toContain('非洲猪瘟');
    await consumer.locator('#verify[data-verified]').waitFor({ timeout: 30_000 });
    expect(await consumer.locator('#verify').getAttribute('data-verified')).toBe('true');
    const text = (await consumer.locator('body').textContent()) ?? '';
    expect(text).not.toMatch(/Journey|Origin|RECALLED|KGM|H87|\d{4}-\d{2}-\d{2}T/);
    // No header or step title wraps a character per line on 390 px: each is wider than a few characters.
    const narrowest = await consumer.evaluate(() =>
      Math.min(
        ...[...document.querySelectorAll('h1, h2, .step')].map((e) => e.getBoundingClientRect().width),
      ),
    );
    expect(narrowest).toBeGreaterThan(40);
    await saveScreenshot(consumer, 'food-consumer-recalled-phone');
    // And a pack from the pallet delivered to the second store.
    const pack = loin.replace('https://id.gs1.org', '').replace(/\/10\/.*$/, '/21/L0002');
    await consumer.goto(`${suite.url}/food${pack}`);
    expect(await consumer.locator('#recall').textContent()).toContain('已召回');

    // A made-up lot of the same product: a warning, not a product in good standing.
    const unknown = await consumer.goto(
      `${suite.url}/food${loin.replace(/\/10\/.*$/, '').replace('https://id.gs1.org', '')}/10/NO-SUCH-LOT`,
    );
    expect(unknown?.status()).toBe(404);
    await consumer.locator('#unknown').waitFor();
    expect(await consumer.locator('#unknown').textContent()).toContain('未查到该编码的任何记录');
    expect(await consumer.locator('.banner.ok').count()).toBe(0);
    await saveScreenshot(consumer, 'food-consumer-unknown-phone');
    const desktopConsumer = await desktop.newPage();
    await desktopConsumer.goto(`${suite.url}/food${loin.replace('https://id.gs1.org', '')}?lang=zh-CN`);
    await desktopConsumer.locator('#verify[data-verified]').waitFor({ timeout: 30_000 });
    await saveScreenshot(desktopConsumer, 'food-consumer-recalled-desktop');

    // The trace page reads a bare lot number, and says when none matches.
    await page.goto(`${suite.url}/food/#/lot`);
    await page.getByTestId('epc').fill('NO-SUCH-LOT');
    await page.getByTestId('trace').click();
    await page.getByTestId('lot-notice').waitFor();
    expect(await page.getByTestId('lot-notice').textContent()).toContain('没有批号为“NO-SUCH-LOT”的批次');
    await page.getByTestId('epc').fill('LOIN-2611-07');
    await page.getByTestId('trace').click();
    await page.locator('[data-test="timeline"] [data-test="step"]').first().waitFor();
    await saveScreenshot(page, 'food-lot-desktop');
    await small.goto(`${suite.url}/food/#/lot?epc=${encodeURIComponent(loin)}`);
    await small.locator('[data-test="timeline"] [data-test="step"]').first().waitFor();
    await saveScreenshot(small, 'food-lot-phone');
    await small.goto(`${suite.url}/food/#/`);
    await small.getByTestId('count-events').waitFor();
    // The header's names and the page titles keep their words on one line at 390 px.
    const squeezed = await small.evaluate(() =>
      [...document.querySelectorAll('.gx-brand-name, .gx-app-title, .gx-app-tabs a, h3')]
        .filter((e) => e.getBoundingClientRect().width > 0)
        .filter(
          (e) => e.getBoundingClientRect().height > 2.6 * Number.parseFloat(getComputedStyle(e).fontSize),
        )
        .map((e) => e.textContent),
    );
    expect(squeezed).toEqual([]);
    await saveScreenshot(small, 'food-overview-phone');
    expect(errors).toEqual([]);
    await Promise.all([desktop.close(), narrow.close(), phone.close()]);
  }, 240_000);
  it('a farm signed in through passport records a harvest on a phone, signed in its browser, and opens the lot it names', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(45_000);
    const signIn = await context.newPage();
    await signIn.goto(`${suite.url}/food/#/capture`);
    await signIn.getByTestId('header-login').click();
    await signIn.getByTestId('demo-account-enterprise-farm').click();
    await signIn.getByTestId('login-continue').click();
    await signIn.waitForURL(/\/food\//, { timeout: 30_000 });
    await signIn.getByTestId('header-login').waitFor({ state: 'detached', timeout: 30_000 });
    const page = await context.newPage();
    await page.setViewportSize(PHONE.viewport!);
    await signIn.close();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${suite.url}/food/#/capture`);
    const epc = `https://id.gs1.org/01/06901234001013/10/HARVEST-${Date.now() % 1_000_000}`;
    await page.locator('input[placeholder*="/10/LOT-1"]').fill(epc);
    await page.getByTestId('submit-form').click();
    await confirmSignature(page);
    const done = page.getByTestId('capture-done');
    await done.waitFor({ timeout: 60_000 });
    expect(await done.getByTestId('tx-link').count()).toBe(1);
    await saveScreenshot(page, 'food-farm-capture-phone');
    await done.getByTestId('capture-lots').locator('a').click();
    await page.waitForURL(/#\/lot\?epc=/);
    expect(decodeURIComponent(page.url())).toContain(epc);
    // The lot's timeline shows the harvest with its chain link.
    await page.locator('[data-test="timeline"] [data-test="tx-link"]').first().waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
