// Canonical encoding of everything the chain hashes or signs: deterministic CBOR (RFC 8949 §4.2.1 core
// deterministic encoding: shortest integer heads, definite lengths, map keys sorted bytewise by their
// encoded form), narrowed to the values a ledger needs. No floats (money is integers), no undefined, no
// tags. The same value always gives the same bytes; the decoder refuses any byte string that is not the
// canonical encoding of its value, so two different byte strings never mean the same record.
//
// Written here rather than taken from a general CBOR library because the decoder must *enforce* canonical
// form (key order, shortest heads) in one pass on the hot path of block execution; general libraries
// cannot check key order on decode. The tests hold it byte-for-byte against cborg's RFC 8949 encoder.
// Format: docs/encoding.md. Vectors: test-vectors/encoding.json.

import { compareByteRanges, compareBytes } from './bytes';

/** What the chain can encode. Integers beyond ±2^53 are bigint; within, number (bigint is accepted on encode). */
export type Value =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | readonly Value[]
  | { readonly [key: string]: Value };
export type ValueMap = { readonly [key: string]: Value };

/** Malformed or non-canonical bytes, or a value outside the model. */
export class EncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncodingError';
  }
}

const MAX_UINT64 = 2n ** 64n - 1n;
const MAX_DEPTH = 64;
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// ---------------------------------------------------------------------------------------------- encode

/**
 * The canonical encoder's output buffer and CBOR heads (shortest form), for code that writes fixed shapes
 * of canonical CBOR field by field (chain/channels' fast encoders) with the same head rules.
 */
export class CanonicalWriter {
  buf = new Uint8Array(256);
  view = new DataView(this.buf.buffer);
  pos = 0;

