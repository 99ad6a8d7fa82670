// Reads back the text a PDF draws, through its embedded font's ToUnicode map (what a viewer's copy and
// search use), so a test checks the page itself rather than metadata.
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, type PDFDocument, PDFName, type PDFRawStream, type PDFRef } from 'pdf-lib';

/** Decodes a stream's bytes (FlateDecode or none). */
export function streamBytes(stream: PDFRawStream): Uint8Array {
  const filter = stream.dict.get(PDFName.of('Filter'));
  return filter === PDFName.of('FlateDecode') ? inflateSync(stream.contents) : stream.contents;
}

/** The font's code → text map from its ToUnicode CMap (bfchar and bfrange). */
function toUnicodeMap(doc: PDFDocument, font: PDFDict): Map<number, string> {
  const cmap = new TextDecoder().decode(
    streamBytes(doc.context.lookup(font.get(PDFName.of('ToUnicode'))) as PDFRawStream),
  );
  const map = new Map<number, string>();
  const hexText = (h: string) =>
    String.fromCodePoint(...(h.match(/.{4}/g) ?? []).map((u) => Number.parseInt(u, 16)));
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, code, text] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g))
      map.set(Number.parseInt(code!, 16), hexText(text!));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const [, lo, hi, start] of block[1]!.matchAll(
      /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g,
    )) {
      const base = Number.parseInt(start!, 16);
      for (let c = Number.parseInt(lo!, 16); c <= Number.parseInt(hi!, 16); c++)
        map.set(c, String.fromCodePoint(base + c - Number.parseInt(lo!, 16)));
    }
  return map;
}

/** The text the pages draw, read back through the embedded font's ToUnicode map. */
export function extractText(doc: PDFDocument, font: PDFDict): string {
  const map = toUnicodeMap(doc, font);
  let text = '';
  for (const page of doc.getPages()) {
    const contents = page.node.get(PDFName.of('Contents'));
    const refs = contents instanceof PDFArray ? contents.asArray() : [contents];
    for (const ref of refs) {
      const ops = new TextDecoder('latin1').decode(
        streamBytes(doc.context.lookup(ref as PDFRef) as PDFRawStream),
      );
      for (const [, hex] of ops.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g))
        for (const code of hex!.match(/.{4}/g) ?? []) text += map.get(Number.parseInt(code, 16)) ?? '\uFFFD';
    }
  }
  return text;
}

export function type0Fonts(doc: PDFDocument): PDFDict[] {
  return doc.context
    .enumerateIndirectObjects()
    .map(([, o]) => o)
    .filter(
      (o): o is PDFDict => o instanceof PDFDict && o.get(PDFName.of('Subtype')) === PDFName.of('Type0'),
    );
}
