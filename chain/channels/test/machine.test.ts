import { hashlockOf, verifyBalanceProof } from '@gongxin/contracts';
import { utf8 } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { ChannelNode } from '../src/machine';
import type { Message } from '../src/messages';
import { ChannelGraph } from '../src/routing';
import { Watcher } from '../src/watcher';
import { DISPUTE_MS, Harness, HOP_MS, MARGIN_MS, suite } from './harness';

const CH = 'ab'.repeat(32);
const CH2 = 'cd'.repeat(32);

describe('batches', () => {
  it('puts many payments under one signed balance proof and one write, and acknowledges only after the write', () => {
    const h = new Harness(2);
    h.open(CH, 0, 1, { CNYX: [10_000n, 0n] });
    for (let i = 0; i < 50; i++)
      h.nodes[0]!.pay({ id: `p${i}`, asset: 'CNYX', amount: 10n, route: [h.address(1)] });
    h.tick();
    h.persistAll();
    const batches = h.wire.filter((w) => w.msg.t === 'batch');
    expect(batches).toHaveLength(1);
    const batch = batches[0]!.msg as Extract<Message, { t: 'batch' }>;
    expect(batch.ops).toHaveLength(50);
    expect(batch.proof).toMatchObject({
      nonce: 1,
      transferred: 500n,
      locked: 0n,
      asset: 'CNYX',
      channel: CH,
    });
    expect(verifyBalanceProof(suite, batch.proof, h.accounts[0]!.publicKey)).toBe(true);
    expect(h.nodes[0]!.counters.signatures).toBe(1);

    // The receiver stores the batch; no acknowledgement leaves before the write is confirmed.
    h.wire.splice(0);
    h.nodes[1]!.receive(h.address(0), batch);
    h.collect();
    expect(h.effects[1]!.filter((e) => e.t === 'persist').at(-1)).toMatchObject({ t: 'persist' });
    expect(h.sent(1, 'ack')).toHaveLength(0);
    h.persistAll();
    expect(h.sent(1, 'ack')).toHaveLength(1);
    expect(h.outcomes(1).filter(([, o]) => o === 'received')).toHaveLength(50);
    h.settle();
    expect(h.outcomes(0).filter(([, o]) => o === 'completed')).toHaveLength(50);
    expect(h.nodes[1]!.available(CH, 'CNYX')).toBe(500n);
    expect(h.nodes[0]!.available(CH, 'CNYX')).toBe(9_500n);
  });

  it('refuses a batch whose proof does not match its operations, and overdrafts', () => {
    const h = new Harness(2);
    h.open(CH, 0, 1, { CNYX: [100n, 0n] });
    h.nodes[0]!.pay({ id: 'p', asset: 'CNYX', amount: 60n, route: [h.address(1)] });
    h.tick();
    h.persistAll();
    const batch = h.wire.splice(0)[0]!.msg as Extract<Message, { t: 'batch' }>;
    h.nodes[1]!.receive(h.address(0), { ...batch, ops: [{ t: 'pay', id: 'p', amount: 61n }] });
    h.nodes[1]!.receive(h.address(0), { ...batch, proof: { ...batch.proof, transferred: 61n } });
    expect(h.nodes[1]!.counters.batchesRejected).toBe(2);
    // A sender cannot pay more than it holds.
    h.nodes[0]!.pay({ id: 'q', asset: 'CNYX', amount: 41n, route: [h.address(1)] });
    expect(h.nodes[0]!.drain()).toContainEqual(
      expect.objectContaining({ t: 'outcome', id: 'q', outcome: 'failed' }),
    );
  });

  it('refuses amounts a balance proof cannot carry, on both sides, without throwing', () => {
    const big = 2n ** 64n;
    const h = new Harness(2);
    h.open(CH, 0, 1, { CNYX: [big * 2n, 0n] });
    expect(() =>
      h.nodes[0]!.pay({ id: 'huge', asset: 'CNYX', amount: big, route: [h.address(1)] }),
    ).not.toThrow();
    expect(h.nodes[0]!.drain()).toContainEqual(
      expect.objectContaining({ t: 'outcome', id: 'huge', outcome: 'failed' }),
    );
    // A peer that sends one is refused like any other bad batch.
    h.nodes[0]!.pay({ id: 'p', asset: 'CNYX', amount: 5n, route: [h.address(1)] });
    h.tick();
    h.persistAll();
    const batch = h.wire.splice(0).find((w) => w.msg.t === 'batch')!.msg as Extract<Message, { t: 'batch' }>;
    expect(() =>
      h.nodes[1]!.receive(h.address(0), { ...batch, ops: [{ t: 'pay', id: 'p', amount: big }] }),
    ).not.toThrow();
    expect(h.nodes[1]!.counters.batchesRejected).toBe(1);
    h.nodes[1]!.receive(h.address(0), batch);
    h.collect();
    h.persistAll();
    expect(h.outcomes(1).filter(([, o]) => o === 'received')).toHaveLength(1);
  });

  it('restarts from its durable records and sends its last batch again', () => {
    const h = new Harness(2);
    h.open(CH, 0, 1, { CNYX: [1_000n, 0n] });
    h.nodes[0]!.pay({ id: 'p', asset: 'CNYX', amount: 7n, route: [h.address(1)] });
    h.tick();
    h.persistAll();
    h.wire.splice(0); // lost on the way
    const restarted = new ChannelNode(
      {
        suite,
        chainId: 'gongxin-test',
        privateKey: h.accounts[0]!.privateKey,
        maxBatch: 256,
        retransmitMs: 500,
        revealMarginMs: MARGIN_MS,
        hopDeltaMs: HOP_MS,
      },
      h.durable[0]!,
      h.now,
    );
    h.nodes[0] = restarted;
    h.tick();
    h.settle();
    expect(h.nodes[1]!.available(CH, 'CNYX')).toBe(7n);
    expect(h.outcomes(0)).toContainEqual(['p', 'completed']);
  });
});

