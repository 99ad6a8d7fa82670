// The node's storage in memory, with a disk that survives crashes and writes that take time to reach it.
// A write is durable once its promise resolves (the node relies on exactly that: a vote goes out only
// after its WAL record is durable, a block is announced only once stored). What is still in flight when
// the node crashes is, write by write, lost (most often), torn (a WAL record half written: its checksum
// fails and reading the WAL drops it, as a log file's reader would) or landed after all (on disk, though
// the node never heard so). A block's write is one transaction: it lands whole or not at all.
//
// The disk outlives the storage object: a restarted node gets a new MemoryStorage on the same disk.

import type { WalRecord } from '@gongxin/consensus';
import {
  type Block,
  type BlockResult,
  type ChainHead,
  type CommitCertificate,
  type GenesisDocument,
  MemoryState,
  toHex,
  type Validator,
  validatorsOf,
  type Writes,
} from '@gongxin/ledger';
import {
  decodeWalRecord,
  encodeWalRecord,
  type LoadedChain,
  type NodeStorage,
  type StoredBlock,
} from '@gongxin/node';
import type { HeldChain } from './history';
import type { Committed } from './node';
import type { Rng } from './prng';

/** A stored block, also in the shape the checker reads. */
export type DiskBlock = StoredBlock & Committed;

interface WalEntry {
  height: number;
  bytes: Uint8Array;
  checksum: number;
}

/** What survives a crash. */
export class Disk {
  genesis: { hash: Uint8Array; time: number; stateRoot: Uint8Array } | null = null;
  readonly state = new MemoryState();
  blocks: DiskBlock[] = [];
  wal: WalEntry[] = [];
  /** Torn WAL records found (and dropped) while reading. */
  tornRead = 0;

  get height(): number {
    return this.blocks.length === 0 ? 0 : this.blocks[this.blocks.length - 1]!.height;
  }

  /**
   * Hold a chain built before the run (the 'far-behind' history) as if it had been committed here: its
   * genesis, its blocks (shared with other disks, never modified: this disk's list is its own) and the
   * state they end in. Only before the node first starts.
   */
  adopt(chain: HeldChain): void {
    if (this.genesis || this.blocks.length > 0) throw new Error('this disk already holds a chain');
    const g = chain.genesis;
    this.genesis = { hash: g.blockHash, time: g.time, stateRoot: g.stateRoot };
    this.blocks = chain.blocks.slice();
    for (const [key, value] of chain.state.entries) this.state.entries.set(key, value);
  }
}

export interface StorageIo {
  /** Run `run` after `ms` of simulated time. */
  after(ms: number, run: () => void): void;
  /** How long the next write takes to become durable. */
  writeLatency(): number;
  /** Called as a write is issued, before it is durable (the simulation may crash the node right here). */
  issued?(kind: 'wal' | 'block'): void;
}

export interface CrashOutcome {
  lost: number;
  torn: number;
  landed: number;
}

interface Pending {
  kind: 'wal' | 'block';
  land: () => void;
  tear: (() => void) | null;
}

/** FNV-1a over bytes: the WAL record checksum. */
function checksum(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}

export class MemoryStorage implements NodeStorage {
  private alive = true;
  private readonly pending = new Set<Pending>();

  constructor(
    readonly disk: Disk,
    private readonly io: StorageIo,
  ) {}

  async migrate(): Promise<void> {}

  async initGenesis(
    doc: GenesisDocument,
    genesisHash: Uint8Array,
    stateRoot: Uint8Array,
    writes: Writes,
    _validators: Validator[],
  ): Promise<boolean> {
    const d = this.disk;
    if (d.genesis) {
      if (toHex(d.genesis.hash) !== toHex(genesisHash))
        throw new Error('the storage holds another chain than this genesis');
      return false;
    }
    d.genesis = { hash: genesisHash, time: doc.time, stateRoot };
    d.state.apply(writes);
    return true;
  }

