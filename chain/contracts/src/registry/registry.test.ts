import type { Value, ValueMap } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import {
  accounts,
  call,
  demoGenesis,
  hash32,
  suite,
  type TestAccount,
  TestChain,
  testAccount,
} from '../../test/chain';
import { endOfDayMs, startOfDayMs, withChinaCalendars } from '../calendar/calendar';
import { completeUscc, orgCodeCheckChar } from './codes';
import { registryContract } from './contract';
import {
  annualReportDeadline,
  certificateOf,
  certificateStatusAt,
  enterpriseAt,
  enterpriseOf,
  inGoodStanding,
  listingStatusAt,
  orderOf,
  registryKeys,
  seriousAt,
  seriousNoticeAt,
} from './views';

const { alice, bob, carol, mallory } = accounts;
/** A registering authority (scope registry). */
const registrar = testAccount(suite, 40);
/** Certifying bodies (role registry/certifier). */
const cqc = testAccount(suite, 41);
const otherBody = testAccount(suite, 42);

const ALIYUN = '91330106673959654P';
const HUAWEI = '914403001922038216';
const generated = (n: number) => {
  const org8 = String(20_000_000 + n);
  return completeUscc(`91440300${org8}${orgCodeCheckChar(org8)}`);
};
const day = (date: string) => startOfDayMs(date);

function genesis(): Record<string, Value> {
  const g = demoGenesis() as {
    governance: { authorities: Value[] };
    identity: { accounts: Value[]; roles: Value[] };
  } & Record<string, Value>;
  g.governance.authorities.push({
    address: registrar.address,
    name: '深圳市市场监督管理局',
    scopes: ['registry'],
  });
  g.identity.accounts.push(
    { address: cqc.address, kind: 'organization' },
    { address: otherBody.address, kind: 'organization' },
  );
  g.identity.roles.push(
    { subject: cqc.address, app: 'registry', role: 'certifier' },
    { subject: otherBody.address, app: 'registry', role: 'certifier' },
  );
  return withChinaCalendars(g);
}

class RegistryChain extends TestChain {
  constructor(start = day('2024-03-01')) {
    super({ contracts: genesis(), extra: [registryContract] });
    this.skip(start - this.time);
  }
  to(time: number) {
    this.skip(time - this.time);
  }
  act(who: TestAccount, name: string, params: Record<string, unknown>): [string, ValueMap][] {
    return this.ok(who, call('registry', name, params as ValueMap));
  }
  refuses(
    code: Parameters<TestChain['fails']>[0],
    who: TestAccount,
    name: string,
    params: Record<string, unknown>,
  ) {
    return this.fails(code, who, call('registry', name, params as ValueMap));
  }
  txId(who: TestAccount, name: string, params: Record<string, unknown>): string {
    const { receipt } = this.run(who, call('registry', name, params as ValueMap));
    expect(receipt, receipt.message).toMatchObject({ ok: true });
    return Buffer.from(receipt.txId).toString('hex');
  }
  /** Registers and accepts an enterprise represented by `rep`. */
  enterprise(uscc: string, rep: TestAccount = alice, name = '阿里云计算有限公司') {
    this.act(rep, 'register', {
      uscc,
      name,
      legalForm: 'limited_company',
      capital: 100_000_000_00n,
      address: '浙江省杭州市西湖区转塘科技经济区块12号',
      industry: 'I6450',
      establishedOn: '2008-04-08',
      authority: registrar.address,
    });
    this.act(registrar, 'decideRegistration', { uscc, decision: 'accept', reason: '材料齐全' });
  }
}

const names = (events: [string, ValueMap][]) => events.map(([n]) => n);
const attrsOf = (events: [string, ValueMap][], name: string) => events.find(([n]) => n === name)?.[1];

