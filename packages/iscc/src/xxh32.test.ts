// The plain-JavaScript xxh32 (used where a page's CSP forbids compiling WebAssembly) against xxhash-wasm.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import xxhash from 'xxhash-wasm';
import { xxh32Js } from './_xxh32';

describe('xxh32 in plain JavaScript', () => {
  it('gives the reference values', () => {
    expect(xxh32Js(new Uint8Array(0))).toBe(0x02cc5d05);
    expect(xxh32Js(new TextEncoder().encode('a'))).toBe(0x550d7456);
    expect(xxh32Js(new TextEncoder().encode('abc'))).toBe(0x32d153ff);
  });

  it('equals xxhash-wasm for any bytes, at every length around the 4- and 16-byte boundaries', async () => {
    const api = await xxhash();
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      expect(xxh32Js(bytes)).toBe(api.h32Raw(bytes, 0) >>> 0);
    }
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 4096 }),
        (bytes) => xxh32Js(bytes) === api.h32Raw(bytes, 0) >>> 0,
      ),
      { numRuns: 500 },
    );
  });
});
