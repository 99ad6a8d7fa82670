// The gateway's own Ed25519 device key: made on first start, kept in a file only its user can read,
// never sent anywhere. The public half is what the plant owner registers on chain with the meter.
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { publicKeyHex } from './protocol';

export interface DeviceKey {
  readonly privateKey: KeyObject;
  /** 32 raw bytes, hex. */
  readonly publicKey: string;
}

export function generateDeviceKey(): DeviceKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: publicKeyHex(privateKey) };
}

/** Loads the key at `path`, or makes one and stores it there (mode 0600). */
export function loadOrCreateDeviceKey(path: string): DeviceKey {
  if (existsSync(path)) {
    const pem = readFileSync(path, 'utf8');
    const privateKey = createPrivateKey(pem);
    return { privateKey, publicKey: publicKeyHex(privateKey) };
  }
  const key = generateDeviceKey();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, key.privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  return key;
}

/** A device key from a 32-byte seed (fixtures and demo fleets with published seeds: never for real meters). */
export function deviceKeyFromSeed(seed: Uint8Array): DeviceKey {
  if (seed.length !== 32) throw new RangeError('an Ed25519 seed is 32 bytes');
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: publicKeyHex(privateKey) };
}