describe('registration and changes', () => {
  it('registers on the representative filing and the authority accepting; changes keep previous names', () => {
    const chain = new RegistryChain();
    const filed = chain.act(alice, 'register', {
      uscc: ' ９１３３０１０６６７３９５９６５４ｐ ',
      name: '阿里云计算有限公司',
      legalForm: 'limited_company',
      capital: 10_000_000_000n,
      address: '杭州市西湖区',
      industry: 'I6450',
      establishedOn: '2008-04-08',
      authority: registrar.address,
      lei: 'HWUPKR0MPOU8FGXBT394',
    });
    expect(attrsOf(filed, 'registrationFiled')).toMatchObject({ uscc: ALIYUN });
    expect(enterpriseOf(chain.store, ALIYUN)?.life).toBe('pending');
    chain.act(registrar, 'decideRegistration', { uscc: ALIYUN, decision: 'accept', reason: '材料齐全' });
    expect(enterpriseOf(chain.store, ALIYUN)).toMatchObject({ life: 'active', reportsFrom: 2024 });

    const id = chain.txId(alice, 'fileChange', {
      uscc: ALIYUN,
      changes: { name: '阿里云计算股份有限公司', capital: 20_000_000_000n, representative: bob.address },
      effectiveOn: '2024-04-01',
      reason: '股份制改造',
    });
    const decided = chain.act(registrar, 'decideFiling', { id, decision: 'accept', reason: '核准' });
    expect(
      decided.filter(([n]) => n === 'enterpriseChanged').map(([, a]) => [a.field, a.from, a.to]),
    ).toEqual([
      ['name', '阿里云计算有限公司', '阿里云计算股份有限公司'],
      ['capital', '10000000000', '20000000000'],
      ['representative', alice.address, bob.address],
    ]);
    expect(enterpriseOf(chain.store, ALIYUN)).toMatchObject({
      name: '阿里云计算股份有限公司',
      previousNames: ['阿里云计算有限公司'],
      representative: bob.address,
    });
    // The old representative may no longer file.
    chain.refuses('not_authorized', alice, 'fileAnnualReport', { uscc: ALIYUN, year: 2024, hash: hash32(1) });
  });

  it('merges into an active successor and deregisters; an ended enterprise files nothing more', () => {
    const chain = new RegistryChain();
    chain.enterprise(ALIYUN);
    chain.enterprise(HUAWEI, bob, '华为技术有限公司');
    chain.refuses('not_allowed', alice, 'fileDeregistration', {
      uscc: ALIYUN,
      effectiveOn: '2024-05-01',
      reason: '吸收合并',
      successor: ALIYUN,
    });
    const id = chain.txId(alice, 'fileDeregistration', {
      uscc: ALIYUN,
      effectiveOn: '2024-05-01',
      reason: '吸收合并',
      successor: HUAWEI,
    });
    const events = chain.act(registrar, 'decideFiling', { id, decision: 'accept', reason: '核准' });
    expect(attrsOf(events, 'lifeChanged')).toMatchObject({ life: 'merged', successor: HUAWEI });
    expect(enterpriseOf(chain.store, ALIYUN)).toMatchObject({ life: 'merged', successor: HUAWEI });
    chain.refuses('not_allowed', alice, 'fileAnnualReport', { uscc: ALIYUN, year: 2024, hash: hash32(1) });
    chain.act(registrar, 'revokeLicence', {
      uscc: HUAWEI,
      decisionNo: '深市监处罚〔2024〕1号',
      reason: '吊销',
    });
    expect(enterpriseOf(chain.store, HUAWEI)?.life).toBe('revoked');
  });

  it('takes one deregistration or merger at a time; a rejected one makes way for the next', () => {
    const chain = new RegistryChain();
    chain.enterprise(ALIYUN);
    chain.enterprise(HUAWEI, bob, '华为技术有限公司');
    const ending = { uscc: ALIYUN, effectiveOn: '2024-05-01', reason: '决议解散' };
    const first = chain.txId(alice, 'fileDeregistration', ending);
    chain.refuses('not_allowed', alice, 'fileDeregistration', { ...ending, reason: '经营期限届满' });
    chain.refuses('not_allowed', alice, 'fileDeregistration', { ...ending, successor: HUAWEI });
    // A change filing is no ending: it may still be filed beside it.
    chain.act(alice, 'fileChange', { ...ending, changes: { address: '浙江省杭州市西湖区' }, reason: '迁址' });
    chain.act(registrar, 'decideFiling', { id: first, decision: 'reject', reason: '材料不全' });
    const merger = chain.txId(alice, 'fileDeregistration', { ...ending, successor: HUAWEI });
    chain.act(registrar, 'decideFiling', { id: merger, decision: 'accept', reason: '核准' });
    expect(enterpriseOf(chain.store, ALIYUN)).toMatchObject({ life: 'merged', successor: HUAWEI });
    expect(chain.store.get(registryKeys.ending(ALIYUN))).toBeUndefined();
  });

  it('a filing left waiting when its enterprise ends may be rejected, never accepted', () => {
    const chain = new RegistryChain();
    chain.enterprise(ALIYUN);
    const change = chain.txId(alice, 'fileChange', {
      uscc: ALIYUN,
      changes: { address: '浙江省杭州市西湖区' },
      effectiveOn: '2024-05-01',
      reason: '迁址',
    });
    const ending = chain.txId(alice, 'fileDeregistration', {
      uscc: ALIYUN,
      effectiveOn: '2024-05-01',
      reason: '决议解散',
    });
    chain.act(registrar, 'decideFiling', { id: ending, decision: 'accept', reason: '准予注销' });
    chain.refuses('not_allowed', registrar, 'decideFiling', {
      id: change,
      decision: 'accept',
      reason: '核准',
    });
    chain.act(registrar, 'decideFiling', { id: change, decision: 'reject', reason: '企业已注销' });
    expect(enterpriseOf(chain.store, ALIYUN)).toMatchObject({ life: 'deregistered' });
  });
});

