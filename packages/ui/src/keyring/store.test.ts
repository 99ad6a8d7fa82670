import { encodeCanonical, toHex, utf8 } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/browser';
import { testAccount } from '@gongxin/ledger/testing';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configureUi } from '../config';
import { mockChain } from '../testing/fetch-mock';
import { KEYRING_STORAGE_KEY, useKeyring } from './store';
import { KeyringError } from './vault';

const suite = getSuite('ed25519-sha256');

/** A fresh page: a new pinia, so the store reads localStorage again. */
function freshKeyring() {
  setActivePinia(createPinia());
  return useKeyring();
}

async function rejection(promise: Promise<unknown>): Promise<KeyringError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyringError);
  return error as KeyringError;
}

beforeEach(() => {
  localStorage.clear();
  configureUi({ kdf: { N: 1024, r: 8, p: 1 } });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  configureUi();
});

describe('useKeyring', () => {
  it('creates accounts from the CSPRNG, keeps them encrypted in localStorage and the new one current and unlocked', async () => {
    const keyring = freshKeyring();
    expect(keyring.accounts).toEqual([]);
    const first = await keyring.create({
      label: '日常',
      password: 'first password',
      suite: 'ed25519-sha256',
    });
    const second = await keyring.create({ label: 'Savings', password: 'second password', suite: 'sm2-sm3' });
    expect(first.address).not.toBe(second.address);
    expect(keyring.accounts.map((a) => a.label)).toEqual(['日常', 'Savings']);
    expect(keyring.current).toBe(second.address);
    expect(keyring.isUnlocked()).toBe(true);
    expect(keyring.isUnlocked(first.address)).toBe(false);

    const stored = JSON.parse(localStorage.getItem(KEYRING_STORAGE_KEY)!);
    expect(stored).toMatchObject({ v: 1, current: second.address });
    expect(stored.vaults).toHaveLength(2);
    expect(stored.vaults[0]).toMatchObject({
      v: 1,
      suite: 'ed25519-sha256',
      address: first.address,
      label: '日常',
    });
    expect(stored.vaults[1].kdf).toMatchObject({ name: 'scrypt', N: 1024 });

    // Another page of the suite sees the same accounts, all locked.
    const later = freshKeyring();
    expect(later.accounts.map((a) => a.address)).toEqual([first.address, second.address]);
    expect(later.current).toBe(second.address);
    expect(later.isUnlocked()).toBe(false);
  });

  it('unlocks only with the right password and forgets the key on lock()', async () => {
    const keyring = freshKeyring();
    const account = await keyring.create({
      label: 'me',
      password: 'right password',
      suite: 'ed25519-sha256',
    });
    keyring.lock();
    expect(keyring.isUnlocked()).toBe(false);
    expect((await rejection(keyring.unlock(account.address, 'wrong password'))).code).toBe('wrong_password');
    expect(keyring.isUnlocked()).toBe(false);
    await keyring.unlock(account.address, 'right password');
    expect(keyring.isUnlocked()).toBe(true);
    expect(keyring.unlockedAddress).toBe(account.address);
    keyring.lock();
    expect(keyring.unlockedAddress).toBeNull();
    expect(
      (await rejection(keyring.unlock('gx1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', 'x'))).code,
    ).toBe('not_found');
  });

  it('exports an encrypted backup and imports it on another device with its password', async () => {
    const keyring = freshKeyring();
    const account = await keyring.create({
      label: 'backup me',
      password: 'backup password',
      suite: 'sm2-sm3',
    });
    const file = keyring.exportBackup(account.address);
    expect(JSON.parse(file)).toMatchObject({
      v: 1,
      address: account.address,
      suite: 'sm2-sm3',
      label: 'backup me',
    });

    localStorage.clear();
    const other = freshKeyring();
    expect((await rejection(other.importBackup(file, 'not the password'))).code).toBe('wrong_password');
    expect(other.accounts).toEqual([]);
    expect((await rejection(other.importBackup('{"v":1}', 'backup password'))).code).toBe('bad_backup');

    const imported = await other.importBackup(file, 'backup password');
    expect(imported).toEqual(account);
    expect(other.current).toBe(account.address);
    expect(other.isUnlocked()).toBe(true);
    expect((await rejection(other.importBackup(file, 'backup password'))).code).toBe('exists');
    // The same key on both devices: the same signature.
    const challenge = encodeCanonical({ type: 'gongxin-login', nonce: 'n1' });
    expect(other.signChallenge(challenge).signature).toEqual(keyring.signChallenge(challenge).signature);
  });

  it('locks itself after 15 minutes without use, and each use restarts the clock', async () => {
    vi.useFakeTimers();
    const keyring = freshKeyring();
    await keyring.create({ label: 'idle', password: 'idle password', suite: 'ed25519-sha256' });
    const challenge = encodeCanonical({ type: 'gongxin-login', nonce: 'n' });
    vi.advanceTimersByTime(14 * 60_000);
    expect(keyring.isUnlocked()).toBe(true);
    keyring.signChallenge(challenge);
    vi.advanceTimersByTime(14 * 60_000);
    expect(keyring.isUnlocked()).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(keyring.isUnlocked()).toBe(false);
    expect(() => keyring.signChallenge(challenge)).toThrow(expect.objectContaining({ code: 'locked' }));
  });

  it('signs login challenges only, with the current account', async () => {
    const keyring = freshKeyring();
    expect(() => keyring.signChallenge(encodeCanonical({ type: 'gongxin-login' }))).toThrow(
      expect.objectContaining({ code: 'no_account' }),
    );
    const account = await keyring.create({
      label: 'login',
      password: 'login password',
      suite: 'ed25519-sha256',
    });
    const challenge = encodeCanonical({ type: 'gongxin-login', aud: 'passport', nonce: 'abc', exp: 1 });
    const signed = keyring.signChallenge(challenge);
    expect(signed.address).toBe(account.address);
    expect(toHex(signed.publicKey)).toBe(account.publicKey);
    expect(suite.verify(signed.signature, challenge, signed.publicKey)).toBe(true);
    // A tx body, or arbitrary bytes, must go through signAndSend and its dialog.
    for (const bytes of [
      encodeCanonical({ type: 'tx', v: 1 }),
      utf8('gongxin-login'),
      new Uint8Array([0xff]),
    ]) {
      expect(() => keyring.signChallenge(bytes)).toThrow(
        expect.objectContaining({ code: 'not_a_challenge' }),
      );
    }
  });

  it('imports demo keys, switches and removes accounts', async () => {
    const keyring = freshKeyring();
    const demo = testAccount(suite, 1);
    const account = await keyring.importDemoKey(
      toHex(demo.privateKey),
      '演示账户',
      'demo password',
      'ed25519-sha256',
    );
    expect(account.address).toBe(demo.address);
    // Importing the same demo key again replaces it rather than failing.
    await keyring.importDemoKey(toHex(demo.privateKey), '演示账户 2', 'other password', 'ed25519-sha256');
    expect(keyring.accounts.map((a) => a.label)).toEqual(['演示账户 2']);
    expect((await rejection(keyring.importDemoKey('zz', 'x', 'demo password', 'ed25519-sha256'))).code).toBe(
      'bad_key',
    );
    // A key file's key: sealed under the password; a key of the wrong length is refused before anything is kept.
    const operator = testAccount(suite, 2);
    const imported = await keyring.importPrivateKey(
      toHex(operator.privateKey),
      'operator',
      'operator password',
      'ed25519-sha256',
    );
    expect(imported.address).toBe(operator.address);
    const short = await rejection(
      keyring.importPrivateKey('ab'.repeat(31), 'short', 'operator password', 'ed25519-sha256'),
    );
    expect(short.code).toBe('bad_key');
    expect(keyring.accounts.map((a) => a.label)).toEqual(['演示账户 2', 'operator']);
    keyring.remove(operator.address);

    const mine = await keyring.create({ label: 'mine', password: 'mine password', suite: 'ed25519-sha256' });
    keyring.select(demo.address);
    expect(keyring.current).toBe(demo.address);
    expect(keyring.currentAccount?.label).toBe('演示账户 2');
    expect(() => keyring.select('gx1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq')).toThrow(KeyringError);

    keyring.remove(mine.address);
    expect(keyring.isUnlocked(mine.address)).toBe(false);
    keyring.remove(demo.address);
    expect(keyring.accounts).toEqual([]);
    expect(keyring.current).toBeNull();
    expect(JSON.parse(localStorage.getItem(KEYRING_STORAGE_KEY)!).vaults).toEqual([]);
  });

  it('keeps vault entries it cannot read instead of dropping them', async () => {
    localStorage.setItem(
      KEYRING_STORAGE_KEY,
      JSON.stringify({ v: 1, current: null, vaults: [{ v: 2, future: true }] }),
    );
    const keyring = freshKeyring();
    expect(keyring.accounts).toEqual([]);
    await keyring.create({ label: 'new', password: 'new password', suite: 'ed25519-sha256' });
    const stored = JSON.parse(localStorage.getItem(KEYRING_STORAGE_KEY)!);
    expect(stored.vaults).toHaveLength(2);
    expect(stored.vaults[1]).toEqual({ v: 2, future: true });
  });

  it('creates the account in the suite the chain uses when none is given', async () => {
    const requests = mockChain({ 'chain.info': () => ({ chainId: 'gongxin-test', suite: 'sm2-sm3' }) });
    const keyring = freshKeyring();
    const account = await keyring.create({ label: 'chain suite', password: 'chain password' });
    expect(account.suite).toBe('sm2-sm3');
    expect(requests.map((r) => r.calls.map((c) => c.procedure))).toEqual([['chain.info']]);
  });
});