  async load(chainId: string): Promise<LoadedChain> {
    const d = this.disk;
    if (!d.genesis) throw new Error('the storage has no genesis');
    const state = new MemoryState([...d.state.entries]);
    const last = d.blocks[d.blocks.length - 1];
    const head: ChainHead = last
      ? {
          chainId,
          height: last.height,
          blockHash: last.hash,
          time: last.block.header.time,
          stateRoot: last.block.header.stateRoot,
        }
      : {
          chainId,
          height: 0,
          blockHash: d.genesis.hash,
          time: d.genesis.time,
          stateRoot: d.genesis.stateRoot,
        };
    return { head, state, validators: validatorsOf(state), genesisHash: d.genesis.hash };
  }

  commitBlock(block: Block, certificate: CommitCertificate, result: BlockResult): Promise<void> {
    return this.commitBlocks([{ block, certificate, result }]);
  }

  /** Several consecutive blocks as one write: a crash loses or lands them all, never part. */
  commitBlocks(
    items: readonly { block: Block; certificate: CommitCertificate; result: BlockResult }[],
  ): Promise<void> {
    return this.write('block', () => {
      const d = this.disk;
      for (const { block, certificate, result } of items) {
        const height = block.header.height;
        if (height !== d.height + 1) throw new Error(`block ${height} stored on top of ${d.height}`);
        d.blocks.push({
          height,
          hash: result.hash,
          hashHex: toHex(result.hash),
          round: certificate.round,
          block,
          certificate,
        });
        d.state.apply(result.writes);
        d.wal = d.wal.filter((r) => r.height > height);
      }
    });
  }

  appendWal(record: WalRecord): Promise<void> {
    const bytes = encodeWalRecord(record);
    const entry = { height: record.height, bytes, checksum: checksum(bytes) };
    return this.write(
      'wal',
      () => this.disk.wal.push(entry),
      () => this.disk.wal.push({ ...entry, bytes: bytes.subarray(0, bytes.length >> 1) }),
    );
  }

  async walFor(height: number): Promise<WalRecord[]> {
    const out: WalRecord[] = [];
    for (const r of this.disk.wal) {
      if (r.height !== height) continue;
      if (checksum(r.bytes) !== r.checksum) {
        this.disk.tornRead++;
        continue;
      }
      out.push(decodeWalRecord(r.bytes));
    }
    return out;
  }

  async blockAt(height: number): Promise<StoredBlock | undefined> {
    return this.disk.blocks[height - 1];
  }

  async blocksFrom(height: number, limit: number): Promise<StoredBlock[]> {
    return this.disk.blocks.slice(height - 1, height - 1 + limit);
  }

  /**
   * The node crashed: each write still in flight is lost, torn or lands, and nothing this storage was
   * asked for ever answers again (the node that asked is gone).
   */
  crash(rng: Rng, chances: { torn: number; landed: number }): CrashOutcome {
    const outcome: CrashOutcome = { lost: 0, torn: 0, landed: 0 };
    this.alive = false;
    for (const p of this.pending) {
      const roll = rng.float();
      if (roll < chances.landed) {
        p.land();
        outcome.landed++;
      } else if (p.tear && roll < chances.landed + chances.torn) {
        p.tear();
        outcome.torn++;
      } else outcome.lost++;
    }
    this.pending.clear();
    return outcome;
  }

  private write(kind: 'wal' | 'block', land: () => void, tear?: () => void): Promise<void> {
    if (!this.alive) return new Promise<void>(() => {});
    return new Promise<void>((resolve, reject) => {
      const p: Pending = { kind, land, tear: tear ?? null };
      this.pending.add(p);
      this.io.after(this.io.writeLatency(), () => {
        if (!this.alive || !this.pending.delete(p)) return;
        try {
          land();
          resolve();
        } catch (error) {
          reject(error);
        }
      });
      this.io.issued?.(kind);
    });
  }
}
