import { createHash } from 'node:crypto';
import { leafHash, merkleRootOfLeafHashes } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { generateDeviceKey } from '../src/keys';
import {
  batchTopic,
  decodeBatch,
  encodeBatch,
  leafBytes,
  merklePath,
  merkleRoot,
  ProtocolError,
  publicKeyFromHex,
  type Reading,
  rootFromPath,
  signBatch,
  toHex,
  verifyBatch,
} from '../src/protocol';
import { decodeSparkplugBatch, encodeSparkplugBatch } from '../src/sparkplug';

const T = Date.UTC(2024, 5, 1, 4, 0, 0);
const reading = (seq: number, over: Partial<Reading> = {}): Reading => ({
  seq,
  ts: T + seq * 10_000,
  importWh: 12,
  exportWh: 4_500 + seq * 9,
  power: 3_200,
  voltage: 2_301,
  temperature: 315,
  irradiance: 812,
  ...over,
});
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

describe('solar meter protocol v1', () => {
  it('signs a batch once over its Merkle root; the server verifies it with the registered key', () => {
    const key = generateDeviceKey();
    const batch = signBatch('m-001', 3, [reading(0), reading(1), reading(2)], key.privateKey);
    const decoded = decodeBatch(encodeBatch(batch));
    expect(decoded).toEqual(batch);
    expect(verifyBatch(decoded, publicKeyFromHex(key.publicKey))).toBe(true);
    // Another key, a changed reading, or a changed epoch fail.
    expect(verifyBatch(decoded, publicKeyFromHex(generateDeviceKey().publicKey))).toBe(false);
    const forged = { ...decoded, readings: [reading(0), reading(1, { exportWh: 9_999_999 }), reading(2)] };
    expect(verifyBatch(forged, publicKeyFromHex(key.publicKey))).toBe(false);
    expect(verifyBatch({ ...decoded, epoch: 4 }, publicKeyFromHex(key.publicKey))).toBe(false);
  });

  it('uses the RFC 6962 tree of the ledger, and audit paths lead to the root', () => {
    for (let n = 1; n <= 17; n++) {
      const leaves = Array.from({ length: n }, (_, i) => leafBytes('m', 0, reading(i)));
      const root = merkleRoot(leaves);
      expect(toHex(root)).toBe(
        toHex(
          merkleRootOfLeafHashes(
            sha256,
            leaves.map((l) => leafHash(sha256, l)),
          ),
        ),
      );
      for (let i = 0; i < n; i++) {
        expect(toHex(rootFromPath(leaves[i]!, i, n, merklePath(leaves, i)))).toBe(toHex(root));
      }
      if (n > 1) expect(toHex(rootFromPath(leaves[0]!, 1, n, merklePath(leaves, 0)))).not.toBe(toHex(root));
    }
  });

  it('refuses malformed batches naming the field', () => {
    const key = generateDeviceKey();
    const good = JSON.parse(
      new TextDecoder().decode(encodeBatch(signBatch('m-001', 0, [reading(0), reading(1)], key.privateKey))),
    );
    const bad = (change: (b: Record<string, unknown>) => void) => {
      const b = structuredClone(good);
      change(b);
      return () => decodeBatch(new TextEncoder().encode(JSON.stringify(b)));
    };
    expect(() => decodeBatch(new TextEncoder().encode('{'))).toThrow(ProtocolError);
    expect(bad((b) => (b.v = 2))).toThrow(/v must be 1/);
    expect(bad((b) => (((b.readings as Reading[])[0] as { exportWh: number }).exportWh = 1.5))).toThrow(
      /readings\[0\]\.exportWh: an integer/,
    );
    expect(bad((b) => (((b.readings as Reading[])[1] as { seq: number }).seq = 5))).toThrow(/consecutive/);
    expect(bad((b) => (((b.readings as Reading[])[1] as { ts: number }).ts = T + 3_600_000))).toThrow(
      /one 15-minute/,
    );
    expect(bad((b) => (b.meter = 'a/b'))).toThrow(/meter/);
    expect(bad((b) => (b.readings = []))).toThrow(/readings/);
    expect(bad((b) => (((b.readings as Reading[])[0] as { importWh: number }).importWh = -1))).toThrow(
      /not negative/,
    );
  });

  it('puts a meter on a stable shard of the versioned topic layout', () => {
    expect(batchTopic('m-001')).toMatch(/^solar\/v1\/\d{1,2}\/m-001\/batch$/);
    expect(batchTopic('m-001')).toBe(batchTopic('m-001'));
  });
});

describe('Sparkplug B batches', () => {
  it('carry the same signed batch: decoded equal, verified with the device key, tampering and garbage refused', () => {
    const key = generateDeviceKey();
    const batch = signBatch('m-spb', 7, [reading(0), reading(1), reading(2)], key.privateKey);
    const bytes = encodeSparkplugBatch(batch);
    // A protobuf, not JSON text.
    expect(bytes[0]).not.toBe('{'.charCodeAt(0));
    const back = decodeSparkplugBatch(bytes);
    expect(back).toEqual(batch);
    expect(verifyBatch(back, publicKeyFromHex(key.publicKey))).toBe(true);
    // A reading changed after signing no longer verifies.
    const forged = encodeSparkplugBatch({
      ...batch,
      readings: batch.readings.map((r, i) => (i === 1 ? { ...r, exportWh: r.exportWh + 1 } : r)),
    });
    expect(verifyBatch(decodeSparkplugBatch(forged), publicKeyFromHex(key.publicKey))).toBe(false);
    // The v1 rules hold in this format too: seq must run on.
    const gap = encodeSparkplugBatch({ ...batch, readings: [reading(0), reading(2)] });
    expect(() => decodeSparkplugBatch(gap)).toThrow(ProtocolError);
    expect(() => decodeSparkplugBatch(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(ProtocolError);
    expect(() => decodeSparkplugBatch(encodeBatch(batch))).toThrow(ProtocolError);
  });
});
