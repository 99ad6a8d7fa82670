// The Tendermint consensus algorithm as a pure state machine ("The latest gossip on BFT consensus",
// Buchman, Kwon, Milosevic 2018, Algorithm 1; line numbers below refer to it). It never touches a
// network, disk or clock: inputs (messages, timeouts, the current time) come in, outputs (persist, send,
// schedule, decide) go out, in order. The driver must make each `persist` durable before it acts on any
// output after it; that is what keeps a restarted validator from signing against its own earlier votes.
// The same machine runs in the node and in the deterministic simulator.
import {
  type Block,
  blockHash,
  type CommitCertificate,
  type CryptoSuite,
  equalBytes,
  toHex,
  type Validator,
  type VoteKind,
} from '@gongxin/ledger';
import {
  type ConsensusMessage,
  hashKey,
  type Proposal,
  proposalSignBytes,
  signVote,
  type Vote,
  verifyProposal,
  verifyVote,
} from './messages';
import { proposerFor } from './proposer';
import { type Equivocation, HeightVotes } from './votes';

export type Step = 'propose' | 'prevote' | 'precommit' | 'commit';
export type TimeoutStep = 'propose' | 'prevote' | 'precommit';

export interface Signer {
  key: Uint8Array;
  sign(bytes: Uint8Array): Uint8Array;
}

/** What consensus needs from the chain: the committed head, its validators, block building and checking. */
export interface ConsensusApp {
  head(): { height: number; time: number };
  validators(): readonly Validator[];
  /** Build a block for the next height on top of the head, with this proposer time. */
  propose(height: number, time: number): Block;
  /** Is this block a valid next block on top of the head? (Re-executes it; callers cache by hash.) */
  validate(block: Block, hash: Uint8Array): boolean;
}

export interface Timeouts {
  proposeMs: number;
  prevoteMs: number;
  precommitMs: number;
  /** Added per round so that rounds eventually last long enough for any network (partial synchrony). */
  deltaMs: number;
}

export const defaultTimeouts: Timeouts = {
  proposeMs: 3000,
  prevoteMs: 1000,
  precommitMs: 1000,
  deltaMs: 500,
};

/** Durable facts of a height: what this validator signed and what it is locked on. */
export type WalRecord =
  | {
      type: 'signed';
      height: number;
      round: number;
      kind: 'proposal' | VoteKind;
      hash: string;
      /** For a proposal: the validRound it was signed with, so a restart re-signs exactly the same proposal. */
      validRound?: number;
    }
  | {
      type: 'lock';
      height: number;
      lockedRound: number;
      lockedBlock: Block | null;
      validRound: number;
      validBlock: Block | null;
      /** The prevotes of validRound for validBlock (its POL), so a restart can still justify re-proposing it. */
      polka?: Vote[];
    }
  | {
      /**
       * This validator entered `round` of the height, and `votes` are why: the precommits of the round
       * before (more than 2/3 of the power, lines 65–67) or the messages of `round` itself (more than
       * 1/3, lines 55–56). A restart resumes in that round and sends them again, so the validators still
       * in an earlier round can follow it there (see startRound).
       */
      type: 'round';
      height: number;
      round: number;
      votes: Vote[];
    };

export type ConsensusInput =
  | { type: 'message'; message: ConsensusMessage }
  | { type: 'timeout'; height: number; round: number; step: TimeoutStep };

export type ConsensusOutput =
  | { type: 'persist'; record: WalRecord }
  | { type: 'broadcast'; message: ConsensusMessage }
  | { type: 'schedule'; height: number; round: number; step: TimeoutStep; afterMs: number }
  | { type: 'decide'; height: number; block: Block; hash: Uint8Array; certificate: CommitCertificate }
  | { type: 'evidence'; equivocation: Equivocation }
  /** Others are at a later height: the driver should sync blocks. */
  | { type: 'behind'; height: number }
  /** More than 2/3 precommitted a block this node has not seen: ask peers for it. */
  | { type: 'missing'; height: number; round: number; hash: Uint8Array };

