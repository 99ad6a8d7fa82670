// The browser and node paths must be interchangeable: same bytes out, same verdicts, for
// published vectors and for whatever fast-check throws at them. A disagreement here is a fork.

import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as browser from './browser';
import { bytesToNumberLE, concatBytes, equalBytes, hexToBytes, numberToBytesBE } from './bytes';
import { ED25519_L, ED25519_SMALL_ORDER_ENCODINGS } from './ed25519-rules';
import * as node from './node';
import { ED25519_EDGE_CASES, ED25519_VECTORS, flipBit, SM2_EXAMPLE } from './published-vectors';
import { isValidSm2PrivateKey } from './sm2';
import { SUITE_IDS, type SuiteId } from './types';

const RUNS = { numRuns: 40 };
const message = fc.uint8Array({ maxLength: 300 });
const seed32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const privateKeyFor = (id: SuiteId) => (id === 'sm2-sm3' ? seed32.filter(isValidSm2PrivateKey) : seed32);

it('both entry points export the same API', () => {
  expectTypeOf<typeof browser>().toEqualTypeOf<typeof node>();
  expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
});

describe('hashes are byte-identical', () => {
  it.each([
    ['sha256', node.sha256, browser.sha256],
    ['sm3', node.sm3, browser.sm3],
  ])('%s on random input', (_name, onNode, inBrowser) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1000 }), (data) => {
        expect(onNode(data)).toEqual(inBrowser(data));
      }),
      { numRuns: 300 },
    );
  });
});

describe.each(SUITE_IDS)('%s: node and browser agree', (id) => {
  const b = browser.getSuite(id);
  const n = node.getSuite(id);

  it('on key derivation and (deterministic) signatures, which verify on both', () => {
    fc.assert(
      fc.property(privateKeyFor(id), message, (privateKey, msg) => {
        const publicKey = n.publicKeyFromPrivate(privateKey);
        expect(b.publicKeyFromPrivate(privateKey)).toEqual(publicKey);
        const signature = n.sign(msg, privateKey);
        expect(b.sign(msg, privateKey)).toEqual(signature);
        expect(signature).toHaveLength(n.signatureLength);
        expect(publicKey).toHaveLength(n.publicKeyLength);
        expect(n.verify(signature, msg, publicKey)).toBe(true);
        expect(b.verify(signature, msg, publicKey)).toBe(true);
      }),
      RUNS,
    );
  });

  it('on rejecting a wrong key, message or signature', () => {
    fc.assert(
      fc.property(
        privateKeyFor(id),
        privateKeyFor(id),
        message,
        fc.nat({ max: 511 }),
        (privateKey, otherKey, msg, bit) => {
          fc.pre(!equalBytes(privateKey, otherKey));
          const signature = n.sign(msg, privateKey);
          const wrongKey = n.publicKeyFromPrivate(otherKey);
          const publicKey = n.publicKeyFromPrivate(privateKey);
          const wrongMessage = concatBytes(msg, Uint8Array.of(bit & 0xff));
          const tampered = flipBit(signature, bit);
          for (const suite of [b, n]) {
            expect(suite.verify(signature, msg, wrongKey)).toBe(false);
            expect(suite.verify(signature, wrongMessage, publicKey)).toBe(false);
            expect(suite.verify(tampered, msg, publicKey)).toBe(false);
          }
        },
      ),
      RUNS,
    );
  });

  it('on arbitrary bytes of arbitrary lengths: same verdict, never a throw', () => {
    const bytes = fc.uint8Array({ maxLength: 80 });
    fc.assert(
      fc.property(bytes, message, bytes, (signature, msg, publicKey) => {
        const verdict = n.verify(signature, msg, publicKey);
        expect(b.verify(signature, msg, publicKey)).toBe(verdict);
      }),
      { numRuns: 500 },
    );
  });

  it('on right-length garbage built around a valid signature', () => {
    const key = id === 'sm2-sm3' ? SM2_EXAMPLE.privateKey : ED25519_VECTORS[0]!.secretKey;
    const publicKey = n.publicKeyFromPrivate(key);
    const signature = n.sign(SM2_EXAMPLE.message, key);
    const half = fc.uint8Array({ minLength: 32, maxLength: 32 });
    fc.assert(
      fc.property(half, half, fc.boolean(), (first, second, keepFirst) => {
        const candidate = keepFirst
          ? concatBytes(signature.subarray(0, 32), second)
          : concatBytes(first, signature.subarray(32));
        const verdict = n.verify(candidate, SM2_EXAMPLE.message, publicKey);
        expect(b.verify(candidate, SM2_EXAMPLE.message, publicKey)).toBe(verdict);
        const randomKey = concatBytes(first.subarray(0, n.publicKeyLength - 32), second);
        expect(b.verify(signature, SM2_EXAMPLE.message, randomKey)).toBe(
          n.verify(signature, SM2_EXAMPLE.message, randomKey),
        );
      }),
      { numRuns: 150 },
    );
  });
});

describe('ed25519 edge cases agree between OpenSSL (+ prechecks) and the noble path', () => {
  it.each(ED25519_EDGE_CASES)('$name', (c) => {
    const verdict = node.getSuite('ed25519-sha256').verify(c.signature, c.message, c.publicKey);
    expect(browser.getSuite('ed25519-sha256').verify(c.signature, c.message, c.publicKey)).toBe(verdict);
  });

  it('keys and nonces with a torsion component: accepted exactly when the cofactorless equation holds', () => {
    // A = aB + T1, R = rB + T2 (T1, T2 torsion). Honest signers never produce these; an attacker
    // can, and it is where cofactored and cofactorless verifiers disagree.
    const Point = ed25519.Point;
    const torsion = ED25519_SMALL_ORDER_ENCODINGS.map((hex) => Point.fromBytes(hexToBytes(hex)));
    const scalar = fc.bigInt({ min: 1n, max: ED25519_L - 1n });
    const torsionIndex = fc.nat({ max: torsion.length - 1 });
    let accepted = 0;
    fc.assert(
      fc.property(scalar, scalar, torsionIndex, torsionIndex, message, (a, r, i, j, msg) => {
        const A = Point.BASE.multiply(a).add(torsion[i]!);
        const R = Point.BASE.multiply(r).add(torsion[j]!);
        const encodedA = A.toBytes();
        const encodedR = R.toBytes();
        const k = bytesToNumberLE(sha512(concatBytes(encodedR, encodedA, msg))) % ED25519_L;
        const s = (r + k * a) % ED25519_L;
        const signature = concatBytes(encodedR, numberToBytesBE(s, 32).reverse());
        // [S]B - [k]A = rB - [k]T1, which encodes to R iff T2 = -[k]T1.
        const cofactorless = R.equals(Point.BASE.multiply(r).subtract(torsion[i]!.multiplyUnsafe(k)));
        const nodeVerdict = node.getSuite('ed25519-sha256').verify(signature, msg, encodedA);
        expect(browser.getSuite('ed25519-sha256').verify(signature, msg, encodedA)).toBe(nodeVerdict);
        expect(nodeVerdict).toBe(cofactorless);
        if (nodeVerdict) accepted++;
      }),
      { numRuns: 300 },
    );
    // Sanity: the generator does hit both outcomes (T1 = T2 = identity alone gives ~1/64).
    expect(accepted).toBeGreaterThan(0);
  });
});
