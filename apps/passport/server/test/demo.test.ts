import { IDENTITY_SCOPE } from '@gongxin/contracts';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passportKeysFrom } from '../src/crypto';
import { demoAccounts, passportGenesis } from '../src/demo';
import { checkIdNumber } from '../src/idNumber';
import { type Harness, startHarness } from './harness';

describe('demo accounts and genesis', () => {
  it('are deterministic, with valid invented numbers, and the sections the contracts expect', () => {
    const suite = getSuite('ed25519-sha256');
    const a = demoAccounts(suite);
    expect(demoAccounts(suite)).toEqual(a);
    expect(a.map((x) => x.id)).toEqual(
      expect.arrayContaining([
        'identity-authority',
        'welfare-caseworker',
        'food-inspector',
        'solar-owner',
        'solar-buyer',
        'grid-operator',
        'enterprise-farm',
        'food-retailer',
        'enterprise-solar',
        'channel-hub',
      ]),
    );
    for (const account of a) expect(checkIdNumber(account.kind, account.idNumber).ok, account.id).toBe(true);
    expect(a.filter((x) => x.kind === 'organization')).toHaveLength(6);
    // The food app's farm and store can be driven from the sign-in page.
    const foodRoles = a.flatMap((x) =>
      x.roles.filter((r) => r.app === 'food').map((r) => `${x.id}:${r.role}`),
    );
    expect(foodRoles).toEqual(
      expect.arrayContaining(['food-inspector:inspector', 'enterprise-farm:farm', 'food-retailer:retailer']),
    );

    const keys = passportKeysFrom(new Uint8Array(32).fill(3));
    const genesis = passportGenesis(a, keys);
    expect(genesis.governance.authorities.filter((x) => x.scopes.includes(IDENTITY_SCOPE))).toEqual([
      expect.objectContaining({ address: a[0]!.address, scopes: [IDENTITY_SCOPE] }),
    ]);
    expect(genesis.identity.accounts).toHaveLength(a.length);
    expect(genesis.identity.attestations.length).toBe(a.filter((x) => x.verified).length);
    expect(JSON.stringify(genesis)).not.toContain(a[0]!.idNumber);
    expect(JSON.stringify(genesis)).not.toContain(a[0]!.name);
  });
});

describe('with DEMO off', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ demo: false });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('offers no demo accounts and seeds no applications', async () => {
    expect(await h.caller(null).demo.accounts()).toEqual({ demo: false, password: null, accounts: [] });
    expect(
      await h.caller(h.userOf(h.demoAccount('identity-authority').address)).review.list({ status: 'all' }),
    ).toEqual([]);
  });
});
