// Errors the API answers with. Every failure a caller can cause is an ApiError with an HTTP status and a
// stable machine code: a refused transaction carries its typed rejection code (`bad_nonce`,
// `bad_signature`…), everything else one of the API codes below. Anything else reaching an adapter is
// a bug in the node and is the only thing that may become a 500.
import { type RejectionCode, rejectionCodes, TxRejected } from '@gongxin/ledger';
import { MempoolFull } from '../mempool';

/** Codes of the API itself, next to the ledger's rejection codes. */
export const apiErrorCodes = [
  'invalid_input',
  'not_found',
  'busy',
  'rate_limited',
  'timeout',
  'unavailable',
] as const;

export type ApiErrorCode = (typeof apiErrorCodes)[number] | RejectionCode;

export type ApiStatus = 400 | 404 | 408 | 429 | 503;

export interface ApiErrorJson {
  code: ApiErrorCode;
  message: string;
  /** For `busy` and `rate_limited`: when to try again. */
  retryAfterMs?: number;
  /** For `timeout` on submit-and-wait: the accepted tx, which may still commit. */
  txId?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: ApiStatus,
    readonly code: ApiErrorCode,
    message: string,
    readonly extra: { retryAfterMs?: number; txId?: string } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): ApiErrorJson {
    return { code: this.code, message: this.message, ...this.extra };
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const invalidInput = (message: string) => new ApiError(400, 'invalid_input', message);

const rejection = new Set<string>(rejectionCodes);

export function isRejectionCode(code: string): code is RejectionCode {
  return rejection.has(code);
}

/** Errors of the node's own API (submit) as ApiErrors; anything unknown is returned unchanged. */
export function toApiError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  if (error instanceof TxRejected) return new ApiError(400, error.code, error.message);
  if (error instanceof MempoolFull) {
    return new ApiError(429, 'busy', `busy, retry: ${error.message}`, { retryAfterMs: error.retryAfterMs });
  }
  return error;
}
