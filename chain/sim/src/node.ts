// One simulated validator: a real ConsensusMachine with a ConsensusApp backed by the real ledger runtime,
// and a driver that executes the machine's outputs in order, like the production node does:
//
//   persist   → appended to the node's durable WAL at once (durable before the next output runs)
//   broadcast → sent through the simulated network to every other node (encoded with the wire codec)
//   schedule  → a simulated timer (running at the node's own clock rate)
//   decide    → certificate checked, block applied and committed to the durable chain; the next height
//               starts after the commit delay
//   behind / missing → block sync from a random peer
//
// A crash throws away everything but the durable store (committed chain + state + WAL): the machine,
// timers, caches, and any outputs of the batch not yet executed. A restart rebuilds from the store.
// Byzantine nodes run the same machine but the driver equivocates on their behalf.

import {
  type ConsensusApp,
  type ConsensusInput,
  ConsensusMachine,
  type ConsensusMessage,
  type ConsensusOutput,
  decodeConsensusMessage,
  encodeConsensusMessage,
  hashKey,
  type Proposal,
  proposalSignBytes,
  signVote,
  type Vote,
  type WalRecord,
} from '@gongxin/consensus';
import {
  applyBlock,
  type Block,
  type BlockResult,
  blockHash,
  type CommitCertificate,
  createGenesisState,
  decodeBlock,
  decodeCertificate,
  encodeBlock,
  encodeCertificate,
  equalBytes,
  executeBlock,
  type LedgerState,
  MemoryState,
  toHex,
  type Validator,
  validatorsOf,
  verifyCertificate,
} from '@gongxin/ledger';
import type { HeldChain } from './history';
import { count } from './network';
import type { SimPeer, SyncEntry } from './peer';
import type { Rng } from './prng';
import type { Simulation } from './simulation';
import { CHAIN_ID } from './world';

export interface Committed {
  height: number;
  hashHex: string;
  block: Block;
  certificate: CommitCertificate;
}

/** What survives a crash. Commits are atomic: chain, state and head change together. */
export interface DurableStore {
  chain: Committed[];
  state: MemoryState;
  head: LedgerState['head'];
  wal: WalRecord[];
}

/** A consensus message this node sent or received at its current height, kept for gossip. */
interface Gossip {
  height: number;
  round: number;
  messageClass: 'proposal' | 'prevote' | 'precommit';
  /** For proposals: the round of the polka it claims (-1 for a fresh block). */
  validRound: number;
  bytes: Uint8Array;
  /** For the trace; computed when first needed. */
  summary: string | null;
  message: ConsensusMessage;
  /** Who gets it: the recipients this node chose (its own messages), or every peer (relays). */
  to: number[] | null;
}

const SYNC_RETRY_MS = 1000;

export class SimNode implements SimPeer {
  readonly durable: DurableStore;
  up = false;
  /** Bumped on every crash and restart: timers and deliveries of an older life are void. */
  epoch = 0;
  private machine: ConsensusMachine | null = null;
  private results = new Map<string, BlockResult>();
  private invalid = new Set<string>();
  private validatorCache: { height: number; validators: Validator[] } | null = null;
  /** Messages of the current height, by signature: this node's own and those it received. */
  private gossip = new Map<string, Gossip>();
  private gossipHeight = 0;
  private syncUntil = -1;
  private lastProgress = '';
  private stalledTicks = 0;
  private crashArmed = false;
  /** Block hashes a byzantine node has seen per height (to equivocate with). */
  private readonly seenBlocks = new Map<number, Set<string>>();
  /** A byzantine node's split of its peers per `${height}/${round}`, and the alternative block it sent. */
  private readonly splits = new Map<string, { first: number[]; second: number[]; alt: string | null }>();
  private readonly rng: Rng;

  constructor(
    readonly sim: Simulation,
    readonly index: number,
    readonly byzantine: boolean,
  ) {
    this.rng = sim.rng.fork(`node-${index}`);
    const genesis = createGenesisState(sim.world.env, sim.world.genesis);
    const entries: [string, NonNullable<ReturnType<typeof genesis.writes.get>>][] = [];
    for (const [key, value] of genesis.writes) if (value !== null) entries.push([key, value]);
    this.durable = { chain: [], state: new MemoryState(entries), head: genesis.state.head, wal: [] };
  }

