// The encrypted form of a person's chain key, as stored in the browser and as a backup file. The key is
// encrypted with AES-256-GCM under a key stretched from the password by scrypt, so a stolen vault costs
// an attacker a scrypt evaluation per password guess. The AAD binds the vault's identity (suite, address,
// public key): a ciphertext moved into another vault entry fails authentication instead of quietly
// becoming that account's key. A wrong password and a tampered vault look the same to GCM; either way
// the caller gets KeyringError('wrong_password') and never a garbage key.

import {
  type Address,
  addressFromPublicKey,
  encodeCanonical,
  equalBytes,
  fromHex,
  isAddress,
  SUITE_IDS,
  type SuiteId,
  toHex,
} from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/browser';
import { gcm } from '@noble/ciphers/aes.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { randomBytes } from '@noble/hashes/utils.js';

export const VAULT_VERSION = 1;

export interface ScryptParams {
  name: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** hex, 16 bytes */
  salt: string;
}

export interface Vault {
  v: 1;
  suite: SuiteId;
  address: Address;
  /** hex */
  publicKey: string;
  label: string;
  /** ms since the epoch */
  createdAt: number;
  kdf: ScryptParams;
  cipher: {
    name: 'aes-256-gcm';
    /** hex, 12 bytes */
    nonce: string;
    /** hex: the encrypted private key followed by GCM's 16-byte tag */
    ciphertext: string;
  };
}

export type KdfCost = Pick<ScryptParams, 'N' | 'r' | 'p'>;

/** scrypt N=2^15 r=8 p=1: 32 MiB and a few hundred ms in a browser, per guess for an attacker too. */
export const DEFAULT_KDF: KdfCost = { N: 32768, r: 8, p: 1 };

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_LABEL_LENGTH = 64;

const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const PRIVATE_KEY_BYTES = 32;

export type KeyringErrorCode =
  | 'wrong_password'
  | 'weak_password'
  | 'cancelled'
  | 'locked'
  | 'no_account'
  | 'not_found'
  | 'exists'
  | 'bad_backup'
  | 'bad_label'
  | 'bad_key'
  | 'wrong_suite'
  | 'not_a_challenge'
  | 'no_dialog';

export class KeyringError extends Error {
  constructor(
    readonly code: KeyringErrorCode,
    message: string = code,
  ) {
    super(message);
    this.name = 'KeyringError';
  }
}

// Typing the same password with another input method (full-width digits, composed vs decomposed
// characters) must open the same vault.
const passwordBytes = (password: string) => new TextEncoder().encode(password.normalize('NFKC'));

function aad(vault: Pick<Vault, 'suite' | 'address' | 'publicKey'>): Uint8Array {
  return encodeCanonical({
    type: 'gongxin-vault',
    v: VAULT_VERSION,
    suite: vault.suite,
    address: vault.address,
    publicKey: fromHex(vault.publicKey),
  });
}

async function deriveKey(password: string, kdf: ScryptParams): Promise<Uint8Array> {
  // asyncTick yields to the event loop every 10 ms so the page keeps painting while scrypt runs.
  return scryptAsync(passwordBytes(password), fromHex(kdf.salt), {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    dkLen: 32,
    asyncTick: 10,
  });
}

function checkPassword(password: string): void {
  if (typeof password !== 'string' || password.normalize('NFKC').length < MIN_PASSWORD_LENGTH) {
    throw new KeyringError('weak_password', `a password has at least ${MIN_PASSWORD_LENGTH} characters`);
  }
}

function checkLabel(label: string): string {
  const trimmed = typeof label === 'string' ? label.trim() : '';
  // No control characters: labels are shown in dialogs that ask people to confirm what they sign.
  if (trimmed.length === 0 || trimmed.length > MAX_LABEL_LENGTH || /\p{Cc}/u.test(trimmed)) {
    throw new KeyringError('bad_label', `a label is 1–${MAX_LABEL_LENGTH} printable characters`);
  }
  return trimmed;
}

/** Encrypt a private key into a new vault. The caller supplies the key (fresh from the CSPRNG, or a demo key). */
export async function sealVault(opts: {
  suite: SuiteId;
  privateKey: Uint8Array;
  label: string;
  password: string;
  kdf?: KdfCost;
  now?: number;
  /**
   * The account this key signs for, when it is not the one derived from the key: after an on-chain key
   * rotation the address stays and the key changes. The AAD binds both.
   */
  address?: Address;
}): Promise<Vault> {
  checkPassword(opts.password);
  const label = checkLabel(opts.label);
  const suite = getSuite(opts.suite);
  if (opts.privateKey.length !== PRIVATE_KEY_BYTES)
    throw new KeyringError('bad_key', `a private key is ${PRIVATE_KEY_BYTES} bytes`);
  let publicKey: Uint8Array;
  try {
    publicKey = suite.publicKeyFromPrivate(opts.privateKey);
  } catch (error) {
    throw new KeyringError('bad_key', `not a ${suite.id} private key: ${(error as Error).message}`);
  }
  const cost = opts.kdf ?? DEFAULT_KDF;
  const kdf: ScryptParams = { name: 'scrypt', ...cost, salt: toHex(randomBytes(SALT_BYTES)) };
  checkKdf(kdf);
  const identity = {
    suite: suite.id,
    address: opts.address ?? addressFromPublicKey(suite, publicKey),
    publicKey: toHex(publicKey),
  };
  const key = await deriveKey(opts.password, kdf);
  const nonce = randomBytes(NONCE_BYTES);
  const ciphertext = gcm(key, nonce, aad(identity)).encrypt(opts.privateKey);
  key.fill(0);
  return {
    v: VAULT_VERSION,
    ...identity,
    label,
    createdAt: opts.now ?? Date.now(),
    kdf,
    cipher: { name: 'aes-256-gcm', nonce: toHex(nonce), ciphertext: toHex(ciphertext) },
  };
}

