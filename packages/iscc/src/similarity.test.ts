import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Code64, code64, HammingIndex, hammingDistance64, popcount32 } from './similarity';

const arbCode = fc.record({ hi: fc.nat({ max: 0xffffffff }), lo: fc.nat({ max: 0xffffffff }) });

/** Flips `bits` distinct random bit positions. */
function flip(code: Code64, positions: number[]): Code64 {
  let { hi, lo } = code;
  for (const p of positions) {
    if (p < 32) hi = (hi ^ (1 << p)) >>> 0;
    else lo = (lo ^ (1 << (p - 32))) >>> 0;
  }
  return { hi, lo };
}

describe('Hamming index', () => {
  it('popcount and distance agree with counting bits one by one', () => {
    fc.assert(
      fc.property(arbCode, arbCode, (a, b) => {
        let slow = 0;
        for (let bit = 0; bit < 32; bit++) slow += ((a.hi >>> bit) & 1) ^ ((b.hi >>> bit) & 1);
        for (let bit = 0; bit < 32; bit++) slow += ((a.lo >>> bit) & 1) ^ ((b.lo >>> bit) & 1);
        expect(hammingDistance64(a, b)).toBe(slow);
      }),
    );
    expect(popcount32(0xffffffff)).toBe(32);
  });

  it('finds exactly what a full scan finds, at every radius', () => {
    fc.assert(
      fc.property(
        fc.array(arbCode, { minLength: 1, maxLength: 300 }),
        fc.array(fc.array(fc.nat({ max: 63 }), { maxLength: 12 }), { minLength: 1, maxLength: 10 }),
        fc.nat({ max: 24 }),
        (codes, flips, radius) => {
          const index = new HammingIndex(16);
          for (const c of codes) index.add(c);
          for (const [i, positions] of flips.entries()) {
            const query = flip(codes[i % codes.length]!, positions);
            expect(index.within(query, radius)).toEqual(index.scan(query, radius));
            const k = 1 + (i % 5);
            const nearest = index.nearest(query, k, radius);
            expect(nearest).toEqual(index.scan(query, radius).slice(0, k));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('takes codes from ISCC units and refuses what is not 64 bits', () => {
    // EAASKDNZNYGUUF5A is header 0x20 0x01 then the digest 0x250db96e0d4a17a0 (base32 of the ten bytes).
    expect(code64('ISCC:EAASKDNZNYGUUF5A')).toEqual({ hi: 0x250db96e, lo: 0x0d4a17a0 });
    expect(code64(0x0123456789abcdefn)).toEqual({ hi: 0x01234567, lo: 0x89abcdef });
    expect(() => code64(new Uint8Array(4))).toThrow(/8 bytes/);
    expect(() => code64(-1n)).toThrow();
    expect(() => new HammingIndex().within({ hi: 0, lo: 0 }, 65)).toThrow(/0\.\.64/);
  });
});