describe('multi-hop payments', () => {
  function line(config = {}) {
    const h = new Harness(3, config);
    h.open(CH, 0, 1, { PTS: [1_000n, 1_000n] });
    h.open(CH2, 1, 2, { PTS: [1_000n, 1_000n] });
    return h;
  }

  it('pays through an intermediary with expiries shrinking by more than the dispute window', () => {
    const h = line();
    const preimage = utf8('invoice 1');
    const hashlock = h.nodes[2]!.addInvoice(preimage);
    h.collect();
    h.nodes[0]!.pay({ id: 'm1', asset: 'PTS', amount: 250n, route: [h.address(1), h.address(2)], hashlock });
    h.tick();
    h.settle();
    h.tick();
    h.settle();
    const locks = [...h.sent(0, 'batch'), ...h.sent(1, 'batch')]
      .flatMap((m) => (m.t === 'batch' ? m.ops : []))
      .filter((op) => op.t === 'lock');
    expect(locks).toHaveLength(2);
    const [first, second] = locks as Extract<(typeof locks)[number], { t: 'lock' }>[];
    expect(first!.expiry - second!.expiry).toBeGreaterThan(DISPUTE_MS);
    for (let i = 0; i < 5; i++) {
      h.tick();
      h.settle();
    }
    expect(h.outcomes(0)).toContainEqual(['m1', 'completed']);
    expect(h.outcomes(2)).toContainEqual(['m1', 'received']);
    expect(hashlockOf(suite, preimage)).toBe(hashlock);
    expect(h.nodes[2]!.available(CH2, 'PTS')).toBe(1_250n);
    expect(h.nodes[1]!.available(CH, 'PTS')).toBe(1_250n);
    expect(h.nodes[1]!.available(CH2, 'PTS')).toBe(750n);
    expect(h.nodes[0]!.pendingLocks() + h.nodes[1]!.pendingLocks() + h.nodes[2]!.pendingLocks()).toBe(0);
    // The index of locks by hashlock forgets them once they settle: a hub's memory does not grow with
    // the payments it has routed.
    for (const n of h.nodes) expect(n.indexedHashlocks()).toBe(0);
  });

  it('fails upstream at once when the payee cannot be paid, long before the downstream expiry', () => {
    const h = line();
    // No invoice at the payee: it declines, the intermediary takes its lock back and fails upstream.
    const hashlock = hashlockOf(suite, utf8('unknown'));
    h.nodes[0]!.pay({ id: 'm2', asset: 'PTS', amount: 100n, route: [h.address(1), h.address(2)], hashlock });
    const started = h.now;
    for (let i = 0; i < 6; i++) {
      h.tick();
      h.settle();
    }
    expect(h.outcomes(0)).toContainEqual(['m2', 'failed']);
    expect(h.now - started).toBeLessThan(HOP_MS);
    expect(h.sent(1, 'fail')).toHaveLength(1);
    expect(h.nodes[0]!.available(CH, 'PTS')).toBe(1_000n);
    expect(h.nodes[0]!.pendingLocks() + h.nodes[1]!.pendingLocks() + h.nodes[2]!.pendingLocks()).toBe(0);
    // The index of locks by hashlock forgets them once they settle: a hub's memory does not grow with
    // the payments it has routed.
    for (const n of h.nodes) expect(n.indexedHashlocks()).toBe(0);
  });

  it('refunds a lock a griefing payee holds, at its expiry, without closing a channel', () => {
    // Node 1 accepts locks and never releases them.
    const h = new Harness(2, {}, (i) => (i === 1 ? { holdLocks: true } : {}));
    h.open(CH, 0, 1, { PTS: [1_000n, 0n] });
    const hashlock = h.nodes[1]!.addInvoice(utf8('held'));
    h.collect();
    h.nodes[0]!.pay({ id: 'g', asset: 'PTS', amount: 100n, route: [h.address(1)], hashlock });
    h.tick();
    h.settle();
    expect(h.nodes[0]!.available(CH, 'PTS')).toBe(900n);
    for (let t = 0; t < HOP_MS / 1000 + 2; t++) {
      h.tick(1000);
      h.settle();
    }
    expect(h.sent(1, 'reveal')).toHaveLength(0);
    expect(h.outcomes(0)).toContainEqual(['g', 'failed']);
    expect(h.nodes[0]!.available(CH, 'PTS')).toBe(1_000n);
    expect(h.nodes[1]!.statusOf(CH)).toBe('open');
    expect(h.effects[0]!.some((e) => e.t === 'chain')).toBe(false);
  });

  it('puts a preimage on chain before the incoming lock expires when the sender does not pay it', () => {
    const h = line();
    const hashlock = h.nodes[2]!.addInvoice(utf8('stuck upstream'));
    h.collect();
    h.nodes[0]!.pay({ id: 'm3', asset: 'PTS', amount: 10n, route: [h.address(1), h.address(2)], hashlock });
    h.tick();
    h.persistAll();
    // The lock reaches node 1; from then on node 0 is silent: nothing to or from it arrives.
    for (const { from, msg } of h.wire.splice(0)) h.nodes[1]!.receive(h.address(from), msg);
    h.collect();
    h.cut.add(0);
    for (let t = 0; t < (3 * HOP_MS) / 1000; t++) {
      h.tick(1000);
      h.settle();
    }
    // Node 2 was paid off chain by node 1; node 1 claims its own lock through the chain's registry.
    expect(h.outcomes(2)).toContainEqual(['m3', 'received']);
    const reveals = h.effects[1]!.filter((e) => e.t === 'chain' && e.action.name === 'revealPreimage');
    expect(reveals).toHaveLength(1);
    // Neither channel was closed.
    expect(h.effects.flat().some((e) => e.t === 'chain' && e.action.name === 'close')).toBe(false);
    // The lock node 0 never settles stays in node 1's channel, past its expiry: time changes nothing
    // about it any more, so ticks stop looking at every lock.
    const scans = h.nodes[1]!.counters.lockScans;
    for (let t = 0; t < 100; t++) {
      h.tick(1000);
      h.settle();
    }
    expect(h.nodes[1]!.pendingLocks()).toBeGreaterThan(0);
    expect(h.nodes[1]!.counters.lockScans - scans).toBeLessThanOrEqual(1);
  });

  it('looks at an incoming lock in its reveal margin only once its preimage is known, and reveals it then', () => {
    const h = line();
    const preimage = utf8('revealed late');
    const hashlock = h.nodes[2]!.addInvoice(preimage);
    h.collect();
    // The payee's reveal to node 1 is lost; node 0 goes silent once its lock reached node 1.
    h.dropKinds.add('reveal');
    h.nodes[0]!.pay({ id: 'm4', asset: 'PTS', amount: 10n, route: [h.address(1), h.address(2)], hashlock });
    h.tick();
    h.persistAll();
    for (const { from, msg } of h.wire.splice(0)) h.nodes[1]!.receive(h.address(from), msg);
    h.collect();
    h.cut.add(0);
    const expiry = h.now + 2 * HOP_MS - 10;
    // Node 1 takes its own lock back from node 2 at that lock's expiry and holds node 0's, unpaid, into
    // its reveal margin: no preimage to reveal, so the ticks there look at no lock.
    while (h.now < expiry - MARGIN_MS + 100) {
      h.tick(100);
      h.settle();
    }
    expect(h.nodes[1]!.pendingLocks()).toBe(1);
    const scans = h.nodes[1]!.counters.lockScans;
    for (let t = 0; t < 10; t++) {
      h.tick(100);
      h.settle();
    }
    expect(h.nodes[1]!.counters.lockScans - scans).toBeLessThanOrEqual(1);
    const onChain = () =>
      h.effects[1]!.filter((e) => e.t === 'chain' && e.action.name === 'revealPreimage').length;
    expect(onChain()).toBe(0);
    // The preimage arrives before the expiry: the next tick puts it on chain.
    h.nodes[1]!.receive(h.address(2), { t: 'reveal', channel: CH2, preimage });
    h.tick(100);
    expect(h.now).toBeLessThan(expiry);
    expect(onChain()).toBe(1);
  });
});

