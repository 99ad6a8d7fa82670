import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decryptText,
  encryptText,
  idHashOf,
  loadPassportKeys,
  nameHashOf,
  passportKeysFrom,
} from '../src/crypto';
import { DevelopmentVerifier } from '../src/liveness';

describe('passport secrets', () => {
  it('creates the secret under DATA_DIR once (mode 0600) and derives the same keys from it later', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'passport-'));
    const first = loadPassportKeys({ dataDir: dir, env: {} });
    const file = path.join(dir, 'passport', 'secret.key');
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadPassportKeys({ dataDir: dir, env: {} });
    expect(second.idSalt.equals(first.idSalt)).toBe(true);
    expect(second.encryption.equals(first.encryption)).toBe(true);
    expect(first.encryption.equals(first.idSalt)).toBe(false);
    expect(first.source).toBe('file');
  });

  it('prefers PASSPORT_SECRET and refuses a short one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'passport-'));
    const keys = loadPassportKeys({ dataDir: dir, env: { PASSPORT_SECRET: 'ab'.repeat(32) } });
    expect(keys.source).toBe('env');
    expect(keys.idSalt.equals(passportKeysFrom(Buffer.from('ab'.repeat(32), 'hex')).idSalt)).toBe(true);
    expect(() => loadPassportKeys({ dataDir: dir, env: { PASSPORT_SECRET: 'abcd' } })).toThrow(/32 bytes/);
  });

  it('encrypts with AES-256-GCM bound to a context; tampering or another context fails', () => {
    const keys = passportKeysFrom(new Uint8Array(32).fill(1));
    const sealed = encryptText(keys.encryption, '11010519491231002X', 'application:1');
    expect(sealed).not.toContain('11010519491231002X');
    expect(decryptText(keys.encryption, sealed, 'application:1')).toBe('11010519491231002X');
    expect(() => decryptText(keys.encryption, sealed, 'application:2')).toThrow();
    // Replace the second-to-last character (all six of its bits are data) with a different one.
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.slice(-1);
    expect(flipped).not.toBe(sealed);
    expect(() => decryptText(keys.encryption, flipped, 'application:1')).toThrow();
    expect(encryptText(keys.encryption, 'x')).not.toBe(encryptText(keys.encryption, 'x'));
  });

  it('hashes ID numbers and names with the secret salt', () => {
    const a = passportKeysFrom(new Uint8Array(32).fill(1));
    const b = passportKeysFrom(new Uint8Array(32).fill(2));
    expect(idHashOf(a.idSalt, '11010519491231002X')).toMatch(/^[0-9a-f]{64}$/);
    expect(idHashOf(a.idSalt, '11010519491231002X')).not.toBe(idHashOf(b.idSalt, '11010519491231002X'));
    expect(nameHashOf(a.idSalt, '张三')).toBe(nameHashOf(a.idSalt, ' 张三 '));
  });
});

describe('the development liveness verifier', () => {
  it('says it is a development verifier and passes only when the shown code is typed back', async () => {
    const verifier = new DevelopmentVerifier();
    expect(verifier.development).toBe(true);
    const { prompt, state } = await verifier.begin();
    expect(prompt.kind).toBe('type-code');
    const session = { id: 's', address: 'gx1', verifier: verifier.name, prompt, state };
    expect((await verifier.verify({ ...session, response: String(prompt['code']) })).passed).toBe(true);
    expect((await verifier.verify({ ...session, response: 'nope' })).passed).toBe(false);
  });
});
