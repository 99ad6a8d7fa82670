import { didOf, nonceOf } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import {
  accounts,
  call,
  eventNamed,
  eventNames,
  hash32,
  suite,
  TestChain,
  testAccount,
} from '../../test/chain';
import { balanceOf } from '../assets/views';
import { accountOf, attestationOf, hasRole, isRegistered, isVerified, rolesOf } from './views';

const { alice, bob, carol, dave, authority, parkingAuthority, mallory } = accounts;
const identity = (name: string, params: Record<string, unknown>) => call('identity', name, params as never);

describe('register', () => {
  it('registers the sender with its DID', () => {
    const chain = new TestChain();
    const events = chain.ok(dave, identity('register', { kind: 'person', profileHash: 'AA'.repeat(32) }));
    expect(events).toEqual([
      ['registered', { address: dave.address, did: didOf(dave.address), kind: 'person' }],
    ]);
    expect(accountOf(chain.store, dave.address)).toEqual({
      did: `did:gx:${dave.address}`,
      kind: 'person',
      registeredAt: 1,
      profileHash: 'aa'.repeat(32),
    });
    expect(isRegistered(chain.store, dave.address)).toBe(true);
    expect(isVerified(chain.store, dave.address)).toBe(false);
  });

  it('refuses a second registration and unknown kinds', () => {
    const chain = new TestChain();
    chain.fails('already_exists', alice, identity('register', { kind: 'person' }));
    chain.fails('invalid_params', dave, identity('register', { kind: 'robot' }));
    chain.fails('invalid_params', dave, identity('register', { kind: 'person', extra: 1 }));
  });
});

describe('attestations', () => {
  const attest = (subject: string, extra: Record<string, unknown> = {}) =>
    identity('attest', { subject, kind: 'person', idHash: hash32(77), ...extra });

  it('register → attest → verified', () => {
    const chain = new TestChain();
    chain.ok(dave, identity('register', { kind: 'person' }));
    const events = chain.ok(
      authority,
      attest(dave.address, { nameHash: hash32(5), facts: { province: '浙江', birthYear: 1990 } }),
    );
    expect(events).toEqual([
      ['attested', { subject: dave.address, by: authority.address, kind: 'person', idHash: hash32(77) }],
    ]);
    expect(isVerified(chain.store, dave.address)).toBe(true);
    expect(attestationOf(chain.store, dave.address)).toEqual({
      by: authority.address,
      kind: 'person',
      idHash: hash32(77),
      nameHash: hash32(5),
      facts: { province: '浙江', birthYear: 1990 },
      at: 2,
      time: chain.time,
    });
  });

  it('refuses attestations by non-authorities, for unknown or mismatched subjects, and twice', () => {
    const chain = new TestChain();
    chain.fails('not_authorized', alice, attest(bob.address));
    chain.fails('not_authorized', parkingAuthority, attest(bob.address));
    chain.fails('not_found', authority, attest(mallory.address));
    chain.fails('not_allowed', authority, attest(carol.address));
    chain.fails('already_exists', authority, attest(alice.address));
    chain.fails('invalid_params', authority, attest('gx1notanaddress'));
    chain.fails('invalid_params', authority, attest(bob.address, { idHash: '12345' }));
    chain.fails('invalid_params', authority, attest(bob.address, { idHash: '110101199003077777' }));
    const facts = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`f${i}`, i]));
    chain.fails('invalid_params', authority, attest(bob.address, { facts }));
    expect(isVerified(chain.store, bob.address)).toBe(false);
  });

  it('revokes an attestation, keeps it as history, and allows a new one', () => {
    const chain = new TestChain();
    chain.fails(
      'not_authorized',
      bob,
      identity('revokeAttestation', { subject: alice.address, reason: 'x' }),
    );
    const events = chain.ok(
      authority,
      identity('revokeAttestation', { subject: alice.address, reason: 'document forged' }),
    );
    expect(eventNames(events)).toEqual(['attestationRevoked']);
    expect(isVerified(chain.store, alice.address)).toBe(false);
    expect(attestationOf(chain.store, alice.address)?.revoked).toMatchObject({
      by: authority.address,
      reason: 'document forged',
    });
    chain.fails(
      'not_found',
      authority,
      identity('revokeAttestation', { subject: alice.address, reason: 'again' }),
    );
    chain.fails(
      'not_found',
      authority,
      identity('revokeAttestation', { subject: bob.address, reason: 'never attested' }),
    );
    chain.ok(authority, attest(alice.address));
    expect(isVerified(chain.store, alice.address)).toBe(true);
  });
});

