// A chain node: the consensus machine wired to storage, a clock, the mempool and (when there are peers)
// the network. Everything the machine asks for is executed in order on one queue, and every `persist` is
// durable before anything after it happens. A validator signs; a full node only follows. Storage, clock
// and timers are injected (ports.ts): by default the database and the process's own, in the simulator
// simulated ones.

import type { ConsensusMessage } from '@gongxin/consensus';
import {
  type ConsensusApp,
  ConsensusMachine,
  type ConsensusOutput,
  type MachineOptions,
  type Signer,
  type TimeoutStep,
  type Timeouts,
} from '@gongxin/consensus';
import type { Database } from '@gongxin/db';
import {
  applyBlock,
  type Block,
  type BlockResult,
  blockHash,
  type ChainHead,
  type CommitCertificate,
  type ContractRegistry,
  type CryptoSuite,
  createGenesisState,
  equalBytes,
  executeBlock,
  type GenesisDocument,
  type LedgerState,
  type MemoryState,
  type Receipt,
  type RuntimeEnv,
  type SignedTx,
  type StateReader,
  type TrustedValidatorSet,
  TxRejected,
  toHex,
  type Validator,
  validatorSetHash,
  verifyCertificate,
} from '@gongxin/ledger';
import {
  ADMISSION_SLICE_MS,
  ASSET_PREFIX,
  conventionalTier,
  Mempool,
  type MempoolLimits,
  type MempoolStats,
  type SenderTierOf,
} from './mempool';
import { type NodeStorage, realTimers, type TimerHandle, type Timers, unrefTimer } from './ports';
import { StageTimes } from './stages';
import { ChainStore } from './storage/store';
import type { SignatureCheck, VerifierPool } from './verify/pool';

