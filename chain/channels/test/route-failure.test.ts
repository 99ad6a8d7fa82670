// A lock that fails further down its route: the failing node says where and why, signed; the nodes between
// relay it unchanged; the payer reads it and may try the payment again under the next attempt (same id,
// same hashlock). At most one attempt is ever pending: an attempt that failed is gone for good, and the
// preimage settles the payment once.
import { utf8 } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { RecordFold } from '../src/checkpoint';
import { ChannelNode, NOT_RETRYABLE, type PaymentPlan, ROUTE_FAILURE } from '../src/machine';
import type { Message, RouteFailure } from '../src/messages';
import { Harness } from './harness';

const A = 0;
const B = 1;
const C = 2;
const D = 3;
const E = 4;
const AB = 'a1'.repeat(32);
const BC = 'b1'.repeat(32);
const CD = 'c1'.repeat(32);
const BE = 'b2'.repeat(32);
const ED = 'e1'.repeat(32);

/**
 * A pays D. The route A → B → C → D fails at its third hop: C's channel to D holds only D's deposit. The
 * other route, A → B → E → D, goes through B again, over the same channel from A.
 */
function network() {
  const h = new Harness(5);
  h.open(AB, A, B, { PTS: [1_000n, 0n] });
  h.open(BC, B, C, { PTS: [1_000n, 0n] });
  h.open(CD, C, D, { PTS: [0n, 1_000n] });
  h.open(BE, B, E, { PTS: [1_000n, 0n] });
  h.open(ED, E, D, { PTS: [1_000n, 0n] });
  const preimage = utf8('route-failure-preimage');
  const hashlock = h.nodes[D]!.addInvoice(preimage);
  h.collect();
  h.persistAll();
  const firstRoute = [h.address(B), h.address(C), h.address(D)];
  const otherRoute = [h.address(B), h.address(E), h.address(D)];
  return { h, preimage, hashlock, firstRoute, otherRoute };
}

/** Ticks and delivers until the network is quiet (queued operations are signed at ticks). */
function run(h: Harness, rounds = 8): void {
  for (let i = 0; i < rounds; i++) {
    h.tick();
    h.settle();
  }
}

const fails = (h: Harness, from: number): Extract<Message, { t: 'fail' }>[] =>
  h.sent(from, 'fail') as Extract<Message, { t: 'fail' }>[];

const outcomesOf = (h: Harness, i: number, id: string) =>
  h.effects[i]!.flatMap((e) => (e.t === 'outcome' && e.id === id ? [e] : []));