/**
 * Decrypt a vault's private key. Throws KeyringError('wrong_password') when the password is wrong or the
 * vault was altered, so a caller can never end up signing with a key that is not the vault's.
 */
export async function openVault(vault: Vault, password: string): Promise<Uint8Array> {
  const key = await deriveKey(password, vault.kdf);
  let privateKey: Uint8Array;
  try {
    privateKey = gcm(key, fromHex(vault.cipher.nonce), aad(vault)).decrypt(fromHex(vault.cipher.ciphertext));
  } catch {
    throw new KeyringError('wrong_password', 'wrong password, or the vault was altered');
  } finally {
    key.fill(0);
  }
  // GCM already authenticated the ciphertext under this identity; the check guards against a vault that
  // was sealed with a mismatching public key in the first place.
  const suite = getSuite(vault.suite);
  if (!equalBytes(suite.publicKeyFromPrivate(privateKey), fromHex(vault.publicKey))) {
    privateKey.fill(0);
    throw new KeyringError('bad_backup', 'the vault key does not match its public key');
  }
  return privateKey;
}

const HEX = /^[0-9a-f]*$/;

function hexField(value: unknown, bytes: number, what: string): string {
  if (typeof value !== 'string' || !HEX.test(value) || value.length !== bytes * 2)
    throw new KeyringError('bad_backup', `${what} must be ${bytes} bytes of lowercase hex`);
  return value;
}

function checkKdf(kdf: ScryptParams): void {
  const powerOfTwo = (n: number) => Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;
  // Bounds keep a hostile backup file from asking the browser for gigabytes of scrypt memory.
  if (!powerOfTwo(kdf.N) || kdf.N < 2 ** 10 || kdf.N > 2 ** 20)
    throw new KeyringError('bad_backup', 'scrypt N must be a power of two between 2^10 and 2^20');
  if (!Number.isInteger(kdf.r) || kdf.r < 1 || kdf.r > 32)
    throw new KeyringError('bad_backup', 'scrypt r must be 1–32');
  if (!Number.isInteger(kdf.p) || kdf.p < 1 || kdf.p > 16)
    throw new KeyringError('bad_backup', 'scrypt p must be 1–16');
}

/** Check the shape of a vault read from storage or a backup file; returns a clean copy. */
export function parseVault(input: unknown): Vault {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new KeyringError('bad_backup', 'a backup is a JSON file');
    }
  }
  const v = value as Partial<Vault> | null;
  if (!v || typeof v !== 'object') throw new KeyringError('bad_backup', 'a backup is a JSON object');
  if (v.v !== VAULT_VERSION) throw new KeyringError('bad_backup', `unsupported vault version ${String(v.v)}`);
  if (!SUITE_IDS.includes(v.suite as SuiteId))
    throw new KeyringError('bad_backup', `unknown crypto suite ${String(v.suite)}`);
  const suite = getSuite(v.suite as SuiteId);
  if (!isAddress(v.address)) throw new KeyringError('bad_backup', 'address must be a gx1… address');
  const publicKey = hexField(v.publicKey, suite.publicKeyLength, 'publicKey');
  if (typeof v.createdAt !== 'number' || !Number.isSafeInteger(v.createdAt))
    throw new KeyringError('bad_backup', 'createdAt must be a time in ms');
  const kdf = v.kdf as Partial<ScryptParams> | undefined;
  if (kdf?.name !== 'scrypt') throw new KeyringError('bad_backup', 'kdf must be scrypt');
  const cleanKdf: ScryptParams = {
    name: 'scrypt',
    N: Number(kdf.N),
    r: Number(kdf.r),
    p: Number(kdf.p),
    salt: hexField(kdf.salt, SALT_BYTES, 'kdf.salt'),
  };
  checkKdf(cleanKdf);
  const cipher = v.cipher as Partial<Vault['cipher']> | undefined;
  if (cipher?.name !== 'aes-256-gcm') throw new KeyringError('bad_backup', 'cipher must be aes-256-gcm');
  let label: string;
  try {
    label = checkLabel(v.label as string);
  } catch {
    throw new KeyringError('bad_backup', `label must be 1–${MAX_LABEL_LENGTH} printable characters`);
  }
  return {
    v: VAULT_VERSION,
    suite: suite.id,
    address: v.address,
    publicKey,
    label,
    createdAt: v.createdAt,
    kdf: cleanKdf,
    cipher: {
      name: 'aes-256-gcm',
      nonce: hexField(cipher.nonce, NONCE_BYTES, 'cipher.nonce'),
      ciphertext: hexField(cipher.ciphertext, PRIVATE_KEY_BYTES + TAG_BYTES, 'cipher.ciphertext'),
    },
  };
}

/** The backup file's name: the label is left out so a file name never leaks more than the address. */
export function backupFileName(vault: Pick<Vault, 'address'>): string {
  return `gongxin-key-${vault.address}.json`;
}
