// Solar energy in Chromium: the suite starts its demo (plants registered on chain with their meters, and
// simulated gateways publishing today's signed readings over the embedded broker); the owner's dashboard
// fills with the generation curve and the 15-minute intervals anchored on chain; a reading's audit path
// is checked in the browser against the anchored root and the anchor's tx is verified against the
// chain's proofs; the market and certificate pages render; desktop and phone screenshots are saved.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type SuiteProcess, saveScreenshot, startSuiteProcess } from '../src/harness';

let suite: SuiteProcess;
let browser: Browser;

beforeAll(async () => {
  [suite, browser] = await Promise.all([startSuiteProcess({ DEMO: 'true' }, 180_000), launchBrowser()]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await suite?.stop();
});

/** Waits until the demo plant's intervals are anchored on chain. */
async function anchored(plant: string, timeoutMs = 240_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(
      `${suite.url}/solar/api/trpc/plants.get?input=${encodeURIComponent(JSON.stringify({ id: plant }))}`,
    );
    if (res.ok) {
      const { result } = (await res.json()) as { result: { data: { intervals: { anchor: unknown }[] } } };
      const n = result.data.intervals.filter((i) => i.anchor !== null).length;
      if (n >= 4) return n;
    }
    if (Date.now() > deadline)
      throw new Error(`solar demo not anchored in time:\n${suite.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('solar energy in Chromium', () => {
  it('fills the owner dashboard from the gateways, and a reading verifies against its anchored root', async () => {
    expect(await anchored('sh-minhang-01')).toBeGreaterThanOrEqual(4);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${suite.url}/solar/`);
    await page.getByTestId('plant-sh-minhang-01').click();
    await page.getByTestId('generation-chart').locator('svg').first().waitFor();
    const verify = page.locator('[data-test^="verify-1"]').first();
    await verify.waitFor();
    await verify.click();
    const proof = page.getByTestId('proof');
    await expect.poll(() => proof.textContent(), { timeout: 20_000 }).toContain('✓');
    await proof.getByTestId('verify-button').click();
    const result = proof.getByTestId('verify-result');
    await result.waitFor({ timeout: 30_000 });
    await expect.poll(() => result.locator('.el-alert--success').count(), { timeout: 30_000 }).toBe(1);
    await saveScreenshot(page, 'solar-dashboard-desktop');

    await page.getByTestId('nav-market').click();
    await page.getByTestId('market').waitFor();
    await saveScreenshot(page, 'solar-market-desktop');
    await page.getByTestId('nav-certificates').click();
    await page.getByTestId('certificates').waitFor();
    await saveScreenshot(page, 'solar-certificates-desktop');

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await phone.goto(`${suite.url}/solar/`);
    await phone.getByTestId('plant-js-yancheng-02').click();
    await phone.getByTestId('generation-chart').locator('svg').first().waitFor();
    await phone.getByTestId('health').waitFor();
    await saveScreenshot(phone, 'solar-dashboard-phone');
  });
});
