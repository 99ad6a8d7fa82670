import { createPublicKey, verify as opensslVerify } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import sodium from 'sodium-native';
import { describe, expect, it } from 'vitest';
import * as browser from './browser';
import { bytesToHex, bytesToNumberLE, concatBytes, hexToBytes } from './bytes';
import { ED25519_L, ED25519_SMALL_ORDER_ENCODINGS } from './ed25519-rules';
import * as node from './node';
import { ED25519_EDGE_CASES, ED25519_VECTORS, flipBit } from './published-vectors';

const TEST_1 = ED25519_VECTORS[0]!;
const TEST_3 = ED25519_VECTORS[2]!;

function littleEndian32(value: bigint): Uint8Array {
  return hexToBytes(value.toString(16).padStart(64, '0')).reverse();
}

describe.each([browser, node])('ed25519-sha256 on the $implementation path', (path) => {
  const suite = path.getSuite('ed25519-sha256');

  it('declares the RFC 8032 sizes', () => {
    expect(suite).toMatchObject({ id: 'ed25519-sha256', publicKeyLength: 32, signatureLength: 64 });
  });

  describe.each(ED25519_VECTORS)('RFC 8032 section 7.1 $name', (v) => {
    it('derives the public key from the secret', () => {
      expect(suite.publicKeyFromPrivate(v.secretKey)).toEqual(v.publicKey);
    });

    it('produces exactly the published signature', () => {
      expect(suite.sign(v.message, v.secretKey)).toEqual(v.signature);
    });

    it('verifies the published signature', () => {
      expect(suite.verify(v.signature, v.message, v.publicKey)).toBe(true);
    });

    it('rejects a flipped bit in the signature, the message or the key', () => {
      for (const bit of [0, 100, 255, 256, 300, 500]) {
        expect(suite.verify(flipBit(v.signature, bit), v.message, v.publicKey)).toBe(false);
      }
      const longer = concatBytes(v.message, Uint8Array.of(0));
      expect(suite.verify(v.signature, longer, v.publicKey)).toBe(false);
      if (v.message.length > 0) {
        expect(suite.verify(v.signature, flipBit(v.message, 3), v.publicKey)).toBe(false);
      }
      for (const bit of [0, 77, 254]) {
        expect(suite.verify(v.signature, v.message, flipBit(v.publicKey, bit))).toBe(false);
      }
    });
  });

  describe('edge cases of "Taming the many EdDSAs" (ed25519-speccheck)', () => {
    it.each(ED25519_EDGE_CASES)('$name', (c) => {
      expect(suite.verify(c.signature, c.message, c.publicKey)).toBe(c.strict);
    });
  });

  describe('invalid input returns false and never throws', () => {
    const { signature, message, publicKey } = TEST_3;

    it('wrong-length keys and signatures', () => {
      for (const length of [0, 1, 31, 33, 64]) {
        expect(suite.verify(signature, message, new Uint8Array(length).fill(1))).toBe(false);
      }
      for (const length of [0, 32, 63, 65, 128]) {
        expect(suite.verify(new Uint8Array(length), message, publicKey)).toBe(false);
      }
      expect(suite.verify(signature.subarray(0, 63), message, publicKey)).toBe(false);
      expect(suite.verify(concatBytes(signature, Uint8Array.of(0)), message, publicKey)).toBe(false);
    });

    it('the all-zero signature', () => {
      expect(suite.verify(new Uint8Array(64), message, publicKey)).toBe(false);
      expect(suite.verify(new Uint8Array(64), new Uint8Array(0), new Uint8Array(32))).toBe(false);
    });

    it('non-canonical S: S + L and S = L', () => {
      const s = bytesToNumberLE(signature.subarray(32));
      const malleated = concatBytes(signature.subarray(0, 32), littleEndian32(s + ED25519_L));
      expect(suite.verify(malleated, message, publicKey)).toBe(false);
      const sEqualsL = concatBytes(signature.subarray(0, 32), littleEndian32(ED25519_L));
      expect(suite.verify(sEqualsL, message, publicKey)).toBe(false);
    });

    it('non-canonical public key encodings (y >= p) and points off the curve', () => {
      // y = p + 1 encodes the identity's y non-canonically; y = 2^255 - 1 is >= p.
      const yIsPPlusOne = hexToBytes('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
      const yAllOnes = hexToBytes('ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
      for (const key of [yIsPPlusOne, yAllOnes]) {
        expect(suite.verify(signature, message, key)).toBe(false);
      }
      // y = 2 has no x on the curve.
      const offCurve = littleEndian32(2n);
      expect(suite.verify(signature, message, offCurve)).toBe(false);
    });

    it('every small-order public key, even with a signature that satisfies the equation', () => {
      // S = 0 and R = -[k]A hold for the identity key with R = identity: classic "weak key" forgery.
      const identity = hexToBytes(ED25519_SMALL_ORDER_ENCODINGS[0]!);
      expect(suite.verify(concatBytes(identity, new Uint8Array(32)), message, identity)).toBe(false);
      for (const hex of ED25519_SMALL_ORDER_ENCODINGS) {
        expect(suite.verify(signature, message, hexToBytes(hex))).toBe(false);
      }
    });

    it('non-Uint8Array arguments', () => {
      expect(suite.verify(undefined as never, message, publicKey)).toBe(false);
      expect(suite.verify(signature, 'message' as never, publicKey)).toBe(false);
      expect(suite.verify(signature, message, [1, 2, 3] as never)).toBe(false);
    });
  });

  it('refuses to sign with a malformed private key', () => {
    expect(() => suite.sign(TEST_1.message, new Uint8Array(31))).toThrow(RangeError);
    expect(() => suite.publicKeyFromPrivate(new Uint8Array(64))).toThrow(RangeError);
  });

  it('generates fresh 32-byte private keys that sign and verify', () => {
    const a = suite.randomPrivateKey();
    const b = suite.randomPrivateKey();
    expect(a).toHaveLength(32);
    expect(a).not.toEqual(b);
    const signature = suite.sign(TEST_3.message, a);
    expect(suite.verify(signature, TEST_3.message, suite.publicKeyFromPrivate(a))).toBe(true);
  });
});

describe('the chain rule (ed25519-rules.ts)', () => {
  it('lists exactly the canonical encodings of the eight torsion points', () => {
    // Any point of order 8 generates the whole torsion subgroup.
    const torsionGenerator = ed25519.Point.fromBytes(hexToBytes(ED25519_SMALL_ORDER_ENCODINGS[4]!));
    const computed = Array.from({ length: 8 }, (_, i) =>
      bytesToHex(
        i === 0 ? ed25519.Point.ZERO.toBytes() : torsionGenerator.multiplyUnsafe(BigInt(i)).toBytes(),
      ),
    );
    expect(new Set(computed)).toEqual(new Set(ED25519_SMALL_ORDER_ENCODINGS));
  });

  it('is needed on the node path: raw OpenSSL 3 accepts what the rule rejects', () => {
    const spki = hexToBytes('302a300506032b6570032100');
    for (const c of ED25519_EDGE_CASES) {
      const key = createPublicKey({
        key: Buffer.from(concatBytes(spki, c.publicKey)),
        format: 'der',
        type: 'spki',
      });
      expect(opensslVerify(null, c.message, key, c.signature), c.name).toBe(c.openssl3);
    }
  });

  it('raw libsodium, which the node path verifies with, already gives the strict verdicts', () => {
    // The node path keeps the prechecks in front of it all the same, so the rule does not hang on
    // libsodium's build options (its ED25519_COMPAT mode would accept small-order keys).
    for (const c of ED25519_EDGE_CASES) {
      expect(sodium.crypto_sign_verify_detached(c.signature, c.message, c.publicKey), c.name).toBe(c.strict);
    }
  });
});

describe('byte-level canonical point check', () => {
  it('agrees with the BigInt definition on edge and random encodings', async () => {
    const { isCanonicalPointEncoding, isCanonicalPointEncodingSlow } = await import('./ed25519-rules');
    const cases: Uint8Array[] = [];
    const p = 2n ** 255n - 19n;
    for (const y of [0n, 1n, 2n, p - 2n, p - 1n, p, p + 1n, 2n ** 255n - 1n]) {
      for (const sign of [0, 0x80]) {
        const b = new Uint8Array(32);
        for (let i = 0; i < 32; i++) b[i] = Number((y >> BigInt(8 * i)) & 0xffn);
        b[31]! |= sign;
        cases.push(b);
      }
    }
    for (let i = 0; i < 2000; i++) cases.push(crypto.getRandomValues(new Uint8Array(32)));
    for (const c of cases) expect(isCanonicalPointEncoding(c)).toBe(isCanonicalPointEncodingSlow(c));
  });
});