  get name(): string {
    return `n${this.index}${this.byzantine ? '*' : ''}`;
  }

  adopt(chain: HeldChain): void {
    if (this.up || this.durable.chain.length > 0) throw new Error(`${this.name} already holds a chain`);
    this.durable.chain = chain.blocks.slice();
    this.durable.state = new MemoryState(chain.state.entries);
    this.durable.head = chain.state.head;
  }

  get height(): number {
    return this.durable.head.height;
  }

  get round(): number {
    return this.machine?.round ?? -1;
  }

  /** One line of state for reports: height, round, step, lock. */
  describe(): string {
    const m = this.machine;
    if (!this.up || !m) return `${this.name}: down at ${this.height}`;
    const l = m.lockState;
    const short = (b: Block | null) =>
      b ? toHex(blockHash(this.sim.world.suite, b.header)).slice(0, 8) : '-';
    return (
      `${this.name}: head ${this.height} at ${m.height}/${m.round}/${m.step} locked r${l.lockedRound} ${short(l.lockedBlock)} ` +
      `valid r${l.validRound} ${short(l.validBlock)}`
    );
  }

  private get key(): Uint8Array {
    return this.sim.world.validators[this.index]!.account.publicKey;
  }

  private sign(bytes: Uint8Array): Uint8Array {
    return this.sim.world.suite.sign(bytes, this.sim.world.validators[this.index]!.account.privateKey);
  }

  /** The node's clock: simulated time plus its skew, in ms since the epoch. */
  private clock(): number {
    return this.sim.clockBase + this.sim.scheduler.now + this.sim.scenario.skews[this.index]!;
  }

  private validators(): Validator[] {
    const height = this.durable.head.height;
    if (this.validatorCache?.height !== height)
      this.validatorCache = { height, validators: validatorsOf(this.durable.state) };
    return this.validatorCache.validators;
  }

  private ledgerState(): LedgerState {
    return { head: this.durable.head, store: this.durable.state };
  }

  private app(): ConsensusApp {
    const { env } = this.sim.world;
    return {
      head: () => this.durable.head,
      validators: () => this.validators(),
      propose: (_height, time) => this.buildBlock(time),
      validate: (block, hash) => {
        const id = toHex(hash);
        if (this.results.has(id)) return true;
        if (this.invalid.has(id)) return false;
        try {
          this.results.set(id, applyBlock(env, this.ledgerState(), block));
          return true;
        } catch {
          this.invalid.add(id);
          count(this.sim.faults, 'invalid-block');
          return false;
        }
      },
    };
  }

  private buildBlock(time: number): Block {
    const txs = this.sim.txs.txsFor(this.durable.state);
    const result = executeBlock(this.sim.world.env, this.ledgerState(), { time, proposer: this.key, txs });
    this.results.set(toHex(result.hash), result);
    return { header: result.header, txs };
  }

  // ------------------------------------------------------------------------------------ life cycle

  start(): void {
    this.up = true;
    this.epoch++;
    this.newMachine();
    this.enterNextHeight();
    this.scheduleTick();
  }

  crash(reason: string): void {
    if (!this.up) return;
    this.up = false;
    this.epoch++;
    this.machine = null;
    this.results.clear();
    this.invalid.clear();
    this.validatorCache = null;
    this.gossip.clear();
    this.syncUntil = -1;
    this.crashArmed = false;
    this.seenBlocks.clear();
    this.splits.clear();
    count(this.sim.faults, reason === 'mid-batch' ? 'crash-mid-batch' : 'crash');
    this.sim.log(`${this.name} CRASH (${reason}) at height ${this.height}`);
  }

  /** Crash between two outputs of the next batch of two or more outputs. */
  armCrash(): void {
    if (this.up) this.crashArmed = true;
  }

  disarm(): void {
    this.crashArmed = false;
  }

  get armed(): boolean {
    return this.crashArmed;
  }

  restart(): void {
    if (this.up) return;
    if (this.sim.options.loseLastCommitOnRestart && this.durable.chain.length > 0) {
      // Test-only defect: a disk that forgets the last commit (the durability checker must notice).
      this.durable.chain.pop();
    }
    this.sim.checker.onRestart(this);
    if (this.byzantine && this.rng.chance(this.sim.scenario.behaviour.forgetWal)) {
      this.durable.wal = [];
      count(this.sim.faults, 'byzantine-amnesia');
    }
    count(this.sim.faults, 'restart');
    this.sim.log(`${this.name} RESTART at height ${this.height}, ${this.durable.wal.length} WAL records`);
    this.start();
    this.requestSync('restart');
  }

