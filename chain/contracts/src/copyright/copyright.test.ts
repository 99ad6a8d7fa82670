import { type Action, decodeCanonical, encodeCanonical, type Value, type ValueMap } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import {
  accounts,
  BLOCK_MS,
  call,
  chainId,
  demoGenesis,
  hash32,
  suite,
  type TestAccount,
  TestChain,
  testAccount,
} from '../../test/chain';
import { balanceOf } from '../assets/views';
import { consentMessage, copyrightContract, MAX_HOLDINGS } from './contract';
import { copyrightEvents } from './events';
import { ECONOMIC_RIGHTS, endOfYearInChina, SHARE_TOTAL } from './rights';
import {
  escrowOf,
  filingOf,
  licenceOf,
  listingOf,
  pledgeOf,
  pledgeRank,
  useCheck,
  workIdOfFile,
  workOf,
} from './views';

const { alice, bob, carol, dave, authority, mallory } = accounts;
/** Holds role copyright/reviewer. */
const reviewer = testAccount(suite, 30);
const erin = testAccount(suite, 31);

const Y = (year: number, month = 1, day = 1) => Date.UTC(year, month - 1, day) - 8 * 3_600_000;

function copyrightGenesis(): Record<string, Value> {
  const genesis = demoGenesis() as { identity: { accounts: Value[]; roles: Value[] } } & Record<
    string,
    Value
  >;
  genesis.identity.accounts.push(
    { address: dave.address, kind: 'person' },
    { address: reviewer.address, kind: 'organization' },
    { address: erin.address, kind: 'person' },
  );
  genesis.identity.roles.push({ subject: reviewer.address, app: 'copyright', role: 'reviewer' });
  return genesis;
}

/** The chain starts in 2023 so that terms, dates and years read naturally. */
const START = Y(2023, 3, 1);

class CopyrightChain extends TestChain {
  constructor() {
    super({ contracts: copyrightGenesis(), extra: [copyrightContract] });
    this.skip(START - this.time);
  }

  /** Runs one copyright action that must succeed; checks its events against the catalog. */
  act(account: TestAccount, name: string, params: Record<string, unknown>): [string, ValueMap][] {
    const { receipt, events } = this.run(account, cr(name, params));
    expect(receipt, receipt.message).toMatchObject({ ok: true });
    for (const e of events)
      if (e.contract === 'copyright') expect(copyrightEvents.check(e.name, e.attrs)).toEqual([]);
    expect(events.some((e) => e.contract === 'copyright')).toBe(true);
    return events.map((e) => [e.name, e.attrs]);
  }

  refuses(
    code: Parameters<TestChain['fails']>[0],
    account: TestAccount,
    name: string,
    params: Record<string, unknown>,
  ) {
    return this.fails(code, account, cr(name, params));
  }

  txId(account: TestAccount, name: string, params: Record<string, unknown>): string {
    const { receipt } = this.run(account, cr(name, params));
    expect(receipt, receipt.message).toMatchObject({ ok: true });
    return Buffer.from(receipt.txId).toString('hex');
  }
}

const cr = (name: string, params: Record<string, unknown>): Action =>
  call('copyright', name, params as never);

/** A party's co-signature of `name` with `params` on the work's current revision. */
function cosign(
  chain: TestChain,
  account: TestAccount,
  name: string,
  params: Record<string, unknown>,
  workId: string,
) {
  const rev = workOf(chain.store, workId)!.rev;
  const message = consentMessage(chainId, name, params, rev);
  return {
    signer: account.address,
    key: account.publicKey,
    signature: suite.sign(message, account.privateKey),
  };
}

const work = (extra: Record<string, unknown> = {}) => ({
  title: '《江南春雨》',
  category: 'photography',
  authorship: 'natural',
  authors: [alice.address],
  owners: [{ address: alice.address, share: SHARE_TOTAL }],
  createdAt: Y(2022, 4, 5),
  publishedAt: Y(2022, 5, 1),
  files: [
    {
      hash: hash32(0xa1),
      codes: ['ISCC:EEAQAAAAAAAAAAAA'],
      tool: '@gongxin/iscc 0.1.0',
      mediaType: 'image/jpeg',
    },
  ],
  originality: '作者于2022年清明在苏州拍摄，构图与光线选择为独立创作',
  ...extra,
});

/** Registers and approves a work; returns its id. */
function registered(
  chain: CopyrightChain,
  applicant: TestAccount = alice,
  extra: Record<string, unknown> = {},
  regNo?: string,
) {
  const id = chain.txId(applicant, 'registerWork', work(extra));
  chain.act(reviewer, 'reviewWork', {
    id,
    decision: 'approve',
    regNo: regNo ?? `国作登字-2023-G-${String(chain.height).padStart(8, '0')}`,
    reason: '材料齐全',
  });
  return id;
}

const CN = ['CN'];
const y2024 = { from: Y(2024), until: Y(2025) };

