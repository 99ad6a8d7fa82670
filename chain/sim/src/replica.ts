// An honest validator run by the production node: `ChainNode` itself (mempool, pipelined commit, WAL,
// recovery) on in-memory storage that loses unflushed writes when it crashes (storage.ts), timers on the
// simulated clock (timers.ts), and a network adapter that carries its messages through the simulated
// network with the production re-gossip policy (planRegossip) and block sync through
// `ChainNode.receiveCommitted`. Byzantine validators stay with the simulator's own driver (node.ts),
// which can equivocate; both speak the same messages.

import {
  type ConsensusMessage,
  decodeConsensusMessage,
  encodeConsensusMessage,
  verifyProposal,
  verifyVote,
} from '@gongxin/consensus';
import { encodeBlock, encodeCertificate, equalBytes, toHex } from '@gongxin/ledger';
import {
  BlockSync,
  blocksFrame,
  ChainNode,
  type ConsensusNetwork,
  decodeFrame,
  defaultPeerLimits,
  getBlocksFrame,
  type LoggerLike,
  RegossipBook,
  SeenMap,
} from '@gongxin/node';
import type { HeldChain } from './history';
import { count } from './network';
import type { SimPeer, SyncEntry } from './peer';
import type { Rng } from './prng';
import type { Simulation } from './simulation';
import { Disk, MemoryStorage } from './storage';
import { SimTimers } from './timers';

/** The production peer limits the adapter follows (status tick, re-gossip, sync). */
const LIMITS = defaultPeerLimits;
/** Chances for a write in flight at a crash (the rest are lost). */
const CRASH_WRITES = { torn: 0.25, landed: 0.25 };

interface Recent {
  height: number;
  round: number;
  bytes: Uint8Array;
  messageClass: string;
  summary: string | null;
  message: ConsensusMessage;
}

interface PeerView {
  index: number;
  height: number;
  links: ReadonlySet<string> | null;
  syncFailures: number;
}

const NO_LINKS: ReadonlySet<string> = new Set();

export class ReplicaNode implements SimPeer {
  readonly byzantine = false;
  readonly disk = new Disk();
  up = false;
  epoch = 0;
  private node: ChainNode<MemoryStorage> | null = null;
  private storage: MemoryStorage | null = null;
  private timers: SimTimers | null = null;
  private link: ReplicaLink | null = null;
  private crashArmed = false;
  private readonly rng: Rng;

  constructor(
    readonly sim: Simulation,
    readonly index: number,
  ) {
    this.rng = sim.rng.fork(`replica-${index}`);
  }

  get name(): string {
    return `n${this.index}`;
  }

  get height(): number {
    return this.node?.head?.height ?? this.disk.height;
  }

  get round(): number {
    return this.node?.position?.round ?? -1;
  }

  get durable(): { chain: readonly Disk['blocks'][number][] } {
    return { chain: this.disk.blocks };
  }

  get armed(): boolean {
    return this.crashArmed;
  }

  /** The running node (null while down). */
  get chainNode(): ChainNode<MemoryStorage> | null {
    return this.node;
  }

  describe(): string {
    const p = this.node?.position;
    if (!this.up || !p) return `${this.name}: down at ${this.height}`;
    return `${this.name}: head ${this.height} at ${p.height}/${p.round}/${p.step}`;
  }

  private get key(): Uint8Array {
    return this.sim.world.validators[this.index]!.account.publicKey;
  }

  adopt(chain: HeldChain): void {
    this.disk.adopt(chain);
  }

  start(): void {
    const { sim } = this;
    const { world, scenario } = sim;
    this.up = true;
    this.epoch++;
    const epoch = this.epoch;
    const timers = new SimTimers(
      sim.scheduler,
      sim.clockBase,
      scenario.skews[this.index]!,
      scenario.timerRates[this.index]!,
    );
    const storage = new MemoryStorage(this.disk, {
      after: (ms, run) => sim.scheduler.after(ms, run),
      writeLatency: () => 1 + this.rng.int(sim.writeLatencyMs),
      issued: () => {
        if (this.crashArmed && this.epoch === epoch) {
          this.sim.log(`${this.name} crashes with a write in flight`);
          this.crash('mid-write');
          this.sim.scheduleRestart(this);
        }
      },
    });
    const link = new ReplicaLink(this, epoch, timers);
    const account = world.validators[this.index]!.account;
    const node = new ChainNode<MemoryStorage>({
      storage,
      timers,
      genesis: world.genesis,
      suite: world.suite,
      contracts: world.env.contracts,
      signer: { key: account.publicKey, sign: (bytes) => world.suite.sign(bytes, account.privateKey) },
      network: link,
      logger: this.logger(epoch),
      timeouts: sim.timeouts,
      consensus: {
        maxClockDriftMs: scenario.maxClockDriftMs,
        ...(sim.options.ignoreLocks ? { faults: { ignoreLocks: true } } : {}),
      },
      blockLimits: { commitDelayMs: sim.commitDelayMs, emptyBlockIntervalMs: sim.emptyBlockMs },
    });
    node.onBlock((b) => {
      if (this.epoch !== epoch) return;
      const via = link.synced.delete(b.height) ? 'sync' : 'consensus';
      sim.log(
        `${this.name} COMMIT ${b.height} ${toHex(b.hash).slice(0, 12)} via ${via} r${b.certificate.round} txs=${b.block.txs.length}`,
      );
      sim.checker.onCommit(this, b.height, toHex(b.hash), via);
    });
    this.node = node;
    this.storage = storage;
    this.timers = timers;
    this.link = link;
    node.start().then(
      () => {
        if (this.epoch === epoch) link.startTicks(timers);
      },
      (error) => {
        if (this.epoch === epoch) sim.violation('exception', `${this.name} could not start: ${stack(error)}`);
      },
    );
  }

