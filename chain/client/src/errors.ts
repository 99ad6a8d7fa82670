// One error type for everything the chain or the network can answer. `code` is the server's typed code:
// a rejection code for a refused tx (`bad_nonce`, `bad_signature`, `wrong_chain`…), an API code
// (`not_found`, `busy`, `rate_limited`, `timeout`, `invalid_input`), or `network` when no answer came.
import { TRPCClientError } from '@trpc/client';

/** Codes that mean the tx itself was refused (see the ledger's rejectionCodes). */
const rejectionCodes = new Set([
  'malformed',
  'too_large',
  'wrong_chain',
  'bad_signature',
  'key_not_authorized',
  'bad_nonce',
]);

const fromTrpcCode: Record<string, string> = {
  BAD_REQUEST: 'invalid_input',
  PARSE_ERROR: 'invalid_input',
  NOT_FOUND: 'not_found',
  TOO_MANY_REQUESTS: 'busy',
  TIMEOUT: 'timeout',
  SERVICE_UNAVAILABLE: 'unavailable',
  INTERNAL_SERVER_ERROR: 'internal',
};

export interface ChainErrorDetails {
  status?: number;
  retryAfterMs?: number;
  txId?: string;
  /** For invalid_input: which fields were wrong (zod's flattened issues). */
  issues?: unknown;
  cause?: unknown;
}

export class ChainError extends Error {
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly txId?: string;
  readonly issues?: unknown;

  constructor(
    readonly code: string,
    message: string,
    details: ChainErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ChainError';
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.txId = details.txId;
    this.issues = details.issues;
  }

  /** The tx was refused before execution (it is not valid, authentic or fresh); retrying it as is won't help. */
  get isRejection(): boolean {
    return rejectionCodes.has(this.code);
  }

  /** Worth retrying later: the node was busy, limited the caller, or did not commit in time. */
  get isRetryable(): boolean {
    return (
      this.code === 'busy' ||
      this.code === 'rate_limited' ||
      this.code === 'timeout' ||
      this.code === 'network'
    );
  }
}

interface ServerErrorData {
  code?: string;
  httpStatus?: number;
  chainError?: { code: string; message: string; retryAfterMs?: number; txId?: string } | null;
  zodError?: unknown;
}

export function toChainError(error: unknown): ChainError {
  if (error instanceof ChainError) return error;
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? undefined) as ServerErrorData | undefined;
    const chain = data?.chainError ?? undefined;
    if (chain) {
      return new ChainError(chain.code, chain.message, {
        status: data?.httpStatus,
        retryAfterMs: chain.retryAfterMs,
        txId: chain.txId,
        issues: data?.zodError ?? undefined,
        cause: error,
      });
    }
    if (data?.code) {
      return new ChainError(fromTrpcCode[data.code] ?? data.code.toLowerCase(), error.message, {
        status: data.httpStatus,
        cause: error,
      });
    }
    return new ChainError('network', error.message, { cause: error });
  }
  return new ChainError('network', error instanceof Error ? error.message : String(error), { cause: error });
}
