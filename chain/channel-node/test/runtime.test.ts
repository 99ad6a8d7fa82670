// Three channel nodes with real I/O against a real chain: Alice and Bob each have a channel with a hub.
// Payments go directly and through the hub (hash-locked), every acknowledged batch is in the receiver's
// log, the nodes agree on every channel's state, and after closing, the chain pays out exactly what the
// nodes' proofs say, with every asset conserved. Each node's metrics are read as Prometheus scrapes them;
// repeated and malformed payment ids are refused; a payment that never gets an outcome does not keep its
// caller (or anything for it) waiting.
import { createChainClient } from '@gongxin/client';
import { type Database, openDatabase } from '@gongxin/db';
import { encodeCanonical } from '@gongxin/ledger';
import { createMetrics, type Metrics } from '@gongxin/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  type ChannelNodeOptions,
  ChannelNodeRuntime,
  PaymentRefused,
  type PaymentView,
  serveChannelApi,
} from '../src';
import { ASSETS, type ChannelTestChain, startChannelTestChain } from './chain';
import { sample, scrape } from './prom';

const ALICE = 11;
const HUB = 12;
const BOB = 13;
const CAROL = 15;
/** An account that runs no node: a channel to it never acknowledges anything. */
const ABSENT = 16;

let chain: ChannelTestChain;
const databases: Database[] = [];
const nodes: ChannelNodeRuntime[] = [];
const problems: string[] = [];
const metricsOf = new Map<ChannelNodeRuntime, Metrics>();
let alice: ChannelNodeRuntime;
let hub: ChannelNodeRuntime;
let bob: ChannelNodeRuntime;

