// Ed25519 (RFC 8032) in pure JS on @noble/curves, for browsers and any runtime without node:crypto.
// Must never import a `node:` module. Signing is noble's RFC 8032 signer; verification is written
// out here so that it applies exactly the chain's rule (see ed25519-rules.ts) rather than noble's
// default ZIP-215 / cofactored equation, which accepts signatures OpenSSL rejects.

import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToNumberLE, concatBytes, equalBytes } from './bytes';
import { assertEd25519Seed, ED25519_L, passesEd25519Prechecks } from './ed25519-rules';
import type { Ed25519Primitives } from './types';

const Point = ed25519.Point;

function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!passesEd25519Prechecks(signature, publicKey)) return false;
  let negatedA: InstanceType<typeof Point>;
  try {
    // Strict decoding (zip215 = false) also rejects y >= p, "-0" and points off the curve.
    negatedA = Point.fromBytes(publicKey, false).negate();
  } catch {
    return false;
  }
  const encodedR = signature.subarray(0, 32);
  const s = bytesToNumberLE(signature.subarray(32));
  const k = bytesToNumberLE(sha512(concatBytes(encodedR, publicKey, message))) % ED25519_L;
  // Cofactorless, comparing encodings: a non-canonical R can never equal a freshly encoded point.
  const recomputedR = Point.BASE.multiplyUnsafe(s).add(negatedA.multiplyUnsafe(k));
  return equalBytes(recomputedR.toBytes(), encodedR);
}

export const ed25519Browser: Ed25519Primitives = {
  publicKeyFromPrivate(seed) {
    assertEd25519Seed(seed);
    return ed25519.getPublicKey(seed);
  },
  sign(message, seed) {
    assertEd25519Seed(seed);
    return ed25519.sign(message, seed);
  },
  verify,
};
