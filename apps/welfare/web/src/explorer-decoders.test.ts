import { GRIEVANCE_CATEGORIES, WORKFLOW_STEPS, welfareEvents } from '@gongxin/contracts/events';
import { packProblems, packTranslator } from '@gongxin/ui/testing/decoder-pack';
import { describe, expect, it } from 'vitest';
import pack from './explorer-decoders';
import enLocale from './locales/en';
import zhLocale from './locales/zh-CN';

const zh = packTranslator(pack, 'zh-CN');
const en = packTranslator(pack, 'en');
const hash = 'cd'.repeat(32);
const by = `gx1${'q'.repeat(38)}`;
const grievance = (category: string) => ({
  id: 'G-1',
  household: 'H-1',
  area: '530702',
  category,
  textHash: hash,
  by,
  deadline: Date.UTC(2027, 0, 15),
});

describe('the welfare decoder pack', () => {
  it('reads every event of the contract, in both languages', () => {
    expect(packProblems(pack, welfareEvents)).toEqual([]);
  });

  it('reads a batch’s outcomes with each payment that did not arrive and the bank’s reason', () => {
    const outcomes = {
      batch: 'B-1',
      paid: '80000',
      failed: '0',
      returned: '55000',
      payments: [
        { index: 0, household: 'H-1', amount: '80000', outcome: 'paid' },
        { index: 1, household: 'H-2', amount: '55000', outcome: 'returned', reason: '收款账户已销户' },
      ],
    };
    expect(pack.events['welfare.outcomesRecorded']!(outcomes, zh)).toBe(
      '批次 B-1 结果：已到账 800.00 元，失败 0.00 元，退回 550.00 元；第 2 笔 550.00 元被退回，原因：收款账户已销户',
    );
    expect(
      pack.events['welfare.outcomesRecorded']!(
        { ...outcomes, payments: [{ index: 0, household: 'H-1', amount: '80000', outcome: 'failed' }] },
        en,
      ),
    ).toBe(
      'Batch B-1 outcomes: paid 800.00, failed 0.00, returned 550.00 yuan; payment 1 of 800.00 yuan failed',
    );
    // The action the treasurer signs reads the same way (also in the sign dialog).
    expect(
      pack.actions['welfare.recordOutcomes']!(
        {
          batch: 'B-1',
          outcomes: [
            { index: 0, outcome: 'paid' },
            { index: 1, outcome: 'returned', reason: '收款账户已销户' },
          ],
        },
        zh,
      ),
    ).toBe('记录批次 B-1 的到账结果：2 笔；第 2 笔被退回，原因：收款账户已销户');
    expect(
      pack.actions['welfare.recordOutcomes']!(
        { batch: 'B-1', outcomes: [{ index: 0, outcome: 'failed' }] },
        en,
      ),
    ).toBe('Record the outcomes of batch B-1, 1 in all; payment 1 failed');
    expect(() => pack.actions['welfare.recordOutcomes']!({ batch: 'B-1', outcomes: 'all' }, zh)).toThrow();
    // Events of older contract versions carry only the sums.
    const { payments: _older, ...sums } = outcomes;
    expect(pack.events['welfare.outcomesRecorded']!(sums, zh)).toBe(
      '批次 B-1 结果：已到账 800.00 元，失败 0.00 元，退回 550.00 元',
    );
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

  it('names grievance categories and workflow steps with the words of the app’s own pages', () => {
    for (const category of GRIEVANCE_CATEGORIES) {
      expect(pack.events['welfare.grievanceFiled']!(grievance(category), zh)).toBe(
        `家庭 H-1 提出申诉（${zhLocale.welfare.grievance.categories[category]}），内容哈希 ${hash}，答复期限 2027-01-15`,
      );
      expect(pack.events['welfare.grievanceFiled']!(grievance(category), en)).toBe(
        `Grievance filed for household H-1 (category: ${enLocale.welfare.grievance.categories[category]}), text hash ${hash}, due 2027-01-15`,
      );
    }
    for (const step of WORKFLOW_STEPS) {
      expect(pack.events['welfare.applicationStep']!({ id: 'A-1', step, by }, zh)).toBe(
        `申请 A-1：${zhLocale.welfare.workbench.steps[step]}`,
      );
      expect(pack.events['welfare.applicationStep']!({ id: 'A-1', step, by }, en)).toBe(
        `Application A-1: ${enLocale.welfare.workbench.steps[step]}`,
      );
    }
  });

  it('reads a category the contract and the app’s locales add, with no change to the pack', () => {
    // A new category: in the contract's list and in the locales' words, as a release that adds one would.
    const categories = GRIEVANCE_CATEGORIES as unknown as string[];
    const zhWords = zhLocale.welfare.grievance.categories as Record<string, string>;
    const enWords = enLocale.welfare.grievance.categories as Record<string, string>;
    categories.push('housing');
    zhWords.housing = '住房保障';
    enWords.housing = 'Housing';
    try {
      expect(pack.events['welfare.grievanceFiled']!(grievance('housing'), zh)).toContain(
        '提出申诉（住房保障）',
      );
      expect(pack.events['welfare.grievanceFiled']!(grievance('housing'), en)).toContain(
        '(category: Housing)',
      );
      expect(packProblems(pack, welfareEvents)).toEqual([]);
    } finally {
      categories.pop();
      delete zhWords.housing;
      delete enWords.housing;
    }
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
