// The signed-in person's own view: identity status, attestation, roles, keys, and their passport sessions
// and grants (oidc-provider's, with revoke). Key rotation is signed in the browser (identity.rotateKey);
// the server only reports what the chain says afterwards.
import { appError } from '@gongxin/app-kit';
import type { Db } from '@gongxin/db';
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
import { attestations, clients, oidcModels } from '../schema';
import { OFFICER_ROLE, protectedProcedure, router } from '../trpc';

/** The `by` of an attestation written into the genesis document rather than by an authority's transaction. */
const GENESIS_ATTESTER = 'genesis';

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

/** Deletes grants and every code and token issued under them (oidc-provider keys those by `grantId`). */
async function deleteGrants(db: Db, grantIds: string[]): Promise<void> {
  if (grantIds.length === 0) return;
  await db
    .delete(oidcModels)
    .where(
      or(
        inArray(oidcModels.grantId, grantIds),
        and(eq(oidcModels.model, 'Grant'), inArray(oidcModels.id, grantIds)),
      ),
    );
}

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
    // Who attested, in words: an authority by the name it holds on chain, or the chain's genesis document
    // (the demo's people); and the transaction that wrote it, when the indexer saw one (none at genesis).
    const [attester, [indexed]] = attestation
      ? await Promise.all([
          attestation.by === GENESIS_ATTESTER ? undefined : authorityOnChain(client, attestation.by),
          ctx.services.database.db
            .select({ height: attestations.height, txId: attestations.txId })
            .from(attestations)
            .where(eq(attestations.subject, address)),
        ])
      : [undefined, []];
    const officer =
      ctx.user.roles.some((r) => r.app === OFFICER_ROLE.app && r.role === OFFICER_ROLE.role) ||
      (authority?.scopes.includes('identity') ?? false);
    return {
      address,
      did: ctx.user.did,
      name: ctx.user.name ?? latest?.name ?? null,
      account: account ?? null,
      verified: attestation !== undefined && attestation.revoked === undefined,
      attestation: attestation
        ? {
            ...attestation,
            genesis: attestation.by === GENESIS_ATTESTER,
            byName: attester?.name ?? null,
            txId: indexed && indexed.height === attestation.at ? (indexed.txId ?? null) : null,
          }
        : null,
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
    const liveSessions = live.filter((r) => r.model === 'Session');
    const liveGrants = live.filter((r) => r.model === 'Grant');
    // One row per app, however many sign-ins (each session makes its own grant) hold it.
    const byClient = new Map<string, { scopes: Set<string>; since: number | null; grants: number }>();
    for (const r of liveGrants) {
      const p = r.payload as GrantPayload;
      if (!p.clientId) continue;
      const row = byClient.get(p.clientId) ?? { scopes: new Set<string>(), since: null, grants: 0 };
      for (const scope of (p.openid?.scope ?? '').split(/\s+/)) if (scope) row.scopes.add(scope);
      if (p.iat && (row.since === null || p.iat < row.since)) row.since = p.iat;
      row.grants += 1;
      byClient.set(p.clientId, row);
    }
    const grantIds = new Set(liveGrants.map((r) => r.id));
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
            // The apps it still holds a grant for (a withdrawn app's name stays in the session until
            // its next sign-in there).
            clients: Object.entries(p.authorizations ?? {})
              .filter(([, a]) => a.grantId !== undefined && grantIds.has(a.grantId))
              .map(([clientId]) => clientId),
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
      /**
       * The apps this account authorised, one row each: what they may read, since when, how many grants
       * and how many live sessions hold one. A suite app (`firstParty`) is authorised by signing in to it.
       */
      apps: [...byClient]
        .map(([clientId, row]) => ({
          clientId,
          firstParty: ctx.app.oidc.isFirstParty(clientId),
          name: names.get(clientId) ?? null,
          scopes: [...row.scopes],
          since: row.since ? new Date(row.since * 1000).toISOString() : null,
          grants: row.grants,
          sessions: liveSessions.filter((s) => {
            const held = (s.payload as SessionPayload).authorizations?.[clientId]?.grantId;
            return held !== undefined && grantIds.has(held);
          }).length,
        }))
        .sort((a, b) => (a.since ?? '').localeCompare(b.since ?? '')),
    };
  }),

  /**
   * Withdraws an app's access entirely: every grant this account gave that client (one per sign-in) and
   * every code and token issued under them. Another account's grants of the same app stay.
   */
  revokeApp: protectedProcedure
    .input(z.object({ clientId: z.string().min(1).max(128) }))
    .mutation(async ({ ctx, input }) => {
      const db = ctx.services.database.db;
      const grants = await db
        .select({ id: oidcModels.id, payload: oidcModels.payload })
        .from(oidcModels)
        .where(and(eq(oidcModels.model, 'Grant'), eq(oidcModels.accountId, ctx.user.address)));
      const ids = grants
        .filter((g) => (g.payload as GrantPayload).clientId === input.clientId)
        .map((g) => g.id);
      if (ids.length === 0)
        throw appError('NOT_FOUND', 'grant_not_found', {}, 'no grant of yours for this app');
      await deleteGrants(db, ids);
      return { revoked: ids.length };
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
