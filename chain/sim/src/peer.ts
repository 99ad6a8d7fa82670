// What the simulation, the checker and the other nodes need of a simulated node, whichever drives it:
// the simulator's own driver (SimNode: the machine alone, with byzantine behaviour) or the production
// node (ReplicaNode: ChainNode on simulated storage, time and network).
import type { HeldChain } from './history';
import type { Committed } from './node';

/** One committed block as a sync answer carries it (encoded, as on the wire). */
export interface SyncEntry {
  block: Uint8Array;
  certificate: Uint8Array;
}

export interface SimPeer {
  readonly index: number;
  readonly byzantine: boolean;
  readonly name: string;
  /** Running (false between a crash and its restart). */
  readonly up: boolean;
  /** Bumped on every crash and restart: timers and deliveries of an older life are void. */
  readonly epoch: number;
  /** The height of its last durable block. */
  readonly height: number;
  readonly round: number;
  /** What it has on disk: the chain the durability checker and the audit read. */
  readonly durable: { readonly chain: readonly Committed[] };
  readonly armed: boolean;
  describe(): string;
  /** Before it first starts: hold a chain built before the run, as committed (see history.ts). */
  adopt(chain: HeldChain): void;
  start(): void;
  crash(reason: string): void;
  /** Crash at the next moment it has something half done (see each driver). */
  armCrash(): void;
  disarm(): void;
  restart(): void;
  /** A consensus message (wire bytes) from node `from`. */
  receive(from: number, bytes: Uint8Array): void;
  /** A peer's status: its durable height. */
  receiveStatus(from: number, height: number): void;
  /** A tx a peer passes on. */
  receiveTx(from: number, bytes: Uint8Array): void;
  /** A peer asks for committed blocks from `from` on; the answer goes to `to.receiveSync`. */
  answerSync(to: SimPeer, from: number, requesterEpoch: number, limit?: number): void;
  /** The answer to a sync request from `from` on (no entries: the peer has none from there). */
  receiveSync(peer: SimPeer, from: number, entries: SyncEntry[], epoch: number): void;
}
