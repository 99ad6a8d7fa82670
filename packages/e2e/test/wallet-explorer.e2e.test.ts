// The wallet and the explorer end to end in Chromium, as three people on the demo chain: Zhang (a verified
// citizen) issues an asset, sends some to Li, and hands out a red packet that Li and Wang claim, each action
// signed in their own browser's keyring. The explorer then shows every one of those txs in words, with a
// proof that verifies in the page — and that stops verifying, visibly, once a byte of it is changed. On the
// same suite, the wallet history's filters fit their card on a 390 px phone and on a desktop, and its rows
// name the counterparty (Li) before the address.
import { demoAccounts } from '@gongxin/passport-server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type SuiteProcess, saveScreenshot } from '../src/harness';
import { AppJourney } from '../src/journey';
import { demoSuite } from '../src/shared-suite';

const DEMO_PASSWORD = 'gongxin-demo';
const SYMBOL = 'TEA';

let suite: SuiteProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];
const errors: string[] = [];
let journey: AppJourney | undefined;

beforeAll(async () => {
  [suite, browser] = await Promise.all([demoSuite(), launchBrowser()]);
});

afterAll(async () => {
  await journey?.close();
  await browser?.close();
  await suite?.stop();
});

function input(page: Page, testId: string) {
  return page.locator(`[data-test="${testId}"] input, input[data-test="${testId}"]`).first();
}

async function confirmSignature(page: Page) {
  await page.getByTestId('sign-confirm').waitFor({ timeout: 30_000 });
  const password = page.locator('[data-test="sign-password"] input, input[data-test="sign-password"]');
  if ((await password.count()) > 0) await password.first().fill(DEMO_PASSWORD);
  await page.getByTestId('sign-confirm').click();
}

/** A fresh browser (its own keyring) signed in to the wallet as one of the demo accounts, through passport. */
async function walletAs(account: string): Promise<{ page: Page; address: string }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`${account}: ${e.message}`));
  await page.goto(`${suite.url}/wallet/`);
  await page.getByTestId('header-login').click();
  await page.getByTestId(`demo-account-${account}`).click();
  await page.getByTestId('login-continue').click();
  await page
    .getByTestId('me-identity')
    .waitFor({ timeout: 30_000 })
    .catch(async (error) => {
      await saveScreenshot(page, `wallet-login-${account}`);
      throw error;
    });
  const did = (await page.getByTestId('me-did').textContent())!.trim();
  expect(did).toMatch(/^did:gx:gx1/);
  return { page, address: did.slice('did:gx:'.length) };
}

/** The tx id a wallet result box links to in the explorer. */
async function txIdIn(page: Page, resultTestId: string): Promise<string> {
  const result = page.getByTestId(resultTestId);
  await result.waitFor({ timeout: 30_000 }).catch(async (error) => {
    await saveScreenshot(page, `missing-${resultTestId}`);
    throw error;
  });
  const href = await result.getByTestId('tx-link').getAttribute('href');
  const id = decodeURIComponent(href!.split('#/tx/')[1] ?? '');
  expect(id).toMatch(/^[0-9a-f]{64}$/);
  return id;
}

async function nav(page: Page, tab: string) {
  await page.getByTestId(`nav-${tab}`).click();
}

/** The filter controls that stick out of the filters card's content box, with how far. */
async function overflowing(page: Page): Promise<string[]> {
  await page.getByTestId('history-to').waitFor();
  return page.evaluate(() => {
    const box = document.querySelector('[data-test="history-filters"]')!;
    const style = getComputedStyle(box);
    // The card's content edge: a control reaching into its padding already looks cut off.
    const edge =
      box.getBoundingClientRect().right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
    return [
      ...document.querySelectorAll(
        '[data-test="history-filters"] select, [data-test="history-filters"] input',
      ),
    ].flatMap((e) => {
      const right = e.getBoundingClientRect().right;
      const field = e.parentElement!.getBoundingClientRect().right;
      return [
        ...(right > edge + 0.5
          ? [`${e.id} ends ${Math.round(right - edge)} px past the card's content`]
          : []),
        ...(right > field + 0.5 ? [`${e.id} is ${Math.round(right - field)} px wider than its field`] : []),
      ];
    });
  });
}

