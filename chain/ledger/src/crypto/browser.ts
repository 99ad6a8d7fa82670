// Crypto entry point for browsers (the "browser" export condition): pure JS on @noble and
// sm-crypto-v2. Must never import a `node:` module, directly or through its imports; a test
// walks the import graph to keep it that way.

import { randomBytes } from '@noble/hashes/utils.js';
import { ed25519Browser } from './ed25519-browser';
import { sha256Browser, sm3Browser } from './hash-browser';
import { createCryptoPath } from './suite';
import type { CryptoImplementation } from './types';

const path = createCryptoPath({
  sha256: sha256Browser,
  sm3: sm3Browser,
  ed25519: ed25519Browser,
  // crypto.getRandomValues under the hood.
  randomBytes: (length) => randomBytes(length),
});

export type { Sm2UserId } from './sm2';
export { SM2_DEFAULT_USER_ID } from './sm2';
export type { CryptoPath } from './suite';
export type { CryptoImplementation, CryptoSuite, SuiteId } from './types';
export { SUITE_IDS } from './types';

export const implementation: CryptoImplementation = 'browser';
export const getSuite = path.getSuite;
export const sha256 = path.sha256;
export const sm3 = path.sm3;
export const sm2SignWithK = path.sm2SignWithK;
export const sm2Za = path.sm2Za;
export const sm2Digest = path.sm2Digest;
export const sm2Verify = path.sm2Verify;
