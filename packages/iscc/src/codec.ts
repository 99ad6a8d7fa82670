// ISCC unit codec (ISO 24138 §6): a header of four variable-length nibble fields (MainType, SubType,
// Version, Length) followed by the digest, written as RFC 4648 base32 without padding and prefixed
// "ISCC:". Only the units this package makes (Meta, Content, Data, Instance) are encoded here; a header
// this module cannot read is refused with a message that says which field is wrong, never guessed.
import { base32nopad } from '@scure/base';

export const MainType = {
  META: 0,
  SEMANTIC: 1,
  CONTENT: 2,
  DATA: 3,
  INSTANCE: 4,
  ISCC: 5,
  ID: 6,
  FLAKE: 7,
} as const;
export type MainType = (typeof MainType)[keyof typeof MainType];

/** SubTypes of MainType CONTENT. */
export const ContentType = { TEXT: 0, IMAGE: 1, AUDIO: 2, VIDEO: 3, MIXED: 4 } as const;
export type ContentType = (typeof ContentType)[keyof typeof ContentType];

export const ISCC_PREFIX = 'ISCC:';

export class IsccError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IsccError';
  }
}

/** The value ranges of the varnibble encoding: 1 to 4 nibbles with 0, 10, 110, 1110 as prefix. */
function varnibbleBits(n: number): { prefix: number; prefixBits: number; dataBits: number; offset: number } {
  if (n >= 0 && n < 8) return { prefix: 0b0, prefixBits: 1, dataBits: 3, offset: 0 };
  if (n >= 8 && n < 72) return { prefix: 0b10, prefixBits: 2, dataBits: 6, offset: 8 };
  if (n >= 72 && n < 584) return { prefix: 0b110, prefixBits: 3, dataBits: 9, offset: 72 };
  if (n >= 584 && n < 4680) return { prefix: 0b1110, prefixBits: 4, dataBits: 12, offset: 584 };
  throw new IsccError(`header value ${n} is outside 0..4679`);
}

/** Header bytes for the four fields, right-padded with a zero nibble to whole bytes. */
export function encodeHeader(mainType: number, subType: number, version: number, length: number): Uint8Array {
  const bits: number[] = [];
  for (const n of [mainType, subType, version, length]) {
    const { prefix, prefixBits, dataBits, offset } = varnibbleBits(n);
    for (let i = prefixBits - 1; i >= 0; i--) bits.push((prefix >> i) & 1);
    for (let i = dataBits - 1; i >= 0; i--) bits.push(((n - offset) >> i) & 1);
  }
  while (bits.length % 8) bits.push(0);
  const out = new Uint8Array(bits.length / 8);
  bits.forEach((bit, i) => {
    out[i >> 3]! |= bit << (7 - (i & 7));
  });
  return out;
}

export interface DecodedHeader {
  mainType: number;
  subType: number;
  version: number;
  length: number;
  /** Bytes after the header (the digest). */
  body: Uint8Array;
}

export function decodeHeader(bytes: Uint8Array): DecodedHeader {
  let bit = 0;
  const total = bytes.length * 8;
  const read = (count: number) => {
    if (bit + count > total) throw new IsccError('the ISCC header is cut short');
    let v = 0;
    for (let i = 0; i < count; i++, bit++) v = (v << 1) | ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1);
    return v;
  };
  const fields: number[] = [];
  for (let f = 0; f < 4; f++) {
    let ones = 0;
    while (ones < 4 && read(1) === 1) ones++;
    if (ones === 4) throw new IsccError('an ISCC header field has the prefix 1111, which no value uses');
    const { dataBits, offset } = [
      { dataBits: 3, offset: 0 },
      { dataBits: 6, offset: 8 },
      { dataBits: 9, offset: 72 },
      { dataBits: 12, offset: 584 },
    ][ones]!;
    fields.push(read(dataBits) + offset);
  }
  // A header of an odd number of nibbles is padded with one zero nibble.
  if (bit % 8) {
    if (read(4) !== 0) throw new IsccError('the ISCC header padding is not zero');
  }
  const [mainType, subType, version, length] = fields as [number, number, number, number];
  return { mainType, subType, version, length, body: bytes.slice(bit >> 3) };
}

/** Bits of the digest a unit carries: the header's length counts 32-bit blocks, 0 meaning 32. */
export function unitBits(mainType: number, length: number): number {
  if (mainType === MainType.ISCC || mainType === MainType.ID)
    throw new IsccError('composite ISCC-CODEs and ISCC-IDs are not units');
  return (length + 1) * 32;
}

function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 32 || bits > 256 || bits % 32)
    throw new IsccError(`a unit has 32 to 256 bits in steps of 32, not ${bits}`);
}

/** "ISCC:" + base32(header ‖ first bits/8 bytes of the digest). */
export function encodeUnit(
  mainType: number,
  subType: number,
  version: number,
  bits: number,
  digest: Uint8Array,
): string {
  checkBits(bits);
  if (digest.length * 8 < bits) throw new IsccError(`a ${bits}-bit unit needs a digest of ${bits / 8} bytes`);
  const header = encodeHeader(mainType, subType, version, bits / 32 - 1);
  const bytes = new Uint8Array(header.length + bits / 8);
  bytes.set(header);
  bytes.set(digest.subarray(0, bits / 8), header.length);
  return ISCC_PREFIX + base32nopad.encode(bytes);
}

export interface DecodedUnit {
  mainType: number;
  subType: number;
  version: number;
  bits: number;
  digest: Uint8Array;
}

/** Parses "ISCC:…" (or the bare base32) of one unit; refuses composites, IDs and wrong lengths. */
export function decodeUnit(code: string): DecodedUnit {
  const text = code.startsWith(ISCC_PREFIX) ? code.slice(ISCC_PREFIX.length) : code;
  if (!/^[A-Z2-7]+$/.test(text)) throw new IsccError('an ISCC is base32 (A-Z, 2-7) after "ISCC:"');
  let bytes: Uint8Array;
  try {
    bytes = base32nopad.decode(text);
  } catch (error) {
    throw new IsccError(`not valid base32: ${(error as Error).message}`);
  }
  const header = decodeHeader(bytes);
  const bits = unitBits(header.mainType, header.length);
  if (header.body.length !== bits / 8)
    throw new IsccError(`the header announces ${bits} bits but the code carries ${header.body.length * 8}`);
  return {
    mainType: header.mainType,
    subType: header.subType,
    version: header.version,
    bits,
    digest: header.body,
  };
}
