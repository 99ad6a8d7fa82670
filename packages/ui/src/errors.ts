// One function from any error the kit or an app's tRPC API can throw to a sentence a person can act on, in
// the current language: which field to fix, that they must log in, that the balance is too low, when to
// retry. Server-side detail (the node's reason, a field's zod message) is kept in brackets, marked as
// technical detail, where it is the precise part; where the sentence says it all it is left out; internal
// server errors never show theirs.
import { ChainError } from '@gongxin/client';
import { TRPCClientError } from '@trpc/client';
import { ClockUnavailableError } from './clock';
import type { Translate } from './decoders/registry';
import { AmountError } from './format/amount';
import { KeyringError } from './keyring/vault';
import zhCN from './locales/zh-CN';

const chainCodes = new Set(Object.keys(zhCN.errors.chain));
/**
 * Chain codes whose sentence says all a person can act on: the node's detail (English, for operators) adds
 * nothing there and is left out. For the others (invalid_params, not_allowed, limit_exceeded…) the detail
 * is the only place that names what was wrong, so it stays, marked as the technical detail it is.
 */
const selfExplained = new Set([
  'malformed',
  'too_large',
  'wrong_chain',
  'bad_signature',
  'key_not_authorized',
  'bad_nonce',
  'frozen',
  'busy',
  'rate_limited',
  'timeout',
  'unavailable',
  'network',
]);

interface ServerErrorData {
  code?: string;
  httpStatus?: number;
  zodError?: { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> } | null;
  chainError?: { code: string; message: string; retryAfterMs?: number } | null;
}

function chainMessage(t: Translate, code: string, detail: string | undefined, retryAfterMs?: number): string {
  let message = chainCodes.has(code)
    ? t(`errors.chain.${code}`)
    : detail
      ? ''
      : t('errors.unknown', { message: code });
  if (!message) message = detail ?? code;
  else if (detail && !selfExplained.has(code)) message = t('errors.withDetail', { message, detail });
  if (retryAfterMs !== undefined && retryAfterMs > 0)
    message = `${message} ${t('errors.retryAfter', { seconds: Math.ceil(retryAfterMs / 1000) })}`;
  return message;
}

function fieldProblems(zod: NonNullable<ServerErrorData['zodError']>): string | null {
  const fields = Object.entries(zod.fieldErrors ?? {})
    .filter(([, messages]) => messages && messages.length > 0)
    .map(([field, messages]) => `${field}: ${messages!.join(', ')}`);
  const all = [...fields, ...(zod.formErrors ?? [])];
  return all.length > 0 ? all.join('; ') : null;
}

function trpcMessage(error: TRPCClientError<never>, t: Translate): string {
  const data = (error.data ?? null) as ServerErrorData | null;
  if (data?.chainError)
    return chainMessage(t, data.chainError.code, data.chainError.message, data.chainError.retryAfterMs);
  const fields = data?.zodError ? fieldProblems(data.zodError) : null;
  if (fields) return t('errors.invalidFields', { fields });
  const detail = (message: string) => t('errors.withDetail', { message, detail: error.message });
  switch (data?.code) {
    case undefined:
      // No tRPC answer at all: the request never reached the server or the proxy answered instead.
      return t('errors.network');
    case 'UNAUTHORIZED':
      return t('errors.unauthorized');
    case 'FORBIDDEN':
      return detail(t('errors.forbidden'));
    case 'NOT_FOUND':
      return detail(t('errors.notFound'));
    case 'TOO_MANY_REQUESTS':
      return t('errors.tooManyRequests');
    case 'TIMEOUT':
      return t('errors.timeout');
    case 'INTERNAL_SERVER_ERROR':
    case 'SERVICE_UNAVAILABLE':
      return t('errors.server');
    default:
      return error.message || t('errors.server');
  }
}

export function errorMessage(error: unknown, t: Translate): string {
  if (error instanceof KeyringError) return t(`errors.keyring.${error.code}`);
  if (error instanceof AmountError)
    return t(`errors.amount.${error.code}`, { decimals: error.decimals ?? 0 });
  if (error instanceof ChainError) return chainMessage(t, error.code, error.message, error.retryAfterMs);
  if (error instanceof ClockUnavailableError) return t('errors.clock');
  if (error instanceof TRPCClientError) return trpcMessage(error as TRPCClientError<never>, t);
  if (error instanceof Error) return t('errors.unknown', { message: error.message });
  return t('errors.unknown', { message: String(error) });
}