export interface MachineOptions {
  chainId: string;
  suite: CryptoSuite;
  app: ConsensusApp;
  /** null for a full node that follows consensus without voting. */
  signer: Signer | null;
  timeouts?: Timeouts;
  /** How far ahead of this node's clock a proposed block's time may be. */
  maxClockDriftMs?: number;
  /**
   * Test-only defects for proving the simulator catches them. Never set outside tests.
   * `ignoreLocks`: prevote for any valid proposal even when locked on another block (breaks safety).
   */
  faults?: { ignoreLocks?: boolean };
}

interface ProposalEntry {
  proposal: Proposal;
  hash: Uint8Array;
  hashHex: string;
}

const FUTURE_BUFFER = 2_000;

export class ConsensusMachine {
  height = 0;
  round = 0;
  step: Step = 'propose';
  private lockedRound = -1;
  private lockedBlock: Block | null = null;
  private validRound = -1;
  private validBlock: Block | null = null;
  private validators: readonly Validator[] = [];
  private votes!: HeightVotes;
  private readonly proposals = new Map<number, ProposalEntry>();
  private readonly blocks = new Map<string, Block>();
  private readonly validity = new Map<string, boolean>();
  private readonly signed = new Map<string, string>();
  /** Round → validRound of the proposal signed in it (from the WAL). */
  private readonly signedValidRound = new Map<number, number>();
  private readonly fired = new Set<string>();
  private future: ConsensusMessage[] = [];
  private out: ConsensusOutput[] = [];
  private now = 0;
  private readonly timeouts: Timeouts;
  private readonly maxDriftMs: number;

  constructor(private readonly opts: MachineOptions) {
    this.timeouts = opts.timeouts ?? defaultTimeouts;
    this.maxDriftMs = opts.maxClockDriftMs ?? 10_000;
  }

  get isValidator(): boolean {
    return this.opts.signer !== null && this.votes?.isValidator(this.opts.signer.key) === true;
  }

  /** What a crash must not forget, for the driver to hand back on restart. */
  get lockState() {
    return {
      lockedRound: this.lockedRound,
      lockedBlock: this.lockedBlock,
      validRound: this.validRound,
      validBlock: this.validBlock,
    };
  }

  /**
   * Enter the height after the app's head (at start and after each commit). `wal` is what was persisted
   * for that height before a crash, if anything.
   */
  enterHeight(now: number, wal: readonly WalRecord[] = []): ConsensusOutput[] {
    this.now = now;
    this.out = [];
    this.height = this.opts.app.head().height + 1;
    this.validators = this.opts.app.validators();
    this.votes = new HeightVotes(this.height, this.validators);
    this.proposals.clear();
    this.blocks.clear();
    this.validity.clear();
    this.signed.clear();
    this.signedValidRound.clear();
    this.fired.clear();
    this.lockedRound = -1;
    this.lockedBlock = null;
    this.validRound = -1;
    this.validBlock = null;
    let round = 0;
    let roundVotes: readonly Vote[] = [];
    for (const record of wal) {
      if (record.height !== this.height) continue;
      if (record.type === 'signed') {
        this.signed.set(`${record.round}/${record.kind}`, record.hash);
        if (record.kind === 'proposal' && record.validRound !== undefined)
          this.signedValidRound.set(record.round, record.validRound);
        round = Math.max(round, record.round);
      } else if (record.type === 'round') {
        if (record.round >= round) {
          round = record.round;
          roundVotes = record.votes;
        }
        for (const vote of record.votes) this.votes.add(vote);
      } else {
        this.lockedRound = record.lockedRound;
        this.lockedBlock = record.lockedBlock;
        this.validRound = record.validRound;
        this.validBlock = record.validBlock;
        for (const vote of record.polka ?? []) this.votes.add(vote);
      }
    }
    // After a restart, send again every vote signed earlier in this height (the same vote, so never a
    // conflicting one). The algorithm's liveness rests on every correct validator's messages reaching the
    // others eventually; a restart broke that for earlier rounds, whose votes were never sent again when a
    // crash had lost them (a peer down, or the crash between `persist` and `broadcast`). Found by the
    // simulator (chain/sim: `npm run sim -- --seed 845 --validators 4`): after a crash-heavy phase the
    // validators sat in rounds 0, 1 and 2 of one height, no round holding 2/3 of the prevotes nor a later
    // one f+1 (lines 34, 55), for ever.
    const signer = this.opts.signer;
    if (signer && this.votes.isValidator(signer.key)) {
      for (const [slot, hash] of this.signed) {
        const [r, kind] = slot.split('/');
        if (kind !== 'prevote' && kind !== 'precommit') continue;
        const choice = hash === 'nil' ? null : fromHexKey(hash);
        const vote = signVote(this.opts.chainId, signer, kind, this.height, Number(r), choice);
        this.votes.add(vote);
        this.out.push({ type: 'broadcast', message: { type: 'vote', vote } });
      }
      // And the votes that took it into the round it resumes in (see startRound): without them a peer
      // still in an earlier round may have no way to follow.
      for (const vote of roundVotes) this.out.push({ type: 'broadcast', message: { type: 'vote', vote } });
    }
    this.startRound(round);
    const buffered = this.future;
    this.future = [];
    for (const message of buffered) this.receive(message);
    this.process();
    return this.out;
  }

