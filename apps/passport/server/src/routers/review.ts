// The officer's side: review applications (masked numbers only), approve by signing `identity.attest` in
// the browser (the server prepares the action, the indexer records the outcome), reject with a reason,
// and manage app roles the same way (`identity.grantRole` / `revokeRole`).
import { appError } from '@gongxin/app-kit';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { authorityOnChain, rolesOnChain } from '../chain';
import { publicApplication } from '../registration';
import { roles } from '../schema';
import { officerProcedure, router } from '../trpc';
import { zAddress } from './registration';

const zSlug = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'lower-case letters, digits, _ and -, from a letter');
const zReason = z
  .string()
  .trim()
  .min(1, 'give a reason')
  .max(256, 'at most 256 characters')
  .regex(/^[^\p{Cc}]*$/u, 'no control characters');

export const reviewRouter = router({
  /** What this officer may do: only an identity authority's attest/grant txs succeed on chain. */
  me: officerProcedure.query(async ({ ctx }) => {
    const authority = await authorityOnChain(ctx.services.chain.client, ctx.user.address);
    return {
      address: ctx.user.address,
      authority: authority ? { name: authority.name, scopes: authority.scopes } : null,
      canAttest: authority?.scopes.includes('identity') ?? false,
    };
  }),

  list: officerProcedure
    .input(
      z.object({
        status: z.enum(['pending', 'approved', 'rejected', 'revoked', 'all']).default('pending'),
        limit: z.number().int().min(1).max(200).default(100),
      }),
    )
    .query(async ({ ctx, input }) => {
      const rt = ctx.app;
      return (await rt.registration.list(input.status, input.limit)).map(publicApplication);
    }),

  get: officerProcedure.input(z.object({ id: z.string().min(1).max(64) })).query(async ({ ctx, input }) => {
    const rt = ctx.app;
    const row = await rt.registration.get(input.id);
    if (!row) throw appError('NOT_FOUND', 'application_not_found', {}, 'no such application');
    return publicApplication(row);
  }),

  /** The `identity.attest` action the officer's browser signs (keyring.signAndSend) to approve. */
  prepareApproval: officerProcedure
    .input(z.object({ id: z.string().min(1).max(64) }))
    .query(async ({ ctx, input }) => {
      const rt = ctx.app;
      return rt.registration.approvalAction(input.id);
    }),

  reject: officerProcedure
    .input(z.object({ id: z.string().min(1).max(64), reason: zReason }))
    .mutation(async ({ ctx, input }) => {
      const rt = ctx.app;
      const row = await rt.registration.reject(input.id, input.reason, ctx.user.address);
      rt.logger.info({ application: row.id, by: ctx.user.address }, 'application rejected');
      return publicApplication(row);
    }),
});

export const rolesRouter = router({
  /** The roles read model (kept by the indexer from roleGranted / roleRevoked). */
  list: officerProcedure
    .input(z.object({ app: zSlug.optional(), subject: zAddress.optional() }))
    .query(async ({ ctx, input }) => {
      const where = and(
        input.app ? eq(roles.app, input.app) : undefined,
        input.subject ? eq(roles.subject, input.subject) : undefined,
      );
      return ctx.services.database.db
        .select()
        .from(roles)
        .where(where)
        .orderBy(roles.app, roles.role, roles.subject)
        .limit(500);
    }),

  /** Roles straight from the chain (what the next login's token will say). */
  ofAccount: officerProcedure.input(z.object({ address: zAddress })).query(async ({ ctx, input }) => {
    return rolesOnChain(ctx.services.chain.client, input.address);
  }),

  prepareGrant: officerProcedure
    .input(z.object({ subject: zAddress, app: zSlug, role: zSlug }))
    .query(({ input }) => ({
      actions: [
        {
          contract: 'identity',
          name: 'grantRole',
          params: { subject: input.subject, app: input.app, role: input.role },
        },
      ],
    })),

  prepareRevoke: officerProcedure
    .input(z.object({ subject: zAddress, app: zSlug, role: zSlug, reason: zReason }))
    .query(({ input }) => ({
      actions: [
        {
          contract: 'identity',
          name: 'revokeRole',
          params: { subject: input.subject, app: input.app, role: input.role, reason: input.reason },
        },
      ],
    })),
});
