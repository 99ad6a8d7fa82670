// What goes on chain for one EPCIS event: the params of the food contract's `anchorEvent`, built from
// the event itself, so the hash anyone can recompute from the event is the hash on chain. The event stays
// off chain; only its hash, type, business step, EPCs (or their Merkle root) and record time are anchored.
import { createHash } from 'node:crypto';
import { merkleRoot } from '@gongxin/ledger';
import { bizStepOf } from './cbv';
import type { EpcisEvent } from './epcis';
import { eventHashId } from './event-hash';
import { eventKeys } from './trace';

/** Mirrors the food contract's MAX_ANCHORED_EPCS: longer lists are anchored as a Merkle root. */
export const MAX_ANCHORED_EPCS = 50;

export interface AnchorEventParams {
  /** Hex SHA-256 digest of the event's hash id. */
  eventHash: string;
  eventType: string;
  /** The CBV term when standard (`shipping`), else the URI as written. */
  bizStep?: string;
  epcs?: string[];
  epcsRoot?: string;
  epcCount?: number;
  /** ms since the epoch. */
  recordTime: number;
}

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

/**
 * RFC 6962 Merkle root (the ledger's) over the EPCs, canonical and sorted, each leaf its UTF-8 bytes:
 * whoever holds the event can prove an EPC was in it without the chain listing them all.
 */
export function epcsMerkleRoot(canonicalEpcs: readonly string[]): string {
  const leaves = [...new Set(canonicalEpcs)].sort().map((epc) => new TextEncoder().encode(epc));
  return Buffer.from(merkleRoot(sha256, leaves)).toString('hex');
}

/**
 * `food.anchorEvent` params for a validated event. `recordTime` is the event's own when it has one,
 * else the capture time the caller gives.
 */
export function anchorEventParams(
  event: EpcisEvent,
  options: { documentContext?: unknown; captureTime: number },
): AnchorEventParams {
  const { digest } = eventHashId(event as unknown as Record<string, unknown>, options.documentContext);
  const epcs = [...new Set(eventKeys(event).map((k) => k.key))].sort();
  const recordTime = event.recordTime ? Date.parse(event.recordTime) : options.captureTime;
  const bizStep = event.bizStep ? (bizStepOf(event.bizStep) ?? event.bizStep) : undefined;
  return {
    eventHash: digest,
    eventType: event.type,
    ...(bizStep && { bizStep }),
    ...(epcs.length <= MAX_ANCHORED_EPCS
      ? { epcs }
      : { epcsRoot: epcsMerkleRoot(epcs), epcCount: epcs.length }),
    recordTime,
  };
}
