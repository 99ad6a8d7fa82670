// A payment whose lock fails at the route's SECOND hop goes again over another route. Alice reaches Carol
// through two hubs: the first (large channels, the router's choice) has nothing of its own in its channel
// to Carol (Carol opened it with her deposit alone), so Alice's lock reaches it and can go no further:
// the hub fails it back with its signed reason (`no_capacity` from the hub to Carol). Alice takes the lock
// back, remembers that pair (not her own channel to the hub), and sends the payment's second attempt, same
// id and hashlock, through the other hub. Carol is paid once; every channel's balances add up.
import { createMetrics, type Metrics } from '@gongxin/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelNodeOptions, ChannelNodeRuntime, type PaymentView } from '../src';
import { main } from '../src/cli';
import { type ChannelTestChain, startChannelTestChain } from './chain';
import { sides, startTwoHubs, TestNodes, until } from './hubs';
import { sample } from './prom';

const ALICE = 41;
const DRY_HUB = 42;
const HUB = 43;
const CAROL = 44;

let chain: ChannelTestChain;
let nodes: TestNodes;
let metrics: Metrics;
let alice: ChannelNodeRuntime;
let dryHub: ChannelNodeRuntime;
let hub: ChannelNodeRuntime;
let carol: ChannelNodeRuntime;
let channels: string[];

beforeAll(async () => {
  chain = await startChannelTestChain([ALICE, DRY_HUB, HUB, CAROL]);
  nodes = new TestNodes(chain);
  metrics = createMetrics({ defaultMetrics: false });
  // Carol's deposit only in her channel with the dry hub: it has nothing to send her.
  ({
    alice,
    first: dryHub,
    second: hub,
    carol,
    channels,
  } = await startTwoHubs(
    nodes,
    { alice: ALICE, first: DRY_HUB, second: HUB, carol: CAROL },
    { firstToCarol: 'carol', alice: { metrics, failureMemoryMs: 120_000 } },
  ));
}, 120_000);

afterAll(async () => {
  await nodes?.stop();
  await chain?.close();
});

describe('a payment whose lock fails at the second hop', () => {
  it('goes again through the other hub as its second attempt, and Carol is paid once', async () => {
    // The router takes the dry hub first: its channels are the larger.
    expect(alice.graph.route(alice.address, carol.address, 'PTS', 100n)?.path).toEqual([
      dryHub.address,
      carol.address,
    ]);
    const paid: PaymentView = await alice.pay(carol.invoice('PTS', 100n), 'second-hop-retry-1');
    expect(paid).toMatchObject({ id: 'second-hop-retry-1', outcome: 'completed', hops: 2 });
    expect(paid.route).toEqual([hub.address, carol.address]);
    expect(alice.counters.retries).toBe(1);
    // The dry hub refused to forward it, and said why.
    expect(dryHub.stats().machine.forwardsRefused).toBe(1);

    // Carol was paid once, under the payment's id.
    await until('Carol’s history', async () =>
      (await carol.payments(500)).payments.some((p) => p.id === 'second-hop-retry-1'),
    );
    const received = (await carol.payments(500)).payments.filter((p) => p.id === 'second-hop-retry-1');
    expect(received).toEqual([
      expect.objectContaining({ direction: 'in', outcome: 'received', amount: 100n }),
    ]);
    const mine = (await alice.payments(500)).payments.filter((p) => p.id === 'second-hop-retry-1');
    expect(mine).toEqual([expect.objectContaining({ outcome: 'completed' })]);

    // Balances conserve: in every channel, what both ends may send and what is locked make the deposits;
    // 100 moved from Alice to the hub and from the hub to Carol, and nothing through the dry hub.
    await until('every node idle', () => nodes.nodes.every((n) => n.idle()));
    const [aliceDry, dryAlice] = sides(channels[0]!, alice, dryHub);
    const [carolDry, dryCarol] = sides(channels[1]!, carol, dryHub);
    const [aliceHub, hubAlice] = sides(channels[2]!, alice, hub);
    const [hubCarol, carolHub] = sides(channels[3]!, hub, carol);
    for (const [x, y] of [
      [aliceDry, dryAlice],
      [carolDry, dryCarol],
      [aliceHub, hubAlice],
      [hubCarol, carolHub],
    ]) {
      expect(x!.out.locked + y!.out.locked).toBe(0n);
      expect(x!.available + y!.available).toBe(x!.deposit + y!.deposit);
    }
    expect([aliceDry!.available, dryAlice!.available]).toEqual([10_000n, 0n]);
    expect([carolDry!.available, dryCarol!.available]).toEqual([10_000n, 0n]);
    expect([aliceHub!.available, hubAlice!.available]).toEqual([900n, 100n]);
    expect([hubCarol!.available, carolHub!.available]).toEqual([900n, 100n]);
  });

  it('remembers the failing pair, not the first hop: the next payment goes around the dry hub at once', async () => {
    const now = Date.now();
    const toDry = alice.graph.edge(alice.address, dryHub.address, 'PTS')!;
    const dryToCarol = alice.graph.edge(dryHub.address, carol.address, 'PTS')!;
    expect(alice.missionControl.weight(toDry, 100n, now)).toBe(1);
    expect(alice.missionControl.weight(dryToCarol, 100n, now)).toBeLessThan(0.1);
    const paid = await alice.pay(carol.invoice('PTS', 100n));
    expect(paid).toMatchObject({ outcome: 'completed', peer: hub.address });
    expect(alice.counters.retries).toBe(1);
  });

  it('counts the retry by the failure the failing hop gave', async () => {
    const text = await metrics.registry.metrics();
    expect(sample(text, 'gongxin_channel_payment_retries_total', { reason: 'no_capacity' })).toBe(1);
  });

  it('refuses a failure memory that is not a whole number of milliseconds in range', async () => {
    const opts = { suite: chain.suite, privateKey: chain.account(ALICE).privateKey } as ChannelNodeOptions;
    for (const bad of [0, -5, 1.5, Number.NaN, 10 ** 12])
      await expect(ChannelNodeRuntime.start({ ...opts, failureMemoryMs: bad })).rejects.toThrow(
        /failureMemoryMs/,
      );
    const errors: string[] = [];
    const error = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      for (const bad of ['0', '-1', 'soon', '1.5', '999999999'])
        expect(await main(['start', '--chain', chain.url, `--failure-memory-ms=${bad}`])).toBe(2);
    } finally {
      console.error = error;
    }
    expect(errors).toHaveLength(5);
    for (const line of errors) expect(line).toMatch(/^--failure-memory-ms: a whole number of milliseconds/);
  });

  it('refuses a hop delta shorter than the default or longer than a lock may last', async () => {
    const errors: string[] = [];
    const error = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      for (const bad of ['9999', '-1', 'long', '12.5', '151200001', '9999999999'])
        expect(await main(['start', '--chain', chain.url, `--hop-delta-ms=${bad}`])).toBe(2);
    } finally {
      console.error = error;
    }
    expect(errors).toHaveLength(6);
    for (const line of errors)
      expect(line).toMatch(/^--hop-delta-ms: a whole number of milliseconds from 10000 to 151200000 /);
  });
});
