// The contract every signature suite honours, whichever platform implementation backs it.
// Types only: this module must never pull in an implementation, so both entry points can share it.

export type SuiteId = 'ed25519-sha256' | 'sm2-sm3';

/** Which platform implementation an entry point resolved to (the "browser" one runs anywhere). */
export type CryptoImplementation = 'browser' | 'node';

export const SUITE_IDS: readonly SuiteId[] = ['ed25519-sha256', 'sm2-sm3'];

export interface CryptoSuite {
  readonly id: SuiteId;
  /** ed25519: 32 (RFC 8032 encoding); sm2: 33 (SEC1 compressed point). */
  readonly publicKeyLength: number;
  /** 64 for both: ed25519 R||S; sm2 r||s, 32 bytes each, big-endian. */
  readonly signatureLength: number;
  /** 32 bytes: SHA-256 resp. SM3. */
  hash(data: Uint8Array): Uint8Array;
  /** Throws on a malformed private key: signing keys come from our own wallets, never from the network. */
  publicKeyFromPrivate(privateKey: Uint8Array): Uint8Array;
  /** Deterministic for both suites (RFC 8032; SM2 with an RFC 6979 nonce), so both paths emit the same bytes. */
  sign(message: Uint8Array, privateKey: Uint8Array): Uint8Array;
  /** Never throws on malformed input: returns false. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  /** Uses the platform CSPRNG; only used by clients/tests, never by ledger logic. */
  randomPrivateKey(): Uint8Array;
}

export type HashFn = (data: Uint8Array) => Uint8Array;

/** The Ed25519 primitives a platform has to supply; the suite wrapper adds nothing but the hash. */
export interface Ed25519Primitives {
  publicKeyFromPrivate(seed: Uint8Array): Uint8Array;
  sign(message: Uint8Array, seed: Uint8Array): Uint8Array;
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}
