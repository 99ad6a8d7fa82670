// One channel node of the superconducting network as a pure state machine, in the style of the consensus
// core: inputs (payments asked for, messages, persist confirmations, chain events, the current time) come
// in, effects (persist, send, chain actions, watcher hand-offs, payment outcomes) go out in order, and the
// machine never touches a network, disk, clock or random source itself. The same machine runs in the
// channel node and in the deterministic simulator.
//
// The rules that keep money safe:
//   - One balance proof per batch: all queued operations of one channel and asset go under one signature,
//     and all records of one input go into one durable write (group commit).
//   - Nothing leaves before it is durable: a signed batch is sent, and a received batch acknowledged (with
//     the receiver's countersignature), only after the driver confirmed the write that holds it.
//   - One batch in flight per direction: the next one is built while waiting for the acknowledgement, so
//     a busy channel batches more, not less.
//   - A lock is forwarded with an expiry shorter by more than the dispute window; a lock that cannot be
//     forwarded, fails downstream or expires there is failed upstream at once; a receiver never lets a
//     sender remove a lock while its own lock on the same hash is still exposed downstream.
//   - A known preimage is revealed on chain before the incoming lock's expiry if the sender has not paid
//     it off chain by then: the chain's preimage registry settles it on every hop, no channel is closed.
//   - No balance proof carries more pending locks than the contract takes (MAX_LOCKS): a new lock on a
//     direction that holds that many is refused (the payment fails, a forward is failed upstream), and a
//     received batch over the limit is refused, so every proof a node holds can be put on chain.
//   - A payment queued but not yet signed when the node stops was never sent: at the restart it fails
//     with NOT_SENT and its id is free again.
//   - A lock that fails on its route comes back with where and why, signed by the node that failed it and
//     relayed unchanged. Its payer may try the payment again (same id, same hashlock) under the next
//     attempt number, but only once the failed attempt's lock is removed and the removal acknowledged: at
//     most one attempt of a payment is ever pending, so its preimage settles exactly one.
//   - A failure that comes back for a lock is written (`failure` record) with the input that received it,
//     before the lock's removal is signed: a restart in between still knows where and why it failed, and
//     takes the lock back if the removal was not signed yet.

import {
  type CloseBalance,
  closeBytes,
  hashlockOf,
  MAX_LOCK_MS,
  MAX_LOCKS,
  type SignedBalanceProof,
  sumLocks,
} from '@gongxin/contracts';
import { addressFromPublicKey, type CryptoSuite, equalBytes, toHex } from '@gongxin/ledger';
import { countersignedBytes, proofBytes } from './canonical';
import {
  attemptOf,
  FAILURE_CODES,
  type FailureCode,
  failureBytes,
  type LockEntry,
  locksRootOfEntries,
  type Message,
  type Op,
  opsRoot,
  type RouteFailure,
} from './messages';

export interface ChannelInfo {
  readonly id: string;
  readonly a: string;
  readonly b: string;
  readonly aKey: Uint8Array;
  readonly bKey: Uint8Array;
  readonly disputeMs: number;
  /** Deposits per asset. */
  readonly deposits: { readonly [symbol: string]: { readonly a: bigint; readonly b: bigint } };
}

export interface NodeConfig {
  readonly suite: CryptoSuite;
  readonly chainId: string;
  readonly privateKey: Uint8Array;
  /** Most operations under one balance proof. */
  readonly maxBatch: number;
  /** A batch not acknowledged after this long is sent again. */
  readonly retransmitMs: number;
  /** How long before a lock's expiry a known preimage goes on chain if the lock is still unpaid. */
  readonly revealMarginMs: number;
  /** Expiry taken off per hop: must exceed every channel's dispute window. */
  readonly hopDeltaMs: number;
  /**
   * Test-only defect: acknowledge a batch before its write is confirmed. The simulator turns it on to show
   * that its checker catches an acknowledged state lost in a crash.
   */
  readonly ackBeforePersist?: boolean;
  /**
   * Test-only misbehaviour: accept locks and never forward, fail or reveal them (a griefing node). The
   * simulator uses it to show that such locks are refunded at their expiry without closing channels.
   */
  readonly holdLocks?: boolean;
  /**
   * How long a finished payment's id is remembered after its outcome (default 24 hours); see `pay` for
   * the idempotency this gives.
   */
  readonly paymentIdWindowMs?: number;
  /**
   * How long a cooperative close (`closeCooperatively`) may take before the node closes alone (default
   * COOP_CLOSE_MS): the peer is offline, or does not agree.
   */
  readonly coopCloseMs?: number;
}

/** The default of `NodeConfig.coopCloseMs`. */
export const COOP_CLOSE_MS = 30_000;

/** The default of `NodeConfig.paymentIdWindowMs`. */
export const PAYMENT_ID_WINDOW_MS = 24 * 3600_000;

/**
 * Why a payment failed at a restart: it was queued but its operation was in no signed batch the log
 * holds, so it never left the node (see `pay`). Its id is free again.
 */
export const NOT_SENT = 'the node stopped before it was sent';

/**
 * Why a payment failed, or a forward was refused: the channel direction it would take already holds the
 * most pending locks one balance proof may carry (the contract's MAX_LOCKS).
 */
export const LOCK_LIMIT = `too many pending locks: a balance proof carries at most ${MAX_LOCKS}`;

/**
 * Why `pay` refused an attempt after the first: the payment's previous attempt did not fail after its
 * lock went out (it is in flight, completed, or never existed), or the attempt or hashlock is not the next.
 */
export const NOT_RETRYABLE = 'not a retry of a failed attempt';

/** How a payment's failure reason starts when the hop that failed its lock is known (see failureReason). */
export const ROUTE_FAILURE = 'failed on its route: ';

/**
 * What a payer's driver keeps with a hash-locked payment to go on trying it after a restart (the machine
 * only stores it with the payment's record and gives it back in `paymentsInFlight`).
 */
export interface PaymentPlan {
  /** The payee (the route's last node). */
  readonly payee: string;
  /** Routes tried so far, this one included. */
  readonly tried: number;
  /** The latest a later attempt's lock may expire (ms, the node's clock). */
  readonly deadline: number;
  /** Hops (`from/to`) that failed this payment: no later attempt takes them. */
  readonly excluded: readonly string[];
}

/** What the node stores; it restarts from these records alone. */
export type DurableRecord =
  | { readonly t: 'channel'; readonly info: ChannelInfo }
  | { readonly t: 'status'; readonly channel: string; readonly status: ChannelStatus }
  | {
      readonly t: 'out';
      readonly channel: string;
      readonly asset: string;
      readonly transferred: bigint;
      readonly locks: readonly LockEntry[];
      readonly proof: SignedBalanceProof;
      readonly ops: readonly Op[];
    }
  | {
      readonly t: 'in';
      readonly channel: string;
      readonly asset: string;
      readonly transferred: bigint;
      readonly locks: readonly LockEntry[];
      readonly proof: SignedBalanceProof;
      readonly countersignature: Uint8Array;
    }
  /** A preimage learned from a peer or the chain, kept while a lock on it is pending. */
  | { readonly t: 'preimage'; readonly hashlock: string; readonly preimage: Uint8Array }
  /** A preimage this node made for an invoice of its own: kept until the invoice is paid. */
  | { readonly t: 'invoice'; readonly hashlock: string; readonly preimage: Uint8Array }
  /** An invoice of this node was paid: its preimage is no longer kept. */
  | { readonly t: 'paid'; readonly hashlock: string }
  /** An incoming lock this node will never claim (its preimage stays unrevealed). */
  | { readonly t: 'declined'; readonly hashlock: string }
  /**
   * A payment this node started. `queued`: written when `pay` queued it, in the write of that input; until
   * a later `out` record carries its operation it was in no signed batch, so it never left the node. A
   * record without `queued` (a checkpoint's, or one written when a payment that was never signed got its
   * outcome) stands for a payment whose outcome may have been reported. `plan`: the driver's plan for
   * the payment's later attempts, as `pay` was given it.
   */
  | {
      readonly t: 'payment';
      readonly id: string;
      readonly asset: string;
      readonly amount: bigint;
      readonly queued?: true;
      readonly plan?: PaymentPlan;
    }
  /**
   * An outgoing lock on `hashlock` (its `attempt`) failed downstream: written with the input that
   * received the failure, before the lock's removal is signed. `failure`: where and why, for a lock of
   * this node's own payment when the failure checked out, for anyone else's as it came (to relay).
   */
  | {
      readonly t: 'failure';
      readonly hashlock: string;
      readonly attempt: number;
      readonly failure?: RouteFailure;
    }
  /** A payment that was never signed failed at a restart (NOT_SENT): its id is free again. */
  | { readonly t: 'unsent'; readonly id: string }
  /**
   * A cooperative close of `channel` began: no new payment takes it. With `balances`: this node signed
   * those final amounts (it takes no more batches in the channel from then on), with the signatures it
   * holds over them.
   */
  | {
      readonly t: 'shutdown';
      readonly channel: string;
      readonly balances?: readonly CloseBalance[];
      readonly signatureA?: Uint8Array;
      readonly signatureB?: Uint8Array;
    };

export type Outcome = 'started' | 'completed' | 'failed' | 'received';

/** A payment this node started that has no outcome yet (see `ChannelNode.paymentsInFlight`). */
export interface PaymentInFlight {
  readonly id: string;
  readonly asset: string;
  readonly amount: bigint;
  /** The channel it went out on and the peer at its other end (the payment's first hop). */
  readonly channel: string;
  readonly peer: string;
  /** The whole route, the payee last, when the channel still holds it (the lock, or the direct payment). */
  readonly route?: readonly string[];
  /** A hash-locked payment's lock, and which attempt of the payment it is. */
  readonly hashlock?: string;
  readonly expiry?: number;
  readonly attempt?: number;
  /** The plan the driver gave `pay` for this attempt, if any. */
  readonly plan?: PaymentPlan;
}

export type ChainAction = { readonly name: string; readonly params: Record<string, unknown> };

export type Effect =
  | { readonly t: 'persist'; readonly seq: number; readonly records: readonly DurableRecord[] }
  | { readonly t: 'send'; readonly to: string; readonly msg: Message }
  | { readonly t: 'chain'; readonly action: ChainAction }
  /** For the watcher: the newest proof of the peer's payments, countersigned by this node. */
  | {
      readonly t: 'watch';
      readonly channel: string;
      readonly side: 'a' | 'b';
      readonly proof: SignedBalanceProof;
      readonly countersignature: Uint8Array;
      readonly locks: readonly LockEntry[];
    }
  /** For the watcher: a preimage to put on chain before `expiry` unless `watchDone` follows. */
  | {
      readonly t: 'watchPreimage';
      readonly hashlock: string;
      readonly preimage: Uint8Array;
      readonly expiry: number;
    }
  | { readonly t: 'watchDone'; readonly hashlock: string }
  | {
      readonly t: 'outcome';
      readonly id: string;
      readonly outcome: Outcome;
      readonly asset: string;
      readonly amount: bigint;
      readonly reason?: string;
      /** A hash-locked payment that failed after its lock went out: the attempt whose lock was removed. */
      readonly attempt?: number;
      /** Where and why that lock failed, when the node that failed it said so and its signature checks. */
      readonly failure?: RouteFailure;
    };

export type ChannelStatus = 'open' | 'closing' | 'settled';

export type ChainEvent =
  | {
      readonly t: 'preimage';
      readonly hashlock: string;
      readonly preimage: Uint8Array;
      readonly time: number;
    }
  | { readonly t: 'closing'; readonly channel: string; readonly by: string; readonly deadline: number }
  /** `cooperative`: settled by both parties' signatures, paid out by the chain at once (no withdrawal). */
  | { readonly t: 'settled'; readonly channel: string; readonly cooperative?: boolean };