  handle(input: ConsensusInput, now: number): ConsensusOutput[] {
    this.now = now;
    this.out = [];
    if (this.height === 0) {
      // Not yet in a height (a node between start and its first height): keep what is for the next one.
      if (input.type === 'message' && this.future.length < FUTURE_BUFFER) {
        const m = input.message;
        const height = m.type === 'proposal' ? m.proposal.height : m.vote.height;
        if (height === this.opts.app.head().height + 1) this.future.push(m);
      }
      return [];
    }
    if (input.type === 'message') this.receive(input.message);
    else this.onTimeout(input.height, input.round, input.step);
    this.process();
    return this.out;
  }

  // -------------------------------------------------------------------------------------- inputs

  private receive(message: ConsensusMessage) {
    const height = message.type === 'proposal' ? message.proposal.height : message.vote.height;
    if (height < this.height || this.step === 'commit') {
      if (height > this.height && this.future.length < FUTURE_BUFFER) this.future.push(message);
      return;
    }
    if (height > this.height) {
      if (height === this.height + 1 && this.future.length < FUTURE_BUFFER) this.future.push(message);
      else this.out.push({ type: 'behind', height });
      return;
    }
    if (message.type === 'vote') this.receiveVote(message.vote);
    else this.receiveProposal(message.proposal);
  }

  private receiveVote(vote: Vote) {
    if (!Number.isSafeInteger(vote.round) || vote.round < 0 || vote.round > 10_000) return;
    if (!this.votes.isValidator(vote.validator)) return;
    if (!verifyVote(this.opts.suite, this.opts.chainId, vote)) return;
    const before = this.votes.evidence.length;
    this.votes.add(vote);
    if (this.votes.evidence.length > before)
      this.out.push({ type: 'evidence', equivocation: this.votes.evidence[this.votes.evidence.length - 1]! });
  }

  private receiveProposal(p: Proposal) {
    if (
      !Number.isSafeInteger(p.round) ||
      p.round < 0 ||
      p.round > 10_000 ||
      p.validRound >= p.round ||
      p.validRound < -1
    )
      return;
    if (this.proposals.has(p.round)) return; // the first proposal of a round is the one that counts
    const expected = proposerFor(this.validators, this.height, p.round);
    if (!equalBytes(expected.key, p.proposer)) return;
    if (!verifyProposal(this.opts.suite, this.opts.chainId, p)) return;
    const hash = blockHash(this.opts.suite, p.block.header);
    const hashHex = toHex(hash);
    this.proposals.set(p.round, { proposal: p, hash, hashHex });
    this.blocks.set(hashHex, p.block);
  }

