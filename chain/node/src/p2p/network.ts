import {
  type ConsensusMessage,
  encodeConsensusMessage,
  verifyProposal,
  verifyVote,
} from '@gongxin/consensus';
import {
  type Block,
  type CommitCertificate,
  encodeBlock,
  encodeCertificate,
  encodeHeader,
  toHex,
  txKey,
  type Validator,
  validatorsToValue,
} from '@gongxin/ledger';
import { ADMISSION_SLICE_MS } from '../mempool';
import type { ConsensusNetwork, LoggerLike } from '../node';
import { realTimers, type TimerHandle, type Timers } from '../ports';
import type { SyncServer } from '../sync/server';
import { encodeManifest } from '../sync/snapshot';
import { BlockSync } from './block-sync';
import { RegossipBook } from './gossip';
import type { Link, Priority } from './link';
import {
  type CounterReason,
  type PeerAddress,
  type PeerCounters,
  type PeerInfo,
  type PeerLinkLimits,
  PeerLinks,
  type PeerLinksConfig,
} from './peer-links';
import { SeenMap, SeenSet } from './seen';
import {
  blocksFrame,
  chunkFrame,
  consensusFrame,
  decodeFrame,
  type Frame,
  getBlocksFrame,
  headersFrame,
  MAX_FRAME_BYTES,
  MAX_STATUS_LINKS,
  MAX_SYNC_BLOCKS,
  MAX_SYNC_HEADERS,
  MAX_TXS_PER_FRAME,
  type SyncedBlockBytes,
  snapshotsFrame,
  statusFrame,
  txFrame,
  txsFrame,
} from './wire';

/** What the network needs from the node; `ChainNode` has all of it. */
export interface P2pNode {
  readonly head: { height: number } | undefined;
  readonly stats: { round: number; badMessages?: number };
  /** The height consensus is deciding, its round and step (absent: the regossip uses head + 1). */
  readonly position?: { height: number; round: number; step: string };
  readonly validators: readonly Validator[];
  readonly store: {
    blocksFrom(height: number, limit: number): Promise<{ block: Block; certificate: CommitCertificate }[]>;
  };
  receiveConsensus(message: ConsensusMessage): void;
  /** `key`: the tx's `txKey`, computed for the seen-set and passed on so the mempool need not hash again. */
  receiveTx(
    bytes: Uint8Array,
    key?: string,
    peer?: string,
  ): 'admitted' | 'duplicate' | 'refused' | 'junk' | undefined;
  /**
   * Many txs from one peer at once, their signatures checked off this thread (ChainNode's verifier
   * threads): one verdict per tx, in order. When present, the network admits peers' txs through it.
   */
  receiveTxs?(
    txs: readonly Uint8Array[],
    keys: readonly string[],
    peer: string,
  ): Promise<readonly ('admitted' | 'duplicate' | 'refused' | 'junk')[]>;
  receiveCommitted(blocks: { block: Block; certificate: CommitCertificate }[]): Promise<number>;
  onBlock?(listener: (block: { height: number }) => void): () => void;
  /** Where the node counts its CPU by stage: encoding and sending frames count as `gossip`. */
  readonly stages?: { time<T>(stage: 'gossip', fn: () => T): T };
}

export interface PeerLimits extends PeerLinkLimits {
  statusIntervalMs: number;
  /** Blocks and bytes per `blocks` answer (at least one block is always sent). */
  syncBatchBlocks: number;
  syncBatchBytes: number;
  /** Give up on a `get_blocks` after this long and ask another peer. */
  syncTimeoutMs: number;
  /** One height behind: give consensus this long to finish the height before syncing it. */
  syncDelayMs: number;
  /**
   * Block batches received and not yet applied, at most (back-pressure): while they are applied the
   * next is already asked for, so a node far behind is never idle waiting for the network.
   */
  syncPipeline: number;
  seenTxs: number;
  /** Txs from peers waiting for admission at most; beyond it they are dropped and counted. */
  inboundTxs: number;
  seenConsensus: number;
  /**
   * A height still undecided this long after its first message: re-send its latest messages to peers
   * on the same height each status interval (they may have missed them while down or restarting).
   */
  regossipAfterMs: number;
  /** Consensus messages of the undecided heights kept for re-sending. */
  recentMessages: number;
  recentBytes: number;
}