describe('registration', () => {
  it('records a pending work with its files and codes, then a reviewer registers it with a number', () => {
    const chain = new CopyrightChain();
    const { receipt, events } = chain.run(alice, cr('registerWork', work()));
    const id = Buffer.from(receipt.txId).toString('hex');
    expect(events.map((e) => [e.name, e.attrs])).toEqual([
      [
        'workSubmitted',
        {
          id,
          title: '《江南春雨》',
          category: 'photography',
          applicant: alice.address,
          authors: [alice.address],
          owners: [{ address: alice.address, share: SHARE_TOTAL }],
          files: [hash32(0xa1)],
          codes: ['ISCC:EEAQAAAAAAAAAAAA'],
        },
      ],
    ]);
    expect(workOf(chain.store, id)).toMatchObject({ status: 'pending', protectionUntil: null, rev: 0 });
    expect(workIdOfFile(chain.store, hash32(0xa1))).toBe(id);
    chain.refuses('not_allowed', alice, 'grantLicence', {
      workId: id,
      holding: 0,
      licensee: bob.address,
      exclusivity: 'non-exclusive',
    });
    chain.refuses('not_authorized', alice, 'reviewWork', {
      id,
      decision: 'approve',
      regNo: 'X-1',
      reason: '自审',
    });
    const reviewed = chain.act(reviewer, 'reviewWork', {
      id,
      decision: 'approve',
      regNo: '国作登字-2023-G-00000001',
      reason: '材料齐全',
    });
    expect(reviewed[0]).toEqual([
      'workReviewed',
      {
        id,
        decision: 'approve',
        regNo: '国作登字-2023-G-00000001',
        reason: '材料齐全',
        by: reviewer.address,
      },
    ]);
    expect(workOf(chain.store, id)).toMatchObject({
      status: 'registered',
      regNo: '国作登字-2023-G-00000001',
      holdings: [
        {
          id: 0,
          rights: [...ECONOMIC_RIGHTS],
          territory: ['*'],
          owners: [{ address: alice.address, share: SHARE_TOTAL }],
        },
      ],
    });
    chain.refuses('not_allowed', reviewer, 'reviewWork', { id, decision: 'reject', reason: '重复审查' });
    const other = chain.txId(
      bob,
      'registerWork',
      work({
        authors: [bob.address],
        owners: [{ address: bob.address, share: SHARE_TOTAL }],
        files: [{ hash: hash32(0xb1), codes: [], tool: 't' }],
      }),
    );
    const reused = chain.refuses('already_exists', reviewer, 'reviewWork', {
      id: other,
      decision: 'approve',
      regNo: '国作登字-2023-G-00000001',
      reason: 'x',
    });
    expect(reused).toContain(id);
    chain.act(reviewer, 'reviewWork', { id: other, decision: 'reject', reason: '独创性说明不足' });
    expect(workOf(chain.store, other)?.status).toBe('rejected');
  });

  it('refuses what the law does not protect, with the reason', () => {
    const chain = new CopyrightChain();
    for (const category of ['law', 'news', 'calendar', 'numeric_table', 'form', 'formula']) {
      const message = chain.refuses(
        'not_allowed',
        alice,
        'registerWork',
        work({ category, files: [{ hash: hash32(category.length), codes: [], tool: 't' }] }),
      );
      expect(message).toContain('Art. 5');
    }
    chain.refuses('invalid_params', alice, 'registerWork', work({ category: 'recipe' }));
  });

  it('refuses bad shares, strangers, unknown authors, a file recorded before, dates ahead and expired works', () => {
    const chain = new CopyrightChain();
    const two = (a: number, b: number) => [
      { address: alice.address, share: a },
      { address: bob.address, share: b },
    ];
    chain.refuses('invalid_params', alice, 'registerWork', work({ owners: two(5000, 4999) }));
    chain.refuses('invalid_params', alice, 'registerWork', work({ owners: two(5000, 5001) }));
    chain.refuses(
      'invalid_params',
      alice,
      'registerWork',
      work({
        owners: [
          { address: alice.address, share: 0 },
          { address: bob.address, share: SHARE_TOTAL },
        ],
      }),
    );
    chain.refuses('invalid_params', alice, 'registerWork', work({ authors: [alice.address, alice.address] }));
    chain.refuses('invalid_params', alice, 'registerWork', work({ publishedAt: Y(2021) }));
    chain.refuses(
      'invalid_params',
      alice,
      'registerWork',
      work({ files: [{ hash: hash32(1), codes: ['ISCC:lowercase'], tool: 't' }] }),
    );
    chain.refuses('not_authorized', carol, 'registerWork', work());
    chain.refuses('not_found', mallory, 'registerWork', work({ authors: [mallory.address] }));
    chain.refuses('not_found', alice, 'registerWork', work({ authors: [alice.address, mallory.address] }));
    chain.refuses(
      'not_allowed',
      alice,
      'registerWork',
      work({ createdAt: chain.time + 10 * BLOCK_MS, publishedAt: undefined }),
    );
    chain.refuses(
      'expired',
      alice,
      'registerWork',
      work({ authorship: 'legal', createdAt: Y(1950), publishedAt: Y(1960) }),
    );
    chain.act(alice, 'registerWork', work());
    expect(
      chain.refuses(
        'already_exists',
        bob,
        'registerWork',
        work({ authors: [bob.address], owners: [{ address: bob.address, share: SHARE_TOTAL }] }),
      ),
    ).toContain(hash32(0xa1));
  });

  it('a reviewer cannot review a work of their own', () => {
    const chain = new CopyrightChain();
    const id = chain.txId(
      reviewer,
      'registerWork',
      work({
        authorship: 'legal',
        authors: [reviewer.address],
        owners: [{ address: reviewer.address, share: SHARE_TOTAL }],
      }),
    );
    chain.refuses('not_allowed', reviewer, 'reviewWork', {
      id,
      decision: 'approve',
      regNo: 'R-1',
      reason: 'x',
    });
  });
});

