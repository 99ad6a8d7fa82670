// ISCC Content-Code Text (ISO 24138 §7.3): collapse the text (NFD, lower case, drop whitespace and
// Unicode categories C, M and P, NFKC), slide a 13-character window over it, hash each window's UTF-8
// with xxh32 and take the 256-bit minhash. The caller extracts the plain text: which extractor did it
// matters as much as this code, so it is recorded beside the code (`extractor`).

import { xxh32Ready } from './_xxh32';
import { ContentType, encodeUnit, MainType } from './codec';
import { minhash256 } from './minhash';
import { ISCC_TOOL } from './version';

export const TEXT_NGRAM_SIZE = 13;

const dropped = /[\s\p{C}\p{M}\p{P}]/u;

/** The normalised form the Text-Code is computed from. */
export function textCollapse(text: string): string {
  let kept = '';
  for (const ch of text.normalize('NFD').toLowerCase()) if (!dropped.test(ch)) kept += ch;
  return kept.normalize('NFKC');
}

export interface TextCode {
  iscc: string;
  /** Characters (code points) of the collapsed text. */
  characters: number;
  tool: string;
  extractor?: string;
}

/** The 256-bit similarity digest of collapsed text. */
export async function softHashText(collapsed: string): Promise<Uint8Array> {
  const xxh32 = await xxh32Ready();
  const chars = Array.from(collapsed);
  const encoder = new TextEncoder();
  const windows = Math.max(chars.length - TEXT_NGRAM_SIZE + 1, 1);
  const features = new Uint32Array(windows);
  for (let i = 0; i < windows; i++)
    features[i] = xxh32(encoder.encode(chars.slice(i, i + TEXT_NGRAM_SIZE).join('')));
  return minhash256(features);
}

export async function textCode(text: string, bits = 64, extractor?: string): Promise<TextCode> {
  const collapsed = textCollapse(text);
  const digest = await softHashText(collapsed);
  return {
    iscc: encodeUnit(MainType.CONTENT, ContentType.TEXT, 0, bits, digest),
    characters: Array.from(collapsed).length,
    tool: ISCC_TOOL,
    ...(extractor !== undefined && { extractor }),
  };
}
