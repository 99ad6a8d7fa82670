// The app's side of OpenID Connect with passport: the client registration both sides derive from the
// suite secret, and the connection to the issuer (discovery, JWKS) made lazily and retried, because
// passport may be mounted in the same process after this app, or be restarting. Must never hold a failed
// discovery forever, and never accept a token that is not an access token for this app (an ID token has
// the same issuer and audience, so the `typ` header is checked too).
import { createHmac } from 'node:crypto';
import type { Logger } from '@gongxin/telemetry';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import * as client from 'openid-client';

export interface SuiteClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  token_endpoint_auth_method: 'client_secret_basic';
}

const MIN_SUITE_SECRET_LENGTH = 32;
/** Seconds the requests of a sign-in (code exchange, ID token keys) may take; discovery has 5. */
const SIGN_IN_TIMEOUT_S = 30;

export function assertSuiteSecret(suiteSecret: string): void {
  if (typeof suiteSecret !== 'string' || suiteSecret.length < MIN_SUITE_SECRET_LENGTH) {
    throw new Error(
      `the suite secret must be at least ${MIN_SUITE_SECRET_LENGTH} characters (set SUITE_SECRET); ` +
        'every app derives its OIDC client secret from it',
    );
  }
}

/** The app's client secret: HMAC-SHA256(suiteSecret, "gongxin/oidc-client/v1/<appId>") as base64url. */
export function deriveClientSecret(suiteSecret: string, appId: string): string {
  assertSuiteSecret(suiteSecret);
  return createHmac('sha256', suiteSecret).update(`gongxin/oidc-client/v1/${appId}`).digest('base64url');
}

/**
 * The OIDC client passport registers for a suite app: confidential (client_secret_basic), code flow only,
 * exact redirect URIs under the app's path. Passport calls this for every app; the app derives the same.
 */
export function suiteClientFor(appId: string, publicUrl: string, suiteSecret: string): SuiteClient {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    client_id: appId,
    client_secret: deriveClientSecret(suiteSecret, appId),
    redirect_uris: [`${base}/${appId}/auth/callback`],
    post_logout_redirect_uris: [`${base}/${appId}/`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  };
}

export interface IssuerConnectionOptions {
  issuer: string;
  client: SuiteClient;
  logger: Logger;
  /** Wait this long after a failed discovery before trying again. Default 2 s. */
  retryAfterMs?: number;
  /**
   * How long a token passport called active stays trusted without asking again. Default 0: every bearer
   * request asks passport (RFC 7662 introspection), so a token revoked there (its code was replayed) is
   * refused at once; a few seconds trade that delay for fewer round trips.
   */
  introspectionCacheMs?: number;
}

/** How long a bearer request waits for passport's introspection before it is answered 503. */
const INTROSPECTION_TIMEOUT_MS = 5_000;

/**
 * Fetching passport's key set failed for the network, not for the token: a timeout, a refused
 * connection, an answer that is not a key set. A key set that lacks the token's key is the token's fault.
 */
function keysUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JWKS_INVALID') return true;
  if (code === 'ERR_JOSE_GENERIC' && error instanceof Error) {
    return /Expected 200 OK|Failed to parse the JSON Web Key Set/.test(error.message);
  }
  return error instanceof TypeError && /fetch failed/.test(error.message);
}

/** Passport is not reachable (yet): login answers 503, bearer tokens cannot be checked. */
export class IssuerUnavailableError extends Error {
  override readonly name = 'IssuerUnavailableError';
}

export interface IssuerConnection {
  /** The discovered configuration; throws IssuerUnavailableError while passport cannot be reached. */
  config(): Promise<client.Configuration>;
  /**
   * Verifies a bearer access token (RFC 9068 JWT, audience = app id); null when it is not valid. Throws
   * IssuerUnavailableError when passport cannot be asked right now (discovery, its keys or introspection
   * not answering): the token may be good, so the caller answers 503 and the client tries again, instead
   * of a 401 that tells it to throw its token away.
   */
  verifyAccessToken(token: string): Promise<JWTPayload | null>;
}

