// Event catalogs: each contract declares the events it emits, one schema per event, and both sides of an
// event are derived from that one declaration. The contract emits the ledger's values (bigint, bytes,
// numbers, text, lists, maps) and its tests check every emitted event against the schema; readers
// (indexers, the explorer, sign dialogs) receive the node API's JSON form of the same values (bigints as
// decimal strings, bytes as 0x-hex: chain/ledger/src/json.ts) and parse it back into the typed values.
//
// Readers check types, the emitting side checks types and forms (an address is a gx1… address, a hash 64
// lowercase hex digits): a reader must never be stricter than the chain it reads. Extra attributes are
// ignored when reading (a newer contract version may add some) and refused when emitting (the catalog
// lists everything a contract emits).
//
// This module imports nothing at run time: browser bundles (decoder packs served on their own) take it
// with the catalogs and nothing else.
import type { JsonValue, Value, ValueMap } from '@gongxin/ledger';

/** Why one attribute did not fit; `path` names nested places (`validators[2].power`). */
class AttrError extends Error {
  constructor(
    message: string,
    readonly path: string = '',
  ) {
    super(message);
  }
}

/** An event whose attributes do not match its contract's catalog (or that the catalog does not know). */
export class EventMismatchError extends Error {
  override readonly name = 'EventMismatchError';
  constructor(
    readonly contract: string,
    readonly event: string,
    /** The attribute at fault, with its nested path; null when the event as a whole does not fit. */
    readonly field: string | null,
    readonly reason: string,
  ) {
    super(
      `${contract}.${event}: ${
        field === null ? reason : `attribute ${field}${reason.startsWith('is ') ? ' ' : ': '}${reason}`
      }`,
    );
  }
}

/** One attribute: what it holds, how it reads from JSON, and how an emitted value is checked. */
export interface Attr<R, E = R, O extends boolean = false> {
  /** What the attribute holds, in words (`amount`, `list of text`…), for messages and documentation. */
  readonly type: string;
  readonly isOptional: O;
  /** The typed value from the node API's JSON form; throws when the value does not fit. */
  read(json: unknown): R;
  /** Why an emitted (ledger) value does not fit, or null when it does. */
  check(value: unknown): string | null;
  /** A value of this attribute in the JSON form, for examples and tests of readers and decoders. */
  readonly example: JsonValue;
  /** The same attribute, absent from some events. */
  optional(): Attr<R, E, true>;
  /** A list's item, so readers can walk a catalog's kinds (which attributes name accounts, say). */
  readonly item?: AnyAttr;
  /** A record's own attributes, likewise. */
  readonly fields?: EventSchema;
}

// biome-ignore lint/suspicious/noExplicitAny: the variance of attributes of any type
type AnyAttr = Attr<any, any, boolean>;
export type EventSchema = { readonly [attribute: string]: AnyAttr };

type ReadOf<A> = A extends Attr<infer R, infer _E, infer _O> ? R : never;
type EmitOf<A> = A extends Attr<infer _R, infer E, infer _O> ? E : never;
type OptionalKeys<S> = { [K in keyof S]: S[K] extends Attr<unknown, unknown, true> ? K : never }[keyof S];
type RequiredKeys<S> = Exclude<keyof S, OptionalKeys<S>>;
type Flat<T> = { [K in keyof T]: T[K] } & {};

/** The typed attributes a reader gets for a schema. */
export type ReadAttrs<S extends EventSchema> = Flat<
  { readonly [K in RequiredKeys<S>]: ReadOf<S[K]> } & { readonly [K in OptionalKeys<S>]?: ReadOf<S[K]> }
>;
/** The attributes a contract emits for a schema. */
export type EmitAttrs<S extends EventSchema> = Flat<
  { readonly [K in RequiredKeys<S>]: EmitOf<S[K]> } & { readonly [K in OptionalKeys<S>]?: EmitOf<S[K]> }
>;

const describe = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a map';
  return String(value);
};

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