  /** A block and its certificate obtained by sync: decides the height if the certificate holds. */
  offerBlock(block: Block, now: number): ConsensusOutput[] {
    this.now = now;
    this.out = [];
    if (block.header.height === this.height && this.step !== 'commit') {
      this.blocks.set(toHex(blockHash(this.opts.suite, block.header)), block);
      this.process();
    }
    return this.out;
  }

  // -------------------------------------------------------------------------------------- rules

  /**
   * Deterministic validity (height, parent time, execution), cached by hash. A proposal must also not be
   * from the future by this node's clock (`timely`); a block already precommitted by +2/3 is decided on
   * deterministic validity alone, so a node with a slow clock still follows the chain.
   */
  private isValid(block: Block, hash: Uint8Array, hashHex: string): boolean {
    let ok = this.validity.get(hashHex);
    if (ok === undefined) {
      ok =
        block.header.height === this.height &&
        block.header.time > this.opts.app.head().time &&
        this.opts.app.validate(block, hash);
      this.validity.set(hashHex, ok);
    }
    return ok;
  }

  private isTimely(block: Block): boolean {
    return block.header.time <= this.now + this.maxDriftMs;
  }

  private once(rule: string): boolean {
    if (this.fired.has(rule)) return false;
    this.fired.add(rule);
    return true;
  }

  private process() {
    // Apply the rules until none fires: each firing may enable another (a polka enables a precommit...).
    for (let guard = 0; guard < 64; guard++) {
      if (!this.applyRules()) return;
    }
  }

  private applyRules(): boolean {
    if (this.step === 'commit') return false;
    const { round, votes } = this;
    const current = this.proposals.get(round);

    // Lines 49–54: a block with +2/3 precommits in any round is decided.
    for (const r of votes.rounds_()) {
      const key = votes.majority(r, 'precommit');
      if (key && key !== 'nil') {
        const block = this.blocks.get(key);
        if (!block) {
          if (this.once(`missing/${r}`))
            this.out.push({ type: 'missing', height: this.height, round: r, hash: fromHexKey(key) });
          continue;
        }
        const hash = fromHexKey(key);
        if (this.isValid(block, hash, key)) {
          this.decide(r, block, hash);
          return false;
        }
      }
    }

    // Lines 55–56: +1/3 of the power is already in a later round: join it.
    for (const r of votes.rounds_()) {
      if (r > round && votes.powerSeenInRound(r) * 3 > votes.total) {
        this.startRound(r, [...votes.votesIn(r, 'prevote'), ...votes.votesIn(r, 'precommit')]);
        return true;
      }
    }

    if (this.step === 'propose' && current) {
      const { proposal, hash, hashHex } = current;
      const valid = this.isValid(proposal.block, hash, hashHex) && this.isTimely(proposal.block);
      const lockedOn = this.lockedBlock ? toHex(blockHash(this.opts.suite, this.lockedBlock.header)) : null;
      const ignoreLocks = this.opts.faults?.ignoreLocks === true;
      // Lines 22–27: a fresh proposal.
      if (proposal.validRound === -1) {
        const acceptable = valid && (ignoreLocks || this.lockedRound === -1 || lockedOn === hashHex);
        this.vote('prevote', acceptable ? hash : null);
        this.step = 'prevote';
        return true;
      }
      // Lines 28–33: a re-proposal backed by a polka in an earlier round.
      const vr = proposal.validRound;
      if (vr < round && votes.powerFor(vr, 'prevote', hash) * 3 > votes.total * 2) {
        const acceptable = valid && (ignoreLocks || this.lockedRound <= vr || lockedOn === hashHex);
        this.vote('prevote', acceptable ? hash : null);
        this.step = 'prevote';
        return true;
      }
    }

    // Lines 34–35: any +2/3 prevotes: start the prevote timer once.
    if (
      this.step === 'prevote' &&
      votes.powerIn(round, 'prevote') * 3 > votes.total * 2 &&
      this.once(`prevote-timer/${round}`)
    ) {
      this.schedule('prevote', this.timeouts.prevoteMs);
    }

    // Lines 36–43: a polka for the round's proposal: lock and precommit it (once per round).
    if (current && (this.step === 'prevote' || this.step === 'precommit')) {
      const { proposal, hash, hashHex } = current;
      if (
        votes.powerFor(round, 'prevote', hash) * 3 > votes.total * 2 &&
        this.isValid(proposal.block, hash, hashHex) &&
        this.once(`polka/${round}`)
      ) {
        if (this.step === 'prevote') {
          this.lockedRound = round;
          this.lockedBlock = proposal.block;
          this.validRound = round;
          this.validBlock = proposal.block;
          this.persistLock(hash);
          this.vote('precommit', hash);
          this.step = 'precommit';
        } else {
          this.validRound = round;
          this.validBlock = proposal.block;
          this.persistLock(hash);
        }
        return true;
      }
    }

    // Lines 44–46: +2/3 prevoted nil.
    if (this.step === 'prevote' && votes.powerFor(round, 'prevote', null) * 3 > votes.total * 2) {
      this.vote('precommit', null);
      this.step = 'precommit';
      return true;
    }

    // Lines 47–48: any +2/3 precommits: start the precommit timer once.
    if (votes.powerIn(round, 'precommit') * 3 > votes.total * 2 && this.once(`precommit-timer/${round}`)) {
      this.schedule('precommit', this.timeouts.precommitMs);
    }
    return false;
  }

