// The tRPC building blocks every app's `src/trpc.ts` calls once: context, guards and error shape.
// Bad input must always be a 4xx naming what was wrong, never a 500; an unexpected error must never send
// its message or stack to the client (it is logged with the request id instead).
import { ChainError } from '@gongxin/client';
import { isDatabaseUnavailable } from '@gongxin/db';
import type { Logger } from '@gongxin/telemetry';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError, z } from 'zod';
import { fieldIssues, reasonOf } from './app-error';
import { hasRole, type SessionUser } from './roles';
import type { AppServices } from './services';

export interface AppContext<TApp = undefined> {
  user: SessionUser | null;
  requestId: string;
  /** Child of the app's logger carrying `requestId`. */
  logger: Logger;
  services: AppServices;
  ip: string;
  /**
   * What the app's `setup` built for this mount (undefined for an app without one): a procedure reaches
   * its mount's state here, never by looking it up by `services`.
   */
  app: TApp;
}

/** What the client sees for an unexpected error: nothing of the internals. */
export const INTERNAL_MESSAGE = 'Internal server error';
export const DATABASE_UNAVAILABLE_MESSAGE = 'the database is not answering right now: try again in a moment';

type TrpcCode = TRPCError['code'];

// A ChainError from the chain client is the caller's fault when the node said so (4xx); otherwise the
// chain is unreachable or broken, which is not a bug of this app either.
function chainErrorCode(error: ChainError): TrpcCode {
  switch (error.status) {
    case 400:
      return 'BAD_REQUEST';
    case 404:
      return 'NOT_FOUND';
    case 408:
      return 'TIMEOUT';
    case 429:
      return 'TOO_MANY_REQUESTS';
    default:
      return 'SERVICE_UNAVAILABLE';
  }
}

export function initAppTRPC<TApp = undefined>() {
  const t = initTRPC.context<AppContext<TApp>>().create({
    isDev: false,
    errorFormatter({ shape, error }) {
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      const zod = error.code === 'BAD_REQUEST' && error.cause instanceof ZodError ? error.cause : null;
      return {
        message: internal ? INTERNAL_MESSAGE : shape.message,
        code: shape.code,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          // Flattened English messages per field, for what reads them as they were…
          zodError: zod ? z.flattenError(zod) : null,
          // …and each issue as data (path, code, parameters) for a page to say in its own language.
          issues: zod ? fieldIssues(zod) : null,
          // An app's own refusal: a key and parameters (see appError), said by the page in its language.
          reason: internal ? null : reasonOf(error),
          chainError:
            error.cause instanceof ChainError
              ? { code: error.cause.code, message: error.cause.message }
              : null,
        },
      };
    },
  });

  // Errors thrown by a resolver that are really the caller's fault get their 4xx here: a zod parse inside
  // the resolver, or the chain refusing what the caller asked for.
  const classifyErrors = t.middleware(async ({ next }) => {
    const result = await next();
    if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR') {
      const cause = result.error.cause;
      if (cause instanceof ZodError) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'invalid input', cause });
      }
      if (cause instanceof ChainError && cause.code !== 'internal') {
        throw new TRPCError({ code: chainErrorCode(cause), message: cause.message, cause });
      }
      // The database not answering (stopped, restarting, cut off, out of disk) is not the request's fault
      // nor a bug: 503, try again. The driver's message stays in the log: it can name hosts.
      if (isDatabaseUnavailable(cause)) {
        throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: DATABASE_UNAVAILABLE_MESSAGE, cause });
      }
    }
    return result;
  });

  const publicProcedure = t.procedure.use(classifyErrors);

  const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
    if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
    return next({ ctx: { user: ctx.user } });
  });

  /** Signed in and holding `<app>:<role>` (from passport's ID token), else FORBIDDEN naming the role. */
  const roleProcedure = (app: string, role: string) =>
    protectedProcedure.use(({ ctx, next }) => {
      if (!hasRole(ctx.user, app, role)) {
        throw new TRPCError({ code: 'FORBIDDEN', message: `this needs the role ${app}:${role}` });
      }
      return next();
    });

  return {
    router: t.router,
    publicProcedure,
    protectedProcedure,
    roleProcedure,
    createCallerFactory: t.createCallerFactory,
    middleware: t.middleware,
    mergeRouters: t.mergeRouters,
  };
}
