// A payment accepted but not yet sent when the node is killed. Bob's node runs as its own process; Alice's
// node is not up yet, so Bob's first payment to her is signed and sent but never acknowledged, and his
// second waits in the queue behind it: its record is in his log, its operation in no signed batch. Bob is
// killed with SIGKILL while the second's caller still waits, and starts again from his log: the first is
// in flight again, the second is in his history as failed ("the node stopped before it was sent", counted
// as `not_sent`) and its id is free, so the payer's retry with the same id is taken; once Alice is up both
// arrive, each exactly once. In process: `pay` never answers "still in flight" before the payment's record
// is durable, and the log commits a write with the history rows of the same input.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOCK_LIMIT, NOT_SENT } from '@gongxin/channels';
import { createChainClient } from '@gongxin/client';
import { openDatabase } from '@gongxin/db';
import { toHex } from '@gongxin/ledger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelLog, ChannelNodeRuntime, failureCode, type PaymentView } from '../src';
import { type ChannelTestChain, startChannelTestChain } from './chain';
import { type Child, call, startChild } from './child';
import { sample, scrape } from './prom';

const ALICE = 61;
const BOB = 62;
const CAROL = 63;
const ABSENT = 64;

let chain: ChannelTestChain;
const closers: (() => Promise<unknown>)[] = [];

async function until(what: string, predicate: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  chain = await startChannelTestChain([ALICE, BOB, CAROL]);
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  await chain?.close();
});

interface StatusJson {
  address: string;
  linkPort: number;
  stats: { log: { writes: number }; machine: { unsentAtRestart: number } };
}

type PaymentJson = { id: string; outcome: string; amount: string; reason?: string; direction: string };

describe('kill -9 of a channel node with a payment queued', () => {
  it('reports the payment failed after the restart, with its reason, and takes a retry with the same id', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gongxin-channel-unsent-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const keyFile = path.join(dir, 'key.json');
    writeFileSync(keyFile, JSON.stringify({ privateKey: toHex(chain.account(BOB).privateKey) }));
    const args = ['--chain', chain.url, '--key-file', keyFile, '--data-dir', dir, '--listen', '0'];
    const stderr: string[] = [];
    let bob: Child = await startChild(args, stderr);
    closers.push(async () => {
      bob.proc.kill('SIGKILL');
      await bob.exited;
    });
    const alice = chain.account(ALICE);
    const { channel } = await call<{ channel: string }>(bob.api, '/open', {
      peer: alice.address,
      peerKey: toHex(alice.publicKey),
      deposits: [{ symbol: 'CNYX', amount: '10000' }],
    });
    const pay = (id: string, amount: number) =>
      fetch(`${bob.api}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ payee: alice.address, asset: 'CNYX', amount: String(amount), id }),
      });

    // The first payment is signed, written and sent (it waits in the outbox for Alice's link).
    const first = pay('first-payment', 10).catch((error: Error) => error);
    await until(
      'the first batch sent',
      async () => (sample(await scrape(bob.api), 'gongxin_channel_link_outbox') ?? 0) >= 1,
    );
    // The second waits behind it; its caller waits too. Once every write asked for so far is committed,
    // its record is in the log.
    const writesBefore = (await call<StatusJson>(bob.api, '/status')).stats.log.writes;
    const second = pay('queued-payment', 20).catch((error: Error) => error);
    let asked = writesBefore;
    await until('the second payment asked for its write', async () => {
      asked = (await call<StatusJson>(bob.api, '/status')).stats.log.writes;
      return asked > writesBefore;
    });
    await until(
      'every write committed',
      async () => (sample(await scrape(bob.api), 'gongxin_channel_log_commit_writes_sum') ?? 0) >= asked,
    );

    bob.proc.kill('SIGKILL');
    await bob.exited;
    // Neither caller got an answer: the connection closed under them.
    expect(await first).toBeInstanceOf(Error);
    expect(await second).toBeInstanceOf(Error);

    bob = await startChild(args, stderr);
    const { payments } = await call<{ payments: PaymentJson[] }>(bob.api, '/payments');
    expect(payments.filter((p) => p.id === 'queued-payment')).toEqual([
      expect.objectContaining({ outcome: 'failed', amount: '20', reason: NOT_SENT, direction: 'out' }),
    ]);
    expect(payments.filter((p) => p.id === 'first-payment')).toEqual([
      expect.objectContaining({ outcome: 'started', amount: '10' }),
    ]);
    const metrics = await scrape(bob.api);
    expect(sample(metrics, 'gongxin_channel_payments_total', { outcome: 'failed', reason: 'not_sent' })).toBe(
      1,
    );
    expect(sample(metrics, 'gongxin_channel_payments_in_flight')).toBe(1);
    expect((await call<StatusJson>(bob.api, '/status')).stats.machine.unsentAtRestart).toBe(1);

    // The payer retries with the same id: taken (no duplicate_id). Alice comes up and links to Bob.
    const retry = pay('queued-payment', 20);
    await until('the retry in flight', async () => {
      const page = await call<{ payments: PaymentJson[] }>(bob.api, '/payments');
      return page.payments.some((p) => p.id === 'queued-payment' && p.outcome === 'started');
    });
    const aliceDb = await openDatabase({ memory: true });
    closers.push(() => aliceDb.close());
    const aliceNode = await ChannelNodeRuntime.start({
      database: aliceDb,
      client: createChainClient({ url: chain.url, suite: chain.suite }),
      suite: chain.suite,
      privateKey: alice.privateKey,
      peers: [`ws://127.0.0.1:${bob.linkPort}`],
    });
    closers.push(() => aliceNode.stop());
    const answered = await retry;
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({ id: 'queued-payment', outcome: 'completed' });
    await until('the first payment to complete', async () => {
      const page = await call<{ payments: PaymentJson[] }>(bob.api, '/payments');
      return page.payments.some((p) => p.id === 'first-payment' && p.outcome === 'completed');
    });
    // Alice received each payment once: 30 in all.
    await until('Alice to hold both', () => aliceNode.channels().some((c) => c.id === channel));
    await until(
      'Alice to hold both',
      () => aliceNode.channels().find((c) => c.id === channel)?.assets.CNYX?.in.transferred === 30n,
    );
    const received = (await aliceNode.payments(50)).payments.filter((p) => p.outcome === 'received');
    expect(received.map((p) => [p.id, p.amount]).sort()).toEqual([
      ['first-payment', 10n],
      ['queued-payment', 20n],
    ]);
  });
});