async function until(what: string, predicate: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function startNode(
  seed: number,
  opts: Omit<Partial<ChannelNodeOptions>, 'database' | 'client' | 'suite' | 'privateKey'> = {},
) {
  const database = await openDatabase({ memory: true });
  databases.push(database);
  const metrics = createMetrics({ defaultMetrics: false });
  const node = await ChannelNodeRuntime.start({
    database,
    client: createChainClient({ url: chain.url, suite: chain.suite }),
    suite: chain.suite,
    privateKey: chain.account(seed).privateKey,
    metrics,
    ...opts,
    onProblem: (p) => problems.push(`${seed}: ${p}`),
  });
  nodes.push(node);
  metricsOf.set(node, metrics);
  return node;
}

/** Every payment in a node's history (paged from its log), newest first. */
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

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

beforeAll(async () => {
  chain = await startChannelTestChain([ALICE, HUB, BOB, CAROL]);
  hub = await startNode(HUB, { port: 0, hub: { maxDeposit: 30_000n } });
  const hubUrl = `ws://127.0.0.1:${hub.port}`;
  alice = await startNode(ALICE, { peers: [hubUrl], recentPayments: 20 });
  bob = await startNode(BOB, { peers: [hubUrl] });
});

afterAll(async () => {
  for (const n of nodes) await n.stop();
  for (const d of databases) await d.close();
  await chain?.close();
});

const key = (seed: number) => ({
  address: chain.account(seed).address,
  publicKey: chain.account(seed).publicKey,
});

describe('channel nodes with real I/O', () => {
  let aliceHub: string;
  let hubBob: string;

  it('opens channels on chain and links the nodes with a signed handshake', async () => {
    aliceHub = await alice.open(key(HUB), [
      { symbol: 'CNYX', amount: 50_000n },
      { symbol: 'PTS', amount: 20_000n },
    ]);
    hubBob = await hub.open(key(BOB), [{ symbol: 'CNYX', amount: 40_000n }]);
    await bob.deposit(hubBob, [{ symbol: 'CNYX', amount: 10_000n }]);
    await until(
      'both parties to know both channels',
      () =>
        [alice, hub].every((n) => n.channels().some((c) => c.id === aliceHub)) &&
        [hub, bob].every((n) => n.channels().some((c) => c.id === hubBob)),
    );
    await until('links', () => hub.links.peers().length === 2);
    // The hub matched Alice's deposits (up to its limit of 30,000) in the channel she opened to it.
    await until('the hub to match Alice’s deposits', () => {
      const assets = alice.channels().find((c) => c.id === aliceHub)?.assets;
      return assets?.CNYX?.peerDeposit === 30_000n && assets.PTS?.peerDeposit === 20_000n;
    });
    expect(new Set(hub.links.peers())).toEqual(new Set([alice.address, bob.address]));
    const view = bob.channels().find((c) => c.id === hubBob)!;
    expect(view.assets.CNYX).toMatchObject({ deposit: 10_000n, peerDeposit: 40_000n, available: 10_000n });
  });

  it('pays a burst directly: many payments per proof, fewer commits than writes, all acknowledged', async () => {
    const before = { ...alice.stats().machine };
    const amounts = Array.from({ length: 300 }, (_, i) => BigInt(1 + (i % 7)));
    const results = await Promise.all(
      amounts.map((amount) => alice.pay({ payee: hub.address, asset: 'CNYX', amount })),
    );
    expect(results.every((r) => r.outcome === 'completed')).toBe(true);
    const total = amounts.reduce((x, y) => x + y, 0n);
    const after = alice.stats().machine;
    // Many payments went under each signature.
    expect(after.batchesSent - before.batchesSent).toBeLessThan(amounts.length / 3);
    await until('quiet', () => alice.idle() && hub.idle());
    const a = alice.channels().find((c) => c.id === aliceHub)!.assets.CNYX!;
    const h = hub.channels().find((c) => c.id === aliceHub)!.assets.CNYX!;
    expect(a.out.transferred).toBe(total);
    expect(h.in).toEqual(a.out);
    expect(h.available).toBe(30_000n + total);
    expect(a.available).toBe(50_000n - total);
    // Group commit: each payment asked is a write (its record), but they reached the database in far
    // fewer transactions.
    const log = alice.stats().log;
    expect(log.writes).toBeGreaterThanOrEqual(amounts.length);
    expect(log.commits).toBeGreaterThan(0);
    expect(log.commits).toBeLessThan(log.writes / 3);
    // Memory holds only the newest payments; the log has every one, paged newest first.
    expect(alice.paymentsHeld()).toBeLessThanOrEqual(20);
    const seen: PaymentView[] = [];
    let page = await alice.payments(64);
    seen.push(...page.payments);
    while (page.next !== undefined) {
      page = await alice.payments(64, page.next);
      seen.push(...page.payments);
    }
    expect(seen.length).toBe(amounts.length);
    expect(new Set(seen.map((p) => p.id))).toEqual(new Set(results.map((r) => r.id)));
    const seqs = seen.map((p) => p.seq!);
    expect(seqs).toEqual([...seqs].sort((x, y) => y - x));
    expect(seen.every((p) => p.outcome === 'completed' && p.direction === 'out')).toBe(true);
    expect(alice.waiting()).toBe(0);
  });

  it('pays an invoice through the hub (hash-locked over two hops) and in the other direction', async () => {
    const invoice = bob.invoice('CNYX', 700n);
    const paid = await alice.pay(invoice);
    expect(paid).toMatchObject({ outcome: 'completed', hops: 2 });
    await until('bob to record it', () =>
      bob.paymentList().some((p) => p.id === paid.id && p.outcome === 'received'),
    );
    const back = alice.invoice('CNYX', 200n);
    expect((await bob.pay(back)).outcome).toBe('completed');
    // No route in an asset the hub's channel to Bob does not hold.
    expect(await alice.pay({ ...bob.invoice('PTS', 5n) })).toMatchObject({
      outcome: 'failed',
      reason: 'no route',
    });
    await until('quiet', () => nodes.every((n) => n.idle()));
    for (const id of [aliceHub, hubBob]) {
      const [x, y] = id === aliceHub ? [alice, hub] : [hub, bob];
      const vx = x.channels().find((c) => c.id === id)!;
      const vy = y.channels().find((c) => c.id === id)!;
      for (const symbol of Object.keys(vx.assets)) {
        expect(vy.assets[symbol]!.in).toEqual(vx.assets[symbol]!.out);
        expect(vx.assets[symbol]!.in).toEqual(vy.assets[symbol]!.out);
        expect(vx.assets[symbol]!.out.locked).toBe(0n);
      }
    }
  });

  it('drops malformed frames and refuses a forged handshake, counted, without harm', async () => {
    const refused = hub.links.counters.refused;
    const junk = new WebSocket(`ws://127.0.0.1:${hub.port}`);
    await new Promise((r) => junk.once('open', r));
    junk.send(new Uint8Array([0xff, 0x00, 0x13]));
    await new Promise((r) => junk.once('close', r));
    const forged = new WebSocket(`ws://127.0.0.1:${hub.port}`);
    await new Promise((r) => forged.once('open', r));
    // Claims Alice's key but cannot sign for it.
    forged.send(
      encodeCanonical({
        t: 'hello',
        v: 1,
        chainId: alice.chainId,
        key: alice.publicKey,
        challenge: new Uint8Array(32),
      }),
    );
    forged.send(encodeCanonical({ t: 'auth', signature: new Uint8Array(64) }));
    await new Promise((r) => forged.once('close', r));
    expect(hub.links.counters.refused).toBe(refused + 2);
    expect(hub.links.badBy()).toMatchObject({ bad_frame: 1, bad_signature: 1 });
    expect(hub.links.isLinked(alice.address)).toBe(true);
    expect((await alice.pay({ payee: hub.address, asset: 'PTS', amount: 9n })).outcome).toBe('completed');
  });

  it('serves its metrics at GET /metrics: channels, payments by outcome, log commits, links, bad input', async () => {
    await until('quiet', () => nodes.every((n) => n.idle()));
    const apis = await Promise.all(
      [alice, hub, bob].map((n) => serveChannelApi(n, { metrics: metricsOf.get(n)! })),
    );
    const [aliceApi, hubApi, bobApi] = apis as [(typeof apis)[0], (typeof apis)[0], (typeof apis)[0]];
    try {
      await alice.log.flush();
      const logBefore = { ...alice.stats().log };
      const a = await scrape(aliceApi.url);
      const logAfter = alice.stats().log;
      // Channels by state.
      expect(sample(a, 'gongxin_channel_channels', { state: 'open' })).toBe(1);
      expect(sample(a, 'gongxin_channel_channels', { state: 'closing' })).toBe(0);
      // Payments by outcome and failure reason: what the node's own history says.
      const mine = await history(alice);
      const out = mine.filter((p) => p.direction === 'out');
      expect(sample(a, 'gongxin_channel_payments_total', { outcome: 'started' })).toBe(out.length);
      expect(sample(a, 'gongxin_channel_payments_total', { outcome: 'completed' })).toBe(
        out.filter((p) => p.outcome === 'completed').length,
      );
      expect(out.filter((p) => p.reason === 'no route').length).toBe(1);
      expect(sample(a, 'gongxin_channel_payments_total', { outcome: 'failed', reason: 'no_route' })).toBe(1);
      expect(sample(a, 'gongxin_channel_payments_in_flight')).toBe(0);
      expect(sample(a, 'gongxin_channel_payment_waiting')).toBe(0);
      const b = await scrape(bobApi.url);
      const received = (await history(bob)).filter((p) => p.outcome === 'received').length;
      expect(received).toBeGreaterThan(0);
      expect(sample(b, 'gongxin_channel_payments_total', { outcome: 'received' })).toBe(received);
      // Durable writes and group-commit sizes: every committed write is in the histogram, and the burst
      // went in groups (some commits carried more than one write).
      const writes = sample(a, 'gongxin_channel_log_writes_total')!;
      expect(writes).toBeGreaterThanOrEqual(logBefore.writes);
      expect(writes).toBeLessThanOrEqual(logAfter.writes);
      expect(writes).toBeGreaterThanOrEqual(300);
      const commits = sample(a, 'gongxin_channel_log_commit_writes_count')!;
      expect(commits).toBeGreaterThanOrEqual(logBefore.commits);
      expect(commits).toBeLessThanOrEqual(logAfter.commits);
      expect(sample(a, 'gongxin_channel_log_commits_total', { kind: 'writes' })).toBe(commits);
      expect(sample(a, 'gongxin_channel_log_commit_writes_sum')).toBe(writes);
      expect(sample(a, 'gongxin_channel_log_commit_writes_bucket', { le: '1' })).toBeLessThan(commits);
      // Links: the hub has both people, each of them the hub.
      const h = await scrape(hubApi.url);
      expect(sample(h, 'gongxin_channel_links')).toBe(2);
      expect(sample(a, 'gongxin_channel_links')).toBe(1);
      expect(sample(a, 'gongxin_channel_link_dials')).toBe(1);
      expect(sample(h, 'gongxin_channel_link_frames_total', { direction: 'in' })).toBeGreaterThan(0);
      // Bad input on the links, by code: the junk frame and the forged handshake.
      for (const [code, n] of Object.entries(hub.links.badBy()))
        expect(sample(h, 'gongxin_bad_input_total', { source: 'channel-link', reason: code }), code).toBe(n);
      expect(sample(h, 'gongxin_bad_input_total', { source: 'channel-link', reason: 'bad_frame' })).toBe(1);
      expect(sample(h, 'gongxin_bad_input_total', { source: 'channel-link', reason: 'bad_signature' })).toBe(
        1,
      );
      // Every 400 the API answers is counted there too, by code.
      expect(
        sample(h, 'gongxin_bad_input_total', { source: 'channel-api', reason: 'bad_json' }),
      ).toBeUndefined();
      const bad = await fetch(`${hubApi.url}/invoice`, { method: 'POST', body: '{"asset":' });
      expect(bad.status).toBe(400);
      const page = await fetch(`${hubApi.url}/payments?limit=x`);
      expect(page.status).toBe(400);
      const h2 = await scrape(hubApi.url);
      expect(sample(h2, 'gongxin_bad_input_total', { source: 'channel-api', reason: 'bad_json' })).toBe(1);
      expect(sample(h2, 'gongxin_bad_input_total', { source: 'channel-api', reason: 'bad_field' })).toBe(1);
      expect(sample(h2, 'gongxin_channel_node_failed')).toBe(0);
      // Locks the hub refused to forward, and new locks refused at the lock limit: none here.
      expect(sample(h2, 'gongxin_channel_forwards_refused_total')).toBe(hub.stats().machine.forwardsRefused);
      expect(sample(h2, 'gongxin_channel_lock_limit_refusals_total')).toBe(0);
    } finally {
      for (const api of apis) await api.close();
    }
  });

  it('serves its HTTP API: invoices and payments, bad input and foreign origins refused and counted', async () => {
    const counted: string[] = [];
    const api = await serveChannelApi(bob, {
      allowOrigins: ['http://127.0.0.1:8080'],
      badInput: { inc: ({ source, reason }) => counted.push(`${source}/${reason}`) },
    });
    const aliceApi = await serveChannelApi(alice);
    try {
      const post = (base: string, route: string, body: unknown, origin?: string) =>
        fetch(`${base}${route}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(origin && { origin }) },
          body: JSON.stringify(body),
        });
      const made = await post(api.url, '/invoice', { asset: 'CNYX', amount: '55' }, 'http://127.0.0.1:8080');
      expect(made.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8080');
      const { invoice } = (await made.json()) as { invoice: string };
      expect(invoice).toMatch(/^gongxin-channel:/);
      const paid = (await (await post(aliceApi.url, '/pay', { invoice })).json()) as {
        outcome: string;
        hops: number;
      };
      expect(paid).toMatchObject({ outcome: 'completed', hops: 2 });
      const status = (await (await fetch(`${api.url}/status`)).json()) as {
        channels: { assets: { CNYX: { proofs: { in: { countersignature: string } } } } }[];
      };
      expect(status.channels[0]!.assets.CNYX.proofs.in.countersignature).toMatch(/^[0-9a-f]{128}$/);
      // Bad input: a 400 with a stable code (and params), never a 500, and counted.
      const raw = (route: string, body: string) =>
        fetch(`${api.url}${route}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      const channel = bob.channels()[0]!.id;
      const bad: [Promise<Response>, string, Record<string, string>?][] = [
        [post(api.url, '/pay', { invoice: 'gongxin:pay?to=x' }), 'bad_invoice'],
        [post(api.url, '/invoice', { asset: 'CNYX', amount: '-5' }), 'bad_amount', { field: 'amount' }],
        [post(api.url, '/invoice', { asset: 'CNYX', amount: 5 }), 'bad_amount'],
        [post(api.url, '/invoice', { asset: 'CNYX', amount: '1.5' }), 'bad_amount'],
        [post(api.url, '/invoice', { asset: 'CNYX', amount: '1'.padEnd(25, '0') }), 'amount_too_large'],
        [post(api.url, '/invoice', { asset: 7, amount: '5' }), 'bad_field', { field: 'asset' }],
        [raw('/invoice', '{"asset": "CNYX",'), 'bad_json'],
        [raw('/invoice', '[1, 2]'), 'bad_json'],
        [post(api.url, '/deposit', { channel, deposits: [null] }), 'bad_field', { field: 'deposits[0]' }],
        [
          post(api.url, '/deposit', {
            channel: 'ab'.repeat(32),
            deposits: [{ symbol: 'CNYX', amount: '1' }],
          }),
          'unknown_channel',
        ],
        [post(api.url, '/close', { channel: 'cd'.repeat(32) }), 'unknown_channel'],
        [post(api.url, '/close', { channel, force: 'yes' }), 'bad_field', { field: 'force' }],
        [post(api.url, '/pay', { payee: hub.address, asset: 'CNYX', amount: '99999999' }), 'over_capacity'],
        [
          post(api.url, '/open', {
            peer: hub.address,
            peerKey: 'ab',
            deposits: [{ symbol: 'CNYX', amount: '1' }],
            disputeMs: '5000',
          }),
          'bad_field',
          { field: 'disputeMs' },
        ],
      ];
      for (const [answer, code, params] of bad) {
        const res = await answer;
        const json = (await res.json()) as { code: string; message: string; params?: Record<string, string> };
        expect(res.status, code).toBe(400);
        expect(json.code).toBe(code);
        expect(json.message).toMatch(/\w/);
        if (params) expect(json.params).toMatchObject(params);
      }
      const over = (await (
        await post(api.url, '/pay', { payee: hub.address, asset: 'CNYX', amount: '99999999' })
      ).json()) as { params: { available: string } };
      expect(BigInt(over.params.available)).toBe(bob.channels()[0]!.assets.CNYX!.available);
      const foreign = await post(
        api.url,
        '/invoice',
        { asset: 'CNYX', amount: '5' },
        'https://elsewhere.example',
      );
      expect(foreign.status).toBe(403);
      expect(((await foreign.json()) as { code: string }).code).toBe('forbidden_origin');
      expect(api.refused()).toBe(bad.length + 2);
      expect(api.refusedBy()).toMatchObject({ bad_amount: 3, unknown_channel: 2, forbidden_origin: 1 });
      expect(counted).toContain('channel-api/bad_json');
      expect(counted.length).toBe(bad.length + 2);
      // The payment history pages: a bad page size is refused, a good one answers newest first.
      const badPage = await fetch(`${api.url}/payments?limit=0`);
      expect(badPage.status).toBe(400);
      const firstPage = (await (await fetch(`${api.url}/payments?limit=1`)).json()) as {
        payments: { seq: number }[];
        next?: number;
      };
      expect(firstPage.payments.length).toBe(1);
      expect(firstPage.next).toBe(firstPage.payments[0]!.seq);
    } finally {
      await api.close();
      await aliceApi.close();
    }
  });

  it('refuses pay calls with repeated or malformed ids: 400s with codes, counted, nothing kept', async () => {
    const metrics = metricsOf.get(alice)!;
    const api = await serveChannelApi(alice, { metrics });
    try {
      const pay = (body: Record<string, unknown>) =>
        fetch(`${api.url}/pay`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const direct = { payee: hub.address, asset: 'CNYX', amount: '3' };
      const before = (await history(alice)).length;
      const first = await pay({ ...direct, id: 'retry-0001' });
      expect(first.status).toBe(200);
      expect(await first.json()).toMatchObject({ id: 'retry-0001', outcome: 'completed' });
      const started = sample(await scrape(api.url), 'gongxin_channel_payments_total', {
        outcome: 'started',
      })!;
      // A flood: the finished payment's id again and again, one new id many times at once, malformed ids.
      const malformedIds = ['short', 'x'.repeat(65), 'has space!', 'ünïcode-id', 7, null, ''];
      const answers = await Promise.all([
        ...Array.from({ length: 40 }, () => pay({ ...direct, id: 'retry-0001' })),
        ...Array.from({ length: 20 }, () => pay({ ...direct, id: 'retry-0002' })),
        ...malformedIds.map((id) => pay({ ...direct, id })),
      ]);
      const bodies = (await Promise.all(answers.map((r) => r.json()))) as {
        code?: string;
        params?: Record<string, string>;
        outcome?: string;
      }[];
      const repeats = bodies.slice(0, 40);
      const racing = bodies.slice(40, 60);
      const malformed = bodies.slice(60);
      expect(answers.slice(0, 40).every((r) => r.status === 400)).toBe(true);
      expect(repeats.every((b) => b.code === 'duplicate_id' && b.params?.id === 'retry-0001')).toBe(true);
      // Of twenty at once with one new id, one pays and the rest are refused.
      expect(racing.filter((b) => b.outcome === 'completed').length).toBe(1);
      expect(racing.filter((b) => b.code === 'duplicate_id').length).toBe(19);
      expect(answers.slice(60).every((r) => r.status === 400)).toBe(true);
      expect(malformed.every((b) => b.code === 'bad_field' && b.params?.field === 'id')).toBe(true);
      // Counted, by code.
      expect(api.refusedBy()).toEqual({ duplicate_id: 59, bad_field: malformedIds.length });
      const text = await scrape(api.url);
      expect(sample(text, 'gongxin_bad_input_total', { source: 'channel-api', reason: 'duplicate_id' })).toBe(
        59,
      );
      expect(sample(text, 'gongxin_bad_input_total', { source: 'channel-api', reason: 'bad_field' })).toBe(
        malformedIds.length,
      );
      // Nothing kept for the refused ones: one payment more started, two in the history, no waiter.
      expect(sample(text, 'gongxin_channel_payments_total', { outcome: 'started' })).toBe(started + 1);
      const after = await history(alice);
      expect(after.length).toBe(before + 2);
      expect(after.filter((p) => p.id === 'retry-0001').length).toBe(1);
      expect(after.filter((p) => p.id === 'retry-0002').length).toBe(1);
      expect(alice.waiting()).toBe(0);
      expect(alice.inFlightCount()).toBe(0);
      // The same for a program that embeds the node.
      await expect(
        alice.pay({ payee: hub.address, asset: 'CNYX', amount: 1n }, 'retry-0001'),
      ).rejects.toEqual(expect.objectContaining({ code: 'duplicate_id' }));
      await expect(alice.pay({ payee: hub.address, asset: 'CNYX', amount: 1n }, 'no')).rejects.toBeInstanceOf(
        PaymentRefused,
      );
      expect((await history(alice)).length).toBe(before + 2);
    } finally {
      await api.close();
    }
  });

  it('closes every channel, together and alone; the chain pays out what the proofs say and conserves every asset', async () => {
    const supplies = ASSETS.map((s) => chain.supply(s));
    await until('quiet', () => nodes.every((n) => n.idle()));
    const expected = new Map<string, bigint>();
    for (const n of [alice, hub, bob])
      for (const c of n.channels())
        for (const [symbol, a] of Object.entries(c.assets)) {
          const k = `${n.address}/${symbol}`;
          expected.set(k, (expected.get(k) ?? chain.balance(n.address, symbol)) + a.available);
        }
    // Alice and the hub close together (both sign the amounts, paid out at once); Bob closes alone.
    alice.close(aliceHub);
    bob.close(hubBob, { force: true });
    await until(
      'both channels settled and withdrawn',
      async () => {
        for (const id of [aliceHub, hubBob]) {
          const c = await alice.chain.channel(id);
          if (c?.status !== 'settled' || !c.withdrawnA || !c.withdrawnB) return false;
        }
        return true;
      },
      90_000,
    );
    for (const [k, v] of expected) {
      const [address, symbol] = k.split('/') as [string, string];
      expect(chain.balance(address, symbol), k).toBe(v);
    }
    expect(ASSETS.map((s) => chain.supply(s))).toEqual(supplies);
    // Each party's status names the tx that settled the channel and its block, as the chain recorded it.
    for (const [id, parties, mode] of [
      [aliceHub, [alice, hub], 'cooperative'],
      [hubBob, [hub, bob], 'dispute'],
    ] as const) {
      await until(`${id} settled in its parties' status`, () =>
        parties.every((n) => n.channels().find((c) => c.id === id)?.closeTx !== undefined),
      );
      const views = parties.map((n) => n.channels().find((c) => c.id === id)!);
      expect(views.map((v) => v.status)).toEqual(['settled', 'settled']);
      const closeTx = views[0]!.closeTx!;
      expect(views[1]!.closeTx).toEqual(closeTx);
      const events = await alice.chain.client.eventsOfTx(closeTx.id);
      expect(events).toContainEqual(
        expect.objectContaining({
          name: 'settled',
          height: closeTx.height,
          txId: closeTx.id,
          attrs: expect.objectContaining({ id, mode }),
        }),
      );
    }
    // Four accounts were funded with 1,000,000 each at genesis.
    expect(chain.supply('CNYX')).toBe(4_000_000n);
  });
});

describe('a payment that gets no outcome', () => {
  it('answers its caller "still in flight" at its expiry or the wait limit, and keeps no waiter', async () => {
    const carol = await startNode(CAROL, {
      // The wait limit far above the lock's expiry, so a loaded machine cannot blur the two.
      payWaitMs: 8_000,
      machine: { hopDeltaMs: 1_500, revealMarginMs: 500 },
    });
    const absent = chain.account(ABSENT).address;
    // A channel to an account that runs no node: nothing Carol sends there is ever acknowledged.
    await carol.open(key(ABSENT), [{ symbol: 'CNYX', amount: 1_000n }]);
    await until('a route', () => carol.graph.route(carol.address, absent, 'CNYX', 5n, 1) !== null);
    const bounded = (p: Promise<PaymentView>) => Promise.race([p, sleep(20_000).then(() => 'still waiting')]);

    // Paid directly (no lock, no expiry): the caller waits the node's limit, then hears it is in flight.
    let started = Date.now();
    const direct = await bounded(carol.pay({ payee: absent, asset: 'CNYX', amount: 5n }, 'direct-0001'));
    const directMs = Date.now() - started;
    expect(direct).toMatchObject({ id: 'direct-0001', outcome: 'started', direction: 'out' });
    expect(directMs).toBeGreaterThanOrEqual(7_900);
    expect(carol.waiting()).toBe(0);

    // Hash-locked: its lock expires after one hop's delta, and its caller stops waiting then.
    started = Date.now();
    const locked = await bounded(
      carol.pay({ payee: absent, asset: 'CNYX', amount: 7n, hashlock: 'ab'.repeat(32) }, 'locked-0001'),
    );
    const lockedMs = Date.now() - started;
    expect(locked).toMatchObject({ id: 'locked-0001', outcome: 'started' });
    expect(lockedMs).toBeGreaterThanOrEqual(1_400);
    expect(lockedMs).toBeLessThan(7_900);
    expect(carol.waiting()).toBe(0);
    expect(carol.inFlightCount()).toBe(2);
    expect(carol.stats().runtime.waitsGivenUp).toBe(2);

    // Through the API: 202 with the payment as it stands; its id stays taken while it is in flight.
    const api = await serveChannelApi(carol, { metrics: metricsOf.get(carol)! });
    try {
      const res = await fetch(`${api.url}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ payee: absent, asset: 'CNYX', amount: '3', id: 'api-0001' }),
      });
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ id: 'api-0001', outcome: 'started' });
      const again = await fetch(`${api.url}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ payee: absent, asset: 'CNYX', amount: '3', id: 'direct-0001' }),
      });
      expect(again.status).toBe(400);
      expect(((await again.json()) as { code: string }).code).toBe('duplicate_id');
      const page = await carol.payments(10);
      expect(page.payments.map((p) => p.id).sort()).toEqual(['api-0001', 'direct-0001', 'locked-0001']);
      const text = await scrape(api.url);
      expect(sample(text, 'gongxin_channel_payments_in_flight')).toBe(3);
      expect(sample(text, 'gongxin_channel_payment_waiting')).toBe(0);
      expect(sample(text, 'gongxin_channel_payment_waits_given_up_total')).toBe(3);
      expect(sample(text, 'gongxin_channel_payments_total', { outcome: 'started' })).toBe(3);
    } finally {
      await api.close();
    }

    // Stopping the node answers whoever still waits.
    const waiting = carol.pay({ payee: absent, asset: 'CNYX', amount: 2n }, 'stop-0001');
    expect(carol.waiting()).toBe(1);
    await carol.stop();
    expect(await bounded(waiting)).toMatchObject({ id: 'stop-0001', outcome: 'started' });
    expect(carol.waiting()).toBe(0);
    await expect(carol.pay({ payee: absent, asset: 'CNYX', amount: 2n })).rejects.toEqual(
      expect.objectContaining({ code: 'stopped' }),
    );
  });
});

describe('a failed log write', () => {
  it('stops the node and reports it', async () => {
    const database = await openDatabase({ memory: true });
    const fatal: string[] = [];
    const carol = await ChannelNodeRuntime.start({
      database,
      client: createChainClient({ url: chain.url, suite: chain.suite }),
      suite: chain.suite,
      privateKey: chain.account(14).privateKey,
      onFatal: (why) => fatal.push(why),
    });
    await database.close();
    carol.invoice('CNYX', 5n);
    await until('the node to stop', () => fatal.length > 0, 10_000);
    expect(fatal[0]).toMatch(/log write failed/);
    expect(carol.stats().runtime.fatal).toMatch(/log write failed/);
    expect(carol.stats().log.commits).toBe(0);
  });
});