export const defaultPeerLimits: PeerLimits = {
  maxPayload: MAX_FRAME_BYTES,
  handshakeTimeoutMs: 5_000,
  statusIntervalMs: 1_000,
  idleTimeoutMs: 20_000,
  syncBatchBlocks: MAX_SYNC_BLOCKS,
  syncBatchBytes: 16 * 1024 * 1024,
  syncTimeoutMs: 10_000,
  syncDelayMs: 1_000,
  syncPipeline: 3,
  maxPeers: 64,
  maxPendingHandshakes: 32,
  misbehaviourPerMinute: 100,
  banMs: 5 * 60_000,
  reconnectBaseMs: 500,
  reconnectMaxMs: 30_000,
  seenTxs: 100_000,
  inboundTxs: 100_000,
  seenConsensus: 20_000,
  regossipAfterMs: 2_000,
  recentMessages: 4_096,
  recentBytes: 64 * 1024 * 1024,
  socketHighWaterBytes: 4 * 1024 * 1024,
  queueMaxBytes: 96 * 1024 * 1024,
  queueMaxFrames: 8_192,
  ratePerSecond: 5_000,
  rateBurst: 10_000,
  bytesPerSecond: 64 * 1024 * 1024,
  bytesBurst: 128 * 1024 * 1024,
  txsPerSecond: 10_000,
  txsBurst: 20_000,
};

/** A pending gossip batch is sent once it holds this many bytes, even within one turn. */
const TX_BATCH_BYTES = 1024 * 1024;
/** Peers' txs sent for verification at once in batch admission. */
const INBOUND_BATCH = 1024;

/** The links' identity, listener, peers and admission are PeerLinks' own settings (peer-links.ts). */
export interface PeerConfig
  extends Pick<
    PeerLinksConfig,
    'suite' | 'chainId' | 'genesisHash' | 'signer' | 'listen' | 'peers' | 'admitted'
  > {
  /** Also admit the attached node's current validator set, refreshed after every block. */
  followValidators?: boolean;
  logger?: LoggerLike;
  limits?: Partial<PeerLimits>;
  /** Answers peers' state sync requests (snapshot offers, chunks, headers); absent: they get none. */
  sync?: SyncServer;
  /** Clock and timers of status ticks, sync, redials, bans and budgets; default the process's. */
  timers?: Timers;
}

const silent: LoggerLike = { info() {}, warn() {}, error() {}, debug() {} };

/**
 * The peer network of a node: authenticated links (peer-links.ts) carrying consensus gossip with its
 * re-gossip policy (gossip.ts), tx gossip, status ticks and block sync (block-sync.ts), and answers to
 * state sync requests.
 */
export class PeerNetwork implements ConsensusNetwork {
  /** Refused links and dropped frames by reason, for /metrics. */
  readonly counters: PeerCounters;
  /** Consensus messages sent again because the height stalled (see regossip), for /metrics. */
  regossiped = 0;
  private node: P2pNode | null = null;
  private readonly limits: PeerLimits;
  private readonly timers: Timers;
  private readonly log: LoggerLike;
  private readonly key: Uint8Array;
  /** The links to peers, authenticated, and their lifecycle. */
  private readonly links: PeerLinks;
  private readonly seenTxs: SeenSet;
  /** Consensus message id → whether its signature held. */
  private readonly seenConsensus: SeenMap<boolean>;
  /** Valid consensus messages of undecided heights, for re-sending, and the stall watch (gossip.ts). */
  private readonly regossipBook: RegossipBook<{ height: number; round: number; bytes: Uint8Array }>;
  private statusTimer: TimerHandle | null = null;
  /** Block sync (block-sync.ts) over the open links. */
  private readonly blockSync: BlockSync<Link>;
  /** State sync requests sent and not yet answered, by peer and answer. */
  private readonly syncWaiters = new Map<
    string,
    { resolve(frame: Frame | null): void; timer: NodeJS.Timeout }
  >();
  /** State sync requests being answered, per peer. */
  private readonly syncServing = new Map<Link, number>();
  private unsubscribe: (() => void) | null = null;
  private started = false;
  private stopped = false;
  /** Txs admitted here this turn of the event loop, gossiped together in one `txs` frame per peer. */
  private pendingTxs: Uint8Array[] = [];
  private pendingTxBytes = 0;
  private txFlushScheduled = false;
  /**
   * Txs from peers waiting for admission. Admission (a signature check each) runs in slices between
   * event-loop turns, so proposals, votes and database replies that arrive meanwhile are handled first:
   * under load, consensus is not stuck behind thousands of signature checks.
   */
  private readonly inbound: Uint8Array[] = [];
  /** The `txKey` of each waiting tx, computed for the seen-set. */
  private readonly inboundKeys: string[] = [];
  /** Where each waiting tx came from: the link (scored for junk) and the origin (kept when relayed). */
  private readonly inboundFrom: { link: Link; origin: Uint8Array }[] = [];
  private inboundNext = 0;
  private inboundScheduled = false;
  /** A batch of peers' txs is out for verification (batch admission): one at a time. */
  private inboundBusy = false;

