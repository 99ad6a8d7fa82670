// Sign-in challenges, third-party OIDC clients (registered by officers; the secret is shown once), the
// provider's signing keys (rotation by an identity authority), and the demo accounts (demo mode only).
import { randomBytes } from 'node:crypto';
import { appError, roleInWords } from '@gongxin/app-kit';
import { TRPCError } from '@trpc/server';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { isIdentityAuthority } from '../chain';
import { encryptText } from '../crypto';
import { DEMO_PASSWORD } from '../demo';
import { clients } from '../schema';
import { officerProcedure, publicProcedure, router } from '../trpc';

const zUid = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an interaction id');

export const loginRouter = router({
  /** A one-time challenge (32 random bytes, 2 minutes) for the sign-in `uid`; sign loginMessage(...) with it. */
  challenge: publicProcedure.input(z.object({ uid: zUid })).mutation(async ({ ctx, input }) => {
    const rt = ctx.app;
    const interaction = await rt.oidc.provider.Interaction.find(input.uid);
    if (!interaction)
      throw appError('NOT_FOUND', 'signin_expired', {}, 'this sign-in has expired: start again from the app');
    const issued = await rt.login.issue(input.uid);
    return {
      uid: input.uid,
      challenge: issued.challenge,
      expiresAt: issued.expiresAt.toISOString(),
      origins: rt.origins,
    };
  }),
});

function redirectUri(value: string, ctx: z.RefinementCtx): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a URL' });
    return;
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    ctx.addIssue({ code: 'custom', message: 'https is required (http only for localhost)' });
  }
  if (url.hash) ctx.addIssue({ code: 'custom', message: 'a redirect URI has no #fragment' });
}

const zUri = z.string().max(512).superRefine(redirectUri);

function publicClient(row: typeof clients.$inferSelect) {
  return {
    clientId: row.clientId,
    name: row.name,
    redirectUris: row.redirectUris,
    postLogoutRedirectUris: row.postLogoutRedirectUris,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    disabled: row.disabledAt !== null,
  };
}

export const clientsRouter = router({
  list: officerProcedure.query(async ({ ctx }) => {
    const rt = ctx.app;
    const rows = await ctx.services.database.db.select().from(clients).orderBy(desc(clients.createdAt));
    return {
      suite: [...rt.oidc.suiteClientIds],
      thirdParty: rows.map(publicClient),
      issuer: ctx.services.issuer,
    };
  }),

  /** Registers a third-party app; answers its client secret ONCE (only an encrypted copy is kept). */
  register: officerProcedure
    .input(
      z.object({
        name: z.string().trim().min(1).max(64),
        redirectUris: z.array(zUri).min(1).max(10),
        postLogoutRedirectUris: z.array(zUri).max(10).default([]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const clientId = `app-${randomBytes(8).toString('hex')}`;
      const secret = randomBytes(32).toString('base64url');
      const rt = ctx.app;
      const [row] = await ctx.services.database.db
        .insert(clients)
        .values({
          clientId,
          name: input.name,
          secretCipher: encryptText(rt.keys.encryption, secret, `client:${clientId}`),
          redirectUris: input.redirectUris,
          postLogoutRedirectUris: input.postLogoutRedirectUris,
          createdBy: ctx.user.address,
        })
        .returning();
      rt.logger.info({ clientId, by: ctx.user.address }, 'third-party client registered');
      return { ...publicClient(row!), clientSecret: secret, issuer: ctx.services.issuer };
    }),

  disable: officerProcedure
    .input(z.object({ clientId: z.string().min(1).max(64) }))
    .mutation(async ({ ctx, input }) => {
      const [row] = await ctx.services.database.db
        .update(clients)
        // The wall clock, as for the client's registration, tokens and sessions: nothing on chain.
        .set({ disabledAt: new Date() })
        .where(and(eq(clients.clientId, input.clientId), isNull(clients.disabledAt)))
        .returning();
      if (!row) throw appError('NOT_FOUND', 'client_not_found', {}, 'no such active client');
      return publicClient(row);
    }),
});

export const keysRouter = router({
  list: officerProcedure.query(async ({ ctx }) => {
    const rt = ctx.app;
    return (await rt.oidc.signingKeys.list()).map((k) => ({ ...k, createdAt: k.createdAt.toISOString() }));
  }),

  /** A new signing key; the previous one stays published until the next rotation. Identity authorities only. */
  rotate: officerProcedure.mutation(async ({ ctx }) => {
    if (!(await isIdentityAuthority(ctx.services.chain.client, ctx.user.address))) {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: 'only an identity authority rotates the signing keys',
      });
    }
    const rt = ctx.app;
    return { kid: await rt.oidc.rotateKeys() };
  }),
});

export const demoRouter = router({
  /**
   * DEMO ONLY (config.demo): the demo accounts with their published private keys and the demo password, so
   * the login page can offer "use a demo account". Empty when demo mode is off.
   */
  accounts: publicProcedure.query(async ({ ctx }) => {
    const rt = ctx.app;
    if (!rt.demo) return { demo: false as const, password: null, accounts: [] };
    return {
      demo: true as const,
      warning: 'Demo accounts: their keys are public. Never use them for anything real.',
      password: DEMO_PASSWORD,
      accounts: rt.demoAccounts.map((a) => ({
        id: a.id,
        label: a.label,
        kind: a.kind,
        name: a.name,
        address: a.address,
        privateKey: a.privateKey,
        verified: a.verified,
        // In words from the mounted apps' manifests (最低生活保障 · 街道/乡镇经办人), the code beside.
        roles: a.roles.map((r) => roleInWords(ctx.services.suite.apps, r)),
        authority: a.authority?.name ?? null,
      })),
    };
  }),
});