  private newMachine(): void {
    const { world, scenario } = this.sim;
    const ignoreLocks = this.byzantine ? scenario.behaviour.amnesia : this.sim.options.ignoreLocks === true;
    this.machine = new ConsensusMachine({
      chainId: CHAIN_ID,
      suite: world.suite,
      app: this.app(),
      signer: { key: this.key, sign: (bytes) => this.sign(bytes) },
      timeouts: this.sim.timeouts,
      maxClockDriftMs: scenario.maxClockDriftMs,
      faults: ignoreLocks ? { ignoreLocks: true } : undefined,
    });
  }

  private enterNextHeight(): void {
    const next = this.durable.head.height + 1;
    const wal = this.durable.wal.filter((r) => r.height === next);
    this.gossip.clear();
    this.gossipHeight = next;
    this.run(() => this.machine!.enterHeight(this.clock(), wal));
  }

  private scheduleTick(): void {
    const epoch = this.epoch;
    this.sim.scheduler.after(this.sim.gossipMs + this.rng.int(200), () => {
      if (this.epoch !== epoch || !this.up) return;
      this.tick();
      this.scheduleTick();
    });
  }

  /**
   * Periodic gossip, as real nodes have. Tendermint's liveness assumes that messages are eventually
   * delivered and that a node can learn the votes others hold (in particular the prevotes of a
   * re-proposal's POL round, without which a locked validator's re-proposal cannot be accepted). When
   * the node made no progress since its last tick, it sends again the messages it holds for the rounds
   * that matter: the current and previous round, its lock's and valid block's rounds, and the POL round
   * of the current round's proposal. Its own messages go to the peers it first sent them to; messages it
   * received are relayed to every peer. When it stays stuck, it also asks a peer for blocks.
   */
  private tick(): void {
    const m = this.machine!;
    const progress = `${this.durable.head.height}/${m.height}/${m.round}/${m.step}`;
    if (progress !== this.lastProgress) {
      this.lastProgress = progress;
      this.stalledTicks = 0;
      return;
    }
    this.stalledTicks++;
    if (this.gossipHeight === m.height && this.sim.options.noRegossip !== true) {
      const { lockedRound, validRound } = m.lockState;
      const rounds = new Set([m.round, m.round - 1, lockedRound, validRound]);
      for (const g of this.gossip.values())
        if (g.messageClass === 'proposal' && g.round === m.round && g.validRound >= 0)
          rounds.add(g.validRound);
      const peers = this.sim.nodes.filter((n) => n !== this).map((n) => n.index);
      let resent = 0;
      for (const g of this.gossip.values()) {
        if (!rounds.has(g.round)) continue;
        for (const to of g.to ?? peers) this.transmit(to, g);
        resent++;
      }
      if (resent > 0) count(this.sim.faults, 'regossip');
    }
    if (this.stalledTicks >= 3) this.requestSync('stalled');
  }

  // ------------------------------------------------------------------------------------ inputs

  receive(from: number, bytes: Uint8Array): void {
    if (!this.up) {
      count(this.sim.faults, 'to-down-node');
      return;
    }
    let message: ConsensusMessage;
    try {
      message = decodeConsensusMessage(bytes);
    } catch (error) {
      this.sim.violation('exception', `${this.name} could not decode a message from n${from}: ${error}`);
      return;
    }
    if (this.lingering && message.type === 'vote' && message.vote.kind === 'precommit') return;
    const height = message.type === 'proposal' ? message.proposal.height : message.vote.height;
    if (height > this.durable.head.height + 1) this.requestSync('ahead');
    if (height === this.gossipHeight) this.remember(message, bytes, null);
    if (this.byzantine && message.type === 'proposal') this.noteBlock(message.proposal);
    this.run(() => this.machine!.handle({ type: 'message', message }, this.clock()));
  }

  private timer(input: Extract<ConsensusInput, { type: 'timeout' }>): void {
    this.run(() => this.machine!.handle(input, this.clock()));
  }

