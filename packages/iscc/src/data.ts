// ISCC Data-Code (ISO 24138 §7.6): chunk the bytes by content (average 1024 bytes), hash each chunk
// with xxh32 and take the 256-bit minhash of the chunk hashes. Streaming: a chunk is cut only when more
// than the largest chunk size is buffered (or at the end), which makes the cuts exactly those of
// chunking the whole file at once.
import { type ByteSource, piecesOf } from './_input';
import { type Xxh32, xxh32Ready } from './_xxh32';
import { cdcCut, cdcParams } from './cdc';
import { encodeUnit, MainType } from './codec';
import { minhash256 } from './minhash';
import { ISCC_TOOL } from './version';

export const DATA_AVG_CHUNK_SIZE = 1024;
const params = cdcParams(DATA_AVG_CHUNK_SIZE);

export class DataHasher {
  private buffer = new Uint8Array(0);
  private readonly features: number[] = [];
  private finished = false;

  private constructor(private readonly xxh32: Xxh32) {}

  static async create(): Promise<DataHasher> {
    return new DataHasher(await xxh32Ready());
  }

  push(bytes: Uint8Array): this {
    if (this.finished) throw new Error('this DataHasher has already produced its digest');
    const joined = new Uint8Array(this.buffer.length + bytes.length);
    joined.set(this.buffer);
    joined.set(bytes, this.buffer.length);
    let pos = 0;
    while (joined.length - pos > params.maxSize) pos += this.cut(joined, pos, joined.length - pos);
    this.buffer = joined.slice(pos);
    return this;
  }

  private cut(bytes: Uint8Array, start: number, size: number): number {
    const length = cdcCut(bytes, start, size, params);
    this.features.push(this.xxh32(bytes.subarray(start, start + length)));
    return length;
  }

  /** The 256-bit digest; the hasher is finished afterwards. */
  digest(): Uint8Array {
    if (!this.finished) {
      let pos = 0;
      while (pos < this.buffer.length) pos += this.cut(this.buffer, pos, this.buffer.length - pos);
      // Empty input still has one feature: the hash of no bytes.
      if (this.features.length === 0) this.features.push(this.xxh32(new Uint8Array(0)));
      this.buffer = new Uint8Array(0);
      this.finished = true;
    }
    return minhash256(this.features);
  }

  /** Chunks cut so far (all of them once digested). */
  get chunkCount(): number {
    return this.features.length;
  }
}

export interface DataCode {
  iscc: string;
  tool: string;
}

export async function dataCode(source: ByteSource, bits = 64): Promise<DataCode> {
  const hasher = await DataHasher.create();
  for await (const piece of piecesOf(source)) hasher.push(piece);
  return { iscc: encodeUnit(MainType.DATA, 0, 0, bits, hasher.digest()), tool: ISCC_TOOL };
}
