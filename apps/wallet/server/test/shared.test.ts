import { getSuite } from '@gongxin/ledger/crypto/node';
import { testAccount } from '@gongxin/ledger/testing';
import { describe, expect, it } from 'vitest';
import { HISTORY_KINDS } from '../src/kinds';
import { buildPaymentUri, PaymentRequestError, packetLink, parsePaymentUri } from '../src/shared';

const address = testAccount(getSuite('ed25519-sha256'), 1).address;

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof PaymentRequestError ? error.code : String(error);
  }
  return 'no error';
};

describe('payment request URI', () => {
  it('round-trips every combination of fields', () => {
    for (const request of [
      { to: address },
      { to: address, asset: 'CNYX' },
      { to: address, asset: 'CNYX', amount: '1250' },
      { to: address, asset: 'CNYX', amount: '9223372036854775807', memo: '房租 3月 & 水电' },
    ]) {
      const uri = buildPaymentUri(request);
      expect(uri.startsWith(`gongxin:pay?to=${address}`)).toBe(true);
      expect(parsePaymentUri(uri)).toEqual(request);
    }
  });

  it('reads a bare address and ignores unknown parameters and surrounding space', () => {
    expect(parsePaymentUri(`  ${address}\n`)).toEqual({ to: address });
    expect(parsePaymentUri(`gongxin:pay?to=${address}&asset=CNYX&v=2`)).toEqual({
      to: address,
      asset: 'CNYX',
    });
  });

  it('refuses what is not a valid request, saying what is wrong', () => {
    const broken = `${address.slice(0, -1)}${address.endsWith('q') ? 'p' : 'q'}`;
    expect(code(() => parsePaymentUri('hello'))).toBe('not_a_request');
    expect(code(() => parsePaymentUri(`bitcoin:${address}`))).toBe('not_a_request');
    expect(code(() => parsePaymentUri(broken))).toBe('not_a_request');
    expect(code(() => parsePaymentUri(`gongxin:pay?to=${broken}`))).toBe('bad_address');
    expect(code(() => parsePaymentUri(`gongxin:pay?to=${address.toUpperCase()}`))).toBe('bad_address');
    expect(code(() => parsePaymentUri('gongxin:pay?asset=CNYX'))).toBe('bad_address');
    expect(code(() => parsePaymentUri(`gongxin:pay?to=${address}&to=${address}`))).toBe('not_a_request');
    expect(code(() => parsePaymentUri(`gongxin:pay?to=${address}&asset=cnyx`))).toBe('bad_asset');
    expect(code(() => parsePaymentUri(`gongxin:pay?to=${address}&amount=5`))).toBe('bad_asset');
    for (const amount of ['1.5', '-1', '0', '01', '1e3', '9223372036854775808']) {
      expect(
        code(() => parsePaymentUri(`gongxin:pay?to=${address}&asset=CNYX&amount=${amount}`)),
        amount,
      ).toBe('bad_amount');
    }
    expect(code(() => buildPaymentUri({ to: address, memo: 'a\u0007b' }))).toBe('bad_memo');
  });

  it('links red packets to the claim page', () => {
    expect(packetLink('ab'.repeat(32), 'https://gx.example/')).toBe(
      `https://gx.example/wallet/#/packet/${'ab'.repeat(32)}`,
    );
    expect(packetLink('ab'.repeat(32))).toBe(`/wallet/#/packet/${'ab'.repeat(32)}`);
  });

  it('knows every kind of history row', () => {
    expect(HISTORY_KINDS).toContain('packet_claim');
    expect(new Set(HISTORY_KINDS).size).toBe(HISTORY_KINDS.length);
  });
});
