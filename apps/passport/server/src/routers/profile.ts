// The signed-in person's own view: identity status, attestation, roles, keys, and their passport sessions
// and grants (oidc-provider's, with revoke). Key rotation is signed in the browser (identity.rotateKey);
// the server only reports what the chain says afterwards.
import { appError } from '@gongxin/app-kit';
import { and, eq, inArray, or } from 'drizzle-orm';
import { z } from 'zod';
import {
  attestationState,
  authorisedKeysOf,
  authorityOnChain,
  identityAccount,
  isIdentityAuthority,
  rolesOnChain,
} from '../chain';
import { publicApplication } from '../registration';
import { clients, oidcModels } from '../schema';
import { OFFICER_ROLE, protectedProcedure, router } from '../trpc';

type SessionPayload = {
  accountId?: string;
  loginTs?: number;
  exp?: number;
  iat?: number;
  authorizations?: Record<string, { grantId?: string; sid?: string }>;
};
type GrantPayload = {
  accountId?: string;
  clientId?: string;
  exp?: number;
  iat?: number;
  openid?: { scope?: string };
};

export const profileRouter = router({
  me: protectedProcedure.query(async ({ ctx }) => {
    const rt = ctx.app;
    const client = ctx.services.chain.client;
    const address = ctx.user.address;
    const [account, attestation, roles, keys, authority, latest] = await Promise.all([
      identityAccount(client, address),
      attestationState(client, address),
      rolesOnChain(client, address),
      authorisedKeysOf(client, address),
      authorityOnChain(client, address),
      rt.registration.latestFor(address),
    ]);
    const officer =
      ctx.user.roles.some((r) => r.app === OFFICER_ROLE.app && r.role === OFFICER_ROLE.role) ||
      (authority?.scopes.includes('identity') ?? false);
    return {
      address,
      did: ctx.user.did,
      name: ctx.user.name ?? latest?.name ?? null,
      account: account ?? null,
      verified: attestation !== undefined && attestation.revoked === undefined,
      attestation: attestation ?? null,
      roles,
      keys,
      authority: authority ? { name: authority.name, scopes: authority.scopes } : null,
      officer,
      application: latest ? publicApplication(latest) : null,
    };
  }),

  /**
   * This account's passport sessions and the apps it granted access to; a third-party app with the name
   * it was registered under (`clientName`), a suite app by its id alone (the page names it).
   */
  sessions: protectedProcedure.query(async ({ ctx }) => {
    const db = ctx.services.database.db;
    const rows = await db
      .select()
      .from(oidcModels)
      .where(
        and(inArray(oidcModels.model, ['Session', 'Grant']), eq(oidcModels.accountId, ctx.user.address)),
      );
    const now = Date.now();
    const live = rows.filter((r) => !r.expiresAt || r.expiresAt.getTime() > now);
    const clientIds = [
      ...new Set(
        live.flatMap((r) =>
          r.model === 'Grant'
            ? [(r.payload as GrantPayload).clientId ?? '']
            : Object.keys((r.payload as SessionPayload).authorizations ?? {}),
        ),
      ),
    ].filter(Boolean);
    const registered = clientIds.length
      ? await db
          .select({ clientId: clients.clientId, name: clients.name })
          .from(clients)
          .where(inArray(clients.clientId, clientIds))
      : [];
    const names = new Map(registered.map((c) => [c.clientId, c.name]));
    return {
      /** Third-party apps' registered names by client id. */
      clientNames: Object.fromEntries(names),
      sessions: live
        .filter((r) => r.model === 'Session')
        .map((r) => {
          const p = r.payload as SessionPayload;
          return {
            id: r.id,
            loginAt: p.loginTs ? new Date(p.loginTs * 1000).toISOString() : null,
            expiresAt: r.expiresAt?.toISOString() ?? null,
            clients: Object.keys(p.authorizations ?? {}),
          };
        }),
      grants: live
        .filter((r) => r.model === 'Grant')
        .map((r) => {
          const p = r.payload as GrantPayload;
          return {
            id: r.id,
            clientId: p.clientId ?? '',
            scope: p.openid?.scope ?? '',
            grantedAt: p.iat ? new Date(p.iat * 1000).toISOString() : null,
            expiresAt: r.expiresAt?.toISOString() ?? null,
          };
        }),
    };
  }),

  /** Withdraws an app's access: the grant and every code and token issued under it. */
  revokeGrant: protectedProcedure
    .input(z.object({ id: z.string().min(1).max(128) }))
    .mutation(async ({ ctx, input }) => {
      const db = ctx.services.database.db;
      const [grant] = await db
        .select()
        .from(oidcModels)
        .where(
          and(
            eq(oidcModels.model, 'Grant'),
            eq(oidcModels.id, input.id),
            eq(oidcModels.accountId, ctx.user.address),
          ),
        );
      if (!grant) throw appError('NOT_FOUND', 'grant_not_found', {}, 'no such grant of yours');
      await db
        .delete(oidcModels)
        .where(
          or(
            eq(oidcModels.grantId, input.id),
            and(eq(oidcModels.model, 'Grant'), eq(oidcModels.id, input.id)),
          ),
        );
      return { revoked: true };
    }),

  /** Ends a passport session (the next app login asks for the key again) and its grants. */
  endSession: protectedProcedure
    .input(z.object({ id: z.string().min(1).max(128) }))
    .mutation(async ({ ctx, input }) => {
      const db = ctx.services.database.db;
      const [session] = await db
        .select()
        .from(oidcModels)
        .where(
          and(
            eq(oidcModels.model, 'Session'),
            eq(oidcModels.id, input.id),
            eq(oidcModels.accountId, ctx.user.address),
          ),
        );
      if (!session) throw appError('NOT_FOUND', 'session_not_found', {}, 'no such session of yours');
      const grantIds = Object.values((session.payload as SessionPayload).authorizations ?? {})
        .map((a) => a.grantId)
        .filter((id): id is string => typeof id === 'string');
      await db.transaction(async (tx) => {
        for (const grantId of grantIds) {
          await tx
            .delete(oidcModels)
            .where(
              or(
                eq(oidcModels.grantId, grantId),
                and(eq(oidcModels.model, 'Grant'), eq(oidcModels.id, grantId)),
              ),
            );
        }
        await tx.delete(oidcModels).where(and(eq(oidcModels.model, 'Session'), eq(oidcModels.id, input.id)));
      });
      return { ended: true };
    }),

  /** Whether the signed-in account may act as an officer (for the menu). */
  isOfficer: protectedProcedure.query(async ({ ctx }) => {
    if (ctx.user.roles.some((r) => r.app === OFFICER_ROLE.app && r.role === OFFICER_ROLE.role)) return true;
    return isIdentityAuthority(ctx.services.chain.client, ctx.user.address);
  }),
});
