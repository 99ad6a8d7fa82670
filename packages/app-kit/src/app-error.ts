// An app's refusal as data: a stable reason key and its parameters, which the page says in its own
// language (`errors.reason.<key>` in the app web's messages), and an English message for logs and the
// technical details. Zod issues go the same way: path, code and the code's parameters, never only English.
import { TRPCError } from '@trpc/server';
import type { ZodError } from 'zod';

type TrpcCode = TRPCError['code'];

/** What a reason's sentence is filled in with: plain values only, so they cross JSON unchanged. */
export type ReasonParams = Record<string, string | number | boolean>;

export interface ErrorReason {
  key: string;
  params: ReasonParams;
}

/** A TRPCError that also says why as a key (`plate_not_bound`) with parameters (`{ plate }`). */
export class AppError extends TRPCError {
  readonly reason: ErrorReason;
  constructor(code: TrpcCode, key: string, params: ReasonParams, message: string, cause?: unknown) {
    super({ code, message, ...(cause !== undefined && { cause }) });
    this.name = 'AppError';
    this.reason = { key, params };
  }
}

/**
 * `throw appError('BAD_REQUEST', 'plate_not_bound', { plate }, \`plate ${plate} is not bound\`)`: the page
 * shows `errors.reason.plate_not_bound` in its language; the English message stays the server's.
 */
export function appError(
  code: TrpcCode,
  key: string,
  params: ReasonParams,
  message: string,
  cause?: unknown,
): AppError {
  return new AppError(code, key, params, message, cause);
}

/** The reason of an error, if it carries one (itself or what it wraps). */
export function reasonOf(error: unknown): ErrorReason | null {
  if (error instanceof AppError) return error.reason;
  if (error instanceof TRPCError && error.cause instanceof AppError) return error.cause.reason;
  return null;
}

/** One zod issue as the client renders it: where, which rule, the rule's numbers and names. */
export interface FieldIssue {
  /** Path into the input (`['items', 0, 'qty']`); empty for the input as a whole. */
  path: (string | number)[];
  /** zod's issue code: invalid_type, too_small, too_big, invalid_format, invalid_value, custom… */
  code: string;
  /** The zod (English) message: the detail itself for a custom issue, technical detail for the others. */
  message: string;
  /** The rule's parameters: minimum/maximum/inclusive/exact/origin, expected, format, divisor, values, keys. */
  params: Record<string, string | number | boolean | (string | number | boolean)[]>;
}

const issueParams = [
  'origin',
  'minimum',
  'maximum',
  'inclusive',
  'exact',
  'expected',
  'format',
  'divisor',
  'values',
  'keys',
] as const;

type Plain = string | number | boolean;

function plainOf(value: unknown): Plain | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value === null) return 'null';
  return null;
}

export function fieldIssues(error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const params: FieldIssue['params'] = {};
    const raw = issue as unknown as Record<string, unknown>;
    for (const name of issueParams) {
      const value = raw[name];
      if (Array.isArray(value)) {
        const list = value.map(plainOf).filter((v): v is Plain => v !== null);
        params[name] = list;
      } else {
        const plain = value === undefined ? null : plainOf(value);
        if (plain !== null) params[name] = plain;
      }
    }
    return {
      path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
      code: issue.code,
      message: issue.message,
      params,
    };
  });
}
