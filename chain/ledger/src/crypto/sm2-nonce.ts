// Deterministic SM2 nonces: RFC 6979 section 3.2 (HMAC-DRBG) instantiated with SM3.
// GB/T 32918.2 only asks for k uniformly random in [1, n-1]; deriving it from (d, e) instead makes
// signing a pure function (no RNG, no nonce reuse on a bad RNG) and lets both crypto paths emit
// byte-identical signatures. Verifiers cannot tell the difference. Must stay platform-free.

import { createHmacDrbg } from '@noble/curves/utils.js';
import { concatBytes } from './bytes';
import type { HashFn } from './types';

const SM3_BLOCK_LENGTH = 64;
const SM3_OUTPUT_LENGTH = 32;
const SCALAR_LENGTH = 32;

/** HMAC (RFC 2104) over a one-shot hash; keys here are always shorter than a block. */
export function hmacOver(
  hash: HashFn,
  blockLength: number,
): (key: Uint8Array, message: Uint8Array) => Uint8Array {
  return (key, message) => {
    const paddedKey = new Uint8Array(blockLength);
    paddedKey.set(key.length > blockLength ? hash(key) : key);
    const inner = paddedKey.map((byte) => byte ^ 0x36);
    const outer = paddedKey.map((byte) => byte ^ 0x5c);
    return hash(concatBytes(outer, hash(concatBytes(inner, message))));
  };
}

/**
 * Returns `generate(seed, accept)`: feeds the DRBG with seed = int2octets(d) || bits2octets(e) and
 * offers successive 32-byte candidates to `accept` until it returns something other than undefined.
 */
export function sm2NonceGenerator(sm3: HashFn) {
  return createHmacDrbg<Uint8Array>(SM3_OUTPUT_LENGTH, SCALAR_LENGTH, hmacOver(sm3, SM3_BLOCK_LENGTH));
}
