// Pending locks per balance proof: the contract takes at most MAX_LOCKS locks in a proof, so no proof a
// node signs or countersigns may hold more. A direction holding that many refuses a new lock: the payer's
// payment fails at once (LOCK_LIMIT), an intermediary forwards over another channel to the next hop or
// fails the lock upstream at once (the upstream lock is taken back), and a receiver refuses a batch whose
// proof would hold more.
import { balanceProofBytes, MAX_LOCKS, type SignedBalanceProof, sumLocks } from '@gongxin/contracts';
import { utf8 } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { LOCK_LIMIT } from '../src/machine';
import { type LockEntry, locksRootOfEntries, type Message, type Op, opsRoot } from '../src/messages';
import { CHAIN, Harness, HOP_MS, suite } from './harness';

const AB = 'ab'.repeat(32);
const AB2 = 'ac'.repeat(32);
const BC = 'bc'.repeat(32);
const BC2 = 'bd'.repeat(32);
const DB = 'db'.repeat(32);

/** The most locks any proof a node signed or accepted held (from its durable records). */
function mostLocks(h: Harness, i: number): number {
  let most = 0;
  for (const r of h.durable[i]!) if (r.t === 'out' || r.t === 'in') most = Math.max(most, r.locks.length);
  return most;
}

function failures(h: Harness, i: number): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const e of h.effects[i]!) if (e.t === 'outcome' && e.outcome === 'failed') out.set(e.id, e.reason);
  return out;
}

/** Node `from` pays `count` hash-locked payments of 1 unit over `route`, each on its own hashlock. */
function payLocked(h: Harness, from: number, prefix: string, count: number, route: string[]): void {
  for (let k = 0; k < count; k++) {
    const hashlock = h.nodes[2]!.addInvoice(utf8(`${prefix} ${k}`));
    h.nodes[from]!.pay({ id: `${prefix}-${k}`, asset: 'PTS', amount: 1n, route, hashlock });
  }
  h.collect();
}

function run(h: Harness, rounds = 4): void {
  for (let r = 0; r < rounds; r++) {
    h.tick();
    h.settle();
  }
}

