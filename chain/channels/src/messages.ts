// What channel nodes say to each other, what they store, and what the machine asks its driver to do.
// Everything a batch's root covers is encoded canonically (chain/ledger), so the receiver recomputes the
// root from the operations it is sent and checks it against the signed balance proof.

import { batchRootOf, encodeLock, type Lock, type SignedBalanceProof } from '@gongxin/contracts';
import {
  type CryptoSuite,
  encodeCanonical,
  leafHash,
  merkleRootOfLeafHashes,
  type Value,
} from '@gongxin/ledger';

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
  /** To the sender of a lock: its preimage, so the sender unlocks it. */
  | { readonly t: 'reveal'; readonly channel: string; readonly preimage: Uint8Array }
  /** To the sender of a lock: it cannot be forwarded or paid; remove it. */
  | { readonly t: 'fail'; readonly channel: string; readonly hashlock: string };

export function encodeOp(op: Op): Uint8Array {
  return encodeCanonical(op as unknown as Value);
}

export function opsRoot(suite: CryptoSuite, ops: readonly Op[]): Uint8Array {
  return batchRootOf(suite, ops.map(encodeOp));
}

/** A pending lock as the machine tracks it: the chain's lock plus where its payment goes next. */
export interface LockEntry extends Lock {
  readonly id: string;
  readonly route: readonly string[];
}

export const toLock = (l: LockEntry): Lock => ({ amount: l.amount, hashlock: l.hashlock, expiry: l.expiry });

/** Leaf hashes of lock entries, per suite: an entry is immutable and stays pending over many proofs. */
const lockLeaves = new WeakMap<CryptoSuite, WeakMap<LockEntry, Uint8Array>>();

/**
 * The contract's `locksRootOf` over lock entries (the same root), hashing each entry's leaf once: a
 * direction with many pending locks re-signs them all in every proof.
 */
export function locksRootOfEntries(suite: CryptoSuite, locks: readonly LockEntry[]): Uint8Array {
  let leaves = lockLeaves.get(suite);
  if (!leaves) {
    leaves = new WeakMap();
    lockLeaves.set(suite, leaves);
  }
  const hashes: Uint8Array[] = [];
  for (const l of locks) {
    let h = leaves.get(l);
    if (!h) {
      h = leafHash(suite.hash, encodeLock(toLock(l)));
      leaves.set(l, h);
    }
    hashes.push(h);
  }
  return merkleRootOfLeafHashes(suite.hash, hashes);
}
