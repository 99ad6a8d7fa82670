import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes';
import { inclusionProof, leafHash, merkleRoot, verifyInclusion } from './merkle';

const sha256 = (d: Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest());

// The RFC 6962 reference tree used by Certificate Transparency's own tests (certificate-transparency-go
// merkle/testonly): eight leaves and the roots of each prefix.
const ctLeaves = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(fromHex);
const ctRoots = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('RFC 6962 Merkle trees', () => {
  it('matches the Certificate Transparency reference roots for every prefix of the test tree', () => {
    for (let n = 1; n <= ctLeaves.length; n++) {
      expect(toHex(merkleRoot(sha256, ctLeaves.slice(0, n)))).toBe(ctRoots[n - 1]);
    }
  });

  it('gives SHA-256 of nothing for the empty tree', () => {
    expect(toHex(merkleRoot(sha256, []))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('proves and verifies every leaf of trees of every size up to 40', () => {
    for (let size = 1; size <= 40; size++) {
      const leaves = Array.from({ length: size }, (_, i) => new Uint8Array([i, size]));
      const hashes = leaves.map((l) => leafHash(sha256, l));
      const root = merkleRoot(sha256, leaves);
      for (let i = 0; i < size; i++) {
        const proof = inclusionProof(sha256, hashes, i);
        expect(verifyInclusion(sha256, leaves[i]!, proof, root)).toBe(true);
        // The same leaf claimed at another position must fail. (A proof does not by itself pin the tree
        // size: the block header carries the counts and verifyRecord checks them.)
        if (size > 1)
          expect(verifyInclusion(sha256, leaves[i]!, { ...proof, index: (i + 1) % size }, root)).toBe(false);
      }
    }
  });

  it('fails on any flipped bit of leaf, path or root, and on truncated or extended paths', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 64 }), fc.nat(), fc.nat(), (size, at, bit) => {
        const leaves = Array.from({ length: size }, (_, i) => new Uint8Array([i]));
        const hashes = leaves.map((l) => leafHash(sha256, l));
        const root = merkleRoot(sha256, leaves);
        const index = at % size;
        const proof = inclusionProof(sha256, hashes, index);
        const flip = (b: Uint8Array) => {
          const c = b.slice();
          c[(bit >> 3) % c.length]! ^= 1 << (bit & 7);
          return c;
        };
        expect(verifyInclusion(sha256, flip(leaves[index]!), proof, root)).toBe(false);
        expect(verifyInclusion(sha256, leaves[index]!, proof, flip(root))).toBe(false);
        const k = bit % proof.path.length;
        const path = proof.path.map((p, i) => (i === k ? flip(p) : p));
        expect(verifyInclusion(sha256, leaves[index]!, { ...proof, path }, root)).toBe(false);
        expect(verifyInclusion(sha256, leaves[index]!, { ...proof, path: proof.path.slice(1) }, root)).toBe(
          false,
        );
        expect(verifyInclusion(sha256, leaves[index]!, { ...proof, path: [...proof.path, root] }, root)).toBe(
          false,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('refuses nonsense proofs without throwing', () => {
    const root = merkleRoot(sha256, [new Uint8Array([1])]);
    expect(verifyInclusion(sha256, new Uint8Array([1]), { index: 0, size: 1, path: [] }, root)).toBe(true);
    expect(verifyInclusion(sha256, new Uint8Array([1]), { index: -1, size: 1, path: [] }, root)).toBe(false);
    expect(verifyInclusion(sha256, new Uint8Array([1]), { index: 0, size: 0, path: [] }, root)).toBe(false);
    expect(verifyInclusion(sha256, new Uint8Array([1]), { index: 0.5, size: 2, path: [root] }, root)).toBe(
      false,
    );
    expect(
      verifyInclusion(sha256, new Uint8Array([1]), { index: 0, size: 2, path: [new Uint8Array(3)] }, root),
    ).toBe(false);
  });
});
