// The mempool: transactions waiting for a block. Admission runs every check that needs no contract —
// shape, chain id, signing key, signature, nonce not stale — so a block proposal never carries a forged
// or replayed tx from this node. Per sender, txs are ordered by nonce; a proposal takes each sender's
// contiguous run from its next nonce (the *executable* txs); txs beyond a gap in the nonces are *future*.
//
// Keys are free, so the pool must hold under a flood of txs that can never run (the anchors' answers,
// Ethereum's txpool and CometBFT's mempool, tightened):
// - a tx more than `maxNonceGap` ahead of its sender's next executable nonce is refused outright, before
//   its signature is checked;
// - future txs are bounded in all (`maxFutureTxs`) and expire after `futureTtlMs` or `futureTtlBlocks`;
// - per sender (`maxPerSender`) and per relaying peer (`maxPerPeer`) quotas;
// - when full, a newcomer evicts a tx of lower priority instead of being refused: executable before
//   future, and among each, senders identified on chain (an attested passport DID) before funded ones
//   before anonymous ones. Only a newcomer that outranks nothing waiting is answered "busy, retry";
// - it tracks when it last drained, so health can report a pool that does not.
import {
  type Address,
  type CryptoSuite,
  checkTx,
  decodeTx,
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
  /** Txs of one sender waiting at once (executable and future). */
  maxPerSender: number;
  /** A tx whose nonce is more than this ahead of its sender's next executable nonce is refused. */
  maxNonceGap: number;
  /** Future txs (waiting behind a nonce gap) in all. */
  maxFutureTxs: number;
  /** Txs first received from one peer waiting at once. */
  maxPerPeer: number;
  /** A future tx still not executable this long after admission is dropped. */
  futureTtlMs: number;
  /** …or this many blocks after admission. */
  futureTtlBlocks: number;
}

export const defaultMempoolLimits: MempoolLimits = {
  maxTxs: 100_000,
  maxBytes: 128 * 1024 * 1024,
  maxPerSender: 2_000,
  maxNonceGap: 32,
  maxFutureTxs: 10_000,
  maxPerPeer: 50_000,
  futureTtlMs: 60_000,
  futureTtlBlocks: 30,
};

/** How far a sender is trusted: 2 identified on chain, 1 funded, 0 anonymous. */
export type SenderTier = 0 | 1 | 2;
export type SenderTierOf = (state: StateReader, address: Address) => SenderTier;

const ATTESTATION_PREFIX = 'identity/attestation/';
export const ASSET_PREFIX = 'assets/asset/';
const BALANCE_PREFIX = 'assets/bal/';

/**
 * The default tier from the state-key conventions the node already reads generically (docs/api.md):
 * a live attestation at `identity/attestation/<address>` (a passport DID an authority attested) is
 * identified; a balance of any asset (`assets/bal/<SYMBOL>/<address>`) is funded. `symbols` lists the
 * assets to look at (one probe each).
 */
export function conventionalTier(symbols: () => readonly string[]): SenderTierOf {
  return (state, address) => {
    const attestation = state.get(ATTESTATION_PREFIX + address) as { revoked?: unknown } | undefined;
    if (attestation && typeof attestation === 'object' && attestation.revoked === undefined) return 2;
    for (const symbol of symbols())
      if (state.get(`${BALANCE_PREFIX}${symbol}/${address}`) !== undefined) return 1;
    return 0;
  };
}

interface Sender {
  address: string;
  txs: Map<number, Entry>;
  /** The committed nonce (the next tx the chain will take from this sender). */
  next: number;
  /** One past the last executable nonce: next + the length of the contiguous run waiting here. */
  end: number;
  tier: SenderTier;
}

interface Entry {
  tx: SignedTx;
  /** `txKey` of its wire bytes. */
  key: string;
  idHex: string;
  nonce: number;
  sender: Sender;
  future: boolean;
  at: number;
  /** The committed height when it was admitted. */
  height: number;
  peer: string | null;
}

export interface MempoolStats {
  size: number;
  bytes: number;
  executable: number;
  future: number;
  senders: number;
  evicted: number;
  expired: number;
  refusedGap: number;
  refusedFull: number;
  /** When the pool was last empty or last shrank by a commit or an expiry (ms, the node's clock). */
  lastDrainAt: number;
}

