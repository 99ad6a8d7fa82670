import { statSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type SuiteProcess, saveScreenshot, startSuiteProcess } from '../src/harness';

describe('portal in Chromium', () => {
  let suite: SuiteProcess;
  let browser: Browser;

  beforeAll(async () => {
    [suite, browser] = await Promise.all([startSuiteProcess(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await suite?.stop();
  });

  it('opens in Chinese, lists the apps, switches to English and remembers it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(suite.url);
    await expect.poll(() => page.getByTestId('welcome').textContent()).toBe('欢迎来到共信');
    await page.getByTestId('app-food').waitFor();
    expect(await page.getByTestId('app-food').textContent()).toContain('食品溯源');
    expect(await page.getByTestId('services').textContent()).toContain('PGlite');
    // The embedded validator is running: the chain card shows its height.
    await page.getByTestId('chain-height').waitFor();
    expect(Number(await page.getByTestId('chain-height').textContent())).toBeGreaterThanOrEqual(0);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await saveScreenshot(page, 'portal-zh-CN');

    await page.getByTestId('language-switch').click();
    await page.getByTestId('language-en').click();
    await expect.poll(() => page.getByTestId('welcome').textContent()).toBe('Welcome to Gongxin');
    expect(await page.getByTestId('app-food').textContent()).toContain('Food traceability');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    const shot = await saveScreenshot(page, 'portal-en');
    expect(statSync(shot).size).toBeGreaterThan(10_000);

    await page.reload();
    await expect.poll(() => page.getByTestId('welcome').textContent()).toBe('Welcome to Gongxin');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('serves health and metrics next to the page', async () => {
    const health = await fetch(`${suite.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      checks: { database: { ok: true }, mqtt: { ok: true } },
    });
    const metrics = await (await fetch(`${suite.url}/metrics`)).text();
    expect(metrics).toContain('gongxin_process_cpu_seconds_total');
  });
});