describe('a lock that fails further down its route', () => {
  it('comes back with the failing hop and reason, relayed unchanged, and the payer reads it', () => {
    const { h, hashlock, firstRoute } = network();
    h.nodes[A]!.pay({ id: 'pay-1', asset: 'PTS', amount: 100n, route: firstRoute, hashlock });
    run(h);

    // C could not carry it on to D, and said so, signed.
    const [fromC] = fails(h, C);
    expect(fromC?.failure).toMatchObject({
      node: h.address(C),
      next: h.address(D),
      asset: 'PTS',
      code: 'no_capacity',
    });
    // B relays that failure to A as it came (byte for byte): it names C, not B.
    const [fromB] = fails(h, B);
    expect(fromB).toMatchObject({ channel: AB, hashlock });
    expect(fromB!.failure).toEqual(fromC!.failure);

    // A took its lock back; once B acknowledged that, the payment failed with the hop and the reason.
    const failed = outcomesOf(h, A, 'pay-1').filter((o) => o.outcome === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({
        attempt: 1,
        failure: fromC!.failure,
        reason: `${ROUTE_FAILURE}no_capacity at ${h.address(C)} → ${h.address(D)}`,
      }),
    ]);
    expect(h.nodes[A]!.available(AB, 'PTS')).toBe(1_000n);
    expect(h.nodes[D]!.pendingLocks()).toBe(0);
  });

  it('gives no hop when an intermediary alters the failure: the payer cannot be made to blame another node', () => {
    const first = network();
    first.h.nodes[A]!.pay({
      id: 'pay-2',
      asset: 'PTS',
      amount: 100n,
      route: first.firstRoute,
      hashlock: first.hashlock,
    });
    run(first.h);
    const signedForPay2 = fails(first.h, B)[0]!.failure!;
    const alterations: ((f: RouteFailure, h: Harness) => RouteFailure)[] = [
      // B blames its own next hop's node… or another node, or gives another reason.
      (f, h) => ({ ...f, node: h.address(B), next: h.address(C) }),
      (f) => ({ ...f, code: 'peer_offline' }),
      (f, h) => ({ ...f, next: h.address(E) }),
      // A failure C signed for another payment (with the same hashlock and route).
      () => signedForPay2,
    ];
    for (const [i, alter] of alterations.entries()) {
      const { h, hashlock, firstRoute } = network();
      // B relays what it likes: A sees the failure as B altered it.
      const node = h.nodes[A]!;
      const receive = node.receive.bind(node);
      node.receive = (from, msg) =>
        receive(from, msg.t === 'fail' && msg.failure ? { ...msg, failure: alter(msg.failure, h) } : msg);
      node.pay({ id: `pay-t${i}`, asset: 'PTS', amount: 100n, route: firstRoute, hashlock });
      run(h);
      const [out] = outcomesOf(h, A, `pay-t${i}`).filter((o) => o.outcome === 'failed');
      expect(out, `alteration ${i}`).toMatchObject({ attempt: 1 });
      expect(out!.failure, `alteration ${i}`).toBeUndefined();
      expect(out!.reason, `alteration ${i}`).toBeUndefined();
      expect(node.available(AB, 'PTS')).toBe(1_000n);
    }
  });

  it('is tried again under the next attempt, same id and hashlock, and settles once; the failed attempt never', () => {
    const { h, preimage, hashlock, firstRoute, otherRoute } = network();
    const pay = (attempt: number, route: readonly string[], lock = hashlock) =>
      h.nodes[A]!.pay({ id: 'pay-3', asset: 'PTS', amount: 100n, route, hashlock: lock, attempt });
    pay(1, firstRoute);
    run(h);
    expect(outcomesOf(h, A, 'pay-3').at(-1)).toMatchObject({ outcome: 'failed', attempt: 1 });
    // The newest proof of A's payments that B countersigned holds no lock: nothing of attempt 1 can be
    // put on chain against A.
    const lastIn = h.durable[B]!.filter((r) => r.t === 'in' && r.channel === AB).at(-1);
    expect(lastIn).toMatchObject({ locks: [] });
    expect((lastIn as { proof: { locked: bigint } }).proof.locked).toBe(0n);

    // A preimage arriving now for attempt 1 (a peer that learned it) settles nothing: A holds no lock on it.
    h.nodes[A]!.receive(h.address(B), { t: 'reveal', channel: AB, preimage });
    h.collect();
    run(h);
    expect(h.nodes[A]!.available(AB, 'PTS')).toBe(1_000n);
    expect(outcomesOf(h, A, 'pay-3').filter((o) => o.outcome === 'completed')).toEqual([]);

    // The id is still taken for a new payment, and only the next attempt with the same hashlock is taken.
    const refusedBefore = outcomesOf(h, A, 'pay-3').length;
    pay(1, otherRoute);
    pay(3, otherRoute);
    pay(2, otherRoute, 'f'.repeat(64));
    h.collect();
    expect(
      outcomesOf(h, A, 'pay-3')
        .slice(refusedBefore)
        .map((o) => o.reason),
    ).toEqual(['duplicate id', NOT_RETRYABLE, NOT_RETRYABLE]);

    // Attempt 2 locks the same hashlock again, over the same channel to B, and goes on through E.
    pay(2, otherRoute);
    // While it is pending, attempt 3 is refused: one attempt at a time.
    pay(3, firstRoute);
    h.collect();
    expect(outcomesOf(h, A, 'pay-3').at(-1)).toMatchObject({ outcome: 'failed', reason: NOT_RETRYABLE });
    run(h);
    run(h);
    const finals = outcomesOf(h, A, 'pay-3').filter((o) => o.outcome === 'completed');
    expect(finals).toHaveLength(1);
    expect(outcomesOf(h, D, 'pay-3').filter((o) => o.outcome === 'received')).toEqual([
      expect.objectContaining({ amount: 100n }),
    ]);
    // Paid once: A gave 100, D got 100 from E, and C's and B's side of the first route are untouched.
    expect(h.nodes[A]!.available(AB, 'PTS')).toBe(900n);
    expect(h.nodes[B]!.available(AB, 'PTS')).toBe(100n);
    expect(h.nodes[B]!.available(BE, 'PTS')).toBe(900n);
    expect(h.nodes[D]!.available(ED, 'PTS')).toBe(100n);
    expect(h.nodes[D]!.available(CD, 'PTS')).toBe(1_000n);
    expect(h.nodes[C]!.available(BC, 'PTS')).toBe(0n);
    for (const node of h.nodes) expect(node.pendingLocks()).toBe(0);
    // After the payment completed no further attempt is taken.
    pay(3, firstRoute);
    h.collect();
    expect(outcomesOf(h, A, 'pay-3').at(-1)).toMatchObject({ outcome: 'failed', reason: NOT_RETRYABLE });
    expect(h.nodes[A]!.counters.batchesRejected + h.nodes[B]!.counters.batchesRejected).toBe(0);
  });
});

