// MinHash over 32-bit features with the 64 universal hash permutations of ISO 24138:
// h_i(f) = ((a_i·f + b_i) mod 2^64 mod (2^61 − 1)) mod 2^32, and the signature keeps the minimum of
// each over all features. Written on 32-bit words (16-bit partial products stay exact in doubles)
// because BigInt arithmetic would make a long text or a large file take seconds.
import { MPA, MPB } from './_constants';
import { IsccError } from './codec';

const TWO32 = 0x1_0000_0000;

/** The 64 minimum hash values of the features (each an unsigned 32-bit integer). */
export function minhash(features: ArrayLike<number>): Uint32Array {
  if (features.length === 0) throw new IsccError('minhash needs at least one feature');
  const out = new Uint32Array(64).fill(0xffffffff);
  for (let p = 0; p < 64; p++) {
    const [aHi, aLo] = MPA[p]!;
    const [bHi, bLo] = MPB[p]!;
    const al = aLo & 0xffff;
    const ah = aLo >>> 16;
    let min = 0xffffffff;
    for (let i = 0; i < features.length; i++) {
      const f = features[i]! >>> 0;
      const fl = f & 0xffff;
      const fh = f >>> 16;
      // aLo·f as a 64-bit (hi, lo) pair from four 16×16-bit products.
      const mid = al * fh + ah * fl;
      const midLo = mid % 0x10000;
      const t = al * fl + midLo * 0x10000;
      const lo = t >>> 0;
      let hi = ah * fh + Math.floor(mid / 0x10000) + Math.floor(t / TWO32);
      // + aHi·f·2^32 (mod 2^64 only its low word matters) and + b.
      hi = (hi + (Math.imul(aHi, f) >>> 0)) >>> 0;
      const sumLo = lo + bLo;
      let xLo = sumLo >>> 0;
      let xHi = (hi + bHi + (sumLo >= TWO32 ? 1 : 0)) >>> 0;
      // mod 2^61 − 1: fold the top 3 bits back in (2^61 ≡ 1), then subtract the prime once if needed.
      const top = xHi >>> 29;
      xHi &= 0x1fffffff;
      const folded = xLo + top;
      xLo = folded >>> 0;
      xHi += folded >= TWO32 ? 1 : 0;
      if (xHi === 0x20000000) xLo = (xLo + 1) >>> 0;
      else if (xHi === 0x1fffffff && xLo === 0xffffffff) xLo = 0;
      if (xLo < min) min = xLo;
    }
    out[p] = min;
  }
  return out;
}

/**
 * The digest: bit `lsb` of every value, lowest bit first, value after value (64 bits per round), packed
 * big-endian. lsb = 4 gives the 256-bit digest units are cut from.
 */
export function compressMinhash(values: Uint32Array, lsb = 4): Uint8Array {
  const out = new Uint8Array((values.length * lsb) / 8);
  let bit = 0;
  for (let b = 0; b < lsb; b++) {
    for (const v of values) {
      if ((v >>> b) & 1) out[bit >> 3]! |= 0x80 >> (bit & 7);
      bit++;
    }
  }
  return out;
}

export function minhash256(features: ArrayLike<number>): Uint8Array {
  return compressMinhash(minhash(features), 4);
}