export interface AdmitOptions {
  /** `txKey` of the bytes, when the caller has it. */
  key?: string;
  /** The peer (node key, hex) the tx came from; absent for local submissions. */
  peer?: string | null;
  /** The committed height, for height-based expiry. */
  height?: number;
  /** The tx decoded from exactly these bytes (by `triage`), so it is not decoded again. */
  decoded?: SignedTx;
  /** Its signature was verified already (by a verifier thread): the check is not repeated. */
  signatureVerified?: boolean;
}

/** What `triage` found: a tx already waiting, or one to verify and then admit. */
export type Triage =
  | { duplicate: true; id: string; key: string }
  | { duplicate: false; key: string; decoded: SignedTx; next: number; end: number };

const priorityOf = (future: boolean, tier: SenderTier) => (future ? tier : 3 + tier);

export class Mempool {
  private readonly senders = new Map<string, Sender>();
  private readonly byKey = new Map<string, Entry>();
  /** Senders with at least one executable tx, by tier (insertion order). */
  private readonly readyByTier: Set<Sender>[] = [new Set(), new Set(), new Set()];
  /** Future txs by tier, oldest first. */
  private readonly futureByTier: Map<string, Entry>[] = [new Map(), new Map(), new Map()];
  private readonly perPeer = new Map<string, number>();
  private futureCount = 0;
  private bytes = 0;
  private readonly counts = { evicted: 0, expired: 0, refusedGap: 0, refusedFull: 0 };
  private lastDrainAt: number;
  /**
   * The txs admitted here, decoded and verified, by `txKey`: executeBlock takes them as they are instead
   * of decoding and verifying the same bytes again (ExecuteOptions.admitted).
   */
  readonly admitted = {
    get: (key: string): SignedTx | undefined => this.byKey.get(key)?.tx,
  };
  readonly limits: MempoolLimits;