describe('term of protection', () => {
  it('is open while the author lives, then runs to 31 December of the 50th year after death', () => {
    const chain = new CopyrightChain();
    const id = registered(chain);
    chain.refuses('not_authorized', alice, 'recordAuthorDeath', {
      id,
      author: alice.address,
      diedAt: Y(2023, 1, 2),
    });
    chain.refuses('not_found', reviewer, 'recordAuthorDeath', {
      id,
      author: bob.address,
      diedAt: Y(2023, 1, 2),
    });
    chain.refuses('not_allowed', reviewer, 'recordAuthorDeath', {
      id,
      author: alice.address,
      diedAt: chain.time + 60_000,
    });
    const events = chain.act(reviewer, 'recordAuthorDeath', {
      id,
      author: alice.address,
      diedAt: Y(2023, 1, 2),
    });
    expect(events[0]![1]).toMatchObject({ protectionUntil: endOfYearInChina(2073) });
    chain.refuses('already_exists', reviewer, 'recordAuthorDeath', {
      id,
      author: alice.address,
      diedAt: Y(2023, 1, 2),
    });
    // A licence may run to the end of the term but not start after it.
    chain.refuses('expired', alice, 'grantLicence', {
      workId: id,
      holding: 0,
      licensee: bob.address,
      exclusivity: 'non-exclusive',
      from: endOfYearInChina(2073),
    });
    expect(
      useCheck(chain.store, id, {
        actor: mallory.address,
        right: 'adaptation',
        territory: 'CN',
        time: endOfYearInChina(2073),
      }),
    ).toEqual({
      allowed: true,
      basis: 'public_domain',
    });
  });

  it('legal-person works run 50 years from publication', () => {
    const chain = new CopyrightChain();
    const id = registered(chain, carol, {
      authorship: 'legal',
      authors: [carol.address],
      owners: [{ address: carol.address, share: SHARE_TOTAL }],
      createdAt: Y(2020, 6),
      publishedAt: Y(2021, 3),
    });
    expect(workOf(chain.store, id)?.protectionUntil).toBe(endOfYearInChina(2071));
  });
});

