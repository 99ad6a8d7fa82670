// The solar meter wire protocol, version 1: what a gateway publishes and what the solar app's ingest
// accepts. Shared by both sides so they can never disagree.
//
// Topics (MQTT 3.1.1/5, QoS 1):
//   solar/v1/<shard>/<meter>/batch    a signed batch of readings (JSON below); shard = FNV-1a(meter) % 64
//   solar/status/v1/<meter>           retained {"v":1,"meter":…,"status":"online"|"offline","epoch":n};
//                                     "offline" is the connection's last will
//   solar/ack/v1/<meter>              from the ingester, once a batch is durably stored (or was already):
//                                     {"v":1,"meter":…,"epoch":n,"first":seq,"count":n,"root":"<64 hex>"};
//                                     the gateway keeps a batch, and sends it again, until this arrives
// A batch holds 1..100 readings of one meter, one epoch and one 15-minute interval (by device time),
// with consecutive seq. Every number is a JSON integer (never a float): Wh registers, W, dV, d°C, W/m².
//   {"v":1,"meter":"m-001","epoch":3,"readings":[{"seq":17,"ts":1717200000000,"importWh":12,
//    "exportWh":4521,"power":3200,"voltage":2301,"temperature":315,"irradiance":812}, …],
//    "root":"<64 hex>","sig":"<128 hex>"}
// root: RFC 6962 Merkle root (SHA-256) over the readings' leaf bytes (leafBytes) in seq order.
// sig:  Ed25519 by the meter's device key over signingMessage(meter, epoch, firstSeq, count, root).
// epoch is the gateway's boot count: it grows whenever the meter's counters may have restarted, and seq
// starts at 0 in each epoch, so (meter, epoch, seq) names a reading for good.
import { createPublicKey, hash, type KeyObject, sign, verify } from 'node:crypto';
import { shardTopic } from '@gongxin/mqtt';

export const PROTOCOL_VERSION = 1;
export const TOPIC_PREFIX = 'solar/v1';
export const STATUS_PREFIX = 'solar/status/v1';
export const ACK_PREFIX = 'solar/ack/v1';
export const SHARDS = 64;
export const MAX_BATCH_READINGS = 100;
export const INTERVAL_MS = 15 * 60_000;
/** Largest accepted batch message, bytes. */
export const MAX_BATCH_BYTES = 64 * 1024;

export interface Reading {
  readonly seq: number;
  /** Device clock, UTC ms. */
  readonly ts: number;
  /** Cumulative registers, Wh (OBIS 1-0:1.8.0 import, 1-0:2.8.0 export). */
  readonly importWh: number;
  readonly exportWh: number;
  /** Active power, W (positive: export). */
  readonly power: number;
  /** Voltage, 0.1 V. */
  readonly voltage: number;
  /** Module temperature, 0.1 °C. */
  readonly temperature: number;
  /** Plane-of-array irradiance, W/m². */
  readonly irradiance: number;
}

export interface Batch {
  readonly v: 1;
  readonly meter: string;
  readonly epoch: number;
  readonly readings: readonly Reading[];
  readonly root: string;
  readonly sig: string;
}

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const READING_FIELDS = [
  'seq',
  'ts',
  'importWh',
  'exportWh',
  'power',
  'voltage',
  'temperature',
  'irradiance',
] as const;
const METER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const batchTopic = (meter: string) => shardTopic(TOPIC_PREFIX, SHARDS, meter, 'batch');
export const statusTopic = (meter: string) => `${STATUS_PREFIX}/${meter}`;
export const ackTopic = (meter: string) => `${ACK_PREFIX}/${meter}`;

// One-shot hashing (crypto.hash) is several times cheaper than a createHash object per node.
const sha256 = (...parts: Uint8Array[]): Uint8Array =>
  new Uint8Array(hash('sha256', parts.length === 1 ? parts[0]! : Buffer.concat(parts), 'buffer'));

/** The bytes of one reading that its Merkle leaf hashes: every field, in a fixed order, as text. */
export function leafBytes(meter: string, epoch: number, r: Reading): Uint8Array {
  return new TextEncoder().encode(
    `${PROTOCOL_VERSION}|${meter}|${epoch}|${READING_FIELDS.map((f) => String(r[f])).join('|')}`,
  );
}

const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

/** RFC 6962 Merkle tree hash of already hashed nodes: split at the largest power of two below n. */
function mth(nodes: readonly Uint8Array[]): Uint8Array {
  if (nodes.length === 1) return nodes[0]!;
  let k = 1;
  while (k * 2 < nodes.length) k *= 2;
  return sha256(NODE, mth(nodes.slice(0, k)), mth(nodes.slice(k)));
}

/** RFC 6962 Merkle tree hash over leaves (0x00 leaf and 0x01 node prefixes). */
export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256();
  return mth(leaves.map((l) => sha256(LEAF, l)));
}

