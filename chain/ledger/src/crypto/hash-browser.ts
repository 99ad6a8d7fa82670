// SHA-256 and SM3 in pure JS for browsers. Must never import a `node:` module.
// SHA-256 from @noble/hashes; SM3 from sm-crypto-v2 (the only maintained SM3 on the noble
// primitives; its API speaks hex, hence the conversion).

import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { sm3 as smCryptoSm3 } from 'sm-crypto-v2';
import { hexToBytes } from './bytes';
import type { HashFn } from './types';

export const sha256Browser: HashFn = (data) => nobleSha256(data);

export const sm3Browser: HashFn = (data) => {
  // sm-crypto-v2 would read a string as UTF-8; bytes are the only input the ledger hashes.
  if (!(data instanceof Uint8Array)) throw new TypeError('sm3 expects a Uint8Array');
  return hexToBytes(smCryptoSm3(data));
};
