import { inclusionProof, leafHash, merkleRoot, toHex, utf8, verifyInclusion } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { describe, expect, it } from 'vitest';
import { Lru, MerkleLevels } from '../src/api/merkle-cache';
import { RateLimiter } from '../src/api/rate-limit';

const suite = getSuite('ed25519-sha256');
const hex = (path: Uint8Array[]) => path.map((p) => toHex(p));

describe('cached Merkle levels', () => {
  it('give the root and the audit paths of the ledger for every index of trees up to 70 leaves', () => {
    for (let n = 1; n <= 70; n++) {
      const leaves = Array.from({ length: n }, (_, i) => utf8(`leaf ${i}`));
      const leafHashes = leaves.map((l) => leafHash(suite.hash, l));
      const tree = new MerkleLevels(suite.hash, leafHashes);
      expect(toHex(tree.root!)).toBe(toHex(merkleRoot(suite.hash, leaves)));
      for (let i = 0; i < n; i++) {
        const mine = tree.proof(i);
        const theirs = inclusionProof(suite.hash, leafHashes, i);
        expect({ ...mine, path: hex(mine.path) }).toEqual({ ...theirs, path: hex(theirs.path) });
        expect(verifyInclusion(suite.hash, leaves[i]!, mine, tree.root!)).toBe(true);
      }
      expect(() => tree.proof(n)).toThrow(RangeError);
    }
  });

  it('an LRU keeps only the most recently used entries', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3]);
  });
});

describe('the submission rate limiter', () => {
  it('allows a burst, then one token per 1/rate seconds', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(500);
    expect(limiter.take('b')).toBe(0);
    now += 500;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
  });
});
