// GS1 identifiers as EPCIS 2.0 carries them, read and checked in one place: by the food contract (what
// may be anchored and recalled), by the food server (capture API, CSV import, trace) and by the staff
// web (its forms, live as a person types). So it is pure and imports nothing: no I/O, no registry
// look-ups, no URL parser (the contract must read a string the same way on every node and browser).
//
// What it reads: GTIN, GLN, SSCC and the other GS1 keys with their check digits; EPC URIs of every
// scheme of the EPC Tag Data Standard (TDS 2.0 §6–7: sgtin, sscc, sgln, grai, giai, gsrn, gsrnp, gdti,
// cpi, sgcn, ginc, gsin, itip, upui, pgln, gid, and the EPC class `lgtin` and `idpat` patterns), with
// company prefixes of 6–12 digits; and GS1 Digital Link URIs (DL 1.2: primary keys 01, 00, 414, 417,
// 8003, 8004, 8006, 8010, 8017, 8018, 253, 255, 401, 402 with their key qualifiers) on any domain.
// EPCIS also allows identifiers outside GS1 (any absolute URI): those pass as written, unless they
// claim to be GS1 (an `urn:epc:` URI, a Digital Link path) and are not.
//
// The canonical form of a GS1 key is its Digital Link on https://id.gs1.org (`canonicalEpc`); the way
// back to a URN needs the company prefix length, which a Digital Link does not carry.

export class Gs1Error extends Error {
  constructor(
    message: string,
    /** The same in Chinese, for pages in zh-CN. */
    readonly zh: string = message,
  ) {
    super(message);
    this.name = 'Gs1Error';
  }
}

const fail = (en: string, zh: string): never => {
  throw new Gs1Error(en, zh);
};

// ------------------------------------------------------------------------------------------ check digits

/**
 * GS1 mod-10 check digit (GS1 General Specifications §7.9.1): from the rightmost digit leftwards, weights
 * 3, 1, 3, 1…; the check digit takes the sum up to the next multiple of ten. The same rule serves
 * GTIN-8/12/13/14, GLN, SSCC, GRAI, GSRN, GDTI, GCN and GSIN.
 */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  if (!/^\d+$/.test(digitsWithoutCheck))
    fail(`"${digitsWithoutCheck}" is not all digits`, `"${digitsWithoutCheck}" 不全是数字`);
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

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string; zh: string };

const KEY_ZH: Record<string, string> = {
  GTIN: 'GTIN',
  GLN: 'GLN',
  SSCC: 'SSCC',
  GRAI: 'GRAI',
  GSRN: 'GSRN',
  GDTI: 'GDTI',
  GCN: 'GCN',
  GSIN: 'GSIN',
};

function keyOfLength(input: string, kind: string, lengths: readonly number[]): Parsed<string> {
  const digits = input.trim();
  const zhKind = KEY_ZH[kind] ?? kind;
  if (!/^\d+$/.test(digits))
    return { ok: false, reason: `a ${kind} is digits only`, zh: `${zhKind} 只能由数字组成` };
  if (!lengths.includes(digits.length)) {
    return {
      ok: false,
      reason: `a ${kind} has ${lengths.join(', ')} digits, not ${digits.length}`,
      zh: `${zhKind} 应为 ${lengths.join('、')} 位数字，而不是 ${digits.length} 位`,
    };
  }
  const expected = gs1CheckDigit(digits.slice(0, -1));
  if (expected !== Number(digits.at(-1))) {
    return {
      ok: false,
      reason: `check digit of ${kind} ${digits} should be ${expected}: a digit is mistyped`,
      zh: `${zhKind} ${digits} 的校验位应为 ${expected}：有数字输错`,
    };
  }
  return { ok: true, value: digits };
}

function unwrap<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Gs1Error(parsed.reason, parsed.zh);
  return parsed.value;
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

// ------------------------------------------------------------------------------------------ AI values

