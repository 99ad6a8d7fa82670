// Assembles the two CryptoSuites from a platform's primitives. browser.ts and node.ts differ only
// in what they pass in here, so everything else (length checks, the never-throw guarantee of
// verify, key generation) is shared code and cannot drift between the paths.

import { ED25519_PUBLIC_KEY_LENGTH, ED25519_SEED_LENGTH, ED25519_SIGNATURE_LENGTH } from './ed25519-rules';
import {
  createSm2,
  randomSm2PrivateKey,
  SM2_PUBLIC_KEY_LENGTH,
  SM2_SIGNATURE_LENGTH,
  type Sm2,
  type Sm2UserId,
} from './sm2';
import { type CryptoSuite, type Ed25519Primitives, type HashFn, SUITE_IDS, type SuiteId } from './types';

export interface PlatformPrimitives {
  readonly sha256: HashFn;
  readonly sm3: HashFn;
  readonly ed25519: Ed25519Primitives;
  readonly randomBytes: (length: number) => Uint8Array;
}

export interface CryptoPath {
  getSuite(id: SuiteId): CryptoSuite;
  sha256(data: Uint8Array): Uint8Array;
  sm3(data: Uint8Array): Uint8Array;
  /** GB/T 32918.2 internals, exposed so the standard's fixed-k example can be checked exactly. */
  sm2SignWithK(message: Uint8Array, privateKey: Uint8Array, k: bigint, userId?: Sm2UserId): Uint8Array;
  sm2Za(publicKey: Uint8Array, userId?: Sm2UserId): Uint8Array;
  sm2Digest(message: Uint8Array, publicKey: Uint8Array, userId?: Sm2UserId): Uint8Array;
  sm2Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, userId?: Sm2UserId): boolean;
}

function checkedHash(hash: HashFn): HashFn {
  return (data) => {
    // A string would be silently UTF-8 encoded by some backends and rejected by others.
    if (!(data instanceof Uint8Array)) throw new TypeError('hash input must be a Uint8Array');
    return hash(data);
  };
}

function neverThrows(verify: CryptoSuite['verify']): CryptoSuite['verify'] {
  return (signature, message, publicKey) => {
    if (
      !(signature instanceof Uint8Array && message instanceof Uint8Array && publicKey instanceof Uint8Array)
    ) {
      return false;
    }
    try {
      return verify(signature, message, publicKey);
    } catch {
      return false;
    }
  };
}

function ed25519Suite(p: PlatformPrimitives): CryptoSuite {
  return Object.freeze({
    id: 'ed25519-sha256',
    publicKeyLength: ED25519_PUBLIC_KEY_LENGTH,
    signatureLength: ED25519_SIGNATURE_LENGTH,
    hash: checkedHash(p.sha256),
    publicKeyFromPrivate: (privateKey) => p.ed25519.publicKeyFromPrivate(privateKey),
    sign: (message, privateKey) => p.ed25519.sign(message, privateKey),
    verify: neverThrows(p.ed25519.verify),
    randomPrivateKey: () => p.randomBytes(ED25519_SEED_LENGTH),
  } satisfies CryptoSuite);
}

function sm2Suite(p: PlatformPrimitives, sm2: Sm2): CryptoSuite {
  return Object.freeze({
    id: 'sm2-sm3',
    publicKeyLength: SM2_PUBLIC_KEY_LENGTH,
    signatureLength: SM2_SIGNATURE_LENGTH,
    hash: checkedHash(p.sm3),
    publicKeyFromPrivate: (privateKey) => sm2.publicKeyFromPrivate(privateKey),
    sign: (message, privateKey) => sm2.sign(message, privateKey),
    verify: neverThrows((signature, message, publicKey) => sm2.verify(signature, message, publicKey)),
    randomPrivateKey: () => randomSm2PrivateKey(p.randomBytes),
  } satisfies CryptoSuite);
}

export function createCryptoPath(p: PlatformPrimitives): CryptoPath {
  const sm2 = createSm2(p.sm3);
  const suites: Readonly<Record<SuiteId, CryptoSuite>> = Object.freeze({
    'ed25519-sha256': ed25519Suite(p),
    'sm2-sm3': sm2Suite(p, sm2),
  });
  return {
    getSuite(id) {
      // Suite ids arrive from block headers; an unknown one must fail loudly, not resolve to undefined.
      if (!SUITE_IDS.includes(id)) throw new RangeError(`unknown crypto suite: ${String(id)}`);
      return suites[id];
    },
    sha256: checkedHash(p.sha256),
    sm3: checkedHash(p.sm3),
    sm2SignWithK: (message, privateKey, k, userId) => sm2.signWithK(message, privateKey, k, userId),
    sm2Za: (publicKey, userId) => sm2.za(publicKey, userId),
    sm2Digest: (message, publicKey, userId) => sm2.digest(message, publicKey, userId),
    sm2Verify: (signature, message, publicKey, userId) => {
      try {
        return sm2.verify(signature, message, publicKey, userId);
      } catch {
        return false;
      }
    },
  };
}
