// The node API's one tRPC instance. Inputs are validated with zod; errors carry, next to tRPC's own
// shape, `data.chainError` ({ code, message, retryAfterMs?, txId? }: the typed rejection code of a refused
// tx, or an API code such as not_found / busy / invalid_input) and `data.zodError` (the flattened issues
// of a bad input), so a client never has to parse messages.
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError, z } from 'zod';
import type { ChainNode } from '../node';
import { ApiError, type ApiErrorJson, type ApiStatus } from './errors';
import type { ChainApi } from './service';

export interface NodeApiContext {
  node: ChainNode;
  api: ChainApi;
  /** The caller's address (express `req.ip`), for per-client limits. */
  client?: string;
}

function describeZod(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`)
    .join('; ');
}

const t = initTRPC.context<NodeApiContext>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    let chainError: ApiErrorJson | null = null;
    if (cause instanceof ApiError) chainError = cause.toJSON();
    else if (cause instanceof ZodError) chainError = { code: 'invalid_input', message: describeZod(cause) };
    return {
      ...shape,
      data: {
        ...shape.data,
        // Never leak a stack trace to the network, whatever NODE_ENV says.
        stack: undefined,
        zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
        chainError,
      },
    };
  },
  sse: {
    // Comments every 15 s keep proxies from closing an idle stream; the client reconnects (resuming from
    // the last event id) if it hears nothing for 40 s.
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 40_000 },
  },
});

const trpcCodes: Record<ApiStatus, TRPCError['code']> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  408: 'TIMEOUT',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/** ApiErrors thrown by a procedure become the matching tRPC error (BAD_REQUEST, NOT_FOUND…). */
const apiErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof ApiError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: trpcCodes[cause.status], message: cause.message, cause });
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(apiErrors);
export const createCallerFactory = t.createCallerFactory;