export interface LoggerLike {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** How a node talks to its peers; absent for a single validator. */
export interface ConsensusNetwork {
  broadcast(message: ConsensusMessage): void;
  /** `key` is the tx's `txKey`, when the caller has it. */
  gossipTx(bytes: Uint8Array, key?: string): void;
  /** Ask peers for committed blocks from `height` on (the node is behind or missing a block). */
  requestBlocks(height: number): void;
}

export interface BlockLimits {
  maxTxs: number;
  maxBytes: number;
  /** Pause after a commit before the next height, so txs accumulate into fuller blocks. */
  commitDelayMs: number;
  /** With at least this many txs waiting, the next height starts without the pause. */
  fullBlockTxs: number;
  /** With nothing to do, still make a block this often (a heartbeat that proves the chain is alive). */
  emptyBlockIntervalMs: number;
}

export const defaultBlockLimits: BlockLimits = {
  maxTxs: 10_000,
  maxBytes: 16 * 1024 * 1024,
  commitDelayMs: 50,
  fullBlockTxs: 1_000,
  emptyBlockIntervalMs: 30_000,
};

export interface ChainNodeOptions<S extends NodeStorage = ChainStore> {
  /** The chain database (a ChainStore over it is the node's storage unless `storage` is given). */
  database?: Database;
  /** Where the chain is stored; default a ChainStore over `database`. */
  storage?: S;
  /** Clock and timers; default the process's. `clock`, when given, still overrides `timers.now`. */
  timers?: Timers;
  genesis: GenesisDocument;
  suite: CryptoSuite;
  contracts: ContractRegistry;
  signer?: Signer | null;
  network?: ConsensusNetwork;
  logger: LoggerLike;
  timeouts?: Timeouts;
  /** Further machine settings: the clock drift allowed, and the machine's test-only defects. */
  consensus?: Pick<MachineOptions, 'maxClockDriftMs' | 'faults'>;
  blockLimits?: Partial<BlockLimits>;
  mempoolLimits?: Partial<MempoolLimits>;
  /**
   * How far the mempool trusts a sender when it must choose whom to keep: 2 identified, 1 funded, 0
   * anonymous. Default: a live attestation at `identity/attestation/<address>`, else a balance of any
   * asset at `assets/bal/<SYMBOL>/<address>`.
   */
  senderTier?: SenderTierOf;
  clock?: () => number;
  health?: Partial<HealthLimits>;
  /**
   * Verifier threads for batch admission (`admitMany`): signatures are checked there, off the thread that
   * runs consensus. Absent: batches are verified here, as single txs always are.
   */
  verifier?: VerifierPool | null;
  /**
   * Called with the committed state at start and after every block is decided, before anything else
   * changes it (state snapshots are taken here). Must not modify the state.
   */
  onState?: (head: ChainHead, state: MemoryState) => void;
}

/** A tx of a batch: admitted (or already waiting), or the error it was refused with. */
export type BatchAdmission = { id: string; key: string; duplicate: boolean } | { error: Error };

/** A decided block applied in memory, on its way to the disk. */
interface Decided {
  head: ChainHead;
  block: Block;
  result: BlockResult;
  certificate: CommitCertificate;
}

export interface CommittedBlock {
  height: number;
  hash: Uint8Array;
  block: Block;
  certificate: CommitCertificate;
  result: BlockResult;
}

export interface TxOutcome {
  height: number;
  blockHash: string;
  receipt: Receipt;
}

/** What a peer's tx came to (the network scores peers by it). */
export type TxVerdict = 'admitted' | 'duplicate' | 'refused' | 'junk';

export interface HealthLimits {
  /** A height in progress this long without a decision is a stall. */
  stallAfterMs: number;
  /** Txs waiting while the mempool has not shrunk (nothing committed or expired) this long. */
  mempoolStuckAfterMs: number;
}

export const defaultHealthLimits: HealthLimits = { stallAfterMs: 15_000, mempoolStuckAfterMs: 30_000 };

export type HealthProblemCode = 'halted' | 'database' | 'stalled' | 'mempool_stuck' | 'no_quorum';

export interface NodeHealth {
  ok: boolean;
  problems: { code: HealthProblemCode; message: string }[];
  /** The height being decided and since when (null between heights, waiting for txs). */
  deciding: { height: number; round: number; forMs: number } | null;
  mempool: MempoolStats & { stuckForMs: number };
}

export interface NodeStats {
  height: number;
  round: number;
  mempoolSize: number;
  committedTxs: number;
  lastCommitLatencyMs: number;
  badMessages: number;
  /**
   * Txs decoded and signature-checked while executing a block, on the consensus thread, because they
   * were not admitted here first (a proposal that outran the tx gossip, or blocks from sync).
   */
  checkedInExecution: number;
}

/**
 * What the database said, short: the driver's own error (a query wrapper's message carries the whole
 * statement and its parameters, megabytes for a block) and its SQLSTATE when it has one.
 */
function databaseReason(error: unknown): string {
  let e: unknown = error;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  const inner = e instanceof Error ? e : new Error(String(error));
  const code = (inner as { code?: unknown }).code;
  const text = inner.message.split('\n')[0]!.slice(0, 300);
  return typeof code === 'string' && !text.includes(code) ? `${text} [${code}]` : text;
}

/** Rejections of a peer's tx that no honest node could have admitted (see receiveTx). */
const FORGED_TX_CODES: ReadonlySet<string> = new Set([
  'malformed',
  'too_large',
  'wrong_chain',
  'bad_signature',
]);

export class ChainNode<S extends NodeStorage = ChainStore> {
  readonly store: S;
  readonly env: RuntimeEnv;
  readonly chainId: string;
  private machine!: ConsensusMachine;
  private state!: MemoryState;
  /** The head consensus works on: may be one block ahead of the database. */
  private headValue!: ChainHead;
  /** The last block written to the database: what the API and peers are shown. */
  private durableHead!: ChainHead;
  /** The write of the last decided block (see commit). */
  private storing: Promise<void> = Promise.resolve();
  private storeFailure: Error | null = null;
  /**
   * The block whose write failed, kept until the database answers: a connection cut after the server
   * committed the write but before the answer came back leaves the block on disk, and recovery then
   * announces it (waiters, listeners) instead of leaving them waiting for a block that never comes again.
   */
  private unannounced: {
    head: ChainHead;
    block: Block;
    result: BlockResult;
    certificate: CommitCertificate;
  } | null = null;
  /** Set while the database fails under the node: consensus is paused and the node retries it. */
  private databaseDown: { since: number; error: Error; doing: string } | null = null;
  private recoveryTimer: TimerHandle | null = null;
  /** stop() was called: no recovery, no restart. */
  private closed = false;
  private validatorSet: Validator[] = [];
  mempool!: Mempool;
  /** Asset symbols defined on chain, for the mempool's "funded" tier (kept up to date on commit). */
  private readonly symbols = new Set<string>();
  private symbolList: string[] = [];
  private maintenance: TimerHandle | null = null;
  private readonly results = new Map<string, BlockResult>();
  private readonly timers = new Set<TimerHandle>();
  private queue: Promise<void> = Promise.resolve();
  private readonly waiters = new Map<string, ((outcome: TxOutcome) => void)[]>();
  private readonly blockListeners = new Set<(b: CommittedBlock) => void>();
  private stopped = true;
  private heightStartTimer: TimerHandle | null = null;
  private waitingForTxs = false;
  private lastCommitAt = 0;
  private lastCommitLog = { round: 0, txs: 0, sinceLastCommitMs: 0 };
  /** When the height being decided was entered (0 while waiting for txs between heights). */
  private heightStartedAt = 0;
  readonly stats: NodeStats = {
    height: 0,
    round: 0,
    mempoolSize: 0,
    committedTxs: 0,
    lastCommitLatencyMs: 0,
    badMessages: 0,
    checkedInExecution: 0,
  };
  private readonly limits: BlockLimits;
  private readonly now: () => number;
  private readonly clockwork: Timers;

