// When a browser test fails, what each open page showed at that moment: its URL, the start of its visible
// text and a full-page screenshot (artifacts/screenshots/failed-<test>-<n>.png). A wait that times out
// says what it waited for, not what the page showed instead (a login page, an error, a section missing);
// this report, printed beside the failure, does.
import { beforeEach } from 'vitest';
import { openBrowsers, saveScreenshot } from './harness';

/** Visible text kept per page: enough to see which view, which section and which message it showed. */
const TEXT_CHARS = 1_500;

/** A file-name-safe slug of a test's name. */
export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'test'
  );
}

/** The report's lines for every page of every open browser. Never throws: a page may be closing. */
export async function describeOpenPages(test: string): Promise<string[]> {
  const lines: string[] = [];
  let n = 0;
  for (const browser of openBrowsers) {
    for (const context of browser.contexts()) {
      for (const page of context.pages()) {
        n++;
        const text = await page
          .evaluate(() => document.body?.innerText ?? '')
          .then((t) => t.replace(/\s+/g, ' ').trim().slice(0, TEXT_CHARS))
          .catch((e: Error) => `(text not readable: ${e.message})`);
        const shot = await saveScreenshot(page, `failed-${slug(test)}-${n}`).catch(
          (e: Error) => `(no screenshot: ${e.message})`,
        );
        lines.push(`page ${n}: ${page.url()}`, `  text: ${text}`, `  screenshot: ${shot}`);
      }
    }
  }
  return lines;
}

beforeEach(({ task, onTestFailed }) => {
  onTestFailed(async () => {
    const lines = await describeOpenPages(task.name);
    console.error([`what the open pages showed when "${task.name}" failed:`, ...lines].join('\n'));
  });
});
