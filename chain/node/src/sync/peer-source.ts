// State sync over the peer link: a StateSyncSource that asks the linked peers. Offers are gathered from
// every peer (so the validators' signatures each holds are merged); headers and chunks are asked of the
// peers in turn, so several requests in flight go to several peers, and a peer that does not answer, or
// answers wrongly, is passed over for the next.
import {
  type CryptoSuite,
  decodeCertificate,
  decodeHeader,
  equalBytes,
  toHex,
  type Value,
  validatorsFromValue,
} from '@gongxin/ledger';
import type { PeerNetwork } from '../p2p/network';
import { getChunkFrame, getHeadersFrame, getSnapshotsFrame } from '../p2p/wire';
import { decodeManifest, manifestHash, type SnapshotOffer } from './snapshot';
import type { HeaderBatch, StateSyncSource } from './state-sync';

export interface PeerSourceOptions {
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** Peers tried for one request before giving up (default: every linked peer, at least 3 rounds). */
  attempts?: number;
}

export function peerSource(
  network: PeerNetwork,
  suite: CryptoSuite,
  opts: PeerSourceOptions = {},
): StateSyncSource {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let turn = 0;
  /** Peers that offered each snapshot (by height): chunks are asked of them. */
  const holders = new Map<number, string[]>();
  const manifests = new Map<number, Uint8Array>();

  async function ask<T>(
    peers: () => string[],
    frame: Uint8Array,
    accept: (answer: NonNullable<Awaited<ReturnType<PeerNetwork['syncRequest']>>>) => T | null,
    what: string,
  ): Promise<T> {
    const tried: string[] = [];
    const attempts = opts.attempts ?? Math.max(3, peers().length);
    for (let i = 0; i < attempts; i++) {
      const list = peers();
      if (list.length === 0) break;
      const peer = list[turn++ % list.length]!;
      tried.push(peer.slice(0, 8));
      const answer = await network.syncRequest(peer, frame, timeoutMs);
      if (!answer) continue;
      try {
        const value = accept(answer);
        if (value !== null) return value;
      } catch {
        // A malformed answer: ask the next peer.
      }
    }
    throw new Error(`no peer answered ${what} (asked ${tried.join(', ') || 'none: no peer linked'})`);
  }

  return {
    async offers() {
      const offers: SnapshotOffer[] = [];
      await Promise.all(
        network.linkedPeers().map(async (peer) => {
          const answer = await network.syncRequest(peer, getSnapshotsFrame(), timeoutMs);
          if (answer?.type !== 'snapshots') return;
          for (const o of answer.offers) {
            try {
              const manifest = decodeManifest(o.manifest);
              offers.push({ manifest, votes: o.votes });
              const id = manifestHash(suite, manifest);
              const known = manifests.get(manifest.height);
              if (known && !equalBytes(known, id)) continue;
              manifests.set(manifest.height, id);
              holders.set(manifest.height, [...(holders.get(manifest.height) ?? []), peer]);
            } catch {
              // An offer that does not decode is no offer.
            }
          }
        }),
      );
      return offers;
    },

    headers(from, limit) {
      return ask<HeaderBatch>(
        () => network.linkedPeers(),
        getHeadersFrame(from, limit),
        (answer) => {
          if (answer.type !== 'headers' || answer.headers.length === 0) return null;
          return {
            headers: answer.headers.map((h) => ({
              header: decodeHeader(h.block),
              certificate: decodeCertificate(h.certificate),
            })),
            sets: answer.sets.map((s: Value) => validatorsFromValue(s)),
          };
        },
        `headers from ${from}`,
      );
    },

    chunk(height, index) {
      const linked = () => {
        const now = new Set(network.linkedPeers());
        const offered = (holders.get(height) ?? []).filter((p) => now.has(p));
        return offered.length > 0 ? offered : [...now];
      };
      return ask<Uint8Array>(
        linked,
        getChunkFrame(height, index),
        (answer) => (answer.type === 'chunk' && answer.bytes.length > 0 ? answer.bytes : null),
        `chunk ${index} of the snapshot at ${height} (${toHex(manifests.get(height) ?? new Uint8Array()).slice(0, 8)})`,
      );
    },
  };
}
