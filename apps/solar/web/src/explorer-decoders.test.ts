import { energyEvents } from '@gongxin/contracts/events';
import { packProblems, packTranslator } from '@gongxin/ui/testing/decoder-pack';
import { describe, expect, it } from 'vitest';
import pack, { plantNames } from './explorer-decoders';

const zh = packTranslator(pack, 'zh-CN');

describe('the solar decoder pack', () => {
  it('reads every event of the contract, in both languages', () => {
    expect(packProblems(pack, energyEvents)).toEqual([]);
  });

  it('shows kWh and prices exactly, beyond what a float holds', () => {
    const slot = Date.UTC(2026, 10, 30, 4, 0);
    expect(
      pack.actions['energy.placeOrder']!(
        { slot, side: 'sell', wh: '123456789012345678', price: '40001' },
        zh,
      ),
    ).toBe('为 2026-11-30 12:00 时段挂卖单 123,456,789,012,345.678 kWh，限价 0.40001 元/kWh');
    expect(
      pack.actions['energy.placeOrder']!({ slot, side: 'buy', wh: '4500', price: '40000' }, zh),
    ).toContain('4.5 kWh，限价 0.4000 元/kWh');
  });

  it('refuses a quantity that is no integer rather than showing NaN', () => {
    expect(() =>
      pack.actions['energy.placeOrder']!({ slot: 0, side: 'buy', wh: '1.5', price: '1' }, zh),
    ).toThrow();
  });

  it('names the plant a sell order sells: by name where the page knows it, else by its id', () => {
    const slot = Date.UTC(2026, 10, 30, 4, 0);
    const sell = { slot, side: 'sell', plant: 'sh-minhang-01', wh: '10000', price: '40000' };
    const en = packTranslator(pack, 'en');
    expect(pack.actions['energy.placeOrder']!(sell, zh)).toBe(
      '为 2026-11-30 12:00 时段挂卖单 10 kWh，限价 0.4000 元/kWh，出售电站sh-minhang-01的发电',
    );
    plantNames.set('sh-minhang-01', '闵行张家屋顶光伏');
    try {
      expect(pack.actions['energy.placeOrder']!(sell, zh)).toContain(
        '出售电站「闵行张家屋顶光伏」（sh-minhang-01）的发电',
      );
      expect(pack.actions['energy.placeOrder']!(sell, en)).toContain(
        '10 kWh of plant "闵行张家屋顶光伏" (sh-minhang-01)',
      );
    } finally {
      plantNames.clear();
    }
  });
});
