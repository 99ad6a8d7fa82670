import { welfareEvents } from '@gongxin/contracts/events';
import { packProblems, packTranslator } from '@gongxin/ui/testing/decoder-pack';
import { describe, expect, it } from 'vitest';
import pack from './explorer-decoders';

const zh = packTranslator(pack, 'zh-CN');
const en = packTranslator(pack, 'en');
const hash = 'cd'.repeat(32);

describe('the welfare decoder pack', () => {
  it('reads every event of the contract, in both languages', () => {
    expect(packProblems(pack, welfareEvents)).toEqual([]);
  });

  it('reads a household’s life in words, enums translated, money exact', () => {
    expect(
      pack.events['welfare.memberChanged']!(
        { household: 'H-1', idHash: hash, change: 'marriage-in', effective: '2026-12' },
        zh,
      ),
    ).toBe(`家庭 H-1 成员变动（婚入），自 2026-12 起，成员身份哈希 ${hash}`);
    expect(
      pack.events['welfare.reassessed']!(
        {
          household: 'H-1',
          eligible: true,
          monthly: '123456789012345678',
          from: '2027-01',
          ruleVersion: 3,
          standardVersion: 2,
          inputsHash: hash,
          nextReview: '2027-07',
        },
        en,
      ),
    ).toBe(
      'Household H-1 reassessed: eligible, 1234567890123456.78 yuan a month from 2027-01 (rules version 3), next review 2027-07',
    );
    expect(
      pack.events['welfare.graceStarted']!({ household: 'H-1', until: '2027-06', amount: '45050' }, zh),
    ).toBe('家庭 H-1 进入渐退期，至 2027-06，每月 450.50 元');
    expect(
      pack.events['welfare.householdClosed']!({ id: 'H-1', reason: '迁出本区', successor: 'H-9' }, zh),
    ).toBe('家庭 H-1 销户：迁出本区，由家庭 H-9 承继');
    expect(
      pack.events['welfare.applicationStep']!(
        { id: 'A-1', step: 'countyReviewed', by: `gx1${'q'.repeat(38)}` },
        zh,
      ),
    ).toBe('申请 A-1：区县已审查');
    expect(
      pack.events['welfare.alertRaised']!(
        {
          id: 'AL-1',
          kind: 'deceased_recipient',
          subject: 'H-1',
          detail: 'batch B-1',
          owner: `gx1${'q'.repeat(38)}`,
          deadline: 1_800_000_000_000,
        },
        zh,
      ),
    ).toContain('预警（收款人已死亡）H-1');
  });

  it('refuses an event whose attributes do not fit the catalog', () => {
    expect(() =>
      pack.events['welfare.memberChanged']!(
        { household: 'H-1', idHash: hash, change: 'teleported', effective: '2026-12' },
        zh,
      ),
    ).toThrow();
  });
});
