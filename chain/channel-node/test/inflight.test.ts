// Payments in flight across a restart, and the limit on payments in flight to one peer. Alice pays Bob
// while his node is down: a hash-locked payment to his invoice and one on a hashlock he does not know.
// Both stay in flight; a third is refused at once (her limit to one peer is two), through the API too
// (429 `peer_busy`, counted). Alice's node restarts from its log: both payments are back in its list of
// payments in flight (the API's, the metrics' gauge) with their amounts, asset, peer and lock expiry,
// still count towards the limit, and when Bob is back one completes and the other is refunded, each
// leaving the list for the history as a payment started in this process would.
import { randomBytes } from 'node:crypto';
import { createChainClient } from '@gongxin/client';
import { type Database, openDatabase } from '@gongxin/db';
import { toHex } from '@gongxin/ledger';
import { createMetrics, type Metrics } from '@gongxin/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChannelApi,
  type ChannelNodeOptions,
  ChannelNodeRuntime,
  type PaymentView,
  serveChannelApi,
} from '../src';
import { type ChannelTestChain, startChannelTestChain } from './chain';
import { sample, scrape } from './prom';

const ALICE = 41;
const BOB = 42;

let chain: ChannelTestChain;
const closers: (() => Promise<unknown>)[] = [];
const problems: string[] = [];

