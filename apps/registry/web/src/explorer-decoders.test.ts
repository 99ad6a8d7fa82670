import { registryEvents } from '@gongxin/contracts/events';
import { packProblems } from '@gongxin/ui/testing/decoder-pack';
import { describe, expect, it } from 'vitest';
import pack from './explorer-decoders';

describe('the registry decoder pack', () => {
  it('reads every event of the contract, in both languages', () => {
    expect(packProblems(pack, registryEvents)).toEqual([]);
  });
});