describe('pending locks per balance proof', () => {
  it("refuses the payer's new lock on a full direction, and takes another channel to the peer when there is one", () => {
    // Node 1 holds every lock it gets (it never releases them), so they stay pending.
    const h = new Harness(3, {}, (i) => (i === 1 ? { holdLocks: true } : {}));
    h.open(AB, 0, 1, { PTS: [10_000n, 0n] });
    const route = [h.address(1)];
    for (let k = 0; k < MAX_LOCKS; k++) {
      const hashlock = h.nodes[1]!.addInvoice(utf8(`held ${k}`));
      h.nodes[0]!.pay({ id: `held-${k}`, asset: 'PTS', amount: 1n, route, hashlock });
    }
    h.collect();
    run(h);
    expect(failures(h, 0).size).toBe(0);
    expect(h.nodes[1]!.counters.batchesRejected).toBe(0);
    expect(mostLocks(h, 0)).toBe(MAX_LOCKS);
    expect(mostLocks(h, 1)).toBe(MAX_LOCKS);

    // One more lock is refused at once, with its reason, and counted; nothing is kept for it.
    const extra = h.nodes[1]!.addInvoice(utf8('one too many'));
    h.nodes[0]!.pay({ id: 'one-too-many', asset: 'PTS', amount: 1n, route, hashlock: extra });
    h.collect();
    expect(failures(h, 0).get('one-too-many')).toBe(LOCK_LIMIT);
    expect(h.nodes[0]!.counters.lockLimitRefusals).toBe(1);
    expect(h.nodes[0]!.paymentIdTaken('one-too-many')).toBe(false);
    // A direct payment takes no lock: it still goes.
    h.nodes[0]!.pay({ id: 'direct', asset: 'PTS', amount: 5n, route });
    run(h);
    expect(h.outcomes(0)).toContainEqual(['direct', 'completed']);
    expect(mostLocks(h, 0)).toBe(MAX_LOCKS);

    // With a second channel to the same peer, the lock goes there instead.
    h.open(AB2, 0, 1, { PTS: [1_000n, 0n] });
    h.nodes[0]!.pay({ id: 'other-channel', asset: 'PTS', amount: 1n, route, hashlock: extra });
    run(h);
    expect(failures(h, 0).has('other-channel')).toBe(false);
    expect(h.nodes[0]!.paymentsInFlight().find((p) => p.id === 'other-channel')?.channel).toBe(AB2);
    expect(h.nodes[0]!.counters.lockLimitRefusals).toBe(1);

    // The held locks expire: their slots come back.
    for (let t = 0; t < HOP_MS / 1000 + 2; t++) {
      h.tick(1000);
      h.settle();
    }
    expect(h.nodes[0]!.pendingLocks()).toBe(0);
    const again = h.nodes[1]!.addInvoice(utf8('after expiry'));
    h.nodes[0]!.pay({ id: 'after-expiry', asset: 'PTS', amount: 1n, route, hashlock: again });
    h.collect();
    expect(failures(h, 0).has('after-expiry')).toBe(false);
  });

  it('fails a forward upstream at once when the next direction is full, or forwards it over another channel', () => {
    // 0 → 1 → 2, and 3 → 1: node 2 holds every lock it gets.
    const h = new Harness(4, {}, (i) => (i === 2 ? { holdLocks: true } : {}));
    h.open(AB, 0, 1, { PTS: [10_000n, 0n] });
    h.open(BC, 1, 2, { PTS: [10_000n, 0n] });
    h.open(DB, 3, 1, { PTS: [10_000n, 0n] });
    payLocked(h, 0, 'fill', MAX_LOCKS, [h.address(1), h.address(2)]);
    run(h);
    expect(mostLocks(h, 1)).toBe(MAX_LOCKS);
    expect(h.nodes[1]!.pendingLocks()).toBe(2 * MAX_LOCKS);

    // Node 3's payment reaches node 1, which cannot forward it: it fails it upstream at once, node 3
    // takes its lock back and reports the payment failed, long before the lock's expiry.
    const started = h.now;
    payLocked(h, 3, 'blocked', 1, [h.address(1), h.address(2)]);
    run(h, 6);
    expect(h.outcomes(3)).toContainEqual(['blocked-0', 'failed']);
    expect(h.now - started).toBeLessThan(HOP_MS);
    expect(h.nodes[1]!.counters.forwardsRefused).toBe(1);
    expect(h.nodes[1]!.counters.lockLimitRefusals).toBe(1);
    expect(h.sent(1, 'fail')).toHaveLength(1);
    expect(h.nodes[3]!.pendingLocks()).toBe(0);
    expect(h.nodes[3]!.available(DB, 'PTS')).toBe(10_000n);
    expect(mostLocks(h, 1)).toBe(MAX_LOCKS);
    expect(mostLocks(h, 2)).toBe(MAX_LOCKS);

    // A second channel from node 1 to node 2: the next lock is forwarded over it instead.
    h.open(BC2, 1, 2, { PTS: [1_000n, 0n] });
    payLocked(h, 3, 'rerouted', 1, [h.address(1), h.address(2)]);
    run(h, 6);
    expect(h.outcomes(3).some(([id, o]) => id === 'rerouted-0' && o === 'failed')).toBe(false);
    const forwarded = h
      .sent(1, 'batch')
      .filter((m) => m.t === 'batch' && m.channel === BC2 && m.ops.some((op) => op.t === 'lock'));
    expect(forwarded).toHaveLength(1);
    expect(h.nodes[1]!.counters.forwardsRefused).toBe(1);
  });

  it('refuses a batch whose proof would hold more pending locks than the contract takes', () => {
    const h = new Harness(2);
    h.open(AB, 0, 1, { PTS: [10_000n, 0n] });
    const { privateKey } = h.accounts[0]!;
    // A batch of `count` new locks, as a sender that ignores the limit would sign it.
    const batch = (count: number): Extract<Message, { t: 'batch' }> => {
      const ops: Op[] = [];
      const locks: LockEntry[] = [];
      for (let k = 0; k < count; k++) {
        const lock = {
          id: `l${k}`,
          amount: 1n,
          hashlock: k.toString(16).padStart(64, '0'),
          expiry: h.now + HOP_MS,
          route: [],
        };
        ops.push({ t: 'lock', ...lock });
        locks.push(lock);
      }
      const body = {
        chain: CHAIN,
        channel: AB,
        asset: 'PTS',
        nonce: 1,
        transferred: 0n,
        locked: sumLocks(locks),
        locksRoot: locksRootOfEntries(suite, locks),
        batchRoot: opsRoot(suite, ops),
      };
      const proof: SignedBalanceProof = {
        ...body,
        signature: suite.sign(balanceProofBytes(body), privateKey),
      };
      return { t: 'batch', channel: AB, asset: 'PTS', proof, ops };
    };
    h.nodes[1]!.receive(h.address(0), batch(MAX_LOCKS + 1));
    h.collect();
    expect(h.nodes[1]!.counters.batchesRejected).toBe(1);
    expect(h.nodes[1]!.rejections.at(-1)).toContain(`${MAX_LOCKS + 1} pending locks (at most ${MAX_LOCKS})`);
    expect(h.sent(1, 'ack')).toHaveLength(0);
    // At the limit it is taken.
    h.nodes[1]!.receive(h.address(0), batch(MAX_LOCKS));
    h.collect();
    h.persistAll();
    expect(h.nodes[1]!.counters.batchesRejected).toBe(1);
    expect(h.sent(1, 'ack')).toHaveLength(1);
    expect(mostLocks(h, 1)).toBe(MAX_LOCKS);
  });
});