describe('licences on chain', () => {
  const licence = (
    workId: string,
    licensee: TestAccount,
    exclusivity: string,
    extra: Record<string, unknown> = {},
  ) => ({
    workId,
    holding: 0,
    licensee: licensee.address,
    rights: ['network'],
    territory: CN,
    ...y2024,
    exclusivity,
    ...extra,
  });

  it('refuses a second exclusive licence and a non-exclusive one inside it, allows what lies apart', () => {
    const chain = new CopyrightChain();
    const id = registered(chain);
    const events = chain.act(
      alice,
      'grantLicence',
      licence(id, bob, 'exclusive', { duties: ['attribute'], fee: { symbol: 'CNYX', amount: 50_000 } }),
    );
    const licenceId = events[0]![1].id as string;
    expect(licenceOf(chain.store, licenceId)).toMatchObject({
      licensee: bob.address,
      exclusivity: 'exclusive',
      status: 'active',
      licensors: [alice.address],
    });
    expect(chain.refuses('not_allowed', alice, 'grantLicence', licence(id, carol, 'exclusive'))).toContain(
      'exclusive_overlap',
    );
    expect(
      chain.refuses(
        'not_allowed',
        alice,
        'grantLicence',
        licence(id, carol, 'non-exclusive', { territory: ['*'] }),
      ),
    ).toContain('inside_exclusive');
    expect(
      chain.refuses(
        'not_allowed',
        alice,
        'grantLicence',
        licence(id, carol, 'non-exclusive', { from: Y(2024, 12), until: Y(2026) }),
      ),
    ).toContain(licenceId);
    chain.act(alice, 'grantLicence', licence(id, carol, 'exclusive', { territory: ['*', '!CN'] }));
    chain.act(alice, 'grantLicence', licence(id, carol, 'exclusive', { from: Y(2025), until: Y(2026) }));
    chain.act(
      alice,
      'grantLicence',
      licence(id, dave, 'non-exclusive', { rights: ['reproduction', 'distribution'] }),
    );
    expect(
      chain.refuses(
        'not_allowed',
        alice,
        'grantLicence',
        licence(id, erin, 'sole', { rights: ['reproduction'] }),
      ),
    ).toContain('exclusive_over_licensed');
    expect(
      useCheck(chain.store, id, { actor: bob.address, right: 'network', territory: 'CN', time: Y(2024, 6) }),
    ).toMatchObject({ allowed: true, basis: 'licence', licenceId, duties: ['attribute'] });
    expect(
      useCheck(chain.store, id, {
        actor: alice.address,
        right: 'network',
        territory: 'CN',
        time: Y(2024, 6),
      }),
    ).toMatchObject({ allowed: false, reason: 'exclusive_licence' });
    expect(
      useCheck(chain.store, id, { actor: bob.address, right: 'network', territory: 'JP', time: Y(2024, 6) }),
    ).toMatchObject({ allowed: false });
  });

  it('refuses moral rights, grants outside the holding, self-licences, strangers and unknown licensees', () => {
    const chain = new CopyrightChain();
    const id = registered(chain);
    chain.refuses(
      'invalid_params',
      alice,
      'grantLicence',
      licence(id, bob, 'exclusive', { rights: ['attribution'] }),
    );
    chain.refuses(
      'invalid_params',
      alice,
      'grantLicence',
      licence(id, bob, 'exclusive', { territory: ['China'] }),
    );
    chain.refuses('invalid_params', alice, 'grantLicence', licence(id, bob, 'exclusive', { until: Y(2023) }));
    chain.refuses('invalid_params', alice, 'grantLicence', licence(id, bob, 'forever'));
    chain.refuses('not_allowed', alice, 'grantLicence', licence(id, bob, 'exclusive', { from: Y(2020) }));
    chain.refuses('not_allowed', alice, 'grantLicence', licence(id, alice, 'exclusive'));
    chain.refuses('not_found', alice, 'grantLicence', licence(id, mallory, 'exclusive'));
    chain.refuses('not_found', alice, 'grantLicence', licence(id, bob, 'exclusive', { holding: 7 }));
    chain.refuses('not_found', alice, 'grantLicence', licence(hash32(5), bob, 'exclusive'));
    expect(chain.refuses('not_authorized', carol, 'grantLicence', licence(id, bob, 'exclusive'))).toContain(
      `${alice.address} (owner)`,
    );
  });

  it('a co-owned work is licensed with every owner: co-signatures are checked, bound to the revision and not replayable', () => {
    const chain = new CopyrightChain();
    const id = registered(chain, alice, {
      authors: [alice.address, bob.address],
      owners: [
        { address: alice.address, share: 6000 },
        { address: bob.address, share: 4000 },
      ],
    });
    const params = licence(id, carol, 'non-exclusive');
    expect(chain.refuses('not_authorized', alice, 'grantLicence', params)).toContain(
      `${bob.address} (owner)`,
    );
    const good = cosign(chain, bob, 'grantLicence', params, id);
    // Signed by the wrong key, over other terms, or by someone claiming to be bob.
    const forged = {
      ...good,
      signature: suite.sign(
        consentMessage(chainId, 'grantLicence', params, workOf(chain.store, id)!.rev),
        carol.privateKey,
      ),
    };
    expect(
      chain.refuses('not_authorized', alice, 'grantLicence', { ...params, cosignatures: [forged] }),
    ).toContain('does not verify');
    const otherTerms = cosign(chain, bob, 'grantLicence', { ...params, territory: ['*'] }, id);
    chain.refuses('not_authorized', alice, 'grantLicence', { ...params, cosignatures: [otherTerms] });
    chain.refuses('not_authorized', alice, 'grantLicence', {
      ...params,
      cosignatures: [{ ...good, key: carol.publicKey }],
    });
    chain.refuses('invalid_params', alice, 'grantLicence', { ...params, cosignatures: [good, good] });
    chain.act(alice, 'grantLicence', { ...params, cosignatures: [good] });
    // The same consent cannot be used again: the work's revision moved on.
    chain.refuses('not_authorized', alice, 'grantLicence', {
      ...licence(id, carol, 'non-exclusive'),
      cosignatures: [good],
    });
  });

  it('a Creative Commons licence is public, irrevocable and checked like any other', () => {
    const chain = new CopyrightChain();
    const id = registered(chain);
    chain.act(alice, 'grantLicence', licence(id, bob, 'exclusive', { rights: ['translation'] }));
    expect(
      chain.refuses('not_allowed', alice, 'offerCc', { workId: id, holding: 0, cc: 'CC-BY-4.0' }),
    ).toContain('inside_exclusive');
    const events = chain.act(alice, 'offerCc', { workId: id, holding: 0, cc: 'CC-BY-NC-ND-4.0' });
    const ccId = events[0]![1].id as string;
    expect(licenceOf(chain.store, ccId)).toMatchObject({
      licensee: '*',
      cc: 'CC-BY-NC-ND-4.0',
      prohibitions: ['commercialUse', 'derive'],
    });
    const time = chain.time;
    expect(
      useCheck(chain.store, id, {
        actor: mallory.address,
        right: 'network',
        territory: 'FR',
        time,
        purpose: 'non-commercial',
      }),
    ).toMatchObject({ allowed: true, licenceId: ccId });
    expect(
      useCheck(chain.store, id, { actor: mallory.address, right: 'network', territory: 'FR', time }),
    ).toMatchObject({ allowed: false, reason: 'prohibited' });
    chain.refuses(
      'not_allowed',
      alice,
      'grantLicence',
      licence(id, carol, 'exclusive', { ...y2024, from: chain.time, until: chain.time + 86_400_000 }),
    );
    chain.refuses('not_authorized', bob, 'surrenderLicence', { id: ccId, reason: 'x' });
    chain.refuses('invalid_params', alice, 'offerCc', { workId: id, holding: 0, cc: 'CC-BY-3.0' });
  });

  it('a licensee may surrender its licence, which frees the right', () => {
    const chain = new CopyrightChain();
    const id = registered(chain);
    const licenceId = chain.act(alice, 'grantLicence', licence(id, bob, 'exclusive'))[0]![1].id as string;
    chain.refuses('not_authorized', alice, 'surrenderLicence', { id: licenceId, reason: '协商解除' });
    chain.act(bob, 'surrenderLicence', { id: licenceId, reason: '协商解除' });
    chain.refuses('not_allowed', bob, 'surrenderLicence', { id: licenceId, reason: 'again' });
    chain.act(alice, 'grantLicence', licence(id, carol, 'exclusive'));
  });
});

