import { describe, expect, it } from 'vitest';
import * as browser from './browser';
import { bytesToNumberBE, concatBytes, numberToBytesBE } from './bytes';
import * as node from './node';
import { flipBit, SM2_EXAMPLE } from './published-vectors';
import { createSm2 } from './sm2';
import { SM2_CURVE } from './sm2-curve';

const { n, p } = SM2_CURVE;
const ex = SM2_EXAMPLE;
const publicKey = concatBytes(Uint8Array.of(ex.publicKeyYIsOdd ? 0x03 : 0x02), ex.publicKeyX);
const r = ex.signature.subarray(0, 32);
const s = ex.signature.subarray(32);
const be32 = (value: bigint) => numberToBytesBE(value, 32);

describe.each([browser, node])('sm2-sm3 on the $implementation path', (path) => {
  const suite = path.getSuite('sm2-sm3');

  it('declares SEC1-compressed keys and r||s signatures', () => {
    expect(suite).toMatchObject({ id: 'sm2-sm3', publicKeyLength: 33, signatureLength: 64 });
  });

  describe('GB/T 32918.5-2017 / GM/T 0003.5-2012 annex A example (sm2p256v1, default ID)', () => {
    it('uses the default ID of the example', () => {
      expect(ex.userId).toBe(path.SM2_DEFAULT_USER_ID);
    });

    it('derives the published public key', () => {
      expect(suite.publicKeyFromPrivate(ex.privateKey)).toEqual(publicKey);
    });

    it('computes Z_A exactly, from the compressed or the uncompressed key', () => {
      expect(path.sm2Za(publicKey)).toEqual(ex.za);
      expect(path.sm2Za(ex.publicKeyUncompressed, ex.userId)).toEqual(ex.za);
    });

    it('computes e = SM3(Z_A || M) exactly', () => {
      expect(path.sm2Digest(ex.message, publicKey)).toEqual(ex.e);
    });

    it('produces exactly r and s for the published k', () => {
      expect(path.sm2SignWithK(ex.message, ex.privateKey, ex.k)).toEqual(ex.signature);
    });

    it('verifies the published signature', () => {
      expect(suite.verify(ex.signature, ex.message, publicKey)).toBe(true);
      expect(path.sm2Verify(ex.signature, ex.message, publicKey, ex.userId)).toBe(true);
    });

    it('rejects a flipped bit in r, s, the message or the key', () => {
      for (const bit of [0, 128, 255, 256, 400, 511]) {
        expect(suite.verify(flipBit(ex.signature, bit), ex.message, publicKey)).toBe(false);
      }
      for (const bit of [0, 9, 111]) {
        expect(suite.verify(ex.signature, flipBit(ex.message, bit), publicKey)).toBe(false);
      }
      expect(suite.verify(ex.signature, concatBytes(ex.message, Uint8Array.of(0)), publicKey)).toBe(false);
      // Bit 0 flips the prefix 02 <-> 03, i.e. negates the key.
      for (const bit of [0, 8, 200]) {
        expect(suite.verify(ex.signature, ex.message, flipBit(publicKey, bit))).toBe(false);
      }
    });

    it('is bound to the signer ID: another ID neither reproduces nor verifies it', () => {
      // The widely copied "ALICE123@YAHOO.COM" belongs to the test-curve example, not this one.
      const alice = 'ALICE123@YAHOO.COM';
      expect(path.sm2Za(publicKey, alice)).not.toEqual(ex.za);
      expect(path.sm2SignWithK(ex.message, ex.privateKey, ex.k, alice)).not.toEqual(ex.signature);
      expect(path.sm2Verify(ex.signature, ex.message, publicKey, alice)).toBe(false);
      expect(path.sm2Verify(ex.signature, ex.message, publicKey, '')).toBe(false);
    });
  });

  describe('invalid input returns false and never throws', () => {
    const verify = (signature: Uint8Array, key = publicKey) => suite.verify(signature, ex.message, key);

    it('s >= n, s + n malleation, r >= n, r = 0, s = 0', () => {
      expect(verify(concatBytes(r, be32(n)))).toBe(false);
      const sPlusN = bytesToNumberBE(s) + n;
      if (sPlusN < 2n ** 256n) expect(verify(concatBytes(r, be32(sPlusN)))).toBe(false);
      expect(verify(concatBytes(r, be32(2n ** 256n - 1n)))).toBe(false);
      expect(verify(concatBytes(r, be32(n + 1n)))).toBe(false);
      expect(verify(concatBytes(be32(n + 1n), s))).toBe(false);
      expect(verify(concatBytes(be32(n), s))).toBe(false);
      expect(verify(concatBytes(be32(0n), s))).toBe(false);
      expect(verify(concatBytes(r, be32(0n)))).toBe(false);
    });

    it('the all-zero signature and r + s = n', () => {
      expect(verify(new Uint8Array(64))).toBe(false);
      expect(verify(concatBytes(be32(1n), be32(n - 1n)))).toBe(false);
    });

    it('wrong-length signatures', () => {
      for (const length of [0, 32, 63, 65, 70, 72]) {
        expect(verify(new Uint8Array(length).fill(1))).toBe(false);
      }
      expect(verify(ex.signature.subarray(0, 63))).toBe(false);
    });

    it('malformed public keys: uncompressed, wrong length, bad prefix, x >= p, x off the curve', () => {
      expect(verify(ex.signature, ex.publicKeyUncompressed)).toBe(false);
      for (const length of [0, 32, 34, 64])
        expect(verify(ex.signature, new Uint8Array(length).fill(2))).toBe(false);
      expect(verify(ex.signature, concatBytes(Uint8Array.of(0x04), ex.publicKeyX))).toBe(false);
      expect(verify(ex.signature, concatBytes(Uint8Array.of(0x00), ex.publicKeyX))).toBe(false);
      expect(verify(ex.signature, new Uint8Array(33))).toBe(false);
      expect(verify(ex.signature, concatBytes(Uint8Array.of(0x02), be32(p)))).toBe(false);
      expect(verify(ex.signature, concatBytes(Uint8Array.of(0x02), be32(2n ** 256n - 1n)))).toBe(false);
      const offCurve = findXWithoutPoint(path);
      expect(verify(ex.signature, concatBytes(Uint8Array.of(0x02), be32(offCurve)))).toBe(false);
    });

    it('non-Uint8Array arguments', () => {
      expect(suite.verify(null as never, ex.message, publicKey)).toBe(false);
      expect(suite.verify(ex.signature, ex.message, 'key' as never)).toBe(false);
    });
  });

  describe('private keys', () => {
    it('accepts exactly [1, n-2]', () => {
      expect(() => suite.publicKeyFromPrivate(be32(1n))).not.toThrow();
      expect(() => suite.publicKeyFromPrivate(be32(n - 2n))).not.toThrow();
      for (const d of [0n, n - 1n, n, 2n ** 256n - 1n]) {
        expect(() => suite.publicKeyFromPrivate(be32(d))).toThrow(RangeError);
        expect(() => suite.sign(ex.message, be32(d))).toThrow(RangeError);
      }
      expect(() => suite.sign(ex.message, new Uint8Array(31).fill(1))).toThrow(RangeError);
    });

    it('generates fresh valid keys that sign and verify', () => {
      const a = suite.randomPrivateKey();
      expect(a).toHaveLength(32);
      expect(a).not.toEqual(suite.randomPrivateKey());
      const signature = suite.sign(ex.message, a);
      expect(suite.verify(signature, ex.message, suite.publicKeyFromPrivate(a))).toBe(true);
    });
  });

  describe('deterministic nonces (RFC 6979 with SM3)', () => {
    it('signs the same message identically every time, and differently per message and key', () => {
      const first = suite.sign(ex.message, ex.privateKey);
      expect(suite.sign(ex.message, ex.privateKey)).toEqual(first);
      expect(suite.verify(first, ex.message, publicKey)).toBe(true);
      expect(suite.sign(flipBit(ex.message, 0), ex.privateKey)).not.toEqual(first);
      expect(suite.sign(ex.message, be32(12345n))).not.toEqual(first);
      // Different k per message: equal r would mean a reused nonce (and a leaked key).
      expect(suite.sign(flipBit(ex.message, 0), ex.privateKey).subarray(0, 32)).not.toEqual(
        first.subarray(0, 32),
      );
    });

    it('rejects a fixed k outside [1, n-1]', () => {
      expect(() => path.sm2SignWithK(ex.message, ex.privateKey, 0n)).toThrow(RangeError);
      expect(() => path.sm2SignWithK(ex.message, ex.privateKey, n)).toThrow(RangeError);
    });
  });
});

