import { describe, expect, it } from 'vitest';
import * as browser from './browser';
import * as node from './node';
import { SHA256_VECTORS, SM3_VECTORS } from './published-vectors';

describe.each([browser, node])('hashes on the $implementation path', (path) => {
  it.each(SM3_VECTORS)('SM3 (GB/T 32905-2016 appendix A) $name', ({ message, digest }) => {
    expect(path.sm3(message)).toEqual(digest);
    expect(path.getSuite('sm2-sm3').hash(message)).toEqual(digest);
  });

  it.each(SHA256_VECTORS)('SHA-256 (FIPS 180) $name', ({ message, digest }) => {
    expect(path.sha256(message)).toEqual(digest);
    expect(path.getSuite('ed25519-sha256').hash(message)).toEqual(digest);
  });

  it('returns plain, owned Uint8Arrays (never a pooled Buffer)', () => {
    for (const digest of [path.sha256(new Uint8Array(3)), path.sm3(new Uint8Array(3))]) {
      expect(Object.getPrototypeOf(digest)).toBe(Uint8Array.prototype);
      expect(digest.byteOffset).toBe(0);
      expect(digest.buffer.byteLength).toBe(32);
    }
  });

  it('refuses strings instead of guessing an encoding', () => {
    expect(() => path.sm3('abc' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => path.getSuite('ed25519-sha256').hash('abc' as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('rejects unknown suite ids', () => {
    expect(() => path.getSuite('rsa' as never)).toThrow(/unknown crypto suite/);
  });
});
