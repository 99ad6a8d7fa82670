// Block sync on its own: which peer to ask for the next committed blocks, when, how many requests and
// batches may be out at once, how an answer is checked and applied through `receiveCommitted`, and how
// a peer that fails us is counted. No sockets: the caller passes in how a request reaches a peer, its
// clock and timers, and hands the answers back (PeerNetwork over its links; the simulator over its
// simulated network, on simulated time). Protocol: docs/p2p.md.
import { type Block, type CommitCertificate, decodeBlock, decodeCertificate } from '@gongxin/ledger';
import type { LoggerLike } from '../node';
import type { TimerHandle, Timers } from '../ports';
import { bestSyncSource } from './gossip';
import { MAX_SYNC_BLOCKS, type SyncedBlockBytes } from './wire';

/** What block sync needs of a peer: its last reported head, and how often it failed us (kept here). */
export interface SyncPeer {
  height: number;
  syncFailures: number;
}

/** What block sync needs of the node. */
export interface SyncNode {
  readonly head: { height: number } | undefined;
  readonly stats: { badMessages?: number };
  receiveCommitted(blocks: { block: Block; certificate: CommitCertificate }[]): Promise<number>;
}

export interface BlockSyncLimits {
  /** Blocks asked for per request (the answer may hold fewer). */
  syncBatchBlocks: number;
  /** Give up on a request after this long and ask again (another peer, if one failed us less). */
  syncTimeoutMs: number;
  /** One height behind: give consensus this long to finish the height before syncing it. */
  syncDelayMs: number;
  /** Batches received and not yet applied, at most (back-pressure); one request is out at a time. */
  syncPipeline: number;
}

/**
 * Why an answer counts against the peer: `malformed` (undecodable, or not the heights asked for),
 * `refused` (the node refused a block: bad certificate, wrong chain), `error` (applying it threw).
 */
export type SyncFault = 'malformed' | 'refused' | 'error';

export interface BlockSyncHost<P extends SyncPeer> {
  /** The node, while the network runs (null: not started, or stopped). */
  node(): SyncNode | null;
  /** The peers linked now. */
  peers(): Iterable<P>;
  /** Send `get_blocks(from, limit)` to the peer; its answer comes back through `onBlocks`. */
  request(peer: P, from: number, limit: number): void;
  /** An answer of the peer was wrong: count it against the peer (PeerNetwork scores and bans). */
  fault(peer: P, reason: SyncFault, detail: string): void;
  timers: Timers;
  /** Run after the current turn (setImmediate in production). */
  defer(run: () => void): void;
  log: LoggerLike;
  /** The peer's name in logs. */
  label(peer: P): string;
  /** Blocks of an answer about to be applied, and after, how many of them the node took. */
  applying?(blocks: readonly { block: Block; certificate: CommitCertificate }[]): void;
  applied?(blocks: readonly { block: Block; certificate: CommitCertificate }[], count: number): void;
}

interface Pending<P> {
  peer: P;
  from: number;
  timer: TimerHandle | null;
  applying: boolean;
}

/**
 * Ask a peer that is ahead for the next blocks: one request out at a time, but the next is asked for
 * while earlier batches are applied (pipelined), up to `syncPipeline` batches in the node's hands.
 */
export class BlockSync<P extends SyncPeer> {
  /** Requests sent, answers applied (batches), answers that counted against their peer. */
  readonly stats = { requests: 0, batches: 0, faults: 0, timeouts: 0 };
  private pending: Pending<P> | null = null;
  private recheck: TimerHandle | null = null;
  /** Block batches being applied, and the last height they reach (the next request starts after it). */
  private applyingBatches = 0;
  private ahead = 0;
  /** A height the node asked for (it saw a later height, or a block it lacks). */
  private wanted = 0;
  private behind: { head: number; since: number } | null = null;
  private stopped = false;

  constructor(
    private readonly host: BlockSyncHost<P>,
    private readonly limits: BlockSyncLimits,
  ) {}

  /** Batches received and being applied now. */
  get inFlight(): { requests: number; applying: number } {
    return { requests: this.pending && !this.pending.applying ? 1 : 0, applying: this.applyingBatches };
  }

  /** The node wants blocks up to `height` (it saw it, or lacks a block): ask even before a status says who has it. */
  want(height: number): void {
    if (height > this.wanted) this.wanted = height;
    this.tick();
  }

  /** The peer is gone: a request it has not answered is given up at once. */
  peerGone(peer: P): void {
    if (this.pending?.peer === peer && !this.pending.applying) {
      if (this.pending.timer) this.host.timers.clearTimeout(this.pending.timer);
      this.pending = null;
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.recheck) this.host.timers.clearTimeout(this.recheck);
    this.recheck = null;
    if (this.pending?.timer) this.host.timers.clearTimeout(this.pending.timer);
    this.pending = null;
  }

