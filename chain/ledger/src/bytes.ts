// Byte helpers shared by the ledger. Small on purpose: parsing hex comes from @noble/hashes, the rest is a
// few lines each, so the pure core has no dependency that could pull Node built-ins into a browser bundle.
import { hexToBytes } from '@noble/hashes/utils.js';

const HEX_CODES = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const CHUNK = 8192;
let codes = new Uint16Array(2 * 64);

/**
 * Hex without Node's Buffer (what browsers run): one flat string. Exported for its tests; use toHex.
 */
export function toHexPortable(bytes: Uint8Array): string {
  if (bytes.length > CHUNK) {
    const parts: string[] = [];
    for (let i = 0; i < bytes.length; i += CHUNK) parts.push(toHexPortable(bytes.subarray(i, i + CHUNK)));
    return parts.join('');
  }
  const n = bytes.length;
  if (codes.length < 2 * n) codes = new Uint16Array(2 * CHUNK);
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    codes[2 * i] = HEX_CODES[b >> 4]!;
    codes[2 * i + 1] = HEX_CODES[b & 15]!;
  }
  return String.fromCharCode.apply(null, codes.subarray(0, 2 * n) as unknown as number[]);
}

const NodeBuffer = (
  globalThis as {
    Buffer?: { from(b: ArrayBufferLike, offset: number, length: number): { toString(enc: 'hex'): string } };
  }
).Buffer;

/**
 * Lowercase hex of the bytes, as one flat string. Hex strings are the nodes' map keys (tx keys, ids,
 * seen-sets): a string built by appending two characters at a time is a rope of dozens of pieces, and
 * under load a map lookup with such keys measured 7–11 µs in a validator against 2–3 µs with flat ones.
 */
export function toHex(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('toHex expects a Uint8Array');
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return toHexPortable(bytes);
}

/** Parse hex (with or without 0x), throwing a clear error on odd length or bad digits. */
export function fromHex(hex: string): Uint8Array {
  return hexToBytes(hex.startsWith('0x') ? hex.slice(2) : hex);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Bytewise lexicographic order, shorter first on a common prefix. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return compareByteRanges(a, 0, a.length, b, 0, b.length);
}

/** compareBytes over `a[aStart, aEnd)` and `b[bStart, bEnd)`, without making a view of either. */
export function compareByteRanges(
  a: Uint8Array,
  aStart: number,
  aEnd: number,
  b: Uint8Array,
  bStart: number,
  bEnd: number,
): number {
  const n = Math.min(aEnd - aStart, bEnd - bStart);
  for (let i = 0; i < n; i++) {
    const d = a[aStart + i]! - b[bStart + i]!;
    if (d !== 0) return d;
  }
  return aEnd - aStart - (bEnd - bStart);
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}
