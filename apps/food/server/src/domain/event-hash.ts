// The EPCIS Event Hash ID (CBV 2.0 §8.9): a pre-hash string built from an event's fields in the canonical
// property order with values normalised (CBV Web URIs for vocabulary, GS1 Digital Link for identifiers,
// UTC millisecond timestamps, numbers without trailing zeros, lists sorted), hashed with SHA-256 and
// written `ni:///sha-256;<hex>?ver=CBV2.0`. This is what the food contract anchors on chain: anyone holding
// the event can recompute it.
//
// The normative text leaves details open that the GS1 reference implementation
// (github.com/RalphTro/epcis-event-hash-generator, which publishes the expected hashes) settles; this module
// follows that implementation's CBV 2.0 profile, checked against GS1's published example hashes (see
// test/domain-event-hash.test.ts and docs/food.md for what is and is not covered). It never reads a clock
// or the network: the EPCIS JSON-LD context is not fetched, its standard vocabulary is built in below.
// Isomorphic (SHA-256 from @noble/hashes, no Node built-ins): the consumer page recomputes an event's hash
// with this same module in the phone's browser before trusting the chain's anchor of it.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { gs1CheckDigit } from './gs1';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A field of the event as the algorithm sees it: a name, a text value and child fields. */
interface Field {
  name: string;
  value: string;
  children: Field[];
}

// ------------------------------------------------------------------------------------------ vocabulary

const CBV = 'https://ref.gs1.org/cbv/';

// Namespaces every EPCIS 2.0 document has without declaring them (the EPCIS context defines them). Keys
// written `prefix:local` become `{namespace}local`; `cbvmda` has no trailing separator, as in the reference.
const WELL_KNOWN_NAMESPACES: Record<string, string> = {
  gs1: 'https://ref.gs1.org/voc/',
  cbv: CBV,
  epcis: 'https://ref.gs1.org/epcis/',
  cbvmda: 'urn:epcglobal:cbv:mda',
};

// Bare standard values (JSON-LD `@vocab` terms of the EPCIS context) and the Web URI each expands to.
const BARE_VALUE_PREFIX = {
  bizStep: `${CBV}BizStep-`,
  disposition: `${CBV}Disp-`,
  bizTransactionType: `${CBV}BTT-`,
  sourceDestType: `${CBV}SDT-`,
  sensorAlert: 'https://ref.gs1.org/voc/',
  component: `${CBV}Comp-`,
  measurementType: 'https://ref.gs1.org/voc/',
} as const;

// CBV 1.x URNs → CBV 2.0 Web URIs (rule 14); replaced anywhere in a value, as the reference does.
const URN_VOCABULARY: [string, string][] = [
  ['urn:epcglobal:cbv:bizstep:', `${CBV}BizStep-`],
  ['urn:epcglobal:cbv:disp:', `${CBV}Disp-`],
  ['urn:epcglobal:cbv:btt:', `${CBV}BTT-`],
  ['urn:epcglobal:cbv:sdt:', `${CBV}SDT-`],
  ['urn:epcglobal:cbv:er:', `${CBV}ER-`],
];

// ------------------------------------------------------------------------------------------ property order

/** [name, order of its children] — CBV 2.0 canonical property order (rule 1). */
type PropertyOrder = readonly (readonly [string, PropertyOrder | null])[];

const QUANTITY_ELEMENT: PropertyOrder = [
  [
    'quantityElement',
    [
      ['epcClass', null],
      ['quantity', null],
      ['uom', null],
    ],
  ],
];
const EPC: PropertyOrder = [['epc', null]];

