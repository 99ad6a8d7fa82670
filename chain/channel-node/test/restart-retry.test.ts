// A payer killed with SIGKILL in the middle of a payment's failure or retry goes on with it after the
// restart. Alice's node runs as its own process; the hubs and Carol run here. Alice reaches Carol through
// dry hubs (the router's choice: large channels, but only Carol's deposit in them, so a lock fails there
// with a signed `no_capacity`) and through a small hub that can carry it.
//   - The failure arrives, Alice signs the lock's removal, and is killed before the dry hub acknowledges
//     it: after the restart the payment's failure still says where and why (the retry is counted by it),
//     and the payment goes on as its next attempt through the small hub.
//   - Attempt 1 failed at the first dry hub before the restart and attempt 2 is in flight to the second
//     (not linked yet) when Alice is killed: after the restart attempt 2 fails there, and attempt 3 goes
//     around BOTH failed hops (the first is no longer in any memory but the payment's record), within the
//     payment's attempts.
// Each time Carol is paid once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toHex } from '@gongxin/ledger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelNodeRuntime, formatInvoice, type PaymentView } from '../src';
import { type ChannelTestChain, startChannelTestChain } from './chain';
import { type Child, call, startChild } from './child';
import { TestNodes, until } from './hubs';
import { sample, scrape } from './prom';

const ALICE = 81;
const DRY1 = 82;
const DRY2 = 83;
const HUB = 84;
const CAROL = 85;

let chain: ChannelTestChain;
let nodes: TestNodes;
let carol: ChannelNodeRuntime;
let dry1: ChannelNodeRuntime;
let dry2: ChannelNodeRuntime;
let hub: ChannelNodeRuntime;
let alice: Child;
let aliceAddress: string;
let baseArgs: string[];
const stderr: string[] = [];
const closers: (() => Promise<unknown>)[] = [];

interface StatusJson {
  channels: { id: string; peer: string; assets: { PTS: { out: { nonce: number; locked: string } } } }[];
  stats: { log: { writes: number }; chain: { events: number }; links: { peers: string[] } };
}
type PaymentJson = { id: string; outcome: string; reason?: string; route?: string[]; peer?: string };

const status = () => call<StatusJson>(alice.api, '/status');
const payments = async () => (await call<{ payments: PaymentJson[] }>(alice.api, '/payments')).payments;

/** Every write Alice's node asked for so far is committed. */
async function committed(): Promise<void> {
  const asked = (await status()).stats.log.writes;
  await until(
    'every write committed',
    async () => (sample(await scrape(alice.api), 'gongxin_channel_log_commit_writes_sum') ?? 0) >= asked,
  );
}

/**
 * Once `node` has sent Alice a `fail`, the acknowledgements it sends her are lost until released (Alice
 * sends an unacknowledged batch again every second: the one after the release is acknowledged).
 */
function holdAcksAfterFail(node: ChannelNodeRuntime): { release: () => void; failed: () => boolean } {
  const links = node.links;
  const send = links.send.bind(links);
  let failed = false;
  links.send = (to, msg) => {
    if (to === aliceAddress) {
      if (msg.t === 'fail') failed = true;
      else if (failed && msg.t === 'ack') return;
    }
    send(to, msg);
  };
  return { release: () => (links.send = send), failed: () => failed };
}

/**
 * Alice is killed with SIGKILL and started again with `extra` arguments; unless `now`, the test waits
 * until she has read the chain's events again (her channel graph is rebuilt from them).
 */
async function killAndRestart(extra: string[] = [], now = false): Promise<void> {
  const events = (await status()).stats.chain.events;
  alice.proc.kill('SIGKILL');
  await alice.exited;
  alice = await startChild([...baseArgs, ...extra], stderr);
  if (now) return;
  await until('the chain events read again', async () => (await status()).stats.chain.events >= events);
  await new Promise((r) => setTimeout(r, 500));
}

/** Alice's view of her channel to `peer`. */
async function toPeer(peer: string) {
  return (await status()).channels.find((c) => c.peer === peer)!.assets.PTS.out;
}