describe('annual reports and the 经营异常 list', () => {
  it('lists at the first block past 30 June, removes after filing and asking', () => {
    const chain = new RegistryChain();
    chain.enterprise(ALIYUN);
    const deadline = annualReportDeadline(2024);
    expect(deadline).toBe(endOfDayMs('2025-06-30'));
    chain.refuses('not_allowed', alice, 'fileAnnualReport', { uscc: ALIYUN, year: 2024, hash: hash32(1) });
    chain.to(deadline - 1000);
    expect(listingStatusAt(chain.store, ALIYUN, chain.time)).toBe('normal');
    // The first block past the deadline: the views show the listing before any tx records it.
    chain.to(deadline);
    expect(listingStatusAt(chain.store, ALIYUN, chain.time)).toBe('abnormal');
    expect(enterpriseOf(chain.store, ALIYUN)?.listings).toEqual([]);
    expect(inGoodStanding(chain.store, ALIYUN, chain.time)).toBe(false);
    const swept = chain.act(carol, 'sweep', { uscc: ALIYUN });
    expect(swept).toEqual([
      [
        'listed',
        { uscc: ALIYUN, cause: 'annual_report', effectiveAt: deadline, year: 2024, status: 'abnormal' },
      ],
    ]);
    chain.refuses('not_allowed', carol, 'sweep', { uscc: ALIYUN });
    chain.refuses('not_allowed', alice, 'requestRemoval', { uscc: ALIYUN });
    const filed = chain.act(alice, 'fileAnnualReport', { uscc: ALIYUN, year: 2024, hash: hash32(2) });
    expect(attrsOf(filed, 'annualReportFiled')).toMatchObject({ late: true });
    expect(listingStatusAt(chain.store, ALIYUN, chain.time)).toBe('abnormal');
    const removed = chain.act(alice, 'requestRemoval', { uscc: ALIYUN });
    expect(attrsOf(removed, 'delisted')).toMatchObject({
      cause: 'annual_report',
      status: 'normal',
      listedAt: deadline,
    });
    expect(inGoodStanding(chain.store, ALIYUN, chain.time)).toBe(true);
  });

  it('an enterprise that came on chain later may file an earlier year (补报), late, not before it existed', () => {
    const chain = new RegistryChain(day('2024-09-01'));
    chain.enterprise(ALIYUN);
    // Accepted in 2024: deadlines run from the report for 2024; the 2023 report (due 2024-06-30) is late.
    const filed = chain.act(alice, 'fileAnnualReport', { uscc: ALIYUN, year: 2023, hash: hash32(3) });
    expect(attrsOf(filed, 'annualReportFiled')).toMatchObject({ year: 2023, late: true });
    expect(listingStatusAt(chain.store, ALIYUN, chain.time)).toBe('normal');
    chain.refuses('not_allowed', alice, 'fileAnnualReport', { uscc: ALIYUN, year: 2007, hash: hash32(4) });
    chain.refuses('already_exists', alice, 'fileAnnualReport', { uscc: ALIYUN, year: 2023, hash: hash32(5) });
  });

  it('a report filed on time keeps the enterprise off the list', () => {
    const chain = new RegistryChain();
    chain.enterprise(ALIYUN);
    chain.to(day('2025-06-30') + 3600_000);
    chain.act(alice, 'fileAnnualReport', { uscc: ALIYUN, year: 2024, hash: hash32(1) });
    chain.to(annualReportDeadline(2024) + 86_400_000);
    expect(listingStatusAt(chain.store, ALIYUN, chain.time)).toBe('normal');
    chain.refuses('not_allowed', carol, 'sweep', { uscc: ALIYUN });
    chain.refuses('already_exists', alice, 'fileAnnualReport', { uscc: ALIYUN, year: 2024, hash: hash32(1) });
  });

  it('moves to 严重违法 three years on, with the notice event 60 days before', () => {
    const chain = new RegistryChain();
    chain.enterprise(ALIYUN);
    const listedAt = annualReportDeadline(2024);
    chain.to(listedAt);
    chain.act(carol, 'sweep', { uscc: ALIYUN });
    const noticeAt = seriousNoticeAt(listedAt);
    const escalateAt = seriousAt(listedAt);
    expect(escalateAt).toBe(endOfDayMs('2028-06-30'));
    expect(escalateAt - noticeAt).toBe(60 * 86_400_000);
    // Later years' reports are filed on time, so only the 2024 listing runs on.
    for (const year of [2025, 2026, 2027]) {
      chain.to(day(`${year + 1}-03-01`));
      chain.act(alice, 'fileAnnualReport', { uscc: ALIYUN, year, hash: hash32(year) });
    }
    // The tx's block comes a second after the skipped-to time.
    chain.to(noticeAt - 60_000);
    expect(chain.refuses('not_allowed', carol, 'sweep', { uscc: ALIYUN })).toContain('nothing is due');
    chain.to(noticeAt);
    expect(chain.act(carol, 'sweep', { uscc: ALIYUN })).toEqual([
      [
        'seriousListingNoticed',
        { uscc: ALIYUN, cause: 'annual_report', listedAt, effectiveAt: noticeAt, seriousAt: escalateAt },
      ],
    ]);
    chain.to(escalateAt);
    expect(listingStatusAt(chain.store, ALIYUN, chain.time)).toBe('serious');
    expect(chain.act(carol, 'sweep', { uscc: ALIYUN })).toEqual([
      ['seriousListed', { uscc: ALIYUN, cause: 'annual_report', listedAt, effectiveAt: escalateAt }],
    ]);
    chain.act(alice, 'fileAnnualReport', { uscc: ALIYUN, year: 2024, hash: hash32(1) });
    expect(chain.refuses('not_allowed', alice, 'requestRemoval', { uscc: ALIYUN })).toContain('严重违法失信');
  });

  it('a sweep long after records the notice and the escalation in order, each at its own instant', () => {
    const chain = new RegistryChain();
    chain.enterprise(ALIYUN);
    const listedAt = annualReportDeadline(2024);
    chain.to(seriousAt(listedAt) + 5 * 86_400_000);
    const events = chain.act(carol, 'sweep', { uscc: ALIYUN });
    const first = events.filter(([, a]) => a.listedAt === listedAt || a.year === 2024);
    expect(names(first)).toEqual(['listed', 'seriousListingNoticed', 'seriousListed']);
    expect(first.map(([, a]) => a.effectiveAt)).toEqual([
      listedAt,
      seriousNoticeAt(listedAt),
      seriousAt(listedAt),
    ]);
    // The 2025, 2026 and 2027 reports were missed too: each its own listing at its own deadline.
    expect(events.filter(([n]) => n === 'listed').map(([, a]) => a.year)).toEqual([2024, 2025, 2026, 2027]);
  });

  it('instant disclosures are due in 20 working days on the governed calendar (国庆 and 调休)', () => {
    const chain = new RegistryChain(day('2026-09-28') + 10 * 3600_000);
    chain.enterprise(ALIYUN);
    const id = chain.txId(registrar, 'orderDisclosure', { uscc: ALIYUN, matter: '股东出资信息' });
    // 9-29, 9-30, 10-8, 10-9, 10-10 (调休 Saturday), then three full weeks: 20 working days end 30 October.
    expect(orderOf(chain.store, id)?.deadline).toBe(endOfDayMs('2026-10-30'));
    chain.to(endOfDayMs('2026-10-30'));
    expect(enterpriseAt(chain.store, ALIYUN, chain.time)?.listings).toMatchObject([
      { cause: 'instant_disclosure', orderId: id, since: endOfDayMs('2026-10-30') },
    ]);
    const late = chain.act(alice, 'discloseInstant', { orderId: id, hash: hash32(7) });
    expect(names(late)).toEqual(['listed', 'instantDisclosed']);
    expect(attrsOf(late, 'instantDisclosed')).toMatchObject({ late: true });
    chain.act(alice, 'requestRemoval', { uscc: ALIYUN });
    expect(listingStatusAt(chain.store, ALIYUN, chain.time)).toBe('normal');
  });

  it('an authority lists for an unreachable address and only it removes that listing', () => {
    const chain = new RegistryChain();
    chain.enterprise(ALIYUN);
    chain.act(registrar, 'listAbnormal', {
      uscc: ALIYUN,
      cause: 'unreachable',
      decisionNo: '杭市监异〔2024〕9号',
    });
    chain.refuses('already_exists', registrar, 'listAbnormal', {
      uscc: ALIYUN,
      cause: 'unreachable',
      decisionNo: '杭市监异〔2024〕10号',
    });
    expect(chain.refuses('not_allowed', alice, 'requestRemoval', { uscc: ALIYUN })).toContain(
      'by the authority',
    );
    chain.act(registrar, 'removeListing', { uscc: ALIYUN, index: 0, reason: '实地核查可联系' });
    expect(listingStatusAt(chain.store, ALIYUN, chain.time)).toBe('normal');
  });
});