  constructor(private readonly opts: ChainNodeOptions<S>) {
    if (opts.storage) this.store = opts.storage;
    else if (opts.database) this.store = new ChainStore(opts.database) as NodeStorage as S;
    else throw new Error('a chain node needs a database or a storage');
    this.env = { suite: opts.suite, contracts: opts.contracts };
    this.chainId = opts.genesis.chainId;
    this.limits = { ...defaultBlockLimits, ...opts.blockLimits };
    this.clockwork = opts.timers ?? realTimers;
    const timers = this.clockwork;
    this.now = opts.clock ?? (opts.timers ? () => timers.now() : Date.now);
    const store = this.store;
    this.stages.addSource('store', () => store.buildMs ?? 0);
  }

  /** The last block on disk. */
  get head(): ChainHead {
    return this.durableHead;
  }

  /**
   * Where consensus stands: the height being decided (one or two above `head` while the last decided
   * block is still being written), its round and step. The network watches it to tell a stall.
   */
  get position(): { height: number; round: number; step: string } | undefined {
    const m = this.machine;
    return m ? { height: m.height, round: m.round, step: m.step } : undefined;
  }

  /** This node's signing key (null for a full node). */
  get signerKey(): Uint8Array | null {
    return this.opts.signer?.key ?? null;
  }

  /** The committed state (read-only for callers). */
  get stateView(): StateReader {
    return this.state;
  }

  get validators(): readonly Validator[] {
    return this.validatorSet;
  }

  get trusted(): TrustedValidatorSet {
    return { chainId: this.chainId, suite: this.opts.suite.id, validators: this.validatorSet };
  }

  async start(): Promise<void> {
    await this.store.migrate();
    const genesis = createGenesisState(this.env, this.opts.genesis);
    await this.store.initGenesis(
      this.opts.genesis,
      genesis.hash,
      genesis.state.head.stateRoot,
      genesis.writes,
      this.opts.genesis.validators,
    );
    this.closed = false;
    await this.boot();
    this.opts.logger.info(
      { height: this.headValue.height, validators: this.validatorSet.length, chainId: this.chainId },
      'chain node started',
    );
  }

  /**
   * Load head, state and validators from the database and enter the next height (with what the WAL says
   * was signed for it). At start, and again when the database answers after a failure: memory may have
   * run one block ahead of the disk, and that block is decided again from the WAL, or fetched from peers.
   */
  private async boot(): Promise<void> {
    const loaded = await this.store.load(this.chainId);
    const wal = await this.store.walFor(loaded.head.height + 1);
    this.state = loaded.state;
    this.headValue = loaded.head;
    this.durableHead = loaded.head;
    this.storing = Promise.resolve();
    this.storeFailure = null;
    this.databaseDown = null;
    this.results.clear();
    this.validatorSet = loaded.validators;
    this.observeState();
    this.symbols.clear();
    for (const key of this.state.entries.keys()) this.noteAssetKey(key, true);
    if (this.mempool) this.mempool.resync(this.state);
    else
      this.mempool = new Mempool(
        this.env,
        this.chainId,
        this.opts.mempoolLimits,
        this.opts.senderTier ?? conventionalTier(() => this.symbolList),
        this.now,
      );
    this.stats.height = this.headValue.height;
    this.stats.mempoolSize = this.mempool.size;
    this.machine = new ConsensusMachine({
      chainId: this.chainId,
      suite: this.opts.suite,
      app: this.app(),
      signer: this.opts.signer ?? null,
      timeouts: this.opts.timeouts,
      ...this.opts.consensus,
    });
    this.stopped = false;
    this.lastCommitAt = this.now();
    // Future txs expire by time too, also while no block commits.
    this.maintenance = this.clockwork.setInterval(() => {
      if (this.mempool.expire(this.headValue.height) > 0) this.stats.mempoolSize = this.mempool.size;
    }, 5_000);
    unrefTimer(this.maintenance);
    // A height interrupted by a restart resumes at once with what was signed; otherwise wait for work.
    if (wal.length > 0) {
      this.waitingForTxs = false;
      this.heightStartedAt = this.now();
      this.enqueue(() => this.machine.enterHeight(this.now(), wal));
    } else this.scheduleNextHeight();
  }

  /**
   * The database failed under the node (stopped, restarted, connections cut, disk full): consensus stops
   * at once — it must not run with memory ahead of its disk, nor sign what it cannot log — and the node
   * tries the database again, with backoff, until it answers; then it boots from what is stored.
   */
  private databaseFailed(error: unknown, doing: string) {
    if (this.closed || this.databaseDown) return;
    const err = new Error(databaseReason(error));
    this.databaseDown = { since: this.now(), error: err, doing };
    this.opts.logger.error(
      { height: this.headValue.height + 1, err: err.message, doing },
      'the database failed: consensus paused until it answers again (nothing committed is lost)',
    );
    this.halt();
    void this.recover();
  }

