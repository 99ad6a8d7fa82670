// GS1 identifiers the food app reads and prints: GTIN, GLN and SSCC with their check digits, EPC URIs
// (SGTIN, LGTIN, SGLN, SSCC; GS1 EPC Tag Data Standard §6) and GS1 Digital Link URIs (the QR codes on
// packs). Pure functions over strings: no I/O, no registry look-ups.
//
// Our canonical form for an identifier is the GS1 Digital Link URI on `https://id.gs1.org` with the GTIN
// as 14 digits (`canonicalEpc`). EPCIS 2.0 accepts Digital Link URIs as EPCs, and a Digital Link can be
// written from an EPC URN without knowing anything more, while the way back (Digital Link → EPC URN) needs
// the length of the GS1 Company Prefix, which the URI does not carry: `digitalLinkToEpcUrn` takes it as a
// hint and refuses without it. So events keep whatever form they arrived in, and every comparison
// (trace, alerts, recalls) goes through `canonicalEpc`.

export class Gs1Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Gs1Error';
  }
}

// ------------------------------------------------------------------------------------------ check digits

/**
 * GS1 mod-10 check digit (GS1 General Specifications §7.9.1): from the rightmost digit leftwards, weights
 * 3, 1, 3, 1…; the check digit takes the sum up to the next multiple of ten. The same rule serves GTIN-8/
 * 12/13/14, GLN, SSCC, GSRN and GDTI.
 */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  if (!/^\d+$/.test(digitsWithoutCheck)) throw new Gs1Error(`"${digitsWithoutCheck}" is not all digits`);
  let sum = 0;
  for (let i = digitsWithoutCheck.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
    sum += Number(digitsWithoutCheck[i]) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** Appends the check digit. */
export function withCheckDigit(digitsWithoutCheck: string): string {
  return digitsWithoutCheck + gs1CheckDigit(digitsWithoutCheck);
}

function hasValidCheckDigit(digits: string): boolean {
  return digits.length >= 2 && gs1CheckDigit(digits.slice(0, -1)) === Number(digits.at(-1));
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function keyOfLength(input: string, kind: string, lengths: readonly number[]): Parsed<string> {
  const digits = input.trim();
  if (!/^\d+$/.test(digits)) return { ok: false, reason: `a ${kind} is digits only` };
  if (!lengths.includes(digits.length)) {
    return { ok: false, reason: `a ${kind} has ${lengths.join(', ')} digits, not ${digits.length}` };
  }
  if (!hasValidCheckDigit(digits)) {
    const expected = gs1CheckDigit(digits.slice(0, -1));
    return {
      ok: false,
      reason: `check digit of ${kind} ${digits} should be ${expected}: a digit is mistyped`,
    };
  }
  return { ok: true, value: digits };
}

/** A GTIN-8, -12, -13 or -14 with a correct check digit, normalised to 14 digits (left-padded with 0). */
export function parseGtin(input: string): Parsed<string> {
  const parsed = keyOfLength(input, 'GTIN', [8, 12, 13, 14]);
  return parsed.ok ? { ok: true, value: parsed.value.padStart(14, '0') } : parsed;
}

/** GTIN-14 of any GTIN, or Gs1Error saying what is wrong. */
export function normaliseGtin(input: string): string {
  return unwrap(parseGtin(input));
}

export function isValidGtin(input: string): boolean {
  return parseGtin(input).ok;
}

/** A GLN: 13 digits with a correct check digit. */
export function parseGln(input: string): Parsed<string> {
  return keyOfLength(input, 'GLN', [13]);
}

export function isValidGln(input: string): boolean {
  return parseGln(input).ok;
}

/** An SSCC: 18 digits (extension digit, company prefix, serial reference) with a correct check digit. */
export function parseSscc(input: string): Parsed<string> {
  return keyOfLength(input, 'SSCC', [18]);
}

export function isValidSscc(input: string): boolean {
  return parseSscc(input).ok;
}

function unwrap<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Gs1Error(parsed.reason);
  return parsed.value;
}

// ------------------------------------------------------------------------------------------ AI values

// GS1 AI encodable character set 82 (GenSpecs Figure 7.11-1): what serials, lots and GLN extensions may
// contain.
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;

function checkAiValue(value: string, what: string, max: number): string {
  if (value.length === 0 || value.length > max) throw new Gs1Error(`a ${what} has 1–${max} characters`);
  if (!CSET82.test(value)) throw new Gs1Error(`a ${what} may only use GS1 character set 82: "${value}"`);
  return value;
}

// EPC URIs escape the characters of CSET 82 that would break a URN (TDS §6.3 Table 6-1); everything else
// of CSET 82 stands for itself.
const EPC_ESCAPES: Record<string, string> = {
  '"': '%22',
  '%': '%25',
  '&': '%26',
  '/': '%2F',
  '<': '%3C',
  '>': '%3E',
  '?': '%3F',
};

function epcEscape(value: string): string {
  return value.replace(/["%&/<>?]/g, (c) => EPC_ESCAPES[c]!);
}

function percentDecode(value: string, what: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new Gs1Error(`${what} "${value}" has a broken percent-escape`);
  }
}

/**
 * Digital Link path segments percent-encode every character outside RFC 3986's unreserved set (GS1
 * Digital Link 1.2 §4.11 asks at least for the reserved ones; encoding all of them gives one spelling).
 */
function dlEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

// ------------------------------------------------------------------------------------------ EPC URIs

export const GS1_RESOLVER = 'https://id.gs1.org';

/** What an identifier names, whatever its spelling. */
export type Gs1Key =
  | { kind: 'sgtin'; gtin: string; serial: string; lot?: string }
  | { kind: 'lgtin'; gtin: string; lot: string }
  | { kind: 'gtin'; gtin: string }
  | { kind: 'sgln'; gln: string; extension?: string }
  | { kind: 'sscc'; sscc: string };

const EPC_URN = /^urn:epc:(id|class):(sgtin|lgtin|sgln|sscc):(\d+)\.(\d*)(?:\.(.+))?$/;

/** Company prefix lengths the EPC Tag Data Standard allows. */
function checkPrefix(prefix: string): void {
  if (prefix.length < 6 || prefix.length > 12) {
    throw new Gs1Error(`a GS1 Company Prefix has 6–12 digits, not ${prefix.length}`);
  }
}

/** Parses `urn:epc:id:sgtin|sgln|sscc:…` and `urn:epc:class:lgtin:…`. */
export function parseEpcUrn(urn: string): Gs1Key {
  const m = EPC_URN.exec(urn.trim());
  if (!m) throw new Gs1Error(`"${urn}" is not an SGTIN, LGTIN, SGLN or SSCC EPC URI`);
  const [, space, scheme, prefix = '', reference = '', rest] = m;
  checkPrefix(prefix);
  const expectsClass = scheme === 'lgtin';
  if ((space === 'class') !== expectsClass)
    throw new Gs1Error(`"${urn}": ${scheme} belongs under urn:epc:${expectsClass ? 'class' : 'id'}`);
  switch (scheme) {
    case 'sgtin':
    case 'lgtin': {
      // The item reference carries the indicator digit first; it moves to the front of the GTIN.
      if (prefix.length + reference.length !== 13) {
        throw new Gs1Error(`"${urn}": company prefix and item reference must have 13 digits together`);
      }
      const gtin = withCheckDigit(reference.slice(0, 1) + prefix + reference.slice(1));
      if (rest === undefined) throw new Gs1Error(`"${urn}" has no ${scheme === 'sgtin' ? 'serial' : 'lot'}`);
      const value = percentDecode(rest, scheme === 'sgtin' ? 'serial' : 'lot');
      return scheme === 'sgtin'
        ? { kind: 'sgtin', gtin, serial: checkAiValue(value, 'serial', 20) }
        : { kind: 'lgtin', gtin, lot: checkAiValue(value, 'lot', 20) };
    }
    case 'sgln': {
      if (prefix.length + reference.length !== 12) {
        throw new Gs1Error(`"${urn}": company prefix and location reference must have 12 digits together`);
      }
      if (rest === undefined) throw new Gs1Error(`"${urn}" has no extension (use 0 for none)`);
      const gln = withCheckDigit(prefix + reference);
      const extension = percentDecode(rest, 'GLN extension');
      // Extension "0" means "no extension" in an SGLN (TDS §6.3.3).
      return extension === '0'
        ? { kind: 'sgln', gln }
        : { kind: 'sgln', gln, extension: checkAiValue(extension, 'GLN extension', 20) };
    }
    default: {
      if (rest !== undefined || prefix.length + reference.length !== 17) {
        throw new Gs1Error(`"${urn}": company prefix and serial reference must have 17 digits together`);
      }
      // The serial reference carries the extension digit first; it moves to the front of the SSCC.
      return { kind: 'sscc', sscc: withCheckDigit(reference.slice(0, 1) + prefix + reference.slice(1)) };
    }
  }
}

/** A Digital Link URI for the key, on the given domain (GS1's resolver by default). */
export function toDigitalLink(key: Gs1Key, domain: string = GS1_RESOLVER): string {
  const base = domain.replace(/\/+$/, '');
  switch (key.kind) {
    case 'sgtin':
      return `${base}/01/${key.gtin}${key.lot ? `/10/${dlEncode(key.lot)}` : ''}/21/${dlEncode(key.serial)}`;
    case 'lgtin':
      return `${base}/01/${key.gtin}/10/${dlEncode(key.lot)}`;
    case 'gtin':
      return `${base}/01/${key.gtin}`;
    case 'sgln':
      return `${base}/414/${key.gln}${key.extension ? `/254/${dlEncode(key.extension)}` : ''}`;
    case 'sscc':
      return `${base}/00/${key.sscc}`;
  }
}

/** EPC URN → Digital Link (always possible: the URN spells the company prefix out). */
export function epcUrnToDigitalLink(urn: string, domain: string = GS1_RESOLVER): string {
  return toDigitalLink(parseEpcUrn(urn), domain);
}

export interface DigitalLink {
  /** Scheme and host as written, e.g. `https://qr.example.cn`. */
  domain: string;
  key: Gs1Key;
}

/**
 * Parses a GS1 Digital Link URI with primary key 01 (GTIN, qualifiers 10 lot and 21 serial in that
 * order), 414 (GLN, qualifier 254) or 00 (SSCC). A path prefix before the primary key is allowed (the
 * standard permits one); the query string (data attributes such as expiry) is ignored. Check digits are
 * verified: a typo in a scanned or typed link is refused, never resolved to someone else's product.
 */
export function parseDigitalLink(uri: string): DigitalLink {
  let url: URL;
  try {
    url = new URL(uri.trim());
  } catch {
    throw new Gs1Error(`"${uri}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Gs1Error(`"${uri}" is not http(s)`);
  const segments = url.pathname.split('/').filter((s) => s.length > 0);
  const at = segments.findIndex((s) => s === '01' || s === '414' || s === '00');
  if (at < 0) throw new Gs1Error(`"${uri}" has no GS1 primary key (01, 414 or 00) in its path`);
  const [ai, value = '', ...qualifiers] = segments.slice(at);
  if (qualifiers.length % 2 !== 0) throw new Gs1Error(`"${uri}": a key qualifier has no value`);
  const pairs: [string, string][] = [];
  for (let i = 0; i < qualifiers.length; i += 2) {
    pairs.push([qualifiers[i]!, percentDecode(qualifiers[i + 1]!, `AI (${qualifiers[i]})`)]);
  }
  const domain = `${url.protocol}//${url.host}`;
  const order = pairs.map(([q]) => q).join('/');
  switch (ai) {
    case '01': {
      const gtin = unwrap(parseGtin(value));
      const lot = pairs.find(([q]) => q === '10')?.[1];
      const serial = pairs.find(([q]) => q === '21')?.[1];
      if (!['', '10', '21', '10/21'].includes(order)) {
        throw new Gs1Error(`"${uri}": after 01 only 10 (lot) then 21 (serial) may follow, not ${order}`);
      }
      if (serial !== undefined) {
        const key: Gs1Key = { kind: 'sgtin', gtin, serial: checkAiValue(serial, 'serial', 20) };
        if (lot !== undefined) key.lot = checkAiValue(lot, 'lot', 20);
        return { domain, key };
      }
      if (lot !== undefined)
        return { domain, key: { kind: 'lgtin', gtin, lot: checkAiValue(lot, 'lot', 20) } };
      return { domain, key: { kind: 'gtin', gtin } };
    }
    case '414': {
      const gln = unwrap(parseGln(value));
      if (order !== '' && order !== '254') throw new Gs1Error(`"${uri}": after 414 only 254 may follow`);
      const extension = pairs[0]?.[1];
      return {
        domain,
        key: extension
          ? { kind: 'sgln', gln, extension: checkAiValue(extension, 'GLN extension', 20) }
          : { kind: 'sgln', gln },
      };
    }
    default: {
      if (order !== '') throw new Gs1Error(`"${uri}": an SSCC takes no qualifier`);
      return { domain, key: { kind: 'sscc', sscc: unwrap(parseSscc(value)) } };
    }
  }
}

/**
 * Digital Link → EPC URN. The company prefix length is not in the URI: without `companyPrefixLength`
 * (from the organisation's master data) this refuses rather than guess. A GTIN without lot or serial has
 * no EPC URN (it names a product class, not an object or a lot).
 */
export function digitalLinkToEpcUrn(uri: string, companyPrefixLength: number): string {
  const { key } = parseDigitalLink(uri);
  const p = companyPrefixLength;
  if (!Number.isInteger(p) || p < 6 || p > 12) throw new Gs1Error('a GS1 Company Prefix has 6–12 digits');
  switch (key.kind) {
    case 'sgtin':
    case 'lgtin': {
      // GTIN-14 = indicator + prefix + item reference + check; the URN puts the indicator before the item reference.
      const indicator = key.gtin.slice(0, 1);
      const prefix = key.gtin.slice(1, 1 + p);
      const itemRef = indicator + key.gtin.slice(1 + p, 13);
      return key.kind === 'sgtin'
        ? `urn:epc:id:sgtin:${prefix}.${itemRef}.${epcEscape(key.serial)}`
        : `urn:epc:class:lgtin:${prefix}.${itemRef}.${epcEscape(key.lot)}`;
    }
    case 'sgln':
      return `urn:epc:id:sgln:${key.gln.slice(0, p)}.${key.gln.slice(p, 12)}.${key.extension ? epcEscape(key.extension) : '0'}`;
    case 'sscc':
      return `urn:epc:id:sscc:${key.sscc.slice(1, 1 + p)}.${key.sscc.slice(0, 1)}${key.sscc.slice(1 + p, 17)}`;
    case 'gtin':
      throw new Gs1Error(`"${uri}" names a product (GTIN only); an EPC URN needs a serial or a lot`);
  }
}

const GTIN_PATTERN = /^urn:epc:idpat:sgtin:(\d+)\.(\d+)\.\*$/;

/**
 * Parses an EPC in either spelling; also the EPC pattern `urn:epc:idpat:sgtin:CP.IR.*` ("every item of
 * this GTIN"), which EPCIS quantity lists use for a product class without a lot.
 */
export function parseEpc(value: string): Gs1Key {
  const trimmed = value.trim();
  const pattern = GTIN_PATTERN.exec(trimmed);
  if (pattern) {
    const [, prefix = '', reference = ''] = pattern;
    checkPrefix(prefix);
    if (prefix.length + reference.length !== 13)
      throw new Gs1Error(`"${value}": company prefix and item reference must have 13 digits together`);
    return { kind: 'gtin', gtin: withCheckDigit(reference.slice(0, 1) + prefix + reference.slice(1)) };
  }
  return trimmed.startsWith('urn:epc:') ? parseEpcUrn(trimmed) : parseDigitalLink(trimmed).key;
}

/**
 * The one spelling every comparison uses: the Digital Link on id.gs1.org. Identifiers that are not GS1
 * keys we understand (GRAI, GIAI, private URIs…) are returned trimmed, unchanged: they still compare
 * equal to themselves.
 */
export function canonicalEpc(value: string): string {
  const trimmed = value.trim();
  try {
    return toDigitalLink(parseEpc(trimmed));
  } catch {
    return trimmed;
  }
}

/**
 * The lot an EPC belongs to, canonical (`…/01/{gtin}/10/{lot}`), when the identifier says it: an LGTIN,
 * or a serialised Digital Link that carries its lot. An SGTIN URN does not name its lot: the lot of such
 * an item is learnt from its commissioning event (see trace.ts).
 */
export function lotOf(value: string): string | undefined {
  try {
    const key = parseEpc(value);
    if (key.kind === 'lgtin') return toDigitalLink(key);
    if (key.kind === 'sgtin' && key.lot)
      return toDigitalLink({ kind: 'lgtin', gtin: key.gtin, lot: key.lot });
  } catch {
    // Not a GS1 key: no lot.
  }
  return undefined;
}

/** The GTIN an EPC names, if any. */
export function gtinOf(value: string): string | undefined {
  try {
    const key = parseEpc(value);
    return 'gtin' in key ? key.gtin : undefined;
  } catch {
    return undefined;
  }
}

/** The GLN of a location identifier (SGLN URN or 414 Digital Link), if any. */
export function glnOf(value: string): string | undefined {
  try {
    const key = parseEpc(value);
    return key.kind === 'sgln' ? key.gln : undefined;
  } catch {
    return undefined;
  }
}