  /**
   * Lines 11–21. `why`: the votes that moved this validator into `round` (none when it resumes a round
   * after a restart), kept in the WAL before it signs anything there.
   *
   * Found by the simulator (chain/sim: `npm run sim -- --seed 1048 --validators 4`): a validator moved to
   * round 1 on the round-0 precommits of three validators, one of them byzantine, then crashed; the two
   * others, still in round 0, had lost those precommits in crashes of their own, and the byzantine one
   * never sent its precommit again. Nobody held it any more, so no round had 2/3 of the precommits for the
   * two, nor did round 1 reach f+1 (lines 47, 55) with the byzantine validator silent: the three correct
   * validators waited for ever. Tendermint keeps received messages in its WAL for this; here the few
   * votes that justify a round change are kept, and sent again on restart and by re-gossip, so a peer in
   * an earlier round can always follow: round r − 1's precommits of more than 2/3 of the power take it
   * to round r − 1 (lines 55–56) and on its precommit timeout to r (lines 47, 65).
   */
  private startRound(round: number, why: readonly Vote[] = []) {
    this.round = round;
    this.step = 'propose';
    if (why.length > 0 && this.isValidator)
      this.persist({ type: 'round', height: this.height, round, votes: [...why] });
    const proposer = proposerFor(this.validators, this.height, round);
    const signer = this.opts.signer;
    if (signer && equalBytes(proposer.key, signer.key)) {
      const signedHash = this.signed.get(`${round}/proposal`);
      let block: Block;
      if (this.validBlock) block = this.validBlock;
      else if (signedHash && this.blocks.has(signedHash)) block = this.blocks.get(signedHash)!;
      else {
        const head = this.opts.app.head();
        block = this.opts.app.propose(this.height, Math.max(this.now, head.time + 1));
      }
      const hash = blockHash(this.opts.suite, block.header);
      const hashHex = toHex(hash);
      // After a restart, never sign a second, different proposal for a round already proposed in.
      if (signedHash === undefined || signedHash === hashHex) {
        // Line 19 sends validRound_p, which is below round_p when a round starts. Re-entering the round
        // after a restart, validRound_p may since have become this round (a polka for this very proposal,
        // lines 36–43), and signing with it made a second, different proposal for the round, one every
        // peer refuses (validRound ≥ round). Found by the simulator (chain/sim: `npm run sim -- --seed 1
        // --validators 4`, or seed 33 with 7): re-sign the validRound recorded with the first signature.
        const validRound = this.signedValidRound.get(round) ?? (this.validBlock ? this.validRound : -1);
        if (signedHash === undefined)
          this.persist({
            type: 'signed',
            height: this.height,
            round,
            kind: 'proposal',
            hash: hashHex,
            validRound,
          });
        const proposal: Proposal = {
          height: this.height,
          round,
          block,
          validRound,
          proposer: signer.key,
          signature: signer.sign(proposalSignBytes(this.opts.chainId, this.height, round, hash, validRound)),
        };
        this.out.push({ type: 'broadcast', message: { type: 'proposal', proposal } });
        // A re-proposal goes out with its POL (the 2f+1 prevotes of validRound, lines 28–29), as
        // Tendermint's gossip sends them: peers that never saw them, or forgot them in a restart, cannot
        // accept the block otherwise. Found by the simulator (chain/sim: `npm run sim -- --seed 9
        // --validators 4`, also seeds 1203, 1270, 1277, 1556): after every validator had restarted, nobody
        // held the prevotes of a correct validator's lock any more, and without the byzantine validator's
        // help no polka could ever form again (the lock record now keeps the POL, too: see persistLock).
        if (validRound >= 0)
          for (const vote of this.votes.votesFor(validRound, 'prevote', hash))
            this.out.push({ type: 'broadcast', message: { type: 'vote', vote } });
        this.receiveProposal(proposal);
      }
    }
    this.schedule('propose', this.timeouts.proposeMs);
  }