describe('transfers', () => {
  it('are contract filings that split the holding and keep existing licences', () => {
    const chain = new CopyrightChain();
    const id = registered(chain);
    const licenceId = chain.act(alice, 'grantLicence', {
      workId: id,
      holding: 0,
      licensee: bob.address,
      rights: ['network'],
      territory: CN,
      ...y2024,
      exclusivity: 'exclusive',
    })[0]![1].id as string;
    const transfer = {
      workId: id,
      holding: 0,
      rights: ['network', 'reproduction'],
      territory: CN,
      to: [{ address: dave.address, share: SHARE_TOTAL }],
      contractHash: hash32(0xc0),
    };
    chain.refuses('not_authorized', dave, 'transferRights', transfer);
    const events = chain.act(alice, 'transferRights', transfer);
    const filing = events.find(([n]) => n === 'rightsTransferred')![1];
    expect(filing).toMatchObject({
      workId: id,
      from: [{ address: alice.address, share: SHARE_TOTAL }],
      to: [{ address: dave.address, share: SHARE_TOTAL }],
      reason: 'contract',
      signedBy: [alice.address],
    });
    expect(filingOf(chain.store, filing.filing as string)).toMatchObject({ contractHash: hash32(0xc0) });
    const holdings = workOf(chain.store, id)!.holdings;
    expect(holdings.find((h) => h.owners[0]!.address === dave.address)).toMatchObject({
      rights: ['reproduction', 'network'],
      territory: ['CN'],
    });
    expect(
      holdings
        .filter((h) => h.owners[0]!.address === alice.address)
        .map((h) => [h.rights.length, h.territory]),
    ).toEqual([
      [11, ['*']],
      [2, ['*', '!CN']],
    ]);
    // The licence granted before the transfer still stands, against the new owner too.
    expect(licenceOf(chain.store, licenceId)?.status).toBe('active');
    expect(
      useCheck(chain.store, id, { actor: bob.address, right: 'network', territory: 'CN', time: Y(2024, 6) }),
    ).toMatchObject({ allowed: true, licenceId });
    expect(
      useCheck(chain.store, id, { actor: dave.address, right: 'network', territory: 'CN', time: Y(2024, 6) }),
    ).toMatchObject({ allowed: false, reason: 'exclusive_licence' });
    expect(
      useCheck(chain.store, id, {
        actor: dave.address,
        right: 'reproduction',
        territory: 'CN',
        time: Y(2024, 6),
      }),
    ).toMatchObject({ allowed: true, basis: 'owner' });
    const daveHolding = holdings.find((h) => h.owners[0]!.address === dave.address)!.id;
    expect(
      chain.refuses('not_allowed', dave, 'grantLicence', {
        workId: id,
        holding: daveHolding,
        licensee: carol.address,
        rights: ['network'],
        territory: CN,
        ...y2024,
        exclusivity: 'non-exclusive',
      }),
    ).toContain('inside_exclusive');
    // Alice no longer holds network rights in China.
    const alicesRest = holdings.find(
      (h) => h.owners[0]!.address === alice.address && h.territory[0] === '*' && h.rights.length === 11,
    )!.id;
    chain.refuses('not_allowed', alice, 'grantLicence', {
      workId: id,
      holding: alicesRest,
      licensee: carol.address,
      rights: ['network'],
      territory: CN,
      ...y2024,
      exclusivity: 'non-exclusive',
    });
    chain.refuses('invalid_params', alice, 'transferRights', {
      ...transfer,
      to: [{ address: dave.address, share: 9999 }],
    });
  });
});

describe('holdings', () => {
  it('a work is split into at most MAX_HOLDINGS holdings', () => {
    const chain = new CopyrightChain();
    const id = registered(chain);
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (let n = 0; ; n++) {
      const holdings = workOf(chain.store, id)!.holdings;
      const rest =
        holdings.find((h) => h.owners[0]!.address === alice.address && h.rights.length === 1) ??
        holdings.find((h) => h.owners[0]!.address === alice.address)!;
      const transfer = {
        workId: id,
        holding: rest.id,
        rights: ['network'],
        territory: [`${letters[Math.floor(n / 26)]}${letters[n % 26]}`],
        to: [{ address: dave.address, share: SHARE_TOTAL }],
        contractHash: hash32(n + 1),
      };
      if (holdings.length < MAX_HOLDINGS) chain.act(alice, 'transferRights', transfer);
      else {
        expect(chain.refuses('limit_exceeded', alice, 'transferRights', transfer)).toContain(
          `at most ${MAX_HOLDINGS}`,
        );
        break;
      }
    }
  }, 60_000);
});