describe('certificates', () => {
  const cert = (holder: string, no = 'CQC24001234567') => ({
    holder,
    no,
    scheme: 'CCC',
    scope: '电动自行车用锂离子蓄电池',
    standard: 'GB 43854-2024',
    product: '锂离子电池组',
    model: 'LB-48V20Ah',
    industry: 'C3841',
    classification: 'CPC 46410',
    validFrom: day('2024-03-01'),
    validUntil: day('2029-03-01'),
  });

  it('answers its status as of three dates: valid, suspended, then revoked when the suspension expired', () => {
    const chain = new RegistryChain();
    chain.enterprise(ALIYUN);
    const id = chain.txId(cqc, 'issueCertificate', cert(ALIYUN));
    const issuedAt = chain.time;
    chain.to(day('2024-06-01'));
    chain.act(cqc, 'suspendCertificate', { id, until: day('2024-09-01'), reason: '监督抽查不合格' });
    const suspendedAt = chain.time;
    chain.to(day('2024-12-01'));
    const c = certificateOf(chain.store, id)!;
    expect(certificateStatusAt(c, issuedAt - 1000)).toBe('not_issued');
    expect(certificateStatusAt(c, day('2024-05-01'), chain.time)).toBe('valid');
    expect(certificateStatusAt(c, suspendedAt + 1000, chain.time)).toBe('suspended');
    expect(certificateStatusAt(c, day('2024-10-01'), chain.time)).toBe('revoked');
    expect(certificateStatusAt(c, day('2030-01-01'), day('2030-01-01'))).toBe('revoked');
    // Restoring after the suspension ran out is too late: the revocation is recorded instead.
    chain.refuses('not_allowed', cqc, 'restoreCertificate', { id, reason: '整改完成' });
    const recorded = chain.act(cqc, 'amendCertificate', {
      id,
      kind: 'correction',
      field: 'scope',
      to: '电动自行车用锂离子电池组',
    });
    expect(recorded[0]).toEqual([
      'certificateStatusChanged',
      {
        id,
        status: 'revoked',
        effectiveAt: day('2024-09-01'),
        reason: 'suspension expired, cause not fixed',
      },
    ]);
    expect(certificateOf(chain.store, id)?.history.map((h) => h.status)).toEqual([
      'valid',
      'suspended',
      'revoked',
    ]);
  });

  it('restores in time, changes and corrects, expires at the end of its validity', () => {
    const chain = new RegistryChain();
    chain.enterprise(ALIYUN);
    const id = chain.txId(cqc, 'issueCertificate', cert(ALIYUN));
    chain.act(cqc, 'suspendCertificate', { id, until: day('2024-09-01'), reason: '暂停' });
    chain.act(cqc, 'restoreCertificate', { id, reason: '整改完成' });
    chain.act(cqc, 'amendCertificate', { id, kind: 'change', field: 'model', to: 'LB-48V24Ah' });
    chain.refuses('invalid_params', cqc, 'amendCertificate', { id, kind: 'change', field: 'scope', to: 'x' });
    const c = certificateOf(chain.store, id)!;
    expect(c.model).toBe('LB-48V24Ah');
    expect(certificateStatusAt(c, day('2028-01-01'))).toBe('valid');
    expect(certificateStatusAt(c, day('2029-03-01'))).toBe('expired');
    chain.act(cqc, 'cancelCertificate', { id, reason: '持证人申请注销' });
    chain.refuses('not_allowed', cqc, 'revokeCertificate', { id, reason: 'x' });
  });
});

