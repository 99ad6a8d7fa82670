// A compact binary form of the machine's durable records, for append-only logs: a record is a tag byte
// followed by its fields in a fixed order (text and bytes length-prefixed, integers as LEB128 varints,
// amounts as varint-length big-endian magnitudes). It carries everything a record holds (the operations
// of a signed batch too, which a restarted node sends again), so `decodeRecord(encodeRecord(r))` gives
// back `r`. Records are versioned by their tag: an `out` or `in` record whose locks or lock operations
// carry an attempt number (a payment's later attempt) is written under its own tag with the attempts in
// it, so records written before attempts were carried still decode (their locks are first attempts).
// A `RecordWriter` appends many records into one growing buffer, each behind its byte length,
// so that a round of records is one buffer for one append.

import type { SignedBalanceProof } from '@gongxin/contracts';
import type { ChannelInfo, ChannelStatus, DurableRecord } from './machine';
import { FAILURE_CODES, type FailureCode, type LockEntry, type Op } from './messages';

const TAG = {
  channel: 1,
  status: 2,
  out: 3,
  in: 4,
  preimage: 5,
  declined: 6,
  payment: 7,
  invoice: 8,
  paid: 9,
  unsent: 10,
} as const;
/** A `payment` record with `queued` (tag 7 is one without it). */
const QUEUED_PAYMENT = 11;
/** A `failure` record. */
const FAILURE = 12;
/** A `payment` record with a plan: a byte for `queued` (0 or 1), then the payment and its plan. */
const PLANNED_PAYMENT = 13;
/** An `out` record whose locks carry their attempt numbers (a varint after each lock's route, 0: absent). */
const OUT_ATTEMPTS = 14;
/** An `in` record whose locks carry their attempt numbers, as in `OUT_ATTEMPTS`. */
const IN_ATTEMPTS = 15;
/** A `shutdown` record: the channel, then a byte 0 (no amounts) or 1 and the amounts and signatures. */
const SHUTDOWN = 16;
/** A `lock` operation with an attempt number (a varint after its route); `OP.lock` is one without. */
const LOCK_ATTEMPT_OP = 5;
const OP = { pay: 1, lock: 2, unlock: 3, remove: 4 } as const;
const STATUS: readonly ChannelStatus[] = ['open', 'closing', 'settled'];

export class RecordError extends Error {
  override readonly name = 'RecordError';
}

/**
 * The encoded form of lock entries, with and without attempt numbers: an entry is immutable and a pending
 * lock is written again in every `out` or `in` record of its direction until it resolves.
 */
const lockBytes = new WeakMap<LockEntry, Uint8Array>();
const lockBytesWithAttempt = new WeakMap<LockEntry, Uint8Array>();

export class RecordWriter {
  private buf = Buffer.allocUnsafe(1 << 16);
  private pos = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /** Appends one record behind its length (a 4-byte big-endian prefix). */
  append(r: DurableRecord): void {
    this.ensure(4);
    const at = this.pos;
    this.pos += 4;
    this.record(r);
    this.buf.writeUInt32BE(this.pos - at - 4, at);
  }

