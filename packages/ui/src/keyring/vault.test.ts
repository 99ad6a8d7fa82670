import { addressFromPublicKey, toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/browser';
import { describe, expect, it } from 'vitest';
import { KeyringError, openVault, parseVault, sealVault, type Vault } from './vault';

const cheap = { N: 1024, r: 8, p: 1 };

async function rejection(promise: Promise<unknown>): Promise<KeyringError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyringError);
  return error as KeyringError;
}

describe.each(['ed25519-sha256', 'sm2-sm3'] as const)('vault on %s', (suiteId) => {
  const suite = getSuite(suiteId);

  it('seals a key that only its password opens', async () => {
    const privateKey = suite.randomPrivateKey();
    const vault = await sealVault({
      suite: suiteId,
      privateKey,
      label: '我的账户',
      password: 'correct horse',
      kdf: cheap,
    });
    expect(vault).toMatchObject({
      v: 1,
      suite: suiteId,
      address: addressFromPublicKey(suite, suite.publicKeyFromPrivate(privateKey)),
      publicKey: toHex(suite.publicKeyFromPrivate(privateKey)),
      label: '我的账户',
      kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 },
      cipher: { name: 'aes-256-gcm' },
    });
    expect(vault.kdf.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(vault.cipher.nonce).toMatch(/^[0-9a-f]{24}$/);
    expect(vault.cipher.ciphertext).toMatch(/^[0-9a-f]{96}$/);
    expect(JSON.stringify(vault)).not.toContain(toHex(privateKey));
    expect(await openVault(vault, 'correct horse')).toEqual(privateKey);
    expect((await rejection(openVault(vault, 'correct horsE'))).code).toBe('wrong_password');
  });

  it('binds the ciphertext to its address: moved into another entry it does not open', async () => {
    const a = await sealVault({
      suite: suiteId,
      privateKey: suite.randomPrivateKey(),
      label: 'a',
      password: 'same password',
      kdf: cheap,
    });
    const b = await sealVault({
      suite: suiteId,
      privateKey: suite.randomPrivateKey(),
      label: 'b',
      password: 'same password',
      kdf: cheap,
    });
    // B's entry carrying A's encrypted key (and A's KDF salt so the derived AES key is the same).
    const moved: Vault = { ...b, kdf: a.kdf, cipher: a.cipher };
    expect((await rejection(openVault(moved, 'same password'))).code).toBe('wrong_password');
    // Relabelled as the other suite's or another address only: refused too.
    const readdressed: Vault = { ...a, address: b.address };
    expect((await rejection(openVault(readdressed, 'same password'))).code).toBe('wrong_password');
    // A flipped ciphertext bit.
    const flipped = {
      ...a,
      cipher: {
        ...a.cipher,
        ciphertext: `${a.cipher.ciphertext.slice(0, -1)}${a.cipher.ciphertext.endsWith('0') ? '1' : '0'}`,
      },
    };
    expect((await rejection(openVault(flipped, 'same password'))).code).toBe('wrong_password');
  });
});

describe('vault format', () => {
  const suite = getSuite('ed25519-sha256');

  it('accepts the same password typed in another Unicode form', async () => {
    const vault = await sealVault({
      suite: suite.id,
      privateKey: suite.randomPrivateKey(),
      label: 'x',
      password: 'ｐａｓｓｗｏｒｄ１２',
      kdf: cheap,
    });
    expect(await openVault(vault, 'password12')).toHaveLength(32);
  });

  it('refuses weak passwords, bad labels and bad keys', async () => {
    const privateKey = suite.randomPrivateKey();
    expect(
      (await rejection(sealVault({ suite: suite.id, privateKey, label: 'x', password: 'short', kdf: cheap })))
        .code,
    ).toBe('weak_password');
    expect(
      (
        await rejection(
          sealVault({ suite: suite.id, privateKey, label: ' ', password: 'long enough', kdf: cheap }),
        )
      ).code,
    ).toBe('bad_label');
    expect(
      (
        await rejection(
          sealVault({ suite: suite.id, privateKey, label: 'a\u0007b', password: 'long enough', kdf: cheap }),
        )
      ).code,
    ).toBe('bad_label');
    expect(
      (
        await rejection(
          sealVault({
            suite: suite.id,
            privateKey: new Uint8Array(31),
            label: 'x',
            password: 'long enough',
            kdf: cheap,
          }),
        )
      ).code,
    ).toBe('bad_key');
  });

  it('parses its own JSON and refuses malformed or hostile backups', async () => {
    const vault = await sealVault({
      suite: suite.id,
      privateKey: suite.randomPrivateKey(),
      label: 'x',
      password: 'long enough',
      kdf: cheap,
    });
    expect(parseVault(JSON.stringify(vault))).toEqual(vault);
    const bad = (change: (v: Record<string, unknown>) => void) => {
      const copy = JSON.parse(JSON.stringify(vault)) as Record<string, unknown>;
      change(copy);
      return () => parseVault(copy);
    };
    expect(() => parseVault('not json')).toThrow(KeyringError);
    expect(() => parseVault('null')).toThrow(KeyringError);
    expect(bad((v) => (v.v = 2))).toThrow('unsupported vault version 2');
    expect(bad((v) => (v.suite = 'rsa'))).toThrow('unknown crypto suite');
    expect(bad((v) => (v.address = 'gx1nope'))).toThrow('address');
    expect(bad((v) => (v.publicKey = 'ab'))).toThrow('publicKey');
    // A backup demanding gigabytes of scrypt memory must not freeze the browser.
    expect(bad((v) => ((v.kdf as { N: number }).N = 2 ** 24))).toThrow('power of two');
    expect(bad((v) => ((v.kdf as { N: number }).N = 3000))).toThrow('power of two');
    expect(bad((v) => ((v.kdf as { name: string }).name = 'pbkdf2'))).toThrow('scrypt');
    expect(bad((v) => ((v.cipher as { nonce: string }).nonce = '00'))).toThrow('cipher.nonce');
    expect(bad((v) => ((v.cipher as { name: string }).name = 'aes-128-cbc'))).toThrow('aes-256-gcm');
  });
});
