// SM2 digital signatures per GB/T 32918.2-2016 (GM/T 0003.2-2012): e = SM3(Z_A || M), where
// Z_A binds the signer's distinguishing ID, the curve and the public key. This is NOT ECDSA on
// the SM2 curve. Curve arithmetic comes from @noble/curves; SM3 is injected so the browser and
// node paths run this same code with their own hash. Must never touch platform APIs itself.

import { invert, mod } from '@noble/curves/abstract/modular.js';
import { bytesKey, bytesToNumberBE, concatBytes, numberToBytesBE } from './bytes';
import { LruCache } from './lru';
import { SM2_CURVE, Sm2Point } from './sm2-curve';
import { sm2NonceGenerator } from './sm2-nonce';
import type { HashFn } from './types';

/** GM/T 0009-2012 / GB/T 35276-2017: the ID to use when the parties have not agreed on another. */
export const SM2_DEFAULT_USER_ID = '1234567812345678';
export const SM2_PRIVATE_KEY_LENGTH = 32;
export const SM2_PUBLIC_KEY_LENGTH = 33;
export const SM2_SIGNATURE_LENGTH = 64;
export const SM2_KEY_CACHE_CAPACITY = 10_000;
/**
 * Keys verified often (validators' precommits, busy accounts) get precomputed multiplication tables:
 * ~12 ms and ~100 KB per key once, then verification runs ~3.5x faster. Bounded, because the tables
 * are big and because every key on the network could otherwise ask for them.
 */
export const SM2_HOT_KEY_CAPACITY = 64;
const HOT_KEY_THRESHOLD = 16;
const HOT_KEY_WINDOW_BITS = 4;

const { n } = SM2_CURVE;
const FIELD_LENGTH = 32;
// Z_A's curve part never changes: a || b || xG || yG.
const CURVE_PREFIX = concatBytes(
  ...[SM2_CURVE.a, SM2_CURVE.b, SM2_CURVE.Gx, SM2_CURVE.Gy].map((v) => numberToBytesBE(v, FIELD_LENGTH)),
);
const utf8 = new TextEncoder();

export type Sm2UserId = string | Uint8Array;

export interface Sm2 {
  publicKeyFromPrivate(privateKey: Uint8Array): Uint8Array;
  /** Z_A; accepts compressed (33) or uncompressed (65) SEC1 public keys. */
  za(publicKey: Uint8Array, userId?: Sm2UserId): Uint8Array;
  /** e = SM3(Z_A || M) as bytes. */
  digest(message: Uint8Array, publicKey: Uint8Array, userId?: Sm2UserId): Uint8Array;
  sign(message: Uint8Array, privateKey: Uint8Array, userId?: Sm2UserId): Uint8Array;
  /** Test hook: the standard's examples fix k. Never use a caller-chosen k for real signatures. */
  signWithK(message: Uint8Array, privateKey: Uint8Array, k: bigint, userId?: Sm2UserId): Uint8Array;
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, userId?: Sm2UserId): boolean;
  /** Test/monitoring hook: how many keys each cache holds. */
  cacheStats(): { signingKeys: number; verifyingKeys: number; hotKeys: number };
}

interface SigningKey {
  readonly d: bigint;
  readonly inverseOnePlusD: bigint;
  readonly publicKey: Uint8Array;
  readonly za: Uint8Array;
}

interface VerifyingKey {
  readonly point: Sm2Point;
  readonly za: Uint8Array;
  /** Verifications since the key was cached or last promoted to the hot tier. */
  uses: number;
}

function userIdBytes(userId: Sm2UserId): Uint8Array {
  const bytes = typeof userId === 'string' ? utf8.encode(userId) : userId;
  // ENTL_A is a 16-bit bit length.
  if (bytes.length * 8 > 0xffff) throw new RangeError('SM2 user ID longer than 8191 bytes');
  return bytes;
}

function isDefaultUserId(userId: Sm2UserId): boolean {
  return userId === SM2_DEFAULT_USER_ID;
}