export function connectIssuer(opts: IssuerConnectionOptions): IssuerConnection {
  const { issuer, logger } = opts;
  const retryAfterMs = opts.retryAfterMs ?? 2000;
  const insecure = new URL(issuer).protocol === 'http:';
  let discovered: Promise<client.Configuration> | null = null;
  let failedAt = 0;
  let failure = '';
  let jwks: ReturnType<typeof createRemoteJWKSet> | null = null;

  function config(): Promise<client.Configuration> {
    if (!discovered && Date.now() - failedAt < retryAfterMs) {
      return Promise.reject(new IssuerUnavailableError(`passport at ${issuer} is unavailable: ${failure}`));
    }
    discovered ??= client
      .discovery(
        new URL(issuer),
        opts.client.client_id,
        {
          client_secret: opts.client.client_secret,
          redirect_uris: opts.client.redirect_uris,
          post_logout_redirect_uris: opts.client.post_logout_redirect_uris,
        },
        client.ClientSecretBasic(opts.client.client_secret),
        // Plain http is what the embedded default runs on (127.0.0.1); https everywhere else.
        // 5 s for discovery, so an absent passport is told at once (503 at login)…
        { timeout: 5, ...(insecure && { execute: [client.allowInsecureRequests] }) },
      )
      .then((configuration) => {
        // …but the sign-in's own requests (the code exchange, the keys) get 30 s: a passport busy for a
        // few seconds must not turn a person's sign-in into login_error=rejected.
        configuration.timeout = SIGN_IN_TIMEOUT_S;
        return configuration;
      })
      .catch((error: unknown) => {
        discovered = null;
        failedAt = Date.now();
        failure = error instanceof Error ? error.message : String(error);
        logger.warn({ issuer, err: failure }, 'OIDC discovery failed; will retry');
        throw new IssuerUnavailableError(`passport at ${issuer} is unavailable: ${failure}`);
      });
    return discovered;
  }

  const cacheMs = opts.introspectionCacheMs ?? 0;
  const activeUntil = new Map<string, number>();
  // Passport's introspection (RFC 7662) with this app's client credentials: a token is refused once its
  // grant is revoked. Fails closed: a token passport cannot vouch for right now is not let in — the
  // request is answered 503 (IssuerUnavailableError), not taken as anonymous.
  async function active(token: string, issuerUrl: string): Promise<boolean> {
    const now = Date.now();
    if (cacheMs > 0 && (activeUntil.get(token) ?? 0) > now) return true;
    const basic = Buffer.from(
      `${encodeURIComponent(opts.client.client_id)}:${encodeURIComponent(opts.client.client_secret)}`,
    ).toString('base64');
    let answer: { active?: unknown };
    try {
      const res = await fetch(`${issuerUrl.replace(/\/+$/, '')}/token/introspection`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
        signal: AbortSignal.timeout(INTROSPECTION_TIMEOUT_MS),
      });
      if (!res.ok) throw new Error(`token introspection answered ${res.status}`);
      answer = (await res.json()) as { active?: unknown };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      logger.warn({ issuer: issuerUrl, err: why }, 'token introspection failed: bearer request answered 503');
      throw new IssuerUnavailableError(`passport at ${issuerUrl} cannot check tokens right now: ${why}`);
    }
    if (answer.active !== true) return false;
    if (cacheMs > 0) {
      if (activeUntil.size > 10_000) activeUntil.clear();
      activeUntil.set(token, now + cacheMs);
    }
    return true;
  }

  return {
    config,
    async verifyAccessToken(token) {
      // Throws IssuerUnavailableError while discovery fails.
      const metadata = (await config()).serverMetadata();
      if (!metadata.jwks_uri) return null;
      jwks ??= createRemoteJWKSet(new URL(metadata.jwks_uri));
      try {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: metadata.issuer,
          audience: opts.client.client_id,
          typ: 'at+jwt',
          requiredClaims: ['sub', 'exp'],
          clockTolerance: 5,
        });
        if (!(await active(token, metadata.issuer))) {
          logger.debug({ jti: payload.jti }, 'bearer token refused: passport says it is not active');
          return null;
        }
        return payload;
      } catch (error) {
        if (error instanceof IssuerUnavailableError) throw error;
        if (keysUnreachable(error)) {
          const why = error instanceof Error ? error.message : String(error);
          logger.warn({ issuer, err: why }, "passport's keys not reachable: bearer request answered 503");
          throw new IssuerUnavailableError(`passport at ${issuer} cannot check tokens right now: ${why}`);
        }
        logger.debug({ err: error instanceof Error ? error.message : String(error) }, 'bearer token refused');
        return null;
      }
    },
  };
}