  private logger(epoch: number): LoggerLike {
    const live = () => this.epoch === epoch && this.up;
    return {
      debug() {},
      info: (_obj, msg) => {
        if (live() && msg === 'validator set changed') this.sim.log(`${this.name} ${msg}`);
      },
      warn: (obj, msg) => {
        if (!live()) return;
        const o = obj as Record<string, unknown>;
        if (msg === 'equivocation seen')
          this.sim.checker.onEvidence(
            this,
            String(o.validator),
            `equivocated at height ${Number(o.height)} (seen by ChainNode)`,
          );
        else if (msg === 'invalid block proposed') count(this.sim.faults, 'invalid-block');
        else if (msg === 'synced block refused') count(this.sim.faults, 'sync-rejected');
      },
      error: (obj, msg) => {
        if (!live()) return;
        const o = obj as Record<string, unknown>;
        const err = o.err instanceof Error ? stack(o.err) : String(o.err ?? '');
        this.sim.violation('exception', `${this.name}: ${msg}: ${err}`);
      },
    };
  }

  crash(reason: string): void {
    if (!this.up) return;
    this.up = false;
    this.epoch++;
    if (this.timers) this.timers.alive = false;
    const lostWrites = this.storage?.crash(this.rng, CRASH_WRITES);
    this.node = null;
    this.storage = null;
    this.timers = null;
    this.link = null;
    this.crashArmed = false;
    count(this.sim.faults, reason === 'mid-write' ? 'crash-mid-write' : 'crash');
    if (lostWrites) {
      count(this.sim.faults, 'write-lost', lostWrites.lost);
      count(this.sim.faults, 'write-torn', lostWrites.torn);
      count(this.sim.faults, 'write-landed', lostWrites.landed);
    }
    this.sim.log(
      `${this.name} CRASH (${reason}) at height ${this.disk.height}` +
        (lostWrites
          ? `, writes in flight: ${lostWrites.lost} lost, ${lostWrites.torn} torn, ${lostWrites.landed} landed`
          : ''),
    );
  }

  armCrash(): void {
    if (this.up) this.crashArmed = true;
  }

  disarm(): void {
    this.crashArmed = false;
  }

  restart(): void {
    if (this.up) return;
    if (this.sim.options.loseLastCommitOnRestart && this.disk.blocks.length > 0) this.disk.blocks.pop();
    this.sim.checker.onRestart(this);
    count(this.sim.faults, 'restart');
    this.sim.log(`${this.name} RESTART at height ${this.disk.height}, ${this.disk.wal.length} WAL records`);
    this.start();
  }

  // ------------------------------------------------------------------------------------ inputs

  receive(from: number, bytes: Uint8Array): void {
    if (!this.up || !this.link) {
      count(this.sim.faults, 'to-down-node');
      return;
    }
    this.link.onConsensus(from, bytes);
  }

  receiveStatus(from: number, height: number): void {
    this.link?.onStatus(from, height);
  }

  receiveTx(from: number, bytes: Uint8Array): void {
    if (!this.up || !this.node) return;
    this.node.receiveTx(bytes, undefined, `n${from}`);
  }

  /** A client's tx (the simulation's load): admitted here and gossiped by the node. */
  submit(bytes: Uint8Array): boolean {
    if (!this.up || !this.node?.head) return false;
    try {
      this.node.submit(bytes);
      return true;
    } catch {
      return false;
    }
  }

  answerSync(to: SimPeer, from: number, requesterEpoch: number, limit = this.sim.syncBatch): void {
    if (!this.up) return;
    const entries: SyncEntry[] = this.disk.blocks
      .slice(from - 1, from - 1 + Math.min(limit, this.sim.syncBatch))
      .map((b) => ({
        block: encodeBlock(b.block),
        certificate: encodeCertificate(b.certificate),
      }));
    this.sim.network.send(this.index, to.index, 'sync', () =>
      to.receiveSync(this, from, entries, requesterEpoch),
    );
  }