describe('pledges', () => {
  function pledged(chain: CopyrightChain) {
    const id = registered(chain);
    const pledge = {
      workId: id,
      holding: 0,
      pledgee: bob.address,
      debt: { symbol: 'CNYX', amount: 3_000_000 },
      dueAt: Y(2024),
      contractHash: hash32(0xd1),
    };
    chain.refuses('not_authorized', alice, 'pledge', pledge);
    const events = chain.act(alice, 'pledge', {
      ...pledge,
      cosignatures: [cosign(chain, bob, 'pledge', pledge, id)],
    });
    return { id, pledgeId: events[0]![1].id as string };
  }

  it('block transfer and licence without the pledgee; its co-signature lets them through', () => {
    const chain = new CopyrightChain();
    const { id, pledgeId } = pledged(chain);
    expect(pledgeOf(chain.store, pledgeId)).toMatchObject({
      status: 'active',
      pledgee: bob.address,
      pledgors: [alice.address],
    });
    const transfer = {
      workId: id,
      holding: 0,
      rights: ['network'],
      to: [{ address: dave.address, share: SHARE_TOTAL }],
      contractHash: hash32(0xc1),
    };
    expect(chain.refuses('not_authorized', alice, 'transferRights', transfer)).toContain(
      `pledgee of pledge ${pledgeId}`,
    );
    const grant = {
      workId: id,
      holding: 0,
      licensee: carol.address,
      rights: ['network'],
      territory: CN,
      ...y2024,
      exclusivity: 'exclusive',
    };
    expect(chain.refuses('not_authorized', alice, 'grantLicence', grant)).toContain(bob.address);
    chain.refuses('not_authorized', alice, 'offerCc', { workId: id, holding: 0, cc: 'CC-BY-4.0' });
    chain.refuses('not_authorized', alice, 'list', {
      workId: id,
      holding: 0,
      kind: 'licence',
      price: { symbol: 'CNYX', amount: 100 },
    });
    chain.act(alice, 'grantLicence', {
      ...grant,
      cosignatures: [cosign(chain, bob, 'grantLicence', grant, id)],
    });
    chain.act(alice, 'transferRights', {
      ...transfer,
      cosignatures: [cosign(chain, bob, 'transferRights', transfer, id)],
    });
    // The pledgee may also send the action itself, with the owner's co-signature.
    const rest = workOf(chain.store, id)!.holdings.find((h) => h.rights.includes('translation'))!;
    const second = { ...transfer, holding: rest.id, rights: ['translation'] };
    chain.act(bob, 'transferRights', {
      ...second,
      cosignatures: [cosign(chain, alice, 'transferRights', second, id)],
    });
  });

  it('rank by block height; only the first may enforce, and only when due; enforcement hands the right over', () => {
    const chain = new CopyrightChain();
    const { id, pledgeId } = pledged(chain);
    const junior = {
      workId: id,
      holding: 0,
      rights: ['network'],
      pledgee: carol.address,
      debt: { symbol: 'CNYX', amount: 100_000 },
      dueAt: Y(2023, 6),
      contractHash: hash32(0xd2),
    };
    const events = chain.act(carol, 'pledge', {
      ...junior,
      cosignatures: [cosign(chain, alice, 'pledge', junior, id)],
    });
    const juniorId = events[0]![1].id as string;
    expect(events[0]![1].rank).toBe(2);
    expect(pledgeRank(chain.store, pledgeId)).toBe(1);
    expect(pledgeRank(chain.store, juniorId)).toBe(2);
    chain.refuses('not_allowed', carol, 'enforcePledge', { id: juniorId });
    chain.skip(Y(2023, 7) - chain.time);
    expect(chain.refuses('not_allowed', carol, 'enforcePledge', { id: juniorId })).toContain(pledgeId);
    chain.refuses('not_allowed', bob, 'enforcePledge', { id: pledgeId });
    chain.refuses('not_authorized', alice, 'enforcePledge', { id: pledgeId });
    chain.skip(Y(2024) - chain.time);
    chain.act(bob, 'enforcePledge', { id: pledgeId });
    expect(pledgeOf(chain.store, pledgeId)?.status).toBe('enforced');
    expect(workOf(chain.store, id)!.holdings.map((h) => h.owners)).toEqual([
      [{ address: bob.address, share: SHARE_TOTAL }],
    ]);
    // The junior pledge follows the right to its new owner and now ranks first.
    expect(pledgeRank(chain.store, juniorId)).toBe(1);
    chain.refuses('not_allowed', bob, 'releasePledge', { id: pledgeId });
    chain.refuses('not_authorized', bob, 'releasePledge', { id: juniorId });
    chain.act(carol, 'releasePledge', { id: juniorId });
    chain.refuses('not_allowed', carol, 'enforcePledge', { id: juniorId });
  });

  it('refuses a pledge to an owner, in an unknown asset or already due', () => {
    const chain = new CopyrightChain();
    const id = registered(chain);
    const base = {
      workId: id,
      holding: 0,
      pledgee: bob.address,
      debt: { symbol: 'CNYX', amount: 1 },
      dueAt: Y(2030),
      contractHash: hash32(1),
    };
    chain.refuses('not_allowed', alice, 'pledge', { ...base, pledgee: alice.address });
    chain.refuses('not_found', alice, 'pledge', { ...base, debt: { symbol: 'NOPE', amount: 1 } });
    chain.refuses('invalid_params', alice, 'pledge', { ...base, dueAt: Y(2023) });
    chain.refuses('invalid_params', alice, 'pledge', { ...base, debt: { symbol: 'CNYX', amount: 0 } });
  });
});