function attr<R, E = R>(
  type: string,
  example: JsonValue,
  read: (json: unknown) => R,
  check: (value: unknown) => string | null,
  inner: { readonly item?: AnyAttr; readonly fields?: EventSchema } = {},
): Attr<R, E, false> {
  const make = <O extends boolean>(isOptional: O): Attr<R, E, O> => ({
    type,
    isOptional,
    read,
    check,
    example,
    optional: () => make(true),
    ...inner,
  });
  return make(false);
}

const expected = (what: string, value: unknown) => `expected ${what}, got ${describe(value)}`;

function readAs<R>(what: string, test: (json: unknown) => boolean, convert: (json: never) => R) {
  return (json: unknown): R => {
    if (!test(json)) throw new AttrError(expected(what, json));
    return convert(json as never);
  };
}

const MAX_AMOUNT = 2n ** 63n - 1n;
// At most 19 digits (2^63 − 1 has 19): BigInt is never asked to parse an absurdly long string.
const decimal = /^(0|[1-9][0-9]{0,18})$/;
const hexBytes = /^0x(?:[0-9a-f]{2})*$/i;
const hash64 = /^[0-9a-f]{64}$/;
// Form of a gx1… address without its checksum: enough to catch a DID, an upper-case or a truncated address.
const addressForm = /^gx1[02-9ac-hj-np-z]{38}$/;

