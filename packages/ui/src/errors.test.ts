import { ChainError } from '@gongxin/client';
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { errorDetail, errorMessage } from './errors';
import { AmountError, parseAmount } from './format/amount';
import { createSuiteI18n, type SuiteLocale } from './i18n';
import { KeyringError } from './keyring/vault';
import { suiteTranslator } from './testing/suite-translator';

function trpcError(message: string, data: Record<string, unknown> | null) {
  return TRPCClientError.from({ error: { message, code: -32600, data } } as never);
}

/** `t` of a page whose app adds words of its own to the suite's. */
function suiteTranslatorWith(locale: SuiteLocale, messages: Record<string, unknown>) {
  const i18n = createSuiteI18n({
    'zh-CN': locale === 'zh-CN' ? messages : {},
    en: locale === 'en' ? messages : {},
  });
  i18n.global.locale.value = locale;
  return (key: string, named?: Record<string, unknown>) => i18n.global.t(key, named ?? {});
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
    expect(errorMessage(new ChainError('insufficient_funds', 'has 5, needs 10'), zh)).toBe('余额不足。');
    expect(errorMessage(new ChainError('insufficient_funds', 'has 5, needs 10'), en)).toBe(
      'Insufficient balance. (has 5, needs 10)',
    );
    expect(errorMessage(new ChainError('busy', 'mempool full', { retryAfterMs: 2500 }), en)).toBe(
      'The chain is busy. Try again in a moment. Try again in 3 s.',
    );
    expect(errorMessage(new ChainError('network', 'cannot reach the chain: Failed to fetch'), en)).toBe(
      'Cannot reach the chain. Check your connection and try again.',
    );
    expect(errorMessage(new ChainError('http_502', 'the chain answered 502'), en)).toBe(
      'Something went wrong: the chain answered 502',
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
  it("leaves the node's English out where the sentence says it all, and out of Chinese sentences for every known code", () => {
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
    // …and for the codes where the English names what was wrong: that is in the technical details.
    expect(errorMessage(new ChainError('invalid_params', 'capital: must be a whole number of fen'), zh)).toBe(
      '参数不正确。',
    );
    for (const [code, detail] of [
      ['not_allowed', 'the month is closed'],
      ['limit_exceeded', 'at most 128 pending locks'],
      ['insufficient_funds', 'gx1… holds 100 CNYX, 200 needed'],
      ['already_exists', 'uscc 91310000 is registered'],
    ] as const) {
      const message = errorMessage(new ChainError(code, detail), zh);
      expect(message, code).not.toMatch(/[A-Za-z]/);
      expect(errorDetail(new ChainError(code, detail)), code).toBe(`${code}: ${detail}`);
    }
    // An English page may keep it in brackets: it is the page's language.
    expect(errorMessage(new ChainError('not_allowed', 'the month is closed'), en)).toBe(
      'This is not allowed. (the month is closed)',
    );
  });

  it('keeps the detail inline when the code is unknown: then it is the only information', () => {
    expect(errorMessage(new ChainError('http_502', 'the chain answered 502'), zh)).toBe(
      '出错了：the chain answered 502',
    );
    expect(errorMessage(new ChainError('http_502', ''), zh)).toBe('出错了：http_502');
  });

  it("says a refusal without words of the page's own in the page's language, the English in the details", () => {
    const recalled = trpcError('lot L1 is recalled', { code: 'CONFLICT', httpStatus: 409 });
    expect(errorMessage(recalled, zh)).toBe('与当前状态冲突，请刷新后重试。');
    expect(errorMessage(recalled, en)).toBe(
      'This conflicts with the current state. Refresh and try again. (lot L1 is recalled)',
    );
    expect(errorDetail(recalled)).toBe('CONFLICT: lot L1 is recalled');
    const early = trpcError('register on the chain first', { code: 'PRECONDITION_FAILED', httpStatus: 412 });
    expect(errorMessage(early, zh)).toBe('还不满足这个操作的前提条件。');
  });

  it('says FORBIDDEN and NOT_FOUND in Chinese only, and the retry time in the sentence', () => {
    const forbidden = trpcError('needs welfare/officer', { code: 'FORBIDDEN', httpStatus: 403 });
    expect(errorMessage(forbidden, zh)).toBe('你没有权限执行这个操作。');
    const missing = trpcError('no application 42', { code: 'NOT_FOUND', httpStatus: 404 });
    expect(errorMessage(missing, zh)).toBe('没有找到。');
    expect(errorMessage(missing, en)).toBe('Not found. (no application 42)');
    const limited = trpcError('insufficient balance: have 100 need 200', {
      code: 'BAD_REQUEST',
      httpStatus: 400,
      chainError: { code: 'insufficient_funds', message: 'insufficient balance: have 100 need 200' },
    });
    expect(errorMessage(limited, zh)).toBe('余额不足。');
    const busy = new ChainError('rate_limited', 'too many txs from 1.2.3.4', { retryAfterMs: 4200 });
    expect(errorMessage(busy, zh)).toBe('提交太频繁，请稍后再试。 请在 5 秒后重试。');
  });
});

