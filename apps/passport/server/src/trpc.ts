// Passport's one tRPC instance (app-kit: context with the mount's PassportRuntime as `ctx.app`, 401/403
// guards, error shape), plus the officer guard:
// an officer is an on-chain authority with scope `identity` (governance) or holds `passport:officer`.
import { hasRole, initAppTRPC } from '@gongxin/app-kit';
import { TRPCError } from '@trpc/server';
import { isIdentityAuthority } from './chain';
import type { PassportRuntime } from './runtime';

export const { router, publicProcedure, protectedProcedure, roleProcedure, createCallerFactory, middleware } =
  initAppTRPC<PassportRuntime>();

export const OFFICER_ROLE = { app: 'passport', role: 'officer' } as const;

/** Signed in, and an identity authority on chain or holding passport:officer; else 403. */
export const officerProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  if (hasRole(ctx.user, OFFICER_ROLE.app, OFFICER_ROLE.role)) return next();
  if (await isIdentityAuthority(ctx.services.chain.client, ctx.user.address)) return next();
  throw new TRPCError({
    code: 'FORBIDDEN',
    message: 'this needs the role passport:officer or an identity authority on the chain',
  });
});