export interface PayRequest {
  readonly id: string;
  readonly asset: string;
  readonly amount: bigint;
  /** The nodes after this one, the payee last. */
  readonly route: readonly string[];
  /** For a payment through others (or a locked direct one): the payee's invoice hash. */
  readonly hashlock?: string;
  /**
   * When the caller first made this request, on the node's clock (default: now). A retry carries the
   * time of the first attempt; a request older than the payment id window is refused, so a retry can
   * never be taken for a new payment once its id has been forgotten.
   */
  readonly createdAt?: number;
  /**
   * Which attempt of the payment this is (default 1). Attempt n + 1 of a hash-locked payment is accepted
   * only once attempt n's lock was removed and the removal acknowledged (the payment failed with
   * `attempt: n`), with the same hashlock, within the payment id window.
   */
  readonly attempt?: number;
  /** Kept with the payment's record and given back by `paymentsInFlight` (see PaymentPlan). */
  readonly plan?: PaymentPlan;
}

/** One side of a direction as a balance proof states it (a proof's nonce, its amount and pending locks). */
export interface Signed {
  readonly nonce: number;
  readonly transferred: bigint;
  readonly locks: readonly LockEntry[];
}

interface OutSide {
  readonly ch: ChannelState;
  readonly asset: string;
  signed: Signed;
  proof: SignedBalanceProof | null;
  ackedNonce: number;
  ackedTransferred: bigint;
  inflight: Flight | null;
  /** The operations of the newest signed batch (sent again with it after a restart). */
  ops: readonly Op[];
  queue: Op[];
  /**
   * `signed` with `queue` applied, kept up to date as operations are queued (null when the queue is
   * empty). Signing a batch from the queue does not change it: signed + rest of queue = same state.
   */
  projected: Signed | null;
  /** The projected locks when they are an array of this side's own (see `enqueue`), else null. */
  ownLocks: LockEntry[] | null;
}

interface Flight {
  proof: SignedBalanceProof;
  ops: readonly Op[];
  sentAt: number | null;
  /** Payments this node started that the batch completes or fails once acknowledged. */
  outcomes: BatchOutcome[];
}

interface BatchOutcome {
  id: string;
  outcome: Outcome;
  /** For a lock the batch pays or removes: its hashlock, attempt and route (after the peer). */
  hashlock?: string;
  attempt?: number;
  route?: readonly string[];
}

/** Why the router should avoid a hop, from why `channelFor` found no channel. */
const CODE_OF: Record<string, FailureCode> = {
  'no capacity': 'no_capacity',
  [LOCK_LIMIT]: 'lock_limit',
};

interface InSide {
  signed: Signed;
  proof: SignedBalanceProof | null;
  countersignature: Uint8Array | null;
  /** A batch accepted in memory whose write is not confirmed yet. */
  pending: boolean;
}

interface ChannelState {
  info: ChannelInfo;
  side: 'a' | 'b';
  peer: string;
  peerKey: Uint8Array;
  status: ChannelStatus;
  assets: Map<string, { out: OutSide; in: InSide }>;
  /** A cooperative close under way (see `closeCooperatively`). */
  shutdown: Shutdown | null;
}

interface Shutdown {
  /** When it began (or the node restarted with it under way): closed alone after `coopCloseMs`. */
  since: number;
  /** The peer said it starts no new payment here either. */
  peerShutdown: boolean;
  /** Final amounts this node signed; from then on it takes no batch in the channel. */
  balances?: readonly CloseBalance[];
  signatureA?: Uint8Array;
  signatureB?: Uint8Array;
  /** When the last shutdown or proposal went to the peer, or both signatures went on chain. */
  sentAt?: number;
  submittedAt?: number;
}

const ZERO: Signed = { nonce: 0, transferred: 0n, locks: [] };
/** The largest amount a balance proof can carry: its integers are encoded as unsigned 64-bit. */
const MAX_AMOUNT = 2n ** 64n - 1n;

export interface NodeCounters {
  batchesSent: number;
  batchesAccepted: number;
  batchesRejected: number;
  opsSent: number;
  signatures: number;
  writes: number;
  messagesIgnored: number;
  /** Ticks that looked at every lock of every channel (the rest only flush queued work). */
  lockScans: number;
  /**
   * Incoming locks this node was asked to forward and failed upstream at once instead: no open channel
   * to the next hop with the capacity and a free lock slot, or too little time left before expiry.
   */
  forwardsRefused: number;
  /**
   * New locks refused because every channel direction they could take already held MAX_LOCKS pending
   * locks: this node's own payments (failed with LOCK_LIMIT) and forwards (failed upstream).
   */
  lockLimitRefusals: number;
  /** Payments queued but never signed before a restart, failed at the restart with NOT_SENT. */
  unsentAtRestart: number;
}

/** The lock a `lock` operation adds. */
function lockEntryOf(op: Op & { t: 'lock' }): LockEntry {
  return {
    id: op.id,
    amount: op.amount,
    hashlock: op.hashlock,
    expiry: op.expiry,
    route: op.route,
    ...(op.attempt !== undefined && { attempt: op.attempt }),
  };
}

/**
 * The sender's side after applying operations (no checks: the sender built them): in order, a lock is
 * added at the end and an unlock or removal takes the first lock on its hashlock (if any). The locks
 * array is shared with `state` when no operation changes it, so a batch of payments copies nothing; a
 * batch that does is applied in one pass over the locks, however many operations it has.
 */
export function applyOps(state: Signed, ops: readonly Op[]): Signed {
  let transferred = state.transferred;
  const added: LockEntry[] = [];
  const gone = new Set<LockEntry>();
  /** Hashlock → the pending locks on it in order, built at the first unlock or removal. */
  let byHashlock: Map<string, LockEntry[]> | null = null;
  const index = (l: LockEntry) => {
    const list = byHashlock!.get(l.hashlock);
    if (list) list.push(l);
    else byHashlock!.set(l.hashlock, [l]);
  };
  for (const op of ops) {
    if (op.t === 'pay') transferred += op.amount;
    else if (op.t === 'lock') {
      const l = lockEntryOf(op);
      added.push(l);
      if (byHashlock) index(l);
    } else {
      if (!byHashlock) {
        byHashlock = new Map();
        for (const l of state.locks) index(l);
        for (const l of added) index(l);
      }
      const lock = byHashlock.get(op.hashlock)?.shift();
      if (!lock) continue;
      gone.add(lock);
      if (op.t === 'unlock') transferred += lock.amount;
    }
  }
  if (added.length === 0 && gone.size === 0) return { nonce: state.nonce, transferred, locks: state.locks };
  const locks: LockEntry[] = [];
  for (const l of state.locks) if (!gone.has(l)) locks.push(l);
  for (const l of added) if (!gone.has(l)) locks.push(l);
  return { nonce: state.nonce, transferred, locks };
}

function sameBalances(x: readonly CloseBalance[], y: readonly CloseBalance[]): boolean {
  return (
    x.length === y.length &&
    x.every((b, i) => b.symbol === y[i]!.symbol && b.a === y[i]!.a && b.b === y[i]!.b)
  );
}

/**
 * Queues an operation and moves the side's projected state on by that one operation. The projected
 * locks are an array of the side's own (`ownLocks`, never shared with a signed state or a record), so
 * queueing a lock or its removal changes it in place instead of copying every pending lock.
 */
function enqueue(out: OutSide, op: Op): void {
  out.queue.push(op);
  const base = out.projected ?? out.signed;
  let transferred = base.transferred;
  let locks = base.locks;
  if (op.t === 'pay') transferred += op.amount;
  else {
    if (out.ownLocks !== locks) {
      out.ownLocks = locks.slice();
      locks = out.ownLocks;
    }
    const own = out.ownLocks;
    if (op.t === 'lock') own.push(lockEntryOf(op));
    else {
      const at = own.findIndex((l) => l.hashlock === op.hashlock);
      if (at >= 0) {
        if (op.t === 'unlock') transferred += own[at]!.amount;
        own.splice(at, 1);
      }
    }
  }
  out.projected = { nonce: base.nonce, transferred, locks };
}

export class ChannelNode {
  readonly address: string;
  readonly publicKey: Uint8Array;
  readonly counters: NodeCounters = {
    batchesSent: 0,
    batchesAccepted: 0,
    batchesRejected: 0,
    opsSent: 0,
    signatures: 0,
    writes: 0,
    messagesIgnored: 0,
    lockScans: 0,
    forwardsRefused: 0,
    lockLimitRefusals: 0,
    unsentAtRestart: 0,
  };
  private readonly channels = new Map<string, ChannelState>();
  private readonly byPeer = new Map<string, string[]>();
  // Per-payment bookkeeping. Everything kept by hashlock is needed only while a lock on that hashlock is
  // pending in some channel (incoming, outgoing signed or queued; in a closed channel too, since the
  // chain may still settle it) and goes with the last such lock (`forget`); a hub's memory follows the
  // payments in flight, not the payments it has ever routed.
  /**
   * Known preimages: kept while a lock on the hashlock is pending (to claim an incoming lock off chain or
   * on chain before its expiry, to refuse the removal of a lock that was paid, to report an outgoing lock
   * as paid), and for this node's own invoices until they are paid.
   */
  private readonly preimages = new Map<string, Uint8Array>();
  /** This node's unpaid invoices (their preimages are in `preimages`). */
  private readonly invoices = new Set<string>();
  /** Preimages on chain: hashlock → block time of the reveal (only for hashlocks of pending locks). */
  private readonly onChain = new Map<string, number>();
  /**
   * Reveals on chain for hashlocks no lock of ours was on: kept for MAX_LOCK_MS after their block, in the
   * order they came. The registry settles every lock on such a hashlock that expires after the reveal, also
   * one that reaches this node later (a delayed batch, a payer reusing a public hashlock), so a lock that
   * arrives within that time takes the reveal over (`noteInLock`, `noteOutLock`).
   */
  private readonly laterReveals = new Map<string, { preimage: Uint8Array; time: number }>();
  /** Payments this node started whose outcome is not reported yet. */
  private readonly initiated = new Map<string, { asset: string; amount: bigint; plan?: PaymentPlan }>();
  /** While restoring: payments recorded as queued that no `out` record after them carries (yet). */
  private readonly unsigned = new Set<string>();
  /**
   * Ids of payments whose outcome was reported: id → when it is forgotten (the outcome's time plus the
   * payment id window), in that order. With `initiated` it makes `pay` idempotent (see there).
   */
  private readonly recentIds = new Map<string, number>();
  /**
   * For payments whose last attempt failed after its lock went out (and was removed): that attempt and
   * its hashlock, so `pay` takes the next attempt. Its ids are some of `recentIds`' and go with them (so
   * `bookkeeping` counts them there).
   */
  private readonly retryable = new Map<string, { attempt: number; hashlock: string }>();
  private readonly revealRequested = new Set<string>();
  /** Hashlock → the attempts whose incoming locks were failed upstream already. */
  private readonly failedUpstream = new Map<string, Set<number>>();
  /** Hashlock → the failure that came back for an outgoing lock we forwarded, to relay unchanged. */
  private readonly relayFailures = new Map<string, { attempt: number; failure: RouteFailure }>();
  /** Hashlock → for a lock of this node's own payment that failed: where, if the failure checked out. */
  private readonly lockFailures = new Map<string, RouteFailure | null>();
  /** While restoring: the failures recorded for outgoing locks, by hashlock (sorted out once restored). */
  private readonly restoredFailures = new Map<string, { attempt: number; failure?: RouteFailure }>();
  /** Peers whose link is down (the driver says so): a lock is not forwarded to them. */
  private readonly offline = new Set<string>();
  /** Locks this node declined (it never forwards or reveals them): their senders may take them back. */
  private readonly declined = new Set<string>();
  /** Why the latest refused batches were refused (the first 16), for diagnostics. */
  readonly rejections: string[] = [];
  private effects: Effect[] = [];
  private records: DurableRecord[] = [];
  private afterWrite: (() => void)[] = [];
  private readonly waiting = new Map<number, (() => void)[]>();
  private seq = 0;
  private now = 0;
  /** No lock needs a look in `tick` before this time (every lock's expiry less the reveal margin). */
  private lockDeadline = Number.NEGATIVE_INFINITY;
  /** No batch in flight is due for retransmission before this time. */
  private resendAt = Number.NEGATIVE_INFINITY;
  /** The channels holding incoming locks on a hashlock (a superset: entries go once resolved). */
  private readonly inLocks = new Map<string, ChannelState[]>();
  /** Hashlock → the channels that held an outgoing lock on it when last looked at (see `exposed`). */
  private readonly outLocks = new Map<string, ChannelState[]>();
  /** Directions with queued operations, flushed at the next tick. */
  private readonly toFlush = new Set<OutSide>();
  /** Open channels with a cooperative close under way. */
  private readonly shuttingDown = new Set<ChannelState>();
  private restored = true;

