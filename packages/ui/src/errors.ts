// One function from any error the kit or an app's tRPC API can throw to a sentence a person can act on, in
// the current language: which field to fix, that they must log in, that the balance is too low, when to
// retry. Server-side detail (the node's reason, a field's zod message) is kept in brackets, marked as
// technical detail, where it is the precise part; where the sentence says it all it is left out; internal
// server errors never show theirs. Bad input arrives as zod issues (path, rule, its numbers) and an app's
// refusal as a reason key with parameters: both are said here in the page's language, the server's English
// kept for the technical details.
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

/** One zod issue as the server's error formatter sends it. */
interface FieldIssue {
  path: (string | number)[];
  code: string;
  message?: string;
  params?: Record<string, unknown>;
}

interface ServerErrorData {
  code?: string;
  httpStatus?: number;
  zodError?: { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> } | null;
  issues?: FieldIssue[] | null;
  reason?: { key: string; params?: Record<string, unknown> } | null;
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

export interface ErrorMessageOptions {
  /**
   * The page's words for its fields, by path (`items.0.qty`) or by name (`title`): an issue of a field is
   * said with its label; a field without one is named by the last part of its path.
   */
  labels?: Record<string, string>;
}

/** `t` for a key that may be missing: null then (vue-i18n answers a missing key with the key itself). */
function known(t: Translate, key: string, named?: Record<string, unknown>): string | null {
  const said = t(key, named);
  return said === key ? null : said;
}

function fieldLabel(path: FieldIssue['path'], labels: Record<string, string>): string | null {
  if (path.length === 0) return null;
  const full = path.join('.');
  if (labels[full]) return labels[full];
  const name = [...path].reverse().find((p) => typeof p === 'string');
  if (name === undefined) return full;
  if (labels[name]) return labels[name];
  return name === path[path.length - 1] ? name : full;
}

const sizedOrigins: Record<string, 'string' | 'number' | 'array'> = {
  string: 'string',
  number: 'number',
  int: 'number',
  bigint: 'number',
  array: 'array',
  set: 'array',
};

function sizeProblem(t: Translate, code: 'too_small' | 'too_big', params: Record<string, unknown>): string {
  const bound = code === 'too_small' ? params.minimum : params.maximum;
  const named = { minimum: params.minimum, maximum: params.maximum };
  if (bound === undefined) return t('errors.issue.invalid');
  const origin = sizedOrigins[String(params.origin)];
  if (!origin) return t(`errors.issue.${code}.other`, named);
  if (origin === 'number')
    return t(`errors.issue.${code}.${params.inclusive === false ? 'number_exclusive' : 'number'}`, named);
  return t(`errors.issue.${code}.${params.exact === true ? `${origin}_exact` : origin}`, named);
}

function listOf(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(', ') : String(value ?? '');
}

/** What is wrong with one field, in the page's language, from the issue's code and parameters. */
function issueProblem(t: Translate, issue: FieldIssue): string {
  const params = issue.params ?? {};
  switch (issue.code) {
    case 'invalid_type': {
      const expected = known(t, `errors.issue.expected.${String(params.expected)}`);
      return expected ? t('errors.issue.invalid_type', { expected }) : t('errors.issue.invalid_type_any');
    }
    case 'too_small':
    case 'too_big':
      return sizeProblem(t, issue.code, params);
    case 'invalid_format':
      return known(t, `errors.issue.${String(params.format)}`) ?? t('errors.issue.invalid_format');
    case 'not_multiple_of':
      return t('errors.issue.not_multiple_of', { divisor: params.divisor });
    case 'invalid_value':
      return t('errors.issue.invalid_value', { values: listOf(params.values) });
    case 'unrecognized_keys':
      return t('errors.issue.unrecognized_keys', { keys: listOf(params.keys) });
    default:
      // A custom rule's own words name what was wrong: an English page keeps them in brackets, a page in
      // another language leaves them to the technical details.
      return issue.message
        ? t('errors.knownDetail', { message: t('errors.issue.invalid'), detail: issue.message })
        : t('errors.issue.invalid');
  }
}

function issueProblems(t: Translate, issues: FieldIssue[], labels: Record<string, string>): string | null {
  const said = issues.map((issue) => {
    const problem = issueProblem(t, issue);
    const field = fieldLabel(issue.path, labels);
    return field === null ? problem : t('errors.issue.field', { field, problem });
  });
  return said.length > 0 ? [...new Set(said)].join(t('errors.issue.separator')) : null;
}

function reasonMessage(t: Translate, reason: NonNullable<ServerErrorData['reason']>): string | null {
  if (!reason.key) return null;
  return known(t, `errors.reason.${reason.key}`, reason.params ?? {});
}

function trpcMessage(error: TRPCClientError<never>, t: Translate, options: ErrorMessageOptions): string {
  const data = (error.data ?? null) as ServerErrorData | null;
  if (data?.chainError)
    return chainMessage(t, data.chainError.code, data.chainError.message, data.chainError.retryAfterMs);
  const issues = data?.issues?.length ? issueProblems(t, data.issues, options.labels ?? {}) : null;
  if (issues) return t('errors.invalidFields', { fields: issues });
  const fields = data?.zodError ? fieldProblems(data.zodError) : null;
  if (fields) return t('errors.invalidFields', { fields });
  const reason = data?.reason ? reasonMessage(t, data.reason) : null;
  if (reason) return reason;
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
    case 'CONFLICT':
      return detail(t('errors.conflict'));
    case 'PRECONDITION_FAILED':
      return detail(t('errors.precondition'));
    default:
      // BAD_REQUEST and every other refusal without words of the page's own: a sentence in its language,
      // the server's English in brackets on an English page and in the technical details on the others.
      return detail(t('errors.badRequest'));
  }
}

export function errorMessage(error: unknown, t: Translate, options: ErrorMessageOptions = {}): string {
  if (error instanceof KeyringError) return t(`errors.keyring.${error.code}`);
  if (error instanceof AmountError)
    return t(`errors.amount.${error.code}`, { decimals: error.decimals ?? 0 });
  if (error instanceof ChainError) return chainMessage(t, error.code, error.message, error.retryAfterMs);
  if (error instanceof ClockUnavailableError) return t('errors.clock');
  if (error instanceof TRPCClientError) return trpcMessage(error as TRPCClientError<never>, t, options);
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
    // Bad input: each field's rule in the server's words (tRPC's own message is the issues as JSON).
    if (data.issues?.length)
      return `${data.code}: ${data.issues
        .map((i) =>
          i.path.length > 0 ? `${i.path.join('.')}: ${i.message ?? i.code}` : (i.message ?? i.code),
        )
        .join('; ')}`;
    return error.message ? `${data.code}: ${error.message}` : data.code;
  }
  return null;
}
