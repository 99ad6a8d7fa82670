// A hub routes payments for months: what a node keeps per payment must go once the payment is over, so
// its memory depends on what is in flight, not on how much it has ever routed.
import { hashlockOf, MAX_LOCK_MS } from '@gongxin/contracts';
import { utf8 } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { ChannelNode } from '../src/machine';
import { Harness, HOP_MS, MARGIN_MS, suite } from './harness';

const HUB = 0;
const SPOKES = [1, 2, 3, 4, 5];
const WINDOW_MS = 60_000;
const ASSETS = ['PTS', 'CNYX'] as const;

function hub(): Harness {
  const h = new Harness(1 + SPOKES.length, { paymentIdWindowMs: WINDOW_MS });
  for (const s of SPOKES)
    h.open(`ch-${s}`, HUB, s, { PTS: [10n ** 12n, 10n ** 12n], CNYX: [10n ** 12n, 10n ** 12n] });
  return h;
}

/** Node i starts again from its durable records alone. */
function restart(h: Harness, i: number): void {
  h.pendingWrites[i]!.splice(0);
  h.nodes[i] = new ChannelNode(
    {
      suite,
      chainId: 'gongxin-test',
      privateKey: h.accounts[i]!.privateKey,
      maxBatch: 256,
      retransmitMs: 500,
      revealMarginMs: MARGIN_MS,
      hopDeltaMs: HOP_MS,
      paymentIdWindowMs: WINDOW_MS,
    },
    h.durable[i]!,
    h.now,
  );
}

/** Ticks and delivers until nothing is in flight anywhere. */
function drain(h: Harness): void {
  for (let i = 0; i < 40; i++) {
    h.tick();
    h.settle();
    if (h.nodes.every((n) => n.idle() && n.pendingLocks() === 0)) return;
  }
  throw new Error('the network did not settle');
}

