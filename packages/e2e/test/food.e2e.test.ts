// Food traceability end to end in Chromium: the suite seeds its demo supply chains; a QR code the app
// generates for a lot is decoded (jsQR) to its GS1 Digital Link; opening that link on a phone-sized
// screen shows the consumer page with the journey, and the page's own script verifies the anchors of the
// journey's events against the chain's proofs in the browser.
import jsQR from 'jsqr';
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type SuiteProcess, saveScreenshot, startSuiteProcess } from '../src/harness';

let suite: SuiteProcess;
let browser: Browser;

beforeAll(async () => {
  [suite, browser] = await Promise.all([startSuiteProcess({ DEMO: 'true' }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await suite?.stop();
});

/** The demo is anchored in the background after start-up: wait until every event is on chain. */
async function demoReady(timeoutMs = 60_000): Promise<void> {
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

    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
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
    expect(verify).toMatch(/(\d+) of \1 records verified in this browser/);
    expect(verify).toContain('Merkle proof');
    expect(verify).toContain('2/3');
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
    expect(await page.locator('[data-test="alerts"]').textContent()).toContain('cold_chain');
    await saveScreenshot(page, 'food-alerts');
    await context.close();
  });
});