  /** Run one machine step and execute its outputs, in order. */
  private run(step: () => ConsensusOutput[]): void {
    if (!this.up || !this.machine) return;
    let outputs: ConsensusOutput[];
    try {
      outputs = step();
    } catch (error) {
      this.sim.violation('exception', `${this.name}: the consensus machine threw: ${stack(error)}`);
      return;
    }
    let crashBefore = -1;
    if (this.crashArmed && outputs.length >= 2) crashBefore = 1 + this.rng.int(outputs.length - 1);
    for (let i = 0; i < outputs.length; i++) {
      if (i === crashBefore) {
        this.sim.log(
          `${this.name} crashes after ${i} of ${outputs.length} outputs (${outputs.map((o) => o.type).join(',')})`,
        );
        this.crash('mid-batch');
        this.sim.scheduleRestart(this);
        return;
      }
      if (!this.up) return;
      this.execute(outputs[i]!);
      if (this.sim.stopped) return;
    }
  }

  private execute(output: ConsensusOutput): void {
    switch (output.type) {
      case 'persist':
        this.durable.wal.push(output.record);
        return;
      case 'broadcast':
        this.broadcast(output.message);
        return;
      case 'schedule': {
        const epoch = this.epoch;
        const { height, round, step } = output;
        const after = Math.round(output.afterMs * this.sim.scenario.timerRates[this.index]!);
        this.sim.scheduler.after(after, () => {
          if (this.epoch === epoch) this.timer({ type: 'timeout', height, round, step });
        });
        return;
      }
      case 'decide': {
        if (!this.commit(output.block, output.hash, output.certificate, 'consensus')) return;
        const epoch = this.epoch;
        this.sim.scheduler.after(this.sim.commitDelayMs, () => {
          // Sync may already have moved the machine on.
          if (this.epoch === epoch && this.machine && this.machine.height <= this.durable.head.height)
            this.enterNextHeight();
        });
        return;
      }
      case 'evidence': {
        const { first, second } = output.equivocation;
        this.sim.checker.onEvidence(
          this,
          first.validator,
          `voted ${hashKey(first.blockHash).slice(0, 16)} and ${hashKey(second.blockHash).slice(0, 16)} as ` +
            `${first.kind} at ${first.height}/${first.round}`,
        );
        return;
      }
      case 'behind':
      case 'missing':
        this.requestSync(output.type);
        return;
    }
  }

  // ------------------------------------------------------------------------------------ committing

  /** Commit a decided or synced block; false (and nothing changes) when it is refused. */
  private commit(
    block: Block,
    hash: Uint8Array,
    certificate: CommitCertificate,
    via: 'consensus' | 'sync',
  ): boolean {
    const { suite, env } = this.sim.world;
    const height = block.header.height;
    const hashHex = toHex(hash);
    const check = verifyCertificate(suite, CHAIN_ID, certificate, this.validators(), {
      height,
      blockHash: hash,
    });
    if (!check.ok) {
      if (via === 'consensus')
        this.sim.violation(
          'bad-certificate',
          `${this.name} decided ${height} with a bad certificate: ${check.reason}`,
        );
      else count(this.sim.faults, 'sync-rejected');
      return false;
    }
    let result = this.results.get(hashHex);
    if (!result) {
      try {
        result = applyBlock(env, this.ledgerState(), block);
      } catch (error) {
        if (via === 'consensus')
          this.sim.violation('invalid-decision', `${this.name} decided an invalid block ${height}: ${error}`);
        else count(this.sim.faults, 'sync-rejected');
        return false;
      }
    }
    const d = this.durable;
    d.chain.push({ height, hashHex, block, certificate });
    d.state.apply(result.writes);
    d.head = result.state.head;
    d.wal = d.wal.filter((r) => r.height > height);
    this.results.clear();
    this.invalid.clear();
    this.seenBlocks.delete(height);
    this.splits.clear();
    this.sim.log(
      `${this.name} COMMIT ${height} ${hashHex.slice(0, 12)} via ${via} r${certificate.round} txs=${block.txs.length}`,
    );
    this.sim.checker.onCommit(this, height, hashHex, via);
    return true;
  }

  // ------------------------------------------------------------------------------------ sync

  /**
   * A fork-seeking byzantine node during the fault phase: it never decides by consensus (it ignores
   * precommits) and never answers sync requests, so it stays to help decide a second block at a height
   * that someone decided, and never helps others learn of that decision. It catches up by sync only
   * when the honest nodes have moved on.
   */
  private get lingering(): boolean {
    return this.byzantine && this.sim.scenario.behaviour.lingers && this.sim.phase === 'faults';
  }