function bytesFromHex(hex: string): Uint8Array {
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

const text = () =>
  attr<string>(
    'text',
    'text',
    readAs(
      'text',
      (j) => typeof j === 'string',
      (j: string) => j,
    ),
    (v) => (typeof v === 'string' ? null : expected('text', v)),
  );

/** Text of a given form when emitted; readers take any text. */
const formedText = (type: string, form: RegExp, example: string) =>
  attr<string>(
    type,
    example,
    readAs(
      'text',
      (j) => typeof j === 'string',
      (j: string) => j,
    ),
    (v) => (typeof v === 'string' && form.test(v) ? null : expected(type, v)),
  );

/**
 * The attribute kinds a catalog is written in. `amount` is a bigint in the smallest unit (0..2^63−1):
 * emitted as bigint, read from a decimal string or, when small, a JSON number. `int` is a safe integer
 * the contract emits as a number (heights, counts, times, decimals, coordinates).
 */
export const attrs = {
  text,
  /** A canonical `gx1…` address. */
  address: () => formedText('address', addressForm, `gx1${'q'.repeat(38)}`),
  /** A 32-byte hash as 64 lowercase hex digits (how the contracts store hashes given as bytes or hex). */
  hash: () => formedText('hash', hash64, 'ab'.repeat(32)),
  /** A signed integer as decimal text (`-1250`): an amount that can go either way, in the smallest unit. */
  signedDecimal: () => formedText('signed integer (decimal text)', /^-?(0|[1-9][0-9]*)$/, '-1250'),
  /** A day of a year as MM-DD (`10-01`): the working-day calendar's days. */
  monthDay: () => formedText('day (MM-DD)', /^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, '10-01'),
  int: () =>
    attr<number>(
      'integer',
      1,
      readAs(
        'an integer',
        (j) => Number.isSafeInteger(j),
        (j: number) => j,
      ),
      (v) => (Number.isSafeInteger(v) ? null : expected('an integer (number)', v)),
    ),
  amount: () =>
    attr<bigint>(
      'amount',
      '100',
      readAs(
        'an amount (decimal digits or an integer)',
        (j) =>
          (typeof j === 'string' && decimal.test(j) && BigInt(j) <= MAX_AMOUNT) ||
          (Number.isSafeInteger(j) && (j as number) >= 0),
        (j: string | number) => BigInt(j),
      ),
      (v) =>
        typeof v === 'bigint' && v >= 0n && v <= MAX_AMOUNT ? null : expected('an amount (bigint ≥ 0)', v),
    ),
  bool: () =>
    attr<boolean>(
      'boolean',
      true,
      readAs(
        'true or false',
        (j) => typeof j === 'boolean',
        (j: boolean) => j,
      ),
      (v) => (typeof v === 'boolean' ? null : expected('true or false', v)),
    ),
  /** Bytes: a Uint8Array on chain, `0x…` hex in JSON. */
  bytes: () =>
    attr<Uint8Array>(
      'bytes',
      '0x0102',
      readAs('0x-hex bytes', (j) => typeof j === 'string' && hexBytes.test(j), bytesFromHex),
      (v) => (v instanceof Uint8Array ? null : expected('bytes', v)),
    ),
  /** One of a closed set of words. */
  oneOf: <const T extends string>(values: readonly T[]) =>
    attr<T>(
      `one of ${values.join(', ')}`,
      values[0] ?? '',
      readAs(
        `one of ${values.join(', ')}`,
        (j) => typeof j === 'string' && (values as readonly string[]).includes(j),
        (j: T) => j,
      ),
      (v) =>
        typeof v === 'string' && (values as readonly string[]).includes(v)
          ? null
          : expected(`one of ${values.join(', ')}`, v),
    ),
  list: <R, E>(item: Attr<R, E, false>) =>
    attr<readonly R[], readonly E[]>(
      `list of ${item.type}`,
      [item.example],
      (json) => {
        if (!Array.isArray(json)) throw new AttrError(expected(`a list of ${item.type}`, json));
        return json.map((x, i) => within(`[${i}]`, () => item.read(x)));
      },
      (value) => {
        if (!Array.isArray(value)) return expected(`a list of ${item.type}`, value);
        for (const [i, x] of value.entries()) {
          const problem = item.check(x);
          if (problem) return `[${i}] ${problem}`;
        }
        return null;
      },
      { item },
    ),
  /** A map with fixed attributes of its own (a validator record). */
  struct: <S extends EventSchema>(schema: S) =>
    attr<ReadAttrs<S>, EmitAttrs<S>>(
      'record',
      exampleOf(schema),
      (json) => readSchema(schema, json),
      (value) => {
        const problems = checkSchema(schema, value);
        return problems.length === 0 ? null : problems.join('; ');
      },
      { fields: schema },
    ),
  /** Any chain value, read as the API gives it (a governance parameter's value). */
  value: () =>
    attr<JsonValue, Value>(
      'any value',
      1,
      (json) => json as JsonValue,
      (v) => (v === undefined ? expected('a value', v) : null),
    ),
};

/** Example attributes of a schema in the JSON form, optional ones included. */
function exampleOf(schema: EventSchema): { [key: string]: JsonValue } {
  return Object.fromEntries(Object.entries(schema).map(([key, field]) => [key, field.example]));
}

function within<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof AttrError) {
      const sep = error.path === '' || error.path.startsWith('[') ? '' : '.';
      throw new AttrError(error.message, `${path}${sep}${error.path}`);
    }
    throw error;
  }
}

function readSchema<S extends EventSchema>(schema: S, json: unknown): ReadAttrs<S> {
  if (!isMap(json)) throw new AttrError(expected('a map of attributes', json));
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema)) {
    const value = json[key];
    if (value === undefined) {
      if (field.isOptional) continue;
      throw new AttrError('is missing', key);
    }
    out[key] = within(key, () => field.read(value));
  }
  return out as ReadAttrs<S>;
}

function checkSchema(schema: EventSchema, value: unknown): string[] {
  if (!isMap(value)) return [expected('a map of attributes', value)];
  const problems: string[] = [];
  for (const [key, field] of Object.entries(schema)) {
    if (!Object.hasOwn(value, key)) {
      if (!field.isOptional) problems.push(`${key} is missing`);
      continue;
    }
    const problem = field.check(value[key]);
    if (problem) problems.push(`${key}: ${problem}`);
  }
  for (const key of Object.keys(value))
    if (!Object.hasOwn(schema, key)) problems.push(`${key} is not in the catalog`);
  return problems;
}