// GS1 AI encodable character set 82 (GenSpecs Figure 7.11-1): serials, lots, extensions, asset refs.
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;
// Character set 39 (GenSpecs Figure 7.11-2): component/part references (CPI).
const CSET39 = /^[#\-/0-9A-Z]+$/;

function aiValue(value: string, what: string, zhWhat: string, max: number, set = CSET82): string {
  if (value.length === 0 || value.length > max)
    fail(`a ${what} has 1–${max} characters, not ${value.length}`, `${zhWhat}应为 1–${max} 个字符`);
  if (!set.test(value))
    fail(
      `a ${what} may only use GS1 character set ${set === CSET82 ? 82 : 39}: "${value}"`,
      `${zhWhat}只能使用 GS1 ${set === CSET82 ? 82 : 39} 字符集：“${value}”`,
    );
  return value;
}

const digitsValue = (value: string, what: string, zhWhat: string, max: number): string => {
  if (!/^\d+$/.test(value) || value.length > max)
    fail(`a ${what} is 1–${max} digits: "${value}"`, `${zhWhat}应为 1–${max} 位数字：“${value}”`);
  return value;
};

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
    return fail(`${what} "${value}" has a broken percent-escape`, `${what}“${value}”的百分号转义不完整`);
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

// ------------------------------------------------------------------------------------------ keys

export const GS1_RESOLVER = 'https://id.gs1.org';

/** What an identifier names, whatever its spelling. */
export type Gs1Key =
  | { kind: 'sgtin'; gtin: string; serial: string; lot?: string }
  | { kind: 'lgtin'; gtin: string; lot: string }
  /** A product (every item of a GTIN): a class, as in `urn:epc:idpat:sgtin:CP.IR.*`. */
  | { kind: 'gtin'; gtin: string }
  | { kind: 'sgln'; gln: string; extension?: string }
  /** A party (an organisation), GS1 Party GLN. */
  | { kind: 'pgln'; gln: string }
  | { kind: 'sscc'; sscc: string }
  /** A returnable asset; without serial, the asset type (a class). GRAI with its leading 0. */
  | { kind: 'grai'; grai: string; serial?: string }
  | { kind: 'giai'; giai: string }
  | { kind: 'gsrn'; gsrn: string }
  | { kind: 'gsrnp'; gsrn: string }
  | { kind: 'gdti'; gdti: string; serial?: string }
  | { kind: 'sgcn'; gcn: string; serial?: string }
  | { kind: 'cpi'; cpid: string; serial?: string }
  | { kind: 'ginc'; ginc: string }
  | { kind: 'gsin'; gsin: string }
  | { kind: 'itip'; gtin: string; piece: string; total: string; serial?: string }
  | { kind: 'upui'; gtin: string; tpx: string }
  /** General Identifier (TDS §6.3.8): manager, object class and serial numbers. */
  | { kind: 'gid'; gid: string };

export type Gs1KeyKind = Gs1Key['kind'];

/** Kinds that name one physical or digital thing (EPCIS epcList, childEPCs, parentID…). */
const INSTANCE = (key: Gs1Key): boolean => {
  switch (key.kind) {
    case 'lgtin':
    case 'gtin':
      return false;
    case 'grai':
    case 'gdti':
    case 'sgcn':
    case 'cpi':
    case 'itip':
      return key.serial !== undefined;
    default:
      return true;
  }
};

/** A class of things counted by quantity (EPCIS quantity elements): a lot, a product, an asset type… */
const CLASS = (key: Gs1Key): boolean =>
  key.kind === 'lgtin' ||
  key.kind === 'gtin' ||
  ((key.kind === 'grai' ||
    key.kind === 'gdti' ||
    key.kind === 'sgcn' ||
    key.kind === 'cpi' ||
    key.kind === 'itip') &&
    key.serial === undefined);

// ------------------------------------------------------------------------------------------ EPC URIs

function checkPrefix(urn: string, prefix: string): void {
  if (!/^\d+$/.test(prefix) || prefix.length < 6 || prefix.length > 12)
    fail(
      `"${urn}": a GS1 Company Prefix has 6–12 digits, not "${prefix}"`,
      `“${urn}”：GS1 厂商识别代码应为 6–12 位数字，而不是“${prefix}”`,
    );
}

/** `CP.REF` where the two make `total` digits together (the check digit is not in a URN). */
function fixedDigits(urn: string, prefix: string, ref: string | undefined, total: number, what: string) {
  checkPrefix(urn, prefix);
  if (ref === undefined || !/^\d*$/.test(ref) || prefix.length + ref.length !== total)
    fail(
      `"${urn}": company prefix and ${what} must have ${total} digits together`,
      `“${urn}”：厂商识别代码与${ZH_WHAT[what] ?? what}合计应为 ${total} 位数字`,
    );
  return prefix + ref;
}

const ZH_WHAT: Record<string, string> = {
  'item reference': '商品项目代码',
  'location reference': '位置参考代码',
  'serial reference': '系列号',
  'asset type': '资产类型代码',
  'document type': '文件类型代码',
  'coupon reference': '优惠券参考代码',
  'party reference': '参与方参考代码',
  'service reference': '服务参考代码',
  'shipment reference': '货物参考代码',
};

/** The parts after the scheme, split at dots; percent-escapes stay until each part is read. */
const SCHEMES = {
  sgtin: 'urn:epc:id:sgtin:CompanyPrefix.ItemRef.Serial',
  sscc: 'urn:epc:id:sscc:CompanyPrefix.SerialRef',
  sgln: 'urn:epc:id:sgln:CompanyPrefix.LocationRef.Extension',
  grai: 'urn:epc:id:grai:CompanyPrefix.AssetType.Serial',
  giai: 'urn:epc:id:giai:CompanyPrefix.AssetRef',
  gsrn: 'urn:epc:id:gsrn:CompanyPrefix.ServiceRef',
  gsrnp: 'urn:epc:id:gsrnp:CompanyPrefix.ServiceRef',
  gdti: 'urn:epc:id:gdti:CompanyPrefix.DocType.Serial',
  cpi: 'urn:epc:id:cpi:CompanyPrefix.PartRef.Serial',
  sgcn: 'urn:epc:id:sgcn:CompanyPrefix.CouponRef.Serial',
  ginc: 'urn:epc:id:ginc:CompanyPrefix.ConsignmentRef',
  gsin: 'urn:epc:id:gsin:CompanyPrefix.ShipperRef',
  itip: 'urn:epc:id:itip:CompanyPrefix.ItemRef.Piece.Total.Serial',
  upui: 'urn:epc:id:upui:CompanyPrefix.ItemRef.TPX',
  pgln: 'urn:epc:id:pgln:CompanyPrefix.PartyRef',
  gid: 'urn:epc:id:gid:Manager.Class.Serial',
  lgtin: 'urn:epc:class:lgtin:CompanyPrefix.ItemRef.Lot',
} as const;

const PATTERNS = ['sgtin', 'grai', 'gdti', 'sgcn', 'cpi', 'itip', 'upui'] as const;

function form(urn: string, scheme: string, shape: string): never {
  return fail(
    `"${urn}" is not a valid ${scheme.toUpperCase()} EPC URI (${shape})`,
    `“${urn}”不是有效的 ${scheme.toUpperCase()} EPC URI（${shape}）`,
  );
}

/** GTIN-14 from an SGTIN-style company prefix and item reference (indicator digit first). */
const gtinFrom = (cp: string, ref: string) => withCheckDigit(ref.slice(0, 1) + cp + ref.slice(1));

/** Parses an EPC URI (`urn:epc:id:…`, `urn:epc:class:lgtin:…`, `urn:epc:idpat:…`). */
export function parseEpcUrn(input: string): Gs1Key {
  const urn = input.trim();
  const m = /^urn:epc:(id|class|idpat):([a-z]+):(.*)$/.exec(urn);
  if (!m)
    return fail(
      `"${urn}" is not an EPC URI (urn:epc:id:<scheme>:…, urn:epc:class:lgtin:…, urn:epc:idpat:<scheme>:…)`,
      `“${urn}”不是 EPC URI（urn:epc:id:<类型>:…）`,
    );
  const [, space, scheme = '', body = ''] = m;
  if (space === 'class') {
    if (scheme !== 'lgtin')
      fail(
        `"${urn}": ${scheme} belongs under urn:epc:${scheme === 'sgtin' ? 'id' : 'id'}; urn:epc:class: is for lgtin`,
        `“${urn}”：urn:epc:class: 只用于 lgtin`,
      );
    const [cp = '', ref, lot, ...extra] = body.split('.');
    if (extra.length > 0 || lot === undefined) form(urn, 'lgtin', SCHEMES.lgtin);
    fixedDigits(urn, cp, ref, 13, 'item reference');
    return {
      kind: 'lgtin',
      gtin: gtinFrom(cp, ref!),
      lot: aiValue(percentDecode(lot!, 'lot'), 'lot', '批号', 20),
    };
  }
  if (space === 'idpat') return parsePattern(urn, scheme, body);
  if (scheme === 'lgtin')
    fail(`"${urn}": lgtin belongs under urn:epc:class`, `“${urn}”：lgtin 应写在 urn:epc:class 下`);
  if (!(scheme in SCHEMES)) {
    return fail(
      `"${urn}": "${scheme}" is not an EPC scheme (sgtin, sscc, sgln, grai, giai, gsrn, gsrnp, gdti, cpi, sgcn, ginc, gsin, itip, upui, pgln, gid)`,
      `“${urn}”：“${scheme}”不是 EPC 标识类型`,
    );
  }
  const shape = SCHEMES[scheme as keyof typeof SCHEMES];
  const parts = body.split('.');
  const [cp = '', ref, third] = parts;
  switch (scheme) {
    case 'sgtin': {
      // A serial may itself hold dots (GS1 character set 82): all after the second dot is the serial.
      if (parts.length < 3) form(urn, scheme, shape);
      fixedDigits(urn, cp, ref, 13, 'item reference');
      const serial = aiValue(percentDecode(parts.slice(2).join('.'), 'serial'), 'serial', '序列号', 20);
      return { kind: 'sgtin', gtin: gtinFrom(cp, ref!), serial };
    }
    case 'sscc': {
      if (parts.length !== 2) form(urn, scheme, shape);
      fixedDigits(urn, cp, ref, 17, 'serial reference');
      return { kind: 'sscc', sscc: withCheckDigit(ref!.slice(0, 1) + cp + ref!.slice(1)) };
    }
    case 'sgln': {
      if (parts.length < 3) form(urn, scheme, shape);
      const gln = withCheckDigit(fixedDigits(urn, cp, ref, 12, 'location reference'));
      const extension = percentDecode(parts.slice(2).join('.'), 'GLN extension');
      // Extension "0" means "no extension" in an SGLN (TDS §6.3.3).
      return extension === '0'
        ? { kind: 'sgln', gln }
        : { kind: 'sgln', gln, extension: aiValue(extension, 'GLN extension', 'GLN 扩展码', 20) };
    }
    case 'pgln': {
      if (parts.length !== 2) form(urn, scheme, shape);
      return { kind: 'pgln', gln: withCheckDigit(fixedDigits(urn, cp, ref, 12, 'party reference')) };
    }
    case 'grai': {
      if (parts.length < 3) form(urn, scheme, shape);
      const grai = withCheckDigit(`0${fixedDigits(urn, cp, ref, 12, 'asset type')}`);
      return {
        kind: 'grai',
        grai,
        serial: aiValue(percentDecode(parts.slice(2).join('.'), 'serial'), 'serial', '序列号', 16),
      };
    }
    case 'gdti': {
      if (parts.length < 3) form(urn, scheme, shape);
      const gdti = withCheckDigit(fixedDigits(urn, cp, ref, 12, 'document type'));
      return {
        kind: 'gdti',
        gdti,
        serial: aiValue(percentDecode(parts.slice(2).join('.'), 'serial'), 'serial', '序列号', 17),
      };
    }
    case 'sgcn': {
      if (parts.length !== 3) form(urn, scheme, shape);
      const gcn = withCheckDigit(fixedDigits(urn, cp, ref, 12, 'coupon reference'));
      return { kind: 'sgcn', gcn, serial: digitsValue(third!, 'coupon serial', '优惠券序列号', 12) };
    }
    case 'gsrn':
    case 'gsrnp': {
      if (parts.length !== 2) form(urn, scheme, shape);
      const gsrn = withCheckDigit(fixedDigits(urn, cp, ref, 17, 'service reference'));
      return scheme === 'gsrn' ? { kind: 'gsrn', gsrn } : { kind: 'gsrnp', gsrn };
    }
    case 'gsin': {
      if (parts.length !== 2) form(urn, scheme, shape);
      return { kind: 'gsin', gsin: withCheckDigit(fixedDigits(urn, cp, ref, 16, 'shipment reference')) };
    }
    case 'giai':
    case 'ginc': {
      if (parts.length < 2) form(urn, scheme, shape);
      checkPrefix(urn, cp);
      const ref = percentDecode(
        parts.slice(1).join('.'),
        scheme === 'giai' ? 'asset reference' : 'consignment reference',
      );
      const value = aiValue(
        cp + ref,
        scheme === 'giai' ? 'GIAI' : 'GINC',
        scheme === 'giai' ? 'GIAI' : 'GINC',
        30,
      );
      if (ref.length === 0) form(urn, scheme, shape);
      return scheme === 'giai' ? { kind: 'giai', giai: value } : { kind: 'ginc', ginc: value };
    }
    case 'cpi': {
      if (parts.length !== 3) form(urn, scheme, shape);
      checkPrefix(urn, cp);
      const cpid = aiValue(cp + percentDecode(ref ?? '', 'part reference'), 'CPID', 'CPID', 30, CSET39);
      return { kind: 'cpi', cpid, serial: digitsValue(third!, 'CPI serial', 'CPI 序列号', 12) };
    }
    case 'itip': {
      if (parts.length < 5) form(urn, scheme, shape);
      fixedDigits(urn, cp, ref, 13, 'item reference');
      const [piece = '', total = ''] = parts.slice(2, 4);
      if (!/^\d{2}$/.test(piece) || !/^\d{2}$/.test(total)) form(urn, scheme, shape);
      const serial = aiValue(percentDecode(parts.slice(4).join('.'), 'serial'), 'serial', '序列号', 20);
      return { kind: 'itip', gtin: gtinFrom(cp, ref!), piece, total, serial };
    }
    case 'upui': {
      if (parts.length < 3) form(urn, scheme, shape);
      fixedDigits(urn, cp, ref, 13, 'item reference');
      const tpx = aiValue(percentDecode(parts.slice(2).join('.'), 'TPX'), 'TPX', 'TPX', 28);
      return { kind: 'upui', gtin: gtinFrom(cp, ref!), tpx };
    }
    default: {
      // gid: three decimal integers (manager ≤ 268435455, class ≤ 16777215, serial ≤ 68719476735).
      const [manager = '', klass = '', serial = ''] = parts;
      const ok =
        parts.length === 3 &&
        [manager, klass, serial].every((p) => /^(0|[1-9]\d*)$/.test(p)) &&
        Number(manager) <= 268_435_455 &&
        Number(klass) <= 16_777_215 &&
        Number(serial) <= 68_719_476_735;
      if (!ok) form(urn, scheme, shape);
      return { kind: 'gid', gid: body };
    }
  }
}

function parsePattern(urn: string, scheme: string, body: string): Gs1Key {
  if (!(PATTERNS as readonly string[]).includes(scheme))
    fail(
      `"${urn}": an EPC pattern is urn:epc:idpat:${PATTERNS.join('|')}:CompanyPrefix.Ref.*`,
      `“${urn}”：EPC 模式应为 urn:epc:idpat:<类型>:厂商识别代码.参考代码.*`,
    );
  const parts = body.split('.');
  const [cp = '', ref] = parts;
  const star = parts.at(-1);
  const shape = `urn:epc:idpat:${scheme}:CompanyPrefix.Ref.*`;
  if (star !== '*') form(urn, scheme, shape);
  switch (scheme) {
    case 'sgtin':
    case 'upui':
      if (parts.length !== 3) form(urn, scheme, shape);
      fixedDigits(urn, cp, ref, 13, 'item reference');
      return { kind: 'gtin', gtin: gtinFrom(cp, ref!) };
    case 'itip': {
      if (parts.length !== 5 || !/^\d{2}$/.test(parts[2]!) || !/^\d{2}$/.test(parts[3]!))
        form(urn, scheme, shape);
      fixedDigits(urn, cp, ref, 13, 'item reference');
      return { kind: 'itip', gtin: gtinFrom(cp, ref!), piece: parts[2]!, total: parts[3]! };
    }
    case 'grai':
      if (parts.length !== 3) form(urn, scheme, shape);
      return { kind: 'grai', grai: withCheckDigit(`0${fixedDigits(urn, cp, ref, 12, 'asset type')}`) };
    case 'gdti':
      if (parts.length !== 3) form(urn, scheme, shape);
      return { kind: 'gdti', gdti: withCheckDigit(fixedDigits(urn, cp, ref, 12, 'document type')) };
    case 'sgcn':
      if (parts.length !== 3) form(urn, scheme, shape);
      return { kind: 'sgcn', gcn: withCheckDigit(fixedDigits(urn, cp, ref, 12, 'coupon reference')) };
    default: {
      if (parts.length !== 3) form(urn, scheme, shape);
      checkPrefix(urn, cp);
      return {
        kind: 'cpi',
        cpid: aiValue(cp + percentDecode(ref ?? '', 'part reference'), 'CPID', 'CPID', 30, CSET39),
      };
    }
  }
}

// ------------------------------------------------------------------------------------------ Digital Link

/** Primary keys of GS1 Digital Link 1.2 and the key qualifiers each may take, in their order. */
const PRIMARY_KEYS: Record<string, readonly string[]> = {
  '01': ['22', '10', '21'],
  '8006': ['22', '10', '21'],
  '414': ['254'],
  '8010': ['8011'],
  '00': [],
  '417': [],
  '8003': [],
  '8004': [],
  '8017': [],
  '8018': [],
  '253': [],
  '255': [],
  '401': [],
  '402': [],
};

const DL_URI = /^(https?):\/\/([^/?#\s]+)(\/[^?#\s]*)?(\?[^#\s]*)?(#\S*)?$/i;

/** Whether a URI's path names a GS1 primary key (then it claims to be a Digital Link and must be one). */
export function looksLikeDigitalLink(uri: string): boolean {
  const m = DL_URI.exec(uri.trim());
  if (!m) return false;
  const segments = (m[3] ?? '').split('/').filter((s) => s.length > 0);
  return segments.some((s, i) => s in PRIMARY_KEYS && i + 1 < segments.length);
}

export interface DigitalLink {
  /** Scheme and host as written, e.g. `https://qr.example.cn`. */
  domain: string;
  key: Gs1Key;
}

/**
 * Parses a GS1 Digital Link URI: a primary key with its key qualifiers in order (01 then 22, 10, 21;
 * 414 then 254; …). A path prefix before the primary key is allowed (the standard permits one); the query
 * string (data attributes such as expiry) and fragment are ignored. Check digits are verified: a typo in
 * a scanned or typed link is refused, never resolved to someone else's product.
 */
export function parseDigitalLink(input: string): DigitalLink {
  const uri = input.trim();
  const m = DL_URI.exec(uri);
  if (!m) {
    return /^[a-z][a-z0-9+.-]*:/i.test(uri) && !/^https?:/i.test(uri)
      ? fail(`"${uri}" is not http(s)`, `“${uri}”不是 http(s) 链接`)
      : fail(`"${uri}" is not a URL`, `“${uri}”不是网址`);
  }
  const segments = (m[3] ?? '').split('/').filter((s) => s.length > 0);
  const at = segments.findIndex((s) => s in PRIMARY_KEYS);
  if (at < 0)
    fail(
      `"${uri}" has no GS1 primary key (01, 00, 414, 417, 8003, 8004, …) in its path`,
      `“${uri}”的路径中没有 GS1 主标识（01、00、414…）`,
    );
  const [ai = '', rawValue, ...qualifiers] = segments.slice(at);
  if (rawValue === undefined) fail(`"${uri}": (${ai}) has no value`, `“${uri}”：(${ai}) 没有值`);
  if (qualifiers.length % 2 !== 0)
    fail(`"${uri}": a key qualifier has no value`, `“${uri}”：限定符 (${qualifiers.at(-1)}) 没有值`);
  const allowed = PRIMARY_KEYS[ai]!;
  const pairs: [string, string][] = [];
  let last = -1;
  for (let i = 0; i < qualifiers.length; i += 2) {
    const q = qualifiers[i]!;
    const index = allowed.indexOf(q);
    if (index <= last)
      fail(
        allowed.length === 0
          ? `"${uri}": (${ai}) takes no key qualifier, not (${q})`
          : `"${uri}": after (${ai}) only ${allowed.map((a) => `(${a})`).join(' then ')} may follow, in that order, not (${q})`,
        `“${uri}”：(${ai}) 之后${allowed.length === 0 ? '不能有限定符' : `只能依次跟 ${allowed.map((a) => `(${a})`).join('、')}`}，不能是 (${q})`,
      );
    last = index;
    pairs.push([q, percentDecode(qualifiers[i + 1]!, `AI (${q})`)]);
  }
  const value = percentDecode(rawValue!, `AI (${ai})`);
  const domain = `${m[1]!.toLowerCase()}://${m[2]}`;
  const q = (name: string) => pairs.find(([k]) => k === name)?.[1];
  const checked = (p: Parsed<string>): string => {
    if (!p.ok) return fail(`"${uri}": ${p.reason}`, `“${uri}”：${p.zh}`);
    return p.value;
  };
  const serial = q('21');
  const lot = q('10');
  switch (ai) {
    case '01': {
      const gtin = checked(parseGtin(value));
      if (q('22') !== undefined) aiValue(q('22')!, 'consumer product variant', '消费者产品变体', 20);
      if (serial !== undefined) {
        const key: Gs1Key = { kind: 'sgtin', gtin, serial: aiValue(serial, 'serial', '序列号', 20) };
        if (lot !== undefined) key.lot = aiValue(lot, 'lot', '批号', 20);
        return { domain, key };
      }
      if (lot !== undefined)
        return { domain, key: { kind: 'lgtin', gtin, lot: aiValue(lot, 'lot', '批号', 20) } };
      return { domain, key: { kind: 'gtin', gtin } };
    }
    case '8006': {
      if (!/^\d{18}$/.test(value))
        fail(
          `"${uri}": an ITIP (8006) is a GTIN-14 and two 2-digit numbers`,
          `“${uri}”：ITIP (8006) 应为 18 位数字`,
        );
      const gtin = checked(parseGtin(value.slice(0, 14)));
      const key: Gs1Key = { kind: 'itip', gtin, piece: value.slice(14, 16), total: value.slice(16, 18) };
      if (serial !== undefined) key.serial = aiValue(serial, 'serial', '序列号', 20);
      if (lot !== undefined) aiValue(lot, 'lot', '批号', 20);
      return { domain, key };
    }
    case '414': {
      const gln = checked(parseGln(value));
      const extension = q('254');
      return {
        domain,
        key: extension
          ? { kind: 'sgln', gln, extension: aiValue(extension, 'GLN extension', 'GLN 扩展码', 20) }
          : { kind: 'sgln', gln },
      };
    }
    case '417':
      return { domain, key: { kind: 'pgln', gln: checked(keyOfLength(value, 'GLN', [13])) } };
    case '00':
      return { domain, key: { kind: 'sscc', sscc: checked(parseSscc(value)) } };
    case '8003': {
      const grai = checked(keyOfLength(value.slice(0, 14), 'GRAI', [14]));
      if (!grai.startsWith('0'))
        fail(`"${uri}": a GRAI (8003) starts with 0`, `“${uri}”：GRAI (8003) 以 0 开头`);
      const rest = value.slice(14);
      return {
        domain,
        key: rest
          ? { kind: 'grai', grai, serial: aiValue(rest, 'serial', '序列号', 16) }
          : { kind: 'grai', grai },
      };
    }
    case '8004':
      return { domain, key: { kind: 'giai', giai: aiValue(value, 'GIAI', 'GIAI', 30) } };
    case '8010': {
      const cpid = aiValue(value, 'CPID', 'CPID', 30, CSET39);
      const cpSerial = q('8011');
      return {
        domain,
        key:
          cpSerial !== undefined
            ? { kind: 'cpi', cpid, serial: digitsValue(cpSerial, 'CPI serial', 'CPI 序列号', 12) }
            : { kind: 'cpi', cpid },
      };
    }
    case '8017':
    case '8018': {
      const gsrn = checked(keyOfLength(value, 'GSRN', [18]));
      return { domain, key: ai === '8017' ? { kind: 'gsrnp', gsrn } : { kind: 'gsrn', gsrn } };
    }
    case '253': {
      const gdti = checked(keyOfLength(value.slice(0, 13), 'GDTI', [13]));
      const rest = value.slice(13);
      return {
        domain,
        key: rest
          ? { kind: 'gdti', gdti, serial: aiValue(rest, 'serial', '序列号', 17) }
          : { kind: 'gdti', gdti },
      };
    }
    case '255': {
      const gcn = checked(keyOfLength(value.slice(0, 13), 'GCN', [13]));
      const rest = value.slice(13);
      return {
        domain,
        key: rest
          ? { kind: 'sgcn', gcn, serial: digitsValue(rest, 'coupon serial', '优惠券序列号', 12) }
          : { kind: 'sgcn', gcn },
      };
    }
    case '401':
      return { domain, key: { kind: 'ginc', ginc: aiValue(value, 'GINC', 'GINC', 30) } };
    default:
      return { domain, key: { kind: 'gsin', gsin: checked(keyOfLength(value, 'GSIN', [17])) } };
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
    case 'pgln':
      return `${base}/417/${key.gln}`;
    case 'sscc':
      return `${base}/00/${key.sscc}`;
    case 'grai':
      return `${base}/8003/${key.grai}${key.serial ? dlEncode(key.serial) : ''}`;
    case 'giai':
      return `${base}/8004/${dlEncode(key.giai)}`;
    case 'gsrn':
      return `${base}/8018/${key.gsrn}`;
    case 'gsrnp':
      return `${base}/8017/${key.gsrn}`;
    case 'gdti':
      return `${base}/253/${key.gdti}${key.serial ? dlEncode(key.serial) : ''}`;
    case 'sgcn':
      return `${base}/255/${key.gcn}${key.serial ?? ''}`;
    case 'cpi':
      return `${base}/8010/${dlEncode(key.cpid)}${key.serial !== undefined ? `/8011/${key.serial}` : ''}`;
    case 'ginc':
      return `${base}/401/${dlEncode(key.ginc)}`;
    case 'gsin':
      return `${base}/402/${key.gsin}`;
    case 'itip':
      return `${base}/8006/${key.gtin}${key.piece}${key.total}${key.serial ? `/21/${dlEncode(key.serial)}` : ''}`;
    case 'upui':
      return `${base}/01/${key.gtin}/235/${dlEncode(key.tpx)}`;
    case 'gid':
      // The General Identifier has no GS1 key: its EPC URI is its only spelling.
      return `urn:epc:id:gid:${key.gid}`;
  }
}

/** EPC URN → Digital Link (always possible: the URN spells the company prefix out). */
export function epcUrnToDigitalLink(urn: string, domain: string = GS1_RESOLVER): string {
  return toDigitalLink(parseEpcUrn(urn), domain);
}

/**
 * Digital Link → EPC URN. The company prefix length is not in the URI: without `companyPrefixLength`
 * (from the organisation's master data) this refuses rather than guess. A GTIN without lot or serial has
 * no EPC URN (it names a product class, not an object or a lot).
 */
export function digitalLinkToEpcUrn(uri: string, companyPrefixLength: number): string {
  const { key } = parseDigitalLink(uri);
  const p = companyPrefixLength;
  if (!Number.isInteger(p) || p < 6 || p > 12)
    fail('a GS1 Company Prefix has 6–12 digits', 'GS1 厂商识别代码应为 6–12 位数字');
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
    case 'pgln':
      return `urn:epc:id:pgln:${key.gln.slice(0, p)}.${key.gln.slice(p, 12)}`;
    case 'sscc':
      return `urn:epc:id:sscc:${key.sscc.slice(1, 1 + p)}.${key.sscc.slice(0, 1)}${key.sscc.slice(1 + p, 17)}`;
    case 'gtin':
      return fail(
        `"${uri}" names a product (GTIN only); an EPC URN needs a serial or a lot`,
        `“${uri}”只是产品（GTIN），EPC URN 需要序列号或批号`,
      );
    default:
      return fail(`"${uri}": no EPC URN is written for ${key.kind} here`, `“${uri}”：此处不转换 ${key.kind}`);
  }
}

/** Parses an EPC in any spelling: EPC URI (id, class, pattern) or Digital Link. */
export function parseEpc(value: string): Gs1Key {
  const trimmed = value.trim();
  return trimmed.startsWith('urn:epc:') ? parseEpcUrn(trimmed) : parseDigitalLink(trimmed).key;
}

/**
 * The one spelling every comparison uses: the Digital Link on id.gs1.org. Identifiers that are not GS1
 * keys (private URIs…) are returned trimmed, unchanged: they still compare equal to themselves.
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
    return key.kind === 'sgtin' || key.kind === 'lgtin' || key.kind === 'gtin' ? key.gtin : undefined;
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

// ------------------------------------------------------------------------------------------ validation

/**
 * What an EPCIS field expects: `instance` one thing (epcList, childEPCs, parentID, input/output EPC
 * lists), `class` goods counted by quantity (epcClass), `location` (readPoint, bizLocation, a source or
 * destination of type location), `party` (owning or possessing party), `lot` (what a recall names),
 * `any` (an identifier of any of these, as the chain's anchors list them).
 */
export type IdentifierRole = 'instance' | 'class' | 'location' | 'party' | 'lot' | 'any';

export interface IdentifierProblem {
  /** English, e.g. `"urn:epc:id:sgtin:notanepc" is not a valid SGTIN EPC URI (…)`. */
  message: string;
  zh: string;
}

const ROLE_WORDS: Record<Exclude<IdentifierRole, 'any'>, [string, string]> = {
  instance: [
    'one item, case, pallet or asset (SGTIN, SSCC, GRAI with serial…)',
    '单个物品、箱、托盘或资产（SGTIN、SSCC…）',
  ],
  class: ['a lot or a product class (LGTIN, GTIN pattern…)', '批次或产品类别（LGTIN、GTIN 模式…）'],
  location: ['a location (SGLN, or a Digital Link with (414))', '地点（SGLN，或带 (414) 的数字链接）'],
  party: [
    'a party (PGLN, or a Digital Link with (417) or (414))',
    '参与方（PGLN，或带 (417)/(414) 的数字链接）',
  ],
  lot: ['a lot (LGTIN: a GTIN with (10))', '批次（带 (10) 批号的 GTIN）'],
};

const KIND_ZH: Record<Gs1KeyKind, string> = {
  sgtin: '单品（SGTIN）',
  lgtin: '批次（LGTIN）',
  gtin: '产品（GTIN）',
  sgln: '地点（SGLN）',
  pgln: '参与方（PGLN）',
  sscc: '物流单元（SSCC）',
  grai: '可回收资产（GRAI）',
  giai: '资产（GIAI）',
  gsrn: '服务关系（GSRN）',
  gsrnp: '服务提供方（GSRNP）',
  gdti: '文件（GDTI）',
  sgcn: '优惠券（SGCN）',
  cpi: '零部件（CPI）',
  ginc: '托运货物（GINC）',
  gsin: '装运货物（GSIN）',
  itip: '贸易项目组件（ITIP）',
  upui: '包装（UPUI）',
  gid: '通用标识（GID）',
};

const KIND_WORDS: Record<Gs1KeyKind, string> = {
  sgtin: 'an item (SGTIN)',
  lgtin: 'a lot (LGTIN)',
  gtin: 'a product (GTIN)',
  sgln: 'a location (SGLN)',
  pgln: 'a party (PGLN)',
  sscc: 'a logistic unit (SSCC)',
  grai: 'a returnable asset (GRAI)',
  giai: 'an asset (GIAI)',
  gsrn: 'a service relation (GSRN)',
  gsrnp: 'a service provider (GSRNP)',
  gdti: 'a document (GDTI)',
  sgcn: 'a coupon (SGCN)',
  cpi: 'a component (CPI)',
  ginc: 'a consignment (GINC)',
  gsin: 'a shipment (GSIN)',
  itip: 'a piece of a trade item (ITIP)',
  upui: 'a pack (UPUI)',
  gid: 'a general identifier (GID)',
};

function fits(key: Gs1Key, role: IdentifierRole): boolean {
  switch (role) {
    case 'instance':
      return INSTANCE(key);
    case 'class':
      return CLASS(key);
    case 'location':
      return key.kind === 'sgln';
    case 'party':
      return key.kind === 'pgln' || (key.kind === 'sgln' && key.extension === undefined);
    case 'lot':
      return key.kind === 'lgtin';
    default:
      return true;
  }
}

const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;

/**
 * Whether `value` is an identifier EPCIS allows in a field of `role`: undefined when it is, else what is
 * wrong, naming the identifier (callers put the field's name before it). GS1 keys are checked through
 * and through (scheme, company prefix, lengths, check digits, character sets, the kind the field takes);
 * other absolute URIs pass as private identifiers, unless they claim to be GS1 (`urn:epc:`, a Digital
 * Link path) and are not.
 */
export function identifierProblem(
  value: unknown,
  role: IdentifierRole = 'any',
): IdentifierProblem | undefined {
  if (typeof value !== 'string')
    return {
      message: `${JSON.stringify(value) ?? String(value)} is not text`,
      zh: `${String(value)} 不是文本`,
    };
  const text = value.trim();
  if (text !== value || text.length === 0 || text.length > 400)
    return {
      message: `"${value}" is not an identifier (1–400 characters, no surrounding spaces)`,
      zh: `“${value}”不是标识（1–400 个字符，前后不能有空格）`,
    };
  let key: Gs1Key;
  try {
    if (text.startsWith('urn:epc:')) key = parseEpcUrn(text);
    else if (looksLikeDigitalLink(text) || /^https?:\/\/[^/]*\/(01|00|414|417)\//i.test(text))
      key = parseDigitalLink(text).key;
    else if (/^urn:epc[:]?/i.test(text) || !ABSOLUTE_URI.test(text))
      return {
        message: `"${text}" is neither a GS1 identifier (EPC URI or Digital Link) nor a URI`,
        zh: `“${text}”既不是 GS1 标识（EPC URI 或数字链接），也不是 URI`,
      };
    else return undefined;
  } catch (error) {
    if (!(error instanceof Gs1Error)) throw error;
    const quoted = error.message.startsWith(`"${text}"`);
    return {
      message: quoted ? error.message : `"${text}": ${error.message}`,
      zh: quoted || error.zh.startsWith(`“${text}”`) ? error.zh : `“${text}”：${error.zh}`,
    };
  }
  if (fits(key, role)) return undefined;
  const [want, wantZh] = ROLE_WORDS[role as Exclude<IdentifierRole, 'any'>];
  return {
    message: `"${text}" is ${KIND_WORDS[key.kind]}; this field takes ${want}`,
    zh: `“${text}”是${KIND_ZH[key.kind]}；此处需要${wantZh}`,
  };
}

/** Throws Gs1Error (message `field: …`) when `value` is not an identifier of `role`. */
export function checkIdentifier(field: string, value: unknown, role: IdentifierRole = 'any'): void {
  const problem = identifierProblem(value, role);
  if (problem) throw new Gs1Error(`${field}: ${problem.message}`, `${field}：${problem.zh}`);
}
