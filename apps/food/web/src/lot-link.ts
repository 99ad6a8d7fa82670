// A lot's GS1 Digital Link (`https://id.gs1.org/01/<GTIN>/10/<lot>`) read back into its GTIN and lot
// number, wherever the web app names a lot: the capture page's links to a lot's trace, the explorer decoder
// pack's sentences. No imports: the decoder pack must load on its own in another app's page.

/** A lot's Digital Link, GTIN and lot number; a serial (`/21/`), a GTIN alone or a URN is not a lot. */
const LOT_LINK = /^https?:\/\/[^/]+\/01\/(\d{14})\/10\/([^/?#]+)$/;

/** The GTIN and the lot number (decoded) of a lot's Digital Link; null for any other identifier. */
export function readLotLink(key: string): { gtin: string; lot: string } | null {
  const m = LOT_LINK.exec(key);
  if (!m) return null;
  let lot = m[2]!;
  try {
    lot = decodeURIComponent(lot);
  } catch {
    // A stray % is part of what was written: the lot number is shown as written.
  }
  return { gtin: m[1]!, lot };
}

/** The lots a document names anywhere in it (each Digital Link once, in order), at most `most`. */
export function lotLinksIn(document: unknown, most = 5): string[] {
  const found = new Set<string>();
  const visit = (value: unknown) => {
    if (typeof value === 'string') {
      if (LOT_LINK.test(value)) found.add(value);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(document);
  return [...found].slice(0, most);
}