const PROPERTY_ORDER: PropertyOrder = [
  ['eventTime', null],
  ['eventTimeZoneOffset', null],
  ['epcList', EPC],
  ['parentID', null],
  ['inputEPCList', EPC],
  ['childEPCs', EPC],
  ['quantityList', QUANTITY_ELEMENT],
  ['childQuantityList', QUANTITY_ELEMENT],
  ['inputQuantityList', QUANTITY_ELEMENT],
  ['outputEPCList', EPC],
  ['outputQuantityList', QUANTITY_ELEMENT],
  ['action', null],
  ['transformationID', null],
  ['bizStep', null],
  ['disposition', null],
  [
    'persistentDisposition',
    [
      ['set', null],
      ['unset', null],
    ],
  ],
  ['readPoint', [['id', null]]],
  ['bizLocation', [['id', null]]],
  // bizTransactionList, sourceList and destinationList are typed pairs, serialised on their own (typedList).
  ['bizTransactionList', []],
  ['sourceList', []],
  ['destinationList', []],
  [
    'sensorElementList',
    [
      [
        'sensorElement',
        [
          [
            'sensorMetadata',
            [
              ['time', null],
              ['startTime', null],
              ['endTime', null],
              ['deviceID', null],
              ['deviceMetadata', null],
              ['rawData', null],
              ['dataProcessingMethod', null],
              ['bizRules', null],
            ],
          ],
          [
            'sensorReport',
            [
              ['type', null],
              ['exception', null],
              ['deviceID', null],
              ['deviceMetadata', null],
              ['rawData', null],
              ['dataProcessingMethod', null],
              ['time', null],
              ['microorganism', null],
              ['chemicalSubstance', null],
              ['value', null],
              ['component', null],
              ['stringValue', null],
              ['booleanValue', null],
              ['hexBinaryValue', null],
              ['uriValue', null],
              ['minValue', null],
              ['maxValue', null],
              ['meanValue', null],
              ['sDev', null],
              ['percRank', null],
              ['percValue', null],
              ['uom', null],
              ['coordinateReferenceSystem', null],
            ],
          ],
        ],
      ],
    ],
  ],
];

const TYPED_LISTS: Record<string, string> = {
  bizTransactionList: 'bizTransaction',
  sourceList: 'source',
  destinationList: 'destination',
};

/** Not part of the hash: record keeping, the id the hash may itself become, later corrections. */
const IGNORED = new Set([
  'recordTime',
  'eventID',
  'type',
  'errorDeclaration',
  'certificationInfo',
  '@context',
]);

// ------------------------------------------------------------------------------------------ values