  constructor(
    private readonly config: NodeConfig,
    restore: readonly DurableRecord[] = [],
    now = 0,
  ) {
    this.now = now;
    this.publicKey = config.suite.publicKeyFromPrivate(config.privateKey);
    this.address = addressFromPublicKey(config.suite, this.publicKey);
    for (const r of restore) this.restoreRecord(r);
    // Payments queued before the restart that no signed batch in the log carries never left the node: they
    // fail now, for good (the record says so), and their ids are free for a retry.
    for (const id of this.unsigned) {
      const p = this.initiated.get(id);
      if (!p) continue;
      this.initiated.delete(id);
      this.counters.unsentAtRestart++;
      this.record({ t: 'unsent', id });
      this.emit({
        t: 'outcome',
        id,
        outcome: 'failed',
        asset: p.asset,
        amount: p.amount,
        reason: NOT_SENT,
      });
    }
    this.unsigned.clear();
    this.restoreFailures();
    // The newest batch signed before a restart may not have reached the peer: it is sent again (the same
    // proof and operations) at the first tick; the peer acknowledges it again if it has it. A lock it
    // took back whose hashlock is locked again in some channel was an earlier attempt of a payment that
    // was tried again: that attempt's outcome was reported, and the one pending now is another.
    const lockedAgain = new Set<string>();
    for (const ch of this.channels.values())
      for (const a of ch.assets.values()) for (const l of a.out.signed.locks) lockedAgain.add(l.hashlock);
    for (const ch of this.channels.values())
      for (const a of ch.assets.values())
        if (a.out.proof && ch.status === 'open')
          a.out.inflight = {
            proof: a.out.proof,
            ops: a.out.ops,
            sentAt: null,
            outcomes: this.outcomesOf(a.out.ops).filter(
              (o) => o.hashlock === undefined || !lockedAgain.has(o.hashlock),
            ),
          };
    if (restore.length > 0) this.pruneRestored();
  }

  // ---------------------------------------------------------------------------------------- inputs

  /** Effects produced so far, in order; the driver runs them (persist first, as told). */
  drain(): Effect[] {
    this.commitWrite();
    const out = this.effects;
    this.effects = [];
    return out;
  }

  /** The driver made the write `seq` durable. */
  persisted(seq: number): void {
    const todo = this.waiting.get(seq);
    if (!todo) return;
    this.waiting.delete(seq);
    for (const fn of todo) fn();
  }

  /** A channel the chain opened (or its top-up). */
  addChannel(info: ChannelInfo): void {
    if (info.a !== this.address && info.b !== this.address) throw new Error(`channel ${info.id} is not ours`);
    this.record({ t: 'channel', info });
    this.restoreRecord({ t: 'channel', info });
  }

  tick(now: number): void {
    this.now = Math.max(this.now, now);
    for (const [id, until] of this.recentIds) {
      if (until > this.now) break;
      this.recentIds.delete(id);
      this.retryable.delete(id);
    }
    for (const [h, r] of this.laterReveals) {
      if (r.time + MAX_LOCK_MS >= this.now) break;
      this.laterReveals.delete(h);
    }
    // Channels only need a look when a batch may be due for retransmission (or after a restart), or once
    // the earliest lock is within the reveal margin of its expiry; otherwise only queued work is flushed.
    const margin = this.config.revealMarginMs;
    const scan = this.now >= this.lockDeadline;
    const resend = this.restored || this.now >= this.resendAt;
    let deadline = Number.POSITIVE_INFINITY;
    let resendAt = Number.POSITIVE_INFINITY;
    if (scan) {
      this.lockDeadline = Number.POSITIVE_INFINITY;
      this.counters.lockScans++;
    }
    if (resend) this.resendAt = Number.POSITIVE_INFINITY;
    for (const ch of scan || resend ? this.channels.values() : []) {
      for (const [asset, a] of ch.assets) {
        // Retransmit an unacknowledged batch.
        const f = a.out.inflight;
        if (!resend) {
          // Not due.
        } else if (
          ch.status === 'open' &&
          f &&
          f.sentAt !== null &&
          this.now - f.sentAt >= this.config.retransmitMs
        ) {
          f.sentAt = this.now;
          this.emit({
            t: 'send',
            to: ch.peer,
            msg: { t: 'batch', channel: ch.info.id, asset, proof: f.proof, ops: f.ops },
          });
        } else if (ch.status === 'open' && f && f.sentAt === null && this.restored) {
          // Restored after a restart: its write is durable already.
          f.sentAt = this.now;
          this.emit({
            t: 'send',
            to: ch.peer,
            msg: { t: 'batch', channel: ch.info.id, asset, proof: f.proof, ops: f.ops },
          });
        }
        if (resend && f && f.sentAt !== null && f.sentAt + this.config.retransmitMs < resendAt)
          resendAt = f.sentAt + this.config.retransmitMs;
        if (!scan) continue;
        // Expired outgoing locks without a known preimage: take them back and fail upstream. A lock
        // needs another look at its margin, at its expiry and just after it; once past, nothing that
        // time does changes it (a status change asks for a new scan).
        // A snapshot: taking a lock back below changes the projected locks in place.
        for (const l of this.projectedOut(a.out).locks.slice()) {
          const next =
            this.now < l.expiry - margin
              ? l.expiry - margin
              : this.now < l.expiry
                ? l.expiry
                : this.now === l.expiry
                  ? l.expiry + 1
                  : Number.POSITIVE_INFINITY;
          if (next < deadline) deadline = next;
          if (ch.status !== 'open' && this.now > l.expiry && this.initiated.has(l.id)) {
            // The chain settles it: paid if its preimage was there in time, refunded otherwise.
            this.finish(
              l.id,
              this.knowsPaid(l) ? 'completed' : 'failed',
              asset,
              l.amount,
              'settled on chain',
            );
          }
          if (this.now < l.expiry || this.knowsPaid(l)) continue;
          if (ch.status === 'open') this.enqueue(a.out, { t: 'remove', hashlock: l.hashlock });
          this.failUpstream(l.hashlock);
        }
        // Incoming locks whose preimage we know and the sender has not paid: reveal on chain in time.
        // A lock whose preimage is known is looked at again at its reveal margin, and not after its
        // expiry or once it needs no reveal; one whose preimage is not known needs no look until it is
        // (learning a preimage brings the next look forward: `noteInLocksOf`).
        for (const l of a.in.signed.locks) {
          if (
            this.declined.has(l.hashlock) ||
            this.onChain.has(l.hashlock) ||
            this.revealRequested.has(l.hashlock) ||
            this.now > l.expiry
          )
            continue;
          const preimage = this.preimages.get(l.hashlock);
          if (!preimage) continue;
          const next = Math.max(this.now, l.expiry - margin);
          if (next < deadline) deadline = next;
          if (this.now >= l.expiry - this.config.revealMarginMs && this.now <= l.expiry) {
            this.revealRequested.add(l.hashlock);
            this.emit({ t: 'chain', action: { name: 'revealPreimage', params: { preimage } } });
          }
        }
      }
    }
    if (scan) this.lockDeadline = Math.min(this.lockDeadline, deadline);
    if (resend) this.resendAt = Math.min(this.resendAt, resendAt);
    this.restored = false;
    for (const ch of this.shuttingDown) this.shutdownStep(ch);
    this.flushAll();
  }

  /** A preimage this node created for an invoice: kept until a payment to the invoice arrives. */
  addInvoice(preimage: Uint8Array): string {
    const hashlock = hashlockOf(this.config.suite, preimage);
    if (!this.invoices.has(hashlock)) {
      this.invoices.add(hashlock);
      this.preimages.set(hashlock, preimage);
      this.noteInLocksOf(hashlock);
      this.record({ t: 'invoice', hashlock, preimage });
    }
    return hashlock;
  }

  /**
   * Starts a payment. Idempotent by `id`: a request with the id of a payment in flight, or of one whose
   * outcome was reported less than the payment id window ago (`paymentIdWindowMs`, default 24 hours), is
   * refused with 'duplicate id' (after a restart, every payment in the log counts as reported at the
   * restart, except one that was never signed: see below). Older ids are forgotten, so the node's memory
   * of ids is bounded by the payments it starts in one window. A retry that states when the request was
   * first made (`createdAt`) is never mistaken for a new payment: a request older than the window is
   * refused ('request too old …'), and one within the window finds its id still remembered (an id is
   * forgotten no sooner than a window after its payment started). A retry without `createdAt` is
   * protected only within the window.
   *
   * An accepted payment's record (`queued`) goes into the write of this input: a driver tells its caller
   * that the payment is under way only once that write is durable. Its operation is signed at a later
   * tick; if the node stops before a write holding a signed batch with it is durable, the payment never
   * left the node, and the restart fails it with NOT_SENT and frees its id, so the caller can retry it
   * with the same id.
   */
  pay(req: PayRequest): void {
    const fail = (reason: string) =>
      this.emit({
        t: 'outcome',
        id: req.id,
        outcome: 'failed',
        asset: req.asset,
        amount: req.amount,
        reason,
      });
    if (req.amount <= 0n || req.route.length === 0) {
      fail('bad request');
      return;
    }
    if (req.amount > MAX_AMOUNT) {
      fail('amount out of range: a balance proof carries at most 2^64 - 1');
      return;
    }
    const attempt = req.attempt ?? 1;
    if (!Number.isSafeInteger(attempt) || attempt < 1) {
      fail('bad request');
      return;
    }
    if (attempt === 1 && (this.initiated.has(req.id) || this.recentIds.has(req.id))) {
      fail('duplicate id');
      return;
    }
    const previous = this.retryable.get(req.id);
    if (
      attempt > 1 &&
      (this.initiated.has(req.id) || previous?.attempt !== attempt - 1 || previous.hashlock !== req.hashlock)
    ) {
      fail(NOT_RETRYABLE);
      return;
    }
    const createdAt = req.createdAt ?? this.now;
    if (!Number.isFinite(createdAt) || createdAt > this.now) {
      fail('request time is in the future');
      return;
    }
    if (createdAt < this.now - this.idWindow()) {
      fail(`request too old: payment ids are remembered for ${this.idWindow()} ms, a retry must come sooner`);
      return;
    }
    if (req.route.length > 1 && req.hashlock === undefined) {
      fail('a routed payment needs a hashlock');
      return;
    }
    const next = req.route[0]!;
    const ch = this.channelFor(next, req.asset, req.amount, req.hashlock !== undefined);
    if (typeof ch === 'string') {
      if (ch === LOCK_LIMIT) this.counters.lockLimitRefusals++;
      fail(ch);
      return;
    }
    const a = ch.assets.get(req.asset)!;
    this.retryable.delete(req.id);
    this.initiated.set(req.id, { asset: req.asset, amount: req.amount, ...(req.plan && { plan: req.plan }) });
    this.record({
      t: 'payment',
      id: req.id,
      asset: req.asset,
      amount: req.amount,
      queued: true,
      ...(req.plan && { plan: req.plan }),
    });
    if (req.hashlock === undefined) {
      this.enqueue(a.out, { t: 'pay', id: req.id, amount: req.amount });
    } else {
      const expiry = this.now + req.route.length * this.config.hopDeltaMs;
      this.enqueue(a.out, {
        t: 'lock',
        id: req.id,
        amount: req.amount,
        hashlock: req.hashlock,
        expiry,
        route: req.route.slice(1),
        ...(attempt > 1 && { attempt }),
      });
    }
  }

