// Ed25519 (RFC 8032) on node:crypto (OpenSSL), the validator's hot path. Node-only.
// KeyObjects are expensive to build since Node 17, so they are cached per raw key in bounded LRUs.
// OpenSSL verifies cofactorless with S < L; the byte-level prechecks shared with the browser path
// add the rest of the chain's rule, so both paths accept exactly the same signatures.

import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { bytesKey, hexToBytes, ownedBytes } from './bytes';
import { assertEd25519Seed, passesEd25519Prechecks } from './ed25519-rules';
import { LruCache } from './lru';
import type { Ed25519Primitives } from './types';

export const ED25519_KEY_CACHE_CAPACITY = 10_000;

// DER prefixes for id-Ed25519 (1.3.101.112): PKCS#8 OneAsymmetricKey around a 32-byte seed,
// SubjectPublicKeyInfo around a 32-byte public key (RFC 8410).
const PKCS8_PREFIX = hexToBytes('302e020100300506032b657004220420');
const SPKI_PREFIX = hexToBytes('302a300506032b6570032100');

const privateKeys = new LruCache<string, KeyObject>(ED25519_KEY_CACHE_CAPACITY);
const publicKeys = new LruCache<string, KeyObject>(ED25519_KEY_CACHE_CAPACITY);

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

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  return publicKeys.getOrCreate(bytesKey(publicKey), () =>
    createPublicKey({ key: withPrefix(SPKI_PREFIX, publicKey), format: 'der', type: 'spki' }),
  );
}

export const ed25519Node: Ed25519Primitives = {
  publicKeyFromPrivate(seed) {
    const spki = createPublicKey(privateKeyObject(seed)).export({ format: 'der', type: 'spki' });
    return ownedBytes(spki.subarray(SPKI_PREFIX.length));
  },
  sign(message, seed) {
    return ownedBytes(sign(null, message, privateKeyObject(seed)));
  },
  verify(signature, message, publicKey) {
    if (!passesEd25519Prechecks(signature, publicKey)) return false;
    try {
      return verify(null, message, publicKeyObject(publicKey), signature);
    } catch {
      // OpenSSL refuses some encodings already at import time (e.g. y not on the curve).
      return false;
    }
  },
};

/** Test hook: how many KeyObjects are cached, to check the LRU stays bounded. */
export function ed25519NodeCacheSizes(): { privateKeys: number; publicKeys: number } {
  return { privateKeys: privateKeys.size, publicKeys: publicKeys.size };
}