/** Node i stops (its writes not yet confirmed are lost) and starts again from its durable records. */
function restart(h: Harness, i: number, records = h.durable[i]!): ChannelNode {
  h.pendingWrites[i]!.splice(0);
  const node = new ChannelNode(h.configs[i]!, records, h.now);
  h.nodes[i] = node;
  h.collect();
  return node;
}

/** Node i hears a `fail` and then no acknowledgement (its peer's answers to its removal are lost). */
function loseAcksAfterFail(h: Harness, i: number): () => boolean {
  let failed = false;
  const node = h.nodes[i]!;
  const receive = node.receive.bind(node);
  node.receive = (from, msg) => {
    if (failed && msg.t === 'ack') return;
    if (msg.t === 'fail') failed = true;
    receive(from, msg);
  };
  return () => failed;
}

describe('a failure and a restart', () => {
  const plan: PaymentPlan = { payee: 'payee', tried: 2, deadline: 5_000_000, excluded: ['x/y', 'y/z'] };
  const expected = (h: Harness) => ({
    outcome: 'failed',
    attempt: 1,
    failure: expect.objectContaining({ node: h.address(C), next: h.address(D), code: 'no_capacity' }),
    reason: `${ROUTE_FAILURE}no_capacity at ${h.address(C)} → ${h.address(D)}`,
  });

  it('keeps where and why when the node restarts before the removal is acknowledged', () => {
    const { h, hashlock, firstRoute } = network();
    loseAcksAfterFail(h, A);
    h.nodes[A]!.pay({ id: 'pay-r1', asset: 'PTS', amount: 100n, route: firstRoute, hashlock, plan });
    run(h);
    // The removal is signed and durable, never acknowledged: no outcome yet.
    expect(outcomesOf(h, A, 'pay-r1').filter((o) => o.outcome === 'failed')).toEqual([]);
    expect(h.durable[A]!.filter((r) => r.t === 'failure')).toEqual([
      { t: 'failure', hashlock, attempt: 1, failure: fails(h, B)[0]!.failure },
    ]);

    const node = restart(h, A);
    expect(node.paymentsInFlight()).toEqual([expect.objectContaining({ id: 'pay-r1', attempt: 1, plan })]);
    run(h);
    expect(outcomesOf(h, A, 'pay-r1').filter((o) => o.outcome === 'failed')).toEqual([
      expect.objectContaining(expected(h)),
    ]);
    expect(node.available(AB, 'PTS')).toBe(1_000n);
    // The next attempt is taken after the restart.
    node.pay({ id: 'pay-r1', asset: 'PTS', amount: 100n, route: firstRoute, hashlock, attempt: 2 });
    h.collect();
    expect(outcomesOf(h, A, 'pay-r1').at(-1)?.reason).not.toBe(NOT_RETRYABLE);
  });

  it('takes the lock back after a restart that came before its removal was signed', () => {
    const { h, hashlock, firstRoute } = network();
    const failed = loseAcksAfterFail(h, A);
    h.nodes[A]!.pay({ id: 'pay-r2', asset: 'PTS', amount: 100n, route: firstRoute, hashlock });
    // Up to the input that brought the failure (its write confirmed), before a tick signs the removal.
    for (let i = 0; i < 20 && !failed(); i++) {
      h.tick();
      h.settle();
    }
    expect(failed()).toBe(true);
    expect(h.durable[A]!.some((r) => r.t === 'out' && r.ops.some((op) => op.t === 'remove'))).toBe(false);

    const node = restart(h, A);
    run(h);
    expect(outcomesOf(h, A, 'pay-r2').filter((o) => o.outcome === 'failed')).toEqual([
      expect.objectContaining(expected(h)),
    ]);
    expect(node.available(AB, 'PTS')).toBe(1_000n);
    expect(node.pendingLocks()).toBe(0);
    expect(h.nodes[B]!.counters.batchesRejected).toBe(0);
  });

  it('restores the same from a checkpoint as from the whole log', () => {
    const { h, hashlock, firstRoute } = network();
    loseAcksAfterFail(h, A);
    h.nodes[A]!.pay({ id: 'pay-r3', asset: 'PTS', amount: 100n, route: firstRoute, hashlock, plan });
    run(h);
    const fold = new RecordFold();
    fold.add(h.durable[A]!, h.now);
    const records = fold.records(h.now);
    expect(records.filter((r) => r.t === 'failure')).toHaveLength(1);
    expect(records.filter((r) => r.t === 'payment')).toEqual([
      { t: 'payment', id: 'pay-r3', asset: 'PTS', amount: 100n, plan },
    ]);
    const node = restart(h, A, records);
    expect(node.paymentsInFlight()).toEqual([expect.objectContaining({ id: 'pay-r3', plan })]);
    run(h);
    expect(outcomesOf(h, A, 'pay-r3').filter((o) => o.outcome === 'failed')).toEqual([
      expect.objectContaining(expected(h)),
    ]);
  });
});