/** The audit path of leaf `index`: sibling hashes from the leaf up (RFC 6962 §2.1.1). */
export function merklePath(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  const path = (nodes: readonly Uint8Array[], m: number): Uint8Array[] => {
    if (nodes.length <= 1) return [];
    let k = 1;
    while (k * 2 < nodes.length) k *= 2;
    if (m < k) return [...path(nodes.slice(0, k), m), mth(nodes.slice(k))];
    return [...path(nodes.slice(k), m - k), mth(nodes.slice(0, k))];
  };
  return path(
    leaves.map((l) => sha256(LEAF, l)),
    index,
  );
}

/** The root an audit path leads to from a leaf (compare with the signed root to verify a reading). */
export function rootFromPath(
  leaf: Uint8Array,
  index: number,
  size: number,
  path: readonly Uint8Array[],
): Uint8Array {
  // Rebuild the RFC 6962 recursion's decisions top-down, then fold bottom-up.
  const sides: boolean[] = [];
  let m = index;
  let n = size;
  while (n > 1) {
    let k = 1;
    while (k * 2 < n) k *= 2;
    if (m < k) {
      sides.push(true); // sibling on the right
      n = k;
    } else {
      sides.push(false);
      m -= k;
      n -= k;
    }
  }
  if (sides.length !== path.length) throw new ProtocolError('bad_proof', 'path length does not fit the tree');
  let h = sha256(LEAF, leaf);
  for (let i = path.length - 1, j = 0; i >= 0; i--, j++) {
    const sibling = path[j]!;
    h = sides[i] ? sha256(NODE, h, sibling) : sha256(NODE, sibling, h);
  }
  return h;
}

export const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
export const fromHex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

export function signingMessage(
  meter: string,
  epoch: number,
  firstSeq: number,
  count: number,
  root: string,
): Uint8Array {
  return new TextEncoder().encode(
    `gongxin-solar-v${PROTOCOL_VERSION}|${meter}|${epoch}|${firstSeq}|${count}|${root}`,
  );
}

/** Builds and signs a batch (one signature over the Merkle root, however many readings). */
export function signBatch(
  meter: string,
  epoch: number,
  readings: readonly Reading[],
  privateKey: KeyObject,
): Batch {
  if (readings.length === 0 || readings.length > MAX_BATCH_READINGS)
    throw new RangeError(`a batch holds 1..${MAX_BATCH_READINGS} readings`);
  const root = toHex(merkleRoot(readings.map((r) => leafBytes(meter, epoch, r))));
  const sig = toHex(
    new Uint8Array(
      sign(null, signingMessage(meter, epoch, readings[0]!.seq, readings.length, root), privateKey),
    ),
  );
  return { v: 1, meter, epoch, readings: [...readings], root, sig };
}

/** Ed25519 public key from its 32 raw bytes (hex). */
export function publicKeyFromHex(hex: string): KeyObject {
  const raw = fromHex(hex);
  if (raw.length !== 32) throw new ProtocolError('bad_key', 'an Ed25519 public key is 32 bytes');
  // SPKI prefix of an Ed25519 key (RFC 8410).
  const der = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
  return createPublicKey({ key: der, format: 'der', type: 'spki' });
}

