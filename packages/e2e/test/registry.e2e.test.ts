// The enterprise registry end to end in Chromium, as the journey: an enterprise's legal
// representative (张三) signs in and files a registration in the console → the registering authority's
// registrar accepts it in the workbench → the enterprise files an annual report and posts an offer → a
// certifying body's auditor certifies its product → a buyer on a phone finds it through a demand post's
// matches → the certificate's QR code (decoded with jsQR) opens the public page, which shows the status as
// of a date and verifies the issuing tx in the browser, with links to its tx and block. Every write is
// signed in the signer's own browser keyring. Then the same enterprise's change of registration: its
// legal representative files a new address on the enterprise page, the registrar accepts it on the
// workbench, and the public page shows the new address with the filing's and the decision's tx. Last, its
// deregistration, filed on a phone, accepted, and the page saying the enterprise has ended.
import { demoUscc } from '@gongxin/registry-server';
import jsQR from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type SuiteProcess, saveScreenshot } from '../src/harness';
import { AppJourney, confirmSignature, input, PHONE, until } from '../src/journey';
import { demoSuite } from '../src/shared-suite';

let suite: SuiteProcess;
let browser: Browser;
let j: AppJourney;
// The enterprise 张三 registers in the first journey; the change journey files for it.
const uscc = demoUscc('440304', 'MA5HGX01');
const name = '深圳市福田共信电子有限公司';

beforeAll(async () => {
  [suite, browser] = await Promise.all([demoSuite(), launchBrowser()]);
  j = new AppJourney(browser, suite, 'registry');
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await suite?.stop();
});

/** Waits for a page's success line; its error line (or a screenshot) tells why not. */
async function succeeded(page: Page, done: string, error: string, shot: string) {
  await page
    .locator(`[data-test="${done}"], [data-test="${error}"]`)
    .first()
    .waitFor({ timeout: 30_000 })
    .catch(async (e) => {
      await saveScreenshot(page, `registry-failed-${shot}`);
      throw e;
    });
  if ((await page.getByTestId(error).count()) > 0)
    throw new Error(`${shot}: ${await page.getByTestId(error).textContent()}`);
}