  constructor(
    private readonly env: RuntimeEnv,
    private readonly chainId: string,
    limits: Partial<MempoolLimits> = {},
    private readonly tierOf: SenderTierOf = () => 0,
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...defaultMempoolLimits, ...limits };
    this.lastDrainAt = now();
  }

  get size(): number {
    return this.byKey.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  get stats(): MempoolStats {
    return {
      size: this.byKey.size,
      bytes: this.bytes,
      executable: this.byKey.size - this.futureCount,
      future: this.futureCount,
      senders: this.senders.size,
      ...this.counts,
      lastDrainAt: this.byKey.size === 0 ? this.now() : this.lastDrainAt,
    };
  }

  private get suite(): CryptoSuite {
    return this.env.suite;
  }

  /**
   * Admit a tx against the committed state. Returns its id (hex) and its `txKey`, which the caller may
   * pass in when it has it already (gossip computes it for its seen-set). Throws TxRejected with a typed
   * reason, or MempoolFull when there is no room for it (nothing of lower priority to make way).
   */
  add(
    bytes: Uint8Array,
    state: StateReader,
    opts: AdmitOptions | string = {},
  ): { id: string; key: string; duplicate: boolean } {
    const o = typeof opts === 'string' ? { key: opts } : opts;
    const triage = this.triage(bytes, state, o);
    if (triage.duplicate) return { id: triage.id, key: triage.key, duplicate: true };
    const { key, decoded, next, end } = triage;
    const peer = o.peer ?? null;
    const from = decoded.body.from;
    const nonce = decoded.body.nonce;
    let sender = this.senders.get(from);
    const tx = checkTx(this.env, state, this.chainId, bytes, {
      nonce: 'not-stale',
      decoded,
      signatureVerified: o.signatureVerified === true && o.decoded === decoded,
    });
    if (sender?.txs.has(nonce)) {
      throw new TxRejected(
        'bad_nonce',
        `another transaction with nonce ${nonce} from ${from} is already waiting`,
      );
    }
    if (sender && sender.txs.size >= this.limits.maxPerSender) {
      this.counts.refusedFull++;
      throw new MempoolFull(
        `${from} already has ${sender.txs.size} transactions waiting: busy, retry after they commit`,
      );
    }
    const tier = sender ? sender.tier : this.tierOf(state, from);
    const future = nonce !== end;
    const priority = priorityOf(future, tier);
    // Make room: first under the future cap, then under the pool's own limits.
    if (future && this.futureCount >= this.limits.maxFutureTxs && !this.evictFuture(priority)) {
      this.counts.refusedFull++;
      throw new MempoolFull(
        `${this.futureCount} txs already wait behind nonce gaps: send the missing nonces first`,
      );
    }
    while (this.byKey.size >= this.limits.maxTxs || this.bytes + bytes.length > this.limits.maxBytes) {
      if (!this.evict(priority, sender)) {
        this.counts.refusedFull++;
        throw new MempoolFull(`mempool is full (${this.byKey.size} txs): busy, retry shortly`);
      }
    }
    if (!sender) {
      sender = { address: from, txs: new Map(), next, end, tier };
      this.senders.set(from, sender);
    }
    const entry: Entry = {
      tx,
      key,
      idHex: toHex(tx.id),
      nonce,
      sender,
      future,
      at: this.now(),
      height: o.height ?? 0,
      peer,
    };
    sender.txs.set(nonce, entry);
    this.byKey.set(key, entry);
    this.bytes += bytes.length;
    if (peer !== null) this.perPeer.set(peer, (this.perPeer.get(peer) ?? 0) + 1);
    if (future) {
      this.futureByTier[tier]!.set(key, entry);
      this.futureCount++;
    } else {
      sender.end++;
      this.promote(sender);
      this.readyByTier[tier]!.add(sender);
    }
    return { id: entry.idHex, key, duplicate: false };
  }

  /**
   * The checks that cost no signature check, in the order `add` runs them: a tx already waiting, a peer
   * over its quota, bytes that do not decode, a nonce too far ahead. Batch admission runs this first and
   * sends only the survivors' signatures to the verifier threads, so a flood of txs that would be refused
   * anyway costs no verification.
   */
  triage(bytes: Uint8Array, state: StateReader, o: AdmitOptions = {}): Triage {
    const key = o.key ?? txKey(this.suite, bytes);
    const known = this.byKey.get(key);
    if (known) return { duplicate: true, id: known.idHex, key };
    const peer = o.peer ?? null;
    if (peer !== null && (this.perPeer.get(peer) ?? 0) >= this.limits.maxPerPeer) {
      this.counts.refusedFull++;
      throw new MempoolFull(`peer ${peer.slice(0, 16)}… already has ${this.limits.maxPerPeer} txs waiting`);
    }
    const decoded = o.decoded ?? decodeTx(this.suite, bytes);
    const from = decoded.body.from;
    const nonce = decoded.body.nonce;
    const sender = this.senders.get(from);
    const next = sender ? sender.next : nonceOf(state, from);
    const end = sender ? sender.end : next;
    if (nonce >= next && nonce - end > this.limits.maxNonceGap) {
      this.counts.refusedGap++;
      throw new TxRejected(
        'bad_nonce',
        `nonce ${nonce} is ${nonce - end} ahead of ${from}'s next executable nonce ${end} (at most ${this.limits.maxNonceGap} allowed): send the txs in between first`,
      );
    }
    return { duplicate: false, key, decoded, next, end };
  }

  /** Future txs that the sender's run now reaches become executable. */
  private promote(sender: Sender) {
    for (let e = sender.txs.get(sender.end); e; e = sender.txs.get(sender.end)) {
      if (e.future) {
        e.future = false;
        this.futureByTier[sender.tier]!.delete(e.key);
        this.futureCount--;
      }
      sender.end++;
    }
  }

  private remove(entry: Entry) {
    const sender = entry.sender;
    sender.txs.delete(entry.nonce);
    this.byKey.delete(entry.key);
    this.bytes -= entry.tx.bytes.length;
    if (entry.peer !== null) {
      const n = (this.perPeer.get(entry.peer) ?? 1) - 1;
      if (n <= 0) this.perPeer.delete(entry.peer);
      else this.perPeer.set(entry.peer, n);
    }
    if (entry.future) {
      this.futureByTier[sender.tier]!.delete(entry.key);
      this.futureCount--;
    }
    if (sender.txs.size === 0) {
      this.senders.delete(sender.address);
      this.readyByTier[sender.tier]!.delete(sender);
    }
  }

  /** Drop the oldest future tx of priority below `priority`; false if there is none. */
  private evictFuture(priority: number): boolean {
    for (let tier = 0; tier < 3 && tier < priority; tier++) {
      const oldest = this.futureByTier[tier]!.values().next();
      if (!oldest.done) {
        this.remove(oldest.value);
        this.counts.evicted++;
        return true;
      }
    }
    return false;
  }

  /**
   * Make room for a newcomer of `priority`: drop a future tx of lower priority, else the last executable
   * tx of a sender of lower priority (the tail of its run, so no gap opens). Never the newcomer's own
   * sender's run. False when nothing waiting ranks below the newcomer.
   */
  private evict(priority: number, own: Sender | undefined): boolean {
    if (this.evictFuture(priority)) return true;
    for (let tier = 0 as SenderTier; tier < 3 && 3 + tier < priority; tier++) {
      for (const sender of this.readyByTier[tier]!) {
        if (sender === own) continue;
        const last = sender.txs.get(sender.end - 1);
        if (!last) continue;
        // Its tail: whatever the sender has beyond it was future already (nonces from `end` on are).
        sender.end--;
        if (sender.end <= sender.next) this.readyByTier[tier]!.delete(sender);
        this.remove(last);
        this.counts.evicted++;
        return true;
      }
    }
    return false;
  }

  /** Txs for the next block: each sender's run of consecutive nonces from its committed nonce, fairly interleaved. */
  reap(state: StateReader, maxTxs: number, maxBytes: number): Uint8Array[] {
    const runs: Entry[][] = [];
    // Identified senders' runs first, then funded, then anonymous: under load the block fills by priority.
    for (let tier = 2; tier >= 0; tier--) {
      for (const sender of this.readyByTier[tier]!) {
        const run: Entry[] = [];
        for (let n = nonceOf(state, sender.address); sender.txs.has(n); n++) run.push(sender.txs.get(n)!);
        if (run.length) runs.push(run);
      }
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
  hasReady(_state?: StateReader): boolean {
    return this.readyByTier.some((set) => set.size > 0);
  }

  /**
   * After a commit: drop every tx whose nonce the chain has now passed (committed or replaced), let
   * future txs the chain has reached become executable, and expire future txs that waited too long.
   * The touched senders' tiers are read again (their balance or attestation may have changed).
   */
  update(state: StateReader, touchedSenders: Iterable<string>, height = 0): void {
    const sizeBefore = this.byKey.size;
    for (const from of touchedSenders) {
      const sender = this.senders.get(from);
      if (!sender) continue;
      const next = nonceOf(state, from);
      if (next !== sender.next) {
        for (const [nonce, entry] of sender.txs) if (nonce < next) this.remove(entry);
        sender.next = next;
        if (sender.end < next) sender.end = next;
        this.promote(sender);
      }
      const tier = this.tierOf(state, from);
      if (tier !== sender.tier && this.senders.has(from)) this.retier(sender, tier);
      if (this.senders.has(from)) {
        if (sender.end > sender.next) this.readyByTier[sender.tier]!.add(sender);
        else this.readyByTier[sender.tier]!.delete(sender);
      }
    }
    this.expire(height);
    if (this.byKey.size < sizeBefore || this.byKey.size === 0) this.lastDrainAt = this.now();
  }

  /**
   * The committed state was reloaded (the node resumed from its database, which may be a block behind
   * what memory had): every sender's next nonce is read again and its executable run rebuilt from it.
   */
  resync(state: StateReader): void {
    for (const sender of [...this.senders.values()]) {
      const next = nonceOf(state, sender.address);
      for (const [nonce, entry] of sender.txs) if (nonce < next) this.remove(entry);
      if (!this.senders.has(sender.address)) continue;
      for (const e of sender.txs.values()) {
        if (e.future) continue;
        e.future = true;
        this.futureByTier[sender.tier]!.set(e.key, e);
        this.futureCount++;
      }
      sender.next = next;
      sender.end = next;
      this.promote(sender);
      if (sender.end > sender.next) this.readyByTier[sender.tier]!.add(sender);
      else this.readyByTier[sender.tier]!.delete(sender);
    }
  }

  private retier(sender: Sender, tier: SenderTier) {
    this.readyByTier[sender.tier]!.delete(sender);
    for (const e of sender.txs.values()) {
      if (!e.future) continue;
      this.futureByTier[sender.tier]!.delete(e.key);
      this.futureByTier[tier]!.set(e.key, e);
    }
    sender.tier = tier;
  }

  /** Drop future txs older than the time or height limit (at most `maxFutureTxs` to look at). */
  expire(height: number): number {
    const now = this.now();
    let dropped = 0;
    for (const list of this.futureByTier) {
      for (const entry of list.values()) {
        const old = now - entry.at > this.limits.futureTtlMs;
        const stale = height - entry.height > this.limits.futureTtlBlocks;
        if (!old && !stale) continue;
        this.remove(entry);
        dropped++;
      }
    }
    this.counts.expired += dropped;
    if (dropped > 0) this.lastDrainAt = now;
    return dropped;
  }
}
