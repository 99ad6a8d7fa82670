import { describe, expect, it } from 'vitest';
import { tradeNameOf } from '../src/names';

describe('the trade name after the division', () => {
  it.each([
    ['深圳市鹏程电子科技有限公司', '鹏程电子科技有限公司'],
    ['广东省深圳市鹏程电子科技有限公司', '鹏程电子科技有限公司'],
    ['东莞市华南纺织股份有限公司', '华南纺织股份有限公司'],
    ['内蒙古自治区草原乳业有限公司', '草原乳业有限公司'],
  ])('%s → %s', (name, trade) => {
    expect(tradeNameOf(name)).toBe(trade);
  });

  it.each([['上海浦东智能家电有限公司'], ['华为技术有限公司'], ['深圳市'], ['ABC Trading Ltd']])(
    'leaves %s without a second key',
    (name) => {
      expect(tradeNameOf(name)).toBeNull();
    },
  );
});
