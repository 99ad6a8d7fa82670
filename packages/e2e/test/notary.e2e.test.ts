// 存证 in Chromium: a citizen signed in through passport drops a file on the explorer's proof-of-existence
// page, anchors its hash (signed in the browser's keyring), and downloads the receipt. A visitor with no
// sign-in, offline, checks the receipt against the file (verified, naming the block and the validators who
// signed) and against a copy one byte different (not verified: the hash mismatch is named). The receipt is
// also checked outside the browser with the same ledger code, so the page cannot just say "verified".
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { verifyReceipt } from '@gongxin/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchBrowser, type SuiteProcess, saveScreenshot as save } from '../src/harness';
import { demoSuite } from '../src/shared-suite';

const DEMO_PASSWORD = 'gongxin-demo';

let suite: SuiteProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];
const errors: string[] = [];
const workDir = path.join(artifactsDir, 'notary');

beforeAll(async () => {
  mkdirSync(workDir, { recursive: true });
  [suite, browser] = await Promise.all([demoSuite(), launchBrowser()]);
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await suite?.stop();
});

async function confirmSignature(page: Page) {
  await page.getByTestId('sign-confirm').waitFor({ timeout: 30_000 });
  const password = page.locator('[data-test="sign-password"] input, input[data-test="sign-password"]');
  if ((await password.count()) > 0) await password.first().fill(DEMO_PASSWORD);
  await page.getByTestId('sign-confirm').click();
}

/** A full-page screenshot from the top, so the sticky header is where a person sees it. */
async function saveScreenshot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return save(page, name);
}

async function newPage(width: number, height: number, who: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`${who}: ${e.message}`));
  return page;
}

