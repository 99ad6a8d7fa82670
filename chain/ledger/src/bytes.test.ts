import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex, toHexPortable } from './bytes';

describe('toHex', () => {
  it('gives the same lowercase hex as @noble/hashes, on Node and on the path browsers take', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(20), (bytes, cut) => {
        const view = bytes.subarray(Math.min(cut, bytes.length));
        expect(toHex(view)).toBe(bytesToHex(view));
        expect(toHexPortable(view)).toBe(bytesToHex(view));
      }),
    );
    const long = new Uint8Array(70_000).map((_, i) => (i * 131) & 0xff);
    expect(toHexPortable(long)).toBe(bytesToHex(long));
    expect(toHex(new Uint8Array(0))).toBe('');
  });

  it('refuses what is not bytes', () => {
    expect(() => toHex('00' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