describe('a payment tried again before a restart', () => {
  it('does not report its earlier attempt again when the removal of that lock is sent again', () => {
    // A reaches D through B and C (C has nothing to send D) or through E, over another channel of A's.
    const AE = 'a2'.repeat(32);
    const h = new Harness(5);
    h.open(AB, A, B, { PTS: [1_000n, 0n] });
    h.open(BC, B, C, { PTS: [1_000n, 0n] });
    h.open(CD, C, D, { PTS: [0n, 1_000n] });
    h.open(AE, A, E, { PTS: [1_000n, 0n] });
    h.open(ED, E, D, { PTS: [1_000n, 0n] });
    const hashlock = h.nodes[D]!.addInvoice(utf8('restart-attempt-preimage'));
    h.collect();
    h.persistAll();
    const pay = (attempt: number, route: readonly string[]) =>
      h.nodes[A]!.pay({ id: 'pay-s1', asset: 'PTS', amount: 100n, route, hashlock, attempt });
    pay(1, [h.address(B), h.address(C), h.address(D)]);
    run(h);
    expect(outcomesOf(h, A, 'pay-s1').at(-1)).toMatchObject({ outcome: 'failed', attempt: 1 });
    // Attempt 2 goes out to E, which is unreachable: A's newest batch to B is still attempt 1's removal.
    h.cut.add(E);
    pay(2, [h.address(E), h.address(D)]);
    run(h);
    const before = outcomesOf(h, A, 'pay-s1').length;

    const node = restart(h, A);
    expect(node.paymentsInFlight()).toEqual([
      expect.objectContaining({ id: 'pay-s1', peer: h.address(E), attempt: 2 }),
    ]);
    run(h);
    // B acknowledged the removal it was sent again: nothing is reported for attempt 1 a second time.
    expect(outcomesOf(h, A, 'pay-s1').slice(before)).toEqual([]);
    // E is back: A sends attempt 2 again (its retransmission time has come) and it settles.
    h.cut.delete(E);
    for (let i = 0; i < 3; i++) {
      h.tick(600);
      h.settle();
      run(h);
    }
    expect(
      outcomesOf(h, A, 'pay-s1')
        .slice(before)
        .map((o) => o.outcome),
    ).toEqual(['completed']);
    expect(node.available(AE, 'PTS')).toBe(900n);
    expect(node.available(AB, 'PTS')).toBe(1_000n);
  });
});
