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
 * Chain codes whose sentence says all a person can act on: the node's detail adds nothing to it in any
 * language. For the others (invalid_params, not_allowed, limit_exceeded…) the detail names what was wrong:
 * an English page keeps it in brackets (`errors.knownDetail`), a page in another language leaves it to
 * the technical details.
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
  let message: string;
  // An unknown code: the node's words are all there is, said as what they are.
  if (!chainCodes.has(code)) message = t('errors.unknown', { message: detail || code });
  else if (detail && !selfExplained.has(code))
    message = t('errors.knownDetail', { message: t(`errors.chain.${code}`), detail });
  else message = t(`errors.chain.${code}`);
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
  const detail = (message: string) =>
    error.message ? t('errors.knownDetail', { message, detail: error.message }) : message;
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

/** tRPC codes whose message is the server's internals, never shown to anyone. */
const privateTrpcCodes = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE']);

/**
 * The server's own words for an error, with its code (`not_allowed: the month is closed`,
 * `FORBIDDEN: needs welfare/officer`), for the technical details under the sentence: what support asks a
 * person to copy. null where there is nothing beyond the sentence (errors of this device, internal server
 * errors, a plain Error whose message the sentence already carries).
 */
export function errorDetail(error: unknown): string | null {
  if (error instanceof ChainError) {
    const lines = [error.message ? `${error.code}: ${error.message}` : error.code];
    if (error.txId) lines.push(`tx: ${error.txId}`);
    return lines.join('\n');
  }
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? null) as ServerErrorData | null;
    if (data?.chainError) {
      const { code, message } = data.chainError;
      return message ? `${code}: ${message}` : code;
    }
    if (!data?.code) return error.message ? `network: ${error.message}` : null;
    if (privateTrpcCodes.has(data.code)) return null;
    return error.message ? `${data.code}: ${error.message}` : data.code;
  }
  return null;
}
