// runStandalone: one app on its own port against a chain over HTTP (CHAIN_URL), as outside the portal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { accountFromPrivateKey, createChainClient, createWallet } from '@gongxin/client';
import { startTestChain, type TestChain } from '@gongxin/node/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStandalone, StandaloneConfigError } from '../src/standalone';
import { TEST_SUITE_SECRET } from '../src/testing';
import { fakeWebDist, welfareApp } from './fixture/app';

let chain: TestChain;
let dataDir: string;

beforeAll(async () => {
  chain = await startTestChain();
  dataDir = mkdtempSync(path.join(tmpdir(), 'appkit-standalone-'));
});
afterAll(async () => {
  await chain?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('runStandalone', () => {
  it('serves the app on its own port, indexing the chain over its API', async () => {
    const env = {
      CHAIN_URL: chain.url,
      SUITE_SECRET: TEST_SUITE_SECRET,
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
    };
    const app = await runStandalone(welfareApp(fakeWebDist()), { env });
    try {
      expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/welfare\/$/);
      const wallet = createWallet(
        createChainClient({ url: chain.url }),
        accountFromPrivateKey(chain.suite, chain.account(1).privateKey),
      );
      const sent = await wallet.send([{ contract: 'counter', name: 'add', params: { by: 1 } }]);
      // The indexer follows the remote chain: /healthz shows it caught up.
      let health: { checks: { indexer: { detail?: { height: number } } } } | undefined;
      for (let i = 0; i < 100; i++) {
        health = (await (await fetch(`${app.url}healthz`)).json()) as typeof health;
        if ((health?.checks.indexer.detail?.height ?? 0) >= sent.height) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(health?.checks.indexer.detail?.height).toBeGreaterThanOrEqual(sent.height);
      const hello = await fetch(`${app.url}api/trpc/hello`);
      expect(await hello.json()).toMatchObject({ result: { data: { user: null } } });
      // Idle connections are held a minute, so a client reusing one does not meet it closing.
      expect(hello.headers.get('keep-alive')).toBe('timeout=65');
      // The deployment clock its pages read: the wall clock here (no host sets another).
      const before = Date.now();
      const clock = (await (await fetch(`${app.url}api/clock`)).json()) as { now: number };
      expect(clock.now).toBeGreaterThanOrEqual(before);
      expect(clock.now).toBeLessThanOrEqual(Date.now());
      const root = await fetch(new URL('/', app.url), { redirect: 'manual' });
      expect(root.headers.get('location')).toBe('/welfare/');
    } finally {
      await app.close();
    }
  });

  it('refuses to start without CHAIN_URL or a suite secret, naming the setting', async () => {
    const base = { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    await expect(
      runStandalone(welfareApp(fakeWebDist()), { env: { ...base, SUITE_SECRET: TEST_SUITE_SECRET } }),
    ).rejects.toThrow(StandaloneConfigError);
    await expect(
      runStandalone(welfareApp(fakeWebDist()), { env: { ...base, CHAIN_URL: chain.url } }),
    ).rejects.toThrow(/SUITE_SECRET/);
  });
});
