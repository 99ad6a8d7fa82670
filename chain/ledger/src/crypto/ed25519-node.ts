/// <reference path="./sodium-native.d.ts" />
// Ed25519 (RFC 8032) for Node, the validator's hot path. Node-only.
// - Verify runs on libsodium (sodium-native): about twice the rate of OpenSSL's one-shot verify on the
//   same core, and a validator verifies every tx it admits. libsodium checks S < L, rejects small-order
//   and non-canonical keys and small-order R, and compares encode([S]B - [k]A) with R byte for byte; the
//   byte-level prechecks shared with the browser path run first, so the chain's rule is enforced by this
//   code whatever libsodium's build does, and both paths accept exactly the same signatures
//   (agreement.test.ts).
// - Signing runs on libsodium too (crypto_sign_detached): about twice the rate of OpenSSL's one-shot sign
//   here. Ed25519 signatures are deterministic (RFC 8032), so both give the same bytes (agreement.test.ts
//   checks them against the browser path). The 64-byte secret key libsodium signs with is derived once
//   per seed and cached in a bounded LRU. Public key derivation stays on node:crypto (OpenSSL).

import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
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
const secretKeys = new LruCache<string, Uint8Array>(ED25519_KEY_CACHE_CAPACITY);

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

/** libsodium's 64-byte signing key (seed then public key) of a seed. */
function secretKeyOf(seed: Uint8Array): Uint8Array {
  assertEd25519Seed(seed);
  return secretKeys.getOrCreate(bytesKey(seed), () => {
    const publicKey = new Uint8Array(32);
    const secretKey = new Uint8Array(64);
    sodium.crypto_sign_seed_keypair(publicKey, secretKey, seed);
    return secretKey;
  });
}

export const ed25519Node: Ed25519Primitives = {
  publicKeyFromPrivate(seed) {
    const spki = createPublicKey(privateKeyObject(seed)).export({ format: 'der', type: 'spki' });
    return ownedBytes(spki.subarray(SPKI_PREFIX_LENGTH));
  },
  sign(message, seed) {
    const signature = new Uint8Array(64);
    sodium.crypto_sign_detached(signature, message, secretKeyOf(seed));
    return signature;
  },
  verify(signature, message, publicKey) {
    // The prechecks also fix the lengths libsodium would otherwise throw on.
    if (!passesEd25519Prechecks(signature, publicKey)) return false;
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  },
};

/** Test hook: how many KeyObjects and signing keys are cached, to check the LRU stays bounded. */
export function ed25519NodeCacheSizes(): { privateKeys: number; secretKeys: number } {
  return { privateKeys: privateKeys.size, secretKeys: secretKeys.size };
}