const payCarol = (amount: bigint, id: string) =>
  fetch(`${alice.api}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ invoice: formatInvoice(carol.invoice('PTS', amount)), id }),
  }).catch((error: Error) => error);

async function receivedByCarol(id: string): Promise<PaymentView[]> {
  return (await carol.payments(500)).payments.filter((p) => p.id === id);
}

beforeAll(async () => {
  chain = await startChannelTestChain([ALICE, DRY1, DRY2, HUB, CAROL]);
  nodes = new TestNodes(chain);
  carol = await nodes.start(CAROL, { port: 0 });
  const carolUrl = `ws://127.0.0.1:${carol.port}`;
  dry1 = await nodes.start(DRY1, { port: 0, peers: [carolUrl] });
  dry2 = await nodes.start(DRY2, { port: 0, peers: [carolUrl] });
  hub = await nodes.start(HUB, { port: 0, peers: [carolUrl] });
  const dir = mkdtempSync(path.join(tmpdir(), 'gongxin-channel-restart-retry-'));
  closers.push(async () => rmSync(dir, { recursive: true, force: true }));
  const keyFile = path.join(dir, 'key.json');
  writeFileSync(keyFile, JSON.stringify({ privateKey: toHex(chain.account(ALICE).privateKey) }));
  // Alice links to the first dry hub and the small hub; the second dry hub only after a restart. Her
  // router forgets failed hops at once: only what a payment keeps of its own keeps a retry off them.
  // Her hop delta of 30 s gives a payment 120 s to finish: a kill -9 and restart under load took more
  // than half of the default 40 s, and a retry then had no time left for the two hops through the hub.
  baseArgs = [
    ...['--chain', chain.url, '--key-file', keyFile, '--data-dir', dir, '--failure-memory-ms', '1'],
    ...['--hop-delta-ms', '30000'],
    ...['--peer', `ws://127.0.0.1:${dry1.port}`, '--peer', `ws://127.0.0.1:${hub.port}`],
  ];
  aliceAddress = chain.account(ALICE).address;
  alice = await startChild(baseArgs, stderr);
  closers.push(async () => {
    alice.proc.kill('SIGKILL');
    await alice.exited;
  });
}, 120_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  await nodes?.stop();
  await chain?.close();
});

/** Alice's channel to a hub with her deposit, known to her node. */
async function aliceOpens(seed: number, amount: bigint): Promise<string> {
  const { channel } = await call<{ channel: string }>(alice.api, '/open', {
    peer: nodes.key(seed).address,
    peerKey: toHex(nodes.key(seed).publicKey),
    deposits: [{ symbol: 'PTS', amount: String(amount) }],
  });
  await until('Alice to know her channel', async () =>
    (await status()).channels.some((c) => c.id === channel),
  );
  return channel;
}

