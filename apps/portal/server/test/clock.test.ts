// The portal serves the deployment clock where its page reads it, /portal/api/clock, as app-kit serves it
// for every app at /<app>/api/clock: the same clock, never cached. Without it the page's times would be
// measured from the device's clock, and the page's own catch-all would answer the path with index.html.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@gongxin/config';
import { createLogger } from '@gongxin/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSuite, startSuite } from '../src/suite';

const dataDir = mkdtempSync(path.join(tmpdir(), 'gongxin-portal-clock-'));
const DAY = 86_400_000;
const start = Date.now() - 3 * DAY;
let running: RunningSuite;

beforeAll(async () => {
  const config = loadConfig({
    NODE_ENV: 'test',
    DEMO: 'false',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    CLOCK_START: new Date(start).toISOString(),
  });
  running = await startSuite(config, createLogger({ name: 'portal-clock-test', level: 'silent' }));
}, 120_000);

afterAll(async () => {
  await running?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the portal's deployment clock", () => {
  it('answers at /portal/api/clock with the suite clock, uncached, as every app does', async () => {
    const res = await fetch(`${running.url}/portal/api/clock`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { now } = (await res.json()) as { now: number };
    // A rehearsal started three days back: the clock is there, not at this machine's now.
    expect(now).toBeGreaterThanOrEqual(start);
    expect(now).toBeLessThan(Date.now() - 2 * DAY);
    const suite = (await (await fetch(`${running.url}/clock`)).json()) as { now: number };
    const app = (await (await fetch(`${running.url}/passport/api/clock`)).json()) as { now: number };
    expect(Math.abs(suite.now - now)).toBeLessThan(60_000);
    expect(Math.abs(app.now - now)).toBeLessThan(60_000);
  });
});
