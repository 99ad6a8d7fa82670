// Passport's secrets and what it derives from them. One 32-byte passport secret (PASSPORT_SECRET, or a
// file under DATA_DIR/passport created on first start) yields, by HKDF with distinct labels:
//   - the AES-256-GCM key that encrypts ID numbers (and OIDC signing keys, client secrets) at rest;
//   - the salt of `idHash = SHA-256(salt ‖ normalized number)`, the only form an ID number takes on chain;
//   - the keys that sign oidc-provider's cookies.
// The salt must stay secret: ID numbers have little entropy, so a known salt would let anyone brute-force an
// idHash back to the number. Losing the secret makes stored ID numbers unreadable and new idHashes
// incomparable with old ones: back it up with the database.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SECRET_BYTES = 32;
export const SECRET_ENV = 'PASSPORT_SECRET';

export interface PassportKeys {
  /** AES-256-GCM key for data at rest. */
  readonly encryption: Buffer;
  /** Secret salt of idHash and nameHash. */
  readonly idSalt: Buffer;
  /** Keys oidc-provider signs its cookies with (newest first). */
  readonly cookieKeys: string[];
  /** Where the secret came from, for the start-up log (never the secret). */
  readonly source: 'env' | 'file' | 'given';
}

function derive(secret: Uint8Array, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `gongxin passport ${label}`, 32));
}

/** Derives every passport key from one secret. */
export function passportKeysFrom(secret: Uint8Array, source: PassportKeys['source'] = 'given'): PassportKeys {
  if (secret.length < SECRET_BYTES)
    throw new Error(`the passport secret must be at least ${SECRET_BYTES} bytes`);
  return {
    encryption: derive(secret, 'encryption v1'),
    idSalt: derive(secret, 'id salt v1'),
    cookieKeys: [derive(secret, 'cookies v1').toString('base64url')],
    source,
  };
}

function parseSecret(text: string, where: string): Buffer {
  const t = text.trim();
  const bytes =
    /^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0 ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (bytes.length < SECRET_BYTES) {
    throw new Error(`${where} must hold at least ${SECRET_BYTES} bytes (64 hex digits or base64)`);
  }
  return bytes;
}

/**
 * The passport secret: `PASSPORT_SECRET` (hex or base64, ≥ 32 bytes) when set — required when several
 * processes share one PostgreSQL database — else `DATA_DIR/passport/secret.key`, created (mode 0600) with
 * 32 random bytes the first time. Synchronous so the portal can compute demo idHashes for the genesis
 * document before anything else starts.
 */
export function loadPassportKeys(opts: {
  dataDir: string;
  env?: Record<string, string | undefined>;
}): PassportKeys {
  const fromEnv = (opts.env ?? process.env)[SECRET_ENV];
  if (fromEnv && fromEnv.trim() !== '') return passportKeysFrom(parseSecret(fromEnv, SECRET_ENV), 'env');
  const dir = path.join(path.resolve(opts.dataDir), 'passport');
  const file = path.join(dir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // `wx`: two processes starting at once must not each write a different secret.
    try {
      writeFileSync(file, `${randomBytes(SECRET_BYTES).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      chmodSync(file, 0o600);
    } catch {
      // Filesystems without modes (some mounts) still work.
    }
  }
  return passportKeysFrom(parseSecret(readFileSync(file, 'utf8'), file), 'file');
}

// ------------------------------------------------------------------------------------ encryption

const VERSION = 'v1';

/** AES-256-GCM with a random 96-bit nonce: `v1.<base64url(nonce ‖ ciphertext ‖ tag)>`. */
export function encryptText(key: Uint8Array, plain: string, associated = ''): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/** Inverse of encryptText; throws when the text was altered or encrypted under another key or context. */
export function decryptText(key: Uint8Array, sealed: string, associated = ''): string {
  const [version, payload] = sealed.split('.');
  if (version !== VERSION || !payload) throw new Error('not a passport ciphertext');
  const raw = Buffer.from(payload, 'base64url');
  if (raw.length < 12 + 16) throw new Error('passport ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(associated, 'utf8'));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString(
    'utf8',
  );
}

// ---------------------------------------------------------------------------------------- hashes

function sha256Hex(...parts: Uint8Array[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** The on-chain form of an ID number: SHA-256(salt ‖ UTF-8 of the normalized number), lowercase hex. */
export function idHashOf(salt: Uint8Array, normalizedNumber: string): string {
  return sha256Hex(salt, Buffer.from(normalizedNumber, 'utf8'));
}

/** The on-chain form of a name: SHA-256(salt ‖ "name:" ‖ UTF-8 of the NFC name, trimmed). */
export function nameHashOf(salt: Uint8Array, name: string): string {
  return sha256Hex(salt, Buffer.from(`name:${name.normalize('NFC').trim()}`, 'utf8'));
}

/** Hash of evidence or of a one-time value, for records that must not keep the value itself. */
export function sha256OfText(text: string): string {
  return sha256Hex(Buffer.from(text, 'utf8'));
}
