// @vitest-environment happy-dom
// The browser path in a browser-like environment (happy-dom globals, no reliance on Node APIs
// from our side): the published vectors must come out exactly as on Node.

import { describe, expect, it } from 'vitest';
import * as browser from './browser';
import { ED25519_VECTORS, flipBit, SHA256_VECTORS, SM2_EXAMPLE, SM3_VECTORS } from './published-vectors';

describe('browser path under happy-dom', () => {
  it('really runs in a DOM-like environment', () => {
    // The package compiles without the DOM lib, hence the untyped look-ups.
    const dom = globalThis as unknown as { window?: unknown; document?: { createElement?: unknown } };
    expect(typeof dom.window).toBe('object');
    expect(typeof dom.document?.createElement).toBe('function');
    expect(browser.implementation).toBe('browser');
  });

  it.each(SM3_VECTORS)('SM3 $name', ({ message, digest }) => {
    expect(browser.sm3(message)).toEqual(digest);
  });

  it.each(SHA256_VECTORS)('SHA-256 $name', ({ message, digest }) => {
    expect(browser.sha256(message)).toEqual(digest);
  });

  it.each(ED25519_VECTORS)('Ed25519 RFC 8032 $name', (v) => {
    const suite = browser.getSuite('ed25519-sha256');
    expect(suite.publicKeyFromPrivate(v.secretKey)).toEqual(v.publicKey);
    expect(suite.sign(v.message, v.secretKey)).toEqual(v.signature);
    expect(suite.verify(v.signature, v.message, v.publicKey)).toBe(true);
    expect(suite.verify(flipBit(v.signature, 7), v.message, v.publicKey)).toBe(false);
  });

  it('SM2 GB/T 32918.5 example: Z_A, e, r||s, verify', () => {
    const suite = browser.getSuite('sm2-sm3');
    const publicKey = suite.publicKeyFromPrivate(SM2_EXAMPLE.privateKey);
    expect(browser.sm2Za(SM2_EXAMPLE.publicKeyUncompressed)).toEqual(SM2_EXAMPLE.za);
    expect(browser.sm2Digest(SM2_EXAMPLE.message, publicKey)).toEqual(SM2_EXAMPLE.e);
    expect(browser.sm2SignWithK(SM2_EXAMPLE.message, SM2_EXAMPLE.privateKey, SM2_EXAMPLE.k)).toEqual(
      SM2_EXAMPLE.signature,
    );
    expect(suite.verify(SM2_EXAMPLE.signature, SM2_EXAMPLE.message, publicKey)).toBe(true);
    expect(suite.verify(flipBit(SM2_EXAMPLE.signature, 300), SM2_EXAMPLE.message, publicKey)).toBe(false);
  });

  it('draws private keys from the Web Crypto CSPRNG', () => {
    for (const id of browser.SUITE_IDS) {
      const suite = browser.getSuite(id);
      const key = suite.randomPrivateKey();
      const signature = suite.sign(SM2_EXAMPLE.message, key);
      expect(suite.verify(signature, SM2_EXAMPLE.message, suite.publicKeyFromPrivate(key))).toBe(true);
    }
  });
});
