// SHA-256 and SM3 on node:crypto (OpenSSL). Node-only.
// crypto.hash() is the one-shot form (Node >= 20.12), ~1.5x faster than createHash() for the
// short inputs a ledger hashes. An OpenSSL built without SM3 falls back to the pure-JS SM3 so the
// node path never becomes unusable, only slower.

import * as nodeCrypto from 'node:crypto';
import { ownedBytes } from './bytes';
import { sm3Browser } from './hash-browser';
import type { HashFn } from './types';

function openSslHash(algorithm: 'sha256' | 'sm3'): HashFn {
  if (typeof nodeCrypto.hash === 'function') {
    return (data) => ownedBytes(nodeCrypto.hash(algorithm, data, 'buffer'));
  }
  return (data) => ownedBytes(nodeCrypto.createHash(algorithm).update(data).digest());
}

function openSslSupports(algorithm: string): boolean {
  return nodeCrypto.getHashes().includes(algorithm);
}

export const sha256Node: HashFn = openSslHash('sha256');

export const sm3IsNative = openSslSupports('sm3');

export const sm3Node: HashFn = sm3IsNative ? openSslHash('sm3') : sm3Browser;
