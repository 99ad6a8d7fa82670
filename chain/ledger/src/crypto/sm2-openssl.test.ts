// Pins down what Node's OpenSSL does with SM2, the facts behind node.ts not using it for SM2
// signatures (see docs/crypto.md). If a Node upgrade changes any of this, revisit that decision.

import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex, concatBytes, hexToBytes } from './bytes';
import * as node from './node';
import { SM2_EXAMPLE } from './published-vectors';

const ex = SM2_EXAMPLE;
const SM2_CURVE_OID = '06082a811ccf5501822d'; // 1.2.156.10197.1.301

function opensslExampleKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  // RFC 5915 ECPrivateKey naming the SM2 curve; OpenSSL 3 decodes such keys as SM2 (not EC) keys.
  const body = hexToBytes(
    `020101` +
      `0420${bytesToHex(ex.privateKey)}` +
      `a00a${SM2_CURVE_OID}` +
      `a144034200${bytesToHex(ex.publicKeyUncompressed)}`,
  );
  const der = concatBytes(Uint8Array.of(0x30, body.length), body);
  const key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'sec1' });
  return { privateKey: key, publicKey: createPublicKey(key) };
}

/** DER ECDSA-Sig-Value -> r||s. */
function derToRs(der: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let offset = 2;
  for (let i = 0; i < 2; i++) {
    const length = der[offset + 1]!;
    const integer = der.subarray(offset + 2, offset + 2 + length);
    const unpadded = integer[0] === 0 ? integer.subarray(1) : integer;
    parts.push(concatBytes(new Uint8Array(32 - unpadded.length), unpadded));
    offset += 2 + length;
  }
  return concatBytes(...parts);
}

function rsToDer(rs: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    const trimmed = bytes.subarray(i);
    const padded = trimmed[0]! & 0x80 ? concatBytes(Uint8Array.of(0), trimmed) : trimmed;
    return concatBytes(Uint8Array.of(0x02, padded.length), padded);
  };
  const body = concatBytes(integer(rs.subarray(0, 32)), integer(rs.subarray(32)));
  return concatBytes(Uint8Array.of(0x30, body.length), body);
}

describe("Node's built-in SM2 (OpenSSL 3)", () => {
  const { privateKey, publicKey } = opensslExampleKey();
  const compressed = node.getSuite('sm2-sm3').publicKeyFromPrivate(ex.privateKey);

  it('does not even know the key type, and ignores dsaEncoding "ieee-p1363" (DER comes out)', () => {
    expect(privateKey.asymmetricKeyType).toBeUndefined();
    const signature = sign(null, ex.message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    expect(signature[0]).toBe(0x30);
    expect(signature.length).toBeGreaterThan(64);
  });

  it('only allows SM3 as the digest, so it really runs the SM2 scheme', () => {
    expect(() => sign('sha256', ex.message, privateKey)).toThrow();
  });

  it('hashes with an EMPTY distinguishing ID, not the default "1234567812345678"', () => {
    const signature = derToRs(sign(null, ex.message, privateKey));
    expect(node.sm2Verify(signature, ex.message, compressed, '')).toBe(true);
    expect(node.sm2Verify(signature, ex.message, compressed)).toBe(false);
    expect(node.getSuite('sm2-sm3').verify(signature, ex.message, compressed)).toBe(false);
  });

  it('therefore rejects standard signatures, and accepts ours only when we also use the empty ID', () => {
    expect(verify(null, ex.message, publicKey, Buffer.from(rsToDer(ex.signature)))).toBe(false);
    const emptyId = node.sm2SignWithK(ex.message, ex.privateKey, ex.k, '');
    expect(verify(null, ex.message, publicKey, Buffer.from(rsToDer(emptyId)))).toBe(true);
  });

  it("generateKeyPair('ec', SM2) keys are plain EC keys: that is ECDSA on the SM2 curve, not SM2", () => {
    const generated = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    expect(generated.privateKey.asymmetricKeyType).toBe('ec');
    // ECDSA happily signs with SHA-256; the SM2 scheme would refuse.
    const ecdsa = sign('sha256', ex.message, { key: generated.privateKey, dsaEncoding: 'ieee-p1363' });
    expect(ecdsa).toHaveLength(64);
    const rawPublic = generated.publicKey.export({ format: 'der', type: 'spki' }).subarray(-65);
    const compressedGenerated = concatBytes(
      Uint8Array.of(rawPublic[64]! & 1 ? 3 : 2),
      rawPublic.subarray(1, 33),
    );
    const asSm2 = sign(null, ex.message, { key: generated.privateKey, dsaEncoding: 'ieee-p1363' });
    expect(node.getSuite('sm2-sm3').verify(asSm2, ex.message, compressedGenerated)).toBe(false);
  });

  it('agrees with our SM2 arithmetic once the ID matches (fixed-k check against OpenSSL)', () => {
    for (const k of [1n, 2n, ex.k, 0xffffn]) {
      const signature = node.sm2SignWithK(ex.message, ex.privateKey, k, '');
      expect(verify(null, ex.message, publicKey, Buffer.from(rsToDer(signature)))).toBe(true);
    }
  });
});