/** d must be in [1, n-2]: 1 + d has to be invertible mod n. */
export function sm2PrivateScalar(privateKey: Uint8Array): bigint {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== SM2_PRIVATE_KEY_LENGTH) {
    throw new RangeError(`sm2 private key must be ${SM2_PRIVATE_KEY_LENGTH} bytes`);
  }
  const d = bytesToNumberBE(privateKey);
  if (d < 1n || d > n - 2n) throw new RangeError('sm2 private key out of range [1, n-2]');
  return d;
}

export function isValidSm2PrivateKey(privateKey: Uint8Array): boolean {
  try {
    sm2PrivateScalar(privateKey);
    return true;
  } catch {
    return false;
  }
}

/** Rejection-samples a private key from a CSPRNG; the caller supplies the platform's random bytes. */
export function randomSm2PrivateKey(randomBytes: (length: number) => Uint8Array): Uint8Array {
  for (;;) {
    const candidate = randomBytes(SM2_PRIVATE_KEY_LENGTH);
    if (isValidSm2PrivateKey(candidate)) return candidate;
  }
}

export interface Sm2Options {
  /** 0 turns the hot-key tier off (benchmarks, memory-starved clients). */
  readonly hotKeyCapacity?: number;
}

export function createSm2(sm3: HashFn, options: Sm2Options = {}): Sm2 {
  const hotKeyCapacity = options.hotKeyCapacity ?? SM2_HOT_KEY_CAPACITY;
  const generateNonce = sm2NonceGenerator(sm3);
  const signingKeys = new LruCache<string, SigningKey>(SM2_KEY_CACHE_CAPACITY);
  const verifyingKeys = new LruCache<string, VerifyingKey>(SM2_KEY_CACHE_CAPACITY);
  const hotPoints = hotKeyCapacity > 0 ? new LruCache<string, Sm2Point>(hotKeyCapacity) : undefined;

  function zaOfPoint(point: Sm2Point, userId: Sm2UserId): Uint8Array {
    const id = userIdBytes(userId);
    const entl = id.length * 8;
    const { x, y } = point.toAffine();
    return sm3(
      concatBytes(
        Uint8Array.of(entl >> 8, entl & 0xff),
        id,
        CURVE_PREFIX,
        numberToBytesBE(x, FIELD_LENGTH),
        numberToBytesBE(y, FIELD_LENGTH),
      ),
    );
  }

  function signingKey(privateKey: Uint8Array): SigningKey {
    const d = sm2PrivateScalar(privateKey);
    return signingKeys.getOrCreate(bytesKey(privateKey), () => {
      const point = Sm2Point.BASE.multiply(d);
      return {
        d,
        inverseOnePlusD: invert(1n + d, n),
        publicKey: point.toBytes(true),
        za: zaOfPoint(point, SM2_DEFAULT_USER_ID),
      };
    });
  }

  /** Throws on anything that is not a valid curve point. */
  function verifyingKey(cacheKey: string, publicKey: Uint8Array): VerifyingKey {
    return verifyingKeys.getOrCreate(cacheKey, () => {
      const point = Sm2Point.fromBytes(publicKey);
      return { point, za: zaOfPoint(point, SM2_DEFAULT_USER_ID), uses: 0 };
    });
  }

  /** s*G + t*P, with P's precomputed tables once the key has proven to be hot. */
  function combine(s: bigint, t: bigint, cacheKey: string, key: VerifyingKey): Sm2Point {
    if (hotPoints === undefined) return Sm2Point.BASE.mulAddUnsafe(s, key.point, t);
    let hot = hotPoints.get(cacheKey);
    if (hot === undefined && ++key.uses >= HOT_KEY_THRESHOLD) {
      // A separate point object owns the tables, so evicting it from hotPoints frees them.
      hot = Sm2Point.fromAffine(key.point.toAffine()).precompute(HOT_KEY_WINDOW_BITS, false);
      hotPoints.set(cacheKey, hot);
      key.uses = 0;
    }
    if (hot !== undefined) return Sm2Point.BASE.multiplyUnsafe(s).add(hot.multiplyUnsafe(t));
    return Sm2Point.BASE.mulAddUnsafe(s, key.point, t);
  }

  function digestScalar(message: Uint8Array, za: Uint8Array): bigint {
    return bytesToNumberBE(sm3(concatBytes(za, message)));
  }

  /** Steps A4-A6 of GB/T 32918.2 section 6.1; undefined means "draw another k". */
  function signWithNonce(e: bigint, key: SigningKey, k: bigint): Uint8Array | undefined {
    if (k < 1n || k >= n) return undefined;
    const x1 = Sm2Point.BASE.multiply(k).toAffine().x;
    const r = mod(e + x1, n);
    if (r === 0n || r + k === n) return undefined;
    const s = mod(key.inverseOnePlusD * (k - r * key.d), n);
    if (s === 0n) return undefined;
    return concatBytes(numberToBytesBE(r, FIELD_LENGTH), numberToBytesBE(s, FIELD_LENGTH));
  }

  function zaForSigning(key: SigningKey, userId: Sm2UserId): Uint8Array {
    return isDefaultUserId(userId) ? key.za : zaOfPoint(Sm2Point.fromBytes(key.publicKey), userId);
  }

  return {
    publicKeyFromPrivate(privateKey) {
      return signingKey(privateKey).publicKey.slice();
    },

    za(publicKey, userId = SM2_DEFAULT_USER_ID) {
      return zaOfPoint(Sm2Point.fromBytes(publicKey), userId);
    },

    digest(message, publicKey, userId = SM2_DEFAULT_USER_ID) {
      return sm3(concatBytes(zaOfPoint(Sm2Point.fromBytes(publicKey), userId), message));
    },

    sign(message, privateKey, userId = SM2_DEFAULT_USER_ID) {
      const key = signingKey(privateKey);
      const e = digestScalar(message, zaForSigning(key, userId));
      const seed = concatBytes(
        numberToBytesBE(key.d, FIELD_LENGTH),
        numberToBytesBE(mod(e, n), FIELD_LENGTH),
      );
      return generateNonce(seed, (candidate) => signWithNonce(e, key, bytesToNumberBE(candidate)));
    },

    signWithK(message, privateKey, k, userId = SM2_DEFAULT_USER_ID) {
      const key = signingKey(privateKey);
      const e = digestScalar(message, zaForSigning(key, userId));
      const signature = signWithNonce(e, key, k);
      if (signature === undefined) throw new RangeError('k rejected by GB/T 32918.2 step A5/A6');
      return signature;
    },

    verify(signature, message, publicKey, userId = SM2_DEFAULT_USER_ID) {
      // Only the compressed form: one byte string per key keeps ledger encodings canonical.
      if (signature.length !== SM2_SIGNATURE_LENGTH || publicKey.length !== SM2_PUBLIC_KEY_LENGTH)
        return false;
      // B1, B2: r, s in [1, n-1]; rejecting s >= n also rules out the s + n malleability.
      const r = bytesToNumberBE(signature.subarray(0, FIELD_LENGTH));
      const s = bytesToNumberBE(signature.subarray(FIELD_LENGTH));
      if (r < 1n || r >= n || s < 1n || s >= n) return false;
      const cacheKey = bytesKey(publicKey);
      let key: VerifyingKey;
      try {
        key = verifyingKey(cacheKey, publicKey);
      } catch {
        return false;
      }
      const za = isDefaultUserId(userId) ? key.za : zaOfPoint(key.point, userId);
      const e = digestScalar(message, za);
      // B5-B7.
      const t = mod(r + s, n);
      if (t === 0n) return false;
      const sum = combine(s, t, cacheKey, key);
      if (sum.is0()) return false;
      return mod(e + sum.toAffine().x, n) === r;
    },

    cacheStats() {
      return {
        signingKeys: signingKeys.size,
        verifyingKeys: verifyingKeys.size,
        hotKeys: hotPoints?.size ?? 0,
      };
    },
  };
}