  /** The bytes written since the last `take`, and a fresh start. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }

  /** The bytes written so far without copying; valid until the next write. */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  reset(): void {
    this.pos = 0;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  private uint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RecordError(`not a non-negative integer: ${v}`);
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  private big(v: bigint): void {
    if (v < 0n) throw new RecordError(`negative amount: ${v}`);
    if (v < 0x80n) {
      // The common case (small amounts): one length byte and one byte.
      this.u8(v === 0n ? 0 : 1);
      if (v !== 0n) this.u8(Number(v));
      return;
    }
    let hex = v.toString(16);
    if (hex.length % 2 === 1) hex = `0${hex}`;
    const n = hex.length / 2;
    this.uint(n);
    this.ensure(n);
    this.pos += this.buf.write(hex, this.pos, 'hex');
  }

  private str(s: string): void {
    const n = Buffer.byteLength(s);
    this.uint(n);
    this.ensure(n);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  private bytes(b: Uint8Array): void {
    this.uint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  private proof(p: SignedBalanceProof): void {
    this.str(p.chain);
    this.str(p.channel);
    this.str(p.asset);
    this.uint(p.nonce);
    this.big(p.transferred);
    this.big(p.locked);
    this.bytes(p.locksRoot);
    this.bytes(p.batchRoot);
    this.bytes(p.signature);
  }

  private route(route: readonly string[]): void {
    this.uint(route.length);
    for (const s of route) this.str(s);
  }

  private locks(locks: readonly LockEntry[], attempts: boolean): void {
    this.uint(locks.length);
    const cache = attempts ? lockBytesWithAttempt : lockBytes;
    for (const l of locks) {
      const known = cache.get(l);
      if (known) {
        this.ensure(known.length);
        this.buf.set(known, this.pos);
        this.pos += known.length;
        continue;
      }
      const start = this.pos;
      this.str(l.id);
      this.big(l.amount);
      this.str(l.hashlock);
      this.uint(l.expiry);
      this.route(l.route);
      if (attempts) this.attempt(l.attempt);
      cache.set(l, this.buf.slice(start, this.pos));
    }
  }

  /** An attempt number, 0 when absent. */
  private attempt(a: number | undefined): void {
    if (a !== undefined && (!Number.isSafeInteger(a) || a < 1)) throw new RecordError(`bad attempt: ${a}`);
    this.uint(a ?? 0);
  }

  private op(op: Op): void {
    this.u8(op.t === 'lock' && op.attempt !== undefined ? LOCK_ATTEMPT_OP : OP[op.t]);
    switch (op.t) {
      case 'pay':
        this.str(op.id);
        this.big(op.amount);
        return;
      case 'lock':
        this.str(op.id);
        this.big(op.amount);
        this.str(op.hashlock);
        this.uint(op.expiry);
        this.route(op.route);
        if (op.attempt !== undefined) this.attempt(op.attempt);
        return;
      case 'unlock':
        this.str(op.hashlock);
        this.bytes(op.preimage);
        return;
      case 'remove':
        this.str(op.hashlock);
        return;
    }
  }

  private record(r: DurableRecord): void {
    if (r.t === 'failure') {
      this.u8(FAILURE);
      this.str(r.hashlock);
      this.uint(r.attempt);
      this.u8(r.failure ? 1 : 0);
      if (r.failure) {
        this.str(r.failure.node);
        this.str(r.failure.next);
        this.str(r.failure.asset);
        this.str(r.failure.code);
        this.bytes(r.failure.key);
        this.bytes(r.failure.signature);
      }
      return;
    }
    if (r.t === 'shutdown') {
      this.u8(SHUTDOWN);
      this.str(r.channel);
      if (!r.balances) {
        this.u8(0);
        return;
      }
      this.u8(1);
      this.uint(r.balances.length);
      for (const b of r.balances) {
        this.str(b.symbol);
        this.big(b.a);
        this.big(b.b);
      }
      this.bytes(r.signatureA ?? new Uint8Array(0));
      this.bytes(r.signatureB ?? new Uint8Array(0));
      return;
    }
    if (r.t === 'payment' && r.plan) {
      this.u8(PLANNED_PAYMENT);
      this.u8(r.queued ? 1 : 0);
      this.str(r.id);
      this.str(r.asset);
      this.big(r.amount);
      this.str(r.plan.payee);
      this.uint(r.plan.tried);
      this.uint(r.plan.deadline);
      this.route(r.plan.excluded);
      return;
    }
    const attempts = (r.t === 'out' || r.t === 'in') && carriesAttempts(r);
    this.u8(
      r.t === 'payment' && r.queued
        ? QUEUED_PAYMENT
        : attempts
          ? r.t === 'out'
            ? OUT_ATTEMPTS
            : IN_ATTEMPTS
          : TAG[r.t],
    );
    switch (r.t) {
      case 'channel': {
        const i = r.info;
        this.str(i.id);
        this.str(i.a);
        this.str(i.b);
        this.bytes(i.aKey);
        this.bytes(i.bKey);
        this.uint(i.disputeMs);
        const symbols = Object.keys(i.deposits);
        this.uint(symbols.length);
        for (const s of symbols) {
          this.str(s);
          this.big(i.deposits[s]!.a);
          this.big(i.deposits[s]!.b);
        }
        return;
      }
      case 'status':
        this.str(r.channel);
        this.u8(STATUS.indexOf(r.status));
        return;
      case 'out':
        this.str(r.channel);
        this.str(r.asset);
        this.big(r.transferred);
        this.locks(r.locks, attempts);
        this.proof(r.proof);
        this.uint(r.ops.length);
        for (const op of r.ops) this.op(op);
        return;
      case 'in':
        this.str(r.channel);
        this.str(r.asset);
        this.big(r.transferred);
        this.locks(r.locks, attempts);
        this.proof(r.proof);
        this.bytes(r.countersignature);
        return;
      case 'preimage':
      case 'invoice':
        this.str(r.hashlock);
        this.bytes(r.preimage);
        return;
      case 'declined':
      case 'paid':
        this.str(r.hashlock);
        return;
      case 'payment':
        this.str(r.id);
        this.str(r.asset);
        this.big(r.amount);
        return;
      case 'unsent':
        this.str(r.id);
        return;
    }
  }
}

/** Whether an `out` or `in` record has a lock (or, for `out`, a lock operation) of a later attempt. */
function carriesAttempts(r: Extract<DurableRecord, { t: 'out' | 'in' }>): boolean {
  if (r.locks.some((l) => l.attempt !== undefined)) return true;
  return r.t === 'out' && r.ops.some((op) => op.t === 'lock' && op.attempt !== undefined);
}

/** One record in the binary form (without the length prefix). */
export function encodeRecord(r: DurableRecord): Uint8Array {
  const w = new RecordWriter();
  w.append(r);
  return new Uint8Array(w.take().subarray(4));
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new RecordError('record cut short');
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  uint(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      v += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new RecordError('integer too long');
    }
    if (!Number.isSafeInteger(v)) throw new RecordError('integer too large');
    return v;
  }

  big(): bigint {
    const n = this.uint();
    this.need(n);
    let v = 0n;
    for (let k = 0; k < n; k++) v = (v << 8n) | BigInt(this.buf[this.pos++]!);
    return v;
  }

  bytes(): Uint8Array {
    const n = this.uint();
    this.need(n);
    // A plain Uint8Array copy, also when reading from a Buffer.
    const out = new Uint8Array(n);
    out.set(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  str(): string {
    return new TextDecoder('utf-8', { fatal: true }).decode(this.bytes());
  }

  proof(): SignedBalanceProof {
    return {
      chain: this.str(),
      channel: this.str(),
      asset: this.str(),
      nonce: this.uint(),
      transferred: this.big(),
      locked: this.big(),
      locksRoot: this.bytes(),
      batchRoot: this.bytes(),
      signature: this.bytes(),
    };
  }

  route(): string[] {
    const n = this.uint();
    const out: string[] = [];
    for (let k = 0; k < n; k++) out.push(this.str());
    return out;
  }

  locks(attempts: boolean): LockEntry[] {
    const n = this.uint();
    const out: LockEntry[] = [];
    for (let k = 0; k < n; k++) {
      const lock: LockEntry = {
        id: this.str(),
        amount: this.big(),
        hashlock: this.str(),
        expiry: this.uint(),
        route: this.route(),
      };
      const attempt = attempts ? this.uint() : 0;
      out.push(attempt === 0 ? lock : { ...lock, attempt });
    }
    return out;
  }

  /** A present attempt number (at least 1). */
  attempt(): number {
    const a = this.uint();
    if (a < 1) throw new RecordError('bad attempt');
    return a;
  }

  op(): Op {
    const t = this.u8();
    if (t === OP.pay) return { t: 'pay', id: this.str(), amount: this.big() };
    if (t === OP.lock || t === LOCK_ATTEMPT_OP) {
      const op = {
        t: 'lock' as const,
        id: this.str(),
        amount: this.big(),
        hashlock: this.str(),
        expiry: this.uint(),
        route: this.route(),
      };
      return t === LOCK_ATTEMPT_OP ? { ...op, attempt: this.attempt() } : op;
    }
    if (t === OP.unlock) return { t: 'unlock', hashlock: this.str(), preimage: this.bytes() };
    if (t === OP.remove) return { t: 'remove', hashlock: this.str() };
    throw new RecordError(`unknown operation ${t}`);
  }
}

/** Reads one record written by `encodeRecord`; refuses trailing or missing bytes. */
export function decodeRecord(bytes: Uint8Array): DurableRecord {
  const r = new Reader(bytes);
  const tag = r.u8();
  let out: DurableRecord;
  switch (tag) {
    case TAG.channel: {
      const id = r.str();
      const a = r.str();
      const b = r.str();
      const aKey = r.bytes();
      const bKey = r.bytes();
      const disputeMs = r.uint();
      const deposits: Record<string, { a: bigint; b: bigint }> = {};
      const n = r.uint();
      for (let k = 0; k < n; k++) {
        const s = r.str();
        deposits[s] = { a: r.big(), b: r.big() };
      }
      const info: ChannelInfo = { id, a, b, aKey, bKey, disputeMs, deposits };
      out = { t: 'channel', info };
      break;
    }
    case TAG.status: {
      const channel = r.str();
      const status = STATUS[r.u8()];
      if (!status) throw new RecordError('unknown channel status');
      out = { t: 'status', channel, status };
      break;
    }
    case TAG.out:
    case OUT_ATTEMPTS: {
      const channel = r.str();
      const asset = r.str();
      const transferred = r.big();
      const locks = r.locks(tag === OUT_ATTEMPTS);
      const proof = r.proof();
      const n = r.uint();
      const ops: Op[] = [];
      for (let k = 0; k < n; k++) ops.push(r.op());
      out = { t: 'out', channel, asset, transferred, locks, proof, ops };
      break;
    }
    case TAG.in:
    case IN_ATTEMPTS:
      out = {
        t: 'in',
        channel: r.str(),
        asset: r.str(),
        transferred: r.big(),
        locks: r.locks(tag === IN_ATTEMPTS),
        proof: r.proof(),
        countersignature: r.bytes(),
      };
      break;
    case TAG.preimage:
      out = { t: 'preimage', hashlock: r.str(), preimage: r.bytes() };
      break;
    case TAG.invoice:
      out = { t: 'invoice', hashlock: r.str(), preimage: r.bytes() };
      break;
    case TAG.declined:
      out = { t: 'declined', hashlock: r.str() };
      break;
    case TAG.paid:
      out = { t: 'paid', hashlock: r.str() };
      break;
    case TAG.payment:
      out = { t: 'payment', id: r.str(), asset: r.str(), amount: r.big() };
      break;
    case QUEUED_PAYMENT:
      out = { t: 'payment', id: r.str(), asset: r.str(), amount: r.big(), queued: true };
      break;
    case TAG.unsent:
      out = { t: 'unsent', id: r.str() };
      break;
    case FAILURE: {
      const hashlock = r.str();
      const attempt = r.uint();
      const has = r.u8();
      if (has > 1) throw new RecordError('bad failure flag');
      if (has === 0) {
        out = { t: 'failure', hashlock, attempt };
        break;
      }
      const node = r.str();
      const next = r.str();
      const asset = r.str();
      const code = r.str() as FailureCode;
      if (!FAILURE_CODES.includes(code)) throw new RecordError(`unknown failure code ${code}`);
      out = {
        t: 'failure',
        hashlock,
        attempt,
        failure: { node, next, asset, code, key: r.bytes(), signature: r.bytes() },
      };
      break;
    }
    case SHUTDOWN: {
      const channel = r.str();
      const has = r.u8();
      if (has > 1) throw new RecordError('bad shutdown flag');
      if (has === 0) {
        out = { t: 'shutdown', channel };
        break;
      }
      const n = r.uint();
      const balances: { symbol: string; a: bigint; b: bigint }[] = [];
      for (let k = 0; k < n; k++) balances.push({ symbol: r.str(), a: r.big(), b: r.big() });
      const signatureA = r.bytes();
      const signatureB = r.bytes();
      out = {
        t: 'shutdown',
        channel,
        balances,
        ...(signatureA.length > 0 && { signatureA }),
        ...(signatureB.length > 0 && { signatureB }),
      };
      break;
    }
    case PLANNED_PAYMENT: {
      const queued = r.u8();
      if (queued > 1) throw new RecordError('bad queued flag');
      const id = r.str();
      const asset = r.str();
      const amount = r.big();
      const plan = { payee: r.str(), tried: r.uint(), deadline: r.uint(), excluded: r.route() };
      out = { t: 'payment', id, asset, amount, ...(queued === 1 && { queued: true as const }), plan };
      break;
    }
    default:
      throw new RecordError(`unknown record ${tag}`);
  }
  if (r.pos !== bytes.length) throw new RecordError('trailing bytes after the record');
  return out;
}

/** Splits a log written by `RecordWriter` into its records; a torn last record is left out. */
export function decodeLog(log: Uint8Array): DurableRecord[] {
  const out: DurableRecord[] = [];
  let pos = 0;
  while (pos + 4 <= log.length) {
    const n = ((log[pos]! << 24) | (log[pos + 1]! << 16) | (log[pos + 2]! << 8) | log[pos + 3]!) >>> 0;
    if (pos + 4 + n > log.length) break;
    out.push(decodeRecord(log.subarray(pos + 4, pos + 4 + n)));
    pos += 4 + n;
  }
  return out;
}