function percentEncodeForHash(value: string): string {
  // The reference escapes exactly these (GS1 Digital Link Table 7-1, minus those EPC URIs already escape).
  return value.replace(/[!()*+,:]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const withCheck = (digits: string) => digits + gs1CheckDigit(digits);
const gtinOf = (prefix: string, itemRef: string) =>
  withCheck(itemRef.slice(0, 1) + prefix + itemRef.slice(1));

// Character classes of the EPC Tag Data Standard, as the reference writes them.
const EPC_CHAR =
  "(?:%2[125-9A-Fa-f]|%3[0-9A-Fa-f]|%4[1-9A-Fa-f]|%5[0-9AaFf]|%6[1-9A-Fa-f]|%7[0-9Aa]|[!')(*+,.0-9:;=A-Za-z_-])";
const CPI_CHAR = '(?:%2[3dfDF]|%3[0-9]|%4[1-9A-Fa-f]|%5[0-9Aa]|[0-9A-Z-])';
const split = (total: number) =>
  Array.from({ length: 7 }, (_, i) => `\\d{${6 + i}}\\.\\d{${total - 6 - i}}`).join('|');
const splitVariable = (chars: string, total: number) =>
  Array.from({ length: 7 }, (_, i) => `\\d{${6 + i}}\\.${chars}{1,${total - 6 - i}}`).join('|');
const GLN12 = `${Array.from({ length: 6 }, (_, i) => `\\d{${6 + i}}\\.\\d{${6 - i}}`).join('|')}|\\d{12}\\.`;
const GRAI12 = `${Array.from({ length: 6 }, (_, i) => `\\d{${6 + i}}\\.\\d{${6 - i}}`).join('|')}|\\d{12}\\.\\.`;

/** [pattern, builder from the URI's company prefix (before the first dot) and the rest]. */
const EPC_TO_DL: [RegExp, (uri: string, prefix: string, afterPrefix: string) => string][] = [
  [
    new RegExp(`^urn:epc:id:sgtin:(?:${split(13)})\\.${EPC_CHAR}{1,20}$`),
    (uri, p, rest) =>
      `https://id.gs1.org/01/${gtinOf(p, rest.slice(0, 13 - p.length))}/21/${percentEncodeForHash(uri.slice(32))}`,
  ],
  [
    new RegExp(`^urn:epc:id:sscc:(?:${split(17)})$`),
    (_, p, rest) => `https://id.gs1.org/00/${withCheck(rest.slice(0, 1) + p + rest.slice(1))}`,
  ],
  [
    new RegExp(`^urn:epc:id:sgln:(?:${GLN12})\\.${EPC_CHAR}{1,20}$`),
    (uri, p, rest) => {
      const gln = withCheck(p + rest.slice(0, 12 - p.length));
      const extension = uri.slice(30);
      return `https://id.gs1.org/414/${gln}${extension === '0' ? '' : `/254/${percentEncodeForHash(extension)}`}`;
    },
  ],
  [
    new RegExp(`^urn:epc:id:grai:(?:${GRAI12})\\.${EPC_CHAR}{1,16}$`),
    (uri, p, rest) =>
      `https://id.gs1.org/8003/${withCheck(`0${p}${rest.slice(0, 12 - p.length)}`)}${percentEncodeForHash(uri.slice(30))}`,
  ],
  [
    new RegExp(`^urn:epc:id:giai:(?:${splitVariable(EPC_CHAR, 30)})$`),
    (_, p, rest) => `https://id.gs1.org/8004/${p}${percentEncodeForHash(rest)}`,
  ],
  [
    new RegExp(`^urn:epc:id:gsrn:(?:${split(17)})$`),
    (_, p, rest) => `https://id.gs1.org/8018/${withCheck(p + rest)}`,
  ],
  [
    new RegExp(`^urn:epc:id:gsrnp:(?:${split(17)})$`),
    (_, p, rest) => `https://id.gs1.org/8017/${withCheck(p + rest)}`,
  ],
  [
    // Written as the reference has it: no separator before the serial, which then starts with the dot.
    new RegExp(`^urn:epc:id:gdti:(?:${GRAI12})${EPC_CHAR}{1,20}$`),
    (uri, p, rest) =>
      `https://id.gs1.org/253/${withCheck(p + rest.slice(0, 12 - p.length))}${percentEncodeForHash(uri.slice(30))}`,
  ],
  [
    new RegExp(`^urn:epc:id:cpi:(?:${splitVariable(CPI_CHAR, 30)})\\.\\d{1,12}$`),
    (uri, p, rest) => {
      const last = uri.lastIndexOf('.');
      const cpRef = rest.slice(0, rest.lastIndexOf('.'));
      return `https://id.gs1.org/8010/${percentEncodeForHash(p + cpRef)}/8011/${uri.slice(last + 1)}`;
    },
  ],
  [
    new RegExp(`^urn:epc:id:sgcn:(?:${GLN12})\\.\\d{1,12}$`),
    (uri, p, rest) => `https://id.gs1.org/255/${withCheck(p + rest.slice(0, 12 - p.length))}${uri.slice(30)}`,
  ],
  [
    new RegExp(`^urn:epc:id:ginc:(?:${splitVariable(EPC_CHAR, 30)})$`),
    (_, p, rest) => `https://id.gs1.org/401/${p}${percentEncodeForHash(rest)}`,
  ],
  [
    new RegExp(`^urn:epc:id:gsin:(?:${split(16)})$`),
    (_, p, rest) => `https://id.gs1.org/402/${withCheck(p + rest)}`,
  ],
  [
    new RegExp(`^urn:epc:id:itip:(?:${split(13)})\\.\\d{2}\\.\\d{2}\\.${EPC_CHAR}{1,20}$`),
    (uri, p, rest) =>
      `https://id.gs1.org/8006/${gtinOf(p, rest.slice(0, 13 - p.length))}${uri.slice(31, 33)}${uri.slice(34, 36)}/21/${percentEncodeForHash(uri.slice(37))}`,
  ],
  [
    new RegExp(`^urn:epc:id:upui:(?:${split(13)})\\.${EPC_CHAR}{1,28}$`),
    (uri, p, rest) =>
      `https://id.gs1.org/01/${gtinOf(p, rest.slice(0, 13 - p.length))}/235/${percentEncodeForHash(uri.slice(31))}`,
  ],
  [
    new RegExp(`^urn:epc:id:pgln:(?:${GLN12})$`),
    (_, p, rest) => `https://id.gs1.org/417/${withCheck(p + rest.slice(0, 12 - p.length))}`,
  ],
  [
    new RegExp(`^urn:epc:class:lgtin:(?:${split(13)})\\.${EPC_CHAR}{1,20}$`),
    (uri, p, rest) =>
      `https://id.gs1.org/01/${gtinOf(p, rest.slice(0, 13 - p.length))}/10/${percentEncodeForHash(uri.slice(35))}`,
  ],
  [
    new RegExp(`^urn:epc:idpat:sgtin:(?:${split(13)})\\.\\*$`),
    (_, p, rest) => `https://id.gs1.org/01/${gtinOf(p, rest.slice(0, 13 - p.length))}`,
  ],
  [
    new RegExp(`^urn:epc:idpat:grai:(?:${GRAI12})\\.\\*$`),
    (_, p, rest) => `https://id.gs1.org/8003/${withCheck(`0${p}${rest.slice(0, 12 - p.length)}`)}`,
  ],
  [
    new RegExp(`^urn:epc:idpat:gdti:(?:${GRAI12})\\.\\*$`),
    (_, p, rest) => `https://id.gs1.org/253/${withCheck(p + rest.slice(0, 12 - p.length))}`,
  ],
  [
    new RegExp(`^urn:epc:idpat:sgcn:(?:${GRAI12})\\.\\*$`),
    (_, p, rest) => `https://id.gs1.org/255/${withCheck(p + rest.slice(0, 12 - p.length))}`,
  ],
  [
    new RegExp(`^urn:epc:idpat:cpi:(?:${splitVariable(CPI_CHAR, 30)})\\.\\*$`),
    (_, p, rest) =>
      `https://id.gs1.org/8010/${percentEncodeForHash(p + rest.slice(0, rest.lastIndexOf('.')))}`,
  ],
  [
    new RegExp(`^urn:epc:idpat:itip:(?:${split(13)})\\.\\d{2}\\.\\d{2}\\.\\*$`),
    (uri, p, rest) =>
      `https://id.gs1.org/8006/${gtinOf(p, rest.slice(0, 13 - p.length))}${uri.slice(34, 36)}${uri.slice(37, 39)}`,
  ],
  [
    new RegExp(`^urn:epc:idpat:upui:(?:${split(13)})\\.\\*$`),
    (_, p, rest) => `https://id.gs1.org/01/${gtinOf(p, rest.slice(0, 13 - p.length))}`,
  ],
];

const DL_CANDIDATE =
  /^https?:(\/\/((([^/?#]*)@)?([^/?#:]*)(:([^/?#]*))?))?((([^?#]*)(\/(01|gtin|8006|itip|8010|cpid|414|gln|417|party|8017|gsrnp|8018|gsrn|255|gcn|00|sscc|253|gdti|401|ginc|402|gsin|8003|grai|8004|giai)\/)(\d{4}[^/]+)(\/[^/]+\/[^/]+)?[/]?(\?([^?\n]*))?(#([^\n]*))?)|(\/[A-Za-z_-]{10}$))/;
const DL_ON_RESOLVER =
  /^(?:https:\/\/id.gs1.org\/(01|8006|8010|414|417|8017|8018|255|00|253|401|402|8003|8004)\/(\d{4}[^/]+)(\/[^/]+\/[^/]+)?[/]?(\?([^?\n]*))?(#([^\n]*))?|\/[A-Za-z_-]{10}$)/;
const SHORT_NAMES: [string, string][] = [
  ['/gtin/', '/01/'],
  ['/itip/', '/8006/'],
  ['/cpid/', '/8010/'],
  ['/gln/', '/414/'],
  ['/party/', '/417/'],
  ['/gsrnp/', '/8017/'],
  ['/gsrn/', '/8018/'],
  ['/gcn/', '/255/'],
  ['/sscc/', '/00/'],
  ['/gdti/', '/253/'],
  ['/ginc/', '/401/'],
  ['/gsin/', '/402/'],
  ['/grai/', '/8003/'],
  ['/giai/', '/8004/'],
  ['/cpv/', '/22/'],
  ['/lot/', '/10/'],
  ['/ser/', '/21/'],
];
const PRIMARY_KEYS = [
  '00',
  '01',
  '253',
  '255',
  '401',
  '402',
  '414',
  '417',
  '8003',
  '8004',
  '8006',
  '8010',
  '8017',
  '8018',
];
// Digital Link AI values the reference accepts in its output (no '%': an escaped value is left as written).
const V = '[\\x22\\x27\\x2D\\x2E\\x30-\\x39\\x3B-\\x3F\\x41-\\x5A\\x5F\\x61-\\x7A]';
const V_OR_SLASH = '[\\x2F\\x22\\x27\\x2D\\x2E\\x30-\\x39\\x3B-\\x3F\\x41-\\x5A\\x5F\\x61-\\x7A]';
const DL_VALID = [
  '00/\\d{18}',
  `01/\\d{14}/21/${V}{0,20}`,
  `01/\\d{14}/10/${V}{0,20}`,
  '01/\\d{14}',
  `01/\\d{14}/235/${V}{0,28}`,
  `253/\\d{13}${V}{0,17}`,
  '255/\\d{13}\\d{0,12}',
  `401/${V}{0,30}`,
  '402/\\d{17}',
  '414/\\d{13}',
  `414/\\d{13}/254/${V}{0,20}`,
  '417/\\d{13}',
  `8003/\\d{14}${V}{0,16}`,
  `8004/${V}{0,30}`,
  `8006/\\d{18}/21/${V}{0,20}`,
  `8006/\\d{18}/10/${V}{0,20}`,
  '8006/\\d{18}',
  '8010/[\\x23\\x2D\\x2F\\x30-\\x39\\x41-\\x5A]{0,30}/8011/\\d{0,12}',
  '8010/[\\x23\\x2D\\x2F\\x30-\\x39\\x41-\\x5A]{0,30}',
  '8017/\\d{18}',
  '8018/\\d{18}',
].map((p) => new RegExp(`^https://id.gs1.org/${p}$`));

/** Python's `s[start:end]` with a possibly negative end, as the reference slices. */
function pySlice(s: string, start: number, end?: number): string {
  const from = start < 0 ? Math.max(0, s.length + start) : start;
  if (end === undefined) return s.slice(from);
  return s.slice(from, end < 0 ? s.length + end : end);
}

/**
 * Rules 17 and 18: an EPC URI, EPC class or pattern URI, or a GS1 Digital Link becomes the constrained
 * canonical Digital Link on id.gs1.org (finest identification only, no query, no CPV). Undefined when the
 * value is not one of those.
 */
export function hashCanonicalIdentifier(uri: string): string | undefined {
  const dot = uri.indexOf('.');
  if (dot < 0) return undefined;
  for (const [pattern, build] of EPC_TO_DL) {
    if (pattern.test(uri)) {
      const prefix = uri.slice(uri.lastIndexOf(':', dot) + 1, dot);
      return build(uri, prefix, uri.slice(dot + 1));
    }
  }
  if (!DL_CANDIDATE.test(uri)) return undefined;
  let dl = uri.includes('?') ? uri.slice(0, uri.indexOf('?')) : uri;
  for (const [short, ai] of SHORT_NAMES) dl = dl.replaceAll(short, ai);
  if (!DL_ON_RESOLVER.test(dl)) {
    const key = PRIMARY_KEYS.find((k) => dl.includes(`/${k}/`));
    if (key) dl = `https://id.gs1.org${dl.slice(dl.indexOf(`/${key}/`))}`;
  }
  if (!/^https:\/\/id.gs1.org\/01\/\d{14}/.test(dl)) {
    if (/^https:\/\/id.gs1.org\/01\/\d{13}/.test(dl)) dl = dl.replaceAll('/01/', '/01/0');
    else if (/^https:\/\/id.gs1.org\/01\/\d{12}/.test(dl)) dl = dl.replaceAll('/01/', '/01/00');
    else if (/^https:\/\/id.gs1.org\/01\/\d{8}/.test(dl)) dl = dl.replaceAll('/01/', '/01/000000');
  }
  // Drop the consumer product variant (22): it does not identify anything finer.
  const afterCpv = pySlice(dl, dl.indexOf('/22/') + 4);
  if (new RegExp(`^https://id.gs1.org/(8006/\\d{18}|01/\\d{14})/22/${V}{0,20}$`).test(dl)) {
    dl = dl.slice(0, dl.indexOf('/22/')) + pySlice(afterCpv, afterCpv.indexOf('/'), -1);
  }
  if (new RegExp(`^https://id.gs1.org/(8006/\\d{18}|01/\\d{14})/22/${V_OR_SLASH}{0,20}$`).test(dl)) {
    dl = dl.slice(0, dl.indexOf('/22/')) + pySlice(afterCpv, afterCpv.indexOf('/'));
  }
  // Finest level only: a serial makes the lot redundant.
  if (new RegExp(`^https://id.gs1.org/(8006/\\d{18}|01/\\d{14})/10/${V}{0,20}/21/${V}{0,20}$`).test(dl)) {
    const afterLot = dl.slice(dl.indexOf('/10/') + 4);
    dl = dl.slice(0, dl.indexOf('/10/')) + pySlice(afterLot, afterLot.indexOf('/'));
  }
  return DL_VALID.some((p) => p.test(dl)) ? dl : undefined;
}

/** Rule 6: numbers without leading '+', leading or trailing zeros. Other text is returned unchanged. */
function canonicalNumber(text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return text;
  const [, sign = '', int = '', frac = '', exp = '0'] = m;
  // Shift the decimal point by the exponent on the digit string, so no precision is lost.
  const digits = int + frac;
  const point = int.length + Number(exp);
  const padded =
    point < 0 ? '0'.repeat(-point) + digits : point > digits.length ? digits.padEnd(point, '0') : digits;
  const at = Math.max(point, 0);
  const whole = padded.slice(0, at).replace(/^0+/, '') || '0';
  const fraction = padded.slice(at).replace(/0+$/, '');
  const negative = sign === '-' && (whole !== '0' || fraction !== '' || /^-0/.test(text));
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** A value outside timestamps: vocabulary URNs, numbers, identifiers (rules 6, 14, 17, 18). */
function canonicalValue(raw: string): string {
  let text = raw;
  for (const [urn, web] of URN_VOCABULARY) text = text.replaceAll(urn, web);
  text = canonicalNumber(text);
  return hashCanonicalIdentifier(text) ?? text;
}

/**
 * Rules 8 and 9: UTC with 'Z', millisecond precision (digits beyond microseconds dropped, microseconds
 * rounded half-up to milliseconds, as the reference parses them). A value that is not an ISO 8601
 * date-time is returned unchanged; one without an offset is taken as UTC.
 */
export function canonicalTimestamp(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (!m) return text;
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = m;
  const micros = Number(fraction.slice(0, 6).padEnd(6, '0'));
  let ms =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) +
    Math.floor((micros + 500) / 1000);
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isNaN(ms) ? text : new Date(ms).toISOString();
}

// ------------------------------------------------------------------------------------------ fields

/** Prefix → namespace IRI. */
type Namespaces = Map<string, string>;

function namespacesOf(contexts: readonly Json[]): Namespaces {
  const all = new Map(Object.entries(WELL_KNOWN_NAMESPACES));
  for (const context of contexts) {
    for (const entry of Array.isArray(context) ? context : [context]) {
      if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
        for (const [prefix, iri] of Object.entries(entry)) if (typeof iri === 'string') all.set(prefix, iri);
      }
    }
  }
  // The reference always binds gs1 to the Web vocabulary, whatever a context says.
  all.set('gs1', WELL_KNOWN_NAMESPACES.gs1!);
  return all;
}

/** Keys: `prefix:local` with a known prefix becomes `{namespace}local` (rules 19–21). */
function expandKey(key: string, ns: Namespaces): string {
  const colon = key.indexOf(':');
  const namespace = colon > 0 ? ns.get(key.slice(0, colon)) : undefined;
  return namespace === undefined ? key : `{${namespace}}${key.slice(colon + 1)}`;
}

/** Values: only CURIEs of GS1's own vocabularies are expanded (rule 15); user CURIEs stay as written. */
function expandValue(value: string, ns: Namespaces): string {
  const colon = value.indexOf(':');
  const namespace = colon > 0 ? ns.get(value.slice(0, colon)) : undefined;
  if (namespace && (namespace.startsWith('https://ref.gs1.org') || namespace.startsWith('https://gs1.org'))) {
    return namespace + value.slice(colon + 1);
  }
  return value;
}

/** Python's ordering of the reference's (name, value, children) tuples: it decides the order of equals. */
function compareFields(a: Field, b: Field): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  for (let i = 0; i < Math.min(a.children.length, b.children.length); i++) {
    const c = compareFields(a.children[i]!, b.children[i]!);
    if (c !== 0) return c;
  }
  return a.children.length - b.children.length;
}

function scalar(value: Json, ns: Namespaces): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  // Python's spelling, as the reference writes a JSON null.
  if (value === null) return 'None';
  return expandValue(String(value), ns);
}

/** One JSON member as fields: an array gives one field per element, all with the member's name. */
function fieldsOf(name: string, value: Json, ns: Namespaces): Field[] {
  if (Array.isArray(value)) return value.flatMap((element) => fieldsOf(name, element, ns));
  if (value !== null && typeof value === 'object')
    return [{ name, value: textOf(value), children: childrenOf(value, ns) }];
  return [{ name, value: scalar(value, ns), children: [] }];
}

function textOf(object: JsonObject): string {
  const text = object['#text'];
  return typeof text === 'string' ? text : '';
}

function childrenOf(object: JsonObject, ns: Namespaces): Field[] {
  const children = Object.entries(object)
    .filter(
      ([key]) => key !== '#text' && key !== 'rdfs:comment' && key !== 'comment' && !key.startsWith('@xmlns'),
    )
    .flatMap(([key, value]) => fieldsOf(expandKey(key, ns), value, ns));
  return children.sort(compareFields);
}

// As the reference: inside standard fields, only extensions in a namespace ending with '/' are recognised.
const isExtension = (f: Field) => f.name.includes('{') && f.name.includes('/}');

// ------------------------------------------------------------------------------------------ pre-hash

/** Rule 12 applied to anything outside the property order: `name=value` plus children, sorted. */
function generic(fields: readonly Field[]): string {
  const parts = fields.map((f) => {
    const text = f.value.trim();
    return f.name + (text ? `=${canonicalValue(text)}` : '') + generic(f.children);
  });
  if (parts.length > 1) parts.sort(byCodePoint);
  return parts.join('');
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function valueText(field: Field): string {
  const text = field.value.trim();
  if (!text) return '';
  const lower = field.name.toLowerCase();
  return `=${lower.includes('time') && !lower.includes('offset') ? canonicalTimestamp(text) : canonicalValue(text)}`;
}

/**
 * Fields named in the property order, in that order. A field is removed from `fields` once consumed; one
 * with children left over (user extensions) stays for the trailing blocks.
 */
function ordered(fields: Field[], order: PropertyOrder): string {
  let out = '';
  for (const [name, childOrder] of order) {
    const values: string[] = [];
    for (const field of fields.filter((f) => f.name === name)) {
      const text = valueText(field);
      const inner = childOrder ? ordered(field.children, childOrder) : '';
      // CBV 2.0 writes no "sensorElementList" key, only its elements.
      const label = name === 'sensorElementList' ? '' : name;
      if (text || inner) values.push(label + text + inner);
      if (field.children.length === 0) fields.splice(fields.indexOf(field), 1);
    }
    out += values.sort(byCodePoint).join('');
  }
  return out;
}

/** Rule 13: typed entries as `type=…` then the identifier, entries sorted. */
function typedList(fields: Field[], listName: string): string {
  const itemName = TYPED_LISTS[listName]!;
  const entries = fields
    .filter((f) => f.name === listName)
    .flatMap((list) => list.children)
    .map((item) => {
      const type = item.children.find((c) => c.name === 'type');
      const id = item.children.find((c) => c.name === itemName);
      return (type ? `type${valueText(type)}` : '') + (id ? `${itemName}${valueText(id)}` : '');
    })
    .filter((entry) => entry.length > 0);
  for (const list of fields.filter((f) => f.name === listName)) fields.splice(fields.indexOf(list), 1);
  return entries.length > 0 ? listName + entries.sort(byCodePoint).join('') : '';
}

/** Rule 21 (CBV 2.0 profile): user extensions inside standard fields, prefixed by their field path. */
function fieldExtensions(fields: readonly Field[], order: PropertyOrder): string {
  let out = '';
  for (const [name, childOrder] of order) {
    if (!childOrder || childOrder.length === 0) continue;
    for (const field of fields.filter((f) => f.name === name)) {
      const inner = fieldExtensions(field.children, childOrder);
      if (inner) out += (name === 'sensorElementList' ? '' : name) + inner;
    }
  }
  const direct = fields.filter(isExtension);
  return direct.length > 0 ? out + generic(direct) : out;
}

/** Groups list members the way the EPCIS XML binding names them (`epcList` → `epc` elements, …). */
function standardFields(event: JsonObject, ns: Namespaces): Field[] {
  const fields: Field[] = [];
  for (const [key, value] of Object.entries(event)) {
    if (key.startsWith('@xmlns') || key === '#text' || key === 'rdfs:comment' || key === 'comment') continue;
    const name = expandKey(key, ns);
    const order = PROPERTY_ORDER.find(([n]) => n === name)?.[1];
    if (Array.isArray(value) && order?.length === 1) {
      // epcList → epc…, quantityList → quantityElement…, sensorElementList → sensorElement…
      const [itemName] = order[0]!;
      fields.push({
        name,
        value: '',
        children: value.flatMap((v) => fieldsOf(itemName, v, ns)).sort(compareFields),
      });
    } else if (Array.isArray(value) && name in TYPED_LISTS) {
      fields.push({ name, value: '', children: value.flatMap((v) => fieldsOf(TYPED_LISTS[name]!, v, ns)) });
    } else {
      fields.push(...fieldsOf(name, value, ns));
    }
  }
  return fields.sort(compareFields);
}

// Bare JSON-LD terms of the EPCIS context, expanded per field (rule 16).
function expandBareValues(event: JsonObject): JsonObject {
  const bare = (value: Json | undefined, prefix: string): Json | undefined =>
    typeof value === 'string' && /^[A-Za-z][A-Za-z0-9_]*$/.test(value) ? prefix + value : value;
  const copy = structuredClone(event);
  const set = (o: JsonObject, key: string, prefix: string) => {
    if (key in o) o[key] = bare(o[key], prefix) as Json;
  };
  set(copy, 'bizStep', BARE_VALUE_PREFIX.bizStep);
  set(copy, 'disposition', BARE_VALUE_PREFIX.disposition);
  const persistent = copy.persistentDisposition;
  if (persistent && typeof persistent === 'object' && !Array.isArray(persistent)) {
    for (const key of ['set', 'unset']) {
      const list = persistent[key];
      if (Array.isArray(list))
        persistent[key] = list.map((v) => bare(v, BARE_VALUE_PREFIX.disposition) as Json);
    }
  }
  const eachObject = (list: Json | undefined, visit: (o: JsonObject) => void) => {
    if (Array.isArray(list))
      for (const o of list) if (o && typeof o === 'object' && !Array.isArray(o)) visit(o);
  };
  eachObject(copy.bizTransactionList, (o) => set(o, 'type', BARE_VALUE_PREFIX.bizTransactionType));
  eachObject(copy.sourceList, (o) => set(o, 'type', BARE_VALUE_PREFIX.sourceDestType));
  eachObject(copy.destinationList, (o) => set(o, 'type', BARE_VALUE_PREFIX.sourceDestType));
  eachObject(copy.sensorElementList, (element) =>
    eachObject(element.sensorReport, (report) => {
      set(report, 'type', BARE_VALUE_PREFIX.measurementType);
      set(report, 'exception', BARE_VALUE_PREFIX.sensorAlert);
      set(report, 'component', BARE_VALUE_PREFIX.component);
    }),
  );
  return copy;
}

/**
 * The pre-hash string of one event (JSON-LD, as in an EPCIS document's eventList). `documentContext` is
 * the enclosing document's `@context`, which declares the namespaces of extension fields.
 */
export function eventPreHash(event: Readonly<Record<string, unknown>>, documentContext?: unknown): string {
  const source = expandBareValues(event as JsonObject);
  const ns = namespacesOf([documentContext as Json, source['@context'] ?? null]);
  const fields = standardFields(source, ns);
  const eventType = typeof source.type === 'string' ? source.type : '';

  let standard = '';
  for (const entry of PROPERTY_ORDER) {
    standard += entry[0] in TYPED_LISTS ? typedList(fields, entry[0]) : ordered(fields, [entry]);
  }

  const ilmd = fields.filter((f) => f.name === 'ilmd');
  for (const f of ilmd) fields.splice(fields.indexOf(f), 1);
  let fieldExt = '';
  for (const [name, order] of PROPERTY_ORDER) {
    if (!order || order.length === 0) continue;
    for (const field of fields.filter((f) => f.name === name)) {
      const inner = fieldExtensions(field.children, order);
      if (inner) {
        fieldExt += (name === 'sensorElementList' ? '' : name) + inner;
        fields.splice(fields.indexOf(field), 1);
      }
    }
  }
  const eventExt = generic(fields.filter((f) => !IGNORED.has(f.name)));
  return `eventType=${eventType}${standard}${ilmd.length > 0 ? generic(ilmd) : ''}${fieldExt}${eventExt}`;
}

export const HASH_ID_VERSION = 'CBV2.0';

export interface EventHashId {
  /** `ni:///sha-256;<hex>?ver=CBV2.0` */
  id: string;
  /** Lowercase hex of the SHA-256 digest: what the food contract anchors. */
  digest: string;
  preHash: string;
}

export function eventHashId(
  event: Readonly<Record<string, unknown>>,
  documentContext?: unknown,
): EventHashId {
  const preHash = eventPreHash(event, documentContext);
  const digest = bytesToHex(sha256(utf8ToBytes(preHash)));
  return { id: `ni:///sha-256;${digest}?ver=${HASH_ID_VERSION}`, digest, preHash };
}

/** The digest of an `ni:///sha-256;…` hash id, or undefined when it is not one. */
export function digestOfHashId(id: string): string | undefined {
  return /^ni:\/\/\/sha-256;([0-9a-f]{64})\?ver=CBV\d+\.\d+(\.\d+)?$/.exec(id)?.[1];
}
