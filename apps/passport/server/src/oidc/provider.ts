// Passport's OpenID Provider (oidc-provider 9) mounted at `/passport/oidc`: discovery, JWKS, authorization
// code flow with PKCE (required for every client), exact redirect URIs, 10-minute ID and access tokens,
// RP-initiated logout, its models on the database. People sign in by signing a challenge with their chain
// key in the browser (see login.ts): no password ever reaches the server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChainClient } from '@gongxin/client';
import type { Database } from '@gongxin/db';
import { didOf } from '@gongxin/ledger';
import { and, desc, eq } from 'drizzle-orm';
import { isVerifiedOnChain, roleClaim, rolesOnChain } from '../chain';
import type { PassportKeys } from '../crypto';
import { applications } from '../schema';
import { PgAdapter } from './adapter';
import { accessTokenRecords, type IssuedAccessToken, recordIssuedAccessToken } from './introspection';
import { SIGNING_ALG, SigningKeyStore } from './keys';
import { type KoaContextWithOIDC, oidcProvider, type Provider } from './lib';

export const TOKEN_TTL_SECONDS = 600;

export interface ClientMetadata {
  client_id: string;
  client_secret: string;
  client_name?: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types?: string[];
  response_types?: string[];
  token_endpoint_auth_method?: string;
}

export interface PassportOidcOptions {
  database: Database;
  keys: PassportKeys;
  /** e.g. `http://127.0.0.1:8080/passport/oidc`: the provider is mounted at its path. */
  issuer: string;
  chain: ChainClient;
  /** Suite apps: first-party, consent is implied. */
  suiteClients: ClientMetadata[];
  logger: { warn(obj: object, msg?: string): void; info(obj: object, msg?: string): void };
}

/** Claims passport issues. `did`, `roles`, `verified` are read from the chain when a token is made. */
export interface PassportClaims {
  sub: string;
  did: string;
  name?: string;
  verified: boolean;
  roles: string[];
}

/**
 * Scopes → claims. `roles` is the documented scope; `gongxin` is the same set under the name app-kit's
 * relying parties ask for (SUITE_SCOPES), so either works.
 */
export const CLAIMS_BY_SCOPE = {
  openid: ['sub', 'did'],
  profile: ['name', 'verified'],
  roles: ['roles', 'did', 'verified'],
  gongxin: ['roles', 'did', 'verified', 'name'],
} as const;

