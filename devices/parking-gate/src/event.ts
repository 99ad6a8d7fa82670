// Gate events on the wire (topic layout v1, see README.md). A gate signs each event with its Ed25519
// device key (registered on chain for its lot); the envelope carries the body as the exact string that
// was signed, so no re-serialisation can break a signature. Events carry the device time, a boot epoch
// and a monotonic counter: `<lot>.<gate>/<epoch>:<counter>` is the idempotency key of a sync.
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import type { VehicleType } from '@gongxin/contracts';
import { shardTopic } from '@gongxin/mqtt';
import type { PlateColour } from './plate';

export const TOPIC_VERSION = 'v1';
/** Events: `parking/v1/<shard>/<lot>.<gate>/event`. */
export const EVENT_PREFIX = `parking/${TOPIC_VERSION}`;
/** Retained status with the last will: `parking-status/v1/<lot>.<gate>` → `online` / `offline`. */
export const STATUS_PREFIX = `parking-status/${TOPIC_VERSION}`;
export const DEFAULT_SHARDS = 64;

export type GateEventKind = 'entry' | 'exit';
export type Decision = {
  readonly open: boolean;
  /** Why: `pass`, `paid`, `free`, `fee`, `full`, `blacklist`, `confirm` (low confidence), `noEntry`… */
  readonly reason: string;
  /** At an exit: what the cached tariff says is due (fen, as a decimal string). */
  readonly dueFen?: string;
  readonly tariffVersion?: number;
};

export interface GateEventBody {
  readonly v: 1;
  readonly lot: string;
  readonly gate: string;
  readonly lane: string;
  readonly kind: GateEventKind;
  readonly plate: string;
  readonly colour: PlateColour;
  readonly vehicle: VehicleType;
  /** Recognition confidence, 0–100. */
  readonly confidence: number;
  /** SHA-256 of the camera image kept at the lot (hex). */
  readonly imageHash: string;
  /** Device clock, ms since the epoch. */
  readonly time: number;
  /** Boot epoch and a counter that only grows within it. */
  readonly epoch: number;
  readonly counter: number;
  readonly decision: Decision;
}

export interface Envelope {
  readonly body: string;
  /** Ed25519 signature of the body's UTF-8 bytes, hex. */
  readonly sig: string;
}

export const deviceId = (lot: string, gate: string) => `${lot}.${gate}`;

export function eventTopic(lot: string, gate: string, shards = DEFAULT_SHARDS): string {
  return shardTopic(EVENT_PREFIX, shards, deviceId(lot, gate), 'event');
}

export const statusTopic = (lot: string, gate: string) => `${STATUS_PREFIX}/${deviceId(lot, gate)}`;

export function sealEvent(body: GateEventBody, key: KeyObject): Envelope {
  const text = JSON.stringify(body);
  return { body: text, sig: sign(null, Buffer.from(text), key).toString('hex') };
}

/** The body of a correctly signed envelope, or null. */
export function openEvent(envelope: Envelope, publicKeyHex: string): GateEventBody | null {
  try {
    const key = publicKeyFromHex(publicKeyHex);
    if (!verify(null, Buffer.from(envelope.body), key, Buffer.from(envelope.sig, 'hex'))) return null;
    return JSON.parse(envelope.body) as GateEventBody;
  } catch {
    return null;
  }
}

/** The event's hash: the session id on chain for an entry, the event hash for an exit. */
export function eventHash(envelope: Envelope): string {
  return createHash('sha256').update(envelope.body).digest('hex');
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function publicKeyFromHex(hex: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
}

/** A device key from its 32-byte seed (hex). */
export function privateKeyFromSeed(seedHex: string): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(seedHex, 'hex')]),
    format: 'der',
    type: 'pkcs8',
  });
}

export function publicKeyHex(key: KeyObject): string {
  const der = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return Buffer.from(der).subarray(ED25519_SPKI_PREFIX.length).toString('hex');
}
