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
