// What channel nodes say to each other, what they store, and what the machine asks its driver to do.
// Everything a batch's root covers is encoded canonically (chain/ledger), so the receiver recomputes the
// root from the operations it is sent and checks it against the signed balance proof.

import type { CloseBalance, Lock, SignedBalanceProof } from '@gongxin/contracts';
import { type CryptoSuite, encodeCanonical, merkleRootOfLeafHashes, nodeHash } from '@gongxin/ledger';
import { encodeOpBytes, lockLeafHash, opLeafHash } from './canonical';

/** One change a batch makes to the sender's side of one asset of one channel. */
export type Op =
  /** A direct payment: `transferred` grows by `amount`. */
  | { readonly t: 'pay'; readonly id: string; readonly amount: bigint }
  /**
   * A hash-locked amount for a payment routed through the receiver: `route` is the rest of the path after
   * the receiver (empty when the receiver is the payee).
   */
  | {
      readonly t: 'lock';
      readonly id: string;
      readonly amount: bigint;
      readonly hashlock: string;
      readonly expiry: number;
      readonly route: readonly string[];
      /**
       * Which attempt of the payment this lock is (absent: the first). A payment that failed somewhere on
       * its route is tried again with the same hashlock under the next attempt number: each attempt is
       * its own lock, and the payer removes one before it sends the next.
       */
      readonly attempt?: number;
    }
  /** The lock's preimage is known: its amount moves into `transferred`. */
  | { readonly t: 'unlock'; readonly hashlock: string; readonly preimage: Uint8Array }
  /** The lock failed or expired: its amount returns to the sender. */
  | { readonly t: 'remove'; readonly hashlock: string };

export type Message =
  | {
      readonly t: 'batch';
      readonly channel: string;
      readonly asset: string;
      readonly proof: SignedBalanceProof;
      readonly ops: readonly Op[];
    }
  /** The receiver has stored the batch: its countersignature over the proof. */
  | {
      readonly t: 'ack';
      readonly channel: string;
      readonly asset: string;
      readonly nonce: number;
      readonly countersignature: Uint8Array;
    }
  /**
   * A cooperative close begins (BOLT 2's `shutdown`): the sender starts no new payment in the channel and
   * asks the same of the receiver; what is in flight finishes. `reply`: the answer to one (not answered).
   */
  | { readonly t: 'shutdown'; readonly channel: string; readonly reply?: true }
  /**
   * The final amounts of a cooperative close, with the sender's signature over the contract's close bytes:
   * the opener proposes once nothing is in flight and no lock is pending; the other party answers with
   * its own signature over the same amounts, and either can put both on chain.
   */
  | {
      readonly t: 'closeSign';
      readonly channel: string;
      readonly balances: readonly CloseBalance[];
      readonly signature: Uint8Array;
    }
  /** To the sender of a lock: its preimage, so the sender unlocks it. */
  | { readonly t: 'reveal'; readonly channel: string; readonly preimage: Uint8Array }
  /**
   * To the sender of a lock: it cannot be forwarded or paid; remove it. `failure` says where and why, as
   * the node that failed it signed it; nodes upstream relay it unchanged and only the payer reads it.
   */
  | {
      readonly t: 'fail';
      readonly channel: string;
      readonly hashlock: string;
      readonly failure?: RouteFailure;
    };

/** Why a node could not carry a lock on (BOLT 4's failure codes, the ones this network has). */
export const FAILURE_CODES = [
  /** No open channel to the next hop has the amount free. */
  'no_capacity',
  /** Every channel to the next hop that has the amount holds the most pending locks a proof carries. */
  'lock_limit',
  /** Too little time left before the lock's expiry to forward it with a shorter one. */
  'expiry_too_soon',
  /** No channel to the next hop at all. */
  'unknown_next_hop',
  /** The link to the next hop is down. */
  'peer_offline',
  /** The payee has no invoice for the hashlock (or declined it). */
  'unknown_payment',
] as const;

export type FailureCode = (typeof FAILURE_CODES)[number];

/**
 * Where a lock failed on its route and why, signed by the node that failed it (`node`, whose public key is
 * `key`): the payer checks the key against the address on its route and the signature over the lock
 * (hashlock, payment id, attempt), so an intermediary cannot blame another hop for a failure of its own
 * (it can only fail a lock itself, or strip the failure, which leaves the payer blaming the whole route).
 */