describe('enterprise registry in Chromium', () => {
  it('register → accept → annual report → certify → found through a demand post → QR verifies', async () => {
    // The demo enterprises are seeded in the background after start-up.
    await until(
      () => j.trpc<unknown[]>('enterprises.search', { q: '深圳', limit: 20 }).then((r) => r.length >= 3),
      120_000,
    );

    // The registrar's workbench tells its address, which the enterprise names in its application.
    const registrar = await j.as('registry-registrar', '/workbench');
    const authority = (await registrar.getByTestId('workbench-address').textContent())!.trim();
    expect(authority).toMatch(/^gx1/);

    // 1. 张三 files the registration in the enterprise console.
    const zhang = await j.as('citizen-zhang', '/console');
    await input(zhang, 'reg-uscc').fill(uscc);
    await input(zhang, 'reg-name').fill(name);
    await input(zhang, 'reg-capital').fill('5000000');
    await input(zhang, 'reg-address').fill('广东省深圳市福田区深南大道6008号');
    await input(zhang, 'reg-industry').fill('C3971');
    await input(zhang, 'reg-established').fill('2019-03-08');
    // The authority is picked by name from the list; its address pasted finds it there too.
    await zhang.getByTestId('reg-authority').click();
    await input(zhang, 'reg-authority').fill(authority);
    await zhang.locator(`[data-test="authority-${authority}"]:visible`).click();
    expect(await zhang.getByTestId('reg-authority').textContent()).toContain(
      '深圳市市场监督管理局福田监管局',
    );
    expect(await zhang.getByTestId('reg-authority').textContent()).not.toContain('gx1');
    await zhang.getByTestId('reg-submit').click();
    await confirmSignature(zhang);
    await succeeded(zhang, 'console-done', 'console-error', 'register');
    await zhang.locator(`[data-uscc="${uscc}"][data-life="pending"]`).waitFor({ timeout: 30_000 });

    // 2. The registrar accepts it.
    await registrar.reload();
    await registrar.getByTestId(`accept-${uscc}`).waitFor({ timeout: 30_000 });
    await saveScreenshot(registrar, 'registry-workbench');
    await registrar.getByTestId(`accept-${uscc}`).click();
    await confirmSignature(registrar);
    await until(() =>
      j
        .trpc<{ enterprise: { life: string } }>('enterprises.get', { uscc })
        .then((r) => r.enterprise.life === 'active'),
    );

    // 3. The enterprise files its annual report for last year (补报) and offers its product.
    await zhang.reload();
    await zhang.locator(`[data-uscc="${uscc}"][data-life="active"]`).waitFor({ timeout: 30_000 });
    await input(zhang, 'report-year').fill('2025');
    await input(zhang, 'report-text').fill('资产总额 820 万元；从业人数 36 人；营业收入 1,450 万元。');
    await zhang.getByTestId('report-submit').click();
    await confirmSignature(zhang);
    await until(() =>
      j
        .trpc<{ reports: { year: number }[] }>('enterprises.get', { uscc })
        .then((r) => r.reports.some((x) => x.year === 2025)),
    );

    // 4. The certifying body certifies the product.
    const certifier = await j.as('registry-certifier', '/certify');
    await input(certifier, 'cert-holder').fill(uscc);
    await input(certifier, 'cert-no').fill('2026010907009001');
    await input(certifier, 'cert-product').fill('65W 氮化镓快充电源适配器');
    await certifier.getByTestId('cert-submit').click();
    await confirmSignature(certifier);
    await succeeded(certifier, 'certify-done', 'certify-error', 'certify');
    await certifier
      .locator('[data-test="issued-certificate"][data-no="2026010907009001"]')
      .waitFor({ timeout: 30_000 });
    await saveScreenshot(certifier, 'registry-certify');

    // …and the enterprise offers it.
    await zhang.reload();
    await zhang.locator(`[data-uscc="${uscc}"][data-life="active"]`).waitFor({ timeout: 30_000 });
    await zhang.getByTestId('post-kind').click();
    await zhang.locator('.el-select-dropdown__item:visible', { hasText: '供应' }).click();
    await input(zhang, 'post-classification').fill('0907');
    await input(zhang, 'post-item').fill('65W 氮化镓快充电源适配器');
    await input(zhang, 'post-quantity').fill('150000');
    await input(zhang, 'post-region').fill('440304');
    await input(zhang, 'post-min').fill('35');
    await input(zhang, 'post-max').fill('45');
    await zhang.getByTestId('post-submit').click();
    await confirmSignature(zhang);
    await succeeded(zhang, 'console-done', 'console-error', 'post');
    await saveScreenshot(zhang, 'registry-console');
    await until(() => j.trpc<{ uscc: string }[]>('posts.list', { uscc, limit: 5 }).then((r) => r.length > 0));

    // 5. A buyer on a phone opens the demand post and finds the new supplier among the matches.
    const buyer = await j.page('buyer', PHONE);
    await buyer.goto(`${suite.url}/registry/#/market`);
    const need = buyer.locator('[data-test="post"][data-kind="need"]', { hasText: '智能家电配套电源适配器' });
    await need.getByTestId('post-match').click();
    const match = buyer.locator('[data-test="match"]', { hasText: name });
    await match.waitFor({ timeout: 30_000 });
    await saveScreenshot(buyer, 'registry-market-phone');
    const certHref = (await match.getByTestId('match-certificate').getAttribute('href'))!;
    const certId = decodeURIComponent(certHref.split('/verify/')[1]!);

    // 6. The certificate's QR code leads to the public page, which verifies it in the browser.
    const png = await fetch(`${suite.url}/registry/api/certificates/${encodeURIComponent(certId)}/qr.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    const image = PNG.sync.read(Buffer.from(await png.arrayBuffer()));
    const code = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(code?.data).toBe(`${suite.url}/registry/#/verify/${encodeURIComponent(certId)}`);
    await buyer.goto(code!.data);
    await buyer.getByTestId('verify-no').waitFor();
    expect(await buyer.getByTestId('verify-no').textContent()).toBe('2026010907009001');
    await expect.poll(() => buyer.getByTestId('verify-status-at').getAttribute('data-status')).toBe('valid');
    // As of a date before it was issued: not valid then.
    await input(buyer, 'verify-date').fill('2025-01-01');
    await expect
      .poll(() => buyer.getByTestId('verify-status-at').getAttribute('data-status'))
      .toBe('not_issued');
    await buyer.getByTestId('verify-button').click();
    await buyer.locator('[data-test="verify-result"][data-state="verified"]').waitFor({ timeout: 30_000 });
    const txLink = await buyer
      .locator('[data-test="verify-proof"] [data-test="tx-link"]')
      .getAttribute('href');
    expect(txLink).toMatch(/^\/explorer\/#\/tx\/[0-9a-f]{64}$/);
    expect(await buyer.getByTestId('verify-block').getByTestId('block-link').count()).toBe(1);
    await saveScreenshot(buyer, 'registry-verify-phone');

    // The enterprise's public page on a desktop, and the public search by pinyin initials.
    const pub = await j.page('public');
    await pub.goto(`${suite.url}/registry/#/?q=szsft`);
    await pub.locator('[data-test="search-result"]', { hasText: name }).waitFor({ timeout: 30_000 });
    await saveScreenshot(pub, 'registry-search');
    await pub.goto(`${suite.url}/registry/#/e/${uscc}`);
    await pub.getByTestId('certificate').first().waitFor();
    expect(await pub.getByTestId('enterprise-listing').textContent()).toContain('正常');
    expect(await pub.getByTestId('reports').textContent()).toContain('2025');
    await saveScreenshot(pub, 'registry-enterprise');
    expect(j.errors).toEqual([]);
  }, 300_000);

  it('change of registration: filed on the enterprise page → accepted on the workbench → shown with its tx', async () => {
    const address = '广东省深圳市福田区福华三路88号';
    const zhang = await j.as('citizen-zhang', `/e/${uscc}`);
    await zhang.getByTestId('change-filing').waitFor({ timeout: 30_000 });
    await input(zhang, 'change-address').fill(address);
    await input(zhang, 'change-reason').fill('迁址');
    await zhang.locator('[data-test="change-diff"] [data-field="address"]').waitFor();
    await zhang.getByTestId('change-submit').click();
    await confirmSignature(zhang);
    await succeeded(zhang, 'change-done', 'change-error', 'change');
    const filedTx = (await zhang
      .locator('[data-test="change-done"] [data-test="tx-link"]')
      .getAttribute('href'))!;
    expect(filedTx).toMatch(/\/tx\/[0-9a-f]{64}$/);

    const registrar = await j.as('registry-registrar', '/workbench');
    const card = registrar.locator('[data-test="filing"]', { hasText: uscc });
    await card.waitFor({ timeout: 30_000 });
    expect(await card.getByTestId('filing-diff').textContent()).toContain(address);
    const id = (await card.getAttribute('data-filing'))!;
    await registrar.getByTestId(`filing-accept-${id}`).click();
    await confirmSignature(registrar);
    await until(() =>
      j
        .trpc<{ enterprise: { address: string | null } }>('enterprises.get', { uscc })
        .then((r) => r.enterprise.address === address),
    );

    const pub = await j.page('public');
    await pub.goto(`${suite.url}/registry/#/e/${uscc}`);
    await expect.poll(() => pub.getByTestId('enterprise-address').textContent()).toBe(address);
    const filing = pub.locator(`[data-filing="${id}"][data-status="accepted"]`);
    await filing.waitFor({ timeout: 30_000 });
    expect(await filing.locator('[data-field="address"] [data-test="diff-to"]').textContent()).toBe(address);
    const links = await filing
      .getByTestId('tx-link')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toContain(filedTx);
    const decisionTx = await filing
      .locator('[data-test="filing-decision"] [data-test="tx-link"]')
      .getAttribute('href');
    expect(decisionTx).toMatch(/^\/explorer\/#\/tx\/[0-9a-f]{64}$/);
    expect(decisionTx).not.toBe(filedTx);
    await saveScreenshot(pub, 'registry-change-accepted');
    expect(j.errors).toEqual([]);
  }, 180_000);

  it('deregistration: filed on a phone → no second one offered → accepted → the page says it ended', async () => {
    const zhang = await j.as('citizen-zhang', `/e/${uscc}`, true);
    await zhang.getByTestId('filing-kinds').waitFor({ timeout: 30_000 });
    await zhang.getByTestId('filing-kind-deregister').click();
    // The cause from its dropdown; picked again if the pick did not take (a click on the option while
    // the dropdown was still opening, on a loaded machine, once left the cause empty).
    const cause = zhang.getByTestId('dereg-cause');
    await until(
      async () => {
        if (!(await zhang.locator('.el-select-dropdown__item:visible').count())) await cause.click();
        await zhang
          .locator('.el-select-dropdown__item:visible', { hasText: '决议解散' })
          .click({ timeout: 10_000 });
        return (await cause.textContent())?.includes('决议解散');
      },
      60_000,
      'the cause 决议解散 picked',
    );
    await input(zhang, 'dereg-details').fill('2026年第1次股东会决议');
    await zhang.locator('[data-test="dereg-confirm"]').click();
    await saveScreenshot(zhang, 'registry-dereg-form-phone');
    await zhang.getByTestId('dereg-submit').click();
    await confirmSignature(zhang);
    await succeeded(zhang, 'dereg-done', 'dereg-error', 'dereg');
    // While it waits, the page offers no second ending (the contract would refuse one anyway).
    await zhang.reload();
    await zhang.getByTestId('filing-kind-merge').click();
    await zhang.getByTestId('ending-pending').waitFor({ timeout: 30_000 });
    await saveScreenshot(zhang, 'registry-dereg-pending-phone');

    const registrar = await j.as('registry-registrar', '/workbench');
    const card = registrar.locator('[data-test="filing"]', { hasText: uscc }).filter({ hasText: '注销' });
    await card.waitFor({ timeout: 30_000 });
    const id = (await card.getAttribute('data-filing'))!;
    await registrar.getByTestId(`filing-accept-${id}`).click();
    await confirmSignature(registrar);
    await until(() =>
      j
        .trpc<{ enterprise: { life: string } }>('enterprises.get', { uscc })
        .then((r) => r.enterprise.life === 'deregistered'),
    );

    for (const phone of [false, true]) {
      const pub = await j.page('public', phone ? PHONE : undefined);
      await pub.goto(`${suite.url}/registry/#/e/${uscc}`);
      await pub.getByTestId('enterprise-ended').waitFor({ timeout: 30_000 });
      expect(await pub.getByTestId('filing-kinds').count()).toBe(0);
      const accepted = pub.locator(`[data-filing="${id}"][data-status="accepted"]`);
      await accepted.waitFor({ timeout: 30_000 });
      // The workbench's default reason speaks of a deregistration, not of a change.
      expect(await accepted.getByTestId('filing-decision').textContent()).toContain('准予注销登记');
      await saveScreenshot(pub, `registry-deregistered-${phone ? 'phone' : 'desktop'}`);
    }
    expect(j.errors).toEqual([]);
  }, 180_000);
});
