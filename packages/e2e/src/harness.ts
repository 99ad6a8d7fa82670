// Browser tests drive Debian's Chromium through playwright-core against the suite started exactly as a
// newcomer starts it (`tsx apps/portal/server/src/main.ts`, embedded defaults), each run in a fresh data dir.
// It never downloads a browser: the binary comes from the system (CHROMIUM_PATH, default /usr/bin/chromium).
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page, selectors } from 'playwright-core';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const artifactsDir = path.join(repoRoot, 'artifacts');

const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  // Pages mark what tests look for with data-test, the suite's one convention for it.
  selectors.setTestIdAttribute('data-test');
  const browser = await chromium.launch({ executablePath, args: chromiumFlags });
  openBrowsers.add(browser);
  browser.on('disconnected', () => openBrowsers.delete(browser));
  return browser;
}

/** The browsers launched and not yet closed: what a failed test's report looks at. */
export const openBrowsers = new Set<Browser>();

export interface SuiteProcess {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Spawns the suite as `npm start` runs it (after the build): on a free port and `dataDir`, the embedded
 * database and broker, quiet logs, with `env` on top.
 */
export function spawnSuite(
  dataDir: string,
  env: Record<string, string>,
  options: Pick<SpawnOptions, 'stdio' | 'detached'>,
): ChildProcess {
  return spawn(
    process.execPath,
    [path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), 'apps/portal/server/src/main.ts'],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        DATABASE_URL: '',
        MQTT_URL: '',
        ...env,
      },
      ...options,
    },
  );
}

/** Start the suite as `npm start` does (after the build), on a free port and a throw-away data dir. */
export async function startSuiteProcess(
  env: Record<string, string> = {},
  timeoutMs = 180_000,
): Promise<SuiteProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gongxin-e2e-'));
  const child = spawnSuite(dataDir, env, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`suite did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = () => {
      const match = output.match(/is running at (http:\/\/\S+)/);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`suite exited with code ${code} before starting:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Save a full-page screenshot under artifacts/screenshots/ and return its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(artifactsDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  // From the top: a page scrolled by the journey would show its sticky header in the middle of the
  // full-page image, over the content it scrolled past.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