describe('kill -9 of a payer in the middle of a failure or a retry', () => {
  it('keeps a failure that came before the restart, and tries the next attempt after it', async () => {
    // Only Carol's deposit between her and the first dry hub; the small hub can carry 1,000.
    await carol.open(nodes.key(DRY1), [{ symbol: 'PTS', amount: 10_000n }]);
    await hub.open(nodes.key(CAROL), [{ symbol: 'PTS', amount: 1_000n }]);
    await aliceOpens(HUB, 1_000n);
    // Alice's last channel: her graph holds the others once she knows it (events are read in order).
    await aliceOpens(DRY1, 10_000n);
    await until('links', () => dry1.links.peers().length === 2 && hub.links.peers().length === 2);

    const held = holdAcksAfterFail(dry1);
    const pending = payCarol(100n, 'restart-failure-1');
    // The dry hub failed the lock; Alice signed its removal (it is not acknowledged) and wrote it.
    await until('the removal signed', async () => {
      const out = await toPeer(dry1.address);
      return held.failed() && out.nonce === 2 && out.locked === '0';
    });
    await committed();
    expect((await payments()).find((p) => p.id === 'restart-failure-1')).toMatchObject({
      outcome: 'started',
    });

    // The acknowledgement goes through as soon as Alice is back, before she has read the chain's events
    // again: the retry waits for her route map, and then takes the small hub.
    await killAndRestart([], true);
    held.release();
    expect(await pending).toBeInstanceOf(Error);
    await until('the payment to end', async () =>
      (await payments()).some((p) => p.id === 'restart-failure-1' && p.outcome !== 'started'),
    );
    const [paid] = (await payments()).filter((p) => p.id === 'restart-failure-1');
    expect(paid).toMatchObject({ outcome: 'completed', route: [hub.address, carol.address] });
    // The retry after the restart went by the failure the dry hub signed before it.
    const metrics = await scrape(alice.api);
    expect(sample(metrics, 'gongxin_channel_payment_retries_total', { reason: 'no_capacity' })).toBe(1);
    expect(
      sample(metrics, 'gongxin_channel_payment_retries_total', { reason: 'unattributed' }),
    ).toBeUndefined();
    expect((await payments()).filter((p) => p.id === 'restart-failure-1')).toHaveLength(1);
    await until('Carol’s history', async () => (await receivedByCarol('restart-failure-1')).length > 0);
    expect(await receivedByCarol('restart-failure-1')).toEqual([
      expect.objectContaining({ outcome: 'received', amount: 100n }),
    ]);
  });

  it('goes on with a payment retried before the restart, around every hop it failed at', async () => {
    // A second dry hub, second in the router's choice (its channels are smaller than the first's).
    await carol.open(nodes.key(DRY2), [{ symbol: 'PTS', amount: 5_000n }]);
    await aliceOpens(DRY2, 5_000n);

    const pending = payCarol(100n, 'restart-retry-1');
    // Attempt 1 failed at the first dry hub; attempt 2 went out to the second (no link to it yet).
    await until('attempt 2 signed', async () => (await toPeer(dry2.address)).locked === '100');
    await until('attempt 2 under way', async () =>
      (await payments()).some((p) => p.id === 'restart-retry-1' && p.peer === dry2.address),
    );
    await committed();

    const held = holdAcksAfterFail(dry2);
    await killAndRestart(['--peer', `ws://127.0.0.1:${dry2.port}`]);
    expect(await pending).toBeInstanceOf(Error);
    // Back up, Alice sends attempt 2 again; the second dry hub fails it.
    await until('the second dry hub to fail it', () => held.failed());
    held.release();
    await until('the payment to end', async () =>
      (await payments()).some((p) => p.id === 'restart-retry-1' && p.outcome !== 'started'),
    );
    const [paid] = (await payments()).filter((p) => p.id === 'restart-retry-1');
    // A failure names its reason and the attempts' hops (a run under load once ended failed here).
    expect(paid, JSON.stringify({ paid, stderr: stderr.slice(-20) })).toMatchObject({
      outcome: 'completed',
      route: [hub.address, carol.address],
    });
    // Nothing is left locked towards either dry hub; Carol was paid once.
    expect((await toPeer(dry1.address)).locked).toBe('0');
    expect((await toPeer(dry2.address)).locked).toBe('0');
    await until('Carol’s history', async () => (await receivedByCarol('restart-retry-1')).length > 0);
    expect(await receivedByCarol('restart-retry-1')).toEqual([
      expect.objectContaining({ outcome: 'received', amount: 100n }),
    ]);
  });
  it('records a payment that completed just before a kill -9 once, after the restart too', async () => {
    const done = await payCarol(100n, 'restart-done-1');
    expect(done).not.toBeInstanceOf(Error);
    await until('the payment to complete', async () =>
      (await payments()).some((p) => p.id === 'restart-done-1' && p.outcome === 'completed'),
    );
    // Its outcome is in the history; the batch that paid its lock is the newest towards the small hub.
    await committed();
    const dry2Peer = ['--peer', `ws://127.0.0.1:${dry2.port}`];
    await killAndRestart(dry2Peer);
    await until('links to the three hubs', async () => (await status()).stats.links.peers.length === 3);
    // Back up, Alice sends her newest batches again and they are acknowledged again: the outcome they
    // report was recorded before. A payment after them goes once they are acknowledged.
    const next = await payCarol(100n, 'restart-done-2');
    expect(next).not.toBeInstanceOf(Error);
    await until('the next payment to complete', async () =>
      (await payments()).some((p) => p.id === 'restart-done-2' && p.outcome === 'completed'),
    );
    await committed();
    expect((await payments()).filter((p) => p.id === 'restart-done-1')).toEqual([
      expect.objectContaining({ outcome: 'completed' }),
    ]);
    // The restarted node reported one completed payment: the second.
    const metrics = await scrape(alice.api);
    expect(sample(metrics, 'gongxin_channel_payments_total', { outcome: 'completed' })).toBe(1);
    // The history as the log holds it (a node started again reads it back): one row.
    await killAndRestart(dry2Peer, true);
    expect((await payments()).filter((p) => p.id === 'restart-done-1')).toEqual([
      expect.objectContaining({ outcome: 'completed' }),
    ]);
  });
});
