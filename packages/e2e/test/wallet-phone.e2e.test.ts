// The wallet on a 390 px phone and a desktop: every control of the history's filters (three selects and
// two native date inputs) stays inside its card, so nothing is cut off at the right edge of the screen.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type SuiteProcess, saveScreenshot, startSuiteProcess } from '../src/harness';
import { AppJourney } from '../src/journey';

let suite: SuiteProcess;
let browser: Browser;
let j: AppJourney;

beforeAll(async () => {
  [suite, browser] = await Promise.all([startSuiteProcess({ DEMO: 'true' }), launchBrowser()]);
  j = new AppJourney(browser, suite, 'wallet');
});
afterAll(async () => {
  await j?.close();
  await browser?.close();
  await suite?.stop();
});

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

describe('the wallet history filters', () => {
  it('fit their card on a phone and on a desktop', async () => {
    for (const phone of [true, false]) {
      const page = await j.as('citizen-zhang', '/history', phone);
      const out = await overflowing(page);
      if (out.length > 0) await saveScreenshot(page, `wallet-history-filters-${phone ? 'phone' : 'desktop'}`);
      expect(out).toEqual([]);
    }
    expect(j.errors).toEqual([]);
  });
});