  ensure(extra: number) {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  head(major: number, n: number) {
    this.ensure(9);
    const m = major << 5;
    if (n < 24) this.buf[this.pos++] = m | n;
    else if (n < 0x100) {
      this.buf[this.pos++] = m | 24;
      this.buf[this.pos++] = n;
    } else if (n < 0x10000) {
      this.buf[this.pos++] = m | 25;
      this.view.setUint16(this.pos, n);
      this.pos += 2;
    } else if (n < 0x100000000) {
      this.buf[this.pos++] = m | 26;
      this.view.setUint32(this.pos, n);
      this.pos += 4;
    } else {
      this.buf[this.pos++] = m | 27;
      this.view.setBigUint64(this.pos, BigInt(n));
      this.pos += 8;
    }
  }

  headBig(major: number, n: bigint) {
    if (n <= 0xffffffffn) return this.head(major, Number(n));
    this.ensure(9);
    this.buf[this.pos++] = (major << 5) | 27;
    this.view.setBigUint64(this.pos, n);
    this.pos += 8;
  }

  reset() {
    this.buf = new Uint8Array(256);
    this.view = new DataView(this.buf.buffer);
    this.pos = 0;
  }

  bytes(b: Uint8Array) {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

// Map keys repeat endlessly (field names): cache their encoded heads+bytes.
const keyCache = new Map<string, Uint8Array>();

function encodedKey(key: string): Uint8Array {
  let cached = keyCache.get(key);
  if (cached === undefined) {
    if (key === '__proto__') throw new EncodingError('the key "__proto__" is not allowed');
    const w = new CanonicalWriter();
    writeText(w, key);
    cached = w.buf.slice(0, w.pos);
    if (keyCache.size < 10_000) keyCache.set(key, cached);
  }
  return cached;
}

function writeText(w: CanonicalWriter, s: string) {
  // ASCII fast path: most keys and identifiers.
  let ascii = s.length < 256;
  if (ascii) {
    for (let i = 0; i < s.length; i++) {
      if (s.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
  }
  if (ascii) {
    w.head(3, s.length);
    w.ensure(s.length);
    for (let i = 0; i < s.length; i++) w.buf[w.pos++] = s.charCodeAt(i);
    return;
  }
  const b = textEncoder.encode(s);
  if (textDecoder.decode(b) !== s) throw new EncodingError('text is not valid Unicode (lone surrogate)');
  w.head(3, b.length);
  w.bytes(b);
}

function writeValue(w: CanonicalWriter, v: Value, depth: number) {
  if (depth > MAX_DEPTH) throw new EncodingError(`nesting deeper than ${MAX_DEPTH}`);
  switch (typeof v) {
    case 'number':
      if (!Number.isSafeInteger(v)) {
        throw new EncodingError(
          `only integers are allowed (got ${v}): amounts are integers in the smallest unit`,
        );
      }
      if (v >= 0) w.head(0, v);
      else w.head(1, -1 - v);
      return;
    case 'bigint':
      if (v >= 0n) {
        if (v > MAX_UINT64) throw new EncodingError(`integer out of 64-bit range: ${v}`);
        w.headBig(0, v);
      } else {
        if (-1n - v > MAX_UINT64) throw new EncodingError(`integer out of 64-bit range: ${v}`);
        w.headBig(1, -1n - v);
      }
      return;
    case 'string':
      writeText(w, v);
      return;
    case 'boolean':
      w.ensure(1);
      w.buf[w.pos++] = v ? 0xf5 : 0xf4;
      return;
    case 'object':
      if (v === null) {
        w.ensure(1);
        w.buf[w.pos++] = 0xf6;
        return;
      }
      if (v instanceof Uint8Array) {
        w.head(2, v.length);
        w.bytes(v);
        return;
      }
      if (Array.isArray(v)) {
        w.head(4, v.length);
        for (const item of v) {
          if (item === undefined) throw new EncodingError('undefined is not encodable in an array');
          writeValue(w, item, depth + 1);
        }
        return;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) {
        throw new EncodingError(
          `${(v as object).constructor?.name ?? 'this object'} is not encodable: use a plain object`,
        );
      }
      writeMap(w, v as ValueMap, depth);
      return;
    default:
      throw new EncodingError(
        `${typeof v} is not encodable${typeof v === 'undefined' ? ': omit the field instead' : ''}`,
      );
  }
}

function writeMap(w: CanonicalWriter, m: ValueMap, depth: number) {
  const entries: [Uint8Array, Value][] = [];
  for (const key in m) {
    if (!Object.hasOwn(m, key)) continue;
    const value = m[key];
    if (value === undefined) continue; // an absent optional field, as in JSON
    entries.push([encodedKey(key), value]);
  }
  if (entries.length > 1) entries.sort((a, b) => compareBytes(a[0], b[0]));
  w.head(5, entries.length);
  for (const [key, value] of entries) {
    w.bytes(key);
    writeValue(w, value, depth + 1);
  }
}

// One scratch writer, reused: encoding is synchronous and never re-entrant, and allocating a buffer per
// call was a measurable share of block execution.
const scratch = new CanonicalWriter();

/** Deterministic bytes of a value. */
export function encodeCanonical(value: Value): Uint8Array {
  scratch.pos = 0;
  try {
    writeValue(scratch, value, 0);
  } catch (error) {
    if (scratch.buf.length > 1 << 20) scratch.reset();
    throw error;
  }
  const out = scratch.buf.slice(0, scratch.pos);
  // Do not keep a huge buffer alive after one large value.
  if (scratch.buf.length > 1 << 20) scratch.reset();
  return out;
}

// ---------------------------------------------------------------------------------------------- decode

class Reader {
  pos = 0;
  readonly view: DataView;
  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  fail(message: string): never {
    throw new EncodingError(`${message} at byte ${this.pos}`);
  }

  need(n: number) {
    if (this.pos + n > this.buf.length) this.fail('unexpected end of input');
  }

  /** Reads a head's argument, insisting on the shortest form (canonical). Returns number or bigint. */
  argument(info: number): number | bigint {
    if (info < 24) return info;
    switch (info) {
      case 24: {
        this.need(1);
        const n = this.buf[this.pos++]!;
        if (n < 24) this.fail('integer encoded in more bytes than necessary');
        return n;
      }
      case 25: {
        this.need(2);
        const n = this.view.getUint16(this.pos);
        this.pos += 2;
        if (n < 0x100) this.fail('integer encoded in more bytes than necessary');
        return n;
      }
      case 26: {
        this.need(4);
        const n = this.view.getUint32(this.pos);
        this.pos += 4;
        if (n < 0x10000) this.fail('integer encoded in more bytes than necessary');
        return n;
      }
      case 27: {
        this.need(8);
        const n = this.view.getBigUint64(this.pos);
        this.pos += 8;
        if (n < 0x100000000n) this.fail('integer encoded in more bytes than necessary');
        return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
      }
      case 31:
        return this.fail('indefinite lengths are not allowed');
      default:
        return this.fail(`reserved additional information ${info}`);
    }
  }

  length(info: number): number {
    const n = this.argument(info);
    // A claimed length can never exceed what is left: refuse before allocating anything.
    if (typeof n === 'bigint' || n > this.buf.length - this.pos) this.fail('length larger than the input');
    return n;
  }

  text(info: number): string {
    const n = this.length(info);
    const start = this.pos;
    this.pos += n;
    let ascii = true;
    for (let i = start; i < this.pos; i++) {
      if (this.buf[i]! > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii && n < 256) {
      // One call instead of a concatenation per character: field names and addresses are short ASCII.
      return String.fromCharCode.apply(null, this.buf.subarray(start, this.pos) as unknown as number[]);
    }
    try {
      return textDecoder.decode(this.buf.subarray(start, this.pos));
    } catch {
      return this.fail('text is not valid UTF-8');
    }
  }

  value(depth: number): Value {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    this.need(1);
    const initial = this.buf[this.pos++]!;
    const major = initial >> 5;
    const info = initial & 0x1f;
    switch (major) {
      case 0:
        return this.argument(info);
      case 1: {
        const n = this.argument(info);
        if (typeof n === 'number') return n < Number.MAX_SAFE_INTEGER ? -1 - n : -1n - BigInt(n);
        return -1n - n;
      }
      case 2: {
        const n = this.length(info);
        const out = this.buf.slice(this.pos, this.pos + n);
        this.pos += n;
        return out;
      }
      case 3:
        return this.text(info);
      case 4: {
        const n = this.length(info);
        const out: Value[] = new Array(n);
        for (let i = 0; i < n; i++) out[i] = this.value(depth + 1);
        return out;
      }
      case 5: {
        const n = this.length(info);
        const out: Record<string, Value> = {};
        let previousStart = -1;
        let previousEnd = -1;
        for (let i = 0; i < n; i++) {
          const keyStart = this.pos;
          this.need(1);
          const keyInitial = this.buf[this.pos++]!;
          if (keyInitial >> 5 !== 3) this.fail('map keys must be text');
          const key = this.text(keyInitial & 0x1f);
          const keyEnd = this.pos;
          if (
            previousStart >= 0 &&
            compareByteRanges(this.buf, previousStart, previousEnd, this.buf, keyStart, keyEnd) >= 0
          ) {
            this.fail(`map keys out of canonical order or duplicated ("${key}")`);
          }
          if (key === '__proto__') this.fail('the key "__proto__" is not allowed');
          previousStart = keyStart;
          previousEnd = keyEnd;
          out[key] = this.value(depth + 1);
        }
        return out;
      }
      case 6:
        return this.fail('tags are not allowed');
      default:
        if (initial === 0xf4) return false;
        if (initial === 0xf5) return true;
        if (initial === 0xf6) return null;
        if (initial >= 0xf9 && initial <= 0xfb)
          return this.fail('floats are not allowed: amounts are integers');
        return this.fail(`simple value 0x${initial.toString(16)} is not allowed`);
    }
  }
}

/** Decode bytes that must be exactly one canonically encoded value. */
export function decodeCanonical(bytes: Uint8Array): Value {
  const reader = new Reader(bytes);
  const value = reader.value(0);
  if (reader.pos !== bytes.length) reader.fail('trailing bytes after the value');
  return value;
}

/** Integers decode as number or bigint depending on size; this reads either as bigint. */
export function asBigInt(value: Value | undefined): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  return undefined;
}
