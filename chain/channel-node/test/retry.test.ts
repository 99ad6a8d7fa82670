// A payment whose first hop cannot take it goes again over another route. Alice reaches Carol through two
// hubs: the first (large channels, the router's choice) holds every lock it is given and never forwards,
// so once Alice's channel to it holds MAX_LOCKS pending locks her next payment fails there with
// `lock_limit`; the node tries it again through the second hub, same id, and it arrives once. The failed
// hop is remembered for a while: the next payment goes around it from the start. Counted in the metrics.
import { createChainClient } from '@gongxin/client';
import { MAX_LOCKS } from '@gongxin/contracts';
import { openDatabase } from '@gongxin/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelNodeOptions, ChannelNodeRuntime, PaymentRefused, type PaymentView } from '../src';
import { type ChannelTestChain, startChannelTestChain } from './chain';
import { startTwoHubs, TestNodes, until } from './hubs';
import { sample } from './prom';

const ALICE = 31;
const HOLDER = 32;
const HUB = 33;
const CAROL = 34;
const DAVE = 35;

let chain: ChannelTestChain;
let nodes: TestNodes;
let alice: ChannelNodeRuntime;
let holder: ChannelNodeRuntime;
let hub: ChannelNodeRuntime;
let carol: ChannelNodeRuntime;
let channels: string[];

beforeAll(async () => {
  chain = await startChannelTestChain([ALICE, HOLDER, HUB, CAROL, DAVE]);
  nodes = new TestNodes(chain);
  // The holder never forwards, pays or fails a lock: its channel from Alice fills up with pending locks.
  ({
    alice,
    first: holder,
    second: hub,
    carol,
    channels,
  } = await startTwoHubs(
    nodes,
    { alice: ALICE, first: HOLDER, second: HUB, carol: CAROL },
    { firstToCarol: 'hub', first: { machine: { holdLocks: true } } },
  ));
}, 120_000);

afterAll(async () => {
  await nodes?.stop();
  await chain?.close();
});

describe('a payment tried again over another route', () => {
  it('goes through the other hub, same id, once, when its first hop holds MAX_LOCKS locks', async () => {
    // The holder's route has the larger channels: the router takes it first.
    expect(alice.graph.route(alice.address, carol.address, 'PTS', 100n)?.path[0]).toBe(holder.address);

    // MAX_LOCKS payments the holder keeps pending (their callers hear of them at their expiry).
    const held: Promise<PaymentView>[] = [];
    for (let i = 0; i < MAX_LOCKS; i++) {
      const p = alice.pay(carol.invoice('PTS', 1n));
      p.catch(() => {});
      held.push(p);
    }
    const toHolder = () => alice.channels().find((c) => c.id === channels[0])!.assets.PTS!.out;
    await until('the held locks to be signed', () => toHolder().locked === BigInt(MAX_LOCKS));

    const invoice = carol.invoice('PTS', 100n);
    const paid = await alice.pay(invoice, 'retried-payment-1');
    expect(paid).toMatchObject({ id: 'retried-payment-1', outcome: 'completed', hops: 2 });
    expect(paid.route).toEqual([hub.address, carol.address]);
    expect(alice.counters.retries).toBe(1);
    expect(alice.stats().machine.lockLimitRefusals).toBe(1);
    // Nothing more went to the holder, and Carol was paid once.
    expect(toHolder().locked).toBe(BigInt(MAX_LOCKS));
    await until('Carol’s history', async () =>
      (await carol.payments(500)).payments.some((p) => p.id === 'retried-payment-1'),
    );
    const received = (await carol.payments(500)).payments.filter((p) => p.id === 'retried-payment-1');
    expect(received).toEqual([
      expect.objectContaining({ direction: 'in', outcome: 'received', amount: 100n }),
    ]);
    const mine = (await alice.payments(500)).payments.filter((p) => p.id === 'retried-payment-1');
    expect(mine).toEqual([expect.objectContaining({ outcome: 'completed' })]);
    // The id stays taken: a second call with it pays nothing.
    await expect(alice.pay(invoice, 'retried-payment-1')).rejects.toBeInstanceOf(PaymentRefused);
  });

  it('remembers the failed hop: the next payment goes around it without a retry', async () => {
    const paid = await alice.pay(carol.invoice('PTS', 50n));
    expect(paid).toMatchObject({ outcome: 'completed', peer: hub.address });
    expect(alice.counters.retries).toBe(1);
    expect(alice.stats().machine.lockLimitRefusals).toBe(1);
    expect(alice.missionControl.size()).toBe(1);
  });

  it('fails with the first hop’s reason when no other route can carry it', async () => {
    // Only the holder's channels can carry 5,000; its direction from Alice is full.
    const failed = await alice.pay(carol.invoice('PTS', 5_000n), 'no-other-route-1');
    expect(failed).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('too many pending locks'),
    });
    expect(alice.counters.retries).toBe(1);
    // Nothing was kept for it: its id is free.
    expect(alice.inFlightCount()).toBe(MAX_LOCKS);
  });

  it('refuses a number of attempts that is not a positive integer', async () => {
    // The options are checked before the node touches its database or the chain.
    const opts = { suite: chain.suite, privateKey: chain.account(ALICE).privateKey } as ChannelNodeOptions;
    for (const bad of [0, -1, 1.5, Number.NaN])
      await expect(ChannelNodeRuntime.start({ ...opts, payAttempts: bad })).rejects.toThrow(/payAttempts/);
  });

  it('counts retries in the metrics by the failure that caused them', async () => {
    const text = await nodes.metricsOf.get(alice)!.registry.metrics();
    expect(sample(text, 'gongxin_channel_payment_retries_total', { reason: 'lock_limit' })).toBe(1);
    expect(sample(text, 'gongxin_channel_payments_total', { outcome: 'failed', reason: 'lock_limit' })).toBe(
      1,
    );
  });
});

describe('a payment right after a start', () => {
  it('waits for the route map to catch up with the chain instead of failing with "no route"', async () => {
    // Dave opens a channel to the second hub (which reaches Carol) and stops; started again on the same
    // log, his route map is read again from the chain's events, and he pays at once.
    const database = await openDatabase({ memory: true });
    const start = () =>
      ChannelNodeRuntime.start({
        database,
        client: createChainClient({ url: chain.url, suite: chain.suite }),
        suite: chain.suite,
        privateKey: chain.account(DAVE).privateKey,
        peers: [`ws://127.0.0.1:${hub.port}`],
      });
    try {
      const before = await start();
      await before.open(nodes.key(HUB), [{ symbol: 'PTS', amount: 100n }]);
      await before.stop();
      const dave = await start();
      try {
        // Nothing of the hub's channel to Carol is known yet: only the chain's events tell of it.
        expect(dave.graph.route(dave.address, carol.address, 'PTS', 1n)).toBeNull();
        const paid = await dave.pay(carol.invoice('PTS', 1n));
        expect(paid).toMatchObject({ outcome: 'completed', peer: hub.address, hops: 2 });
        expect(dave.counters.paymentsHeld).toBe(1);
        // Once caught up, a payment with no route fails at once, as before.
        const nowhere = await dave.pay({ payee: chain.account(999).address, asset: 'PTS', amount: 1n });
        expect(nowhere).toMatchObject({ outcome: 'failed', reason: 'no route' });
        expect(dave.counters.paymentsHeld).toBe(1);
      } finally {
        await dave.stop();
      }
    } finally {
      await database.close();
    }
  }, 120_000);
});