describe('roles', () => {
  it('grants and revokes roles, keeping the index apps read', () => {
    const chain = new TestChain();
    const granted = chain.ok(
      authority,
      identity('grantRole', { subject: bob.address, app: 'parking', role: 'operator' }),
    );
    expect(granted).toEqual([
      ['roleGranted', { subject: bob.address, app: 'parking', role: 'operator', by: authority.address }],
    ]);
    // An authority scoped to one app manages that app's roles only.
    chain.ok(
      parkingAuthority,
      identity('grantRole', { subject: bob.address, app: 'parking', role: 'auditor' }),
    );
    chain.fails(
      'not_authorized',
      parkingAuthority,
      identity('grantRole', { subject: bob.address, app: 'assets', role: 'regulator' }),
    );
    expect(hasRole(chain.store, bob.address, 'parking', 'operator')).toBe(true);
    expect(rolesOf(chain.store, bob.address)).toEqual([
      { app: 'parking', role: 'auditor' },
      { app: 'parking', role: 'operator' },
    ]);

    const revoked = chain.ok(
      parkingAuthority,
      identity('revokeRole', { subject: bob.address, app: 'parking', role: 'operator', reason: 'left' }),
    );
    expect(eventNamed(revoked, 'roleRevoked')).toMatchObject({
      subject: bob.address,
      app: 'parking',
      role: 'operator',
      reason: 'left',
    });
    expect(hasRole(chain.store, bob.address, 'parking', 'operator')).toBe(false);
    expect(rolesOf(chain.store, bob.address)).toEqual([{ app: 'parking', role: 'auditor' }]);
    chain.ok(
      authority,
      identity('revokeRole', { subject: bob.address, app: 'parking', role: 'auditor', reason: 'left' }),
    );
    expect(rolesOf(chain.store, bob.address)).toEqual([]);
    expect(chain.store.get(`identity/roles/${bob.address}`)).toBeUndefined();
  });

  it('refuses duplicates, unknown subjects, missing roles, bad names and non-authorities', () => {
    const chain = new TestChain();
    const grant = (subject: string, app = 'parking', role = 'operator') =>
      identity('grantRole', { subject, app, role });
    chain.ok(authority, grant(bob.address));
    chain.fails('already_exists', authority, grant(bob.address));
    chain.fails('not_found', authority, grant(mallory.address));
    chain.fails('not_authorized', alice, grant(bob.address));
    chain.fails('invalid_params', authority, grant(bob.address, 'Parking'));
    chain.fails('invalid_params', authority, grant(bob.address, 'parking', 'a/b'));
    chain.fails(
      'not_found',
      authority,
      identity('revokeRole', { subject: bob.address, app: 'parking', role: 'auditor', reason: 'x' }),
    );
  });
});

describe('rotateKey', () => {
  it('moves the account to a new key: the old key is refused, the new one works, balances stay', () => {
    const chain = new TestChain();
    const next = testAccount(suite, 500);
    const before = balanceOf(chain.store, 'CNYX', alice.address);
    const events = chain.ok(alice, identity('rotateKey', { newKey: next.publicKey }));
    expect(events).toEqual([
      ['keyRotated', { address: alice.address, key: next.publicKey, previousKey: alice.publicKey }],
    ]);

    const withOldKey = chain.block([chain.tx(alice, identity('register', { kind: 'person' }))]);
    expect(withOldKey.receipts[0]).toMatchObject({ ok: false, code: 'key_not_authorized' });
    expect(withOldKey.writes.size).toBe(0);

    const aliceNewKey = { ...next, address: alice.address };
    chain.ok(aliceNewKey, call('assets', 'transfer', { symbol: 'CNYX', to: bob.address, amount: 1 }));
    expect(balanceOf(chain.store, 'CNYX', alice.address)).toBe(before - 1n);
    expect(isVerified(chain.store, alice.address)).toBe(true);
    expect(nonceOf(chain.store, alice.address)).toBe(2);
  });

  it('refuses keys of the wrong length and the key already in use', () => {
    const chain = new TestChain();
    chain.fails('invalid_params', alice, identity('rotateKey', { newKey: new Uint8Array(31) }));
    chain.fails('invalid_params', alice, identity('rotateKey', { newKey: 'ab'.repeat(32) }));
    chain.fails('not_allowed', alice, identity('rotateKey', { newKey: alice.publicKey }));
  });
});

describe('genesis', () => {
  it('refuses a malformed section and roles for unregistered accounts', () => {
    expect(
      () => new TestChain({ contracts: { identity: { accounts: [{ address: 'nope', kind: 'person' }] } } }),
    ).toThrow(/identity/);
    expect(
      () =>
        new TestChain({
          contracts: { identity: { roles: [{ subject: dave.address, app: 'a', role: 'b' }] } },
        }),
    ).toThrow(/not registered/);
  });
});