describe('per-payment bookkeeping', () => {
  it('returns to its starting size after 2,000 routed and direct payments through a hub', () => {
    const h = hub();
    const before = h.nodes.map((n) => n.bookkeeping());
    const expected = new Map<string, { payer: number; outcome: 'completed' | 'failed' }>();
    const spoke = (k: number) => SPOKES[k % SPOKES.length]!;
    let chainReveals = 0;
    for (let round = 0; round < 20; round++) {
      const revealOnChain: { hashlock: string; preimage: Uint8Array }[] = [];
      for (let k = 0; k < 100; k++) {
        const n = round * 100 + k;
        const id = `p${n}`;
        const asset = ASSETS[n % 2]!;
        const amount = BigInt(1 + (n % 97));
        const from = spoke(n);
        const to = spoke(n + 1 + (round % 4));
        switch (n % 5) {
          case 0:
          case 1: {
            // Through the hub to a payee with an invoice; some preimages also show up on chain.
            const preimage = utf8(`invoice ${n}`);
            const hashlock = h.nodes[to]!.addInvoice(preimage);
            h.nodes[from]!.pay({ id, asset, amount, route: [h.address(HUB), h.address(to)], hashlock });
            if (n % 7 === 0) revealOnChain.push({ hashlock, preimage });
            expected.set(id, { payer: from, outcome: 'completed' });
            break;
          }
          case 2: {
            // Through the hub to a payee that knows no such invoice: failed back upstream.
            const hashlock = hashlockOf(suite, utf8(`unknown ${n}`));
            h.nodes[from]!.pay({ id, asset, amount, route: [h.address(HUB), h.address(to)], hashlock });
            // And a locked payment of the hub's own, straight to an invoice of the payee.
            const invoice = h.nodes[to]!.addInvoice(utf8(`direct ${n}`));
            h.nodes[HUB]!.pay({ id: `${id}-inv`, asset, amount, route: [h.address(to)], hashlock: invoice });
            expected.set(id, { payer: from, outcome: 'failed' });
            expected.set(`${id}-inv`, { payer: HUB, outcome: 'completed' });
            break;
          }
          case 3:
            // Direct, to the hub.
            h.nodes[from]!.pay({ id, asset, amount, route: [h.address(HUB)] });
            expected.set(id, { payer: from, outcome: 'completed' });
            break;
          default:
            // Direct, from the hub.
            h.nodes[HUB]!.pay({ id, asset, amount, route: [h.address(to)] });
            expected.set(id, { payer: HUB, outcome: 'completed' });
        }
      }
      h.collect();
      h.tick();
      h.settle();
      // The chain's registry reports every reveal to every node, whether or not it holds a lock on it.
      chainReveals += revealOnChain.length;
      for (const r of revealOnChain)
        for (const node of h.nodes) node.chainEvent({ t: 'preimage', ...r, time: h.now });
      h.collect();
      drain(h);
      // And once more after they settled (a reveal reaches a node late): no lock is on them any more.
      for (const r of revealOnChain)
        for (const node of h.nodes) node.chainEvent({ t: 'preimage', ...r, time: h.now });
      h.collect();
      h.settle();
    }
    // Every payment has its outcome.
    const outcomes = new Map<string, string>();
    for (const i of h.nodes.keys())
      for (const [id, o] of h.outcomes(i)) if (o === 'completed' || o === 'failed') outcomes.set(id, o);
    expect(expected.size).toBe(2_400);
    for (const [id, { outcome }] of expected) expect(outcomes.get(id), id).toBe(outcome);
    expect(h.nodes[HUB]!.counters.batchesRejected).toBe(0);

    // Within the id window the payers still remember their ids: a repeated id is refused.
    expect(h.nodes[SPOKES[0]!]!.paymentIdTaken('p0')).toBe(true);
    expect(h.nodes[SPOKES[0]!]!.paymentIdTaken('p-never')).toBe(false);
    h.nodes[SPOKES[0]!]!.pay({ id: 'p0', asset: 'PTS', amount: 1n, route: [h.address(HUB)] });
    expect(h.nodes[SPOKES[0]!]!.drain()).toContainEqual(
      expect.objectContaining({ t: 'outcome', id: 'p0', outcome: 'failed', reason: 'duplicate id' }),
    );
    // The hub routed 1,200 payments; what it still keeps is only its own recent ids.
    // Reveals on chain for locks it no longer holds are kept for a bounded time (MAX_LOCK_MS).
    const hubNow = h.nodes[HUB]!.bookkeeping();
    expect({ ...hubNow, recentIds: 0, laterReveals: 0 }).toEqual({
      ...before[HUB]!,
      recentIds: 0,
      laterReveals: 0,
    });
    expect(hubNow.recentIds).toBe(800);
    expect(hubNow.laterReveals).toBe(chainReveals);

    // Once the windows have passed, everything is back to where it started.
    h.tick(MAX_LOCK_MS + 1);
    h.settle();
    for (const [i, node] of h.nodes.entries()) expect(node.bookkeeping(), `node ${i}`).toEqual(before[i]);
    expect(h.nodes[SPOKES[0]!]!.paymentIdTaken('p0')).toBe(false);

    // A restart replays the whole log; what is kept is again only what is needed, and the ids of the
    // payments in the log are remembered for a window from the restart.
    for (const i of h.nodes.keys()) restart(h, i);
    h.tick();
    h.settle();
    for (const [i, node] of h.nodes.entries()) {
      const payments = h.durable[i]!.filter((r) => r.t === 'payment').length;
      expect(node.bookkeeping(), `node ${i}`).toEqual({ ...before[i], recentIds: payments });
    }
    expect(h.nodes[HUB]!.paymentIdTaken('p4')).toBe(true);
    h.nodes[HUB]!.pay({ id: 'p4', asset: 'CNYX', amount: 1n, route: [h.address(SPOKES[0]!)] });
    expect(h.nodes[HUB]!.drain()).toContainEqual(
      expect.objectContaining({ id: 'p4', outcome: 'failed', reason: 'duplicate id' }),
    );
    h.tick(WINDOW_MS + 1);
    for (const [i, node] of h.nodes.entries()) expect(node.bookkeeping(), `node ${i}`).toEqual(before[i]);
  });

  it('keeps what a payment in flight needs across a restart of the hub, and forgets it once it settles', () => {
    const h = hub();
    const before = h.nodes.map((n) => n.bookkeeping());
    const preimage = utf8('in flight');
    const hashlock = h.nodes[2]!.addInvoice(preimage);
    h.nodes[1]!.pay({ id: 'f', asset: 'PTS', amount: 40n, route: [h.address(HUB), h.address(2)], hashlock });
    h.collect();
    // The lock reaches the payee through the hub; the payee's reveal to the hub is lost.
    h.dropKinds.add('reveal');
    for (let i = 0; i < 4; i++) {
      h.tick();
      h.settle();
    }
    expect(h.nodes[HUB]!.pendingLocks()).toBe(2);
    restart(h, HUB);
    expect(h.nodes[HUB]!.bookkeeping().indexedHashlocks).toBe(2); // one incoming, one outgoing
    // The payee's preimage reaches the hub through the chain: the hub pays the payee and claims upstream.
    h.dropKinds.delete('reveal');
    h.nodes[HUB]!.chainEvent({ t: 'preimage', hashlock, preimage, time: h.now });
    h.collect();
    drain(h);
    expect(h.outcomes(1)).toContainEqual(['f', 'completed']);
    expect(h.outcomes(2)).toContainEqual(['f', 'received']);
    expect(h.nodes[HUB]!.available('ch-1', 'PTS')).toBe(10n ** 12n + 40n);
    expect(h.nodes[HUB]!.bookkeeping()).toEqual(before[HUB]);
    expect(h.nodes[1]!.bookkeeping()).toEqual({ ...before[1], recentIds: 1 });
    expect(h.nodes[2]!.bookkeeping()).toEqual(before[2]);
  });

  it('takes over a reveal on chain that came before the lock on its hashlock', () => {
    const h = hub();
    const preimage = utf8('public already');
    const hashlock = h.nodes[2]!.addInvoice(preimage);
    h.nodes[HUB]!.chainEvent({ t: 'preimage', hashlock, preimage, time: h.now });
    expect(h.nodes[HUB]!.bookkeeping()).toMatchObject({ laterReveals: 1, onChain: 0, preimages: 0 });
    h.nodes[1]!.pay({
      id: 'late',
      asset: 'PTS',
      amount: 3n,
      route: [h.address(HUB), h.address(2)],
      hashlock,
    });
    h.collect();
    h.tick();
    h.settle();
    // The lock reached the hub: the reveal now counts for it (the registry settles it if need be).
    expect(h.nodes[HUB]!.pendingLocks()).toBeGreaterThan(0);
    expect(h.nodes[HUB]!.bookkeeping()).toMatchObject({ laterReveals: 0, onChain: 1, preimages: 1 });
    drain(h);
    expect(h.outcomes(1)).toContainEqual(['late', 'completed']);
    expect(h.nodes[HUB]!.bookkeeping()).toMatchObject({ laterReveals: 0, onChain: 0, preimages: 0 });
  });

  it('refuses a request older than the payment id window, and one from the future', () => {
    const h = hub();
    const payer = h.nodes[1]!;
    payer.pay({
      id: 'old',
      asset: 'PTS',
      amount: 1n,
      route: [h.address(HUB)],
      createdAt: h.now - WINDOW_MS - 1,
    });
    payer.pay({ id: 'ahead', asset: 'PTS', amount: 1n, route: [h.address(HUB)], createdAt: h.now + 1 });
    payer.pay({
      id: 'fresh',
      asset: 'PTS',
      amount: 1n,
      route: [h.address(HUB)],
      createdAt: h.now - WINDOW_MS,
    });
    const outcomes = payer.drain().filter((e) => e.t === 'outcome');
    expect(outcomes).toContainEqual(
      expect.objectContaining({
        id: 'old',
        outcome: 'failed',
        reason: expect.stringMatching(/^request too old/),
      }),
    );
    expect(outcomes).toContainEqual(
      expect.objectContaining({ id: 'ahead', outcome: 'failed', reason: 'request time is in the future' }),
    );
    expect(outcomes.filter((e) => e.id === 'fresh')).toEqual([]);
    drain(h);
    expect(h.outcomes(1)).toContainEqual(['fresh', 'completed']);
  });
});
