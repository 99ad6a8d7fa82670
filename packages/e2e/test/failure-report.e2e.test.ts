// A failed browser test prints what each open page showed: its URL, its visible text and a screenshot.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOpenPages, slug } from '../src/failure-report';
import { launchBrowser, openBrowsers } from '../src/harness';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the report of a failed browser test', () => {
  it('names every open page with its URL, its visible text and a screenshot on disk', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.setContent(
      '<main><h1>交易与登记</h1><p>请先登录</p><p style="display:none">hidden</p></main>',
    );
    const lines = await describeOpenPages('a journey: step 3 / operator');
    const mine = lines.findIndex((l) => l.endsWith('about:blank'));
    expect(mine).toBeGreaterThanOrEqual(0);
    expect(lines[mine + 1]).toBe('  text: 交易与登记 请先登录');
    const shot = lines[mine + 2]!.replace('  screenshot: ', '');
    expect(shot).toMatch(/failed-a-journey-step-3-operator-\d+\.png$/);
    expect(existsSync(shot)).toBe(true);
    await context.close();
  });

  it('forgets a browser once it is closed', async () => {
    const other = await launchBrowser();
    expect(openBrowsers.has(other)).toBe(true);
    await other.close();
    expect(openBrowsers.has(other)).toBe(false);
    expect(slug('')).toBe('test');
  });
});
