import {
  type BalanceProof,
  balanceProofBytes,
  batchRootOf,
  countersignBytes,
  encodeLock,
  type Lock,
  locksRootOf,
} from '@gongxin/contracts';
import { EncodingError, encodeCanonical, leafHash, type Value } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { countersignedBytes, encodeLockBytes, lockLeafHash, opLeafHash, proofBytes } from '../src/canonical';
import { encodeOp, type LockEntry, locksRootOfEntries, type Op, opsRoot, toLock } from '../src/messages';
import { rng, suite } from './harness';

const r = rng(7);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const INTS = [0, 1, 23, 24, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 7, 2 ** 53 - 1];
const AMOUNTS = [1n, 23n, 24n, 255n, 256n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 64n - 1n];
const TEXTS = [
  '',
  'p1',
  'x'.repeat(23),
  'y'.repeat(24),
  'z'.repeat(255),
  'w'.repeat(300),
  'paiement-é',
  '支付-7',
];
const hex = () => Array.from({ length: 64 }, () => pick([...'0123456789abcdef'])).join('');

function randomOp(): Op {
  switch (pick(['pay', 'lock', 'unlock', 'remove'] as const)) {
    case 'pay':
      return { t: 'pay', id: pick(TEXTS), amount: pick(AMOUNTS) };
    case 'lock':
      return {
        t: 'lock',
        id: pick(TEXTS),
        amount: pick(AMOUNTS),
        hashlock: hex(),
        expiry: pick(INTS),
        route: Array.from({ length: Math.floor(r() * 4) }, () => pick(TEXTS)),
        ...(r() < 0.5 && { attempt: pick([2, 3, 300]) }),
      };
    case 'unlock':
      return {
        t: 'unlock',
        hashlock: hex(),
        preimage: Uint8Array.from({ length: pick([0, 1, 32, 64]) }, () => Math.floor(r() * 256)),
      };
    case 'remove':
      return { t: 'remove', hashlock: hex() };
  }
}

const randomLock = (): Lock => ({ amount: pick(AMOUNTS), hashlock: hex(), expiry: pick(INTS) });

describe('canonical encodings of operations, locks and proofs', () => {
  it('are the bytes encodeCanonical and the contract give, and their leaf hashes', () => {
    for (let i = 0; i < 2_000; i++) {
      const op = randomOp();
      const generic = encodeCanonical(op as unknown as Value);
      expect(encodeOp(op)).toEqual(generic);
      expect(opLeafHash(suite.hash, op)).toEqual(leafHash(suite.hash, generic));
      const lock = randomLock();
      expect(encodeLockBytes(lock)).toEqual(encodeLock(lock));
      expect(lockLeafHash(suite.hash, lock)).toEqual(leafHash(suite.hash, encodeLock(lock)));
    }
  });

  it('give the contract batch root over a batch of operations', () => {
    for (let n = 0; n < 40; n++) {
      const ops = Array.from({ length: n }, randomOp);
      expect(opsRoot(suite, ops)).toEqual(
        batchRootOf(
          suite,
          ops.map((op) => encodeCanonical(op as never)),
        ),
      );
    }
  });

  it('give the bytes the contract signs and countersigns for a balance proof', () => {
    for (let i = 0; i < 500; i++) {
      const proof: BalanceProof = {
        chain: pick(TEXTS),
        channel: pick(TEXTS),
        asset: pick(['GXC', 'USD', 'Ω']),
        nonce: pick(INTS),
        transferred: pick([0n, ...AMOUNTS]),
        locked: pick([0n, ...AMOUNTS]),
        locksRoot: suite.hash(Uint8Array.of(i)),
        batchRoot: suite.hash(Uint8Array.of(i, 1)),
      };
      expect(proofBytes(proof)).toEqual(balanceProofBytes(proof));
      expect(countersignedBytes(proof)).toEqual(countersignBytes(proof));
    }
  });

  it('refuse what encodeCanonical refuses', () => {
    const bad: Op[] = [
      { t: 'pay', id: 'p', amount: 2n ** 64n },
      { t: 'lock', id: 'p', amount: 1n, hashlock: hex(), expiry: 1.5, route: [] },
      { t: 'pay', id: '\ud800', amount: 1n },
    ];
    for (const op of bad) {
      expect(() => encodeCanonical(op as unknown as Value)).toThrow(EncodingError);
      expect(() => encodeOp(op)).toThrow(EncodingError);
      expect(() => opLeafHash(suite.hash, op)).toThrow(EncodingError);
    }
  });
});

describe('locks root kept from proof to proof', () => {
  it('equals the contract root from scratch after random adds and removes', () => {
    let next = 0;
    const entry = (): LockEntry => ({
      id: `p${next}`,
      amount: pick(AMOUNTS),
      hashlock: (next++).toString(16).padStart(64, '0'),
      expiry: pick(INTS),
      route: [],
      ...(r() < 0.2 && { attempt: 2 }),
    });
    let locks: LockEntry[] = [];
    for (let step = 0; step < 1_500; step++) {
      // Mostly the oldest lock resolves first, sometimes any other; new ones go at the end.
      const removals = Math.floor(r() * 4);
      for (let k = 0; k < removals && locks.length > 0; k++) {
        const at = r() < 0.6 ? 0 : Math.floor(r() * locks.length);
        locks = locks.filter((_, i) => i !== at);
      }
      const adds = Math.floor(r() * (locks.length > 100 ? 2 : 5));
      locks = [...locks, ...Array.from({ length: adds }, entry)];
      const expected = locksRootOf(suite, locks.map(toLock));
      expect(locksRootOfEntries(suite, locks)).toEqual(expected);
      // The same state again (an unchanged direction), and a root a caller changed does not leak back.
      const root = locksRootOfEntries(suite, locks);
      expect(root).toEqual(expected);
      root.fill(0);
      expect(locksRootOfEntries(suite, locks)).toEqual(expected);
    }
  });
});
