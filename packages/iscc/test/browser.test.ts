// The same conformance vectors in Chromium (Debian's, through playwright-core as the e2e tests drive
// it), from a bundle of the package made by esbuild for the browser; and an opaque PNG decoded by the
// browser's canvas gives the same Image-Code as the Node decoder, so a code shown to an applicant before
// upload matches the one the server recomputes.
import { launchBrowser } from '@gongxin/e2e';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageCodeFromRgba } from '../src/index';
import type { CaseResult } from './conformance';
import vectors from './vectors/iscc-core-data.json' with { type: 'json' };

let browser: Browser;
let page: Page;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [new URL('./browser-entry.ts', import.meta.url).pathname],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome110',
    write: false,
    logLevel: 'silent',
  });
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.setContent('<!doctype html><meta charset="utf-8"><title>ISCC conformance</title>');
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('in Chromium', () => {
  it('reproduces every Text, Image, Data and Instance vector', async () => {
    const userAgent = await page.evaluate(
      () => (globalThis as unknown as { isccUserAgent: string }).isccUserAgent,
    );
    expect(userAgent).toMatch(/Chrome\//);
    const results = await page.evaluate(() =>
      (globalThis as unknown as { isccConformance: () => Promise<CaseResult[]> }).isccConformance(),
    );
    const sections = ['gen_text_code_v0', 'gen_image_code_v0', 'gen_data_code_v0', 'gen_instance_code_v0'];
    const total = sections.reduce((n, s) => n + Object.keys((vectors as never)[s]).length, 0);
    expect(results).toHaveLength(total);
    for (const r of results) expect(r.actual, `${r.section} ${r.name}`).toEqual(r.expected);
  });

  it('decodes a PNG with the canvas to the Image-Code Node computes from pngjs', async () => {
    const png = new PNG({ width: 120, height: 90 });
    for (let y = 0; y < 90; y++)
      for (let x = 0; x < 120; x++) {
        const i = (y * 120 + x) * 4;
        png.data[i] = (x * 2) & 255;
        png.data[i + 1] = (y * 3 + ((x * y) % 17)) & 255;
        png.data[i + 2] = ((x - 60) ** 2 + (y - 45) ** 2 < 900 ? 230 : 40) & 255;
        png.data[i + 3] = 255;
      }
    const file = PNG.sync.write(png);
    const decoded = PNG.sync.read(file);
    const inNode = imageCodeFromRgba({
      width: decoded.width,
      height: decoded.height,
      data: decoded.data,
    }).iscc;
    const inBrowser = await page.evaluate(
      (b64) =>
        (globalThis as unknown as { isccImageCodeOfPng: (s: string) => Promise<string> }).isccImageCodeOfPng(
          b64,
        ),
      file.toString('base64'),
    );
    expect(inBrowser).toBe(inNode);
  });
});
