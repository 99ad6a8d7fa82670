import { type ContractContext, ContractError } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { accounts } from '../test/chain';
import {
  actionId,
  addAmounts,
  checkAmount,
  MAX_AMOUNT,
  zAddress,
  zAmount,
  zAttributes,
  zHash32,
  zSupply,
  zSymbol,
  zText,
} from './common';

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return (error as ContractError).code;
  }
  return 'ok';
};

describe('amounts', () => {
  it('accepts safe numbers and bigints, as bigint', () => {
    expect(zAmount.parse(5)).toBe(5n);
    expect(zAmount.parse(2n ** 62n)).toBe(2n ** 62n);
    expect(zSupply.parse(0)).toBe(0n);
  });

  it.each([0, -1, 1.5, '5', -(2n ** 63n), null])('refuses %s as a parameter error', (v) => {
    expect(zAmount.safeParse(v).success).toBe(false);
  });

  it('leaves the upper bound to checkAmount, which fails with overflow', () => {
    expect(zAmount.parse(2n ** 64n - 1n)).toBe(2n ** 64n - 1n);
    expect(checkAmount(MAX_AMOUNT, 'x')).toBe(MAX_AMOUNT);
    expect(codeOf(() => checkAmount(MAX_AMOUNT + 1n, 'x'))).toBe('overflow');
    expect(codeOf(() => addAmounts(MAX_AMOUNT, 1n, 'sum'))).toBe('overflow');
    expect(addAmounts(MAX_AMOUNT - 1n, 1n, 'sum')).toBe(MAX_AMOUNT);
    expect(() => checkAmount(MAX_AMOUNT + 1n, 'balance')).toThrow(ContractError);
  });
});

describe('schemas', () => {
  it('takes a hash as 32 bytes or 64 hex digits and gives lowercase hex', () => {
    expect(zHash32.parse(new Uint8Array(32).fill(0xab))).toBe('ab'.repeat(32));
    expect(zHash32.parse('AB'.repeat(32))).toBe('ab'.repeat(32));
    for (const bad of [new Uint8Array(31), 'ab'.repeat(31), 'zz'.repeat(32), 42])
      expect(zHash32.safeParse(bad).success).toBe(false);
  });

  it('takes only canonical gx1 addresses', () => {
    expect(zAddress.safeParse(accounts.alice.address).success).toBe(true);
    expect(zAddress.safeParse(accounts.alice.address.toUpperCase()).success).toBe(false);
    expect(zAddress.safeParse(`${accounts.alice.address.slice(0, -1)}q`).success).toBe(false);
    expect(zAddress.safeParse('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq').success).toBe(false);
  });

  it('limits texts, symbols and attribute maps', () => {
    expect(zText(3).safeParse('abc').success).toBe(true);
    expect(zText(3).safeParse('abcd').success).toBe(false);
    expect(zText(3).safeParse('').success).toBe(false);
    expect(zText(9).safeParse('a\nb').success).toBe(false);
    expect(zSymbol.safeParse('CNY2').success).toBe(true);
    for (const bad of ['C', 'cny', '2CNY', 'ABCDEFGHIJKLM'])
      expect(zSymbol.safeParse(bad).success).toBe(false);
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, i]));
    expect(zAttributes.safeParse({ city: '杭州', year: 2024 }).success).toBe(true);
    expect(zAttributes.safeParse(many).success).toBe(false);
    expect(zAttributes.safeParse({ 'bad key': 1 }).success).toBe(false);
    expect(zAttributes.safeParse({ long: 'x'.repeat(129) }).success).toBe(false);
  });
});

describe('actionId', () => {
  it('is the tx id for the first action and tx id:index after it', () => {
    const ctx = (actionIndex: number) => ({ txIdHex: 'ab'.repeat(32), actionIndex }) as ContractContext;
    expect(actionId(ctx(0))).toBe('ab'.repeat(32));
    expect(actionId(ctx(3))).toBe(`${'ab'.repeat(32)}:3`);
  });
});

describe('genesis integers', () => {
  it('read decimal strings exactly and refuse anything that is not an integer', async () => {
    const { zGenesisInteger } = await import('./common');
    expect(zGenesisInteger.parse('9223372036854775807')).toBe(2n ** 63n - 1n);
    expect(zGenesisInteger.parse(12)).toBe(12n);
    for (const bad of ['1.5', '1e3', '', ' 1', '0x10', '01'])
      expect(zGenesisInteger.safeParse(bad).success).toBe(false);
  });
});