  /**
   * The driver's link to `peer` went down (`up` false) or came back: locks are not forwarded over a link
   * that is down (the payer hears `peer_offline` and may go around).
   */
  peerLink(peer: string, up: boolean): void {
    if (up) this.offline.delete(peer);
    else this.offline.add(peer);
  }

  /**
   * Whether `pay` would refuse this id as a duplicate: a payment with it is in flight, or its outcome was
   * reported less than the payment id window ago.
   */
  paymentIdTaken(id: string): boolean {
    return this.initiated.has(id) || this.recentIds.has(id);
  }

  /**
   * Closes a channel together with its peer, as BOLT 2's mutual close: no new payment takes the channel
   * (on either side, once the peer hears of it), what is in flight finishes, then both sign the final
   * amounts and the chain pays them out at once, with no dispute window. If that has not happened within
   * `coopCloseMs` (the peer is offline, or does not agree), the node closes alone (`close`).
   */
  closeCooperatively(channel: string): void {
    const ch = this.channels.get(channel);
    if (ch?.status !== 'open' || ch.shutdown) return;
    this.beginShutdown(ch);
  }

  /** The final amounts this node signed for a channel's cooperative close, if it did. */
  closeProposal(channel: string): readonly CloseBalance[] | undefined {
    return this.channels.get(channel)?.shutdown?.balances;
  }

  /** Whether a cooperative close of the channel is under way. */
  shuttingDownNow(channel: string): boolean {
    const ch = this.channels.get(channel);
    return ch?.status === 'open' && ch.shutdown !== null;
  }

  /** Closes a channel alone with the newest proofs of the peer's payments this node holds. */
  close(channel: string): void {
    const ch = this.channels.get(channel);
    if (ch?.status !== 'open') return;
    this.shuttingDown.delete(ch);
    this.setStatus(ch, 'closing');
    this.emit({ t: 'chain', action: { name: 'close', params: { channel, proofs: this.heldProofs(ch) } } });
  }

  chainEvent(ev: ChainEvent): void {
    if (ev.t === 'preimage') {
      // The registry reports every reveal; one for no lock of ours is only kept for a while.
      if (!this.held(ev.hashlock)) {
        if (hashlockOf(this.config.suite, ev.preimage) !== ev.hashlock) return;
        this.laterReveals.delete(ev.hashlock);
        this.laterReveals.set(ev.hashlock, { preimage: ev.preimage, time: ev.time });
        return;
      }
      this.onChain.set(ev.hashlock, ev.time);
      if (hashlockOf(this.config.suite, ev.preimage) === ev.hashlock)
        this.onPreimage(ev.hashlock, ev.preimage, null);
      return;
    }
    const ch = this.channels.get(ev.channel);
    if (!ch) return;
    if (ev.t === 'closing') {
      const wasOpen = ch.status === 'open';
      this.setStatus(ch, 'closing');
      // Answer the other party's close with what we hold (the contract keeps the newest of each side).
      if (ev.by !== this.address || !wasOpen) {
        const proofs = this.heldProofs(ch);
        if (proofs.length > 0)
          this.emit({ t: 'chain', action: { name: 'challenge', params: { channel: ch.info.id, proofs } } });
      }
    } else if (ev.t === 'settled') {
      if (ch.status === 'settled') return;
      this.shuttingDown.delete(ch);
      this.setStatus(ch, 'settled');
      // A cooperative close paid both out already.
      if (!ev.cooperative)
        this.emit({ t: 'chain', action: { name: 'withdraw', params: { channel: ch.info.id } } });
    }
  }

  receive(from: string, msg: Message): void {
    const ch = this.channels.get(msg.channel);
    if (!ch || ch.peer !== from) {
      this.counters.messagesIgnored++;
      return;
    }
    switch (msg.t) {
      case 'batch':
        this.onBatch(ch, msg.asset, msg.proof, msg.ops);
        return;
      case 'ack':
        this.onAck(ch, msg.asset, msg.nonce, msg.countersignature);
        return;
      case 'reveal':
        this.onPreimage(hashlockOf(this.config.suite, msg.preimage), msg.preimage, ch);
        return;
      case 'fail':
        this.onFail(ch, msg.hashlock, msg.failure);
        return;
      case 'shutdown':
        this.onShutdown(ch, msg.reply === true);
        return;
      case 'closeSign':
        this.onCloseSign(ch, msg.balances, msg.signature);
        return;
    }
  }

  // ---------------------------------------------------------------------------------------- views

  /** What this node may still send in an asset of a channel. */
  available(channel: string, asset: string): bigint {
    const ch = this.channels.get(channel);
    const a = ch?.assets.get(asset);
    if (!ch || !a) return 0n;
    const deposits = ch.info.deposits[asset]!;
    const mine = ch.side === 'a' ? deposits.a : deposits.b;
    const out = this.projectedOut(a.out);
    return mine + a.in.signed.transferred - out.transferred - sumLocks(out.locks);
  }

  channelIds(): string[] {
    return [...this.channels.keys()];
  }

  statusOf(channel: string): ChannelStatus | undefined {
    return this.channels.get(channel)?.status;
  }

  peerOf(channel: string): string | undefined {
    return this.channels.get(channel)?.peer;
  }

  /**
   * The payments this node started that have no outcome yet, as its channels hold them: after a restart,
   * the ones its log left in flight (a driver rebuilds its list of payments in flight from this). Each
   * with the peer it went to (its first hop), the rest of its route and its lock's expiry when it is
   * hash-locked. A payment the channels no longer hold (its operation was never signed) is not listed.
   */
  paymentsInFlight(): PaymentInFlight[] {
    const found = new Map<string, PaymentInFlight>();
    for (const ch of this.channels.values())
      for (const a of ch.assets.values()) {
        const take = (
          id: string,
          route: readonly string[] | null,
          lock?: { hashlock: string; expiry?: number; attempt?: number },
        ) => {
          const p = this.initiated.get(id);
          if (!p || found.has(id)) return;
          found.set(id, {
            id,
            asset: p.asset,
            amount: p.amount,
            channel: ch.info.id,
            peer: ch.peer,
            ...(route && { route: [ch.peer, ...route] }),
            ...(lock && { hashlock: lock.hashlock, attempt: attemptOf(lock) }),
            ...(lock?.expiry !== undefined && { expiry: lock.expiry }),
            ...(p.plan && { plan: p.plan }),
          });
        };
        for (const l of this.projectedOut(a.out).locks) take(l.id, l.route, l);
        for (const l of a.out.signed.locks) take(l.id, l.route, l);
        for (const op of [...(a.out.inflight?.ops ?? []), ...a.out.queue])
          if (op.t === 'pay') take(op.id, []);
        // Locks the batch in flight pays or takes back: the payment ends when it is acknowledged.
        for (const o of a.out.inflight?.outcomes ?? [])
          take(o.id, o.route ?? null, o.hashlock === undefined ? undefined : { ...o, hashlock: o.hashlock });
      }
    return [...found.values()];
  }

  /** Locks this node has sent or received that are not resolved yet. */
  pendingLocks(): number {
    let n = 0;
    for (const ch of this.channels.values())
      for (const a of ch.assets.values())
        n += this.projectedOut(a.out).locks.length + a.in.signed.locks.length;
    return n;
  }

  /** Hashlocks the node keeps an index entry for (incoming and outgoing locks): none once all settle. */
  indexedHashlocks(): number {
    return this.inLocks.size + this.outLocks.size;
  }

  /** Sizes of the per-payment bookkeeping, for tests: what a node keeps for the payments it has seen. */
  bookkeeping(): Record<string, number> {
    return {
      initiated: this.initiated.size,
      sentLockIds: this.sentLockIds.size,
      relayFailures: this.relayFailures.size,
      lockFailures: this.lockFailures.size,
      preimages: this.preimages.size,
      onChain: this.onChain.size,
      laterReveals: this.laterReveals.size,
      failedUpstream: this.failedUpstream.size,
      revealRequested: this.revealRequested.size,
      declined: this.declined.size,
      recentIds: this.recentIds.size,
      invoices: this.invoices.size,
      indexedHashlocks: this.indexedHashlocks(),
    };
  }

  /** Whether every batch this node sent was acknowledged and nothing is queued. */
  idle(): boolean {
    for (const ch of this.channels.values()) {
      if (ch.status !== 'open') continue;
      for (const a of ch.assets.values())
        if (a.out.inflight || a.out.queue.length > 0 || a.in.pending) return false;
    }
    return true;
  }

  /** The newest proof received from the peer in a channel and asset, with its nonce. */
  incomingNonce(channel: string, asset: string): number {
    return this.channels.get(channel)?.assets.get(asset)?.in.signed.nonce ?? 0;
  }

  // ---------------------------------------------------------------------------------------- internals

  /** Queues an operation; a new lock brings the next look at locks forward to its reveal margin. */
  private enqueue(out: OutSide, op: Op): void {
    enqueue(out, op);
    this.toFlush.add(out);
    if (op.t === 'lock') {
      this.noteLock(op.expiry);
      this.noteOutLock(op.hashlock, out.ch);
    }
  }

  /** Forgets `ch` as a holder of an outgoing lock on `hashlock` once none of its assets holds one. */
  private dropOutLock(hashlock: string, ch: ChannelState): void {
    const list = this.outLocks.get(hashlock);
    if (!list) return;
    if (this.holdsOut(ch, hashlock)) return;
    const rest = list.filter((c) => c !== ch);
    if (rest.length === 0) this.outLocks.delete(hashlock);
    else this.outLocks.set(hashlock, rest);
  }

  /** Whether a channel holds an outgoing lock on `hashlock`, signed or queued. */
  private holdsOut(ch: ChannelState, hashlock: string): boolean {
    for (const a of ch.assets.values()) {
      if (a.out.signed.locks.some((l) => l.hashlock === hashlock)) return true;
      if (a.out.projected?.locks.some((l) => l.hashlock === hashlock)) return true;
    }
    return false;
  }

  /** Whether a lock on `hashlock` is pending in any channel, incoming or outgoing, signed or queued. */
  private held(hashlock: string): boolean {
    for (const ch of this.inLocks.get(hashlock) ?? [])
      for (const a of ch.assets.values())
        if (a.in.signed.locks.some((l) => l.hashlock === hashlock)) return true;
    for (const ch of this.outLocks.get(hashlock) ?? []) if (this.holdsOut(ch, hashlock)) return true;
    return false;
  }

  /**
   * Drops what is kept by `hashlock` once no channel holds a lock on it any more: nothing can be claimed,
   * removed, revealed or reported for it then. An unpaid invoice of ours keeps its preimage, and its
   * decline if we declined a lock on it: the senders were told that the hashlock failed (and may have
   * failed it further upstream), so a later lock on it is declined too, never claimed.
   */
  private forget(hashlock: string): void {
    if (this.held(hashlock)) return;
    if (!this.invoices.has(hashlock)) {
      this.preimages.delete(hashlock);
      this.declined.delete(hashlock);
    }
    this.onChain.delete(hashlock);
    this.revealRequested.delete(hashlock);
    this.failedUpstream.delete(hashlock);
    this.relayFailures.delete(hashlock);
    this.lockFailures.delete(hashlock);
    this.sentLockIds.delete(hashlock);
    this.inLocks.delete(hashlock);
    this.outLocks.delete(hashlock);
  }

