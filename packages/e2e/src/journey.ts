// What an app's browser journey needs besides the suite and the browser: a page signed in as a demo
// account through the passport (desktop or a 390 px phone), the app's tRPC queries over HTTP, the keyring's
// sign dialog, form fields by their data-test id, and waiting for a condition that names what it waited
// for when it times out. Uncaught page errors are collected; a journey ends expecting none.
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import type { SuiteProcess } from './harness';

/** The demo accounts' keyring password (the suite's demo data). */
export const DEMO_PASSWORD = 'gongxin-demo';

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 } };
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

/** The text field (input or textarea) marked with a data-test id, on it or inside it (Element Plus). */
export function input(page: Page, testId: string): Locator {
  return page
    .locator(
      `[data-test="${testId}"] input, [data-test="${testId}"] textarea, input[data-test="${testId}"], textarea[data-test="${testId}"]`,
    )
    .first();
}

/** Confirms the keyring's sign dialog, typing the password when it asks for one. */
export async function confirmSignature(page: Page, password = DEMO_PASSWORD): Promise<void> {
  await page.getByTestId('sign-confirm').waitFor({ timeout: 45_000 });
  const field = page.locator('[data-test="sign-password"] input, input[data-test="sign-password"]');
  if ((await field.count()) > 0) await field.first().fill(password);
  await page.getByTestId('sign-confirm').click();
}

/**
 * Polls `fn` until it returns something truthy and returns that. A throw counts as not yet; on timeout
 * the error names what was awaited, the last error seen, and `detail()` (e.g. the suite's last output).
 */
export async function until<T>(
  fn: () => Promise<T | undefined | null | false>,
  ms = 30_000,
  what = 'a condition',
  detail?: () => string,
): Promise<T> {
  let last: unknown;
  for (const end = Date.now() + ms; ; ) {
    const v = await fn().catch((e: unknown) => {
      last = e;
      return undefined;
    });
    if (v) return v;
    if (Date.now() > end) {
      const why = last instanceof Error ? `; last error: ${last.message}` : '';
      throw new Error(`timed out after ${ms} ms waiting for ${what}${why}${detail ? `\n${detail()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** One app's journey: its pages, its API and what went wrong in its pages. */
export class AppJourney {
  readonly contexts: BrowserContext[] = [];
  readonly errors: string[] = [];

  constructor(
    private readonly browser: Browser,
    private readonly suite: SuiteProcess,
    /** The app's mount path in the portal, e.g. 'parking'. */
    readonly app: string,
  ) {}

  /** A tRPC query of the app, over HTTP as the web calls it. */
  async trpc<T>(path: string, input?: unknown): Promise<T> {
    const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    const res = await fetch(`${this.suite.url}/${this.app}/api/trpc/${path}${query}`);
    const body = (await res.json().catch(() => ({}))) as { result?: { data: T }; error?: unknown };
    if (!body.result) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(body.error)}`);
    return body.result.data;
  }

  /** A new page in its own browser context (no session), whose uncaught errors are collected. */
  async page(who: string, options: BrowserContextOptions = DESKTOP): Promise<Page> {
    const context = await this.browser.newContext(options);
    // Waits without their own limit get 45 s, not Playwright's 30: on a loaded 2-core machine a page that
    // waits on a committed block and a lazily loaded chunk can take longer; one that never gets there fails.
    context.setDefaultTimeout(45_000);
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => this.errors.push(`${who}: ${e.message}`));
    return page;
  }

  /** A page signed in as a demo account through the passport, at `path` of the app. */
  async as(account: string, path: string, phone = false): Promise<Page> {
    const page = await this.page(account, phone ? PHONE : DESKTOP);
    await page.goto(this.url(path));
    await page.getByTestId('header-login').click();
    await page.getByTestId(`demo-account-${account}`).click();
    await page.getByTestId('login-continue').click();
    await page.waitForURL(new RegExp(`/${this.app}/`), { timeout: 30_000 });
    // Back at the app either way: signed in, or with `?login_error=<code>` (expired, access_denied, …).
    // A journey that went on signed out would fail later at a section only a signed-in role sees.
    const failed = new URL(page.url()).searchParams.get('login_error');
    if (failed) {
      // The app logs why (`sign-in failed`, with openid-client's words): say it with the failure.
      const why = this.suite
        .output()
        .split('\n')
        .filter((line) => line.includes('sign-in failed'))
        .slice(-3);
      throw new Error(
        `signing in as ${account} to ${this.app} failed: login_error=${failed}${why.length ? `\n${why.join('\n')}` : ''}`,
      );
    }
    const me = await page.request.get(`${this.suite.url}/${this.app}/auth/me`);
    if (!me.ok()) throw new Error(`signed in as ${account}, but /${this.app}/auth/me answers ${me.status()}`);
    await page.goto(this.url(path));
    return page;
  }

  /** The app's page at a hash route. */
  url(path: string): string {
    return `${this.suite.url}/${this.app}/#${path}`;
  }

  async close(): Promise<void> {
    for (const c of this.contexts) await c.close().catch(() => undefined);
  }
}
