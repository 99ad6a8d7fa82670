import { ChainError } from '@gongxin/client';
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { errorMessage } from './errors';
import { AmountError, parseAmount } from './format/amount';
import { KeyringError } from './keyring/vault';
import { suiteTranslator } from './testing/suite-translator';

function trpcError(message: string, data: Record<string, unknown> | null) {
  return TRPCClientError.from({ error: { message, code: -32600, data } } as never);
}

describe('errorMessage', () => {
  const zh = suiteTranslator('zh-CN');
  const en = suiteTranslator('en');

  it('explains keyring, amount and chain errors in the current language', () => {
    expect(errorMessage(new KeyringError('wrong_password'), zh)).toBe('密码错误。');
    expect(errorMessage(new KeyringError('cancelled'), en)).toBe('Cancelled; nothing was signed.');
    let amount: unknown;
    try {
      parseAmount('1.234', 2);
    } catch (e) {
      amount = e;
    }
    expect(errorMessage(amount, zh)).toBe('最多 2 位小数。');
    expect(errorMessage(new AmountError('empty', 'x'), en)).toBe('Enter an amount.');
    expect(errorMessage(new ChainError('insufficient_funds', 'has 5, needs 10'), zh)).toBe(
      '余额不足。（技术信息：has 5, needs 10）',
    );
    expect(errorMessage(new ChainError('busy', 'mempool full', { retryAfterMs: 2500 }), en)).toBe(
      'The chain is busy. Try again in a moment. Try again in 3 s.',
    );
    expect(errorMessage(new ChainError('network', 'cannot reach the chain: Failed to fetch'), en)).toBe(
      'Cannot reach the chain. Check your connection and try again.',
    );
    expect(errorMessage(new ChainError('http_502', 'the chain answered 502'), en)).toBe(
      'the chain answered 502',
    );
  });

  it('turns tRPC errors into what to do: fields to fix, chain refusals, login, permissions', () => {
    const fields = trpcError('bad input', {
      code: 'BAD_REQUEST',
      httpStatus: 400,
      zodError: {
        formErrors: [],
        fieldErrors: { amount: ['must be at least 1'], to: ['must be a gx1… address'] },
      },
    });
    expect(errorMessage(fields, en)).toBe(
      'Please check: amount: must be at least 1; to: must be a gx1… address',
    );
    const refused = trpcError('nonce 0 is not next', {
      code: 'BAD_REQUEST',
      httpStatus: 400,
      zodError: null,
      chainError: { code: 'bad_nonce', message: 'nonce 0 is not next' },
    });
    expect(errorMessage(refused, zh)).toBe('交易序号已被使用，请重试。');
    expect(errorMessage(trpcError('no session', { code: 'UNAUTHORIZED', httpStatus: 401 }), zh)).toBe(
      '请先登录。',
    );
    expect(errorMessage(trpcError('needs welfare/officer', { code: 'FORBIDDEN', httpStatus: 403 }), en)).toBe(
      'You are not allowed to do this. (needs welfare/officer)',
    );
    expect(errorMessage(trpcError('db exploded at line 3', { code: 'INTERNAL_SERVER_ERROR' }), en)).toBe(
      'The server had a problem. Try again later.',
    );
    expect(errorMessage(new TRPCClientError('Failed to fetch'), zh)).toBe(
      '无法连接服务器，请检查网络后重试。',
    );
    expect(errorMessage(new Error('boom'), en)).toBe('Something went wrong: boom');
    expect(errorMessage('odd', en)).toBe('Something went wrong: odd');
  });
  it("leaves the node's English out where the sentence says it all, and marks it where it is the precise part", () => {
    // A Chinese page reads Chinese only for refusals whose sentence is complete…
    for (const [code, detail] of [
      ['bad_nonce', 'nonce 3 is not next (expected 4)'],
      ['busy', 'mempool full'],
      ['rate_limited', 'too many txs from 1.2.3.4'],
      ['wrong_chain', 'tx for chain gongxin-test'],
      ['bad_signature', 'signature does not verify'],
    ] as const) {
      const message = errorMessage(new ChainError(code, detail), zh);
      expect(message, code).not.toContain(detail);
      expect(message, code).not.toMatch(/[A-Za-z]/);
    }
    // …and names the English as technical detail where only it says what was wrong.
    expect(errorMessage(new ChainError('invalid_params', 'capital: must be a whole number of fen'), zh)).toBe(
      '参数不正确。（技术信息：capital: must be a whole number of fen）',
    );
    expect(errorMessage(new ChainError('not_allowed', 'the month is closed'), en)).toBe(
      'This is not allowed. (the month is closed)',
    );
  });
});
