// The demo suite runs a hub of the superconducting network on its own address: two citizens' channel
// nodes link to it at /channels/link, open channels it matches, and pay each other through it at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChannelNodeRuntime } from '@gongxin/channel-node';
import { createChainClient } from '@gongxin/client';
import { loadConfig } from '@gongxin/config';
import { type Database, openDatabase } from '@gongxin/db';
import { fromHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { demoAccounts } from '@gongxin/passport-server';
import { createLogger } from '@gongxin/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_MAX_DEPOSIT, type RunningSuite, startSuite } from '../src/suite';

const dataDir = mkdtempSync(path.join(tmpdir(), 'gongxin-hub-'));
const crypto = getSuite('ed25519-sha256');
let suite: RunningSuite;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', DEMO: 'true', DATABASE_URL: '', MQTT_URL: '' });
  suite = await startSuite(config, createLogger({ name: 'channel-hub', level: 'silent' }));
}, 300_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  await suite?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function until(what: string, ok: () => boolean, ms = 60_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the suite’s channel hub', () => {
  it('says where it is, matches deposits and carries a payment between two citizens', async () => {
    const res = await fetch(`${suite.url}/channels/hub`);
    expect(res.status).toBe(200);
    const hub = (await res.json()) as { address: string; publicKey: string; link: string };
    const hubAccount = demoAccounts(crypto).find((a) => a.id === 'channel-hub')!;
    expect(hub).toMatchObject({ address: hubAccount.address, publicKey: hubAccount.publicKey });
    expect(hub.link).toMatch(/^ws:\/\/.+\/channels\/link$/);

    const client = createChainClient({ url: `${suite.url}/chain`, suite: crypto });
    const start = async (id: string) => {
      const database: Database = await openDatabase({ memory: true });
      const node = await ChannelNodeRuntime.start({
        database,
        client,
        suite: crypto,
        privateKey: fromHex(demoAccounts(crypto).find((a) => a.id === id)!.privateKey),
        peers: [`${new URL(suite.url).origin.replace(/^http/, 'ws')}/channels/link`],
      });
      closers.push(
        () => database.close(),
        () => node.stop(),
      );
      return node;
    };
    const [zhang, li] = [await start('citizen-zhang'), await start('citizen-li')];
    const peer = { address: hub.address, publicKey: fromHex(hub.publicKey) };
    const deposit = HUB_MAX_DEPOSIT / 2n;
    const [zc, lc] = await Promise.all(
      [zhang, li].map((n) => n.open(peer, [{ symbol: 'CNYD', amount: deposit }])),
    );
    await until(
      'both linked to the hub',
      () => zhang.links.isLinked(hub.address) && li.links.isLinked(hub.address),
    );
    await until('the hub to match both deposits', () =>
      [
        [zhang, zc],
        [li, lc],
      ].every(
        ([n, id]) =>
          (n as ChannelNodeRuntime).channels().find((c) => c.id === id)?.assets.CNYD?.peerDeposit === deposit,
      ),
    );

    const paid = await zhang.pay(li.invoice('CNYD', 1_234n));
    expect(paid).toMatchObject({ outcome: 'completed', hops: 2 });
    await until('li to record it', () =>
      li.paymentList().some((p) => p.id === paid.id && p.outcome === 'received'),
    );
    expect(li.channels().find((c) => c.id === lc)!.assets.CNYD!.in.transferred).toBe(1_234n);
  }, 180_000);

  it('drops a link that sends garbage instead of the handshake', async () => {
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(`${new URL(suite.url).origin.replace(/^http/, 'ws')}/channels/link`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => {
        ws.send('not a frame');
        resolve();
      });
      ws.once('error', reject);
    });
    const closed = await new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    expect(closed).toBeGreaterThan(0);
  });

  it('shows the hub on the suite’s /metrics: its channels, links and the garbage it dropped', async () => {
    const text = await (await fetch(`${suite.url}/metrics`)).text();
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(value('gongxin_channel_channels{state="open"}')).toBe(2);
    expect(value('gongxin_channel_links')).toBe(2);
    expect(value('gongxin_bad_input_total{source="channel-link",reason="bad_frame"}')).toBe(1);
    expect(value('gongxin_channel_log_writes_total')).toBeGreaterThan(0);
  });
});
