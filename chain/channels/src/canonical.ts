// The canonical encodings (chain/ledger's `encodeCanonical`) of the few fixed shapes a channel node hashes
// or signs for every batch: operations, locks and the balance proof's signed bytes. They are written
// field by field in the canonical key order (shorter keys first, then bytewise), which gives the same
// bytes as `encodeCanonical` of the same object without building, sorting and walking a generic map per
// value. A value the fast path does not take as it is (a text that is not short ASCII, an integer out of
// its range) goes through `encodeCanonical` instead, so the bytes, and the errors, are always its.

import {
  type BalanceProof,
  balanceProofBytes,
  countersignBytes,
  encodeLock,
  type Lock,
} from '@gongxin/contracts';
import { CanonicalWriter, encodeCanonical, type Hasher, type Value } from '@gongxin/ledger';
import type { Op } from './messages';

const MAX_UINT64 = 2n ** 64n - 1n;

/** Thrown inside a fast write when a value needs the generic encoder. */
const GENERIC = Symbol('generic');

/**
 * The ledger's canonical writer (its `bytes` appends bytes already encoded, such as a key with its head),
 * with the checked writes of the fast path: GENERIC when a value does not fit it.
 */
class Out extends CanonicalWriter {
  /** A non-negative safe integer. */
  uint(v: number): void {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw GENERIC;
    this.head(0, v);
  }

  /** A non-negative amount of at most 64 bits. */
  amount(v: bigint): void {
    if (typeof v !== 'bigint' || v < 0n || v > MAX_UINT64) throw GENERIC;
    this.headBig(0, v);
  }

  /** A text of printable ASCII shorter than 256 characters (the rest goes the generic way). */
  text(s: string): void {
    if (typeof s !== 'string' || s.length >= 256) throw GENERIC;
    this.head(3, s.length);
    this.ensure(s.length);
    const { buf } = this;
    let pos = this.pos;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) throw GENERIC;
      buf[pos++] = c;
    }
    this.pos = pos;
  }

  /** A byte string: its head, then the bytes. */
  byteString(b: Uint8Array): void {
    if (!(b instanceof Uint8Array)) throw GENERIC;
    this.head(2, b.length);
    this.bytes(b);
  }
}

const out = new Out();
const ascii = new TextEncoder();
/** A map key as canonical CBOR (its text head and bytes). */
const key = (k: string): Uint8Array => {
  const b = ascii.encode(k);
  return Uint8Array.of(0x60 | b.length, ...b);
};
const K = {
  t: key('t'),
  id: key('id'),
  route: key('route'),
  amount: key('amount'),
  expiry: key('expiry'),
  attempt: key('attempt'),
  hashlock: key('hashlock'),
  preimage: key('preimage'),
  type: key('type'),
  asset: key('asset'),
  chain: key('chain'),
  nonce: key('nonce'),
  locked: key('locked'),
  channel: key('channel'),
  batchRoot: key('batchRoot'),
  locksRoot: key('locksRoot'),
  transferred: key('transferred'),
};
const T = { pay: key('pay'), lock: key('lock'), unlock: key('unlock'), remove: key('remove') };

/** Map head: major type 5 with its entry count (always below 24 here). */
const map = (n: number): void => {
  out.ensure(1);
  out.buf[out.pos++] = 0xa0 | n;
};

function writeOp(op: Op): void {
  switch (op.t) {
    case 'pay':
      // t, id, amount
      map(3);
      out.bytes(K.t);
      out.bytes(T.pay);
      out.bytes(K.id);
      out.text(op.id);
      out.bytes(K.amount);
      out.amount(op.amount);
      return;
    case 'lock': {
      // t, id, route, amount, expiry, [attempt], hashlock
      const attempt = op.attempt;
      map(attempt === undefined ? 6 : 7);
      out.bytes(K.t);
      out.bytes(T.lock);
      out.bytes(K.id);
      out.text(op.id);
      out.bytes(K.route);
      if (!Array.isArray(op.route)) throw GENERIC;
      out.head(4, op.route.length);
      for (const hop of op.route) out.text(hop);
      out.bytes(K.amount);
      out.amount(op.amount);
      out.bytes(K.expiry);
      out.uint(op.expiry);
      if (attempt !== undefined) {
        out.bytes(K.attempt);
        out.uint(attempt);
      }
      out.bytes(K.hashlock);
      out.text(op.hashlock);
      return;
    }
    case 'unlock':
      // t, hashlock, preimage
      map(3);
      out.bytes(K.t);
      out.bytes(T.unlock);
      out.bytes(K.hashlock);
      out.text(op.hashlock);
      out.bytes(K.preimage);
      out.byteString(op.preimage);
      return;
    case 'remove':
      // t, hashlock
      map(2);
      out.bytes(K.t);
      out.bytes(T.remove);
      out.bytes(K.hashlock);
      out.text(op.hashlock);
      return;
    default:
      throw GENERIC;
  }
}