describe('errorMessage for bad input and app refusals', () => {
  const zh = suiteTranslator('zh-CN');
  const en = suiteTranslator('en');
  const issues = (list: unknown[]) =>
    trpcError('[…]', {
      code: 'BAD_REQUEST',
      httpStatus: 400,
      zodError: { formErrors: [], fieldErrors: {} },
      issues: list,
    });
  const tooShort = {
    path: ['title'],
    code: 'too_small',
    message: 'Too small: expected string to have >=1 characters',
    params: { origin: 'string', minimum: 1, inclusive: true },
  };

  it("says each zod issue in the page's language, with the page's label for the field or its name", () => {
    expect(errorMessage(issues([tooShort]), zh, { labels: { title: '标题' } })).toBe(
      '请检查：标题：至少 1 个字符',
    );
    expect(errorMessage(issues([tooShort]), zh)).toBe('请检查：title：至少 1 个字符');
    expect(errorMessage(issues([tooShort]), en, { labels: { title: 'Title' } })).toBe(
      'Please check: Title: at least 1 character(s)',
    );
    expect(errorMessage(issues([tooShort]), en)).toBe('Please check: title: at least 1 character(s)');
    const several = issues([
      {
        path: ['lines', 0, 'qty'],
        code: 'too_big',
        message: '…',
        params: { origin: 'int', maximum: 99, inclusive: true },
      },
      { path: ['kind'], code: 'invalid_value', message: '…', params: { values: ['farm', 'shop'] } },
      { path: ['count'], code: 'invalid_type', message: '…', params: { expected: 'int' } },
      { path: [], code: 'unrecognized_keys', message: '…', params: { keys: ['extra'] } },
    ]);
    expect(errorMessage(several, zh, { labels: { qty: '数量' } })).toBe(
      '请检查：数量：不能大于 99；kind：只能是：farm, shop；count：应为整数；有无法识别的字段：extra',
    );
    expect(errorMessage(several, en)).toBe(
      'Please check: qty: must be at most 99; kind: must be one of: farm, shop; count: must be a whole number; has fields that are not known: extra',
    );
  });

  it("keeps a custom rule's English out of a Chinese sentence and in the technical details", () => {
    const custom = issues([{ path: ['to'], code: 'custom', message: 'must be a gx1… address', params: {} }]);
    expect(errorMessage(custom, zh, { labels: { to: '收款人' } })).toBe('请检查：收款人：不正确');
    expect(errorMessage(custom, en)).toBe('Please check: to: is not valid (must be a gx1… address)');
    expect(errorDetail(custom)).toBe('BAD_REQUEST: to: must be a gx1… address');
  });

  it("says an app's reason key with its parameters, in the page's language", () => {
    const zhApp = suiteTranslatorWith('zh-CN', {
      errors: { reason: { plate_not_bound: '车牌 {plate} 没有绑定到这个账户。' } },
    });
    const enApp = suiteTranslatorWith('en', {
      errors: { reason: { plate_not_bound: 'Plate {plate} is not bound to this account.' } },
    });
    const unbound = trpcError('plate 京A12345 is not bound to this account', {
      code: 'NOT_FOUND',
      httpStatus: 404,
      reason: { key: 'plate_not_bound', params: { plate: '京A12345' } },
    });
    expect(errorMessage(unbound, zhApp)).toBe('车牌 京A12345 没有绑定到这个账户。');
    expect(errorMessage(unbound, enApp)).toBe('Plate 京A12345 is not bound to this account.');
    expect(errorDetail(unbound)).toBe('NOT_FOUND: plate 京A12345 is not bound to this account');
  });

  it('falls back to a sentence for the code when the page has no words for the key', () => {
    const self = trpcError('to: not to yourself', {
      code: 'BAD_REQUEST',
      httpStatus: 400,
      reason: { key: 'no_such_key_anywhere', params: {} },
    });
    expect(errorMessage(self, zh)).toBe('请求未被接受，请检查填写的内容后重试。');
    expect(errorMessage(self, zh)).not.toMatch(/[A-Za-z]/);
    expect(errorDetail(self)).toBe('BAD_REQUEST: to: not to yourself');
    const plain = trpcError('to: not to yourself', { code: 'BAD_REQUEST', httpStatus: 400 });
    expect(errorMessage(plain, zh)).toBe('请求未被接受，请检查填写的内容后重试。');
    expect(errorMessage(plain, en)).toBe(
      'The request was not accepted. Check what you entered and try again. (to: not to yourself)',
    );
  });
});

describe('errorDetail', () => {
  it("gives the server's code and words for the technical details", () => {
    expect(errorDetail(new ChainError('not_allowed', 'the month is closed'))).toBe(
      'not_allowed: the month is closed',
    );
    expect(errorDetail(new ChainError('timeout', 'not committed within 10 s', { txId: 'ab12' }))).toBe(
      'timeout: not committed within 10 s\ntx: ab12',
    );
    expect(
      errorDetail(
        trpcError('insufficient balance: have 100 need 200', {
          code: 'BAD_REQUEST',
          chainError: { code: 'insufficient_funds', message: 'insufficient balance: have 100 need 200' },
        }),
      ),
    ).toBe('insufficient_funds: insufficient balance: have 100 need 200');
    expect(errorDetail(trpcError('needs welfare/officer', { code: 'FORBIDDEN', httpStatus: 403 }))).toBe(
      'FORBIDDEN: needs welfare/officer',
    );
    expect(errorDetail(new TRPCClientError('Failed to fetch'))).toBe('network: Failed to fetch');
  });

  it('has nothing for errors of this device, internal server errors and plain errors', () => {
    expect(errorDetail(new KeyringError('wrong_password'))).toBeNull();
    expect(errorDetail(new AmountError('empty', 'x'))).toBeNull();
    expect(errorDetail(trpcError('db exploded at line 3', { code: 'INTERNAL_SERVER_ERROR' }))).toBeNull();
    expect(errorDetail(new Error('boom'))).toBeNull();
    expect(errorDetail('odd')).toBeNull();
  });
});
