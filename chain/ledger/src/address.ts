// Accounts are named by an address derived from the public key that created them: the first 20 bytes of
// the chain's hash of the key. People see it as bech32m with the "gx" prefix (BIP 350), whose checksum
// catches typos a wallet user makes when copying an address by hand; a DID is `did:gx:<address>`.
import { bech32m } from '@scure/base';
import type { CryptoSuite } from './crypto/types';

export const ADDRESS_PREFIX = 'gx';
export const ADDRESS_BYTES = 20;
export type Address = string;

export function addressBytesFromPublicKey(suite: CryptoSuite, publicKey: Uint8Array): Uint8Array {
  return suite.hash(publicKey).slice(0, ADDRESS_BYTES);
}

export function formatAddress(bytes: Uint8Array): Address {
  if (bytes.length !== ADDRESS_BYTES)
    throw new Error(`an address is ${ADDRESS_BYTES} bytes, got ${bytes.length}`);
  return bech32m.encode(ADDRESS_PREFIX, bech32m.toWords(bytes));
}

export function addressFromPublicKey(suite: CryptoSuite, publicKey: Uint8Array): Address {
  return formatAddress(addressBytesFromPublicKey(suite, publicKey));
}

export class AddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AddressError';
  }
}

/** Parse a `gx1…` address, naming what is wrong (prefix, checksum, length). */
export function parseAddress(text: string): Uint8Array {
  if (typeof text !== 'string') throw new AddressError('an address must be text');
  let decoded: { prefix: string; words: number[] };
  try {
    decoded = bech32m.decode(text as `${string}1${string}`);
  } catch (error) {
    throw new AddressError(`not a valid address (${(error as Error).message})`);
  }
  if (decoded.prefix !== ADDRESS_PREFIX)
    throw new AddressError(`address prefix must be "${ADDRESS_PREFIX}", got "${decoded.prefix}"`);
  const bytes = bech32m.fromWords(decoded.words);
  if (bytes.length !== ADDRESS_BYTES)
    throw new AddressError(`an address is ${ADDRESS_BYTES} bytes, got ${bytes.length}`);
  return bytes;
}

// Addresses are checked on every action that names one; the same few accounts recur constantly.
const validCache = new Set<string>();

export function isAddress(text: unknown): text is Address {
  if (typeof text !== 'string') return false;
  if (validCache.has(text)) return true;
  try {
    parseAddress(text);
  } catch {
    return false;
  }
  // Only the canonical lowercase form is an address: one account, one spelling.
  if (text !== text.toLowerCase()) return false;
  if (validCache.size > 50_000) validCache.clear();
  validCache.add(text);
  return true;
}

export function didOf(address: Address): string {
  return `did:gx:${address}`;
}

export function addressOfDid(did: string): Address | null {
  const address = did.startsWith('did:gx:') ? did.slice(7) : null;
  return address && isAddress(address) ? address : null;
}
