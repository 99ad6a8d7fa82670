// Published test vectors (chain/ledger/test-vectors/crypto/*.json) decoded into bytes for the
// test suites. Test support only: nothing in the ledger may import this module.

import speccheck from '../../test-vectors/crypto/ed25519-speccheck.json';
import fips180 from '../../test-vectors/crypto/fips180-sha256.json';
import gbt32905 from '../../test-vectors/crypto/gbt32905-sm3.json';
import gbt32918 from '../../test-vectors/crypto/gbt32918-sm2.json';
import rfc8032 from '../../test-vectors/crypto/rfc8032-ed25519.json';
import { concatBytes, hexToBytes } from './bytes';

const ascii = new TextEncoder();

export interface HashVector {
  readonly name: string;
  readonly message: Uint8Array;
  readonly digest: Uint8Array;
}

function hashVectors(file: {
  vectors: { name: string; messageAscii: string; digest: string }[];
}): HashVector[] {
  return file.vectors.map((v) => ({
    name: v.name,
    message: ascii.encode(v.messageAscii),
    digest: hexToBytes(v.digest),
  }));
}

export const SM3_VECTORS = hashVectors(gbt32905);
export const SHA256_VECTORS = hashVectors(fips180);

export const ED25519_VECTORS = rfc8032.vectors.map((v) => ({
  name: v.name,
  secretKey: hexToBytes(v.secretKey),
  publicKey: hexToBytes(v.publicKey),
  message: hexToBytes(v.message),
  signature: hexToBytes(v.signature),
}));

export const ED25519_EDGE_CASES = speccheck.cases.map((c) => ({
  name: `speccheck case ${c.case}: ${c.description}`,
  message: hexToBytes(c.message),
  publicKey: hexToBytes(c.publicKey),
  signature: hexToBytes(c.signature),
  openssl3: c.openssl3,
  strict: c.strict,
}));

const sm2Example = gbt32918.vectors[0]!;

export const SM2_EXAMPLE = {
  name: sm2Example.name,
  userId: sm2Example.userIdAscii,
  message: ascii.encode(sm2Example.messageAscii),
  privateKey: hexToBytes(sm2Example.privateKey),
  publicKeyUncompressed: concatBytes(
    Uint8Array.of(0x04),
    hexToBytes(sm2Example.publicKeyX),
    hexToBytes(sm2Example.publicKeyY),
  ),
  publicKeyX: hexToBytes(sm2Example.publicKeyX),
  publicKeyYIsOdd: (hexToBytes(sm2Example.publicKeyY).at(-1)! & 1) === 1,
  za: hexToBytes(sm2Example.za),
  e: hexToBytes(sm2Example.e),
  k: BigInt(`0x${sm2Example.k}`),
  signature: concatBytes(hexToBytes(sm2Example.r), hexToBytes(sm2Example.s)),
};

/** Copy of `bytes` with one bit flipped, for tamper tests. */
export function flipBit(bytes: Uint8Array, bitIndex: number): Uint8Array {
  const copy = bytes.slice();
  const byteIndex = Math.floor(bitIndex / 8) % copy.length;
  copy[byteIndex] = copy[byteIndex]! ^ (1 << (bitIndex % 8));
  return copy;
}