  private idWindow(): number {
    return this.config.paymentIdWindowMs ?? PAYMENT_ID_WINDOW_MS;
  }

  /** Reports the final outcome of a payment this node started and keeps its id for the id window. */
  private finish(
    id: string,
    outcome: Outcome,
    asset: string,
    amount: bigint,
    reason?: string,
    lock?: { attempt: number; failure?: RouteFailure },
  ): void {
    this.emit({
      t: 'outcome',
      id,
      outcome,
      asset,
      amount,
      ...(reason !== undefined && { reason }),
      ...(lock && { attempt: lock.attempt }),
      ...(lock?.failure && { failure: lock.failure }),
    });
    if (!this.initiated.delete(id)) return;
    this.recentIds.delete(id);
    this.recentIds.set(id, this.now + this.idWindow());
  }

  /**
   * After replaying the log, keeps only what pending locks and unfinished payments need: the log holds
   * every payment and preimage the node ever had. A payment whose outcome may still come (a lock of it
   * pending, or the batch sent again at the first tick resolves it) stays in flight; every other one
   * counts as reported now and is remembered for the id window.
   */
  private pruneRestored(): void {
    const live = new Set<string>();
    for (const ch of this.channels.values())
      for (const a of ch.assets.values()) {
        for (const l of a.out.signed.locks) live.add(l.id);
        const f = a.out.inflight;
        for (const { id } of f?.outcomes ?? []) live.add(id);
        for (const op of f?.ops ?? []) if (op.t === 'pay' || op.t === 'lock') live.add(op.id);
      }
    for (const id of [...this.initiated.keys()]) {
      if (live.has(id)) continue;
      this.initiated.delete(id);
      this.recentIds.set(id, this.now + this.idWindow());
    }
    for (const [h, s] of this.sentLockIds) if (!this.initiated.has(s.id)) this.sentLockIds.delete(h);
    // The lock indexes were filled from every record too: keep the hashlocks still pending, and those of
    // locks the batch sent again takes back (their failures are reported when it is acknowledged).
    const resolving = new Set<string>();
    for (const ch of this.channels.values())
      for (const a of ch.assets.values())
        for (const o of a.out.inflight?.outcomes ?? [])
          if (o.hashlock !== undefined) resolving.add(o.hashlock);
    for (const h of [
      ...this.preimages.keys(),
      ...this.declined,
      ...this.sentLockIds.keys(),
      ...this.inLocks.keys(),
      ...this.outLocks.keys(),
    ])
      if (!resolving.has(h)) this.forget(h);
  }

  private noteOutLock(hashlock: string, ch: ChannelState): void {
    const list = this.outLocks.get(hashlock);
    if (!list) this.outLocks.set(hashlock, [ch]);
    else if (!list.includes(ch)) list.push(ch);
    this.takeReveal(hashlock);
  }

  private noteInLock(hashlock: string, ch: ChannelState): void {
    const list = this.inLocks.get(hashlock);
    if (!list) this.inLocks.set(hashlock, [ch]);
    else if (!list.includes(ch)) list.push(ch);
    this.takeReveal(hashlock);
  }

  /** A lock on a hashlock revealed on chain before it arrived: known as paid from now on. */
  private takeReveal(hashlock: string): void {
    const r = this.laterReveals.get(hashlock);
    if (!r) return;
    this.laterReveals.delete(hashlock);
    this.onChain.set(hashlock, r.time);
    this.learnPreimage(hashlock, r.preimage);
  }

  /** Forgets `ch` as a holder of an incoming lock on `hashlock` once none of its assets holds one. */
  private dropInLock(hashlock: string, ch: ChannelState): void {
    const list = this.inLocks.get(hashlock);
    if (!list) return;
    for (const a of ch.assets.values()) if (a.in.signed.locks.some((l) => l.hashlock === hashlock)) return;
    const rest = list.filter((c) => c !== ch);
    if (rest.length === 0) this.inLocks.delete(hashlock);
    else this.inLocks.set(hashlock, rest);
  }

  private noteLock(expiry: number): void {
    const at = expiry - this.config.revealMarginMs;
    if (at < this.lockDeadline) this.lockDeadline = at;
  }

  private emit(effect: Effect): void {
    this.effects.push(effect);
  }

  private record(r: DurableRecord): void {
    this.records.push(r);
  }

  /** Runs `fn` once everything recorded so far is durable. */
  private onceDurable(fn: () => void): void {
    if (this.records.length === 0 && this.afterWrite.length === 0) {
      fn();
      return;
    }
    this.afterWrite.push(fn);
  }

  /** Turns the records of this input into one write; the continuations wait for its confirmation. */
  private commitWrite(): void {
    if (this.records.length === 0 && this.afterWrite.length === 0) return;
    const seq = ++this.seq;
    this.counters.writes++;
    this.emit({ t: 'persist', seq, records: this.records });
    this.waiting.set(seq, this.afterWrite);
    this.records = [];
    this.afterWrite = [];
  }

  private restoreRecord(r: DurableRecord): void {
    switch (r.t) {
      case 'channel': {
        const mine = r.info.a === this.address ? 'a' : 'b';
        const existing = this.channels.get(r.info.id);
        const state: ChannelState = existing ?? {
          info: r.info,
          side: mine,
          peer: mine === 'a' ? r.info.b : r.info.a,
          peerKey: mine === 'a' ? r.info.bKey : r.info.aKey,
          status: 'open',
          assets: new Map(),
          shutdown: null,
        };
        state.info = r.info;
        for (const asset of Object.keys(r.info.deposits))
          if (!state.assets.has(asset))
            state.assets.set(asset, {
              out: {
                ch: state,
                asset,
                signed: ZERO,
                proof: null,
                ackedNonce: 0,
                ackedTransferred: 0n,
                inflight: null,
                ops: [],
                queue: [],
                projected: null,
                ownLocks: null,
              },
              in: { signed: ZERO, proof: null, countersignature: null, pending: false },
            });
        if (!existing) {
          this.channels.set(r.info.id, state);
          this.byPeer.set(state.peer, [...(this.byPeer.get(state.peer) ?? []), r.info.id]);
        }
        return;
      }
      case 'status': {
        const ch = this.channels.get(r.channel);
        if (ch) ch.status = r.status;
        return;
      }
      case 'out': {
        // Signed: the payments it carries may have left the node.
        for (const op of r.ops) if (op.t === 'pay' || op.t === 'lock') this.unsigned.delete(op.id);
        for (const l of r.locks) this.unsigned.delete(l.id);
        const a = this.channels.get(r.channel)?.assets.get(r.asset);
        if (!a) return;
        // One batch is in flight at a time: the one before the newest was acknowledged.
        if (a.out.proof) {
          a.out.ackedNonce = a.out.proof.nonce;
          a.out.ackedTransferred = a.out.signed.transferred;
        }
        a.out.signed = { nonce: r.proof.nonce, transferred: r.transferred, locks: r.locks };
        a.out.proof = r.proof;
        a.out.ops = r.ops;
        for (const l of r.locks) {
          this.sentLockIds.set(l.hashlock, { id: l.id, attempt: attemptOf(l), route: l.route });
          this.noteOutLock(l.hashlock, a.out.ch);
        }
        for (const op of r.ops) if (op.t === 'lock') this.noteOutLock(op.hashlock, a.out.ch);
        return;
      }
      case 'in': {
        const a = this.channels.get(r.channel)?.assets.get(r.asset);
        if (!a) return;
        a.in.signed = { nonce: r.proof.nonce, transferred: r.transferred, locks: r.locks };
        for (const l of r.locks) this.noteInLock(l.hashlock, this.channels.get(r.channel)!);
        a.in.proof = r.proof;
        a.in.countersignature = r.countersignature;
        return;
      }
      case 'preimage':
        this.preimages.set(r.hashlock, r.preimage);
        return;
      case 'invoice':
        this.preimages.set(r.hashlock, r.preimage);
        this.invoices.add(r.hashlock);
        return;
      case 'paid':
        this.invoices.delete(r.hashlock);
        return;
      case 'payment':
        this.initiated.set(r.id, { asset: r.asset, amount: r.amount, ...(r.plan && { plan: r.plan }) });
        if (r.queued) this.unsigned.add(r.id);
        else this.unsigned.delete(r.id);
        return;
      case 'unsent':
        this.initiated.delete(r.id);
        this.unsigned.delete(r.id);
        return;
      case 'shutdown': {
        const ch = this.channels.get(r.channel);
        if (!ch) return;
        ch.shutdown = {
          since: this.now,
          peerShutdown: false,
          ...(r.balances && { balances: r.balances }),
          ...(r.signatureA && { signatureA: r.signatureA }),
          ...(r.signatureB && { signatureB: r.signatureB }),
        };
        this.shuttingDown.add(ch);
        return;
      }
      case 'declined':
        this.declined.add(r.hashlock);
        return;
      case 'failure':
        this.restoredFailures.set(r.hashlock, {
          attempt: r.attempt,
          ...(r.failure && { failure: r.failure }),
        });
        return;
    }
  }

  /**
   * The failures the log holds for outgoing locks still pending: a lock of this node's own payment gets
   * its failure back (its outcome reports it once the removal is acknowledged), anyone else's the failure
   * to relay upstream. A lock whose removal was not signed before the restart is taken back now.
   */
  private restoreFailures(): void {
    for (const [hashlock, r] of this.restoredFailures) {
      const sent = this.sentLockIds.get(hashlock);
      if (sent !== undefined && this.initiated.has(sent.id)) {
        // An earlier attempt's failure says nothing of the one pending now.
        if (sent.attempt === r.attempt) this.lockFailures.set(hashlock, r.failure ?? null);
      } else if (r.failure) this.relayFailures.set(hashlock, { attempt: r.attempt, failure: r.failure });
      if (this.preimages.has(hashlock)) continue;
      for (const ch of this.channels.values()) {
        if (ch.status !== 'open') continue;
        for (const a of ch.assets.values()) {
          const lock = a.out.signed.locks.find((l) => l.hashlock === hashlock);
          if (!lock || attemptOf(lock) !== r.attempt) continue;
          // The removal was not signed: the peer asked for it, and gets it now.
          this.enqueue(a.out, { t: 'remove', hashlock });
          this.failUpstream(hashlock);
        }
      }
    }
    this.restoredFailures.clear();
  }

  // ------------------------------------------------------------------------------- cooperative close

  /** `announce`: tell the peer (not when answering the peer's own shutdown, which the answer does). */
  private beginShutdown(ch: ChannelState, announce = true): void {
    ch.shutdown = { since: this.now, peerShutdown: false, sentAt: this.now };
    this.shuttingDown.add(ch);
    this.record({ t: 'shutdown', channel: ch.info.id });
    const channel = ch.info.id;
    if (announce)
      this.onceDurable(() => this.emit({ t: 'send', to: ch.peer, msg: { t: 'shutdown', channel } }));
  }

  private onShutdown(ch: ChannelState, reply: boolean): void {
    if (ch.status !== 'open') {
      this.counters.messagesIgnored++;
      return;
    }
    if (!ch.shutdown) this.beginShutdown(ch, false);
    const s = ch.shutdown!;
    s.peerShutdown = true;
    if (!reply) {
      const channel = ch.info.id;
      this.onceDurable(() =>
        this.emit({ t: 'send', to: ch.peer, msg: { t: 'shutdown', channel, reply: true } }),
      );
    }
    this.shutdownStep(ch);
  }

