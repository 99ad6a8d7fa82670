// ISCC Instance-Code (ISO 24138 §7.7): the BLAKE3 hash of the exact bytes; `datahash` is the full
// digest as a multihash (0x1e = blake3, 0x20 = 32 bytes), `filesize` the byte count.
import { blake3 } from '@noble/hashes/blake3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { type ByteSource, piecesOf } from './_input';
import { encodeUnit, MainType } from './codec';
import { ISCC_TOOL } from './version';

export interface InstanceCode {
  iscc: string;
  /** "1e20" + the 32-byte BLAKE3 digest in hex. */
  datahash: string;
  filesize: number;
  tool: string;
}

export class InstanceHasher {
  private readonly hash = blake3.create();
  filesize = 0;

  push(bytes: Uint8Array): this {
    this.hash.update(bytes);
    this.filesize += bytes.length;
    return this;
  }

  digest(): Uint8Array {
    return this.hash.clone().digest();
  }
}

export async function instanceCode(source: ByteSource, bits = 64): Promise<InstanceCode> {
  const hasher = new InstanceHasher();
  for await (const piece of piecesOf(source)) hasher.push(piece);
  const digest = hasher.digest();
  return {
    iscc: encodeUnit(MainType.INSTANCE, 0, 0, bits, digest),
    datahash: `1e20${bytesToHex(digest)}`,
    filesize: hasher.filesize,
    tool: ISCC_TOOL,
  };
}