describe('notices and posts', () => {
  it('publishes a penalty with its decision number once, and never a warning alone', () => {
    const chain = new RegistryChain();
    chain.enterprise(ALIYUN);
    const penalty = {
      uscc: ALIYUN,
      decisionNo: '杭西市监处罚〔2024〕88号',
      violation: '虚假宣传（当事人法定代表人张**）',
      penalties: ['fine', 'confiscation'],
      fine: 5_000_000n,
      decidedOn: '2024-02-20',
      bodyHash: hash32(9),
      until: '2027-02-20',
    };
    const events = chain.act(registrar, 'publishPenalty', penalty);
    expect(attrsOf(events, 'noticePublished')).toMatchObject({
      kind: 'penalty',
      fine: 5_000_000n,
      from: '2024-03-01',
    });
    chain.refuses('already_exists', registrar, 'publishPenalty', penalty);
  });

  it('opens posts only for enterprises in good standing', () => {
    const chain = new RegistryChain();
    chain.enterprise(ALIYUN);
    const post = {
      uscc: ALIYUN,
      kind: 'offer',
      industry: 'C3841',
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
    const id = chain.txId(alice, 'post', post);
    chain.refuses('not_authorized', bob, 'closePost', { id });
    chain.act(alice, 'closePost', { id });
    chain.act(registrar, 'listAbnormal', {
      uscc: ALIYUN,
      cause: 'false_info',
      decisionNo: '杭市监异〔2024〕3号',
    });
    expect(chain.refuses('not_allowed', alice, 'post', post)).toContain('good standing');
  });
});

describe('refusals', () => {
  const chainWithEnterprise = () => {
    const chain = new RegistryChain();
    chain.enterprise(ALIYUN);
    return chain;
  };
  const base = {
    name: '某某公司',
    legalForm: 'limited_company',
    capital: 0,
    address: '深圳市南山区',
    industry: 'C3971',
    establishedOn: '2020-01-01',
    authority: registrar.address,
  };
  it.each([
    [
      'a resident ID as USCC',
      'invalid_params',
      alice,
      'register',
      { ...base, uscc: '131102198503121192' },
      'organisation code',
    ],
    [
      'a one-character change',
      'invalid_params',
      alice,
      'register',
      { ...base, uscc: '91330106673959654Q' },
      'check character',
    ],
    [
      'a bad LEI',
      'invalid_params',
      alice,
      'register',
      { ...base, uscc: generated(1), lei: 'HWUPKR0MPOU8FGXBT395' },
      'LEI',
    ],
    [
      'a representative without passport',
      'not_found',
      mallory,
      'register',
      { ...base, uscc: generated(2) },
      'passport',
    ],
    [
      'an authority that is none',
      'not_found',
      alice,
      'register',
      { ...base, uscc: generated(3), authority: bob.address },
      'registering authority',
    ],
    ['a second registration', 'already_exists', bob, 'register', { ...base, uscc: ALIYUN }, 'registered'],
    [
      'acceptance by a non-authority',
      'not_authorized',
      bob,
      'decideRegistration',
      { uscc: ALIYUN, decision: 'accept', reason: 'x' },
      'registering authority',
    ],
    [
      'a filing by another person',
      'not_authorized',
      bob,
      'fileChange',
      { uscc: ALIYUN, changes: { address: '上海' }, effectiveOn: '2024-03-02', reason: 'x' },
      'legal representative',
    ],
    [
      'an empty change',
      'invalid_params',
      alice,
      'fileChange',
      { uscc: ALIYUN, changes: {}, effectiveOn: '2024-03-02', reason: 'x' },
      'at least one',
    ],
    [
      'a report before its window',
      'not_allowed',
      alice,
      'fileAnnualReport',
      { uscc: ALIYUN, year: 2024, hash: hash32(1) },
      'opens',
    ],
    [
      'a warning-only penalty',
      'not_allowed',
      registrar,
      'publishPenalty',
      {
        uscc: ALIYUN,
        decisionNo: 'A1',
        violation: '未按规定公示',
        penalties: ['warning'],
        decidedOn: '2024-02-01',
        bodyHash: hash32(1),
        until: '2025-01-01',
      },
      'warning',
    ],
    [
      'an unmasked ID in a penalty',
      'invalid_params',
      registrar,
      'publishPenalty',
      {
        uscc: ALIYUN,
        decisionNo: 'A2',
        violation: '当事人身份证110101199003071234',
        penalties: ['fine'],
        fine: 100,
        decidedOn: '2024-02-01',
        bodyHash: hash32(1),
        until: '2025-01-01',
      },
      'masked',
    ],
    [
      'a fine without its amount',
      'invalid_params',
      registrar,
      'publishPenalty',
      {
        uscc: ALIYUN,
        decisionNo: 'A3',
        violation: 'x',
        penalties: ['fine'],
        decidedOn: '2024-02-01',
        bodyHash: hash32(1),
        until: '2025-01-01',
      },
      'fine',
    ],
    [
      'a certificate from a non-certifier',
      'not_authorized',
      registrar,
      'issueCertificate',
      {
        holder: ALIYUN,
        no: 'X1',
        scheme: 'CCC',
        scope: 's',
        standard: 'GB 1',
        product: 'p',
        industry: 'C38',
        classification: 'c',
        validFrom: day('2024-01-01'),
        validUntil: day('2030-01-01'),
      },
      'certifying body',
    ],
    [
      'a post of a reversed price range',
      'invalid_params',
      alice,
      'post',
      {
        uscc: ALIYUN,
        kind: 'need',
        industry: 'C38',
        classification: 'c',
        item: 'i',
        quantity: 1,
        unit: '件',
        region: '330106',
        deliverFrom: '2024-04-01',
        deliverUntil: '2024-05-01',
        priceMin: 10,
        priceMax: 5,
      },
      'priceMin',
    ],
    [
      'a post in no region',
      'invalid_params',
      alice,
      'post',
      {
        uscc: ALIYUN,
        kind: 'need',
        industry: 'C38',
        classification: 'c',
        item: 'i',
        quantity: 1,
        unit: '件',
        region: '990000',
        deliverFrom: '2024-04-01',
        deliverUntil: '2024-05-01',
        priceMin: 1,
        priceMax: 5,
      },
      'region',
    ],
  ] as const)('refuses %s', (_what, code, who, action, params, message) => {
    const chain = chainWithEnterprise();
    expect(chain.refuses(code, who, action, params as Record<string, unknown>)).toContain(message);
  });

  it('refuses acting on another body’s certificate', () => {
    const chain = chainWithEnterprise();
    const id = chain.txId(cqc, 'issueCertificate', {
      holder: ALIYUN,
      no: 'CQC1',
      scheme: 'CCC',
      scope: 's',
      standard: 'GB 1',
      product: 'p',
      industry: 'C38',
      classification: 'c',
      validFrom: day('2024-01-01'),
      validUntil: day('2030-01-01'),
    });
    expect(chain.refuses('not_authorized', otherBody, 'revokeCertificate', { id, reason: 'x' })).toContain(
      'issuing body',
    );
    chain.refuses('not_allowed', cqc, 'restoreCertificate', { id, reason: 'x' });
  });
});
