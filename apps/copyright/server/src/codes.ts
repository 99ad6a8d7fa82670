// Content codes the server computes itself from an uploaded file (never trusting the browser's), and the
// near-duplicate index over registered works' codes. Text-Codes and Image-Codes find edited copies of a
// work (docs/copyright.md, "Recall, and the threshold"); Data-Codes find near-identical files of any
// type; the Instance-Code is the exact file. Similarity ranks candidates for a reviewer and decides nothing.
import type { Database } from '@gongxin/db';
import {
  ContentType,
  code64,
  dataCode,
  decodeUnit,
  HammingIndex,
  ISCC_TOOL,
  imageCodeFromRgba,
  instanceCode,
  MainType,
  textCode,
} from '@gongxin/iscc';
import { and, gt, max } from 'drizzle-orm';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { workCodes } from './db/schema';

/** Below this many bits of 64 an edited copy is likely; no unrelated pair of the recall sets came closer. */
export const SIMILAR_BITS = 12;
/** The reviewer sees weaker candidates up to here, marked as such. */
export const CANDIDATE_BITS = 20;

export type CodeKind = 'text' | 'image' | 'audio' | 'video' | 'mixed' | 'data' | 'instance' | 'other';

export interface CodeInfo {
  kind: CodeKind;
  /** First 64 bits, 16 hex digits. */
  code64: string;
  /** Whether near-duplicate search applies (content and data units). */
  similar: boolean;
}

const CONTENT_KINDS: Record<number, CodeKind> = {
  [ContentType.TEXT]: 'text',
  [ContentType.IMAGE]: 'image',
  [ContentType.AUDIO]: 'audio',
  [ContentType.VIDEO]: 'video',
  [ContentType.MIXED]: 'mixed',
};

const hex64 = (c: { hi: number; lo: number }) =>
  (c.hi >>> 0).toString(16).padStart(8, '0') + (c.lo >>> 0).toString(16).padStart(8, '0');

/** What a unit is, or null when it does not decode. */
export function codeInfo(iscc: string): CodeInfo | null {
  try {
    const unit = decodeUnit(iscc);
    if (unit.digest.length < 8) return null;
    const c = hex64(code64(unit.digest));
    if (unit.mainType === MainType.CONTENT)
      return { kind: CONTENT_KINDS[unit.subType] ?? 'other', code64: c, similar: true };
    if (unit.mainType === MainType.DATA) return { kind: 'data', code64: c, similar: true };
    if (unit.mainType === MainType.INSTANCE) return { kind: 'instance', code64: c, similar: false };
    return { kind: 'other', code64: c, similar: false };
  } catch {
    return null;
  }
}

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413 | 415 | 422 = 422,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/** Media types the server can compute a content code for; any other file gets Data and Instance codes. */
export const CONTENT_MEDIA_TYPES = ['text/plain', 'text/markdown', 'image/png', 'image/jpeg'] as const;
/** Media types accepted for upload. */
export const UPLOAD_MEDIA_TYPES = [
  ...CONTENT_MEDIA_TYPES,
  'application/pdf',
  'audio/mpeg',
  'video/mp4',
] as const;

export interface ComputedCodes {
  /** Content (when the type has one), Data, Instance. */
  codes: string[];
  content?: { kind: CodeKind; iscc: string };
  tool: string;
}

/** Checks the bytes are what the media type says, where that is cheap to tell. */
function sniff(bytes: Uint8Array, mediaType: string): void {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (mediaType === 'image/png' && !starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))
    throw new UploadError('file: the content is not a PNG image (wrong signature)', 415);
  if (mediaType === 'image/jpeg' && !starts(0xff, 0xd8, 0xff))
    throw new UploadError('file: the content is not a JPEG image (wrong signature)', 415);
  if (mediaType === 'application/pdf' && !starts(0x25, 0x50, 0x44, 0x46))
    throw new UploadError('file: the content is not a PDF (no %PDF header)', 415);
}