  receiveSync(peer: SimPeer, from: number, entries: SyncEntry[], epoch: number): void {
    if (!this.up || epoch !== this.epoch || !this.link) return;
    void this.link.onBlocks(peer, from, entries);
  }

  get signerKey(): Uint8Array {
    return this.key;
  }
}

/**
 * The node's network: what PeerNetwork does for it in production, on the simulated network. Consensus
 * messages are checked, deduplicated by hash and passed to the node (again while current, as
 * PeerNetwork does); current ones are kept for re-gossip, which follows the production policy
 * (planRegossip) on the status tick; status goes to every peer each tick; block sync is production's own
 * (BlockSync: source choice, pipelined requests with back-pressure, checks, failure counts, timeouts on
 * the node's simulated timers), its requests and answers carried by the simulated network as wire frames.
 */
class ReplicaLink implements ConsensusNetwork {
  /** Heights being applied from a sync answer (their commits are reported as synced). */
  readonly synced = new Set<number>();
  private readonly seen = new SeenMap<boolean>(LIMITS.seenConsensus);
  private readonly regossipBook = new RegossipBook<Recent>(LIMITS);
  private readonly peers = new Map<number, PeerView>();
  private readonly blockSync: BlockSync<PeerView>;

  constructor(
    private readonly replica: ReplicaNode,
    private readonly epoch: number,
    timers: SimTimers,
  ) {
    this.blockSync = new BlockSync<PeerView>(
      {
        node: () => this.node,
        peers: () => this.peers.values(),
        request: (view, from, limit) => this.requestBlocksFrom(view, from, limit),
        fault: (view, reason, detail) => {
          if (!this.live) return;
          if (reason === 'error')
            this.sim.violation('exception', `${this.replica.name}: sync from n${view.index}: ${detail}`);
          else count(this.sim.faults, reason === 'malformed' ? 'sync-malformed' : 'sync-refused');
        },
        timers,
        defer: (run) => timers.setTimeout(run, 0),
        log: { debug() {}, info() {}, warn() {}, error() {} },
        label: (view) => `n${view.index}`,
        applying: (blocks) => {
          for (const b of blocks) this.synced.add(b.block.header.height);
        },
        applied: (blocks, applied) => {
          const head = this.node?.head?.height ?? 0;
          for (const b of blocks) if (b.block.header.height > head) this.synced.delete(b.block.header.height);
          if (applied > 0) count(this.sim.faults, 'sync-applied', applied);
        },
      },
      { ...LIMITS, syncBatchBlocks: this.sim.syncBatch },
    );
  }

  private get sim(): Simulation {
    return this.replica.sim;
  }

  private get live(): boolean {
    return this.replica.up && this.replica.epoch === this.epoch;
  }

  private get node(): ChainNode<MemoryStorage> | null {
    return this.live ? this.replica.chainNode : null;
  }

  private others(): SimPeer[] {
    return this.sim.nodes.filter((n) => n !== this.replica);
  }

  startTicks(timers: SimTimers): void {
    // Each node's tick has its own phase, as real nodes' do.
    timers.setTimeout(
      () => {
        this.tick();
        timers.setInterval(() => this.tick(), LIMITS.statusIntervalMs);
      },
      this.sim.rng.fork(`tick-${this.replica.index}-${this.epoch}`).int(LIMITS.statusIntervalMs),
    );
  }

  // ---------------------------------------------------------------------------- ConsensusNetwork

  broadcast(message: ConsensusMessage): void {
    if (!this.live) return;
    const bytes = encodeConsensusMessage(message);
    const id = toHex(this.sim.world.suite.hash(bytes));
    this.seen.set(id, true);
    const signer = message.type === 'proposal' ? message.proposal.proposer : message.vote.validator;
    if (equalBytes(signer, this.replica.signerKey)) this.sim.checker.onSigned(this.replica, message);
    const entry = this.remember(id, message, bytes);
    for (const peer of this.others()) this.transmit(peer.index, entry);
  }

  gossipTx(bytes: Uint8Array): void {
    if (!this.live) return;
    const from = this.replica.index;
    for (const peer of this.others())
      this.sim.network.send(from, peer.index, 'tx', () => peer.receiveTx(from, bytes));
  }

  requestBlocks(height: number): void {
    if (this.live) this.blockSync.want(height);
  }

  // ---------------------------------------------------------------------------- consensus