async function until(what: string, predicate: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function startNode(
  seed: number,
  database: Database,
  opts: Omit<Partial<ChannelNodeOptions>, 'database' | 'client' | 'suite' | 'privateKey'> = {},
): Promise<{ node: ChannelNodeRuntime; metrics: Metrics }> {
  const metrics = createMetrics({ defaultMetrics: false });
  const node = await ChannelNodeRuntime.start({
    database,
    client: createChainClient({ url: chain.url, suite: chain.suite }),
    suite: chain.suite,
    privateKey: chain.account(seed).privateKey,
    metrics,
    // Locks that outlive both restarts by far.
    machine: { hopDeltaMs: 120_000 },
    ...opts,
    onProblem: (p) => problems.push(`${seed}: ${p}`),
  });
  closers.push(() => node.stop());
  return { node, metrics };
}

async function history(node: ChannelNodeRuntime): Promise<PaymentView[]> {
  const seen: PaymentView[] = [];
  let page = await node.payments(500);
  seen.push(...page.payments);
  while (page.next !== undefined) {
    page = await node.payments(500, page.next);
    seen.push(...page.payments);
  }
  return seen;
}

beforeAll(async () => {
  chain = await startChannelTestChain([ALICE, BOB]);
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  await chain?.close();
});

describe('payments in flight across a restart, at most so many to one peer', () => {
  it('rebuilds the list of payments in flight from the log and lets them finish', async () => {
    const aliceDb = await openDatabase({ memory: true });
    const bobDb = await openDatabase({ memory: true });
    closers.push(
      () => aliceDb.close(),
      () => bobDb.close(),
    );
    const aliceOpts = { port: 0, maxInFlightPerPeer: 2, payWaitMs: 1_000 };
    let { node: alice } = await startNode(ALICE, aliceDb, aliceOpts);
    const port = alice.port!;
    const link = `ws://127.0.0.1:${port}`;
    let { node: bob } = await startNode(BOB, bobDb, { peers: [link] });
    const channel = await alice.open({ address: bob.address, publicKey: chain.account(BOB).publicKey }, [
      { symbol: 'CNYX', amount: 10_000n },
    ]);
    await until(
      'both to know the channel and the link',
      () => bob.channels().some((c) => c.id === channel) && alice.links.isLinked(bob.address),
    );
    await until('a route', () => alice.graph.route(alice.address, bob.address, 'CNYX', 100n, 1) !== null);
    expect((await alice.pay({ payee: bob.address, asset: 'CNYX', amount: 1n })).outcome).toBe('completed');
    await until('quiet', () => alice.idle() && bob.idle());

    // Bob's invoice is in his log; then his node goes down.
    const invoice = bob.invoice('CNYX', 70n);
    await bob.log.flush();
    await bob.stop();
    await until('the link to drop', () => !alice.links.isLinked(bob.address));

    // Two hash-locked payments in one batch, which Bob never acknowledges while he is down.
    const paid = alice.pay(invoice, 'inflight-paid-01');
    const unknownHash = toHex(new Uint8Array(randomBytes(32)));
    const refunded = alice.pay(
      { payee: bob.address, asset: 'CNYX', amount: 30n, hashlock: unknownHash },
      'inflight-refund-01',
    );
    // The limit: a third payment to Bob is refused at once, and nothing is kept for it.
    await expect(
      alice.pay({ payee: bob.address, asset: 'CNYX', amount: 5n }, 'inflight-busy-01'),
    ).rejects.toEqual(expect.objectContaining({ code: 'peer_busy', busy: { peer: bob.address, max: 2 } }));
    expect(await paid).toMatchObject({ id: 'inflight-paid-01', outcome: 'started', peer: bob.address });
    expect(await refunded).toMatchObject({ id: 'inflight-refund-01', outcome: 'started' });
    expect(alice.inFlightCount()).toBe(2);
    expect(alice.inFlightTo(bob.address)).toBe(2);
    expect(alice.stats().runtime.peerBusy).toBe(1);
    await until(
      'the locks signed and in the log',
      () => !alice.idle() && alice.stats().machine.batchesSent >= 2,
    );
    await alice.log.flush();

    // Alice's node restarts from its log.
    await alice.stop();
    const restarted = await startNode(ALICE, aliceDb, { ...aliceOpts, port });
    alice = restarted.node;
    const api: ChannelApi = await serveChannelApi(alice, { metrics: restarted.metrics });
    closers.push(() => api.close());
    expect(alice.stats().runtime.recoveredInFlight).toBe(2);
    expect(alice.inFlightCount()).toBe(2);
    const page = (await (await fetch(`${api.url}/payments`)).json()) as {
      payments: {
        id: string;
        outcome: string;
        amount: string;
        asset: string;
        peer: string;
        expiry: number;
        hops: number;
        route: string[];
      }[];
    };
    const listed = page.payments.filter((p) => p.outcome === 'started');
    expect(listed.map((p) => p.id).sort()).toEqual(['inflight-paid-01', 'inflight-refund-01']);
    for (const p of listed) {
      expect(p).toMatchObject({ asset: 'CNYX', peer: bob.address, hops: 1, route: [bob.address] });
      expect(p.expiry).toBeGreaterThan(Date.now());
    }
    expect(listed.find((p) => p.id === 'inflight-paid-01')!.amount).toBe('70');
    expect(listed.find((p) => p.id === 'inflight-refund-01')!.amount).toBe('30');
    expect(sample(await scrape(api.url), 'gongxin_channel_payments_in_flight')).toBe(2);
    // They still count towards the limit: through the API, a 429 with its code, counted.
    const busy = await fetch(`${api.url}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payee: bob.address, asset: 'CNYX', amount: '5', id: 'inflight-busy-02' }),
    });
    expect(busy.status).toBe(429);
    expect(await busy.json()).toMatchObject({ code: 'peer_busy', params: { peer: bob.address, max: 2 } });
    expect(api.refusedBy()).toEqual({ peer_busy: 1 });
    const text = await scrape(api.url);
    expect(sample(text, 'gongxin_bad_input_total', { source: 'channel-api', reason: 'peer_busy' })).toBe(1);
    expect(sample(text, 'gongxin_channel_payments_total', { outcome: 'started' })).toBeUndefined();

    // Bob is back: his invoice's payment completes, the other lock is refunded; both leave the list.
    bob = (await startNode(BOB, bobDb, { peers: [link] })).node;
    await until('both payments to finish', () => alice.inFlightCount() === 0);
    const done = await history(alice);
    expect(done.filter((p) => p.id === 'inflight-paid-01')).toEqual([
      expect.objectContaining({ outcome: 'completed', amount: 70n }),
    ]);
    expect(done.filter((p) => p.id === 'inflight-refund-01')).toEqual([
      expect.objectContaining({ outcome: 'failed', amount: 30n }),
    ]);
    expect(done.some((p) => p.id.startsWith('inflight-busy'))).toBe(false);
    expect(alice.inFlightTo(bob.address)).toBe(0);
    const after = await scrape(api.url);
    expect(sample(after, 'gongxin_channel_payments_in_flight')).toBe(0);
    expect(sample(after, 'gongxin_channel_payments_total', { outcome: 'completed' })).toBe(1);
    // Bob refused the lock on a hash he has no invoice for, and said so (signed): the reason is his.
    expect(
      sample(after, 'gongxin_channel_payments_total', { outcome: 'failed', reason: 'unknown_payment' }),
    ).toBe(1);
    // Room again for payments to Bob; the channel's state is the same on both sides.
    expect((await alice.pay({ payee: bob.address, asset: 'CNYX', amount: 5n })).outcome).toBe('completed');
    await until('quiet', () => alice.idle() && bob.idle());
    const a = alice.channels().find((c) => c.id === channel)!.assets.CNYX!;
    const b = bob.channels().find((c) => c.id === channel)!.assets.CNYX!;
    expect(b.in).toEqual(a.out);
    expect(a.out).toMatchObject({ transferred: 76n, locked: 0n });
    expect(alice.waiting()).toBe(0);
  });

  it('refuses a limit that is not a positive integer', async () => {
    const database = await openDatabase({ memory: true });
    closers.push(() => database.close());
    for (const bad of [0, -1, 1.5, Number.NaN])
      await expect(startNode(ALICE, database, { maxInFlightPerPeer: bad })).rejects.toThrow(
        /maxInFlightPerPeer/,
      );
  });
});
