// A failure the payer cannot attribute. Alice pays Carol through the two-hub network: the dry hub (the
// router's choice) has nothing to send Carol and fails the lock with its signed reason, but what reaches
// Alice is stripped of it (or altered: its signature no longer checks), as an intermediary on the way
// might do. Alice cannot tell which hop failed, so she weighs down every hop of that route (her own
// channel to the dry hub too), takes the lock back and tries the payment again, same id and hashlock,
// through the other hub. Carol is paid once; the retry is counted as `unattributed`.
import type { Message } from '@gongxin/channels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelNodeRuntime } from '../src';
import { type ChannelTestChain, startChannelTestChain } from './chain';
import { startTwoHubs, TestNodes, until } from './hubs';
import { sample } from './prom';

const ALICE = 71;
const DRY_HUB = 72;
const HUB = 73;
const CAROL = 74;

let chain: ChannelTestChain;
let nodes: TestNodes;
let alice: ChannelNodeRuntime;
let dryHub: ChannelNodeRuntime;
let hub: ChannelNodeRuntime;
let carol: ChannelNodeRuntime;

beforeAll(async () => {
  chain = await startChannelTestChain([ALICE, DRY_HUB, HUB, CAROL]);
  nodes = new TestNodes(chain);
  ({
    alice,
    first: dryHub,
    second: hub,
    carol,
  } = await startTwoHubs(
    nodes,
    { alice: ALICE, first: DRY_HUB, second: HUB, carol: CAROL },
    { firstToCarol: 'carol', alice: { failureMemoryMs: 120_000 } },
  ));
}, 120_000);

afterAll(async () => {
  await nodes?.stop();
  await chain?.close();
});

/** What the dry hub says to Alice goes through `change` on its way (the link as a meddler would run it). */
function meddle(change: (msg: Message) => Message): () => void {
  const links = dryHub.links;
  const send = links.send.bind(links);
  links.send = (to, msg) => send(to, to === alice.address ? change(msg) : msg);
  return () => {
    links.send = send;
  };
}

describe('a failure stripped or altered on its way to the payer', () => {
  it('weighs down every hop of the route, and the payment goes again through the other hub', async () => {
    const stripped: Message[] = [];
    const restore = meddle((msg) => {
      if (msg.t !== 'fail' || !msg.failure) return msg;
      stripped.push(msg);
      const { failure: _, ...rest } = msg;
      return rest;
    });
    try {
      const paid = await alice.pay(carol.invoice('PTS', 100n), 'unattributed-1');
      expect(paid).toMatchObject({ id: 'unattributed-1', outcome: 'completed', hops: 2 });
      expect(paid.route).toEqual([hub.address, carol.address]);
    } finally {
      restore();
    }
    // The dry hub did sign its reason; Alice never saw it.
    expect(stripped).toEqual([
      expect.objectContaining({ failure: expect.objectContaining({ code: 'no_capacity' }) }),
    ]);
    expect(alice.counters.retries).toBe(1);
    const now = Date.now();
    const weight = (from: string, to: string) =>
      alice.missionControl.weight(alice.graph.edge(from, to, 'PTS')!, 100n, now);
    // Every hop of the failed route is suspect, Alice's own first hop too; the route taken is not.
    expect(weight(alice.address, dryHub.address)).toBeLessThan(0.1);
    expect(weight(dryHub.address, carol.address)).toBeLessThan(0.1);
    expect(weight(alice.address, hub.address)).toBe(1);
    expect(weight(hub.address, carol.address)).toBe(1);
    const text = await nodes.metricsOf.get(alice)!.registry.metrics();
    expect(sample(text, 'gongxin_channel_payment_retries_total', { reason: 'unattributed' })).toBe(1);

    // Carol was paid once; Alice's history holds the payment once, completed.
    await until('Carol’s history', async () =>
      (await carol.payments(500)).payments.some((p) => p.id === 'unattributed-1'),
    );
    expect((await carol.payments(500)).payments.filter((p) => p.id === 'unattributed-1')).toEqual([
      expect.objectContaining({ direction: 'in', outcome: 'received', amount: 100n }),
    ]);
    expect((await alice.payments(500)).payments.filter((p) => p.id === 'unattributed-1')).toEqual([
      expect.objectContaining({ outcome: 'completed' }),
    ]);
  });

  it('treats a failure whose signature does not check as unattributed too', async () => {
    // The suspect hops are forgotten: the router takes the dry hub first again.
    alice.missionControl.forgetPair(alice.address, dryHub.address);
    alice.missionControl.forgetPair(dryHub.address, carol.address);
    expect(alice.graph.route(alice.address, carol.address, 'PTS', 100n)?.path[0]).toBe(dryHub.address);
    const restore = meddle((msg) =>
      msg.t === 'fail' && msg.failure
        ? { ...msg, failure: { ...msg.failure, signature: msg.failure.signature.map((b) => b ^ 1) } }
        : msg,
    );
    try {
      const paid = await alice.pay(carol.invoice('PTS', 50n), 'unattributed-2');
      expect(paid).toMatchObject({ outcome: 'completed', peer: hub.address });
    } finally {
      restore();
    }
    const text = await nodes.metricsOf.get(alice)!.registry.metrics();
    expect(sample(text, 'gongxin_channel_payment_retries_total', { reason: 'unattributed' })).toBe(2);
    expect(
      alice.missionControl.weight(alice.graph.edge(alice.address, dryHub.address, 'PTS')!, 50n, Date.now()),
    ).toBeLessThan(0.1);
  });
});
