// Merkle trees of recently proven blocks, kept whole so a proof is a walk up the levels (log n sibling
// look-ups) instead of rehashing the block. Built level by level with an odd last node carried up, which
// is the RFC 6962 tree (see the ledger's merkle.ts); the audit paths are the RFC's, which a test checks
// against the ledger's `inclusionProof` for every index of many sizes.
import { type Hasher, type InclusionProof, leafHash, nodeHash } from '@gongxin/ledger';

export class MerkleLevels {
  /** levels[0] are the leaf hashes, the last level is [root]. */
  readonly levels: Uint8Array[][];

  constructor(hash: Hasher, leafHashes: readonly Uint8Array[]) {
    const levels: Uint8Array[][] = [leafHashes.slice()];
    let level = levels[0]!;
    while (level.length > 1) {
      const next: Uint8Array[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(hash, level[i]!, level[i + 1]!));
      if (level.length % 2 === 1) next.push(level[level.length - 1]!);
      levels.push(next);
      level = next;
    }
    this.levels = levels;
  }

  static ofLeaves(hash: Hasher, leaves: readonly Uint8Array[]): MerkleLevels {
    return new MerkleLevels(
      hash,
      leaves.map((leaf) => leafHash(hash, leaf)),
    );
  }

  get size(): number {
    return this.levels[0]!.length;
  }

  get root(): Uint8Array | undefined {
    return this.levels[this.levels.length - 1]![0];
  }

  proof(index: number): InclusionProof {
    if (!Number.isInteger(index) || index < 0 || index >= this.size)
      throw new RangeError(`leaf index ${index} outside a tree of ${this.size}`);
    const path: Uint8Array[] = [];
    let i = index;
    for (let l = 0; l < this.levels.length - 1; l++) {
      const level = this.levels[l]!;
      const sibling = i ^ 1;
      // The last node of an odd level has no sibling: it is carried up unchanged.
      if (sibling < level.length) path.push(level[sibling]!);
      i >>= 1;
    }
    return { index, size: this.size, path };
  }
}

/** Least-recently-used map of bounded size. */
export class Lru<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