  /** Nothing in flight either way, nothing queued, no lock pending: the amounts are final. */
  private quiescent(ch: ChannelState): boolean {
    for (const a of ch.assets.values())
      if (
        a.out.inflight ||
        a.out.queue.length > 0 ||
        a.out.signed.locks.length > 0 ||
        a.in.signed.locks.length > 0 ||
        a.in.pending
      )
        return false;
    return true;
  }

  /** The channel's amounts as this node holds them, sorted by symbol as the contract's close bytes are. */
  private finals(ch: ChannelState): CloseBalance[] {
    const out: CloseBalance[] = [];
    for (const [symbol, a] of ch.assets) {
      const d = ch.info.deposits[symbol]!;
      const mine = (ch.side === 'a' ? d.a : d.b) - a.out.signed.transferred + a.in.signed.transferred;
      const theirs = d.a + d.b - mine;
      out.push(ch.side === 'a' ? { symbol, a: mine, b: theirs } : { symbol, a: theirs, b: mine });
    }
    return out.sort((x, y) => (x.symbol < y.symbol ? -1 : x.symbol > y.symbol ? 1 : 0));
  }

  private signClose(ch: ChannelState, balances: readonly CloseBalance[]): Uint8Array {
    this.counters.signatures++;
    return this.config.suite.sign(
      closeBytes(this.config.chainId, ch.info.id, balances),
      this.config.privateKey,
    );
  }

  private submitClose(ch: ChannelState): void {
    const s = ch.shutdown!;
    s.submittedAt = this.now;
    this.emit({
      t: 'chain',
      action: {
        name: 'cooperativeClose',
        params: {
          channel: ch.info.id,
          balances: s.balances!.map((b) => ({ symbol: b.symbol, a: b.a, b: b.b })),
          signatureA: s.signatureA!,
          signatureB: s.signatureB!,
        },
      },
    });
  }

  /** Moves a cooperative close on (each tick, and when the peer says something about it). */
  private shutdownStep(ch: ChannelState): void {
    const s = ch.shutdown;
    if (!s || ch.status !== 'open') {
      this.shuttingDown.delete(ch);
      return;
    }
    const retry = this.config.retransmitMs;
    const patience = this.config.coopCloseMs ?? COOP_CLOSE_MS;
    if (s.signatureA && s.signatureB) {
      // Both signed: on chain (again, if the chain has not settled it long after).
      if (s.submittedAt === undefined || this.now - s.submittedAt >= patience) this.submitClose(ch);
      return;
    }
    if (this.now - s.since >= patience) {
      this.close(ch.info.id);
      return;
    }
    const channel = ch.info.id;
    if (ch.side === 'a' && s.peerShutdown && !s.balances && this.quiescent(ch)) {
      // The opener proposes the final amounts once the peer has stopped too and nothing is in flight. Its
      // signature binds it from the moment it leaves: it is written first, and no batch is taken after.
      const balances = this.finals(ch);
      const signature = this.signClose(ch, balances);
      s.balances = balances;
      s.signatureA = signature;
      s.sentAt = this.now;
      this.record({ t: 'shutdown', channel, balances, signatureA: signature });
      this.onceDurable(() =>
        this.emit({ t: 'send', to: ch.peer, msg: { t: 'closeSign', channel, balances, signature } }),
      );
      return;
    }
    if (s.sentAt !== undefined && this.now - s.sentAt < retry) return;
    s.sentAt = this.now;
    if (s.balances && ch.side === 'a' && s.signatureA) {
      const signature = s.signatureA;
      const balances = s.balances;
      this.emit({ t: 'send', to: ch.peer, msg: { t: 'closeSign', channel, balances, signature } });
    } else if (!s.peerShutdown) this.emit({ t: 'send', to: ch.peer, msg: { t: 'shutdown', channel } });
  }

  private onCloseSign(ch: ChannelState, balances: readonly CloseBalance[], signature: Uint8Array): void {
    if (ch.status !== 'open') {
      this.counters.messagesIgnored++;
      return;
    }
    const peerSide = ch.side === 'a' ? 'b' : 'a';
    const bytes = closeBytes(this.config.chainId, ch.info.id, balances);
    if (!this.config.suite.verify(signature, bytes, ch.peerKey)) {
      this.counters.messagesIgnored++;
      return;
    }
    if (!ch.shutdown) this.beginShutdown(ch);
    const s = ch.shutdown!;
    s.peerShutdown = true;
    const channel = ch.info.id;
    if (s.balances) {
      if (!sameBalances(s.balances, balances)) {
        this.counters.messagesIgnored++;
        return;
      }
      if (ch.side === 'b') {
        // The opener asks again (it restarted, or our answer was lost): answer again.
        const mine = s.signatureB!;
        this.emit({ t: 'send', to: ch.peer, msg: { t: 'closeSign', channel, balances, signature: mine } });
        return;
      }
      // The answer to our proposal: the same amounts, signed by the peer.
      if (s.signatureB) return;
      s.signatureB = signature;
      this.record({
        t: 'shutdown',
        channel,
        balances: s.balances,
        signatureA: s.signatureA!,
        signatureB: s.signatureB!,
      });
      // The peer puts it on chain; this node does too if the channel is still open `coopCloseMs` later.
      s.submittedAt = this.now;
      return;
    }
    // A proposal: signed only if nothing is in flight here either and the amounts are ours.
    if (peerSide !== 'a' || !this.quiescent(ch) || !sameBalances(this.finals(ch), balances)) {
      this.counters.messagesIgnored++;
      return;
    }
    const mine = this.signClose(ch, balances);
    s.balances = balances;
    s.signatureA = signature;
    s.signatureB = mine;
    this.record({ t: 'shutdown', channel, balances, signatureA: signature, signatureB: mine });
    // On chain once the write is durable (not again from `tick` before then).
    s.submittedAt = this.now;
    this.onceDurable(() => {
      this.emit({ t: 'send', to: ch.peer, msg: { t: 'closeSign', channel, balances, signature: mine } });
      if (ch.status === 'open') this.submitClose(ch);
    });
  }

  private setStatus(ch: ChannelState, status: ChannelStatus): void {
    if (ch.status === status) return;
    const wasOpen = ch.status === 'open';
    ch.status = status;
    this.record({ t: 'status', channel: ch.info.id, status });
    // What happens to its expired locks depends on the status: look at every lock again.
    this.lockDeadline = Number.NEGATIVE_INFINITY;
    if (!wasOpen) return;
    // Leaving 'open': queued operations were never signed and never will be; a batch in flight may or may
    // not count on chain (whichever proof the receiver submits), so its direct payments count as paid.
    const dropped: string[] = [];
    const resolved: string[] = [];
    for (const [asset, a] of ch.assets) {
      for (const op of a.out.queue) {
        if ((op.t === 'pay' || op.t === 'lock') && this.initiated.has(op.id)) {
          this.finish(op.id, 'failed', asset, op.amount, 'channel closed');
          // Never signed, but its outcome is reported: a restart must not report it again.
          this.record({ t: 'payment', id: op.id, asset, amount: op.amount });
        } else if (op.t === 'lock') dropped.push(op.hashlock);
        if (op.t !== 'pay') resolved.push(op.hashlock);
      }
      a.out.queue = [];
      a.out.projected = null;
      a.out.ownLocks = null;
      // The batch in flight resolved payments this node started (a payment, a lock paid or taken back);
      // whichever of its proofs counts on chain, they stand: report them.
      const f = a.out.inflight;
      for (const { id, outcome } of f?.outcomes ?? []) {
        const p = this.initiated.get(id);
        if (p) this.finish(id, outcome, p.asset, p.amount, 'channel closed');
      }
      for (const op of f?.ops ?? []) if (op.t !== 'pay') resolved.push(op.hashlock);
      a.out.inflight = null;
    }
    for (const h of dropped) this.failUpstream(h);
    for (const h of resolved) this.forget(h);
  }

  /**
   * An open channel to `peer` that can carry `amount` of `asset` (as a new lock when `lock`: its direction
   * must hold fewer than MAX_LOCKS pending locks, signed and queued), or why there is none: LOCK_LIMIT when
   * some channel had the capacity but no free lock slot, 'no capacity' otherwise.
   */
  private channelFor(
    peer: string,
    asset: string,
    amount: bigint,
    lock: boolean,
  ): ChannelState | 'no capacity' | typeof LOCK_LIMIT {
    let full = false;
    for (const id of this.byPeer.get(peer) ?? []) {
      const ch = this.channels.get(id)!;
      if (ch.status !== 'open' || ch.shutdown || !ch.assets.has(asset) || this.available(id, asset) < amount)
        continue;
      if (lock && !this.lockRoom(ch.assets.get(asset)!.out)) {
        full = true;
        continue;
      }
      return ch;
    }
    return full ? LOCK_LIMIT : 'no capacity';
  }

  /**
   * Whether a direction may take one more lock: the contract takes at most MAX_LOCKS locks in a proof.
   * Checked against the projected state (signed and queued): a batch is signed from a prefix of the
   * queue, so its proof holds the locks the projection held after that prefix, which this check kept
   * within the limit as each lock was queued (the other operations only take locks away).
   */
  private lockRoom(out: OutSide): boolean {
    return this.projectedOut(out).locks.length < MAX_LOCKS;
  }

  private projectedOut(out: OutSide): Signed {
    return out.projected ?? out.signed;
  }

  /** Whether a lock's preimage is known, or on chain in time for it. */
  private knowsPaid(l: LockEntry): boolean {
    const at = this.onChain.get(l.hashlock);
    return this.preimages.has(l.hashlock) || (at !== undefined && at <= l.expiry);
  }

  /** Whether this node still has a lock on `hashlock` downstream that may be claimed from it. */
  private exposed(hashlock: string): boolean {
    const list = this.outLocks.get(hashlock);
    if (!list) return false;
    // Only the channels an outgoing lock on `hashlock` went out on; those that no longer hold one (paid,
    // removed) are forgotten here, since a lock comes back to a channel only through enqueue or recovery.
    const holding: ChannelState[] = [];
    for (const ch of list) {
      for (const a of ch.assets.values())
        for (const l of this.projectedOut(a.out).locks) {
          if (l.hashlock !== hashlock) continue;
          if (ch.status === 'open' || this.now <= l.expiry) return true;
        }
      // A lock signed but queued for removal still counts for `held` until the removal is signed.
      if (this.holdsOut(ch, hashlock)) holding.push(ch);
    }
    if (holding.length === 0) this.outLocks.delete(hashlock);
    else if (holding.length !== list.length) this.outLocks.set(hashlock, holding);
    return false;
  }

  private heldProofs(ch: ChannelState): Record<string, unknown>[] {
    const proofs: Record<string, unknown>[] = [];
    const peerSide = ch.side === 'a' ? 'b' : 'a';
    for (const [asset, a] of ch.assets) {
      if (!a.in.proof) continue;
      proofs.push(proofParams(asset, peerSide, a.in.proof, a.in.signed.locks));
    }
    return proofs;
  }

  private flushAll(): void {
    for (const out of this.toFlush) {
      if (out.ch.status === 'open') this.flush(out.ch, out.asset, out);
      if (out.queue.length === 0 || out.ch.status !== 'open') this.toFlush.delete(out);
    }
  }