export async function computeCodes(bytes: Uint8Array, mediaType: string): Promise<ComputedCodes> {
  if (!(UPLOAD_MEDIA_TYPES as readonly string[]).includes(mediaType))
    throw new UploadError(
      `content-type: ${mediaType || '(none)'} is not accepted; send one of ${UPLOAD_MEDIA_TYPES.join(', ')}`,
      415,
    );
  if (bytes.length === 0) throw new UploadError('file: the upload is empty', 400);
  sniff(bytes, mediaType);
  let content: ComputedCodes['content'];
  let tool = ISCC_TOOL;
  if (mediaType === 'text/plain' || mediaType === 'text/markdown') {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new UploadError('file: text must be UTF-8', 422);
    }
    const code = await textCode(text, 64, 'utf-8 text');
    if (code.characters === 0) throw new UploadError('file: the text has no characters to code', 422);
    content = { kind: 'text', iscc: code.iscc };
    tool = `${code.tool} (utf-8 text)`;
  } else if (mediaType === 'image/png' || mediaType === 'image/jpeg') {
    let image: { width: number; height: number; data: Uint8Array };
    try {
      image =
        mediaType === 'image/png'
          ? PNG.sync.read(Buffer.from(bytes))
          : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
    } catch (error) {
      throw new UploadError(`file: the image does not decode: ${(error as Error).message}`, 422);
    }
    const decoder = mediaType === 'image/png' ? 'pngjs 5.0.0' : 'jpeg-js 0.4.4';
    const code = imageCodeFromRgba(
      { width: image.width, height: image.height, data: image.data },
      { decoder },
    );
    content = { kind: 'image', iscc: code.iscc };
    tool = `${code.tool} (${decoder})`;
  }
  const [data, instance] = await Promise.all([dataCode(bytes), instanceCode(bytes)]);
  return {
    codes: [...(content ? [content.iscc] : []), data.iscc, instance.iscc],
    ...(content && { content }),
    tool,
  };
}

export interface SimilarWork {
  workId: string;
  /** The smallest distance over the codes compared, and the kind of code it was. */
  distance: number;
  kind: CodeKind;
  iscc: string;
  /** Within SIMILAR_BITS: likely an edited copy; beyond, a weaker candidate. */
  strong: boolean;
}

/**
 * One Hamming index per kind of code, filled from `copyright.work_codes` and topped up with what the
 * indexer wrote since. Rows of a block are committed together, so reading past the highest height seen
 * never sees half a block; a read model that went back (a rebuild) is reloaded whole.
 */
export class SimilarityIndex {
  private indexes = new Map<CodeKind, { index: HammingIndex; refs: { workId: string; iscc: string }[] }>();
  private loadedHeight = -1;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly database: Database) {}

  get size(): number {
    let n = 0;
    for (const { index } of this.indexes.values()) n += index.size;
    return n;
  }

  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async load(): Promise<void> {
    const db = this.database.db;
    const [top] = await db.select({ height: max(workCodes.height) }).from(workCodes);
    const highest = top?.height ?? -1;
    if (highest < this.loadedHeight) {
      this.indexes = new Map();
      this.loadedHeight = -1;
    }
    if (highest === this.loadedHeight) return;
    const rows = await db
      .select()
      .from(workCodes)
      .where(and(gt(workCodes.height, this.loadedHeight)))
      .orderBy(workCodes.height, workCodes.workId, workCodes.iscc);
    const bulk = this.loadedHeight === -1;
    for (const row of rows) this.add(row.kind as CodeKind, row.code64, row.workId, row.iscc);
    // A bulk load is filed once; later additions wait in the index's recent list, which it files itself.
    if (bulk) for (const { index } of this.indexes.values()) index.rebuild();
    if (rows.length > 0) this.loadedHeight = Math.max(this.loadedHeight, rows[rows.length - 1]!.height);
  }

  private add(kind: CodeKind, hex: string, workId: string, iscc: string): void {
    let entry = this.indexes.get(kind);
    if (!entry) {
      entry = { index: new HammingIndex(), refs: [] };
      this.indexes.set(kind, entry);
    }
    entry.index.add(code64(BigInt(`0x${hex}`)));
    entry.refs.push({ workId, iscc });
  }

  /** The works nearest to any of `codes`, each once at its smallest distance, nearest first. */
  async similar(
    codes: readonly string[],
    opts: { limit?: number; maxDistance?: number; excludeWork?: string } = {},
  ): Promise<SimilarWork[]> {
    await this.refresh();
    const limit = opts.limit ?? 10;
    const maxDistance = opts.maxDistance ?? CANDIDATE_BITS;
    const best = new Map<string, SimilarWork>();
    for (const iscc of codes) {
      const info = codeInfo(iscc);
      const entry = info?.similar ? this.indexes.get(info.kind) : undefined;
      if (!info || !entry || entry.index.size === 0) continue;
      const q = code64(BigInt(`0x${info.code64}`));
      for (const n of entry.index.nearest(q, limit + 1, maxDistance)) {
        const ref = entry.refs[n.id]!;
        if (ref.workId === opts.excludeWork) continue;
        const prev = best.get(ref.workId);
        if (!prev || n.distance < prev.distance)
          best.set(ref.workId, {
            workId: ref.workId,
            distance: n.distance,
            kind: info.kind,
            iscc: ref.iscc,
            strong: n.distance <= SIMILAR_BITS,
          });
      }
    }
    return [...best.values()]
      .sort((a, b) => a.distance - b.distance || (a.workId < b.workId ? -1 : 1))
      .slice(0, limit);
  }
}