/** An event in the node API's shape (only what parsing needs). */
export interface EventLike {
  readonly contract: string;
  readonly name: string;
  readonly attrs: unknown;
}

export type EventSchemas = { readonly [event: string]: EventSchema };

/** A parsed event of a catalog: `name` tells which, `attrs` are typed for it. */
export type CatalogEvent<C extends string, D extends EventSchemas, N extends keyof D = keyof D> = {
  [K in N & string]: { readonly contract: C; readonly name: K; readonly attrs: ReadAttrs<D[K]> };
}[N & string];

/** A parsed event without its contract: what a function of one catalog's events takes. */
export type NamedEvent<D extends EventSchemas, N extends keyof D = keyof D> = {
  [K in N & string]: { readonly name: K; readonly attrs: ReadAttrs<D[K]> };
}[N & string];

/** The parsed events of a catalog (`EventOf<typeof assetsEvents>`), or of one event of it. */
export type EventOf<K, N extends string = string> =
  K extends EventCatalog<infer C, infer D> ? CatalogEvent<C, D, Extract<keyof D, N>> : never;

/** The typed attributes of one event of a catalog (`AttrsOf<typeof assetsEvents, 'transferred'>`). */
export type AttrsOf<K, N extends string> =
  K extends EventCatalog<string, infer D> ? (N extends keyof D ? ReadAttrs<D[N]> : never) : never;

/** Something that emits events: a contract's ContractContext. */
export interface Emitter {
  emit(name: string, attrs: ValueMap): void;
}

export interface EventCatalog<C extends string, D extends EventSchemas> {
  readonly contract: C;
  readonly schemas: D;
  readonly names: readonly (keyof D & string)[];
  /** Whether the catalog declares an event of this name. */
  has(name: string): name is keyof D & string;
  /** Whether a raw event is this contract's (and, given a name, that event): no attribute is checked. */
  is<N extends keyof D & string>(
    event: EventLike,
    name?: N,
  ): event is EventLike & { readonly contract: C; readonly name: N };
  /** Parses an event of this contract; throws EventMismatchError naming contract, event and attribute. */
  parse(event: EventLike): CatalogEvent<C, D>;
  /** Parses an event that must be `name`. */
  parse<N extends keyof D & string>(event: EventLike, name: N): ReadAttrs<D[N]>;
  /** Parses the attributes of `name` on their own (what decoders receive). */
  attrs<N extends keyof D & string>(name: N, attrs: unknown): ReadAttrs<D[N]>;
  /** Emits `name` with attributes the compiler checks against the schema. */
  emit<N extends keyof D & string>(ctx: Emitter, name: N, attrs: EmitAttrs<D[N]>): void;
  /** Attributes of `name` in the JSON form (every optional one included): what tests of readers feed in. */
  example(name: keyof D & string): { [attribute: string]: JsonValue };
  /** What is wrong with an emitted event's attributes (empty when it matches). */
  check(name: string, attrs: unknown): string[];
  /**
   * Handlers of typed attributes as handlers of raw events, keyed `<contract>.<event>` as indexers key
   * them: `{ transferred: (a, event, ctx) => … }` → `{ 'assets.transferred': (event, ctx) => … }`.
   */
  handlers<E extends EventLike, X extends unknown[], R>(
    fns: {
      [N in keyof D & string]?: (attrs: ReadAttrs<D[N]>, event: E, ...rest: X) => R;
    },
  ): Record<string, (event: E, ...rest: X) => R>;
  /**
   * Functions of typed attributes as functions of the API's JSON attributes, keyed `<contract>.<event>`
   * as decoder registries key them: `{ transferred: (a, t, ctx) => … }`.
   */
  decoders<X extends unknown[], R>(
    fns: {
      [N in keyof D & string]?: (attrs: ReadAttrs<D[N]>, ...rest: X) => R;
    },
  ): Record<string, (attrs: unknown, ...rest: X) => R>;
}

