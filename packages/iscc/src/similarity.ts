// Near-duplicate search over 64-bit codes (the first 64 bits of ISCC content and data units) by
// multi-index hashing (Norouzi, Punjani & Fleet, CVPR 2012): each code is filed under its four 16-bit
// blocks; two codes within Hamming distance r agree within ⌊r/4⌋ bits on at least one block
// (pigeonhole), so a query probes, per block, only the bucket values that close to its own and checks
// the full distance of what it finds there. Similarity ranks candidates for a reviewer; it decides
// nothing on its own.
import { decodeUnit, IsccError } from './codec';

/** A 64-bit code as two unsigned 32-bit halves (high first). */
export interface Code64 {
  hi: number;
  lo: number;
}

export interface Neighbour {
  /** Position of the code in the index (the order it was added in). */
  id: number;
  distance: number;
}

const BLOCKS = 4;
const BUCKETS = 1 << 16;

export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

export function hammingDistance64(a: Code64, b: Code64): number {
  return popcount32((a.hi ^ b.hi) >>> 0) + popcount32((a.lo ^ b.lo) >>> 0);
}

/** The first 64 bits of a unit ("ISCC:…"), of 8+ digest bytes, or of a bigint. */
export function code64(input: string | Uint8Array | bigint): Code64 {
  if (typeof input === 'bigint') {
    if (input < 0n || input >= 1n << 64n) throw new IsccError('a 64-bit code is 0..2^64-1');
    return { hi: Number(input >> 32n), lo: Number(input & 0xffffffffn) };
  }
  const bytes = typeof input === 'string' ? decodeUnit(input).digest : input;
  if (bytes.length < 8) throw new IsccError(`a 64-bit code needs 8 bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  return { hi: view.getUint32(0), lo: view.getUint32(4) };
}

function blockOf(code: Code64, block: number): number {
  switch (block) {
    case 0:
      return code.hi >>> 16;
    case 1:
      return code.hi & 0xffff;
    case 2:
      return code.lo >>> 16;
    default:
      return code.lo & 0xffff;
  }
}

/** All 16-bit masks with exactly `bits` bits set (the ring a probe at that block distance visits). */
const ringCache: Uint16Array[] = [];
function ring(bits: number): Uint16Array {
  let cached = ringCache[bits];
  if (!cached) {
    const masks: number[] = [];
    for (let m = 0; m < BUCKETS; m++) if (popcount32(m) === bits) masks.push(m);
    cached = Uint16Array.from(masks);
    ringCache[bits] = cached;
  }
  return cached;
}

/**
 * Codes are kept in two parts: most in per-block bucket arrays (bucket offsets plus, in bucket order,
 * each code's halves and id, so a probe reads one contiguous run of memory), and the most recent
 * additions in a short list that every query scans. When that list grows past an eighth of the whole
 * (at least 4096), the bucket arrays are rebuilt by a counting sort: adding stays O(1) amortised.
 */
export class HammingIndex {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private count = 0;
  /** Codes 0..built-1 are in the bucket arrays; built..count-1 wait in the recent list. */
  private built = 0;
  private readonly offsets: Uint32Array[] = Array.from(
    { length: BLOCKS },
    () => new Uint32Array(BUCKETS + 1),
  );
  private bucketHi: Uint32Array[] = [];
  private bucketLo: Uint32Array[] = [];
  private bucketId: Uint32Array[] = [];

  constructor(capacity = 1024) {
    const n = Math.max(16, capacity);
    this.hi = new Uint32Array(n);
    this.lo = new Uint32Array(n);
  }

  get size(): number {
    return this.count;
  }

  codeAt(id: number): Code64 {
    if (!Number.isInteger(id) || id < 0 || id >= this.count) throw new RangeError(`no code ${id}`);
    return { hi: this.hi[id]!, lo: this.lo[id]! };
  }

  /** Adds many codes and files them once (a bulk load at start-up); returns the first new id. */
  addAll(codes: Iterable<Code64>): number {
    const first = this.count;
    for (const code of codes) this.append(code);
    this.rebuild();
    return first;
  }

  /** Adds a code; returns its id (0, 1, 2… in order of adding). */
  add(code: Code64): number {
    const id = this.append(code);
    if (this.count - this.built > Math.max(4096, this.count >> 3)) this.rebuild();
    return id;
  }

  private append(code: Code64): number {
    if (this.count === this.hi.length) {
      const hi = new Uint32Array(this.hi.length * 2);
      const lo = new Uint32Array(this.hi.length * 2);
      hi.set(this.hi);
      lo.set(this.lo);
      this.hi = hi;
      this.lo = lo;
    }
    const id = this.count++;
    this.hi[id] = code.hi >>> 0;
    this.lo[id] = code.lo >>> 0;
    return id;
  }

  /** Files every code into the bucket arrays (also worth calling once after a bulk load). */
  rebuild(): void {
    const n = this.count;
    for (let b = 0; b < BLOCKS; b++) {
      const offsets = this.offsets[b]!;
      offsets.fill(0);
      for (let id = 0; id < n; id++) offsets[blockOf({ hi: this.hi[id]!, lo: this.lo[id]! }, b) + 1]!++;
      for (let v = 0; v < BUCKETS; v++) offsets[v + 1]! += offsets[v]!;
      const fill = offsets.slice(0, BUCKETS);
      const hi = new Uint32Array(n);
      const lo = new Uint32Array(n);
      const ids = new Uint32Array(n);
      for (let id = 0; id < n; id++) {
        const h = this.hi[id]!;
        const l = this.lo[id]!;
        const at = fill[blockOf({ hi: h, lo: l }, b)]!++;
        hi[at] = h;
        lo[at] = l;
        ids[at] = id;
      }
      this.bucketHi[b] = hi;
      this.bucketLo[b] = lo;
      this.bucketId[b] = ids;
    }
    this.built = n;
  }

  /**
   * Pushes ids (with distances) of filed codes within maxDistance whose block differs from the query's
   * in exactly `bits` bits. A code can come up under several blocks: callers remove repeats.
   */
  private probe(query: Code64, bits: number, maxDistance: number, found: Neighbour[]): void {
    if (this.built === 0) return;
    const masks = ring(bits);
    const qhi = query.hi;
    const qlo = query.lo;
    for (let b = 0; b < BLOCKS; b++) {
      const value = blockOf(query, b);
      const offsets = this.offsets[b]!;
      const hi = this.bucketHi[b]!;
      const lo = this.bucketLo[b]!;
      const ids = this.bucketId[b]!;
      for (let m = 0; m < masks.length; m++) {
        const bucket = value ^ masks[m]!;
        const end = offsets[bucket + 1]!;
        for (let i = offsets[bucket]!; i < end; i++) {
          const distance = popcount32((qhi ^ hi[i]!) >>> 0) + popcount32((qlo ^ lo[i]!) >>> 0);
          if (distance <= maxDistance) found.push({ id: ids[i]!, distance });
        }
      }
    }
  }

  private scanRange(query: Code64, from: number, to: number, maxDistance: number, found: Neighbour[]): void {
    const { hi, lo } = this;
    for (let id = from; id < to; id++) {
      const distance = popcount32((query.hi ^ hi[id]!) >>> 0) + popcount32((query.lo ^ lo[id]!) >>> 0);
      if (distance <= maxDistance) found.push({ id, distance });
    }
  }

  /** Every code within `maxDistance` bits, nearest first (ties by id). */
  within(query: Code64, maxDistance: number): Neighbour[] {
    checkDistance(maxDistance);
    const found: Neighbour[] = [];
    const levels = Math.floor(maxDistance / BLOCKS);
    for (let s = 0; s <= levels; s++) this.probe(query, s, maxDistance, found);
    this.scanRange(query, this.built, this.count, maxDistance, found);
    return unique(found);
  }

  /**
   * The k nearest codes within `maxDistance`, nearest first. Probes ring after ring and stops as soon
   * as the k-th best is closer than anything a further ring could hold.
   */
  nearest(query: Code64, k: number, maxDistance = 16): Neighbour[] {
    checkDistance(maxDistance);
    if (!Number.isInteger(k) || k < 1) throw new RangeError('k is a positive integer');
    let found: Neighbour[] = [];
    this.scanRange(query, this.built, this.count, maxDistance, found);
    const levels = Math.floor(maxDistance / BLOCKS);
    for (let s = 0; s <= levels; s++) {
      this.probe(query, s, maxDistance, found);
      found = unique(found);
      // Every filed code within 4s + 3 bits has now been seen.
      if (found.length >= k && found[k - 1]!.distance <= BLOCKS * s + BLOCKS - 1) break;
    }
    return found.slice(0, k);
  }

  /** The same answer as `within` by checking every code: the baseline the index is measured against. */
  scan(query: Code64, maxDistance: number): Neighbour[] {
    checkDistance(maxDistance);
    const found: Neighbour[] = [];
    this.scanRange(query, 0, this.count, maxDistance, found);
    return found.sort(byDistance);
  }
}

/** Sorted nearest first, each id once. */
function unique(found: Neighbour[]): Neighbour[] {
  found.sort(byDistance);
  const seen = new Set<number>();
  return found.filter((n) => !seen.has(n.id) && seen.add(n.id));
}

function checkDistance(maxDistance: number): void {
  if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > 64)
    throw new RangeError(`a Hamming distance between 64-bit codes is 0..64, not ${maxDistance}`);
}

function byDistance(a: Neighbour, b: Neighbour): number {
  return a.distance - b.distance || a.id - b.id;
}
