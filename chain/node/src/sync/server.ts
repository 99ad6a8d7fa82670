// The serving side of state sync. A node keeps the snapshots it took of its own state (every
// `interval` blocks, and at start) with the validators' signatures it has for them (its own, when it is
// a validator, and any it was given), and answers peers' requests for offers, chunks and headers.
import type { Signer } from '@gongxin/consensus';
import { type ChainHead, type CryptoSuite, equalBytes, type MemoryState, type Value } from '@gongxin/ledger';
import type { LoggerLike } from '../node';
import { MAX_SYNC_HEADERS } from '../p2p/wire';
import type { ChainStore } from '../storage/store';
import {
  type BuiltSnapshot,
  buildSnapshot,
  DEFAULT_CHUNK_BYTES,
  type SnapshotOffer,
  type SnapshotVote,
  signManifest,
  snapshotSignBytes,
} from './snapshot';
import type { HeaderBatch } from './state-sync';

/** What a peer link asks of the node's sync server. */
export interface SyncServer {
  offers(): SnapshotOffer[];
  chunk(height: number, index: number): Uint8Array | undefined;
  headers(from: number, limit: number): Promise<HeaderBatch>;
}

export interface SnapshotterOptions {
  suite: CryptoSuite;
  chainId: string;
  /** A validator signs its snapshots; a full node only serves those it has signatures for. */
  signer?: Signer | null;
  /** Take a snapshot at every height that is a multiple of this (default 10,000). */
  interval?: number;
  /** Snapshots kept (default 2). */
  keep?: number;
  /** Also take one of the state the node starts with, whatever its height (default true). */
  atStart?: boolean;
  chunkBytes?: number;
  logger?: LoggerLike;
}

interface Held {
  built: BuiltSnapshot;
  votes: SnapshotVote[];
}

export class Snapshotter {
  private readonly held = new Map<number, Held>();
  private readonly interval: number;
  private readonly keep: number;
  private started = false;

  constructor(private readonly opts: SnapshotterOptions) {
    this.interval = opts.interval ?? 10_000;
    this.keep = opts.keep ?? 2;
  }

  /** The node committed `head` and its state is `state`: take a snapshot if the height is due. */
  observe(head: ChainHead, state: MemoryState): void {
    const first = !this.started;
    this.started = true;
    if (head.height === 0 || this.held.has(head.height)) return;
    if (head.height % this.interval === 0 || (first && (this.opts.atStart ?? true))) this.take(head, state);
  }

  /**
   * Snapshot the state as it is now (it must be the state after `head`). The entries are copied at once
   * (values are immutable, so the copy is of references); cutting and hashing the chunks is done here too.
   */
  take(head: ChainHead, state: MemoryState): BuiltSnapshot {
    const startedAt = performance.now();
    const entries: [string, Value][] = [...state.entries];
    const built = buildSnapshot(this.opts.suite, head, entries, this.opts.chunkBytes ?? DEFAULT_CHUNK_BYTES);
    const votes = this.opts.signer ? [signManifest(this.opts.suite, built.manifest, this.opts.signer)] : [];
    this.held.set(head.height, { built, votes });
    for (const height of [...this.held.keys()].sort((a, b) => a - b).slice(0, -this.keep))
      this.held.delete(height);
    this.opts.logger?.info(
      {
        height: head.height,
        entries: built.manifest.entries,
        chunks: built.chunks.length,
        ms: Math.round(performance.now() - startedAt),
      },
      'state snapshot taken',
    );
    return built;
  }

  /** Validators' signatures for the snapshot at `height` (checked: others are dropped); how many were new. */
  addVotes(height: number, votes: readonly SnapshotVote[]): number {
    const held = this.held.get(height);
    if (!held) return 0;
    const message = snapshotSignBytes(this.opts.suite, held.built.manifest);
    let added = 0;
    for (const vote of votes) {
      if (held.votes.some((v) => equalBytes(v.key, vote.key))) continue;
      if (!this.opts.suite.verify(vote.signature, message, vote.key)) continue;
      held.votes.push(vote);
      added++;
    }
    return added;
  }

  snapshot(height: number): BuiltSnapshot | undefined {
    return this.held.get(height)?.built;
  }

  offers(): SnapshotOffer[] {
    return [...this.held.values()]
      .filter((h) => h.votes.length > 0)
      .map((h) => ({ manifest: h.built.manifest, votes: [...h.votes] }));
  }

  chunk(height: number, index: number): Uint8Array | undefined {
    return this.held.get(height)?.built.chunks[index];
  }
}

/** A node's sync server: its snapshots, and headers with the validator sets they name from its store. */
export function syncServer(store: ChainStore, snapshots: Snapshotter): SyncServer {
  return {
    offers: () => snapshots.offers(),
    chunk: (height, index) => snapshots.chunk(height, index),
    headers: async (from, limit) => {
      const n = Math.min(limit, MAX_SYNC_HEADERS);
      const rows = await store.headersFrom(from, n);
      const to = from + rows.length - 1;
      const changes = rows.some((r) => !equalBytes(r.header.validatorsHash, r.header.nextValidatorsHash));
      const sets = changes
        ? (await store.validatorSets())
            .filter((s) => s.height > from && s.height <= to + 1 && s.height > 1)
            .map((s) => s.validators)
        : [];
      return { headers: rows.map((r) => ({ header: r.header, certificate: r.certificate })), sets };
    },
  };
}