function writeLock(l: Lock): void {
  // amount, expiry, hashlock
  map(3);
  out.bytes(K.amount);
  out.amount(l.amount);
  out.bytes(K.expiry);
  out.uint(l.expiry);
  out.bytes(K.hashlock);
  out.text(l.hashlock);
}

const PROOF_TAG = ascii.encode('gongxin/channels/balance-proof/v1');
const COUNTERSIGN_TAG = ascii.encode('gongxin/channels/countersign/v1');

function writeProof(tag: Uint8Array, p: BalanceProof): void {
  // type, asset, chain, nonce, locked, channel, batchRoot, locksRoot, transferred
  map(9);
  out.bytes(K.type);
  out.head(3, tag.length);
  out.bytes(tag);
  out.bytes(K.asset);
  out.text(p.asset);
  out.bytes(K.chain);
  out.text(p.chain);
  out.bytes(K.nonce);
  out.uint(p.nonce);
  out.bytes(K.locked);
  out.amount(p.locked);
  out.bytes(K.channel);
  out.text(p.channel);
  out.bytes(K.batchRoot);
  out.byteString(p.batchRoot);
  out.bytes(K.locksRoot);
  out.byteString(p.locksRoot);
  out.bytes(K.transferred);
  out.amount(p.transferred);
}

/** Runs a fast write from `start`; false when the value needs the generic encoder. */
function tryWrite<T>(write: (v: T) => void, v: T, start: number): boolean {
  out.pos = start;
  try {
    write(v);
    return true;
  } catch (e) {
    if (e === GENERIC) return false;
    throw e;
  }
}

function encoded<T>(write: (v: T) => void, v: T, generic: (v: T) => Uint8Array): Uint8Array {
  return tryWrite(write, v, 0) ? out.buf.slice(0, out.pos) : generic(v);
}

/** The RFC 6962 leaf hash (0x00 then the encoding) of a value written by `write`. */
function leaf<T>(hash: Hasher, write: (v: T) => void, v: T, generic: (v: T) => Uint8Array): Uint8Array {
  if (!tryWrite(write, v, 1)) {
    const bytes = generic(v);
    out.pos = 0;
    out.ensure(1 + bytes.length);
    out.pos = 1;
    out.bytes(bytes);
  }
  out.buf[0] = 0;
  return hash(out.buf.subarray(0, out.pos));
}

const genericOp = (op: Op): Uint8Array => encodeCanonical(op as unknown as Value);

/** `encodeCanonical(op)`. */
export const encodeOpBytes = (op: Op): Uint8Array => encoded(writeOp, op, genericOp);

/** The contract's `encodeLock(lock)`. */
export const encodeLockBytes = (l: Lock): Uint8Array =>
  encoded(writeLock, l, (x) => encodeLock({ amount: x.amount, hashlock: x.hashlock, expiry: x.expiry }));

/** The Merkle leaf hash of an operation in a batch root. */
export const opLeafHash = (hash: Hasher, op: Op): Uint8Array => leaf(hash, writeOp, op, genericOp);

/** The Merkle leaf hash of a lock in a locks root. */
export const lockLeafHash = (hash: Hasher, l: Lock): Uint8Array =>
  leaf(hash, writeLock, l, (x) => encodeLock({ amount: x.amount, hashlock: x.hashlock, expiry: x.expiry }));

/** The contract's `balanceProofBytes(proof)`: what the sender signs. */
export const proofBytes = (p: BalanceProof): Uint8Array =>
  encoded((x: BalanceProof) => writeProof(PROOF_TAG, x), p, balanceProofBytes);

/** The contract's `countersignBytes(proof)`: what the receiver signs. */
export const countersignedBytes = (p: BalanceProof): Uint8Array =>
  encoded((x: BalanceProof) => writeProof(COUNTERSIGN_TAG, x), p, countersignBytes);