  /** Ask a peer that is ahead for the next blocks, if no request is out and the pipeline has room. */
  tick(): void {
    const node = this.host.node();
    if (this.stopped || !node || this.pending) return;
    if (this.applyingBatches >= Math.max(1, this.limits.syncPipeline)) return;
    const stored = node.head?.height;
    if (stored === undefined) return;
    // Batches being applied are as good as had: ask for what follows them.
    const head = Math.max(stored, this.applyingBatches > 0 ? this.ahead : 0);
    if (this.wanted <= head) this.wanted = 0;
    let best = bestSyncSource(this.host.peers(), head);
    if (!best) {
      this.behind = null;
      if (this.wanted === 0) return;
      // The node asked before any status said who has it: the peer that failed us least.
      const open = [...this.host.peers()].sort((a, b) => a.syncFailures - b.syncFailures);
      best = open[0] ?? null;
      if (!best) return;
    } else if (this.wanted === 0 && best.height === head + 1) {
      // One height behind is usually consensus finishing the height right now: give it a moment.
      const now = this.host.timers.now();
      if (!this.behind || this.behind.head !== head) this.behind = { head, since: now };
      const wait = this.behind.since + this.limits.syncDelayMs - now;
      if (wait > 0) {
        if (!this.recheck) {
          this.recheck = this.host.timers.setTimeout(() => {
            this.recheck = null;
            this.tick();
          }, wait);
        }
        return;
      }
    }
    const from = head + 1;
    const limit = Math.min(
      this.limits.syncBatchBlocks,
      MAX_SYNC_BLOCKS,
      best.height > head ? best.height - head : MAX_SYNC_BLOCKS,
    );
    const request: Pending<P> = { peer: best, from, timer: null, applying: false };
    request.timer = this.host.timers.setTimeout(() => {
      if (this.pending !== request) return;
      request.peer.syncFailures++;
      this.stats.timeouts++;
      this.pending = null;
      this.host.log.debug({ peer: this.host.label(request.peer), from }, 'block request timed out');
      this.tick();
    }, this.limits.syncTimeoutMs);
    this.pending = request;
    this.stats.requests++;
    this.host.log.debug(
      { peer: this.host.label(best), from, limit, peerHeight: best.height },
      'requesting blocks',
    );
    this.host.request(best, from, limit);
  }

  /** A peer's `blocks` answer: only the answer to the request out counts; anything else is ignored. */
  async onBlocks(peer: P, from: number, list: readonly SyncedBlockBytes[]): Promise<void> {
    const request = this.pending;
    const node = this.host.node();
    if (!node || !request || request.peer !== peer || request.applying || request.from !== from) return;
    if (request.timer) this.host.timers.clearTimeout(request.timer);
    request.timer = null;
    request.applying = true;
    let counted = false;
    try {
      if (list.length === 0) {
        // It has nothing from there: its status was stale, or the node asked ahead of everyone.
        this.wanted = 0;
        if (peer.height >= from) peer.height = from - 1;
        return;
      }
      const blocks: { block: Block; certificate: CommitCertificate }[] = [];
      try {
        for (const [i, b] of list.entries()) {
          const block = decodeBlock(b.block);
          const certificate = decodeCertificate(b.certificate);
          if (block.header.height !== from + i || certificate.height !== from + i)
            throw new Error('heights out of order');
          blocks.push({ block, certificate });
        }
      } catch (error) {
        peer.syncFailures++;
        return this.fault(peer, 'malformed', `blocks: ${(error as Error).message}`);
      }
      const badBefore = node.stats.badMessages ?? 0;
      // Pipelined: the next batch is asked for while this one is applied (the node applies in order).
      this.applyingBatches++;
      counted = true;
      this.ahead = Math.max(this.ahead, from + blocks.length - 1);
      if (this.pending === request) this.pending = null;
      if (!this.stopped) this.host.defer(() => this.tick());
      this.host.applying?.(blocks);
      let applied: number;
      try {
        applied = await node.receiveCommitted(blocks);
      } catch (error) {
        if (!this.host.node()) return;
        return this.fault(peer, 'error', (error as Error).message);
      }
      if (!this.host.node()) return;
      this.stats.batches++;
      this.host.applied?.(blocks, applied);
      const head = node.head?.height ?? 0;
      const refused = blocks.some((b) => b.block.header.height === head + 1);
      if (refused && (node.stats.badMessages ?? 0) > badBefore) {
        this.fault(peer, 'refused', `block ${head + 1} was refused`);
        peer.syncFailures++;
      } else {
        peer.syncFailures = 0;
        this.host.log.debug(
          { peer: this.host.label(peer), from, count: blocks.length, head },
          'synced blocks',
        );
      }
    } finally {
      if (counted && --this.applyingBatches === 0) this.ahead = 0;
      if (this.pending === request) this.pending = null;
      if (!this.stopped) this.host.defer(() => this.tick());
    }
  }

  private fault(peer: P, reason: SyncFault, detail: string) {
    this.stats.faults++;
    this.host.fault(peer, reason, detail);
  }
}