  /** Puts the queued operations of one channel and asset under one new balance proof. */
  private flush(ch: ChannelState, asset: string, out: OutSide): void {
    if (out.inflight || out.queue.length === 0) return;
    const ops = out.queue.slice(0, this.config.maxBatch);
    out.queue = out.queue.slice(ops.length);
    if (out.queue.length === 0) {
      out.projected = null;
      out.ownLocks = null;
    }
    for (const op of ops)
      if (op.t === 'lock' && this.initiated.has(op.id))
        this.sentLockIds.set(op.hashlock, { id: op.id, attempt: attemptOf(op), route: op.route });
    const outcomes = this.outcomesOf(ops);
    const next = applyOps(out.signed, ops);
    const nonce = out.signed.nonce + 1;
    const { suite } = this.config;
    const body = {
      chain: this.config.chainId,
      channel: ch.info.id,
      asset,
      nonce,
      transferred: next.transferred,
      locked: sumLocks(next.locks),
      locksRoot: locksRootOfEntries(suite, next.locks),
      batchRoot: opsRoot(suite, ops),
    };
    const proof: SignedBalanceProof = {
      ...body,
      signature: suite.sign(proofBytes(body), this.config.privateKey),
    };
    this.counters.signatures++;
    this.counters.batchesSent++;
    this.counters.opsSent += ops.length;
    out.signed = { nonce, transferred: next.transferred, locks: next.locks };
    out.proof = proof;
    out.ops = ops;
    for (const op of ops) if (op.t === 'unlock' || op.t === 'remove') this.dropOutLock(op.hashlock, ch);
    const flight: Flight = { proof, ops, sentAt: null, outcomes };
    out.inflight = flight;
    this.record({
      t: 'out',
      channel: ch.info.id,
      asset,
      transferred: next.transferred,
      locks: next.locks,
      proof,
      ops,
    });
    this.onceDurable(() => {
      if (out.inflight !== flight || ch.status !== 'open') return;
      flight.sentAt = this.now;
      if (this.now + this.config.retransmitMs < this.resendAt)
        this.resendAt = this.now + this.config.retransmitMs;
      this.emit({ t: 'send', to: ch.peer, msg: { t: 'batch', channel: ch.info.id, asset, proof, ops } });
      for (const op of ops) {
        if ((op.t === 'pay' || op.t === 'lock') && this.initiated.has(op.id))
          this.emit({ t: 'outcome', id: op.id, outcome: 'started', asset, amount: op.amount });
      }
    });
  }

  private onAck(ch: ChannelState, asset: string, nonce: number, countersignature: Uint8Array): void {
    const a = ch.assets.get(asset);
    const f = a?.out.inflight;
    if (!a || !f || f.proof.nonce !== nonce || f.sentAt === null) {
      this.counters.messagesIgnored++;
      return;
    }
    if (!this.config.suite.verify(countersignature, countersignedBytes(f.proof), ch.peerKey)) {
      this.counters.messagesIgnored++;
      return;
    }
    a.out.inflight = null;
    a.out.ackedNonce = nonce;
    a.out.ackedTransferred = f.proof.transferred;
    for (const o of f.outcomes) {
      const p = this.initiated.get(o.id);
      if (!p) continue;
      if (o.hashlock === undefined || o.attempt === undefined || o.outcome !== 'failed') {
        this.finish(o.id, o.outcome, p.asset, p.amount);
        continue;
      }
      // The attempt's lock is gone for good (the peer countersigned a proof without it): the payment may
      // be tried again under the next attempt.
      const failure = this.lockFailures.get(o.hashlock) ?? undefined;
      this.lockFailures.delete(o.hashlock);
      this.finish(o.id, 'failed', p.asset, p.amount, failure ? failureReason(failure) : undefined, {
        attempt: o.attempt,
        ...(failure && { failure }),
      });
      this.retryable.set(o.id, { attempt: o.attempt, hashlock: o.hashlock });
    }
    // The peer holds the proof without the locks this batch paid or removed: forget them if no other
    // channel holds a lock on the same hashlock.
    for (const op of f.ops) if (op.t === 'unlock' || op.t === 'remove') this.forget(op.hashlock);
    this.flush(ch, asset, a.out);
  }

  /** The outcomes a batch gives payments this node started, once acknowledged. */
  private outcomesOf(ops: readonly Op[]): BatchOutcome[] {
    const outcomes: BatchOutcome[] = [];
    for (const op of ops) {
      if (op.t === 'pay' && this.initiated.has(op.id)) outcomes.push({ id: op.id, outcome: 'completed' });
      if (op.t !== 'unlock' && op.t !== 'remove') continue;
      const sent = this.sentLockIds.get(op.hashlock);
      if (sent !== undefined && this.initiated.has(sent.id))
        outcomes.push({
          id: sent.id,
          outcome: op.t === 'unlock' ? 'completed' : 'failed',
          hashlock: op.hashlock,
          attempt: sent.attempt,
          route: sent.route,
        });
    }
    return outcomes;
  }

  /** Payment id and attempt of the pending locks of payments this node started, by hashlock. */
  private readonly sentLockIds = new Map<string, { id: string; attempt: number; route: readonly string[] }>();

  private onBatch(ch: ChannelState, asset: string, proof: SignedBalanceProof, ops: readonly Op[]): void {
    const a = ch.assets.get(asset);
    if (!a || ch.status !== 'open') {
      this.counters.messagesIgnored++;
      return;
    }
    if (ch.shutdown?.balances) {
      // This node signed the channel's final amounts: a batch taken now would not count in them.
      this.counters.messagesIgnored++;
      return;
    }
    const inSide = a.in;
    if (inSide.pending) return; // the sender sends it again once we acknowledged the one before
    if (proof.nonce <= inSide.signed.nonce) {
      // Already stored: acknowledge again (the first acknowledgement may have been lost).
      if (
        proof.nonce === inSide.signed.nonce &&
        inSide.countersignature &&
        inSide.proof &&
        equalBytes(inSide.proof.signature, proof.signature)
      )
        this.emit({
          t: 'send',
          to: ch.peer,
          msg: {
            t: 'ack',
            channel: ch.info.id,
            asset,
            nonce: proof.nonce,
            countersignature: inSide.countersignature,
          },
        });
      return;
    }
    if (proof.nonce !== inSide.signed.nonce + 1) return;
    const next = this.checkBatch(ch, asset, a, proof, ops);
    if (typeof next === 'string') {
      this.counters.batchesRejected++;
      if (this.rejections.length < 16)
        this.rejections.push(`${ch.info.id.slice(0, 8)}/${asset} #${proof.nonce}: ${next}`);
      return;
    }
    const learned: [string, Uint8Array][] = [];
    for (const op of ops) if (op.t === 'unlock') learned.push([op.hashlock, op.preimage]);
    // The locks this batch pays, also those it adds and pays at once (a preimage known upstream first).
    const resolved = new Map<string, LockEntry>();
    const added = new Map<string, LockEntry>();
    let before: Map<string, LockEntry> | null = null;
    for (const op of ops) {
      if (op.t === 'lock') added.set(op.hashlock, op);
      if (op.t !== 'unlock') continue;
      if (!before) {
        before = new Map();
        for (const x of inSide.signed.locks) if (!before.has(x.hashlock)) before.set(x.hashlock, x);
      }
      const l = added.get(op.hashlock) ?? before.get(op.hashlock);
      if (l) resolved.set(l.hashlock, l);
    }
    const countersignature = this.config.suite.sign(countersignedBytes(proof), this.config.privateKey);
    this.counters.signatures++;
    this.counters.batchesAccepted++;
    inSide.signed = { nonce: proof.nonce, transferred: next.transferred, locks: next.locks };
    inSide.proof = proof;
    inSide.countersignature = countersignature;
    inSide.pending = true;
    for (const op of ops) {
      if (op.t === 'lock') {
        this.noteLock(op.expiry);
        this.noteInLock(op.hashlock, ch);
      } else if (op.t === 'unlock' || op.t === 'remove') this.dropInLock(op.hashlock, ch);
    }
    // An invoice of ours is paid once the lock on it is unlocked to us: its preimage need not stay.
    for (const [h, l] of resolved)
      if (l.route.length === 0 && this.invoices.delete(h)) this.record({ t: 'paid', hashlock: h });
    this.record({
      t: 'in',
      channel: ch.info.id,
      asset,
      transferred: next.transferred,
      locks: next.locks,
      proof,
      countersignature,
    });
    for (const [h, p] of learned) this.learnPreimage(h, p);
    // The payee decides at once, in the same write, whether it claims a lock: a lock too close to its
    // expiry is declined for good, so neither this node nor its watcher will ever reveal it.
    for (const op of ops) {
      if (op.t !== 'lock' || op.route.length > 0 || resolved.has(op.hashlock)) continue;
      if (
        !this.preimages.has(op.hashlock) ||
        op.expiry <= this.now + this.config.revealMarginMs ||
        this.config.holdLocks
      ) {
        this.declined.add(op.hashlock);
        this.record({ t: 'declined', hashlock: op.hashlock });
      }
    }
    for (const op of ops) if (op.t === 'unlock' || op.t === 'remove') this.forget(op.hashlock);
    const ack = () =>
      this.emit({
        t: 'send',
        to: ch.peer,
        msg: { t: 'ack', channel: ch.info.id, asset, nonce: proof.nonce, countersignature },
      });
    if (this.config.ackBeforePersist) ack();
    this.onceDurable(() => {
      inSide.pending = false;
      if (!this.config.ackBeforePersist) ack();
      const peerSide = ch.side === 'a' ? 'b' : 'a';
      this.emit({
        t: 'watch',
        channel: ch.info.id,
        side: peerSide,
        proof,
        countersignature,
        locks: next.locks,
      });
      for (const op of ops) this.afterAccepted(ch, asset, op, resolved);
    });
  }

  /**
   * Why a received batch cannot be accepted, or the sender's side after it (the batch applied to the
   * side as `applyOps` does: the receiver's list has one lock per hashlock, so the pending locks are
   * kept by hashlock and the batch is checked in one pass over them).
   */
  private checkBatch(
    ch: ChannelState,
    asset: string,
    a: { out: OutSide; in: InSide },
    proof: SignedBalanceProof,
    ops: readonly Op[],
  ): string | Signed {
    const { suite } = this.config;
    if (proof.chain !== this.config.chainId || proof.channel !== ch.info.id || proof.asset !== asset)
      return 'wrong channel';
    if (ops.length === 0 || ops.length > this.config.maxBatch) return 'batch size';
    let transferred = a.in.signed.transferred;
    const before = a.in.signed.locks;
    let pending: Map<string, LockEntry> | null = null;
    const pendingLocks = () => {
      if (!pending) {
        pending = new Map();
        for (const l of before) if (!pending.has(l.hashlock)) pending.set(l.hashlock, l);
      }
      return pending;
    };
    const added: LockEntry[] = [];
    const gone = new Set<LockEntry>();
    for (const op of ops) {
      if (op.t === 'pay') {
        if (op.amount <= 0n || op.amount > MAX_AMOUNT) return 'amount';
        transferred += op.amount;
        if (transferred > MAX_AMOUNT) return 'amount';
      } else if (op.t === 'lock') {
        if (op.amount <= 0n || op.amount > MAX_AMOUNT || pendingLocks().has(op.hashlock)) return 'lock';
        // A lock that expires soon (a batch delayed on its way) is still accepted and failed back at
        // once: refusing it would leave the sender's signed state without a successor.
        if (op.expiry > this.now + MAX_LOCK_MS / 2) return 'lock expiry';
        if (op.attempt !== undefined && (!Number.isSafeInteger(op.attempt) || op.attempt < 2))
          return 'lock attempt';
        const l = lockEntryOf(op);
        added.push(l);
        pendingLocks().set(l.hashlock, l);
      } else {
        const lock = pendingLocks().get(op.hashlock);
        if (!lock) return 'no such lock';
        if (op.t === 'unlock') {
          if (hashlockOf(suite, op.preimage) !== op.hashlock) return 'preimage';
          transferred += lock.amount;
        } else if (!this.mayRemove(lock)) {
          return this.exposed(lock.hashlock)
            ? `lock ${lock.hashlock.slice(0, 8)} still exposed downstream`
            : `lock ${lock.hashlock.slice(0, 8)} (expiry ${lock.expiry}) has a known preimage at ${this.now}`;
        }
        pendingLocks().delete(op.hashlock);
        gone.add(lock);
      }
    }
    let locks: readonly LockEntry[] = before;
    if (added.length > 0 || gone.size > 0) {
      const changed: LockEntry[] = [];
      for (const l of before) if (!gone.has(l)) changed.push(l);
      for (const l of added) if (!gone.has(l)) changed.push(l);
      locks = changed;
    }
    // The contract refuses a proof with more locks: the receiver could not put this one on chain.
    if (locks.length > MAX_LOCKS) return `${locks.length} pending locks (at most ${MAX_LOCKS})`;
    if (proof.transferred !== transferred) return 'transferred';
    if (proof.locked !== sumLocks(locks)) return 'locked';
    if (!equalBytes(proof.locksRoot, locksRootOfEntries(suite, locks))) return 'locksRoot';
    if (!equalBytes(proof.batchRoot, opsRoot(suite, ops))) return 'batchRoot';
    const deposits = ch.info.deposits[asset]!;
    const theirs = ch.side === 'a' ? deposits.b : deposits.a;
    if (transferred + sumLocks(locks) > theirs + a.out.ackedTransferred) return 'overdrawn';
    if (!suite.verify(proof.signature, proofBytes(proof), ch.peerKey)) return 'signature';
    return { nonce: proof.nonce, transferred, locks };
  }