describe('wallet and explorer in Chromium', () => {
  it('issues, sends, shares a red packet two people claim, and the explorer proves each tx', async () => {
    const zhang = await walletAs('citizen-zhang');
    const li = await walletAs('citizen-li');
    const wang = await walletAs('citizen-wang');
    const z = zhang.page;

    // 1. Zhang issues an asset with 2 decimals and an initial supply of 1,000.00.
    await nav(z, 'issue');
    await input(z, 'issue-name').fill('Longjing tea voucher');
    await input(z, 'issue-symbol').fill(SYMBOL);
    await z.getByTestId('issue-decimals').selectOption('2');
    await z.getByTestId('issue-policy').selectOption('mintable');
    await input(z, 'issue-initial').fill('1000');
    await z.getByTestId('issue-submit').click();
    await confirmSignature(z);
    const issueTx = await txIdIn(z, 'issue-result');

    // 2. …sends 250.50 to Li.
    await nav(z, 'send');
    await input(z, 'send-to').fill(li.address);
    await z.getByTestId('send-asset').selectOption(SYMBOL);
    await input(z, 'send-amount').fill('250.50');
    await z.getByTestId('send-submit').click();
    await confirmSignature(z);
    const sendTx = await txIdIn(z, 'send-result');

    // 3. …and hands out a red packet of 100.00 in two equal shares.
    await nav(z, 'packets');
    await z.getByTestId('packet-asset').selectOption(SYMBOL);
    await input(z, 'packet-total').fill('100');
    await input(z, 'packet-count').fill('2');
    await z.getByTestId('packet-split').selectOption('equal');
    await input(z, 'packet-memo').fill('新茶上市');
    await z.getByTestId('packet-submit').click();
    await confirmSignature(z);
    const packetTx = await txIdIn(z, 'packet-result');
    const link = (await z.getByTestId('packet-link').getAttribute('href'))!;
    expect(link).toContain('/wallet/#/packet/');
    await saveScreenshot(z, 'wallet-packet-created');

    // 4. Li and Wang open the shared link and claim a share each: 50.00 apiece.
    const claims: string[] = [];
    for (const claimer of [li, wang]) {
      await claimer.page.goto(link);
      await claimer.page.getByTestId('packet-claim').click();
      await confirmSignature(claimer.page);
      const got = claimer.page.getByTestId('packet-claimed');
      await got.waitFor({ timeout: 30_000 });
      expect(await got.textContent()).toContain('50.00');
      claims.push(await claimer.page.getByTestId('packet-claimed').textContent().then(String));
    }
    await li.page.reload();
    await li.page.getByTestId('packet').waitFor();
    await expect
      .poll(async () => li.page.getByTestId('packet-claim-row').count(), { timeout: 20_000 })
      .toBe(2);
    await saveScreenshot(li.page, 'wallet-packet-claimed');

    // Li's balance: 250.50 sent + 50.00 claimed.
    await li.page.goto(`${suite.url}/wallet/#/`);
    await expect
      .poll(
        async () => li.page.getByTestId(`balance-${SYMBOL}`).getByTestId('balance-amount').textContent(),
        {
          timeout: 20_000,
        },
      )
      .toContain('300.50');

    // 5. The explorer, in a browser with no sign-in at all, shows each tx decoded and proves it.
    const visitor = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(visitor);
    const x = await visitor.newPage();
    x.on('pageerror', (e) => errors.push(`explorer: ${e.message}`));
    const expected: [string, string, RegExp][] = [
      [issueTx, 'assets.issue', new RegExp(SYMBOL)],
      [sendTx, 'assets.transfer', /250\.5/],
      [packetTx, 'assets.createPacket', /100/],
    ];
    for (const [id, action, words] of expected) {
      await x.goto(`${suite.url}/explorer/#/tx/${id}`);
      const line = x.locator(`[data-test="action-line"][data-action="${action}"]`).first();
      await line.waitFor({ timeout: 30_000 }).catch(async (error) => {
        await saveScreenshot(x, `explorer-tx-${action}`);
        throw new Error(`${action} not shown for tx ${id}: ${error}`);
      });
      expect(await line.getAttribute('data-decoded')).toBe('true');
      expect(await line.locator('.xp-words').textContent()).toMatch(words);
      await x.getByTestId('tx').getByTestId('verify-button').first().click();
      const verdict = x.getByTestId('tx').getByTestId('verify-result').first();
      await verdict.waitFor({ timeout: 30_000 });
      expect(await verdict.getAttribute('data-state')).toBe('verified');
    }
    await saveScreenshot(x, 'explorer-tx-verified');

    // Each claim is on the claimer's account page in the explorer, in words, and its event proves itself.
    for (const [who, claimer] of [
      ['li', li],
      ['wang', wang],
    ] as const) {
      await x.goto(`${suite.url}/explorer/#/account/${claimer.address}`);
      await x.locator(`[data-test="account-address"][data-address="${claimer.address}"]`).waitFor();
      const claimed = x.locator('[data-test="event-line"][data-event="assets.packetClaimed"]').first();
      await claimed.waitFor({ timeout: 30_000 }).catch(async (error) => {
        await saveScreenshot(x, `explorer-account-claim-missing-${who}`);
        throw error;
      });
      expect(await claimed.getAttribute('data-decoded')).toBe('true');
      expect(await claimed.locator('.xp-words').textContent()).toContain('50');
      await claimed.getByTestId('verify-button').click();
      await expect
        .poll(async () => claimed.getByTestId('verify-result').getAttribute('data-state'), {
          timeout: 30_000,
        })
        .toBe('verified')
        .catch(async (error) => {
          await saveScreenshot(x, `explorer-account-claim-unverified-${who}`);
          const shown = await claimed.textContent({ timeout: 1000 }).catch(() => '(gone from the page)');
          throw new Error(
            `${who}'s claim did not verify; the line shows: ${shown}; page errors: ${errors.join('; ')}; ${error}`,
          );
        });
    }
    await saveScreenshot(x, 'explorer-account-claim');

    // The front page's charts carry their units on the axes, not only in the captions.
    await x.goto(`${suite.url}/explorer/#/`);
    await expect
      .poll(async () => x.getByTestId('chart-tps').textContent(), { timeout: 30_000 })
      .toContain('笔/秒');
    expect(await x.getByTestId('chart-block-time').textContent()).toContain('秒');
    await saveScreenshot(x, 'explorer-home');

    // 6. The proof of the send, opened and edited in the page: the same check now fails and says where.
    await x.goto(`${suite.url}/explorer/#/tx/${sendTx}`);
    const panel = x.getByTestId('proof-panel');
    await panel.getByTestId('proof-load').click();
    const box = panel.locator('textarea');
    await box.waitFor();
    const original = await box.inputValue();
    expect(original).toMatch(/^[0-9a-f]+$/);
    await panel.getByTestId('verify-button').click();
    await expect
      .poll(async () => panel.getByTestId('verify-result').getAttribute('data-state'))
      .toBe('verified');

    // Flip one hex digit in the last quarter of the bundle (the commit certificate's signatures).
    const at = Math.floor(original.length * 0.9);
    const flipped = original.slice(0, at) + (original[at] === '0' ? '1' : '0') + original.slice(at + 1);
    await box.fill(flipped);
    await panel.getByTestId('proof-edited').waitFor();
    await panel.getByTestId('verify-button').click();
    await expect
      .poll(async () => panel.getByTestId('verify-result').getAttribute('data-state'))
      .toBe('failed');
    expect(await panel.locator('[data-ok="false"]').count()).toBeGreaterThan(0);
    // Why, in the page's language (by the failure's code); the verifier's English only when unfolded.
    const broken = panel.locator('[data-ok="false"]').first();
    const code = await broken.getAttribute('data-code');
    expect(code).toBeTruthy();
    expect(code).not.toBe('unknown');
    const why = (await broken.getByTestId('verify-step-detail').textContent()) ?? '';
    expect(why).toMatch(/[\u4e00-\u9fff]/);
    expect(why).not.toMatch(/certificate|signature|validator set|proof/);
    expect(await broken.getByTestId('verify-technical-detail').isVisible()).toBe(false);
    expect(await broken.getByTestId('verify-technical').locator('summary').textContent()).toBe('技术细节');
    await saveScreenshot(x, 'explorer-proof-edited-fails');
    await broken.getByTestId('verify-technical').locator('summary').click();
    expect(await broken.getByTestId('verify-technical-detail').textContent()).toMatch(/[a-z]{4}/);

    // Putting the original back verifies again: the failure was the edit, nothing else.
    await panel.getByTestId('proof-reset').click();
    await panel.getByTestId('verify-button').click();
    await expect
      .poll(async () => panel.getByTestId('verify-result').getAttribute('data-state'))
      .toBe('verified');

    // 7. The same pages on a phone: nothing runs off the side; the tx's place in its block is in words.
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    contexts.push(phone);
    const ph = await phone.newPage();
    ph.on('pageerror', (e) => errors.push(`explorer phone: ${e.message}`));
    const narrow = () => ph.evaluate(() => document.documentElement.scrollWidth);
    await ph.goto(`${suite.url}/explorer/#/tx/${packetTx}`);
    await ph
      .locator('[data-test="action-line"][data-action="assets.createPacket"]')
      .waitFor({ timeout: 30_000 });
    expect(await ph.getByTestId('tx-index').textContent()).toMatch(/^块内第 \d+ 笔$/);
    expect(await narrow()).toBeLessThanOrEqual(390);
    await saveScreenshot(ph, 'explorer-tx-phone');
    await ph.goto(`${suite.url}/explorer/#/account/${li.address}`);
    await ph
      .locator('[data-test="event-line"][data-event="assets.packetClaimed"]')
      .first()
      .waitFor({ timeout: 30_000 });
    expect(await narrow()).toBeLessThanOrEqual(390);
    // Addresses and hashes in the words are shortened in the middle, the full value on hover, linked.
    const words = ph.locator('[data-test="event-line"] .xp-words');
    expect(await words.first().textContent()).not.toMatch(/gx1[02-9ac-hj-np-z]{38}|[0-9a-f]{64}/);
    const named = ph.locator('.xp-words [data-test="text-address"] a').first();
    expect(await named.getAttribute('title')).toMatch(/^gx1[02-9ac-hj-np-z]{38}$/);
    expect(await named.getAttribute('href')).toContain('#/account/gx1');
    expect(await named.textContent()).toContain('…');
    await saveScreenshot(ph, 'explorer-account-phone');

    // An authority's account: its roles and scopes in words, not as keys (`registry/authority`).
    const registrar = demoAccounts().find((a) => a.id === 'registry-registrar')!;
    await ph.goto(`${suite.url}/explorer/#/account/${registrar.address}`);
    const role = ph.locator('[data-test="role"][data-role="registry/authority"]');
    await role.waitFor({ timeout: 30_000 });
    expect(await role.textContent()).toContain('企业链 · 登记机关');
    const identity = (await ph.getByTestId('identity').textContent()) ?? '';
    expect(identity).toContain('权限：企业链');
    expect(identity).not.toMatch(/\{\{|registry\/authority|explorer\./);
    expect(await narrow()).toBeLessThanOrEqual(390);
    await saveScreenshot(ph, 'explorer-account-roles-phone');

    // Block 1: its parent is the genesis block, its proposer named as the validator set names it.
    await ph.goto(`${suite.url}/explorer/#/block/1`);
    await ph.getByTestId('block-parent-genesis').waitFor({ timeout: 30_000 });
    expect(await ph.getByTestId('block-parent-genesis').textContent()).toBe('创世区块');
    await ph.getByTestId('block-proposer-name').waitFor({ timeout: 30_000 });
    expect((await ph.getByTestId('block-proposer-name').textContent())?.trim().length).toBeGreaterThan(0);
    expect(await narrow()).toBeLessThanOrEqual(390);
    await saveScreenshot(ph, 'explorer-block-phone');

    // A tx id that is on no chain, and one that is no tx id at all: said in words, with a way on.
    await ph.goto(`${suite.url}/explorer/#/tx/${'0'.repeat(64)}`);
    const missing = ph.getByTestId('load-missing');
    await missing.waitFor({ timeout: 30_000 });
    expect(await missing.getAttribute('data-reason')).toBe('not-found');
    expect(await missing.textContent()).toContain('链上没有找到这个交易');
    expect(await narrow()).toBeLessThanOrEqual(390);
    await saveScreenshot(ph, 'explorer-tx-missing-phone');
    await ph.goto(`${suite.url}/explorer/#/tx/not-a-tx`);
    await expect.poll(async () => missing.getAttribute('data-reason'), { timeout: 30_000 }).toBe('bad-input');
    expect(await missing.textContent()).toContain('64 位十六进制');
    expect(await missing.textContent()).not.toContain('hex digits');

    expect(claims).toHaveLength(2);
    expect(errors).toEqual([]);
  }, 300_000);

  it('the history filters fit their card on a phone and on a desktop', async () => {
    // The same suite: every control of the filters (three selects, two native date inputs) stays inside
    // its card, so nothing is cut off at the right edge of the screen.
    const j = new AppJourney(browser, suite, 'wallet');
    journey = j;
    for (const phone of [true, false]) {
      const page = await j.as('citizen-zhang', '/history', phone);
      const out = await overflowing(page);
      if (out.length > 0) await saveScreenshot(page, `wallet-history-filters-${phone ? 'phone' : 'desktop'}`);
      expect(out).toEqual([]);
      // Li, to whom Zhang sent TEA above, is named (a passport demo person), the address beside.
      const named = page.getByTestId('history-counterparty-name').filter({ hasText: '李四' }).first();
      await named.waitFor({ timeout: 30_000 });
      // Each row links its tx and its block in the explorer.
      const row = page.locator('[data-test="history-row"]').first();
      expect(await row.getByTestId('tx-link').getAttribute('href')).toMatch(
        /^\/explorer\/#\/tx\/[0-9a-f]{64}$/,
      );
      expect(await row.getByTestId('block-link').getAttribute('href')).toMatch(/^\/explorer\/#\/block\/\d+$/);
      await saveScreenshot(page, `wallet-history-names-${phone ? 'phone' : 'desktop'}`);
    }
    expect(j.errors).toEqual([]);
  }, 120_000);
});