describe('escrow', () => {
  it('releases only on its named condition', () => {
    const chain = new CopyrightChain();
    const id = registered(chain);
    const pledge = {
      workId: id,
      holding: 0,
      pledgee: bob.address,
      debt: { symbol: 'CNYX', amount: 5_000 },
      dueAt: Y(2030),
      contractHash: hash32(2),
    };
    const pledgeId = chain.act(bob, 'pledge', {
      ...pledge,
      cosignatures: [cosign(chain, alice, 'pledge', pledge, id)],
    })[0]![1].id as string;
    const before = balanceOf(chain.store, 'CNYX', alice.address);
    const events = chain.act(alice, 'openEscrow', {
      payee: carol.address,
      symbol: 'CNYX',
      amount: 20_000,
      condition: { kind: 'pledgeReleased', pledgeId },
      refundAfter: Y(2024),
    });
    const escrowId = events.find(([n]) => n === 'escrowOpened')![1].id as string;
    expect(balanceOf(chain.store, 'CNYX', alice.address)).toBe(before - 20_000n);
    expect(chain.refuses('not_allowed', carol, 'releaseEscrow', { id: escrowId })).toContain(
      `pledgeReleased:${pledgeId}`,
    );
    chain.refuses('not_allowed', alice, 'refundEscrow', { id: escrowId });
    chain.act(bob, 'releasePledge', { id: pledgeId });
    chain.act(mallory, 'releaseEscrow', { id: escrowId });
    expect(balanceOf(chain.store, 'CNYX', carol.address)).toBe(20_000n);
    expect(escrowOf(chain.store, escrowId)).toMatchObject({
      status: 'released',
      closed: { by: mallory.address },
    });
    chain.refuses('not_allowed', carol, 'releaseEscrow', { id: escrowId });

    const approval = chain.act(alice, 'openEscrow', {
      payee: carol.address,
      symbol: 'CNYX',
      amount: 1_000,
      condition: { kind: 'approval', approver: dave.address },
      refundAfter: Y(2024),
    });
    const approvalId = approval.find(([n]) => n === 'escrowOpened')![1].id as string;
    chain.refuses('not_authorized', carol, 'releaseEscrow', { id: approvalId });
    chain.skip(Y(2024) - chain.time);
    chain.refuses('not_authorized', carol, 'refundEscrow', { id: approvalId });
    chain.act(alice, 'refundEscrow', { id: approvalId });
    chain.refuses('not_allowed', dave, 'releaseEscrow', { id: approvalId });

    const timed = chain.act(alice, 'openEscrow', {
      payee: carol.address,
      symbol: 'CNYX',
      amount: 7,
      condition: { kind: 'after', time: chain.time + 5 * BLOCK_MS },
      refundAfter: chain.time + 50 * BLOCK_MS,
    });
    const timedId = timed.find(([n]) => n === 'escrowOpened')![1].id as string;
    chain.refuses('not_allowed', carol, 'releaseEscrow', { id: timedId });
    chain.skip(60 * BLOCK_MS);
    chain.refuses('not_allowed', alice, 'refundEscrow', { id: timedId });
    chain.act(carol, 'releaseEscrow', { id: timedId });

    chain.refuses('insufficient_funds', bob, 'openEscrow', {
      payee: carol.address,
      symbol: 'CNYX',
      amount: 1_000_000,
      condition: { kind: 'after', time: 0 },
      refundAfter: Y(2030),
    });
    chain.refuses('not_allowed', bob, 'openEscrow', {
      payee: bob.address,
      symbol: 'CNYX',
      amount: 1,
      condition: { kind: 'after', time: 0 },
      refundAfter: Y(2030),
    });
    chain.refuses('not_found', bob, 'openEscrow', {
      payee: carol.address,
      symbol: 'CNYX',
      amount: 1,
      condition: { kind: 'registered', workId: hash32(9) },
      refundAfter: Y(2030),
    });
    chain.refuses('invalid_params', bob, 'openEscrow', {
      payee: carol.address,
      symbol: 'CNYX',
      amount: 1,
      condition: { kind: 'someday' },
      refundAfter: Y(2030),
    });
  });
});