  requestSync(reason: string): void {
    const now = this.sim.scheduler.now;
    if (!this.up || now < this.syncUntil) return;
    this.syncUntil = now + SYNC_RETRY_MS;
    const peers = this.sim.nodes.filter((n) => n !== this);
    if (peers.length === 0) return;
    if (this.sim.options.noSync) {
      // Test-only defect: the request never leaves.
      count(this.sim.faults, 'sync-suppressed');
      return;
    }
    const peer = this.rng.pick(peers);
    const from = this.durable.head.height + 1;
    count(this.sim.faults, 'sync-request');
    this.sim.log(`${this.name} SYNC-REQ (${reason}) from ${from} to ${peer.name}`);
    const epoch = this.epoch;
    this.sim.network.send(this.index, peer.index, 'sync', () => peer.answerSync(this, from, epoch));
  }

  receiveStatus(): void {}

  receiveTx(): void {}

  answerSync(to: SimPeer, from: number, requesterEpoch: number, limit = this.sim.syncBatch): void {
    if (!this.up) return;
    if (this.lingering) {
      count(this.sim.faults, 'sync-withheld');
      return;
    }
    const entries: SyncEntry[] = this.durable.chain
      .slice(from - 1, from - 1 + Math.min(limit, this.sim.syncBatch))
      .map((c) => ({
        block: encodeBlock(c.block),
        certificate: encodeCertificate(c.certificate),
      }));
    if (this.byzantine && entries.length > 0 && this.rng.chance(this.sim.scenario.behaviour.tamperSync)) {
      this.tamper(entries);
      count(this.sim.faults, 'sync-tampered');
    }
    this.sim.network.send(this.index, to.index, 'sync', () =>
      to.receiveSync(this, from, entries, requesterEpoch),
    );
  }

  /** A byzantine peer's lie: drop a signature from a certificate, or swap in a block it was not for. */
  private tamper(entries: { block: Uint8Array; certificate: Uint8Array }[]): void {
    const i = this.rng.int(entries.length);
    const entry = entries[i]!;
    const certificate = decodeCertificate(entry.certificate);
    if (this.rng.chance(0.5) && certificate.signatures.length > 0) {
      certificate.signatures = certificate.signatures.slice(1);
      entry.certificate = encodeCertificate(certificate);
    } else {
      const block = decodeBlock(entry.block);
      const forged: Block = {
        header: { ...block.header, time: block.header.time + 1 },
        txs: block.txs,
      };
      entry.block = encodeBlock(forged);
    }
  }

  receiveSync(peer: SimPeer, _from: number, entries: SyncEntry[], epoch: number): void {
    if (!this.up || epoch !== this.epoch) return;
    this.syncUntil = -1;
    let applied = 0;
    for (const entry of entries) {
      const block = decodeBlock(entry.block);
      const certificate = decodeCertificate(entry.certificate);
      if (block.header.height <= this.durable.head.height) continue;
      if (block.header.height !== this.durable.head.height + 1) break;
      const hash = blockHash(this.sim.world.suite, block.header);
      if (!this.commit(block, hash, certificate, 'sync')) {
        this.sim.log(`${this.name} refused synced block ${block.header.height} from ${peer.name}`);
        break;
      }
      applied++;
      if (this.sim.stopped) return;
    }
    if (applied === 0) return;
    count(this.sim.faults, 'sync-applied', applied);
    this.enterNextHeight();
    if (entries.length === this.sim.syncBatch) this.requestSync('more');
  }

  // ------------------------------------------------------------------------------------ sending

  private broadcast(message: ConsensusMessage): void {
    const others = this.sim.nodes.filter((n) => n !== this).map((n) => n.index);
    // The machine also re-sends others' votes (a re-proposal's POL): only its own can be equivocated on.
    const signer = message.type === 'proposal' ? message.proposal.proposer : message.vote.validator;
    if (equalBytes(signer, this.key)) {
      if (this.byzantine && this.equivocate(message, others)) return;
      if (!this.byzantine) this.sim.checker.onSigned(this, message);
    }
    this.sendTo(message, others);
  }

