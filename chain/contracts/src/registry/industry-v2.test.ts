// Registry v2: an industry code whose section letter and division disagree (A3971: section A is
// agriculture, division 39 electronics manufacturing) is refused by every action that carries one, with
// words that say which section the division is of; v1, which old blocks replay with, still takes it.
import { toHex, type Value, type ValueMap } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { accounts, call, demoGenesis, suite, TestChain, testAccount } from '../../test/chain';
import { startOfDayMs, withChinaCalendars } from '../calendar/calendar';
import { withNewChainActivations } from '../index';
import { completeUscc, industryMismatch, orgCodeCheckChar } from './codes';
import { registryContract } from './contract';
import { registryContractV2 } from './contract-v2';
import { enterpriseOf, type ImportRecord, importRoot } from './views';

const { alice } = accounts;
const registrar = testAccount(suite, 40);
const cqc = testAccount(suite, 41);
const ALIYUN = '91330106673959654P';

function chainOn(version: 1 | 2): TestChain {
  const g = demoGenesis() as {
    governance: { authorities: Value[]; activations?: Value[] };
    identity: { accounts: Value[]; roles: Value[] };
  } & Record<string, Value>;
  g.governance.authorities.push({
    address: registrar.address,
    name: '杭州市市场监督管理局',
    scopes: ['registry'],
  });
  g.identity.accounts.push({ address: cqc.address, kind: 'organization' });
  g.identity.roles.push({ subject: cqc.address, app: 'registry', role: 'certifier' });
  if (version === 2) g.governance.activations = [{ contract: 'registry', version: 2 }];
  const chain = new TestChain({
    contracts: withChinaCalendars(g),
    extra: [registryContract, registryContractV2],
  });
  chain.skip(startOfDayMs('2024-03-01') - chain.time);
  return chain;
}

const registration = (industry: string) => ({
  uscc: ALIYUN,
  name: '阿里云计算有限公司',
  legalForm: 'limited_company',
  capital: 100_000_000_00n,
  address: '浙江省杭州市西湖区转塘科技经济区块12号',
  industry,
  establishedOn: '2008-04-08',
  authority: registrar.address,
});
const registry = (name: string, params: Record<string, unknown>) =>
  call('registry', name, params as ValueMap);

function registered(chain: TestChain) {
  chain.ok(alice, registry('register', registration('I6450')));
  chain.ok(
    registrar,
    registry('decideRegistration', { uscc: ALIYUN, decision: 'accept', reason: '材料齐全' }),
  );
}

describe('industryMismatch', () => {
  it('agrees with every division of its section, names the section of one that is not', () => {
    expect(industryMismatch('C3971')).toBeUndefined();
    expect(industryMismatch('I6450')).toBeUndefined();
    expect(industryMismatch('C')).toBeUndefined();
    expect(industryMismatch('K70')).toBeUndefined();
    expect(industryMismatch('A3971')).toBe('division 39 is of section C, not A');
    expect(industryMismatch('C98')).toBe('no section of GB/T 4754-2017 has division 98');
    expect(industryMismatch('T00')).toBe('no section of GB/T 4754-2017 has division 00');
  });
});

describe('registry v2 refuses a code whose letter and division disagree', () => {
  it('on registering, with words; v1 (old blocks) still takes it', () => {
    const v2 = chainOn(2);
    expect(v2.fails('invalid_params', alice, registry('register', registration('A3971')))).toContain(
      'industry A3971: division 39 is of section C, not A',
    );
    expect(enterpriseOf(v2.store, ALIYUN)).toBeUndefined();
    v2.ok(alice, registry('register', registration('C3971')));

    const v1 = chainOn(1);
    v1.ok(alice, registry('register', registration('A3971')));
    expect(enterpriseOf(v1.store, ALIYUN)?.industry).toBe('A3971');
  });

  it('on a change filing, a certificate and a supply–demand post', () => {
    const chain = chainOn(2);
    registered(chain);
    const change = {
      uscc: ALIYUN,
      changes: { industry: 'G3971' },
      effectiveOn: '2024-04-01',
      reason: '变更',
    };
    expect(chain.fails('invalid_params', alice, registry('fileChange', change))).toContain(
      'section C, not G',
    );
    chain.ok(alice, registry('fileChange', { ...change, changes: { industry: 'I6510' } }));

    const cert = {
      holder: ALIYUN,
      no: 'CQC24001234567',
      scheme: 'CCC',
      scope: '电动自行车用锂离子蓄电池',
      standard: 'GB 43854-2024',
      product: '锂离子电池组',
      industry: 'D3841',
      classification: 'CPC 46410',
      validFrom: startOfDayMs('2024-03-01'),
      validUntil: startOfDayMs('2029-03-01'),
    };
    expect(chain.fails('invalid_params', cqc, registry('issueCertificate', cert))).toContain(
      'section C, not D',
    );
    chain.ok(cqc, registry('issueCertificate', { ...cert, industry: 'C3841' }));

    const post = {
      uscc: ALIYUN,
      kind: 'offer',
      industry: 'C99',
      classification: 'CPC 46410',
      item: '锂离子电池组',
      quantity: 5_000n,
      unit: '套',
      region: '330106',
      deliverFrom: '2024-04-01',
      deliverUntil: '2024-12-31',
      priceMin: 80_000n,
      priceMax: 120_000n,
    };
    expect(chain.fails('invalid_params', alice, registry('post', post))).toContain('has division 99');
    chain.ok(alice, registry('post', { ...post, industry: 'C38' }));
  });

  it('on a legacy register batch, refused whole for one record', () => {
    const chain = chainOn(2);
    const record = (n: number, industry: string): ImportRecord => {
      const org8 = String(30_000_000 + n);
      return {
        uscc: completeUscc(`91310115${org8}${orgCodeCheckChar(org8)}`),
        name: `上海某某贸易有限公司${n}`,
        legalForm: 'limited_company',
        capital: 100_000n,
        address: `上海市浦东新区某路 ${n} 号`,
        industry,
        establishedOn: '2010-05-06',
        representative: alice.address,
      };
    };
    const batch = (records: ImportRecord[]) =>
      registry('importBatch', {
        root: toHex(importRoot(suite.hash, records)),
        records: records.map((r) => ({ ...r })),
      });
    const bad = [record(1, 'F5191'), record(2, 'F1391')];
    expect(chain.fails('invalid_params', registrar, batch(bad))).toContain('industry F1391');
    expect(enterpriseOf(chain.store, bad[0]!.uscc)).toBeUndefined();
    chain.ok(registrar, batch([record(1, 'F5191'), record(2, 'C1391')]));
  });

  it('runs from genesis on a new chain', () => {
    const genesis: Record<string, unknown> = withNewChainActivations({ identity: {} });
    expect(genesis.governance).toMatchObject({
      activations: expect.arrayContaining([{ contract: 'registry', version: 2 }]),
    });
  });
});