describe('a payment under way', () => {
  it('is answered "still in flight" only once its record is durable', async () => {
    const database = await openDatabase({ memory: true });
    closers.push(() => database.close());
    // A slow disk: every commit takes 1.5 s. A channel to an account that runs no node.
    const carol = await ChannelNodeRuntime.start({
      database,
      client: createChainClient({ url: chain.url, suite: chain.suite }),
      suite: chain.suite,
      privateKey: chain.account(CAROL).privateKey,
      payWaitMs: 50,
      commitDelayMs: 1_500,
    });
    closers.push(() => carol.stop());
    const absent = chain.account(ABSENT);
    await carol.open({ address: absent.address, publicKey: absent.publicKey }, [
      { symbol: 'CNYX', amount: 1_000n },
    ]);
    await carol.log.flush();
    const started = Date.now();
    const view: PaymentView = await carol.pay(
      { payee: absent.address, asset: 'CNYX', amount: 5n },
      'slow-disk-01',
    );
    expect(view).toMatchObject({ id: 'slow-disk-01', outcome: 'started' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(carol.waiting()).toBe(0);
  });
});

describe('the log', () => {
  it('commits a write and the history rows asked for with it in one transaction', async () => {
    const database = await openDatabase({ memory: true });
    closers.push(() => database.close());
    const log = await ChannelLog.open(database, 'node-1');
    await log.load();
    const row = {
      seq: 1,
      id: 'history-01',
      direction: 'out' as const,
      asset: 'CNYX',
      amount: 5n,
      outcome: 'failed' as const,
      reason: NOT_SENT,
      at: Date.now(),
    };
    log.appendPayment(row);
    await log.append([{ t: 'unsent', id: 'history-01' }]);
    await log.flush();
    expect(log.counters).toMatchObject({ commits: 1, historyCommits: 0 });
    expect(await log.payments(10)).toEqual([row]);
  });
});

describe('failure codes', () => {
  it('name a payment never sent and a lock refused at the limit', () => {
    expect(failureCode(NOT_SENT)).toBe('not_sent');
    expect(failureCode(LOCK_LIMIT)).toBe('lock_limit');
  });
});