  onConsensus(from: number, bytes: Uint8Array): void {
    const node = this.node;
    if (!node?.head) return;
    let message: ConsensusMessage;
    try {
      message = decodeConsensusMessage(bytes);
    } catch (error) {
      this.sim.violation(
        'exception',
        `${this.replica.name} could not decode a message from n${from}: ${error}`,
      );
      return;
    }
    const height = message.type === 'proposal' ? message.proposal.height : message.vote.height;
    const head = node.head.height;
    const current = height > head && height <= head + 2;
    const id = toHex(this.sim.world.suite.hash(bytes));
    const known = this.seen.get(id);
    if (known === false) {
      count(this.sim.faults, 'bad-signature');
      return;
    }
    if (known === true) {
      if (current) node.receiveConsensus(message);
      return;
    }
    const { suite } = this.sim.world;
    const chainId = this.sim.world.genesis.chainId;
    const ok =
      message.type === 'vote'
        ? verifyVote(suite, chainId, message.vote)
        : verifyProposal(suite, chainId, message.proposal);
    this.seen.set(id, ok);
    if (!ok) {
      count(this.sim.faults, 'bad-signature');
      return;
    }
    node.receiveConsensus(message);
    if (current) this.remember(id, message, bytes);
  }

  private remember(id: string, message: ConsensusMessage, bytes: Uint8Array): Recent {
    const isProposal = message.type === 'proposal';
    return this.regossipBook.remember(id, {
      height: isProposal ? message.proposal.height : message.vote.height,
      round: isProposal ? message.proposal.round : message.vote.round,
      bytes,
      messageClass: isProposal ? 'proposal' : message.vote.kind,
      summary: null,
      message,
    });
  }

  private transmit(to: number, entry: Recent): void {
    const from = this.replica.index;
    const target = this.sim.nodes[to]!;
    this.sim.network.send(
      from,
      to,
      entry.messageClass,
      () => {
        entry.summary ??= this.sim.summarize(entry.message);
        this.sim.trace.add(this.sim.scheduler.now, `${from}>${to} ${entry.summary}`);
        target.receive(from, entry.bytes);
      },
      entry.height,
    );
  }

  // ---------------------------------------------------------------------------- status tick

  private tick(): void {
    const node = this.node;
    if (!node?.head) return;
    const head = node.head.height;
    const from = this.replica.index;
    for (const peer of this.others())
      this.sim.network.send(from, peer.index, 'status', () => peer.receiveStatus(from, head));
    this.regossip(node, head);
    this.blockSync.tick();
  }

  /** The production policy decides; the re-sent messages go through the simulated network. */
  private regossip(node: ChainNode<MemoryStorage>, head: number): void {
    const plan = this.regossipBook.plan(
      head,
      node.position,
      node.stats.round,
      this.sim.scheduler.now,
      this.peers.values(),
    );
    if (plan.messages.length === 0) return;
    if (this.sim.options.noRegossip) {
      count(this.sim.faults, 'regossip-suppressed');
      return;
    }
    for (const entry of plan.messages) for (const peer of plan.peers) this.transmit(peer.index, entry);
    count(this.sim.faults, 'regossip');
  }

  onStatus(from: number, height: number): void {
    if (!this.live) return;
    const view = this.peers.get(from);
    if (view) {
      view.height = height;
      view.links = NO_LINKS;
    } else this.peers.set(from, { index: from, height, links: NO_LINKS, syncFailures: 0 });
    this.blockSync.tick();
  }

  // ---------------------------------------------------------------------------- block sync

  /** A `get_blocks` through the simulated network, encoded and decoded as on the wire. */
  private requestBlocksFrom(view: PeerView, from: number, limit: number): void {
    const peer = this.sim.nodes[view.index]!;
    const me = this.replica;
    const epoch = this.epoch;
    const request = decodeFrame(getBlocksFrame(from, limit));
    if (request.type !== 'get_blocks') throw new Error('get_blocks frame did not round-trip');
    if (this.sim.options.noSync) {
      // Test-only defect: the request never leaves (BlockSync times it out and asks again, in vain).
      count(this.sim.faults, 'sync-suppressed');
      return;
    }
    count(this.sim.faults, 'sync-request');
    this.sim.log(`${me.name} SYNC-REQ from ${from} to ${peer.name}`);
    this.sim.network.send(me.index, peer.index, 'sync', () =>
      peer.answerSync(me, request.from, epoch, request.limit),
    );
  }

  /** A peer's answer, as the `blocks` frame it would be on the wire, to production block sync. */
  async onBlocks(peer: SimPeer, from: number, entries: SyncEntry[]): Promise<void> {
    if (!this.live) return;
    const view = this.peers.get(peer.index);
    if (!view) return;
    const frame = decodeFrame(blocksFrame(from, entries));
    if (frame.type !== 'blocks') throw new Error('blocks frame did not round-trip');
    await this.blockSync.onBlocks(view, frame.from, frame.blocks);
  }
}

function stack(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