/** Raw 32-byte public key (hex) of an Ed25519 key object. */
export function publicKeyHex(key: KeyObject): string {
  const der = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' });
  return toHex(new Uint8Array(der.subarray(der.length - 32)));
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/**
 * Parses a batch message strictly: JSON, version 1, integers only, 1..100 readings with consecutive seq,
 * one interval by device time, registers never negative. Throws ProtocolError naming the field. Does
 * not check the root or signature (verifyBatch does).
 */
export function decodeBatch(payload: Uint8Array): Batch {
  if (payload.length > MAX_BATCH_BYTES)
    throw new ProtocolError('too_large', `a batch is at most ${MAX_BATCH_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    throw new ProtocolError('malformed_payload', 'the batch is not UTF-8 JSON');
  }
  return batchFromObject(json);
}

/**
 * A batch from its fields (parsed JSON, or another format's fields in the same shape), checked as
 * strictly as decodeBatch checks JSON.
 */
export function batchFromObject(json: unknown): Batch {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ProtocolError('malformed_payload', 'the batch is not a JSON object');
  const b = json as Record<string, unknown>;
  if (b.v !== PROTOCOL_VERSION) throw new ProtocolError('version', `v must be ${PROTOCOL_VERSION}`);
  if (typeof b.meter !== 'string' || !METER_ID.test(b.meter))
    throw new ProtocolError('invalid_field', 'meter: 1–64 of A-Z a-z 0-9 _ . -');
  if (!isInt(b.epoch) || b.epoch < 0)
    throw new ProtocolError('invalid_field', 'epoch: a non-negative integer');
  if (typeof b.root !== 'string' || !/^[0-9a-f]{64}$/.test(b.root))
    throw new ProtocolError('invalid_field', 'root: 64 lowercase hex digits');
  if (typeof b.sig !== 'string' || !/^[0-9a-f]{128}$/.test(b.sig))
    throw new ProtocolError('invalid_field', 'sig: 128 lowercase hex digits');
  if (!Array.isArray(b.readings) || b.readings.length === 0 || b.readings.length > MAX_BATCH_READINGS)
    throw new ProtocolError('invalid_field', `readings: 1..${MAX_BATCH_READINGS} readings`);
  const readings: Reading[] = [];
  for (const [i, r] of (b.readings as unknown[]).entries()) {
    if (typeof r !== 'object' || r === null)
      throw new ProtocolError('invalid_field', `readings[${i}]: an object`);
    const o = r as Record<string, unknown>;
    for (const f of READING_FIELDS) {
      if (!isInt(o[f])) throw new ProtocolError('invalid_field', `readings[${i}].${f}: an integer`);
    }
    const reading = Object.fromEntries(READING_FIELDS.map((f) => [f, o[f]])) as unknown as Reading;
    if (reading.seq < 0 || reading.ts < 0 || reading.importWh < 0 || reading.exportWh < 0)
      throw new ProtocolError('invalid_field', `readings[${i}]: seq, ts and registers are not negative`);
    if (i > 0 && reading.seq !== readings[i - 1]!.seq + 1)
      throw new ProtocolError(
        'invalid_field',
        `readings[${i}].seq: consecutive after ${readings[i - 1]!.seq}`,
      );
    if (i > 0 && Math.floor(reading.ts / INTERVAL_MS) !== Math.floor(readings[0]!.ts / INTERVAL_MS))
      throw new ProtocolError('invalid_field', `readings[${i}].ts: a batch stays in one 15-minute interval`);
    readings.push(reading);
  }
  return { v: 1, meter: b.meter, epoch: b.epoch, readings, root: b.root, sig: b.sig };
}

/** True when the root is the readings' and the signature is the key's. */
export function verifyBatch(batch: Batch, key: KeyObject): boolean {
  const root = toHex(merkleRoot(batch.readings.map((r) => leafBytes(batch.meter, batch.epoch, r))));
  if (root !== batch.root) return false;
  return verify(
    null,
    signingMessage(batch.meter, batch.epoch, batch.readings[0]!.seq, batch.readings.length, batch.root),
    key,
    fromHex(batch.sig),
  );
}

export function encodeBatch(batch: Batch): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(batch));
}

/** The ingester's acknowledgement of one batch: stored durably, named by its place and its root. */
export interface BatchAck {
  readonly v: 1;
  readonly meter: string;
  readonly epoch: number;
  readonly first: number;
  readonly count: number;
  readonly root: string;
  /**
   * Set when the ingester refused the batch for good (it does not verify with the meter's registered key,
   * or it is too old) and stored it as received with the reason: the gateway stops sending it.
   */
  readonly rejected?: { readonly reason: string; readonly message: string };
}

/** The ingester's answer to a batch it refused for good and stored as rejected. */
export function rejectionOf(batch: Batch, reason: string, message: string): BatchAck {
  return { ...ackOf(batch), rejected: { reason, message: message.slice(0, 200) } };
}

export function ackOf(batch: Batch): BatchAck {
  return {
    v: 1,
    meter: batch.meter,
    epoch: batch.epoch,
    first: batch.readings[0]!.seq,
    count: batch.readings.length,
    root: batch.root,
  };
}

export function encodeAck(ack: BatchAck): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(ack));
}

/** Parses an acknowledgement strictly; throws ProtocolError naming the field. */
export function decodeAck(payload: Uint8Array): BatchAck {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    throw new ProtocolError('malformed_payload', 'the acknowledgement is not UTF-8 JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ProtocolError('malformed_payload', 'the acknowledgement is not a JSON object');
  const a = json as Record<string, unknown>;
  if (a.v !== PROTOCOL_VERSION) throw new ProtocolError('version', `v must be ${PROTOCOL_VERSION}`);
  if (typeof a.meter !== 'string' || !METER_ID.test(a.meter))
    throw new ProtocolError('invalid_field', 'meter: 1–64 of A-Z a-z 0-9 _ . -');
  for (const f of ['epoch', 'first', 'count'] as const)
    if (!isInt(a[f]) || a[f] < 0) throw new ProtocolError('invalid_field', `${f}: a non-negative integer`);
  if (typeof a.root !== 'string' || !/^[0-9a-f]{64}$/.test(a.root))
    throw new ProtocolError('invalid_field', 'root: 64 lowercase hex digits');
  return {
    v: 1,
    meter: a.meter,
    epoch: a.epoch as number,
    first: a.first as number,
    count: a.count as number,
    root: a.root,
    ...(a.rejected !== undefined && { rejected: rejectionField(a.rejected) }),
  };
}

function rejectionField(v: unknown): { reason: string; message: string } {
  const r = v as Record<string, unknown>;
  if (
    typeof v !== 'object' ||
    v === null ||
    typeof r.reason !== 'string' ||
    !/^[a-z_]{1,40}$/.test(r.reason) ||
    typeof r.message !== 'string' ||
    r.message.length > 200
  )
    throw new ProtocolError('invalid_field', 'rejected: {reason: a-z_ (1–40), message: text (≤ 200)}');
  return { reason: r.reason, message: r.message };
}
