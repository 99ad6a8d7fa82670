import { registryEvents } from '@gongxin/contracts/events';
import { packProblems, packTranslator } from '@gongxin/ui/testing/decoder-pack';
import { describe, expect, it } from 'vitest';
import pack from './explorer-decoders';

describe('the registry decoder pack', () => {
  it('reads every event of the contract, in both languages', () => {
    expect(packProblems(pack, registryEvents)).toEqual([]);
  });

  it('names a field it does not know as itself, not as a message key', () => {
    const zh = packTranslator(pack, 'zh-CN');
    const id = 'ab'.repeat(32);
    expect(
      pack.events['registry.certificateAmended']!(
        { id, kind: 'change', field: 'model', from: 'A-1', to: 'A-2' },
        zh,
      ),
    ).toBe(`证书 ${id.slice(0, 12)} 变更：型号「A-1」→「A-2」`);
    expect(
      pack.events['registry.enterpriseChanged']!(
        { ...registryEvents.example('enterpriseChanged'), field: 'colour' },
        zh,
      ),
    ).toContain('colour');
  });
});

describe('filings', () => {
  it('reads a merger filing with the enterprise it is absorbed into', () => {
    const base = registryEvents.example('filingSubmitted');
    const merger = {
      ...base,
      kind: 'merge',
      fields: [],
      successor: '914403001922038216',
      effectiveOn: '2026-03-01',
    };
    expect(pack.events['registry.filingSubmitted']!(merger, packTranslator(pack, 'zh-CN'))).toBe(
      `企业 ${base.uscc} 提交合并注销，并入存续企业 914403001922038216，生效日 2026-03-01`,
    );
    expect(pack.events['registry.filingSubmitted']!(merger, packTranslator(pack, 'en'))).toContain(
      'merger into the surviving enterprise 914403001922038216',
    );
    const dereg = { ...base, kind: 'deregister', fields: [], effectiveOn: '2026-03-01' };
    expect(pack.events['registry.filingSubmitted']!(dereg, packTranslator(pack, 'zh-CN'))).toBe(
      `企业 ${base.uscc} 提交注销登记，生效日 2026-03-01`,
    );
  });
});
