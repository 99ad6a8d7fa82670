// Crypto entry point for Node (the "node" export condition): OpenSSL via node:crypto where it is
// faster and agrees with the standards, the shared pure-JS code elsewhere. Never bundle this
// for a browser.
//
// SM2 signing/verification deliberately does not use OpenSSL: Node cannot set the SM2
// distinguishing ID, so OpenSSL hashes with an empty ID instead of "1234567812345678" and its
// signatures do not verify anywhere else (see docs/crypto.md). The noble-based SM2 runs here with
// OpenSSL's SM3 underneath.

import { randomBytes } from 'node:crypto';
import { ownedBytes } from './bytes';
import { ed25519Node } from './ed25519-node';
import { sha256Node, sm3Node } from './hash-node';
import { createCryptoPath } from './suite';
import type { CryptoImplementation } from './types';

const path = createCryptoPath({
  sha256: sha256Node,
  sm3: sm3Node,
  ed25519: ed25519Node,
  randomBytes: (length) => ownedBytes(randomBytes(length)),
});

export type { Sm2UserId } from './sm2';
export { SM2_DEFAULT_USER_ID } from './sm2';
export type { CryptoPath } from './suite';
export type { CryptoImplementation, CryptoSuite, SuiteId } from './types';
export { SUITE_IDS } from './types';

export const implementation: CryptoImplementation = 'node';
export const getSuite = path.getSuite;
export const sha256 = path.sha256;
export const sm3 = path.sm3;
export const sm2SignWithK = path.sm2SignWithK;
export const sm2Za = path.sm2Za;
export const sm2Digest = path.sm2Digest;
export const sm2Verify = path.sm2Verify;