  constructor(
    private readonly config: PeerConfig,
    node?: P2pNode,
  ) {
    this.limits = { ...defaultPeerLimits, ...config.limits };
    this.timers = config.timers ?? realTimers;
    this.log = config.logger ?? silent;
    this.key = config.signer.key;
    this.links = new PeerLinks(
      {
        suite: config.suite,
        chainId: config.chainId,
        genesisHash: config.genesisHash,
        signer: config.signer,
        listen: config.listen,
        peers: config.peers,
        admitted: config.admitted,
        following: () =>
          config.followValidators && this.node ? (this.node.validators ?? []).map((v) => v.key) : [],
        limits: this.limits,
        timers: this.timers,
        log: this.log,
      },
      {
        opened: (link) => this.sendStatus(link),
        closed: (link) => this.blockSync.peerGone(link),
        frame: (link, frame, bytes) => this.onFrame(link, frame, bytes),
      },
    );
    this.counters = this.links.counters;
    this.seenTxs = new SeenSet(this.limits.seenTxs);
    this.seenConsensus = new SeenMap(this.limits.seenConsensus);
    this.regossipBook = new RegossipBook(this.limits);
    this.blockSync = new BlockSync<Link>(
      {
        node: () => (this.started && !this.stopped ? this.node : null),
        peers: () => this.links.openLinks(),
        request: (link, from, limit) => this.send(link, getBlocksFrame(from, limit), 'high'),
        fault: (link, reason, detail) =>
          this.count(link, reason === 'malformed' ? 'malformed' : 'bad_block', detail),
        timers: this.timers,
        defer: (run) => setImmediate(run),
        log: this.log,
        label: (link) => link.keyHex,
      },
      this.limits,
    );
    if (node) this.attach(node);
    this.links.refreshAdmitted();
  }

