// Merkle trees of the chain's transactions, events and state writes, exactly as RFC 6962 / RFC 9162
// (Certificate Transparency) defines them: leaves hashed with a 0x00 prefix and nodes with 0x01 so a
// leaf can never pass for a node, and unbalanced trees split at the largest power of two. Inclusion
// proofs are the RFC's audit paths; verification is RFC 9162 §2.1.3.2 and rejects any path whose length
// does not match the tree size (the verifier is adversarial input's first stop).
import { equalBytes } from './bytes';

export type Hasher = (data: Uint8Array) => Uint8Array;

export interface InclusionProof {
  /** Zero-based position of the leaf. */
  index: number;
  /** Number of leaves in the tree. */
  size: number;
  /** Sibling hashes from the leaf up to the root. */
  path: Uint8Array[];
}

// Scratch space for the prefixed inputs: hashing is synchronous and hashers copy their input, so one
// buffer serves every call and tree building allocates nothing but the digests.
let scratch = new Uint8Array(1024);

function prefixed(prefix: number, a: Uint8Array, b?: Uint8Array): Uint8Array {
  const length = 1 + a.length + (b?.length ?? 0);
  if (length > scratch.length) scratch = new Uint8Array(Math.max(length, scratch.length * 2));
  scratch[0] = prefix;
  scratch.set(a, 1);
  if (b) scratch.set(b, 1 + a.length);
  return scratch.subarray(0, length);
}

export function leafHash(hash: Hasher, leaf: Uint8Array): Uint8Array {
  return hash(prefixed(0, leaf));
}

export function nodeHash(hash: Hasher, left: Uint8Array, right: Uint8Array): Uint8Array {
  return hash(prefixed(1, left, right));
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k << 1 < n) k <<= 1;
  return k;
}

/**
 * Root over already-hashed leaves. Computed bottom-up level by level, which gives the same root as the
 * RFC's recursive definition: carrying an odd last node up unchanged is what the split at the largest
 * power of two amounts to.
 */
export function merkleRootOfLeafHashes(hash: Hasher, leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return hash(new Uint8Array(0));
  let level = leafHashes.slice();
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(hash, level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

export function merkleRoot(hash: Hasher, leaves: readonly Uint8Array[]): Uint8Array {
  return merkleRootOfLeafHashes(
    hash,
    leaves.map((leaf) => leafHash(hash, leaf)),
  );
}

/** RFC 6962 §2.1.1 audit path for leaf `index`. */
export function inclusionProof(
  hash: Hasher,
  leafHashes: readonly Uint8Array[],
  index: number,
): InclusionProof {
  if (!Number.isInteger(index) || index < 0 || index >= leafHashes.length) {
    throw new RangeError(`leaf index ${index} outside a tree of ${leafHashes.length}`);
  }
  const path: Uint8Array[] = [];
  const walk = (lo: number, hi: number, m: number) => {
    const n = hi - lo;
    if (n === 1) return;
    const k = largestPowerOfTwoBelow(n);
    if (m < k) {
      walk(lo, lo + k, m);
      path.push(merkleRootOfLeafHashes(hash, leafHashes.slice(lo + k, hi)));
    } else {
      walk(lo + k, hi, m - k);
      path.push(merkleRootOfLeafHashes(hash, leafHashes.slice(lo, lo + k)));
    }
  };
  walk(0, leafHashes.length, index);
  return { index, size: leafHashes.length, path };
}

/** Root implied by a leaf hash and its audit path (RFC 9162 §2.1.3.2), or null when the path is malformed. */
export function rootFromInclusionProof(
  hash: Hasher,
  leafHashValue: Uint8Array,
  proof: InclusionProof,
): Uint8Array | null {
  const { index, size, path } = proof;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leafHashValue;
  for (const p of path) {
    if (!(p instanceof Uint8Array) || p.length !== leafHashValue.length) return null;
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(hash, p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(hash, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

export function verifyInclusion(
  hash: Hasher,
  leaf: Uint8Array,
  proof: InclusionProof,
  root: Uint8Array,
): boolean {
  const computed = rootFromInclusionProof(hash, leafHash(hash, leaf), proof);
  return computed !== null && equalBytes(computed, root);
}