  /**
   * Declines an incoming lock: it will be neither forwarded nor revealed; its sender takes it back. The
   * failure names this node, the hop it could not reach (`next`, empty for the payee) and why, signed
   * for this attempt of this payment: the payer learns which hop to avoid.
   */
  private refuse(
    ch: ChannelState,
    asset: string,
    lock: Op & { t: 'lock' },
    code: FailureCode,
    next: string,
  ): void {
    this.declined.add(lock.hashlock);
    const what = { node: this.address, next, asset, code };
    const signature = this.config.suite.sign(
      failureBytes(this.config.chainId, lock, what),
      this.config.privateKey,
    );
    this.counters.signatures++;
    const failure: RouteFailure = { ...what, key: this.publicKey, signature };
    this.failedUpstream.set(
      lock.hashlock,
      (this.failedUpstream.get(lock.hashlock) ?? new Set()).add(attemptOf(lock)),
    );
    this.emit({
      t: 'send',
      to: ch.peer,
      msg: { t: 'fail', channel: ch.info.id, hashlock: lock.hashlock, failure },
    });
  }

  /** A sender may take back a lock unless this node could still be made to pay its own lock on the hash. */
  private mayRemove(lock: LockEntry): boolean {
    if (this.exposed(lock.hashlock)) return false;
    if (this.declined.has(lock.hashlock)) return true;
    if (!this.preimages.has(lock.hashlock)) return true;
    const at = this.onChain.get(lock.hashlock);
    return this.now > lock.expiry && !(at !== undefined && at <= lock.expiry);
  }

  /** What a stored incoming operation leads to: forward, pay out, reveal. */
  private afterAccepted(ch: ChannelState, asset: string, op: Op, resolved: Map<string, LockEntry>): void {
    if (op.t === 'pay') {
      this.emit({ t: 'outcome', id: op.id, outcome: 'received', asset, amount: op.amount });
      return;
    }
    if (op.t === 'unlock') {
      this.emit({ t: 'watchDone', hashlock: op.hashlock });
      // The payee's lock: the payment has arrived.
      const l = resolved.get(op.hashlock);
      if (l && l.route.length === 0)
        this.emit({ t: 'outcome', id: l.id, outcome: 'received', asset, amount: l.amount });
      return;
    }
    if (op.t !== 'lock' || this.config.holdLocks) return;
    if (op.route.length === 0) {
      // We are the payee (of a lock this batch may already have paid).
      if (resolved.has(op.hashlock)) return;
      const preimage = this.preimages.get(op.hashlock);
      if (!preimage || this.declined.has(op.hashlock)) {
        this.refuse(ch, asset, op, 'unknown_payment', '');
        return;
      }
      this.emit({ t: 'watchPreimage', hashlock: op.hashlock, preimage, expiry: op.expiry });
      this.emit({ t: 'send', to: ch.peer, msg: { t: 'reveal', channel: ch.info.id, preimage } });
      return;
    }
    // Forward with a shorter expiry, or fail upstream at once.
    const expiry = op.expiry - this.config.hopDeltaMs;
    const next = op.route[0]!;
    const out = this.forwardChannel(next, asset, op.amount, expiry);
    if (typeof out === 'string') {
      this.counters.forwardsRefused++;
      if (out === 'lock_limit') this.counters.lockLimitRefusals++;
      this.refuse(ch, asset, op, out, next);
      return;
    }
    this.enqueue(out.assets.get(asset)!.out, {
      t: 'lock',
      id: op.id,
      amount: op.amount,
      hashlock: op.hashlock,
      expiry,
      route: op.route.slice(1),
      ...(op.attempt !== undefined && { attempt: op.attempt }),
    });
  }

  /** The channel a lock is forwarded on to `next` with `expiry`, or why there is none. */
  private forwardChannel(
    next: string,
    asset: string,
    amount: bigint,
    expiry: number,
  ): ChannelState | FailureCode {
    if (expiry <= this.now + 2 * this.config.revealMarginMs) return 'expiry_too_soon';
    const known = (this.byPeer.get(next) ?? []).some((id) => {
      const c = this.channels.get(id)!;
      return c.status === 'open' && c.assets.has(asset);
    });
    if (!known) return 'unknown_next_hop';
    if (this.offline.has(next)) return 'peer_offline';
    const out = this.channelFor(next, asset, amount, true);
    return typeof out === 'string' ? CODE_OF[out]! : out;
  }

  private learnPreimage(hashlock: string, preimage: Uint8Array): void {
    if (this.preimages.has(hashlock) || !this.held(hashlock)) return;
    this.preimages.set(hashlock, preimage);
    this.noteInLocksOf(hashlock);
    this.record({ t: 'preimage', hashlock, preimage });
  }

  /** A preimage became known: the incoming locks on it need a look at their reveal margin (see `tick`). */
  private noteInLocksOf(hashlock: string): void {
    for (const ch of this.inLocks.get(hashlock) ?? [])
      for (const a of ch.assets.values())
        for (const l of a.in.signed.locks) if (l.hashlock === hashlock) this.noteLock(l.expiry);
  }

  /** A preimage learned from the node we sent a lock to (`from`), or from the chain (null). */
  private onPreimage(hashlock: string, preimage: Uint8Array, from: ChannelState | null): void {
    // A preimage for no lock of ours (a late or stray reveal) is not kept.
    if (!this.held(hashlock)) return;
    this.learnPreimage(hashlock, preimage);
    // Pay our own outgoing locks on it (the receiver would get them on chain anyway).
    for (const ch of from ? [from] : this.channels.values()) {
      if (ch.status !== 'open') continue;
      for (const a of ch.assets.values()) {
        const projected = this.projectedOut(a.out);
        if (projected.locks.some((l) => l.hashlock === hashlock))
          this.enqueue(a.out, { t: 'unlock', hashlock, preimage });
      }
    }
    // Claim our incoming locks on it from upstream.
    for (const ch of this.inLocks.get(hashlock) ?? []) {
      for (const a of ch.assets.values()) {
        const l = a.in.signed.locks.find((x) => x.hashlock === hashlock);
        if (!l) continue;
        this.emit({ t: 'watchPreimage', hashlock, preimage, expiry: l.expiry });
        if (ch.status === 'open')
          this.emit({ t: 'send', to: ch.peer, msg: { t: 'reveal', channel: ch.info.id, preimage } });
      }
    }
  }

  private onFail(ch: ChannelState, hashlock: string, failure: RouteFailure | undefined): void {
    if (this.preimages.has(hashlock)) return;
    for (const [asset, a] of ch.assets) {
      const lock = this.projectedOut(a.out).locks.find((l) => l.hashlock === hashlock);
      if (!lock) continue;
      this.enqueue(a.out, { t: 'remove', hashlock });
      // Our own payment's lock: the payer reads the failure. Anyone else's: relayed as it came. Either is
      // written with this input, before the removal is signed at a later tick.
      const attempt = attemptOf(lock);
      let kept: RouteFailure | undefined;
      if (this.initiated.has(lock.id) && this.sentLockIds.get(hashlock)?.id === lock.id) {
        const checked = this.checkedFailure(ch, asset, lock, failure);
        this.lockFailures.set(hashlock, checked);
        kept = checked ?? undefined;
      } else if (failure) {
        this.relayFailures.set(hashlock, { attempt, failure });
        kept = failure;
      }
      this.record({ t: 'failure', hashlock, attempt, ...(kept && { failure: kept }) });
    }
    this.failUpstream(hashlock);
  }

  /**
   * The failure that came back for a lock of ours, if it names a node of the lock's route and that node's
   * next hop on it, and that node signed it for this attempt; null otherwise (no failure, or one an
   * intermediary made up or altered: the payer cannot tell which hop failed).
   */
  private checkedFailure(
    ch: ChannelState,
    asset: string,
    lock: LockEntry,
    failure: RouteFailure | undefined,
  ): RouteFailure | null {
    if (!failure || failure.asset !== asset || !FAILURE_CODES.includes(failure.code)) return null;
    const route = [ch.peer, ...lock.route];
    const at = route.indexOf(failure.node);
    if (at < 0 || failure.next !== (route[at + 1] ?? '')) return null;
    const { suite, chainId } = this.config;
    if (addressFromPublicKey(suite, failure.key) !== failure.node) return null;
    if (!suite.verify(failure.signature, failureBytes(chainId, lock, failure), failure.key)) return null;
    return failure;
  }

  /**
   * Tells the senders of our incoming locks on `hashlock` to take them back, once nothing is exposed,
   * with the failure that came back from downstream for the same attempt (unchanged).
   */
  private failUpstream(hashlock: string): void {
    if (this.preimages.has(hashlock) || this.exposed(hashlock)) return;
    const relay = this.relayFailures.get(hashlock);
    for (const ch of this.inLocks.get(hashlock) ?? []) {
      if (ch.status !== 'open') continue;
      for (const a of ch.assets.values()) {
        const lock = a.in.signed.locks.find((l) => l.hashlock === hashlock);
        if (!lock) continue;
        const attempt = attemptOf(lock);
        const done = this.failedUpstream.get(hashlock) ?? new Set<number>();
        if (done.has(attempt)) continue;
        this.failedUpstream.set(hashlock, done.add(attempt));
        const failure = relay?.attempt === attempt ? relay.failure : undefined;
        this.emit({
          t: 'send',
          to: ch.peer,
          msg: { t: 'fail', channel: ch.info.id, hashlock, ...(failure && { failure }) },
        });
      }
    }
  }
}

/** A failed payment's reason when the hop that failed it is known. */
export function failureReason(f: RouteFailure): string {
  return `${ROUTE_FAILURE}${f.code} at ${f.node}${f.next ? ` → ${f.next}` : ''}`;
}

/** A held proof in the contract's parameter form. */
export function proofParams(
  asset: string,
  side: 'a' | 'b',
  proof: SignedBalanceProof,
  locks: readonly LockEntry[],
  countersignature?: Uint8Array,
): Record<string, unknown> {
  return {
    symbol: asset,
    side,
    nonce: proof.nonce,
    transferred: proof.transferred,
    locked: proof.locked,
    locksRoot: toHex(proof.locksRoot),
    batchRoot: toHex(proof.batchRoot),
    signature: proof.signature,
    ...(countersignature && { countersignature }),
    locks: locks.map((l) => ({ amount: l.amount, hashlock: l.hashlock, expiry: l.expiry })),
  };
}
