import { encode, rfc8949EncodeOptions } from 'cborg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vectors from '../test-vectors/encoding.json' with { type: 'json' };
import { fromHex, toHex } from './bytes';
import { decodeCanonical, EncodingError, encodeCanonical, type Value } from './encoding';

// Vectors carry values in a JSON form: {"$int": "…"} for integers of any size, {"$bytes": "hex"}.
function fromJson(j: unknown): Value {
  if (j === null || typeof j === 'boolean' || typeof j === 'string') return j;
  if (typeof j === 'number') return j;
  if (Array.isArray(j)) return j.map(fromJson);
  const o = j as Record<string, unknown>;
  if (typeof o.$int === 'string') {
    const n = BigInt(o.$int);
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  if (typeof o.$bytes === 'string') return fromHex(o.$bytes);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fromJson(v)]));
}

const valueArb: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }),
    fc.string({ unit: 'grapheme' }),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc
      .dictionary(
        fc.string({ unit: 'grapheme', maxLength: 8 }).filter((k) => k !== '__proto__'),
        tie('value'),
        {
          maxKeys: 5,
          noNullPrototype: true,
        },
      )
      .map((d) => ({ ...d })),
  ),
})).value;

function cborgCanonical(value: Value): Uint8Array {
  return encode(value, rfc8949EncodeOptions);
}

describe('canonical encoding', () => {
  it.each(vectors.valid)('vector $name encodes to the published bytes and back', ({ value, hex }) => {
    const v = fromJson(value);
    expect(toHex(encodeCanonical(v))).toBe(hex);
    expect(encodeCanonical(decodeCanonical(fromHex(hex)))).toEqual(fromHex(hex));
  });

  it.each(vectors.invalid)('vector $name is refused: $why', ({ hex }) => {
    expect(() => decodeCanonical(fromHex(hex))).toThrow(EncodingError);
  });

  it('agrees byte for byte with cborg’s RFC 8949 deterministic encoder on random values', () => {
    fc.assert(
      fc.property(valueArb, (v) => {
        expect(toHex(encodeCanonical(v))).toBe(toHex(cborgCanonical(v)));
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips random values exactly', () => {
    fc.assert(
      fc.property(valueArb, (v) => {
        const bytes = encodeCanonical(v);
        expect(encodeCanonical(decodeCanonical(bytes))).toEqual(bytes);
      }),
      { numRuns: 3000 },
    );
  });

  it('never accepts a byte string that is not the canonical encoding of what it decodes to', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (bytes) => {
        let decoded: Value;
        try {
          decoded = decodeCanonical(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(EncodingError);
          return;
        }
        expect(toHex(encodeCanonical(decoded))).toBe(toHex(bytes));
      }),
      { numRuns: 20000 },
    );
  });

  it('refuses values outside the model with a reason', () => {
    expect(() => encodeCanonical(1.5)).toThrow(/only integers/);
    expect(() => encodeCanonical(Number.NaN)).toThrow(/only integers/);
    expect(() => encodeCanonical(2n ** 64n)).toThrow(/64-bit/);
    expect(() => encodeCanonical([undefined as unknown as Value])).toThrow(/undefined/);
    expect(() => encodeCanonical(new Map() as unknown as Value)).toThrow(/plain object/);
    expect(() => encodeCanonical(new Date() as unknown as Value)).toThrow(/plain object/);
    expect(() => encodeCanonical('\ud800')).toThrow(/surrogate/);
  });

  it('drops absent optional fields as JSON does', () => {
    expect(encodeCanonical({ a: 1, b: undefined } as unknown as Value)).toEqual(encodeCanonical({ a: 1 }));
  });

  it('refuses a claimed length larger than the input before allocating', () => {
    expect(() => decodeCanonical(fromHex('9a7fffffff'))).toThrow(/length larger than the input/);
    expect(() => decodeCanonical(fromHex('5a7fffffff00'))).toThrow(/length larger than the input/);
  });

  it('takes map keys only in canonical order (bytewise on their encoding, so shorter first), once each', () => {
    // {"b": 1, "aa": 2}: "b" encodes as 61 62, "aa" as 62 61 61, so "b" comes first.
    expect(decodeCanonical(fromHex('a261620162616102'))).toEqual({ b: 1, aa: 2 });
    expect(() => decodeCanonical(fromHex('a262616102616201'))).toThrow(/canonical order/);
    expect(() => decodeCanonical(fromHex('a2616101616102'))).toThrow(/out of canonical order or duplicated/);
    expect(() => decodeCanonical(fromHex('a2616201616101'))).toThrow(/canonical order/);
  });

  it('refuses nesting beyond the limit', () => {
    const deep = new Uint8Array(100).fill(0x81);
    expect(() => decodeCanonical(new Uint8Array([...deep, 0x00]))).toThrow(/nesting deeper/);
  });
});
