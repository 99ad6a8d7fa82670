// The signed messages of the superconducting network, shared by the `channels` contract (which checks them
// on chain) and by chain/channels (which makes them off chain): both sides must hash and sign exactly the
// same bytes. Everything here is pure: canonical encoding (chain/ledger) and the chain's crypto suite.
//
// A balance proof is the sender's word on one direction of one asset of one channel:
//   { chain, channel, asset, nonce, transferred, locked, locksRoot, batchRoot }
// `transferred` only grows (Raiden style): the newest proof, by nonce, wins a dispute and no revocation is
// needed. `locked` is the sum of the hash-locked amounts still pending, `locksRoot` the Merkle root over
// them (each lock encoded canonically), `batchRoot` the Merkle root over the transfers the proof covers.
import { type CryptoSuite, encodeCanonical, merkleRoot, toHex } from '@gongxin/ledger';

/** One hash-locked amount: pays the receiver if `hashlock`'s preimage is on chain no later than `expiry`. */
export interface Lock {
  readonly amount: bigint;
  /** 64 lowercase hex digits: the chain suite's hash of the preimage. */
  readonly hashlock: string;
  /** Block time, ms since the epoch. */
  readonly expiry: number;
}

export interface BalanceProof {
  readonly chain: string;
  readonly channel: string;
  readonly asset: string;
  readonly nonce: number;
  readonly transferred: bigint;
  readonly locked: bigint;
  /** 32 bytes. */
  readonly locksRoot: Uint8Array;
  /** 32 bytes. */
  readonly batchRoot: Uint8Array;
}

export interface SignedBalanceProof extends BalanceProof {
  readonly signature: Uint8Array;
}

const PROOF_TAG = 'gongxin/channels/balance-proof/v1';
const CLOSE_TAG = 'gongxin/channels/close/v1';
const COUNTERSIGN_TAG = 'gongxin/channels/countersign/v1';

export function encodeLock(lock: Lock): Uint8Array {
  return encodeCanonical({ amount: lock.amount, hashlock: lock.hashlock, expiry: lock.expiry });
}

/** Merkle root over the pending locks, in the order the sender lists them; the empty list has a root too. */
export function locksRootOf(suite: CryptoSuite, locks: readonly Lock[]): Uint8Array {
  return merkleRoot(suite.hash, locks.map(encodeLock));
}

export function sumLocks(locks: readonly Lock[]): bigint {
  let total = 0n;
  for (const l of locks) total += l.amount;
  return total;
}

/** The bytes a sender signs for a balance proof. */
export function balanceProofBytes(proof: BalanceProof): Uint8Array {
  return encodeCanonical({
    type: PROOF_TAG,
    chain: proof.chain,
    channel: proof.channel,
    asset: proof.asset,
    nonce: proof.nonce,
    transferred: proof.transferred,
    locked: proof.locked,
    locksRoot: proof.locksRoot,
    batchRoot: proof.batchRoot,
  });
}

/**
 * The bytes a receiver signs to acknowledge a balance proof it holds and has stored (the countersignature).
 * On chain, a proof of one side counts only when its receiver submits it or countersigned it: a sender
 * cannot put forward a state of its own payments the receiver never accepted.
 */
export function countersignBytes(proof: BalanceProof): Uint8Array {
  return encodeCanonical({
    type: COUNTERSIGN_TAG,
    chain: proof.chain,
    channel: proof.channel,
    asset: proof.asset,
    nonce: proof.nonce,
    transferred: proof.transferred,
    locked: proof.locked,
    locksRoot: proof.locksRoot,
    batchRoot: proof.batchRoot,
  });
}

export function signBalanceProof(
  suite: CryptoSuite,
  proof: BalanceProof,
  privateKey: Uint8Array,
): SignedBalanceProof {
  return { ...proof, signature: suite.sign(balanceProofBytes(proof), privateKey) };
}

export function verifyBalanceProof(
  suite: CryptoSuite,
  proof: SignedBalanceProof,
  publicKey: Uint8Array,
): boolean {
  return suite.verify(proof.signature, balanceProofBytes(proof), publicKey);
}

/** Final amounts of a cooperative close, one entry per asset of the channel. */
export interface CloseBalance {
  readonly symbol: string;
  /** What the channel's opener receives. */
  readonly a: bigint;
  /** What the other party receives. */
  readonly b: bigint;
}

/** The bytes both parties sign to close a channel together. Balances are sorted by symbol. */
export function closeBytes(chain: string, channel: string, balances: readonly CloseBalance[]): Uint8Array {
  const sorted = [...balances].sort((x, y) => (x.symbol < y.symbol ? -1 : x.symbol > y.symbol ? 1 : 0));
  return encodeCanonical({
    type: CLOSE_TAG,
    chain,
    channel,
    balances: sorted.map((b) => ({ symbol: b.symbol, a: b.a, b: b.b })),
  });
}

/** The hashlock of a preimage, as the contract's preimage registry keys it. */
export function hashlockOf(suite: CryptoSuite, preimage: Uint8Array): string {
  return toHex(suite.hash(preimage));
}

/** Merkle root over a batch's transfers, each given as its canonical encoding. */
export function batchRootOf(suite: CryptoSuite, transfers: readonly Uint8Array[]): Uint8Array {
  return merkleRoot(suite.hash, transfers);
}

/** The root of no locks: what a proof with nothing pending carries. */
export function emptyLocksRoot(suite: CryptoSuite): Uint8Array {
  return locksRootOf(suite, []);
}