describe('存证 / proof of existence in Chromium', () => {
  it('anchors a file, downloads its receipt, and verifies it offline; a file one byte different fails', async () => {
    const content = `房屋租赁合同\nLease contract, flat 1203, signed ${new Date().toISOString()}\n`;
    const original = path.join(workDir, 'lease.txt');
    const changed = path.join(workDir, 'lease-changed.txt');
    writeFileSync(original, content);
    const bytes = readFileSync(original);
    const altered = Buffer.from(bytes);
    altered[altered.length - 2]! ^= 0x01;
    writeFileSync(changed, altered);

    // 1. Zhang opens 存证 from the explorer's nav, drops the file, and signs in (passport's demo account)
    //    from the page's login prompt, which brings him back to the page.
    const z = await newPage(1280, 900, 'zhang');
    await z.goto(`${suite.url}/explorer/`);
    await z.getByTestId('nav-notary').click();
    await z.getByTestId('notary').waitFor({ timeout: 30_000 });
    expect(await z.getByTestId('notary-private').textContent()).toContain('不会离开');
    await z.getByTestId('notary-file').setInputFiles(original);
    await z.getByTestId('login-button').click();
    await z.getByTestId('demo-account-citizen-zhang').click();
    await z.getByTestId('login-continue').click();
    await z.waitForURL(/\/explorer\/#\/notary/, { timeout: 30_000 });
    await z.getByTestId('notary').waitFor({ timeout: 30_000 });

    // 2. The file's hash is computed in the page; it is anchored and the receipt downloads.
    await z.getByTestId('notary-file').setInputFiles(original);
    await z.getByTestId('notary-anchor').waitFor({ timeout: 30_000 });
    const sha = await z.getByTestId('notary-sha256').textContent();
    expect(sha?.trim()).toMatch(/^[0-9a-f]{64}$/);
    const [download] = await Promise.all([
      z.waitForEvent('download', { timeout: 60_000 }),
      (async () => {
        await z.getByTestId('notary-anchor').click();
        await confirmSignature(z);
      })(),
    ]);
    await z.getByTestId('notary-anchored').waitFor({ timeout: 30_000 });
    // Anchored once is enough: the button has given way to the anchored state and its receipt.
    expect(await z.getByTestId('notary-anchored').getAttribute('data-state')).toBe('anchored');
    expect(await z.getByTestId('notary-anchor').count()).toBe(0);
    const receiptFile = path.join(workDir, 'lease.receipt.json');
    await download.saveAs(receiptFile);
    expect(download.suggestedFilename()).toBe('lease.txt.receipt.json');
    await saveScreenshot(z, 'notary-anchored');

    const receipt = JSON.parse(readFileSync(receiptFile, 'utf8'));
    expect(receipt).toMatchObject({ format: 'gongxin-receipt/v1', subject: { sha256: sha?.trim() } });
    // The same receipt, checked outside the browser.
    expect(verifyReceipt({ receipt, file: bytes })).toMatchObject({ ok: true, height: receipt.block.height });
    expect(verifyReceipt({ receipt, file: altered })).toMatchObject({ ok: false, check: 'file' });

    // 3. A visitor on a phone, signed in nowhere and offline, verifies the receipt against the file.
    const v = await newPage(390, 844, 'visitor');
    await v.goto(`${suite.url}/explorer/#/notary`);
    await v.getByTestId('notary').waitFor({ timeout: 30_000 });
    // The same file again, on a page signed in nowhere: the page finds its anchor on chain and offers its
    // receipt, not a second anchor.
    await v.getByTestId('notary-file').setInputFiles(original);
    await v.getByTestId('notary-existing').waitFor({ timeout: 30_000 });
    expect(await v.getByTestId('notary-anchor').count()).toBe(0);
    expect(await v.getByTestId('notary-existing').textContent()).toContain(`#${receipt.block.height}`);
    expect(await v.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await saveScreenshot(v, 'notary-existing-phone');
    const [again] = await Promise.all([
      v.waitForEvent('download', { timeout: 60_000 }),
      v.getByTestId('notary-receipt').click(),
    ]);
    expect(again.suggestedFilename()).toBe('lease.txt.receipt.json');
    await expect
      .poll(async () => v.getByTestId('notary-anchored').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('already');
    await v.context().setOffline(true);
    await v.getByTestId('receipt-file').setInputFiles(receiptFile);
    await v.getByTestId('receipt-document').setInputFiles(original);
    await v.getByTestId('receipt-verify').click();
    const result = v.getByTestId('receipt-result');
    await result.waitFor();
    expect(await result.getAttribute('data-state')).toBe('verified');
    expect(await v.getByTestId('receipt-height').textContent()).toBe(String(receipt.block.height));
    expect((await v.getByTestId('receipt-signers').textContent())?.length).toBeGreaterThan(0);
    // The block and the tx link to the explorer, and nothing on the phone runs off the side.
    expect(await v.getByTestId('receipt-height').locator('a').getAttribute('href')).toContain(
      `#/block/${receipt.block.height}`,
    );
    expect(await v.getByTestId('receipt-tx').locator('a').getAttribute('href')).toContain(
      `#/tx/${receipt.tx.id}`,
    );
    expect(await v.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await saveScreenshot(v, 'notary-verified-phone');

    // 4. The same receipt with a file one byte different: not verified, and the page says why.
    await v.getByTestId('receipt-document').setInputFiles(changed);
    await v.getByTestId('receipt-verify').click();
    await expect.poll(async () => result.getAttribute('data-state')).toBe('failed');
    expect(await result.getAttribute('data-check')).toBe('file');
    const reason = await v.getByTestId('receipt-reason').textContent();
    expect(reason).toContain('哈希不一致');
    expect(reason).toContain(`the receipt is for ${receipt.subject.sha256}`);
    // In words first: the two hashes side by side; the checker's English detail only when unfolded.
    expect(await v.getByTestId('receipt-claimed-hash').textContent()).toBe(receipt.subject.sha256);
    expect(await v.getByTestId('receipt-file-hash').textContent()).not.toBe(receipt.subject.sha256);
    expect(await v.getByTestId('receipt-detail').isVisible()).toBe(false);
    expect(await v.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await saveScreenshot(v, 'notary-failed-phone');
    await v.context().setOffline(false);

    // Desktop view of the verify panel, for the record.
    await z.getByTestId('receipt-file').setInputFiles(receiptFile);
    await z.getByTestId('receipt-document').setInputFiles(original);
    await z.getByTestId('receipt-verify').click();
    await z.getByTestId('receipt-result').waitFor();
    expect(await z.getByTestId('receipt-result').getAttribute('data-state')).toBe('verified');
    await saveScreenshot(z, 'notary-verified-desktop');

    expect(errors).toEqual([]);
  }, 300_000);
});
