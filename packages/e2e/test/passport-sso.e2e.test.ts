// Passport end to end in Chromium: a new person registers (key made in the browser, registered on chain,
// identity details and the development liveness check), an identity officer approves the application and
// grants a role (each signed in the officer's browser), the person signs in to passport with their key,
// then opens the wallet and is signed in through SSO without typing the password again, and the wallet
// shows their DID and roles.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type SuiteProcess, saveScreenshot } from '../src/harness';
import { demoSuite } from '../src/shared-suite';

let suite: SuiteProcess;
let browser: Browser;
let person: BrowserContext;
let officer: BrowserContext;

const PASSWORD = 'person-password-1';
const NAME = '李新民';
// A resident ID number with a valid GB 11643 check character (an invented person).
const ID_NUMBER = '11010519491231002X';

beforeAll(async () => {
  [suite, browser] = await Promise.all([demoSuite(), launchBrowser()]);
  person = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  officer = await browser.newContext({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await suite?.stop();
});

async function confirmSignature(page: Page, password?: string) {
  await page.getByTestId('sign-confirm').waitFor();
  if (password && (await page.getByTestId('sign-password').count()) > 0) {
    await page
      .getByTestId('sign-password')
      .locator('input')
      .or(page.locator('input[data-test="sign-password"]'))
      .first()
      .fill(password);
  }
  await page.getByTestId('sign-confirm').click();
}

function input(page: Page, testId: string) {
  return page.locator(`[data-test="${testId}"] input, input[data-test="${testId}"]`).first();
}

describe('passport single sign-on in Chromium', () => {
  it('registers, gets approved and a role, then signs in to a second app without the password', async () => {
    const errors: string[] = [];
    const p = await person.newPage();
    p.on('pageerror', (e) => errors.push(e.message));

    // 1. Registration: a key in the browser keyring, registered on chain, then identity and liveness.
    await p.goto(`${suite.url}/passport/#/register`);
    await input(p, 'reg-label').fill(NAME);
    await input(p, 'reg-password').fill(PASSWORD);
    await input(p, 'reg-password2').fill(PASSWORD);
    await p.getByTestId('reg-create').click();
    await p.getByTestId('reg-chain-submit').click();
    await confirmSignature(p, PASSWORD);
    await input(p, 'reg-name').fill(NAME);
    await input(p, 'reg-id-number').fill(ID_NUMBER);
    await p.getByTestId('reg-id-ok').waitFor();
    await p.getByTestId('reg-details-next').click();
    await p.getByTestId('reg-liveness-start').click();
    const code = (await p.getByTestId('reg-liveness-shown').textContent())!.trim();
    await input(p, 'reg-liveness-code').fill(code);
    await p.getByTestId('reg-liveness-submit').click();
    await p.getByTestId('reg-liveness-passed').waitFor();
    if ((await p.getByTestId('reg-unlock-password').count()) > 0)
      await input(p, 'reg-unlock-password').fill(PASSWORD);
    await p.getByTestId('reg-submit').click();
    await p.getByTestId('reg-submitted').waitFor();
    await saveScreenshot(p, 'passport-registered');
    const address = await p.evaluate(() => {
      const stored = JSON.parse(localStorage.getItem('gongxin.keyring') ?? '{}');
      return (stored.current ?? stored.vaults?.[0]?.address) as string;
    });
    expect(address).toMatch(/^gx1/);

    // 2. The identity officer (a demo account) signs in to passport and approves the application.
    const o = await officer.newPage();
    o.on('pageerror', (e) => errors.push(e.message));
    await o.goto(`${suite.url}/passport/`);
    await o.getByTestId('header-login').click();
    await o.getByTestId('demo-account-identity-authority').click();
    await o.getByTestId('login-continue').click();
    await o
      .getByTestId('logout')
      .waitFor({ timeout: 30_000 })
      .catch(async (error) => {
        await saveScreenshot(o, 'officer-login-failed');
        throw new Error(`officer not signed in (at ${o.url()}): ${error}`);
      });
    await o.getByTestId('nav-review').click();
    const card = o.locator('[data-test^="application-"]', { hasText: NAME }).first();
    await card.waitFor().catch(async (error) => {
      await saveScreenshot(o, 'review-missing');
      await saveScreenshot(p, 'person-state');
      throw error;
    });
    expect(await card.getByTestId('application-id-masked').textContent()).not.toContain(ID_NUMBER);
    await card.getByTestId('review-approve').click();
    await confirmSignature(o, 'gongxin-demo');
    await o.getByTestId('review-notice').waitFor({ timeout: 30_000 });

    // …and grants the person a role in the food app.
    await o.getByTestId('nav-roles').click();
    await input(o, 'roles-subject').fill(address);
    await o.getByTestId('roles-app').click();
    await o.locator('.el-select-dropdown__item:visible', { hasText: /^food$/ }).click();
    await input(o, 'roles-role').fill('retailer');
    await o.getByTestId('roles-grant').click();
    await confirmSignature(o, 'gongxin-demo');
    await o
      .locator('[data-test="role-row"]', { hasText: 'food:retailer' })
      .first()
      .waitFor({ timeout: 30_000 })
      .catch(async (error) => {
        await saveScreenshot(o, 'role-missing');
        throw error;
      });

    // 3. The person signs in to passport with their key (password once)…
    await p.goto(`${suite.url}/passport/`);
    await p
      .getByTestId('header-login')
      .click()
      .catch(async (error) => {
        await saveScreenshot(p, 'person-passport-home');
        throw error;
      });
    await p.waitForURL(/#\/login\//);
    await input(p, 'login-password').fill(PASSWORD);
    await p.getByTestId('login-continue').click();
    await p.getByTestId('logout').waitFor({ timeout: 30_000 });

    // 4. …and into the wallet through SSO: no sign-in page, no password.
    await p.goto(`${suite.url}/wallet/`);
    const visited: string[] = [];
    p.on('framenavigated', (frame) => {
      if (frame === p.mainFrame()) visited.push(frame.url());
    });
    await p
      .getByTestId('header-login')
      .click()
      .catch(async (error) => {
        await saveScreenshot(p, 'person-wallet-home');
        throw error;
      });
    await p.getByTestId('me-identity').waitFor({ timeout: 30_000 });
    expect(visited.some((url) => url.includes('#/login/'))).toBe(false);
    expect(await p.getByTestId('me-did').textContent()).toBe(`did:gx:${address}`);
    expect(await p.getByTestId('me-role').allTextContents()).toContain('food:retailer');
    await saveScreenshot(p, 'wallet-after-sso');
    expect(errors).toEqual([]);
  }, 240_000);

  it('keeps the suite header and the registration steps on one line on a 390 px phone', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
    });
    // Each name or title of the header and the steps that shows: none taller than about two lines.
    const squeezed = (page: Page) =>
      page.evaluate(() =>
        [...document.querySelectorAll('.gx-brand-name, .gx-app-title, .pp-steps .el-step__title')]
          .filter((e) => e.getBoundingClientRect().width > 0)
          .filter(
            (e) => e.getBoundingClientRect().height > 2.6 * Number.parseFloat(getComputedStyle(e).fontSize),
          )
          .map((e) => e.textContent),
      );
    const visibleSteps = (page: Page) =>
      page.evaluate(() =>
        [...document.querySelectorAll('.pp-steps .el-step__title')]
          .filter((e) => e.getBoundingClientRect().width > 0)
          .map((e) => e.textContent),
      );
    try {
      const small = await phone.newPage();
      await small.goto(`${suite.url}/passport/#/register`);
      await small.locator('.pp-steps').waitFor();
      expect(await squeezed(small)).toEqual([]);
      // Only the current step keeps its title on a phone, whole.
      expect(await visibleSteps(small)).toEqual(['创建密钥']);
      await saveScreenshot(small, 'passport-register-phone');
      for (const app of ['wallet', 'food', 'explorer']) {
        await small.goto(`${suite.url}/${app}/`);
        await small.locator('.gx-app-title').waitFor();
        expect(await squeezed(small), app).toEqual([]);
      }
      const wide = await person.newPage();
      await wide.goto(`${suite.url}/passport/#/register`);
      await wide.locator('.pp-steps').waitFor();
      expect(await squeezed(wide)).toEqual([]);
      expect(await visibleSteps(wide)).toHaveLength(5);
      await wide.close();
    } finally {
      await phone.close();
    }
  }, 120_000);
});
