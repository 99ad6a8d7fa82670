// The mempool: transactions waiting for a block. Admission runs every check that needs no contract —
// shape, chain id, signing key, signature, nonce not stale — so a block proposal never carries a forged
// or replayed tx from this node. Per sender, txs are ordered by nonce; a proposal takes each sender's
// contiguous run from its next nonce. When full it answers "busy, retry" instead of growing without bound.
import {
  type CryptoSuite,
  checkTx,
  nonceOf,
  type RuntimeEnv,
  type SignedTx,
  type StateReader,
  TxRejected,
  toHex,
  txKey,
} from '@gongxin/ledger';

/**
 * Longest run of admissions (a signature check each) before other events get their turn: API batches and
 * txs from peers are admitted in slices this long, so consensus is not held up behind them.
 */
export const ADMISSION_SLICE_MS = 5;

export class MempoolFull extends Error {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs = 1000) {
    super(message);
    this.name = 'MempoolFull';
    this.retryAfterMs = retryAfterMs;
  }
}

export interface MempoolLimits {
  maxTxs: number;
  maxBytes: number;
  maxPerSender: number;
}

export const defaultMempoolLimits: MempoolLimits = {
  maxTxs: 100_000,
  maxBytes: 128 * 1024 * 1024,
  maxPerSender: 2_000,
};

interface Entry {
  tx: SignedTx;
  /** `txKey` of its wire bytes. */
  key: string;
  idHex: string;
}

export class Mempool {
  private readonly bySender = new Map<string, Map<number, Entry>>();
  private readonly byKey = new Map<string, Entry>();
  /**
   * The txs admitted here, decoded and verified, by `txKey`: executeBlock takes them as they are instead
   * of decoding and verifying the same bytes again (ExecuteOptions.admitted).
   */
  readonly admitted = {
    get: (key: string): SignedTx | undefined => this.byKey.get(key)?.tx,
  };
  private bytes = 0;

  constructor(
    private readonly env: RuntimeEnv,
    private readonly chainId: string,
    private readonly limits: MempoolLimits = defaultMempoolLimits,
  ) {}

  get size(): number {
    return this.byKey.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  private get suite(): CryptoSuite {
    return this.env.suite;
  }

  /**
   * Admit a tx against the committed state. Returns its id (hex) and its `txKey`, which the caller may
   * pass in when it has it already (gossip computes it for its seen-set). Throws TxRejected with a typed
   * reason, or MempoolFull when there is no room.
   */
  add(
    bytes: Uint8Array,
    state: StateReader,
    key: string = txKey(this.suite, bytes),
  ): { id: string; key: string; duplicate: boolean } {
    const known = this.byKey.get(key);
    if (known) return { id: known.idHex, key, duplicate: true };
    if (this.byKey.size >= this.limits.maxTxs || this.bytes + bytes.length > this.limits.maxBytes) {
      throw new MempoolFull(`mempool is full (${this.byKey.size} txs): busy, retry shortly`);
    }
    const tx = checkTx(this.env, state, this.chainId, bytes, { nonce: 'not-stale' });
    const from = tx.body.from;
    let queue = this.bySender.get(from);
    if (!queue) {
      queue = new Map();
      this.bySender.set(from, queue);
    }
    if (queue.has(tx.body.nonce)) {
      throw new TxRejected(
        'bad_nonce',
        `another transaction with nonce ${tx.body.nonce} from ${from} is already waiting`,
      );
    }
    if (queue.size >= this.limits.maxPerSender) {
      throw new MempoolFull(
        `${from} already has ${queue.size} transactions waiting: busy, retry after they commit`,
      );
    }
    const entry: Entry = { tx, key, idHex: toHex(tx.id) };
    queue.set(tx.body.nonce, entry);
    this.byKey.set(key, entry);
    this.bytes += bytes.length;
    return { id: entry.idHex, key, duplicate: false };
  }

  /** Txs for the next block: each sender's run of consecutive nonces from its committed nonce, fairly interleaved. */
  reap(state: StateReader, maxTxs: number, maxBytes: number): Uint8Array[] {
    const runs: Entry[][] = [];
    for (const [from, queue] of this.bySender) {
      const run: Entry[] = [];
      for (let n = nonceOf(state, from); queue.has(n); n++) run.push(queue.get(n)!);
      if (run.length) runs.push(run);
    }
    const out: Uint8Array[] = [];
    let size = 0;
    // Round-robin across senders so one busy account cannot starve the others.
    for (let i = 0; out.length < maxTxs; i++) {
      let took = false;
      for (const run of runs) {
        const entry = run[i];
        if (!entry) continue;
        if (out.length >= maxTxs || size + entry.tx.bytes.length > maxBytes) return out;
        out.push(entry.tx.bytes);
        size += entry.tx.bytes.length;
        took = true;
      }
      if (!took) break;
    }
    return out;
  }

  /** Is any tx ready for the next block (its sender's next nonce is waiting)? Future-nonce txs are not. */
  hasReady(state: StateReader): boolean {
    for (const [from, queue] of this.bySender) if (queue.has(nonceOf(state, from))) return true;
    return false;
  }

  /** After a commit: drop every tx whose nonce the chain has now passed (committed or replaced). */
  update(state: StateReader, touchedSenders: Iterable<string>): void {
    for (const from of touchedSenders) {
      const queue = this.bySender.get(from);
      if (!queue) continue;
      const next = nonceOf(state, from);
      for (const [nonce, entry] of queue) {
        if (nonce < next) {
          queue.delete(nonce);
          this.byKey.delete(entry.key);
          this.bytes -= entry.tx.bytes.length;
        }
      }
      if (queue.size === 0) this.bySender.delete(from);
    }
  }
}