  /** Connect the node whose messages this network carries (before start()). */
  attach(node: P2pNode): void {
    this.node = node;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.config.followValidators && node.onBlock) {
      this.unsubscribe = node.onBlock(() => this.links.refreshAdmitted());
    }
    this.links.refreshAdmitted();
  }

  /** Replace the admitted keys (e.g. after a governance change); open links to other keys are closed. */
  setAdmitted(keys: Iterable<Uint8Array | string>): void {
    this.links.setAdmitted(keys);
  }

  /** Dial another peer (kept up with reconnects, like the configured ones). */
  addPeer(peer: PeerAddress): void {
    this.links.addPeer(peer);
  }

  async start(): Promise<{ port: number }> {
    if (this.started) throw new Error('a PeerNetwork starts once');
    this.started = true;
    this.links.refreshAdmitted();
    const listening = await this.links.start();
    this.statusTimer = this.timers.setInterval(() => this.tick(), this.limits.statusIntervalMs);
    return listening;
  }

  /** Close the server and every socket; resolves when nothing is left open. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.statusTimer) this.timers.clearInterval(this.statusTimer);
    this.blockSync.stop();
    for (const waiter of [...this.syncWaiters.values()]) waiter.resolve(null);
    await this.links.stop();
  }

  /** Authenticated peers. */
  peers(): PeerInfo[] {
    return this.links.peers();
  }

  private send(link: Link, frame: Uint8Array, priority: Priority) {
    this.links.send(link, frame, priority);
  }

  private count(link: Link, reason: CounterReason, detail: string) {
    this.links.count(link, reason, detail);
  }

  // ------------------------------------------------------------------------------ ConsensusNetwork

  broadcast(message: ConsensusMessage): void {
    this.gossipTime(() => {
      const bytes = encodeConsensusMessage(message);
      const id = toHex(this.config.suite.hash(bytes));
      this.seenConsensus.set(id, true);
      const frame = consensusFrame(message.type, bytes, this.key);
      this.remember(id, message, frame);
      for (const link of this.links.openLinks()) this.send(link, frame, 'high');
    });
  }

  /** Runs `fn` in the node's `gossip` stage (encoding and sending frames). */
  private gossipTime<T>(fn: () => T): T {
    const stages = this.node?.stages;
    return stages ? stages.time('gossip', fn) : fn();
  }

  gossipTx(bytes: Uint8Array, key: string = txKey(this.config.suite, bytes)): void {
    if (!this.seenTxs.add(key)) return;
    // One frame per peer for everything admitted in this turn (an API batch is hundreds of txs): one
    // socket write instead of one per tx, and one decode on the other side.
    this.pendingTxs.push(bytes);
    this.pendingTxBytes += bytes.length;
    if (this.pendingTxs.length >= MAX_TXS_PER_FRAME || this.pendingTxBytes >= TX_BATCH_BYTES) this.flushTxs();
    else if (!this.txFlushScheduled) {
      this.txFlushScheduled = true;
      setImmediate(this.flushTxs);
    }
  }

  private flushTxs = () => {
    this.txFlushScheduled = false;
    const txs = this.pendingTxs;
    if (txs.length === 0 || this.stopped) return;
    this.pendingTxs = [];
    this.pendingTxBytes = 0;
    this.gossipTime(() => {
      const frame = txs.length === 1 ? txFrame(txs[0]!, this.key) : txsFrame(txs, this.key);
      for (const link of this.links.openLinks()) this.send(link, frame, 'low');
    });
  };

  requestBlocks(height: number): void {
    this.blockSync.want(height);
  }

  private onFrame(link: Link, frame: Frame, bytes: Uint8Array) {
    switch (frame.type) {
      case 'status':
        link.height = frame.height;
        link.round = frame.round;
        link.links = new Set(frame.links.map((k) => toHex(k)));
        return this.blockSync.tick();
      case 'proposal':
      case 'vote':
        return this.onConsensus(link, frame, bytes);
      case 'tx':
        return this.onTx(link, frame.tx, frame.origin, bytes);
      case 'txs':
        return this.onTxs(link, frame.txs, frame.origin, bytes);
      case 'get_blocks':
        return void this.serveBlocks(link, frame.from, frame.limit);
      case 'blocks':
        return void this.blockSync.onBlocks(link, frame.from, frame.blocks);
      case 'get_snapshots':
      case 'get_headers':
      case 'get_chunk':
        return void this.serveSync(link, frame);
      case 'snapshots':
      case 'headers':
      case 'chunk':
        return this.onSyncAnswer(link, frame);
      case 'hello':
      case 'auth':
        return this.count(link, 'malformed', `${frame.type} on an open link`);
    }
  }

  private onConsensus(link: Link, frame: Extract<Frame, { type: 'proposal' | 'vote' }>, bytes: Uint8Array) {
    const node = this.node;
    const m = frame.message;
    const height = m.type === 'vote' ? m.vote.height : m.proposal.height;
    const head = node?.head?.height ?? 0;
    const current = height > head && height <= head + 2;
    const id = toHex(this.config.suite.hash(frame.bytes));
    const known = this.seenConsensus.get(id);
    if (known === false) return this.count(link, 'bad_signature', `${m.type} signature (again)`);
    if (known === true) {
      // Seen before: never relayed again, but passed to the node again while current, since a node that
      // was not yet in the height when it first came has dropped it (see regossip()).
      if (current) node?.receiveConsensus(m);
      return;
    }
    const { suite, chainId } = this.config;
    let ok: boolean;
    try {
      ok =
        m.type === 'vote' ? verifyVote(suite, chainId, m.vote) : verifyProposal(suite, chainId, m.proposal);
    } catch {
      ok = false;
    }
    this.seenConsensus.set(id, ok);
    if (!ok) return this.count(link, 'bad_signature', `${m.type} signature`);
    if (!node) return;
    node.receiveConsensus(m);
    // Relay once, and only while the message is current: the seen-set stops it coming round again.
    if (current) {
      this.remember(id, m, bytes);
      const signer = toHex(m.type === 'vote' ? m.vote.validator : m.proposal.proposer);
      this.relay(bytes, link, toHex(frame.origin), signer, 'high');
    }
  }

  /** Keep a current message for re-sending, within the count and byte bounds (oldest go first). */
  private remember(id: string, m: ConsensusMessage, frame: Uint8Array) {
    const height = m.type === 'vote' ? m.vote.height : m.proposal.height;
    const round = m.type === 'vote' ? m.vote.round : m.proposal.round;
    this.regossipBook.remember(id, { height, round, bytes: frame });
  }

  /** Re-send the messages of a stalled height (the policy: planRegossip in gossip.ts). */
  private regossip(head: number, now: number) {
    const plan = this.regossipBook.plan(
      head,
      this.node?.position,
      this.node?.stats.round,
      now,
      this.links.openLinks(),
    );
    for (const e of plan.messages) {
      for (const link of plan.peers) this.send(link, e.bytes, 'high');
      this.regossiped++;
    }
  }

  private onTx(link: Link, tx: Uint8Array, origin: Uint8Array, _bytes: Uint8Array) {
    this.onTxs(link, [tx], origin, _bytes);
  }

  /**
   * Txs from a peer: charged to its tx budget (over it, the frame is dropped and counted `tx_rate`),
   * deduplicated, then queued for admission. They are relayed only once admitted here, so a node never
   * passes on (and is never blamed for) what it would not take itself.
   */
  private onTxs(link: Link, txs: Uint8Array[], origin: Uint8Array, _bytes: Uint8Array) {
    if (!link.admitTxs(txs.length, this.timers.now())) {
      this.counters.tx_rate++;
      this.log.debug(
        { peer: link.keyHex, txs: txs.length },
        'peer relays txs faster than its budget: dropped',
      );
      return;
    }
    const fresh: Uint8Array[] = [];
    const keys: string[] = [];
    for (const tx of txs) {
      const key = txKey(this.config.suite, tx);
      if (!this.seenTxs.add(key)) continue;
      fresh.push(tx);
      keys.push(key);
    }
    if (fresh.length === 0) return;
    this.admitLater(fresh, keys, { link, origin });
  }

  private admitLater(txs: Uint8Array[], keys: string[], from: { link: Link; origin: Uint8Array }) {
    const waiting = this.inbound.length - this.inboundNext;
    const room = Math.max(0, this.limits.inboundTxs - waiting);
    for (let i = 0; i < txs.length && i < room; i++) {
      this.inbound.push(txs[i]!);
      this.inboundKeys.push(keys[i]!);
      this.inboundFrom.push(from);
    }
    if (txs.length > room) {
      this.counters.inbound_full += txs.length - room;
      // Not admitted, so not seen: the same tx may come again once there is room.
      for (let i = room; i < txs.length; i++) this.seenTxs.delete(keys[i]!);
    }
    if (!this.inboundScheduled && this.inbound.length > this.inboundNext) {
      this.inboundScheduled = true;
      setImmediate(() => this.drainInbound());
    }
  }

  /**
   * Batch admission of peers' txs: up to INBOUND_BATCH waiting txs at a time, one call per link they
   * came from, their signatures checked on the node's verifier threads while this thread goes on with
   * consensus; what comes back admitted is relayed as in the sliced path.
   */
  private async drainInboundBatches(receive: NonNullable<P2pNode['receiveTxs']>) {
    if (this.inboundBusy) return;
    this.inboundBusy = true;
    try {
      while (!this.stopped && this.inboundNext < this.inbound.length) {
        const start = this.inboundNext;
        const end = Math.min(this.inbound.length, start + INBOUND_BATCH);
        this.inboundNext = end;
        const groups = new Map<{ link: Link; origin: Uint8Array }, number[]>();
        for (let i = start; i < end; i++) {
          const from = this.inboundFrom[i]!;
          const list = groups.get(from);
          if (list) list.push(i);
          else groups.set(from, [i]);
        }
        for (const [from, indexes] of groups) {
          const txs = indexes.map((i) => this.inbound[i]!);
          const keys = indexes.map((i) => this.inboundKeys[i]!);
          const verdicts = await receive(txs, keys, from.link.keyHex);
          if (this.stopped) return;
          const admitted: Uint8Array[] = [];
          verdicts.forEach((v, j) => {
            if (v === 'admitted') admitted.push(txs[j]!);
            else if (v === 'junk') this.count(from.link, 'junk_tx', 'a tx no honest node would admit');
          });
          this.relayAdmitted(from, admitted);
        }
      }
      this.inbound.length = 0;
      this.inboundKeys.length = 0;
      this.inboundFrom.length = 0;
      this.inboundNext = 0;
    } finally {
      this.inboundBusy = false;
    }
  }

  /** Pass on peers' txs admitted here, in frames of at most MAX_TXS_PER_FRAME, keeping their origin. */
  private relayAdmitted(from: { link: Link; origin: Uint8Array }, txs: readonly Uint8Array[]) {
    const origin = toHex(from.origin);
    // In a full mesh no peer needs them: the frames are not even built.
    const targets = this.relayTargets(from.link, origin, null);
    if (targets.length === 0) return;
    for (let i = 0; i < txs.length; i += MAX_TXS_PER_FRAME) {
      const part = txs.slice(i, i + MAX_TXS_PER_FRAME);
      const frame = part.length === 1 ? txFrame(part[0]!, from.origin) : txsFrame(part, from.origin);
      this.sendTo(targets, frame, 'low');
    }
  }

  private drainInbound() {
    this.inboundScheduled = false;
    if (this.stopped) return;
    const receive = this.node?.receiveTxs?.bind(this.node);
    if (receive) {
      void this.drainInboundBatches(receive);
      return;
    }
    const until = performance.now() + ADMISSION_SLICE_MS;
    // What this slice admitted, grouped by the link it came from and its origin, relayed in one frame each.
    const relays = new Map<{ link: Link; origin: Uint8Array }, Uint8Array[]>();
    while (this.inboundNext < this.inbound.length) {
      const i = this.inboundNext++;
      const from = this.inboundFrom[i]!;
      const tx = this.inbound[i]!;
      const verdict = this.node?.receiveTx(tx, this.inboundKeys[i], from.link.keyHex);
      if (verdict === 'admitted') {
        const list = relays.get(from);
        if (list) list.push(tx);
        else relays.set(from, [tx]);
      } else if (verdict === 'junk') this.count(from.link, 'junk_tx', 'a tx no honest node would admit');
      if ((this.inboundNext & 15) === 0 && performance.now() >= until) break;
    }
    for (const [from, list] of relays) this.relayAdmitted(from, list);
    if (this.inboundNext < this.inbound.length) {
      this.inboundScheduled = true;
      setImmediate(() => this.drainInbound());
    } else {
      this.inbound.length = 0;
      this.inboundKeys.length = 0;
      this.inboundFrom.length = 0;
      this.inboundNext = 0;
    }
  }

  /**
   * Pass a frame on to peers that may lack it: not the peer it came from, not its origin or signer, and
   * not a peer whose last status says it has a link to the origin (the origin sent it to that peer).
   * In a full mesh nothing is relayed; a node reached only through us gets everything once.
   */
  private relay(frame: Uint8Array, from: Link, origin: string, signer: string | null, priority: Priority) {
    this.sendTo(this.relayTargets(from, origin, signer), frame, priority);
  }

  private sendTo(links: readonly Link[], frame: Uint8Array, priority: Priority) {
    this.gossipTime(() => {
      for (const link of links) this.send(link, frame, priority);
    });
  }

  /** The peers `relay` passes a frame on to. */
  private relayTargets(from: Link, origin: string, signer: string | null): Link[] {
    const targets: Link[] = [];
    for (const link of this.links.openLinks()) {
      if (link === from || link.keyHex === origin || link.keyHex === signer) continue;
      if (link.links?.has(origin)) continue;
      targets.push(link);
    }
    return targets;
  }

  // ------------------------------------------------------------------------------ status and sync

  private tick() {
    if (this.stopped) return;
    const now = this.timers.now();
    for (const link of this.links.sweep(now)) this.sendStatus(link);
    const head = this.node?.head?.height;
    if (head !== undefined) this.regossip(head, now);
    this.blockSync.tick();
  }

  private sendStatus(link: Link) {
    const height = this.node?.head?.height ?? 0;
    const round = this.node?.stats.round ?? 0;
    const keys = [...this.links.openLinks()].slice(0, MAX_STATUS_LINKS).map((l) => l.key!);
    this.send(link, statusFrame(height, round, keys), 'low');
  }

  private async serveBlocks(link: Link, from: number, limit: number) {
    const node = this.node;
    if (!node) return;
    if (link.serving) return this.count(link, 'flood', 'get_blocks while another is being answered');
    link.serving = true;
    try {
      const stored = await node.store.blocksFrom(from, Math.min(limit, this.limits.syncBatchBlocks));
      const out: SyncedBlockBytes[] = [];
      let size = 64;
      for (const s of stored) {
        const block = encodeBlock(s.block);
        const certificate = encodeCertificate(s.certificate);
        const n = block.length + certificate.length + 32;
        if (out.length > 0 && size + n > this.limits.syncBatchBytes) break;
        if (size + n > this.limits.maxPayload) break;
        out.push({ block, certificate });
        size += n;
      }
      if (link.state === 'open') this.send(link, blocksFrame(from, out), 'high');
    } catch (error) {
      this.log.warn(
        { peer: link.keyHex, from, err: (error as Error).message },
        'cannot answer a block request',
      );
    } finally {
      link.serving = false;
    }
  }

  // ------------------------------------------------------------------------------ state sync

  /** Keys (hex) of the peers linked now. */
  linkedPeers(): string[] {
    return this.links.keys();
  }

  /**
   * Ask a linked peer for state sync data (`frame`: get_snapshots, get_headers or get_chunk) and wait
   * for its answer; null when it does not answer within `timeoutMs` or the link is gone.
   */
  syncRequest(peer: string, frame: Uint8Array, timeoutMs = this.limits.syncTimeoutMs): Promise<Frame | null> {
    const link = this.links.get(peer);
    const request = decodeFrame(frame);
    const key = `${peer}|${syncAnswerKey(request)}`;
    if (!link || this.syncWaiters.has(key)) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.syncWaiters.delete(key);
        resolve(null);
      }, timeoutMs);
      this.syncWaiters.set(key, {
        timer,
        resolve: (answer) => {
          clearTimeout(timer);
          this.syncWaiters.delete(key);
          resolve(answer);
        },
      });
      this.send(link, frame, 'high');
    });
  }

  private onSyncAnswer(link: Link, frame: Extract<Frame, { type: 'snapshots' | 'headers' | 'chunk' }>) {
    const waiter = this.syncWaiters.get(`${link.keyHex}|${syncAnswerKey(frame)}`);
    // Only answers to our own requests count.
    if (!waiter) return this.count(link, 'malformed', `${frame.type} that was not asked for`);
    waiter.resolve(frame);
  }

  private async serveSync(
    link: Link,
    frame: Extract<Frame, { type: 'get_snapshots' | 'get_headers' | 'get_chunk' }>,
  ) {
    const server = this.config.sync;
    if (!server) return;
    const busy = this.syncServing.get(link) ?? 0;
    if (busy >= MAX_SYNC_SERVING)
      return this.count(link, 'flood', `${frame.type} beyond ${MAX_SYNC_SERVING} at once`);
    this.syncServing.set(link, busy + 1);
    try {
      let answer: Uint8Array | null = null;
      if (frame.type === 'get_snapshots')
        answer = snapshotsFrame(
          server.offers().map((o) => ({ manifest: encodeManifest(o.manifest), votes: o.votes })),
        );
      else if (frame.type === 'get_chunk') {
        const bytes = server.chunk(frame.height, frame.index);
        answer = chunkFrame(frame.height, frame.index, bytes ?? new Uint8Array(0));
      } else {
        const batch = await server.headers(frame.from, Math.min(frame.limit, MAX_SYNC_HEADERS));
        answer = headersFrame(
          frame.from,
          batch.headers.map((h) => ({
            block: encodeHeader(h.header),
            certificate: encodeCertificate(h.certificate),
          })),
          batch.sets.map((set) => validatorsToValue(set)),
        );
      }
      if (link.state === 'open') this.send(link, answer, 'high');
    } catch (error) {
      this.log.warn(
        { peer: link.keyHex, type: frame.type, err: (error as Error).message },
        'cannot answer a sync request',
      );
    } finally {
      const n = (this.syncServing.get(link) ?? 1) - 1;
      if (n > 0) this.syncServing.set(link, n);
      else this.syncServing.delete(link);
    }
  }
}

/** Most state sync requests of one peer answered at once. */
const MAX_SYNC_SERVING = 8;

/** What pairs a state sync answer with its request. */
function syncAnswerKey(frame: Frame): string {
  switch (frame.type) {
    case 'get_snapshots':
    case 'snapshots':
      return 'snapshots';
    case 'get_headers':
    case 'headers':
      return `headers:${frame.from}`;
    case 'get_chunk':
    case 'chunk':
      return `chunk:${frame.height}:${frame.index}`;
    default:
      throw new Error(`${frame.type} is not a state sync frame`);
  }
}
