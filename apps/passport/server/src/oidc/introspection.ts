// Token Introspection (RFC 7662) for passport's JWT access tokens. oidc-provider does not store JWT access
// tokens, so when it revokes a grant (an authorization code used twice, RFC 6749 §4.1.2) it cannot reach
// the tokens already issued from it, and its own introspection does not know them. Each issued token's jti
// is therefore recorded with its grant (`JwtAccessToken` rows in passport.oidc_models, expiring with the
// token); the adapter's revokeByGrantId deletes every row of a revoked grant, these included. A token is
// active while its row exists.
//
// POST <issuer>/token/introspection, form body `token=<access token>`, authenticated with the client's
// credentials (HTTP Basic, as at the token endpoint). A client learns only about tokens issued to it;
// anything else is `{ "active": false }`.
import { timingSafeEqual } from 'node:crypto';
import type { Database } from '@gongxin/db';
import express from 'express';
import { createLocalJWKSet, type JWK, jwtVerify } from 'jose';
import { PgAdapter } from './adapter';
import type { PassportOidc } from './provider';

export const JWT_ACCESS_TOKEN_MODEL = 'JwtAccessToken';

export interface IssuedAccessToken {
  jti?: string;
  grantId?: string;
  clientId?: string;
  accountId?: string;
  exp?: number;
}

export function accessTokenRecords(database: Database, encryption: Uint8Array): PgAdapter {
  return new PgAdapter(database, JWT_ACCESS_TOKEN_MODEL, encryption);
}

/** Remember an access token as it is issued, so revoking its grant revokes it. */
export async function recordIssuedAccessToken(
  database: Database,
  encryption: Uint8Array,
  token: IssuedAccessToken,
  ttlSeconds: number,
): Promise<void> {
  if (!token.jti) return;
  const expiresIn = token.exp ? Math.max(1, token.exp - Math.floor(Date.now() / 1000)) : ttlSeconds;
  await accessTokenRecords(database, encryption).upsert(
    token.jti,
    {
      ...(token.grantId && { grantId: token.grantId }),
      ...(token.clientId && { clientId: token.clientId }),
      ...(token.accountId && { accountId: token.accountId }),
    },
    expiresIn,
  );
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, '%20')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, '%20')),
    };
  } catch {
    return undefined;
  }
}

export interface IntrospectionDeps {
  oidc: () => Promise<PassportOidc>;
}

/** Registers `POST /oidc/token/introspection` on the app's router, before the provider's catch-all. */
export function introspectionRoute(router: express.Router, deps: IntrospectionDeps): void {
  router.post(
    '/oidc/token/introspection',
    express.urlencoded({ extended: false, limit: 16 * 1024 }),
    (req, res, next) => {
      (async () => {
        res.setHeader('Cache-Control', 'no-store');
        const credentials = basicCredentials(req.headers.authorization);
        const oidc = await deps.oidc();
        const client = credentials ? await oidc.provider.Client.find(credentials.id) : undefined;
        const secret = (client as { clientSecret?: string } | undefined)?.clientSecret;
        if (!credentials || !secret || !sameSecret(secret, credentials.secret)) {
          res.setHeader('WWW-Authenticate', 'Basic realm="passport"');
          res
            .status(401)
            .json({ error: 'invalid_client', error_description: 'client authentication failed' });
          return;
        }
        const token = (req.body as { token?: unknown } | undefined)?.token;
        if (typeof token !== 'string' || token === '') {
          res.status(400).json({ error: 'invalid_request', error_description: 'give the token as `token`' });
          return;
        }
        const inactive = () => res.json({ active: false });
        let payload: Record<string, unknown>;
        try {
          const jwks = createLocalJWKSet({ keys: (await oidc.signingKeys.privateJwks()).map(publicPart) });
          ({ payload } = await jwtVerify(token, jwks, { issuer: oidc.issuer, typ: 'at+jwt' }));
        } catch {
          return inactive();
        }
        if (payload.client_id !== credentials.id || typeof payload.jti !== 'string') return inactive();
        if (!(await oidc.accessTokenActive(payload.jti))) return inactive();
        res.json({ ...payload, active: true, token_type: 'Bearer' });
      })().catch(next);
    },
  );
}

function publicPart(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, k: _k, ...rest } = jwk;
  return rest;
}
