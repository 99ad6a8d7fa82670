// The superconducting network end to end in Chromium on the demo chain: two citizens each run their own
// channel node (holding their key) and use the wallet's Channels page against it. Both link to the hub the
// suite runs and open a channel to it from the page (the hub matches their deposits), one makes an invoice (a QR code), the other pays it through the hub,
// both check their proofs in the page and close; once the chain has settled both channels, every
// account's CNYD on chain is what the payment says.

import { type ChannelApi, ChannelNodeRuntime, serveChannelApi } from '@gongxin/channel-node';
import { createChainClient } from '@gongxin/client';
import { type Database, openDatabase } from '@gongxin/db';
import { fromHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { demoAccounts } from '@gongxin/passport-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type SuiteProcess, saveScreenshot } from '../src/harness';
import { demoSuite } from '../src/shared-suite';

const SYMBOL = 'CNYD';
const DEPOSIT = 10_000n;
const PAID = 2_500n;

let suite: SuiteProcess;
let browser: Browser;
const closers: (() => Promise<unknown>)[] = [];
const errors: string[] = [];

beforeAll(async () => {
  [suite, browser] = await Promise.all([demoSuite(), launchBrowser()]);
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  await browser?.close();
  await suite?.stop();
});

function input(page: Page, testId: string) {
  return page
    .locator(`[data-test="${testId}"] input, input[data-test="${testId}"], textarea[data-test="${testId}"]`)
    .first();
}

describe('channels in the wallet', () => {
  it('two citizens pay each other through a hub and close; the chain balances match', async () => {
    const suiteCrypto = getSuite('ed25519-sha256');
    const people = demoAccounts(suiteCrypto).filter((a) => a.kind === 'person');
    const [aliceAccount, bobAccount] = people;
    const hub = demoAccounts(suiteCrypto).find((a) => a.id === 'channel-hub')!;
    const chainUrl = `${suite.url}/chain`;
    const client = createChainClient({ url: chainUrl, suite: suiteCrypto });
    const balance = async (address: string) =>
      BigInt(((await client.state(`assets/bal/${SYMBOL}/${address}`)).value as string | number | null) ?? 0);

    const start = async (privateKey: string) => {
      const database: Database = await openDatabase({ memory: true });
      const node = await ChannelNodeRuntime.start({
        database,
        client,
        suite: suiteCrypto,
        privateKey: fromHex(privateKey),
      });
      closers.push(
        () => database.close(),
        () => node.stop(),
      );
      return node;
    };
    const alice = await start(aliceAccount!.privateKey);
    const bob = await start(bobAccount!.privateKey);
    const origin = new URL(suite.url).origin;
    const apis: ChannelApi[] = [];
    for (const node of [alice, bob]) {
      const api = await serveChannelApi(node, { allowOrigins: [origin] });
      apis.push(api);
      closers.push(() => api.close());
    }
    const before = {
      alice: await balance(alice.address),
      bob: await balance(bob.address),
      hub: await balance(hub.address),
    };

    const pageFor = async (name: string, api: ChannelApi) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      closers.push(() => context.close());
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
      await page.goto(`${suite.url}/wallet/#/channels`);
      if (name === 'alice') {
        // A node that does not answer is said in words, with what to check.
        await input(page, 'channel-node-url').fill('http://127.0.0.1:9');
        await page.getByTestId('channel-node-connect').click();
        await expect.poll(() => page.getByTestId('channels-error').textContent()).toContain('连不上通道节点');
      }
      await input(page, 'channel-node-url').fill(api.url);
      await page.getByTestId('channel-node-connect').click();
      await page.getByTestId('channel-node-address').waitFor({ timeout: 30_000 });
      return page;
    };
    const alicePage = await pageFor('alice', apis[0]!);
    const bobPage = await pageFor('bob', apis[1]!);

    // Both link to the suite's hub and open a channel to it from the page, typing the deposit in yuan.
    for (const page of [alicePage, bobPage]) {
      await page.getByTestId('hub').waitFor();
      await page.getByTestId('use-hub').click();
      await expect.poll(() => input(page, 'open-peer').inputValue()).toBe(hub.address);
      expect(await input(page, 'open-peer-key').inputValue()).toBe(hub.publicKey);
      await input(page, 'open-asset').fill(SYMBOL);
      if (page === alicePage) {
        // Bad amounts are refused in words before anything is sent.
        await input(page, 'open-amount').fill('abc');
        await page.getByTestId('open-submit').click();
        await expect.poll(() => page.getByTestId('open-amount-error').textContent()).toContain('请输入数字');
        expect(await page.getByTestId('open-submit').isDisabled()).toBe(true);
        await page.getByTestId('open-onchain').waitFor();
        await input(page, 'open-amount').fill('99999999999');
        await expect
          .poll(() => page.getByTestId('open-amount-error').textContent())
          .toContain('超过节点账户链上可用');
        await input(page, 'open-amount').fill('100');
        await expect
          .poll(() => page.getByTestId('open-amount-preview').textContent())
          .toContain('100.00 CNYD');
        await page.setViewportSize({ width: 390, height: 844 });
        await page.getByTestId('open-form').scrollIntoViewIfNeeded();
        await saveScreenshot(page, 'channels-open-form-phone');
        await page.setViewportSize({ width: 1280, height: 1000 });
      } else await input(page, 'open-amount').fill('100');
      await page.getByTestId('open-submit').click();
    }
    for (const page of [alicePage, bobPage])
      await page
        .locator('[data-test="channel-status"][data-status="open"]')
        .waitFor({ timeout: 60_000 })
        .catch(async (error) => {
          await saveScreenshot(page, 'channels-open');
          throw error;
        });
    // The hub matched both deposits, so it can pass Alice's payment on to Bob.
    await expect
      .poll(() => bob.channels()[0]?.assets[SYMBOL]?.peerDeposit, { timeout: 60_000 })
      .toBe(DEPOSIT);

    // The channel shows yuan to the fen, not smallest units.
    expect(await alicePage.getByTestId('channel-deposit').first().textContent()).toContain('100.00 CNYD');
    // With a channel to the hub open, the page offers a top-up instead of a second channel, and the open
    // form (still filled in with the hub) asks before opening another one.
    await alicePage.getByTestId('hub-existing').waitFor();
    expect(await alicePage.getByTestId('use-hub').count()).toBe(0);
    await alicePage.getByTestId('open-duplicate').waitFor();
    expect(await alicePage.getByTestId('open-submit').isDisabled()).toBe(true);
    await alicePage.getByTestId('hub-topup').click();
    await expect
      .poll(() => input(alicePage, 'topup-amount').evaluate((el) => el === document.activeElement))
      .toBe(true);

    // Bob's invoice (25 yuan), as text and QR code; Alice pays it.
    await input(bobPage, 'invoice-asset').fill(SYMBOL);
    await input(bobPage, 'invoice-amount').fill('25');
    await bobPage.getByTestId('invoice-submit').click();
    await bobPage.getByTestId('invoice-qr').locator('img').waitFor();
    const invoice = (await bobPage.getByTestId('invoice-text').textContent())!.trim();
    expect(invoice).toMatch(/^gongxin-channel:/);
    expect(invoice).toContain(`amount=${PAID}`);
    await bobPage.setViewportSize({ width: 390, height: 844 });
    await bobPage.getByTestId('invoice-qr').scrollIntoViewIfNeeded();
    await saveScreenshot(bobPage, 'channels-invoice-phone');
    await bobPage.setViewportSize({ width: 1280, height: 1000 });

    // A malformed invoice, and one above what the channel can carry, are refused in words.
    await input(alicePage, 'pay-invoice').fill('gongxin-channel:nonsense');
    await expect.poll(() => alicePage.getByTestId('pay-problem').textContent()).toContain('发票');
    expect(await alicePage.getByTestId('pay-submit').isDisabled()).toBe(true);
    await input(alicePage, 'pay-invoice').fill(invoice.replace(`amount=${PAID}`, 'amount=99999900'));
    await expect
      .poll(() => alicePage.getByTestId('pay-problem').textContent())
      .toContain('超过通道中你可付的');
    expect(await alicePage.getByTestId('pay-submit').isDisabled()).toBe(true);
    await input(alicePage, 'pay-invoice').fill(invoice);
    await expect.poll(() => alicePage.getByTestId('pay-preview').textContent()).toContain('25.00 CNYD');
    await alicePage.getByTestId('pay-submit').click();
    await alicePage
      .locator('[data-test="pay-outcome"][data-outcome="completed"]')
      .waitFor({ timeout: 60_000 });
    await expect
      .poll(() => bobPage.locator('[data-test="channel-available"]').first().getAttribute('data-units'))
      .toBe((DEPOSIT + PAID).toString());

    // Every proof checks out in the browser.
    for (const page of [alicePage, bobPage]) {
      await page.getByTestId('channel-verify').first().click();
      const checks = page.getByTestId('channel-check');
      await expect.poll(() => checks.count()).toBeGreaterThan(0);
      expect(await page.locator('[data-test="channel-check"][data-ok="false"]').count()).toBe(0);
    }
    expect(await alicePage.getByTestId('channel-payment-amount').first().textContent()).toBe('−25.00 CNYD');
    // Alice has paid but received nothing: her proof counter says so in words, not “number 0”.
    expect(await alicePage.getByTestId('channel-nonces').first().textContent()).toContain('尚未收到');
    await saveScreenshot(alicePage, 'channels-paid-desktop');
    for (const [page, name] of [
      [alicePage, 'channels-paid-phone'],
      [bobPage, 'channels-received-phone'],
    ] as const) {
      await page.setViewportSize({ width: 390, height: 844 });
      await saveScreenshot(page, name);
      await page.setViewportSize({ width: 1280, height: 1000 });
    }

    // Both close: together with the hub (both sign the final amounts, the chain pays out at once); the
    // button does not stay active.
    for (const page of [alicePage, bobPage]) {
      await page.getByTestId('channel-close').click();
      await expect
        .poll(async () => {
          const button = page.getByTestId('channel-close');
          return (await button.count()) === 0 || (await button.isDisabled());
        })
        .toBe(true);
    }
    await alicePage.setViewportSize({ width: 390, height: 844 });
    await alicePage
      .getByTestId('channel-closing-hint')
      .waitFor({ timeout: 30_000 })
      .catch(() => {});
    await saveScreenshot(alicePage, 'channels-closing-phone');
    await alicePage.setViewportSize({ width: 1280, height: 1000 });
    const ids = [alice.channels()[0]!.id, bob.channels()[0]!.id];
    await expect
      .poll(
        async () => {
          for (const id of ids) {
            const c = await alice.chain.channel(id);
            if (c?.status !== 'settled' || !c.withdrawnA || !c.withdrawnB) return false;
          }
          return true;
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBe(true);
    // The explorer reads Alice's channel actions in words.
    const explorer = alicePage;
    await explorer.goto(`${suite.url}/explorer/#/account/${alice.address}`);
    const opened = explorer.locator('[data-test="activity-item"]', { hasText: '开设通道' }).first();
    await expect
      .poll(
        async () => {
          if ((await opened.count()) > 0) return true;
          await explorer.reload();
          await explorer.waitForLoadState('networkidle');
          return false;
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(true);
    // Her part in it is named in words: she opened the channel.
    expect(await opened.textContent()).toContain('通道开设方');
    await saveScreenshot(explorer, 'channels-explorer-account');
    await explorer.setViewportSize({ width: 390, height: 844 });
    await saveScreenshot(explorer, 'channels-explorer-account-phone');
    await explorer.setViewportSize({ width: 1280, height: 1000 });
    await opened.locator('a[href*="#/tx/"]').first().click();
    await expect
      .poll(() => explorer.getByTestId('tx-actions').textContent(), { timeout: 15_000 })
      .toContain('开设支付通道，存入押金 100.00 CNYD');
    await saveScreenshot(explorer, 'channels-explorer-open-tx');

    expect(await balance(alice.address)).toBe(before.alice - PAID);
    expect(await balance(bob.address)).toBe(before.bob + PAID);
    expect(await balance(hub.address)).toBe(before.hub);
    expect(errors).toEqual([]);
  }, 240_000);
});