  private onTimeout(height: number, round: number, step: TimeoutStep) {
    if (height !== this.height || round !== this.round) return;
    if (step === 'propose' && this.step === 'propose') {
      // Lines 57–60.
      this.vote('prevote', null);
      this.step = 'prevote';
    } else if (step === 'prevote' && this.step === 'prevote') {
      // Lines 61–64.
      this.vote('precommit', null);
      this.step = 'precommit';
    } else if (step === 'precommit' && this.step !== 'commit') {
      // Lines 65–67.
      this.startRound(round + 1, this.votes.votesIn(round, 'precommit'));
    }
  }

  // -------------------------------------------------------------------------------------- outputs

  private schedule(step: TimeoutStep, baseMs: number) {
    this.out.push({
      type: 'schedule',
      height: this.height,
      round: this.round,
      step,
      afterMs: baseMs + this.round * this.timeouts.deltaMs,
    });
  }

  private persist(record: WalRecord) {
    this.out.push({ type: 'persist', record });
  }

  /** `validHash`: the hash of validBlock, whose POL (validRound's prevotes for it) is kept with the lock. */
  private persistLock(validHash: Uint8Array) {
    const polka = this.votes.votesFor(this.validRound, 'prevote', validHash);
    this.persist({ type: 'lock', height: this.height, ...this.lockState, polka });
  }

  private vote(kind: VoteKind, hash: Uint8Array | null) {
    const signer = this.opts.signer;
    if (!signer || !this.votes.isValidator(signer.key)) return;
    const slot = `${this.round}/${kind}`;
    const already = this.signed.get(slot);
    let choice = hash;
    if (already !== undefined) {
      // Signed this slot before a restart: repeat exactly that vote, never a conflicting one.
      choice = already === 'nil' ? null : fromHexKey(already);
    } else {
      this.signed.set(slot, hashKey(hash));
      this.persist({ type: 'signed', height: this.height, round: this.round, kind, hash: hashKey(hash) });
    }
    const vote = signVote(this.opts.chainId, signer, kind, this.height, this.round, choice);
    this.out.push({ type: 'broadcast', message: { type: 'vote', vote } });
    this.votes.add(vote);
  }

  private decide(round: number, block: Block, hash: Uint8Array) {
    this.step = 'commit';
    const precommits = this.votes.votesFor(round, 'precommit', hash);
    this.out.push({
      type: 'decide',
      height: this.height,
      block,
      hash,
      certificate: {
        height: this.height,
        round,
        blockHash: hash,
        signatures: precommits.map((v) => ({ key: v.validator, signature: v.signature })),
      },
    });
  }
}

function fromHexKey(key: string): Uint8Array {
  const out = new Uint8Array(key.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(key.slice(i * 2, i * 2 + 2), 16);
  return out;
}