describe('hot verifying keys (precomputed tables)', () => {
  it('give the same verdicts before and after a key turns hot', () => {
    const sm2 = createSm2(browser.sm3);
    const messages = Array.from({ length: 40 }, (_, i) => concatBytes(ex.message, Uint8Array.of(i)));
    const signatures = messages.map((m) => sm2.sign(m, ex.privateKey));
    for (const [i, m] of messages.entries()) {
      expect(sm2.verify(signatures[i]!, m, publicKey)).toBe(true);
      expect(sm2.verify(signatures[(i + 1) % messages.length]!, m, publicKey)).toBe(false);
      expect(sm2.verify(flipBit(signatures[i]!, i * 13), m, publicKey)).toBe(false);
    }
    expect(sm2.verify(ex.signature, ex.message, publicKey)).toBe(true);
    expect(sm2.cacheStats()).toEqual({ signingKeys: 1, verifyingKeys: 1, hotKeys: 1 });
  });
});

/** Smallest x for which x^3 + ax + b is not a square mod p, i.e. no curve point has that x. */
function findXWithoutPoint(path: typeof browser): bigint {
  for (let x = 1n; ; x++) {
    const key = concatBytes(Uint8Array.of(0x02), be32(x));
    let onCurve = true;
    try {
      path.sm2Za(key);
    } catch {
      onCurve = false;
    }
    if (!onCurve) return x;
  }
}
