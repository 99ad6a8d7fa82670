// The certificate's Chinese font: Noto Sans Hans (SIL OFL 1.1) from the `@embedpdf/fonts-sc` npm package,
// so it exists on every machine the package installs on (no system font packages). It is a CFF font of
// 8 MB; pdf-lib's own subsetter mangles CFF outlines, so HarfBuzz's subsetter (harfbuzzjs, WebAssembly)
// cuts it to the characters a certificate uses (a few KB) and pdf-lib embeds that whole.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const CERTIFICATE_FONT = {
  family: 'Noto Sans Hans',
  package: '@embedpdf/fonts-sc',
  file: 'NotoSansHans-Regular.otf',
} as const;

interface HbSubset {
  memory: { buffer: ArrayBuffer };
  malloc(n: number): number;
  free(p: number): void;
  hb_blob_create(data: number, length: number, mode: number, user: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, length: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_unicode_set(input: number): number;
  hb_subset_input_set(input: number, which: number): number;
  hb_set_add(set: number, codepoint: number): void;
  hb_subset_or_fail(face: number, input: number): number;
}

const tag = (t: string) =>
  ((t.charCodeAt(0) << 24) | (t.charCodeAt(1) << 16) | (t.charCodeAt(2) << 8) | t.charCodeAt(3)) >>> 0;

// The project's TypeScript libraries carry no WebAssembly types; Node has it as a global.
const wasmApi = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: unknown } }>;
    };
  }
).WebAssembly;

let loaded: Promise<{ hb: HbSubset; face: number }> | null = null;

/** The font parsed once per process into HarfBuzz's memory, where every subset is cut from. */
function load(): Promise<{ hb: HbSubset; face: number }> {
  loaded ??= (async () => {
    const wasm = readFileSync(require.resolve('harfbuzzjs/dist/harfbuzz-subset.wasm'));
    const { instance } = await wasmApi.instantiate(wasm, {});
    const hb = instance.exports as unknown as HbSubset;
    // The package exports no file paths: its fonts sit beside its dist/.
    const entry = require.resolve(CERTIFICATE_FONT.package);
    const font = readFileSync(path.join(path.dirname(entry), '..', 'fonts', CERTIFICATE_FONT.file));
    const ptr = hb.malloc(font.length);
    new Uint8Array(hb.memory.buffer).set(font, ptr);
    // HB_MEMORY_MODE_READONLY: the bytes stay in the module's memory for the face's lifetime.
    const blob = hb.hb_blob_create(ptr, font.length, 1, 0, 0);
    const face = hb.hb_face_create(blob, 0);
    hb.hb_blob_destroy(blob);
    return { hb, face };
  })();
  return loaded;
}

/** An OpenType font with the glyphs of `text` only (and .notdef). */
export async function subsetFont(text: string): Promise<Uint8Array> {
  const { hb, face } = await load();
  const input = hb.hb_subset_input_create_or_fail();
  if (!input) throw new Error('HarfBuzz could not start a subset');
  try {
    const set = hb.hb_subset_input_unicode_set(input);
    for (const ch of new Set(text)) hb.hb_set_add(set, ch.codePointAt(0)!);
    // No glyph substitution: a ligature (fi, ff) would print as one glyph that copies and searches as
    // nothing, and a hash on a certificate must read back exactly. HB_SUBSET_SETS_DROP_TABLE_TAG = 3.
    hb.hb_set_add(hb.hb_subset_input_set(input, 3), tag('GSUB'));
    const subset = hb.hb_subset_or_fail(face, input);
    if (!subset) throw new Error('HarfBuzz could not subset the certificate font');
    const blob = hb.hb_face_reference_blob(subset);
    const offset = hb.hb_blob_get_data(blob, 0);
    const length = hb.hb_blob_get_length(blob);
    const bytes = new Uint8Array(hb.memory.buffer).slice(offset, offset + length);
    hb.hb_blob_destroy(blob);
    hb.hb_face_destroy(subset);
    return bytes;
  } finally {
    hb.hb_subset_input_destroy(input);
  }
}
