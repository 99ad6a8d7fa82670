/// <reference path="./sodium-native.d.ts" />
// Ed25519 (RFC 8032) for Node, the validator's hot path. Node-only.
// - Verify runs on libsodium (sodium-native): about twice the rate of OpenSSL's one-shot verify on the
//   same core, and a validator verifies every tx it admits. libsodium checks S < L, rejects small-order
//   and non-canonical keys and small-order R, and compares encode([S]B - [k]A) with R byte for byte; the
//   byte-level prechecks shared with the browser path run first, so the chain's rule is enforced by this
//   code whatever libsodium's build does, and both paths accept exactly the same signatures
//   (agreement.test.ts).
// - Key derivation and signing stay on node:crypto (OpenSSL). KeyObjects are expensive to build since
//   Node 17, so private keys are cached per raw seed in a bounded LRU.

import { createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';
import sodium from 'sodium-native';
import { bytesKey, hexToBytes, ownedBytes } from './bytes';
import { assertEd25519Seed, passesEd25519Prechecks } from './ed25519-rules';
import { LruCache } from './lru';
import type { Ed25519Primitives } from './types';

export const ED25519_KEY_CACHE_CAPACITY = 10_000;

// DER prefixes for id-Ed25519 (1.3.101.112): PKCS#8 OneAsymmetricKey around a 32-byte seed,
// SubjectPublicKeyInfo around a 32-byte public key (RFC 8410).
const PKCS8_PREFIX = hexToBytes('302e020100300506032b657004220420');
const SPKI_PREFIX_LENGTH = 12;

const privateKeys = new LruCache<string, KeyObject>(ED25519_KEY_CACHE_CAPACITY);

function withPrefix(prefix: Uint8Array, raw: Uint8Array): Buffer {
  const der = Buffer.allocUnsafe(prefix.length + raw.length);
  der.set(prefix, 0);
  der.set(raw, prefix.length);
  return der;
}

function privateKeyObject(seed: Uint8Array): KeyObject {
  assertEd25519Seed(seed);
  return privateKeys.getOrCreate(bytesKey(seed), () =>
    createPrivateKey({ key: withPrefix(PKCS8_PREFIX, seed), format: 'der', type: 'pkcs8' }),
  );
}

export const ed25519Node: Ed25519Primitives = {
  publicKeyFromPrivate(seed) {
    const spki = createPublicKey(privateKeyObject(seed)).export({ format: 'der', type: 'spki' });
    return ownedBytes(spki.subarray(SPKI_PREFIX_LENGTH));
  },
  sign(message, seed) {
    return ownedBytes(sign(null, message, privateKeyObject(seed)));
  },
  verify(signature, message, publicKey) {
    // The prechecks also fix the lengths libsodium would otherwise throw on.
    if (!passesEd25519Prechecks(signature, publicKey)) return false;
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  },
};

/** Test hook: how many KeyObjects are cached, to check the LRU stays bounded. */
export function ed25519NodeCacheSizes(): { privateKeys: number } {
  return { privateKeys: privateKeys.size };
}
