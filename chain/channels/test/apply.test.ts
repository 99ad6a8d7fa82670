import { describe, expect, it } from 'vitest';
import { applyOps, type Signed } from '../src/machine';
import type { LockEntry, Op } from '../src/messages';
import { rng } from './harness';

/** Operations applied one at a time, as the protocol states them: the reference for `applyOps`. */
function oneByOne(state: Signed, ops: readonly Op[]): Signed {
  let transferred = state.transferred;
  let locks = [...state.locks];
  for (const op of ops) {
    if (op.t === 'pay') transferred += op.amount;
    else if (op.t === 'lock')
      locks.push({
        id: op.id,
        amount: op.amount,
        hashlock: op.hashlock,
        expiry: op.expiry,
        route: op.route,
        ...(op.attempt !== undefined && { attempt: op.attempt }),
      });
    else {
      const at = locks.findIndex((l) => l.hashlock === op.hashlock);
      if (at < 0) continue;
      if (op.t === 'unlock') transferred += locks[at]!.amount;
      locks = locks.filter((_, i) => i !== at);
    }
  }
  return { nonce: state.nonce, transferred, locks };
}

describe('applying a batch to a side', () => {
  it('gives what applying its operations one by one gives, in one pass', () => {
    const r = rng(11);
    // Few hashlocks, so batches add, pay and remove the same ones, also twice and in one batch.
    const hashlock = () =>
      Math.floor(r() * 12)
        .toString(16)
        .padStart(64, '0');
    const preimage = new Uint8Array(32);
    let n = 0;
    let state: Signed = { nonce: 1, transferred: 0n, locks: [] };
    for (let step = 0; step < 3_000; step++) {
      const ops: Op[] = Array.from({ length: Math.floor(r() * 8) }, (): Op => {
        const x = r();
        if (x < 0.2) return { t: 'pay', id: `p${n++}`, amount: BigInt(1 + Math.floor(r() * 9)) };
        if (x < 0.6)
          return {
            t: 'lock',
            id: `p${n++}`,
            amount: BigInt(1 + Math.floor(r() * 9)),
            hashlock: hashlock(),
            expiry: 1_000 + step,
            route: r() < 0.5 ? [] : ['gx1next'],
            ...(r() < 0.2 && { attempt: 2 }),
          };
        if (x < 0.8) return { t: 'unlock', hashlock: hashlock(), preimage };
        return { t: 'remove', hashlock: hashlock() };
      });
      const next = applyOps(state, ops);
      expect(next).toEqual(oneByOne(state, ops));
      // Locks no operation changed are the same entries; a batch that changes none shares the array.
      const before = new Set(state.locks);
      expect(next.locks.filter((l) => before.has(l))).toEqual(
        state.locks.filter((l) => next.locks.includes(l)),
      );
      if (ops.every((op) => op.t === 'pay')) expect(next.locks).toBe(state.locks);
      state = next.locks.length > 40 ? { ...next, locks: next.locks.slice(20) as LockEntry[] } : next;
    }
  });
});
