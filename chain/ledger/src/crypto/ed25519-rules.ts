// The chain's Ed25519 acceptance rule, as pure byte-level checks shared by both paths.
//
// RFC 8032 leaves edge cases open (cofactored vs cofactorless equation, non-canonical points,
// small-order keys), and implementations disagree on them. A ledger cannot tolerate that: a block
// valid in Node but invalid in a browser is a fork. Our rule is "strict RFC 8032", the same
// verdicts as ed25519-dalek's verify_strict:
//   - S must be canonical (S < L);
//   - A must be a canonical encoding (y < p, no "negative zero" x) and not of small order;
//   - R must not be one of the small-order points;
//   - the cofactorless equation must hold byte-for-byte: encode([S]B - [k]A) == R.
// OpenSSL (node path) implements the cofactorless equation and S < L itself, but accepts small-order
// and "negative zero" keys; these checks close that gap. They must stay free of platform APIs.

import { bytesToNumberLE, hexToBytes } from './bytes';

export const ED25519_SEED_LENGTH = 32;
export const ED25519_PUBLIC_KEY_LENGTH = 32;
export const ED25519_SIGNATURE_LENGTH = 64;

/** Order of the prime subgroup, RFC 8032 section 5.1. */
export const ED25519_L = 2n ** 252n + 27742317777372353535851937790883648493n;
const FIELD_P = 2n ** 255n - 19n;
const SIGN_BIT = 2n ** 255n;

/**
 * Canonical encodings of the eight points of order dividing 8 (the torsion subgroup).
 * A test recomputes them from the curve so the list cannot silently rot.
 */
export const ED25519_SMALL_ORDER_ENCODINGS: readonly string[] = [
  '0100000000000000000000000000000000000000000000000000000000000000', // identity, order 1
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // (0, -1), order 2
  '0000000000000000000000000000000000000000000000000000000000000000', // order 4
  '0000000000000000000000000000000000000000000000000000000000000080', // order 4
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', // order 8
];

const SMALL_ORDER = ED25519_SMALL_ORDER_ENCODINGS.map(hexToBytes);
/** Byte 0 of each small-order encoding: almost every real point is told apart by this byte alone. */
const SMALL_ORDER_FIRST = new Set(SMALL_ORDER.map((p) => p[0]!));

// Runs twice per signature verified (R and A), so it compares bytes in place instead of building keys.
export function isSmallOrderEncoding(point: Uint8Array): boolean {
  if (point.length !== 32 || !SMALL_ORDER_FIRST.has(point[0]!)) return false;
  search: for (const candidate of SMALL_ORDER) {
    for (let i = 0; i < 32; i++) if (point[i] !== candidate[i]) continue search;
    return true;
  }
  return false;
}

// Little-endian byte forms of L and p, compared from the most significant byte down: the checks run on
// every signature a validator verifies, and byte comparisons avoid building BigInts on that hot path.
const L_BYTES = numberToBytesLE(ED25519_L);
const P_BYTES = numberToBytesLE(FIELD_P);
const P_MINUS_1_BYTES = numberToBytesLE(FIELD_P - 1n);

function numberToBytesLE(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** a < b for 32-byte little-endian integers, with `topMask` applied to a's most significant byte. */
function lessThanLE(a: Uint8Array, b: Uint8Array, topMask = 0xff): boolean {
  for (let i = 31; i >= 0; i--) {
    const x = i === 31 ? a[i]! & topMask : a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y;
  }
  return false;
}

function equalsLE(a: Uint8Array, b: Uint8Array, topMask: number): boolean {
  for (let i = 0; i < 32; i++) if ((i === 31 ? a[i]! & topMask : a[i]!) !== b[i]) return false;
  return true;
}

/** True if `point` is the one canonical encoding of its y (and x sign): y < p and no "-0" for x. */
export function isCanonicalPointEncoding(point: Uint8Array): boolean {
  if (point.length !== 32) return false;
  if (!lessThanLE(point, P_BYTES, 0x7f)) return false;
  // x = 0 exactly when y = 1 or y = -1; its sign bit must then be clear.
  const xNegative = (point[31]! & 0x80) !== 0;
  if (!xNegative) return true;
  const yIsOne = point[0] === 1 && point.subarray(1, 31).every((b) => b === 0) && (point[31]! & 0x7f) === 0;
  return !(yIsOne || equalsLE(point, P_MINUS_1_BYTES, 0x7f));
}

/** Test hook: the BigInt form of the same rule, to check the byte comparisons against. */
export function isCanonicalPointEncodingSlow(point: Uint8Array): boolean {
  if (point.length !== 32) return false;
  const word = bytesToNumberLE(point);
  const y = word % SIGN_BIT;
  if (y >= FIELD_P) return false;
  const xNegative = word >= SIGN_BIT;
  return !(xNegative && (y === 1n || y === FIELD_P - 1n));
}

/** Everything in the rule except the curve equation itself. */
export function passesEd25519Prechecks(signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_LENGTH || publicKey.length !== ED25519_PUBLIC_KEY_LENGTH) {
    return false;
  }
  if (!lessThanLE(signature.subarray(32), L_BYTES)) return false;
  if (!isCanonicalPointEncoding(publicKey) || isSmallOrderEncoding(publicKey)) return false;
  return !isSmallOrderEncoding(signature.subarray(0, 32));
}

export function assertEd25519Seed(seed: Uint8Array): void {
  if (!(seed instanceof Uint8Array) || seed.length !== ED25519_SEED_LENGTH) {
    throw new RangeError(`ed25519 private key must be ${ED25519_SEED_LENGTH} bytes`);
  }
}
