// A node's signing key on disk: one small JSON file readable only by its owner. Generated on first use.
// The private key never leaves this file and this process; logs and APIs only ever see the public key.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Signer } from '@gongxin/consensus';
import { addressFromPublicKey, type CryptoSuite, fromHex, toHex } from '@gongxin/ledger';

export interface NodeKey {
  suite: CryptoSuite['id'];
  privateKey: Uint8Array;
  publicKey: Uint8Array;
  address: string;
}

export function loadOrCreateNodeKey(suite: CryptoSuite, file: string): { key: NodeKey; created: boolean } {
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { suite: string; privateKey: string };
    if (stored.suite !== suite.id)
      throw new Error(`${file} holds a ${stored.suite} key, this chain uses ${suite.id}`);
    const privateKey = fromHex(stored.privateKey);
    const publicKey = suite.publicKeyFromPrivate(privateKey);
    return {
      key: { suite: suite.id, privateKey, publicKey, address: addressFromPublicKey(suite, publicKey) },
      created: false,
    };
  }
  const privateKey = suite.randomPrivateKey();
  const publicKey = suite.publicKeyFromPrivate(privateKey);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    `${JSON.stringify({ suite: suite.id, publicKey: toHex(publicKey), privateKey: toHex(privateKey) }, null, 2)}\n`,
    { mode: 0o600 },
  );
  chmodSync(file, 0o600);
  return {
    key: { suite: suite.id, privateKey, publicKey, address: addressFromPublicKey(suite, publicKey) },
    created: true,
  };
}

export function signerFor(suite: CryptoSuite, key: NodeKey): Signer {
  return { key: key.publicKey, sign: (bytes) => suite.sign(bytes, key.privateKey) };
}
