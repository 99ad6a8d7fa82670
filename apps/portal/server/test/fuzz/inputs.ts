// Seeded hostile input: the same seed gives the same requests, so a failure found once can be replayed.
// Malformed, oversized, deeply nested, wrong-typed and NUL/unicode-laden values.

/** mulberry32: small, fast, good enough to pick test cases. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;

export const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

/** Field names the suite's inputs use, so generated objects reach past the first zod check. */
const FIELDS = [
  'id',
  'q',
  'epc',
  'lot',
  'address',
  'height',
  'hash',
  'limit',
  'cursor',
  'from',
  'to',
  'name',
  'text',
  'contract',
  'event',
  'key',
  'uid',
  'did',
  'org',
  'gtin',
  'amount',
  'amountFen',
  'page',
  'kind',
  'status',
  'tx',
  'token',
  'code',
  'state',
  'redirect_uri',
  'client_id',
];

const STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  'x\ud800y',
  '\udfff',
  '😀👨‍👩‍👧',
  '共信 食品 护照',
  '\u202egnp.exe',
  'e\u0301\u0301\u0301',
  "' OR 1=1 --",
  '"; drop table x; --',
  '../../../../etc/passwd',
  '%00',
  '%ZZ',
  '<script>alert(1)</script>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: template injection is the payload.
  '${7*7}{{7*7}}',
  'gx1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq',
  'urn:epc:id:sgtin:0614141.107346.2017',
  '0x',
  'ff'.repeat(40),
  '99999999999999999999999999',
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '__proto__',
  'constructor',
  '\t\r\n',
  '\\',
];

const NUMBERS = [0, -1, 1, 2 ** 31, 2 ** 53 + 1, -(2 ** 53), 1e308, 0.5, -0.0001];

export function hostileString(rand: Rand): string {
  const r = rand();
  if (r < 0.05) return 'A'.repeat(10_000 + Math.floor(rand() * 60_000));
  if (r < 0.1) return String.fromCharCode(...Array.from({ length: 64 }, () => Math.floor(rand() * 0xffff)));
  return pick(rand, STRINGS);
}

function nested(depth: number, leaf: unknown, asObject: boolean): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asObject ? { a: value } : [value];
  return value;
}

/** Any JSON value, hostile more often than not. */
export function hostileValue(rand: Rand, depth = 0): unknown {
  const r = rand();
  if (r < 0.3) return hostileString(rand);
  if (r < 0.4) return pick(rand, NUMBERS);
  if (r < 0.45) return pick(rand, [null, true, false]);
  if (r < 0.5) return nested(50 + Math.floor(rand() * 500), 'deep', rand() < 0.5);
  if (r < 0.55) return Array.from({ length: 2000 + Math.floor(rand() * 5000) }, (_, i) => i);
  if (depth > 2) return hostileString(rand);
  if (r < 0.75) return hostileObject(rand, depth + 1);
  return Array.from({ length: Math.floor(rand() * 4) }, () => hostileValue(rand, depth + 1));
}

/** An object with the suite's field names holding hostile or wrong-typed values. */
export function hostileObject(rand: Rand, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) out[pick(rand, FIELDS)] = hostileValue(rand, depth + 1);
  if (rand() < 0.05) out[hostileString(rand)] = 1;
  return out;
}

/** A tRPC `input`: usually an object, sometimes the wrong type altogether. */
export function hostileInput(rand: Rand): unknown {
  return rand() < 0.7 ? hostileObject(rand) : hostileValue(rand);
}

/** A raw request body: usually JSON, sometimes broken JSON or not JSON at all. */
export function hostileBody(rand: Rand): { body: string; type: string } {
  const r = rand();
  if (r < 0.1) return { body: '{"a": [1, 2', type: 'application/json' };
  if (r < 0.15) return { body: '\u0000\u0001\u0002', type: 'application/json' };
  if (r < 0.2) return { body: 'x'.repeat(2 * 1024 * 1024), type: 'application/json' };
  if (r < 0.25) return { body: 'a=1&b=%00&c=%ZZ', type: 'application/x-www-form-urlencoded' };
  if (r < 0.3) return { body: 'not json at all', type: 'text/plain' };
  if (r < 0.35) return { body: '<?xml version="1.0"?><a>&x;</a>', type: 'application/xml' };
  return { body: JSON.stringify(hostileInput(rand)), type: 'application/json' };
}

/** A value for a path parameter, percent-encoded as a client would send it. */
export function hostileSegment(rand: Rand): string {
  const r = rand();
  if (r < 0.1) return '%00';
  if (r < 0.15) return '%ED%A0%80';
  if (r < 0.2) return '%ZZ';
  if (r < 0.25) return '..%2F..%2F';
  const s = hostileString(rand);
  try {
    return encodeURIComponent(s.length > 2000 ? s.slice(0, 2000) : s) || 'x';
  } catch {
    return '%ED%A0%80'; // a lone surrogate has no UTF-8 form: send the bytes a broken client would
  }
}

/** A query string of hostile parameters. */
export function hostileQuery(rand: Rand): string {
  const parts: string[] = [];
  const n = Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) {
    const key = rand() < 0.1 ? hostileSegment(rand) : pick(rand, FIELDS);
    const r = rand();
    parts.push(r < 0.1 ? `${key}=1&${key}=2` : `${key}=${hostileSegment(rand)}`);
    if (r > 0.95) parts.push(`${key}[a][b]=1`);
  }
  return parts.join('&');
}