describe('watcher', () => {
  it('keeps one proof per channel and asset and challenges an older close', () => {
    const h = new Harness(2);
    h.open(CH, 0, 1, { CNYX: [10_000n, 0n] });
    const watcher = new Watcher(MARGIN_MS);
    for (let i = 0; i < 20; i++) {
      h.nodes[0]!.pay({ id: `p${i}`, asset: 'CNYX', amount: 5n, route: [h.address(1)] });
      h.tick();
      h.settle();
    }
    for (const e of h.effects[1]!) watcher.take(e);
    expect(watcher.size().proofs).toBe(1);
    const action = watcher.onClosing(CH, () => 3);
    expect(action?.name).toBe('challenge');
    const [proof] = (action!.params as { proofs: Record<string, unknown>[] }).proofs;
    expect(proof).toMatchObject({ side: 'a', nonce: 20, transferred: 100n });
    expect(proof!.countersignature).toBeInstanceOf(Uint8Array);
    expect(watcher.onClosing(CH, () => 20)).toBeNull();
  });
});

describe('routing', () => {
  it('takes the path most likely to succeed and learns from failures', () => {
    const g = new ChannelGraph();
    g.addChannel('c1', 'A', 'B', 'PTS', 1_000n);
    g.addChannel('c2', 'B', 'D', 'PTS', 1_000n);
    g.addChannel('c3', 'A', 'C', 'PTS', 10_000n);
    g.addChannel('c4', 'C', 'D', 'PTS', 10_000n);
    expect(g.route('A', 'D', 'PTS', 800n)?.path).toEqual(['C', 'D']);
    expect(g.route('A', 'D', 'PTS', 20_000n)).toBeNull();
    g.reportFailure(g.edge('A', 'C', 'PTS')!, 500n);
    g.reportSuccess(g.edge('A', 'B', 'PTS')!, 900n);
    expect(g.route('A', 'D', 'PTS', 800n)?.path).toEqual(['B', 'D']);
    expect(g.route('A', 'D', 'PTS', 800n, 1)).toBeNull();
  });
});