/**
 * Declares a contract's event catalog:
 *
 * ```ts
 * export const notaryEvents = defineEvents('notary', {
 *   anchored: { hash: attrs.hash(), type: attrs.text(), by: attrs.address() },
 * });
 * ```
 */
export function defineEvents<const C extends string, const D extends EventSchemas>(
  contract: C,
  schemas: D,
): EventCatalog<C, D> {
  type Name = keyof D & string;
  const names = Object.keys(schemas) as Name[];
  const has = (name: string): name is Name => Object.hasOwn(schemas, name);
  const attrsOf = <N extends Name>(name: N, json: unknown): ReadAttrs<D[N]> => {
    if (!has(name)) throw new EventMismatchError(contract, name, null, 'is not in the catalog');
    try {
      return readSchema(schemas[name] as D[N], json);
    } catch (error) {
      if (!(error instanceof AttrError)) throw error;
      throw new EventMismatchError(contract, name, error.path || null, error.message);
    }
  };
  const requireOwn = (event: EventLike) => {
    if (event.contract !== contract)
      throw new EventMismatchError(event.contract, event.name, null, `is not an event of ${contract}`);
  };
  function parse(event: EventLike): CatalogEvent<C, D>;
  function parse<N extends Name>(event: EventLike, name: N): ReadAttrs<D[N]>;
  function parse(event: EventLike, name?: Name) {
    requireOwn(event);
    if (name !== undefined) {
      if (event.name !== name)
        throw new EventMismatchError(contract, event.name, null, `is not ${contract}.${name}`);
      return attrsOf(name, event.attrs);
    }
    return { contract, name: event.name, attrs: attrsOf(event.name as Name, event.attrs) };
  }
  return {
    contract,
    schemas,
    names,
    has,
    is: <N extends Name>(event: EventLike, name?: N): event is EventLike & { contract: C; name: N } =>
      event.contract === contract && (name === undefined ? has(event.name) : event.name === name),
    parse,
    attrs: attrsOf,
    emit: (ctx, name, attributes) => ctx.emit(name, attributes as unknown as ValueMap),
    example: (name) => exampleOf(schemas[name] as EventSchema),
    check: (name, attributes) =>
      has(name) ? checkSchema(schemas[name] as EventSchema, attributes) : ['the event is not in the catalog'],
    handlers: (fns) => {
      const out: Record<string, (event: EventLike, ...rest: never[]) => unknown> = {};
      for (const [name, fn] of Object.entries(fns)) {
        if (!fn) continue;
        out[`${contract}.${name}`] = (event, ...rest) =>
          (fn as (...args: unknown[]) => unknown)(parse(event, name as Name), event, ...rest);
      }
      return out as never;
    },
    decoders: (fns) => {
      const out: Record<string, (json: unknown, ...rest: never[]) => unknown> = {};
      for (const [name, fn] of Object.entries(fns)) {
        if (!fn) continue;
        out[`${contract}.${name}`] = (json, ...rest) =>
          (fn as (...args: unknown[]) => unknown)(attrsOf(name as Name, json), ...rest);
      }
      return out as never;
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: catalogs of any contract
export type AnyEventCatalog = EventCatalog<string, any>;

/**
 * Checks emitted events (the ledger's ChainEvent: contract, name, attrs as values) against the catalogs:
 * one line per mismatch, naming the event's position. Events of contracts without a catalog are skipped.
 */
export function checkEmitted(
  events: readonly { readonly contract: string; readonly name: string; readonly attrs: unknown }[],
  catalogs: readonly AnyEventCatalog[],
): string[] {
  const byContract = new Map(catalogs.map((c) => [c.contract, c]));
  const problems: string[] = [];
  for (const [i, event] of events.entries()) {
    const catalog = byContract.get(event.contract);
    if (!catalog) continue;
    for (const problem of catalog.check(event.name, event.attrs))
      problems.push(`event ${i} ${event.contract}.${event.name}: ${problem}`);
  }
  return problems;
}