export interface RouteFailure {
  /** The node that could not carry the lock on. */
  readonly node: string;
  /** The next hop it could not reach; empty when `node` is the payee. */
  readonly next: string;
  readonly asset: string;
  readonly code: FailureCode;
  readonly key: Uint8Array;
  readonly signature: Uint8Array;
}

/** The bytes a failing node signs: the failure bound to one attempt of one payment on one chain. */
export function failureBytes(
  chainId: string,
  lock: { readonly hashlock: string; readonly id: string; readonly attempt?: number },
  f: Pick<RouteFailure, 'node' | 'next' | 'asset' | 'code'>,
): Uint8Array {
  return encodeCanonical({
    domain: 'gongxin/channels/route-failure/1',
    chain: chainId,
    hashlock: lock.hashlock,
    id: lock.id,
    attempt: lock.attempt ?? 1,
    node: f.node,
    next: f.next,
    asset: f.asset,
    code: f.code,
  });
}

export function encodeOp(op: Op): Uint8Array {
  return encodeOpBytes(op);
}

/** The contract's `batchRootOf` over the operations' canonical encodings (the same root). */
export function opsRoot(suite: CryptoSuite, ops: readonly Op[]): Uint8Array {
  const leaves: Uint8Array[] = new Array(ops.length);
  for (let i = 0; i < ops.length; i++) leaves[i] = opLeafHash(suite.hash, ops[i]!);
  return merkleRootOfLeafHashes(suite.hash, leaves);
}

/** A pending lock as the machine tracks it: the chain's lock plus where its payment goes next. */
export interface LockEntry extends Lock {
  readonly id: string;
  readonly route: readonly string[];
  /** The payment's attempt this lock is (absent: the first); see the `lock` operation. */
  readonly attempt?: number;
}

/** A lock's attempt number (the first when absent). */
export const attemptOf = (l: { readonly attempt?: number }): number => l.attempt ?? 1;

export const toLock = (l: LockEntry): Lock => ({ amount: l.amount, hashlock: l.hashlock, expiry: l.expiry });

/** Per suite: leaf hashes of lock entries, and the inner nodes of locks roots by their two children. */
interface LockHashes {
  readonly leaves: WeakMap<LockEntry, Uint8Array>;
  readonly nodes: WeakMap<Uint8Array, WeakMap<Uint8Array, Uint8Array>>;
}
const lockHashes = new WeakMap<CryptoSuite, LockHashes>();

/**
 * The contract's `locksRootOf` over lock entries (the same root), hashing each entry's leaf once and each
 * inner node once per pair of children: a direction with many pending locks signs them all in every
 * proof, and a proof that adds or removes a few locks keeps most subtrees of the one before (all of them
 * when its locks did not change, the part before the first change when locks were only added, every
 * other level's worth when one was removed).
 */
export function locksRootOfEntries(suite: CryptoSuite, locks: readonly LockEntry[]): Uint8Array {
  let cache = lockHashes.get(suite);
  if (!cache) {
    cache = { leaves: new WeakMap(), nodes: new WeakMap() };
    lockHashes.set(suite, cache);
  }
  if (locks.length === 0) return suite.hash(new Uint8Array(0));
  let level: Uint8Array[] = new Array(locks.length);
  for (let i = 0; i < locks.length; i++) {
    const l = locks[i]!;
    let h = cache.leaves.get(l);
    if (!h) {
      h = lockLeafHash(suite.hash, l);
      cache.leaves.set(l, h);
    }
    level[i] = h;
  }
  // Level by level as merkleRootOfLeafHashes does: pairs hashed, an odd last node carried up.
  while (level.length > 1) {
    const next: Uint8Array[] = new Array((level.length + 1) >> 1);
    for (let i = 0; i + 1 < level.length; i += 2) {
      const left = level[i]!;
      const right = level[i + 1]!;
      let byRight = cache.nodes.get(left);
      if (!byRight) {
        byRight = new WeakMap();
        cache.nodes.set(left, byRight);
      }
      let parent = byRight.get(right);
      if (!parent) {
        parent = nodeHash(suite.hash, left, right);
        byRight.set(right, parent);
      }
      next[i >> 1] = parent;
    }
    if (level.length % 2 === 1) next[next.length - 1] = level[level.length - 1]!;
    level = next;
  }
  // A copy: the cached node stays as it is whatever a caller does with the root.
  return level[0]!.slice();
}