  private async recover() {
    let delay = 250;
    for (let attempt = 1; !this.closed; attempt++) {
      await new Promise<void>((resolve) => {
        this.recoveryTimer = this.clockwork.setTimeout(resolve, delay);
      });
      this.recoveryTimer = null;
      if (this.closed) return;
      try {
        await this.queue.catch(() => {});
        await this.storing.catch(() => {});
        const down = this.databaseDown;
        await this.boot();
        await this.announceStoredAfterFailure();
        this.opts.logger.info(
          {
            height: this.headValue.height,
            attempt,
            downMs: down ? Math.round(this.now() - down.since) : 0,
          },
          'the database answers again: consensus resumed from the stored head',
        );
        return;
      } catch (error) {
        this.stopped = true;
        if (this.databaseDown)
          this.databaseDown.error = error instanceof Error ? error : new Error(String(error));
        this.opts.logger.debug({ attempt, err: (error as Error).message }, 'the database still fails');
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }

  /** The failed write reached the disk after all: the block is stored, so say it is committed. */
  private async announceStoredAfterFailure() {
    const pending = this.unannounced;
    if (!pending) return;
    // Not on disk: consensus decides it again (from the WAL, or peers), and its commit announces it.
    const stored =
      this.durableHead.height >= pending.head.height
        ? await this.store.blockAt(pending.head.height)
        : undefined;
    this.unannounced = null;
    if (stored && equalBytes(stored.hash, pending.result.hash))
      this.durable(pending.head, pending.block, pending.result, pending.certificate);
  }

  async stop(): Promise<void> {
    this.closed = true;
    if (this.recoveryTimer) this.clockwork.clearTimeout(this.recoveryTimer);
    this.halt();
    await this.queue.catch(() => {});
    // A decided block still being written is finished before the database closes.
    await this.storing.catch(() => {});
  }

  onBlock(listener: (b: CommittedBlock) => void): () => void {
    this.blockListeners.add(listener);
    return () => this.blockListeners.delete(listener);
  }

  // ---------------------------------------------------------------------------------------- txs

  /** Admit a tx to the mempool and pass it to peers. Throws TxRejected or MempoolFull. */
  submit(bytes: Uint8Array): { id: string; duplicate: boolean } {
    // One tx: its signature is checked here, inside the admission stage.
    const admitted = this.stages.time('admission', () =>
      this.mempool.add(bytes, this.state, { height: this.headValue.height }),
    );
    this.stats.mempoolSize = this.mempool.size;
    if (!admitted.duplicate) {
      this.opts.network?.gossipTx(bytes, admitted.key);
      if (this.waitingForTxs) this.startNextHeightSoon();
    }
    return { id: admitted.id, duplicate: admitted.duplicate };
  }

  /** CPU time by stage (admission, verify, execute, store, gossip), for metrics and the benchmark. */
  readonly stages = new StageTimes();

  /** The verifier threads batch admission uses, if any. */
  get verifier(): VerifierPool | null {
    return this.opts.verifier ?? null;
  }

  /**
   * Admit many txs at once: the checks that need no signature run first, the survivors' signatures are
   * verified on the verifier threads while this thread goes on with consensus, then each is admitted
   * against the state of that moment. One result per tx, in order. Admitted local txs are passed to
   * peers; txs from a peer (`peer`, with their `keys` from the network's seen-set) are not: the network
   * relays what comes back admitted.
   */
  async admitMany(
    txs: readonly Uint8Array[],
    from: { peer?: string; keys?: readonly (string | undefined)[] } = {},
  ): Promise<BatchAdmission[]> {
    const results: BatchAdmission[] = new Array(txs.length);
    const pending: { index: number; key: string; decoded: SignedTx }[] = [];
    // The same tx twice in one batch is verified once: later copies answer as the first one did.
    const firstOf = new Map<string, number>();
    const copies: { index: number; first: number }[] = [];
    let sliceEnd = performance.now() + ADMISSION_SLICE_MS;
    // The synchronous stretches between yields are admission's CPU time.
    let stretch = performance.now();
    const yieldSometimes = async (i: number) => {
      if ((i & 15) === 15 && performance.now() >= sliceEnd) {
        this.stages.add('admission', performance.now() - stretch);
        await new Promise((resolve) => setImmediate(resolve));
        sliceEnd = performance.now() + ADMISSION_SLICE_MS;
        stretch = performance.now();
      }
    };
    for (let i = 0; i < txs.length; i++) {
      try {
        const t = this.mempool.triage(txs[i]!, this.state, { key: from.keys?.[i], peer: from.peer });
        if (t.duplicate) results[i] = { id: t.id, key: t.key, duplicate: true };
        else if (firstOf.has(t.key)) copies.push({ index: i, first: firstOf.get(t.key)! });
        else {
          firstOf.set(t.key, i);
          pending.push({ index: i, key: t.key, decoded: t.decoded });
        }
      } catch (error) {
        results[i] = { error: error instanceof Error ? error : new Error(String(error)) };
      }
      await yieldSometimes(i);
    }
    const checks: SignatureCheck[] = pending.map(({ decoded }) => ({
      signature: decoded.signature,
      message: decoded.bodyBytes,
      key: decoded.body.key,
    }));
    this.stages.add('admission', performance.now() - stretch);
    const verdicts = this.opts.verifier
      ? await this.opts.verifier.verify(checks)
      : new Uint8Array(checks.length);
    sliceEnd = performance.now() + ADMISSION_SLICE_MS;
    stretch = performance.now();
    let admittedAny = false;
    for (let j = 0; j < pending.length; j++) {
      const { index, key, decoded } = pending[j]!;
      const bytes = txs[index]!;
      try {
        // A signature the threads found wrong is checked again here, in the order single admission
        // checks it, so the tx is refused with the same reason as it would be on its own.
        const admitted = this.mempool.add(bytes, this.state, {
          key,
          peer: from.peer,
          height: this.headValue.height,
          decoded,
          signatureVerified: verdicts[j] === 1,
        });
        results[index] = admitted;
        if (!admitted.duplicate) {
          admittedAny = true;
          if (from.peer === undefined) this.opts.network?.gossipTx(bytes, admitted.key);
        }
      } catch (error) {
        results[index] = { error: error instanceof Error ? error : new Error(String(error)) };
      }
      await yieldSometimes(j);
    }
    this.stages.add('admission', performance.now() - stretch);
    for (const { index, first } of copies) {
      const r = results[first]!;
      results[index] = 'error' in r ? r : { ...r, duplicate: true };
    }
    this.stats.mempoolSize = this.mempool.size;
    if (admittedAny && this.waitingForTxs) this.startNextHeightSoon();
    return results;
  }

  /**
   * A tx from a peer (`key`: its `txKey`, from the network's seen-set; `peer`: the node key of the peer
   * it came from, for the per-peer quota): admitted like a local one. Answers what it came to: `junk` is
   * a tx no honest node could have admitted, which the network counts against the peer.
   */
  receiveTx(bytes: Uint8Array, key?: string, peer?: string): TxVerdict {
    try {
      const admitted = this.mempool.add(bytes, this.state, { key, peer, height: this.headValue.height });
      this.stats.mempoolSize = this.mempool.size;
      if (!admitted.duplicate && this.waitingForTxs) this.startNextHeightSoon();
      return admitted.duplicate ? 'duplicate' : 'admitted';
    } catch (error) {
      return this.refusedPeerTx(error);
    }
  }

  /**
   * A peer passes on what it admitted itself. A stale nonce (the tx arrived after its block), a key
   * rotated meanwhile or a full mempool is a race, not misbehaviour: only what no honest node could
   * have admitted counts as a bad message.
   */
  private refusedPeerTx(error: unknown): 'junk' | 'refused' {
    if (error instanceof TxRejected && FORGED_TX_CODES.has(error.code)) {
      this.stats.badMessages++;
      return 'junk';
    }
    return 'refused';
  }

  /**
   * Many txs from one peer (`keys`: their `txKey`s from the seen-set), admitted through `admitMany`:
   * a verdict per tx, judged as `receiveTx` judges one.
   */
  async receiveTxs(txs: readonly Uint8Array[], keys: readonly string[], peer: string): Promise<TxVerdict[]> {
    const results = await this.admitMany(txs, { peer, keys });
    return results.map((r) => {
      if ('error' in r) return this.refusedPeerTx(r.error);
      return r.duplicate ? 'duplicate' : 'admitted';
    });
  }

  /** Resolves when the tx with this id (hex) is committed, with its receipt; rejects after timeoutMs. */
  waitForTx(idHex: string, timeoutMs = 30_000): Promise<TxOutcome> {
    return new Promise((resolve, reject) => {
      const timer = this.clockwork.setTimeout(() => {
        const list = this.waiters.get(idHex);
        if (list)
          this.waiters.set(
            idHex,
            list.filter((w) => w !== done),
          );
        reject(new Error(`transaction ${idHex} was not committed within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (outcome: TxOutcome) => {
        this.clockwork.clearTimeout(timer);
        resolve(outcome);
      };
      const list = this.waiters.get(idHex) ?? [];
      list.push(done);
      this.waiters.set(idHex, list);
    });
  }

  // ---------------------------------------------------------------------------------------- consensus

  receiveConsensus(message: ConsensusMessage): void {
    if (this.stopped) return;
    // A message for the next height while idle between heights means others have started it.
    const height = message.type === 'proposal' ? message.proposal.height : message.vote.height;
    if (this.waitingForTxs && height === this.headValue.height + 1) this.startNextHeightSoon();
    this.enqueue(() => this.machine.handle({ type: 'message', message }, this.now()));
  }

  /**
   * Blocks from a peer during sync or an import: each must carry a certificate valid for our validator
   * set. They are applied and stored as one batch (see commitSynced).
   */
  async receiveCommitted(blocks: { block: Block; certificate: CommitCertificate }[]): Promise<number> {
    const applied = await new Promise<number>((resolve, reject) => {
      this.queue = this.queue.then(async () => {
        try {
          resolve(await this.commitSynced(blocks));
        } catch (error) {
          reject(error);
        }
      });
    });
    // Synced and imported blocks are on disk when this resolves (callers read the stored head next).
    await this.storing;
    if (this.storeFailure) throw this.storeFailure;
    return applied;
  }

  private ledgerState(): LedgerState {
    return { head: this.headValue, store: this.state };
  }

  private app(): ConsensusApp {
    return {
      head: () => this.headValue,
      validators: () => this.validatorSet,
      propose: (height, time) => {
        const startedAt = performance.now();
        const txs = this.mempool.reap(this.state, this.limits.maxTxs, this.limits.maxBytes);
        const result = this.executing(() =>
          executeBlock(
            this.env,
            this.ledgerState(),
            { time, proposer: this.opts.signer!.key, txs },
            { admitted: this.mempool.admitted },
          ),
        );
        this.results.set(toHex(result.hash), result);
        this.opts.logger.debug(
          { height, txs: txs.length, ms: Math.round(performance.now() - startedAt) },
          'block proposed',
        );
        return { header: result.header, txs };
      },
      validate: (block, hash) => {
        const key = toHex(hash);
        if (this.results.has(key)) return true;
        try {
          const startedAt = performance.now();
          const result = this.executing(() =>
            applyBlock(this.env, this.ledgerState(), block, { admitted: this.mempool.admitted }),
          );
          this.results.set(key, result);
          this.opts.logger.debug(
            {
              height: block.header.height,
              txs: block.txs.length,
              ms: Math.round(performance.now() - startedAt),
            },
            'proposal validated',
          );
          return true;
        } catch (error) {
          this.opts.logger.warn(
            { height: block.header.height, err: (error as Error).message },
            'invalid block proposed',
          );
          return false;
        }
      },
    };
  }

  private enqueue(step: () => ConsensusOutput[] | Promise<ConsensusOutput[]>): void {
    this.queue = this.queue
      .then(async () => {
        if (this.stopped) return;
        const outputs = await step();
        if (this.stopped) return;
        await this.execute(outputs);
      })
      .catch((error) => {
        this.opts.logger.error({ err: error }, 'consensus step failed');
      });
  }

  private async execute(outputs: ConsensusOutput[]): Promise<void> {
    for (const output of outputs) {
      if (this.stopped) return;
      switch (output.type) {
        case 'persist':
          try {
            await this.store.appendWal(output.record);
          } catch (error) {
            // Nothing after it goes out: a vote is never sent unless its record is durable.
            return this.databaseFailed(error, 'writing the consensus log');
          }
          break;
        case 'broadcast':
          this.opts.network?.broadcast(output.message);
          break;
        case 'schedule':
          this.schedule(output.height, output.round, output.step, output.afterMs);
          break;
        case 'decide': {
          // Block sync may have committed this height already while the machine was deciding it.
          if (output.height <= this.headValue.height) break;
          const result =
            this.results.get(toHex(output.hash)) ??
            this.executing(() => applyBlock(this.env, this.ledgerState(), output.block));
          await this.commit(output.block, result, output.certificate);
          break;
        }
        case 'evidence':
          this.opts.logger.warn(
            {
              validator: toHex(output.equivocation.first.validator),
              height: output.equivocation.first.height,
            },
            'equivocation seen',
          );
          break;
        case 'behind':
        case 'missing':
          this.opts.network?.requestBlocks(this.headValue.height + 1);
          break;
      }
    }
    this.stats.round = this.machine.round;
  }

  private schedule(height: number, round: number, step: TimeoutStep, afterMs: number) {
    const timer = this.clockwork.setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(() => this.machine.handle({ type: 'timeout', height, round, step }, this.now()));
    }, afterMs);
    this.timers.add(timer);
  }

  /**
   * A decided block: the node moves on to the next height at once, while the block is written to the
   * database in the background. At most one block is in flight: a later commit first waits for it, so
   * memory runs at most one block ahead of the disk. Waiters, listeners and the public `head` see a block
   * only once it is durable. A crash before the write finishes loses nothing committed by the network:
   * on restart the node resumes at the stored head and fetches the block again, and whatever it signed
   * meanwhile for the next height is in its WAL, which every height reads on entry (startNextHeight).
   */
  private async commit(block: Block, result: BlockResult, certificate: CommitCertificate): Promise<void> {
    await this.storing;
    if (this.storeFailure) throw this.storeFailure;
    const head = this.advance(block, result, certificate);
    this.persist([{ head, block, result, certificate }]);
    this.scheduleNextHeight();
  }

  /**
   * Decided blocks from a peer (block sync): each checked and applied in memory in turn, then all stored
   * in one database transaction, announced once it is durable. Memory runs at most one batch ahead of
   * the disk. Stops at the first block whose certificate does not hold; returns how many were applied.
   */
  private async commitSynced(blocks: { block: Block; certificate: CommitCertificate }[]): Promise<number> {
    await this.storing;
    if (this.storeFailure) throw this.storeFailure;
    const batch: Decided[] = [];
    for (const { block, certificate } of blocks) {
      if (block.header.height !== this.headValue.height + 1) continue;
      const hash = blockHash(this.opts.suite, block.header);
      const check = verifyCertificate(this.opts.suite, this.chainId, certificate, this.validatorSet, {
        height: block.header.height,
        blockHash: hash,
      });
      if (!check.ok) {
        this.stats.badMessages++;
        this.opts.logger.warn({ height: block.header.height, reason: check.reason }, 'synced block refused');
        break;
      }
      let result: BlockResult;
      try {
        result = this.executing(() =>
          applyBlock(this.env, this.ledgerState(), block, { admitted: this.mempool.admitted }),
        );
      } catch (error) {
        if (batch.length === 0) throw error;
        break;
      }
      batch.push({ head: this.advance(block, result, certificate), block, result, certificate });
    }
    if (batch.length === 0) return 0;
    this.persist(batch);
    this.scheduleNextHeight();
    return batch.length;
  }

  /** Move the in-memory chain (state, head, validators, mempool) past a decided block. */
  private advance(block: Block, result: BlockResult, certificate: CommitCertificate): ChainHead {
    return this.stages.time('execute', () => this.advanceNow(block, result, certificate));
  }

  /** Runs a block's execution in the `execute` stage and counts the txs it had to check itself. */
  private executing(run: () => BlockResult): BlockResult {
    const result = this.stages.time('execute', run);
    this.stats.checkedInExecution += result.checkedHere;
    return result;
  }

  private advanceNow(block: Block, result: BlockResult, certificate: CommitCertificate): ChainHead {
    const height = block.header.height;
    this.state.apply(result.writes);
    const head: ChainHead = {
      chainId: this.chainId,
      height,
      blockHash: result.hash,
      time: block.header.time,
      stateRoot: result.header.stateRoot,
    };
    this.headValue = head;
    this.observeState();
    if (
      !equalBytes(
        validatorSetHash(this.opts.suite, result.nextValidators),
        validatorSetHash(this.opts.suite, this.validatorSet),
      )
    ) {
      this.validatorSet = result.nextValidators;
      this.opts.logger.info({ height, validators: this.validatorSet.length }, 'validator set changed');
    }
    this.results.clear();
    for (const key of result.writes.keys()) {
      if (key.startsWith(ASSET_PREFIX)) this.noteAssetKey(key, result.writes.get(key) !== null);
    }
    const senders = new Set<string>();
    for (const r of result.receipts) if (r.from) senders.add(r.from);
    this.mempool.update(this.state, senders, height);
    const now = this.now();
    this.stats.mempoolSize = this.mempool.size;
    this.lastCommitLatencyFor(now, certificate, block);
    return head;
  }

  private lastCommitLatencyFor(now: number, certificate: CommitCertificate, block: Block) {
    const sinceLastCommitMs = now - this.lastCommitAt;
    this.stats.lastCommitLatencyMs = sinceLastCommitMs;
    this.lastCommitAt = now;
    this.lastCommitLog = { round: certificate.round, txs: block.txs.length, sinceLastCommitMs };
  }

  /** Write decided blocks (already applied in memory) in the background; announce them once durable. */
  private persist(batch: Decided[]) {
    const last = batch[batch.length - 1]!;
    const logged = this.lastCommitLog;
    const storeStartedAt = performance.now();
    // The synchronous part of the call builds the statements; the rest is the database's.
    const written = this.stages.time('store', () =>
      batch.length === 1
        ? this.store.commitBlock(last.block, last.certificate, last.result)
        : this.store.commitBlocks(batch),
    );
    this.storing = written.then(
      () => {
        this.opts.logger.debug(
          {
            height: last.head.height,
            blocks: batch.length,
            round: logged.round,
            txs: logged.txs,
            storeMs: Math.round(performance.now() - storeStartedAt),
            sinceLastCommitMs: Math.round(logged.sinceLastCommitMs),
          },
          'block committed',
        );
        this.stages.time('store', () => {
          for (const d of batch) this.durable(d.head, d.block, d.result, d.certificate);
        });
      },
      (error: unknown) => {
        // The network has committed these blocks but this node could not store them: it must not go on
        // with memory ahead of its disk. It pauses, and resumes from the stored head when the database
        // answers (the blocks are decided again from the WAL, or fetched from peers).
        this.storeFailure = error instanceof Error ? error : new Error(String(error));
        this.unannounced = last;
        this.databaseFailed(this.storeFailure, `storing block ${last.head.height}`);
      },
    );
  }

  /** A block is on disk: now the API, its waiters and listeners may see it. */
  private durable(head: ChainHead, block: Block, result: BlockResult, certificate: CommitCertificate) {
    const height = head.height;
    this.durableHead = head;
    this.stats.height = height;
    this.stats.committedTxs += block.txs.length;
    const blockHashHex = toHex(result.hash);
    for (const receipt of result.receipts) {
      const key = toHex(receipt.txId);
      const list = this.waiters.get(key);
      if (list) {
        this.waiters.delete(key);
        for (const w of list) w({ height, blockHash: blockHashHex, receipt });
      }
    }
    const committed: CommittedBlock = { height, hash: result.hash, block, certificate, result };
    for (const listener of this.blockListeners) {
      try {
        listener(committed);
      } catch (error) {
        this.opts.logger.error({ err: error }, 'block listener failed');
      }
    }
  }

  private observeState() {
    try {
      this.opts.onState?.(this.headValue, this.state);
    } catch (error) {
      this.opts.logger.error({ err: error }, 'state listener failed');
    }
  }

  private noteAssetKey(key: string, present: boolean) {
    if (!key.startsWith(ASSET_PREFIX)) return;
    const symbol = key.slice(ASSET_PREFIX.length);
    if (present === this.symbols.has(symbol)) return;
    if (present) this.symbols.add(symbol);
    else this.symbols.delete(symbol);
    this.symbolList = [...this.symbols].sort();
  }

  /** No more consensus steps or timers (stop, or a block that could not be stored). */
  private halt() {
    this.stopped = true;
    if (this.maintenance) this.clockwork.clearInterval(this.maintenance);
    this.maintenance = null;
    for (const timer of this.timers) this.clockwork.clearTimeout(timer);
    this.timers.clear();
    if (this.heightStartTimer) this.clockwork.clearTimeout(this.heightStartTimer);
  }

  /** Wait for txs (or the heartbeat interval) before starting the next height. */
  private scheduleNextHeight() {
    if (this.stopped) return;
    this.waitingForTxs = true;
    this.heightStartedAt = 0;
    if (this.heightStartTimer) this.clockwork.clearTimeout(this.heightStartTimer);
    if (this.mempool.hasReady(this.state)) return this.startNextHeightSoon();
    this.heightStartTimer = this.clockwork.setTimeout(
      () => this.startNextHeight(),
      this.limits.emptyBlockIntervalMs,
    );
  }

  private startNextHeightSoon() {
    if (!this.waitingForTxs) return;
    if (this.heightStartTimer) this.clockwork.clearTimeout(this.heightStartTimer);
    // Under load a block's worth is already waiting: the pause would only add latency.
    const sinceCommit = this.now() - this.lastCommitAt;
    const delay = this.mempool.size >= this.limits.fullBlockTxs ? 0 : this.limits.commitDelayMs - sinceCommit;
    this.heightStartTimer = this.clockwork.setTimeout(() => this.startNextHeight(), Math.max(0, delay));
  }

  private startNextHeight() {
    if (!this.waitingForTxs || this.stopped) return;
    this.waitingForTxs = false;
    this.heightStartTimer = null;
    // What this validator signed for the height is read back even when it never restarted in between:
    // with the previous block's write in flight, a crash can leave this height's WAL on disk ahead of
    // that block, and a restart re-enters both heights.
    const height = this.headValue.height + 1;
    this.heightStartedAt = this.now();
    this.enqueue(async () => {
      let wal: Awaited<ReturnType<NodeStorage['walFor']>>;
      try {
        wal = await this.store.walFor(height);
      } catch (error) {
        this.databaseFailed(error, 'reading the consensus log');
        return [];
      }
      return this.machine.enterHeight(this.now(), wal);
    });
  }

  /**
   * Can this node make progress? Problems it sees on its own: its database fails (consensus paused),
   * it is stopped,
   * a height undecided for `stallAfterMs`, a mempool that has held txs without shrinking for
   * `mempoolStuckAfterMs`. (Whether enough validators are linked is the network's to say: see the API.)
   */
  health(): NodeHealth {
    const limits = { ...defaultHealthLimits, ...this.opts.health };
    const now = this.now();
    const problems: NodeHealth['problems'] = [];
    const down = this.databaseDown;
    if (down)
      problems.push({
        code: 'database',
        message: `the database failed ${down.doing} ${Math.round((now - down.since) / 1000)} s ago (${down.error.message}): consensus paused, retrying; nothing committed is lost`,
      });
    else if (this.stopped) problems.push({ code: 'halted', message: 'the node is stopped' });
    const deciding =
      !this.waitingForTxs && this.heightStartedAt > 0 && this.machine
        ? { height: this.machine.height, round: this.machine.round, forMs: now - this.heightStartedAt }
        : null;
    if (deciding && !this.stopped && deciding.forMs > limits.stallAfterMs)
      problems.push({
        code: 'stalled',
        message: `height ${deciding.height} undecided for ${Math.round(deciding.forMs / 1000)} s (round ${deciding.round})`,
      });
    const m = this.mempool.stats;
    const stuckForMs = m.size > 0 ? now - m.lastDrainAt : 0;
    if (stuckForMs > limits.mempoolStuckAfterMs)
      problems.push({
        code: 'mempool_stuck',
        message: `${m.size} txs (${m.executable} executable, ${m.future} future) waiting and none committed or expired for ${Math.round(stuckForMs / 1000)} s`,
      });
    return { ok: problems.length === 0, problems, deciding, mempool: { ...m, stuckForMs } };
  }
}
