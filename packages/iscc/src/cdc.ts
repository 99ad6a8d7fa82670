// Content-defined chunking for the Data-Code (ISO 24138 Annex, FastCDC-compatible): a gear hash rolls
// over the bytes and a cut falls where its low bits are all zero, with a stricter mask before the
// centre size and a looser one after, so chunk boundaries follow the content and survive insertions.
import { CDC_GEAR } from './_constants';

export interface CdcParams {
  minSize: number;
  maxSize: number;
  centerSize: number;
  maskSmall: number;
  maskLarge: number;
}

export function cdcParams(avgSize: number): CdcParams {
  const minSize = Math.floor(avgSize / 4);
  const maxSize = avgSize * 8;
  const centerSize = avgSize - (minSize + Math.ceil(minSize / 2));
  const bits = Math.round(Math.log2(avgSize));
  return { minSize, maxSize, centerSize, maskSmall: 2 ** (bits + 1) - 1, maskLarge: 2 ** (bits - 1) - 1 };
}

/** Length of the next chunk of bytes[start, start + size). */
export function cdcCut(bytes: Uint8Array, start: number, size: number, p: CdcParams): number {
  let pattern = 0;
  let i = Math.min(p.minSize, size);
  let barrier = Math.min(p.centerSize, size);
  for (; i < barrier; i++) {
    pattern = (pattern >>> 1) + CDC_GEAR[bytes[start + i]!]!;
    if ((pattern & p.maskSmall) === 0) return i + 1;
  }
  barrier = Math.min(p.maxSize, size);
  for (; i < barrier; i++) {
    pattern = (pattern >>> 1) + CDC_GEAR[bytes[start + i]!]!;
    if ((pattern & p.maskLarge) === 0) return i + 1;
  }
  return i;
}
