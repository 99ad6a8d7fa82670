// What a chain node needs from its surroundings, as interfaces: where it stores the chain, how it tells
// time and sets timers. Production passes nothing and gets the database-backed ChainStore and the
// process's clock and timers; the simulator passes in-memory storage that can lose unflushed writes and
// timers on a simulated clock, and runs the very same node.
import type { WalRecord } from '@gongxin/consensus';
import type {
  Block,
  BlockResult,
  CommitCertificate,
  GenesisDocument,
  Validator,
  Writes,
} from '@gongxin/ledger';
import type { LoadedChain, StoredBlock } from './storage/store';

/** The chain's durable storage as the node and its peer network use it. */
export interface NodeStorage {
  /** Create or upgrade the schema. */
  migrate(): Promise<void>;
  /** Write genesis if empty (true), or check the storage holds this very chain (false; throws if not). */
  initGenesis(
    doc: GenesisDocument,
    genesisHash: Uint8Array,
    stateRoot: Uint8Array,
    writes: Writes,
    validators: Validator[],
  ): Promise<boolean>;
  load(chainId: string): Promise<LoadedChain>;
  /** Store a decided block and everything it did, atomically; durable when it resolves. */
  commitBlock(block: Block, certificate: CommitCertificate, result: BlockResult): Promise<void>;
  /** Store consecutive decided blocks in one transaction: all of them or none; durable when it resolves. */
  commitBlocks(
    items: readonly { block: Block; certificate: CommitCertificate; result: BlockResult }[],
  ): Promise<void>;
  /** Append a consensus log record; durable when it resolves. */
  appendWal(record: WalRecord): Promise<void>;
  walFor(height: number): Promise<WalRecord[]>;
  blockAt(height: number): Promise<StoredBlock | undefined>;
  blocksFrom(height: number, limit: number): Promise<StoredBlock[]>;
  /** Time spent building block writes on this thread (ms, synchronous parts), when the storage counts it. */
  readonly buildMs?: number;
}

/** A timer as `Timers` hands it out: opaque, only ever passed back to clear it. */
export type TimerHandle = object;

/** The clock and timers a node and its network run on. */
export interface Timers {
  /** Wall-clock time, ms since the epoch. */
  now(): number;
  setTimeout(run: () => void, ms: number): TimerHandle;
  clearTimeout(timer: TimerHandle | null | undefined): void;
  setInterval(run: () => void, ms: number): TimerHandle;
  clearInterval(timer: TimerHandle | null | undefined): void;
}

/** The process's own clock and timers. */
export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => {
    if (timer) clearTimeout(timer as NodeJS.Timeout);
  },
  setInterval: (run, ms) => setInterval(run, ms),
  clearInterval: (timer) => {
    if (timer) clearInterval(timer as NodeJS.Timeout);
  },
};

/** Let a repeating timer not keep the process alive on its own (when the timer is a real one). */
export function unrefTimer(timer: TimerHandle): void {
  (timer as { unref?: () => void }).unref?.();
}