  /** Keep a message of the current height for gossip (own messages are also returned for sending). */
  private remember(message: ConsensusMessage, bytes: Uint8Array, to: number[] | null): Gossip {
    const isProposal = message.type === 'proposal';
    const signature = isProposal ? message.proposal.signature : message.vote.signature;
    const id = toHex(signature.subarray(0, 16));
    const known = this.gossip.get(id);
    if (known) return known;
    const height = isProposal ? message.proposal.height : message.vote.height;
    const g: Gossip = {
      height,
      round: isProposal ? message.proposal.round : message.vote.round,
      messageClass: isProposal ? 'proposal' : message.vote.kind,
      validRound: isProposal ? message.proposal.validRound : -1,
      bytes,
      summary: null,
      message,
      to,
    };
    if (height === this.gossipHeight) this.gossip.set(id, g);
    return g;
  }

  private sendTo(message: ConsensusMessage, to: number[]): void {
    const g = this.remember(message, encodeConsensusMessage(message), to);
    for (const peer of to) this.transmit(peer, g);
  }

  private transmit(to: number, g: Gossip): void {
    const target = this.sim.nodes[to]!;
    const from = this.index;
    this.sim.network.send(
      from,
      to,
      g.messageClass,
      () => {
        g.summary ??= this.sim.summarize(g.message);
        this.sim.trace.add(this.sim.scheduler.now, `${from}>${to} ${g.summary}`);
        target.receive(from, g.bytes);
      },
      g.height,
    );
  }

  private noteBlock(p: Proposal): void {
    let seen = this.seenBlocks.get(p.height);
    if (!seen) {
      seen = new Set();
      this.seenBlocks.set(p.height, seen);
    }
    seen.add(toHex(blockHash(this.sim.world.suite, p.block.header)));
  }

  /**
   * Byzantine: maybe send two different signed messages to two halves of the peers. The split is fixed per
   * (height, round), and the half that got the alternative proposal also gets the votes for it, so the
   * equivocation is coherent: each half sees a consistent story.
   */
  private equivocate(message: ConsensusMessage, others: number[]): boolean {
    const b = this.sim.scenario.behaviour;
    const [height, round] =
      message.type === 'proposal'
        ? [message.proposal.height, message.proposal.round]
        : [message.vote.height, message.vote.round];
    const slot = `${height}/${round}`;
    let split = this.splits.get(slot);
    if (!split) {
      const order = this.rng.shuffle(others);
      // A lingering (fork-seeking) node tells its alternative story to all peers but one.
      const half = this.lingering ? 1 : 1 + this.rng.int(order.length - 1);
      split = { first: order.slice(0, half), second: order.slice(half), alt: null };
      this.splits.set(slot, split);
    }
    if (message.type === 'proposal') {
      if (!this.rng.chance(b.doublePropose)) return false;
      const p = message.proposal;
      const block = this.buildBlock(p.block.header.time + 1 + this.rng.int(50));
      const hash = blockHash(this.sim.world.suite, block.header);
      this.noteBlock({ ...p, block });
      split.alt = toHex(hash);
      const validRound = -1;
      const alt: Proposal = {
        height,
        round,
        block,
        validRound,
        proposer: this.key,
        signature: this.sign(proposalSignBytes(CHAIN_ID, height, round, hash, validRound)),
      };
      count(this.sim.faults, 'double-propose');
      this.sendTo(message, split.first);
      this.sendTo({ type: 'proposal', proposal: alt }, split.second);
      return true;
    }
    if (!this.rng.chance(b.doubleVote)) return false;
    const v = message.vote;
    const mine = hashKey(v.blockHash);
    let choice: string;
    if (split.alt !== null && split.alt !== mine) choice = split.alt;
    else {
      const options = [...(this.seenBlocks.get(height) ?? []), 'nil'].filter((k) => k !== mine);
      if (options.length === 0) return false;
      choice = this.rng.pick(options);
    }
    const alt: Vote = signVote(
      CHAIN_ID,
      { key: this.key, sign: (bytes) => this.sign(bytes) },
      v.kind,
      height,
      round,
      choice === 'nil' ? null : fromHex(choice),
    );
    count(this.sim.faults, 'double-vote');
    this.sendTo(message, split.first);
    this.sendTo({ type: 'vote', vote: alt }, split.second);
    return true;
  }
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function stack(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