describe('market', () => {
  function coOwned(chain: CopyrightChain) {
    return registered(chain, alice, {
      authors: [alice.address, carol.address],
      owners: [
        { address: alice.address, share: 6000 },
        { address: carol.address, share: 4000 },
      ],
    });
  }

  it('a purchase pays the owners by share to the fen and issues the licence in the same tx', () => {
    const chain = new CopyrightChain();
    const id = coOwned(chain);
    const listing = {
      workId: id,
      holding: 0,
      kind: 'licence',
      rights: ['network'],
      territory: CN,
      durationMs: 365 * 86_400_000,
      price: { symbol: 'CNYX', amount: 1001 },
      quantity: 2,
      duties: ['attribute'],
    };
    chain.refuses('not_authorized', alice, 'list', listing);
    const listed = chain.act(alice, 'list', {
      ...listing,
      cosignatures: [cosign(chain, carol, 'list', listing, id)],
    });
    const listingId = listed[0]![1].id as string;
    const { receipt, events } = chain.run(bob, cr('purchase', { listingId }));
    expect(receipt.ok, receipt.message).toBe(true);
    expect(events.map((e) => `${e.contract}.${e.name}`)).toEqual([
      'assets.transferred',
      'assets.transferred',
      'copyright.royaltiesPaid',
      'copyright.licenceGranted',
      'copyright.purchased',
    ]);
    expect(events[2]!.attrs).toMatchObject({
      total: 1001n,
      payments: [
        { to: alice.address, amount: 601n, share: 6000 },
        { to: carol.address, amount: 400n, share: 4000 },
      ],
    });
    expect(balanceOf(chain.store, 'CNYX', bob.address)).toBe(5_000n - 1001n);
    expect(balanceOf(chain.store, 'CNYX', carol.address)).toBe(400n);
    const licenceId = events[4]!.attrs.licenceId as string;
    expect(licenceOf(chain.store, licenceId)).toMatchObject({
      licensee: bob.address,
      listingId,
      grant: { from: chain.time, until: chain.time + 365 * 86_400_000 },
    });
    expect(listingOf(chain.store, listingId)).toMatchObject({ sold: 1, status: 'open' });
    chain.refuses('not_allowed', alice, 'purchase', { listingId });
    // Dave holds no CNYX: the purchase fails whole, no licence is issued (fails() checks nothing was written).
    chain.refuses('insufficient_funds', dave, 'purchase', { listingId });
  });

  it('refuses a buyer short of funds (no licence issued), an exclusive sold twice, a stale or cancelled listing', () => {
    const chain = new CopyrightChain();
    const id = registered(chain);
    const listingId = chain.act(alice, 'list', {
      workId: id,
      holding: 0,
      kind: 'licence',
      rights: ['performance'],
      territory: ['*'],
      ...y2024,
      exclusivity: 'exclusive',
      price: { symbol: 'CNYX', amount: 4_000 },
    })[0]![1].id as string;
    chain.refuses('insufficient_funds', dave, 'purchase', { listingId });
    chain.act(bob, 'purchase', { listingId });
    expect(listingOf(chain.store, listingId)?.status).toBe('sold');
    chain.refuses('not_allowed', carol, 'purchase', { listingId });
    // A second listing of the same exclusive licence cannot even be listed.
    expect(
      chain.refuses('not_allowed', alice, 'list', {
        workId: id,
        holding: 0,
        kind: 'licence',
        rights: ['performance'],
        territory: CN,
        ...y2024,
        exclusivity: 'exclusive',
        price: { symbol: 'CNYX', amount: 1 },
      }),
    ).toContain('exclusive_overlap');
    chain.refuses('invalid_params', alice, 'list', {
      workId: id,
      holding: 0,
      kind: 'licence',
      rights: ['network'],
      exclusivity: 'exclusive',
      quantity: 2,
      price: { symbol: 'CNYX', amount: 1 },
    });
    const second = chain.act(alice, 'list', {
      workId: id,
      holding: 0,
      kind: 'licence',
      rights: ['network'],
      durationMs: 86_400_000,
      price: { symbol: 'CNYX', amount: 10 },
      quantity: 5,
    })[0]![1].id as string;
    chain.refuses('not_authorized', bob, 'cancelListing', { id: second });
    chain.act(alice, 'cancelListing', { id: second });
    chain.refuses('not_allowed', bob, 'purchase', { listingId: second });
    // After the holding changes hands, an older listing is stale.
    const third = chain.act(alice, 'list', {
      workId: id,
      holding: 0,
      kind: 'licence',
      rights: ['network'],
      durationMs: 86_400_000,
      price: { symbol: 'CNYX', amount: 10 },
    })[0]![1].id as string;
    chain.act(alice, 'transferRights', {
      workId: id,
      holding: 0,
      rights: ['broadcasting'],
      to: [{ address: dave.address, share: SHARE_TOTAL }],
      contractHash: hash32(3),
    });
    expect(chain.refuses('not_allowed', bob, 'purchase', { listingId: third })).toContain('changed hands');
  });

  it('a pledge registered after the listing stops the sale until its pledgee consents', () => {
    const chain = new CopyrightChain();
    const id = registered(chain);
    const listingId = chain.act(alice, 'list', {
      workId: id,
      holding: 0,
      kind: 'licence',
      rights: ['network'],
      durationMs: 86_400_000,
      price: { symbol: 'CNYX', amount: 10 },
      quantity: 3,
    })[0]![1].id as string;
    const pledge = {
      workId: id,
      holding: 0,
      pledgee: dave.address,
      debt: { symbol: 'CNYX', amount: 9 },
      dueAt: Y(2030),
      contractHash: hash32(4),
    };
    chain.act(alice, 'pledge', { ...pledge, cosignatures: [cosign(chain, dave, 'pledge', pledge, id)] });
    expect(chain.refuses('not_authorized', bob, 'purchase', { listingId })).toContain(dave.address);
  });

  it('works on state a node reloaded (small amounts decoded as numbers)', () => {
    const chain = new CopyrightChain();
    const id = registered(chain);
    const listingId = chain.act(alice, 'list', {
      workId: id,
      holding: 0,
      kind: 'licence',
      rights: ['network'],
      durationMs: 86_400_000,
      price: { symbol: 'CNYX', amount: 300 },
    })[0]![1].id as string;
    const escrowId = chain
      .act(alice, 'openEscrow', {
        payee: carol.address,
        symbol: 'CNYX',
        amount: 50,
        condition: { kind: 'after', time: 0 },
        refundAfter: Y(2030),
      })
      .find(([n]) => n === 'escrowOpened')![1].id as string;
    const reloaded = new Map<string, Value>();
    for (const [key, value] of chain.store.scan('copyright/'))
      reloaded.set(key, decodeCanonical(encodeCanonical(value)));
    chain.store.apply(reloaded);
    expect(
      typeof (chain.store.get(`copyright/listing/${listingId}`) as { price: { amount: unknown } }).price
        .amount,
    ).toBe('number');
    expect(listingOf(chain.store, listingId)?.price.amount).toBe(300n);
    chain.act(bob, 'purchase', { listingId });
    chain.act(carol, 'releaseEscrow', { id: escrowId });
    expect(balanceOf(chain.store, 'CNYX', carol.address)).toBe(50n);
  });

  it('a rights listing sells the right itself: the buyer becomes the owner', () => {
    const chain = new CopyrightChain();
    const id = registered(chain);
    const listingId = chain.act(alice, 'list', {
      workId: id,
      holding: 0,
      kind: 'rights',
      rights: ['filming'],
      territory: CN,
      price: { symbol: 'CNYX', amount: 2_500 },
    })[0]![1].id as string;
    const events = chain.act(bob, 'purchase', { listingId });
    expect(events.map(([n]) => n)).toContain('rightsTransferred');
    expect(
      useCheck(chain.store, id, { actor: bob.address, right: 'filming', territory: 'CN', time: chain.time }),
    ).toMatchObject({ allowed: true, basis: 'owner' });
    expect(
      useCheck(chain.store, id, {
        actor: alice.address,
        right: 'filming',
        territory: 'CN',
        time: chain.time,
      }),
    ).toMatchObject({ allowed: false });
    expect(balanceOf(chain.store, 'CNYX', bob.address)).toBe(2_500n);
  });
});

describe('registry', () => {
  it('runs in the suite registry every node uses', async () => {
    const { createSuiteRegistry } = await import('../index');
    expect(createSuiteRegistry().names()).toContain('copyright');
    expect(authority.address).toMatch(/^gx1/);
  });
});