/** Every access token is a JWT (RFC 9068) for one app: this resource, audience = the client id. */
export function resourceFor(clientId: string): string {
  return `urn:gongxin:app:${clientId}`;
}
const RESOURCE_SCOPES = Object.keys(CLAIMS_BY_SCOPE).join(' ');

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(
    title,
  )}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1f2933}button{font-size:1rem;padding:.5rem 1.25rem}</style></head><body>${body}</body></html>`;
}

/** Reads what passport knows about an address: its approved name (DB) and the chain's roles and attestation. */
export async function claimsFor(
  database: Database,
  chain: ChainClient,
  address: string,
): Promise<PassportClaims> {
  const [application] = await database.db
    .select({ name: applications.name })
    .from(applications)
    .where(and(eq(applications.address, address), eq(applications.status, 'approved')))
    .orderBy(desc(applications.submittedAt))
    .limit(1);
  const [roles, verified] = await Promise.all([
    rolesOnChain(chain, address),
    isVerifiedOnChain(chain, address),
  ]);
  return {
    sub: address,
    did: didOf(address),
    ...(application && { name: application.name }),
    verified,
    roles: roles.map(roleClaim),
  };
}

/**
 * The provider and what is needed to swap its signing keys: oidc-provider fixes its keystore at
 * construction, so a rotation builds a new Provider over the same adapter (sessions, grants and codes are
 * in the database and survive) and requests go to whichever is current.
 */
export class PassportOidc {
  readonly signingKeys: SigningKeyStore;
  readonly suiteClientIds: ReadonlySet<string>;
  readonly mountPath: string;
  #provider!: Provider;
  #handler!: (req: IncomingMessage, res: ServerResponse) => Promise<void>;

  private constructor(private readonly opts: PassportOidcOptions) {
    this.signingKeys = new SigningKeyStore(opts.database, opts.keys.encryption);
    this.suiteClientIds = new Set(opts.suiteClients.map((c) => c.client_id));
    this.mountPath = new URL(opts.issuer).pathname.replace(/\/$/, '');
  }

  static async create(opts: PassportOidcOptions): Promise<PassportOidc> {
    const oidc = new PassportOidc(opts);
    await oidc.signingKeys.ensure();
    await oidc.rebuild();
    return oidc;
  }

  get provider(): Provider {
    return this.#provider;
  }

  get issuer(): string {
    return this.opts.issuer;
  }

  /** Whether an access token issued with this jti is still live (its grant not revoked, not expired). */
  async accessTokenActive(jti: string): Promise<boolean> {
    return (await accessTokenRecords(this.opts.database, this.opts.keys.encryption).find(jti)) !== undefined;
  }

  isFirstParty(clientId: string): boolean {
    return this.suiteClientIds.has(clientId);
  }

  /** The request handler to mount at the issuer's path (express: `router.use('/oidc', oidc.handle)`). */
  readonly handle = (req: IncomingMessage, res: ServerResponse): Promise<void> => this.#handler(req, res);

  /** A new signing key; the old one stays in the JWKS until the next rotation. Returns the new key id. */
  async rotateKeys(): Promise<string> {
    const kid = await this.signingKeys.rotate();
    await this.rebuild();
    this.opts.logger.info({ kid }, 'passport signing key rotated');
    return kid;
  }

  private async rebuild(): Promise<void> {
    const provider = new oidcProvider.default(this.opts.issuer, await this.configuration());
    // Behind a TLS-terminating proxy the scheme and host come from X-Forwarded-*.
    provider.proxy = true;
    provider.on('server_error', (_ctx, error) =>
      this.opts.logger.warn({ err: error }, 'oidc provider error'),
    );
    this.#provider = provider;
    this.#handler = provider.callback();
  }

  private async configuration(): Promise<Record<string, unknown>> {
    const { database, keys, chain } = this.opts;
    const isFirstParty = (clientId: string) => this.isFirstParty(clientId);
    const mountPath = this.mountPath;
    return {
      adapter: (model: string) => new PgAdapter(database, model, keys.encryption),
      clients: this.opts.suiteClients,
      clientDefaults: {
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: SIGNING_ALG,
      },
      jwks: { keys: await this.signingKeys.privateJwks() },
      cookies: {
        keys: keys.cookieKeys,
        long: { httpOnly: true, sameSite: 'lax', signed: true },
        short: { httpOnly: true, sameSite: 'lax', signed: true },
      },
      claims: CLAIMS_BY_SCOPE,
      // ID tokens carry the scope's claims (did, roles, name): relying parties open sessions from them.
      conformIdTokenClaims: false,
      pkce: { required: () => true },
      responseTypes: ['code'],
      // Always name the redirect URI, and it must equal a registered one exactly.
      allowOmittingSingleRegisteredRedirectUri: false,
      enabledJWA: { idTokenSigningAlgValues: [SIGNING_ALG] },
      features: {
        devInteractions: { enabled: false },
        revocation: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: async (_ctx: KoaContextWithOIDC, client: { clientId: string }, oneOf?: string) =>
            oneOf ?? resourceFor(client.clientId),
          useGrantedResource: async () => true,
          getResourceServerInfo: async (
            _ctx: KoaContextWithOIDC,
            resource: string,
            client: { clientId: string },
          ) => {
            if (resource !== resourceFor(client.clientId)) throw new oidcProvider.errors.InvalidTarget();
            return {
              scope: RESOURCE_SCOPES,
              audience: client.clientId,
              accessTokenTTL: TOKEN_TTL_SECONDS,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: SIGNING_ALG } },
            };
          },
        },
        rpInitiatedLogout: {
          enabled: true,
          // Suite apps send people here on logout: end the session without a second question.
          logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
            ctx.body = page(
              '退出登录 / Signing out',
              `${form}<p>退出共信护照的登录？/ Sign out of Gongxin passport?</p><button form="op.logoutForm" name="logout" value="yes" data-test="logout-confirm">退出 / Sign out</button><script src="${mountPath}/assets/logout.js"></script>`,
            );
          },
          postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => {
            ctx.body = page('已退出 / Signed out', '<h1>已退出登录 / You are signed out</h1>');
          },
        },
      },
      ttl: {
        AccessToken: TOKEN_TTL_SECONDS,
        IdToken: TOKEN_TTL_SECONDS,
        AuthorizationCode: 60,
        Interaction: 10 * 60,
        Session: 8 * 60 * 60,
        Grant: 14 * 24 * 60 * 60,
        RefreshToken: 24 * 60 * 60,
      },
      issueRefreshToken: async () => false,
      interactions: {
        url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) =>
          `${mountPath}/interaction/${interaction.uid}`,
      },
      // First-party suite apps: consent is implied, so an existing passport session signs the person into a
      // second app without any question (SSO). Third-party clients get the consent page.
      loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
        const client = ctx.oidc.client;
        const session = ctx.oidc.session;
        if (!client || !session) return undefined;
        const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
        const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
        if (existing) return existing;
        // No grant, or the person withdrew it on their profile (the session still names it): a suite app
        // gets a new one, a third-party client asks for consent again.
        if (!isFirstParty(client.clientId) || !session.accountId) return undefined;
        const grant = new ctx.oidc.provider.Grant({
          clientId: client.clientId,
          accountId: session.accountId,
        });
        grant.addOIDCScope(RESOURCE_SCOPES);
        grant.addResourceScope(resourceFor(client.clientId), RESOURCE_SCOPES);
        await grant.save();
        session.grantIdFor(client.clientId, grant.jti);
        return grant;
      },
      // Access tokens carry who the person is, for apps that accept bearer tokens.
      extraTokenClaims: async (_ctx: KoaContextWithOIDC, token: IssuedAccessToken & { kind?: string }) => {
        if (token.kind !== 'AccessToken') return undefined;
        // Recorded before it is handed out, so a replayed code revokes it with its grant.
        await recordIssuedAccessToken(database, keys.encryption, token, TOKEN_TTL_SECONDS);
        if (!token.accountId) return undefined;
        const { did, roles, name, verified } = await claimsFor(database, chain, token.accountId);
        return { did, roles, verified, ...(name && { name }) };
      },
      findAccount: async (_ctx: KoaContextWithOIDC, sub: string) => ({
        accountId: sub,
        claims: async () => claimsFor(database, chain, sub),
      }),
      renderError: async (ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }) => {
        ctx.type = 'html';
        ctx.body = page(
          '出错了 / Error',
          `<h1>无法完成登录 / Sign-in could not be completed</h1><p><code>${escapeHtml(out.error)}</code></p><p>${escapeHtml(
            out.error_description ?? '',
          )}</p>`,
        );
      },
      clientBasedCORS: () => false,
    };
  }
}
