import { describe, expect, it } from 'vitest';
import { unitsToText } from './amount';
import {
  checkAddress,
  formFromRequest,
  type HeldAsset,
  type SendFormValues,
  validateSend,
} from './send-form';

const me = 'gx13nrr3ehgc3fzpmkk7rlt88fsqmaakeqv90m0gg';
const bob = 'gx1sg59gye6j98rja3cccfq5plt5yjwg49k0479rk';
/** bob's address with one character changed: the bech32m checksum fails. */
const typo = `${bob.slice(0, 10)}${bob[10] === 'q' ? 'p' : 'q'}${bob.slice(11)}`;

const held: HeldAsset[] = [
  { symbol: 'CNYX', decimals: 2, amount: '123456', frozen: false },
  { symbol: 'PTS', decimals: 0, amount: '10', frozen: false },
  { symbol: 'ICE', decimals: 2, amount: '500', frozen: true },
];
const values = (v: Partial<SendFormValues>): SendFormValues => ({
  to: bob,
  symbol: 'CNYX',
  amount: '1.5',
  memo: '',
  ...v,
});

describe('send form validation', () => {
  it('accepts a valid form and gives the amount in smallest units as a bigint', () => {
    const check = validateSend(values({ amount: '1,234.50', memo: '  午饭 ' }), held, me);
    expect(check).toEqual({
      ok: true,
      problems: {},
      value: { to: bob, symbol: 'CNYX', decimals: 2, amount: 123450n, memo: '午饭' },
    });
    const all = validateSend(values({ amount: '1234.56' }), held, me);
    expect(all.ok && all.value.amount).toBe(123456n);
    const noMemo = validateSend(values({ symbol: 'PTS', amount: '10' }), held, me);
    expect(noMemo.ok && noMemo.value).toEqual({ to: bob, symbol: 'PTS', decimals: 0, amount: 10n });
  });

  it('checks the recipient: present, a valid checksum, not the sender', () => {
    expect(validateSend(values({ to: '' }), held, me).problems.to).toBe('required');
    expect(validateSend(values({ to: typo }), held, me).problems.to).toBe('bad_address');
    expect(validateSend(values({ to: 'gx1abc' }), held, me).problems.to).toBe('bad_address');
    expect(validateSend(values({ to: `0x${'ab'.repeat(20)}` }), held, me).problems.to).toBe('bad_address');
    expect(validateSend(values({ to: me }), held, me).problems.to).toBe('self');
    // Spaces around and an all-capitals spelling are the same address.
    const upper = validateSend(values({ to: `  ${bob.toUpperCase()} ` }), held, me);
    expect(upper.ok && upper.value.to).toBe(bob);
    // Mixed case is not an address (bech32 forbids it).
    expect(checkAddress(`${bob.slice(0, 5).toUpperCase()}${bob.slice(5)}`)).toBe('bad_address');
  });

  it('checks the asset: chosen, held, not frozen', () => {
    expect(validateSend(values({ symbol: '' }), held, me).problems.symbol).toBe('required');
    expect(validateSend(values({ symbol: 'GOLD' }), held, me).problems.symbol).toBe('not_held');
    expect(validateSend(values({ symbol: 'ICE' }), held, me).problems.symbol).toBe('frozen');
  });

  it("checks the amount in the asset's decimals and against the balance, never rounding", () => {
    const amount = (text: string, symbol = 'CNYX') =>
      validateSend(values({ amount: text, symbol }), held, me).problems.amount;
    expect(amount('')).toBe('empty');
    expect(amount('abc')).toBe('not_a_number');
    expect(amount('1e3')).toBe('not_a_number');
    expect(amount('-1')).toBe('negative');
    expect(amount('0')).toBe('zero');
    expect(amount('0.00')).toBe('zero');
    expect(amount('1.234')).toBe('too_many_decimals');
    expect(amount('1.5', 'PTS')).toBe('too_many_decimals');
    expect(amount('1234.57')).toBe('insufficient');
    expect(amount('11', 'PTS')).toBe('insufficient');
    expect(amount('99999999999999999999')).toBe('too_large');
    expect(amount('１２.５')).toBeUndefined(); // full-width digits
    expect(amount('.5')).toBeUndefined();
  });

  it('checks the memo as the contract does', () => {
    expect(validateSend(values({ memo: 'x'.repeat(257) }), held, me).problems.memo).toBe('too_long');
    expect(validateSend(values({ memo: 'a\nb' }), held, me).problems.memo).toBe('control_characters');
    expect(validateSend(values({ memo: '红'.repeat(256) }), held, me).ok).toBe(true);
  });

  it('reports every problem at once', () => {
    expect(validateSend({ to: typo, symbol: 'CNYX', amount: '9999', memo: 'a\u0000' }, held, me)).toEqual({
      ok: false,
      problems: { to: 'bad_address', amount: 'insufficient', memo: 'control_characters' },
    });
  });
});

describe('payment requests into the form', () => {
  const empty: SendFormValues = { to: '', symbol: 'PTS', amount: '', memo: '' };

  it('fills recipient, asset, amount (shown in the asset decimals) and memo', () => {
    expect(formFromRequest(`gongxin:pay?to=${bob}&asset=CNYX&amount=123450&memo=rent`, held, empty)).toEqual({
      to: bob,
      symbol: 'CNYX',
      amount: '1234.5',
      memo: 'rent',
    });
    expect(formFromRequest(bob, held, empty)).toEqual({ ...empty, to: bob });
  });

  it('keeps an asset the person does not hold, for the form to flag, and leaves its amount to them', () => {
    const form = formFromRequest(`gongxin:pay?to=${bob}&asset=GOLD&amount=5`, held, empty);
    expect(form).toEqual({ to: bob, symbol: 'GOLD', amount: '', memo: '' });
    expect(validateSend(form, held, me).problems.symbol).toBe('not_held');
  });

  it('throws on what is not a request', () => {
    expect(() => formFromRequest('hello', held, empty)).toThrow(/not a gongxin:pay/);
    expect(() => formFromRequest(`gongxin:pay?to=${typo}`, held, empty)).toThrow();
  });

  it('shows smallest units as plain decimal text', () => {
    expect(unitsToText(123450n, 2)).toBe('1234.5');
    expect(unitsToText('5', 2)).toBe('0.05');
    expect(unitsToText('100', 2)).toBe('1');
    expect(unitsToText('9223372036854775807', 18)).toBe('9.223372036854775807');
    expect(unitsToText(42n, 0)).toBe('42');
  });
});
