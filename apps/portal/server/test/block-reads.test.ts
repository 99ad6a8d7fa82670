// The embedded suite reads each block from the node once for all its indexers (wallet, explorer, food,
// and any other app that declares one): one feed, shared. The portal's /healthz reports what the feed
// has read and handed out; once every indexer is at the head, every height has been read exactly once
// and handed to each indexer once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@gongxin/config';
import { createLogger } from '@gongxin/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteApps } from '../src/apps';
import { type RunningSuite, startSuite } from '../src/suite';

const dataDir = mkdtempSync(path.join(tmpdir(), 'gongxin-block-reads-'));
let suite: RunningSuite;

beforeAll(async () => {
  // DEMO on: the food demo is seeded in the background, so blocks commit while indexers follow.
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', DEMO: 'true', DATABASE_URL: '', MQTT_URL: '' });
  suite = await startSuite(config, createLogger({ name: 'block-reads', level: 'silent' }));
}, 120_000);

afterAll(async () => {
  await suite?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Health {
  checks: Record<string, { ok: boolean; detail?: Record<string, number> }>;
}

const health = async (prefix: string) =>
  (await (await fetch(`${suite.url}${prefix}/healthz`)).json()) as Health;

describe('the embedded suite', () => {
  it('reads each block once for all indexers', async () => {
    const withIndexer: string[] = [];
    for (const app of suiteApps) {
      if ((await health(`/${app.id}`)).checks.indexer) withIndexer.push(app.id);
    }
    expect(withIndexer).toEqual(expect.arrayContaining(['wallet', 'explorer', 'food']));

    // Quiet: every indexer at the chain's head, and the head unchanged since the last look.
    let head = -1;
    let stats: Record<string, number> | undefined;
    for (const until = Date.now() + 120_000; Date.now() < until; ) {
      const chain = (await health('')).checks.chain?.detail?.height ?? 0;
      const heights = await Promise.all(
        withIndexer.map(async (id) => (await health(`/${id}`)).checks.indexer?.detail?.height),
      );
      stats = (await health('')).checks.feed?.detail;
      const after = (await health('')).checks.chain?.detail?.height;
      if (chain > 1 && chain === head && after === chain && heights.every((h) => h === chain)) break;
      head = chain;
      await new Promise((r) => setTimeout(r, 1000));
    }
    console.log(`${withIndexer.join(', ')} at block ${head}; the feed: ${JSON.stringify(stats)}`);
    expect(head).toBeGreaterThan(1);
    expect(stats).toMatchObject({ blocksRead: head, readers: withIndexer.length });
    expect(stats?.blocksDelivered).toBe(head * withIndexer.length);
  }, 240_000);
});
