// The session routes of an app (`/<app>/auth/login|callback|me|logout`) and who a request is from:
// authorization code + PKCE with passport, state and nonce kept server-side in a single-use login record
// bound to the browser that started it, then a server-side session behind an httpOnly cookie scoped to the
// app's path. API clients may instead send `Authorization: Bearer <access token>`. Must never redirect
// anywhere but into the app after login, and never tell the browser more than "who you are".
import type { Database } from '@gongxin/db';
import type { Logger, Metrics } from '@gongxin/telemetry';
import express, { type CookieOptions, type Request, type Response } from 'express';
import * as client from 'openid-client';
import { CLAIMS, parseRoles, type SessionUser, SUITE_SCOPES } from '../roles';
import { connectIssuer, IssuerUnavailableError, type SuiteClient, suiteClientFor } from './oidc';
import { createSessionStore, isToken, randomToken, sha256 } from './sessions';

export interface AuthOptions {
  appId: string;
  publicUrl: string;
  issuer: string;
  suiteSecret: string;
  database: Database;
  logger: Logger;
  metrics: Metrics;
  /** Absolute cap on a session. Default 8 h. */
  sessionMaxAgeMs?: number;
  now?: () => number;
}

const LOGIN_TTL_MS = 10 * 60_000;
/** Seconds a client is told to wait (Retry-After) when its bearer token cannot be checked right now. */
export const ISSUER_RETRY_AFTER_S = 5;

/** Reads one cookie from the header; no parser middleware needed for the two cookies app-kit uses. */
export function cookieValue(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

// Browsers treat `\` like `/` and drop control characters, so such a path could leave the app once parsed.
function hasControlOrBackslash(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x5c) return true;
  }
  return false;
}

function stringClaim(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function createAuth(opts: AuthOptions) {
  const { appId, logger, metrics } = opts;
  const publicUrl = opts.publicUrl.replace(/\/+$/, '');
  const appBase = `/${appId}/`;
  const secure = new URL(publicUrl).protocol === 'https:';
  const sessionCookie = `gx_${appId}`;
  const loginCookie = `gx_${appId}_login`;
  const suiteClient: SuiteClient = suiteClientFor(appId, publicUrl, opts.suiteSecret);
  const issuer = connectIssuer({ issuer: opts.issuer, client: suiteClient, logger });
  const store = createSessionStore({
    app: appId,
    database: opts.database,
    maxAgeMs: opts.sessionMaxAgeMs,
    now: opts.now,
  });

  const cookieOptions = (path: string, maxAgeMs: number): CookieOptions => ({
    path,
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: maxAgeMs,
  });

  /** A path inside this app, from a path or a same-origin URL; undefined when it points anywhere else. */
  function returnToOf(value: unknown): string | undefined {
    if (value === undefined || value === '') return appBase;
    if (typeof value !== 'string' || value.length > 2048 || hasControlOrBackslash(value)) return undefined;
    let url: URL;
    try {
      url = new URL(value, publicUrl);
    } catch {
      return undefined;
    }
    // `//evil.example/x` parses as another origin; `/app/../passport` normalises out of the app.
    if (url.origin !== new URL(publicUrl).origin) return undefined;
    if (url.pathname !== `/${appId}` && !url.pathname.startsWith(appBase)) return undefined;
    return url.pathname + url.search + url.hash;
  }

  function refuse(res: Response, status: number, code: string, message: string) {
    if (status >= 400 && status < 500) metrics.badInput.inc({ source: 'api', reason: code });
    res.status(status).json({ error: { code, message } });
  }

  /**
   * The person behind a request: a bearer access token if one is sent, else the session cookie. Throws
   * IssuerUnavailableError when a bearer token cannot be checked because passport is not answering.
   */
  async function userFrom(req: Request): Promise<SessionUser | null> {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+([A-Za-z0-9_.-]{20,8192})$/.exec(authorization);
      if (!match?.[1]) return null;
      const claims = await issuer.verifyAccessToken(match[1]);
      const did = claims && stringClaim(claims, CLAIMS.did);
      if (!claims?.sub || !did) return null;
      const name = stringClaim(claims, CLAIMS.name);
      return {
        did,
        address: claims.sub,
        roles: parseRoles(claims[CLAIMS.roles]),
        ...(name !== undefined && { name }),
        sessionId: `bearer:${claims.jti ?? sha256(match[1]).slice(0, 16)}`,
      };
    }
    return (await store.find(cookieValue(req, sessionCookie)))?.user ?? null;
  }

  /**
   * userFrom for a request being answered. While passport cannot check its bearer token, the response
   * gets `Retry-After` and the error is returned for the caller to answer 503: try again, not a 401 that
   * would tell the client its token is bad.
   */
  async function userOrRetry(
    req: Request,
    res: Response,
  ): Promise<SessionUser | null | IssuerUnavailableError> {
    try {
      return await userFrom(req);
    } catch (error) {
      if (!(error instanceof IssuerUnavailableError)) throw error;
      res.setHeader('Retry-After', String(ISSUER_RETRY_AFTER_S));
      return error;
    }
  }

  const router = express.Router();

  router.get('/login', async (req, res) => {
    const returnTo = returnToOf(req.query.returnTo);
    if (returnTo === undefined) {
      return refuse(res, 400, 'invalid_return_to', `returnTo must be a path under ${appBase}`);
    }
    let config: client.Configuration;
    try {
      config = await issuer.config();
    } catch (error) {
      if (!(error instanceof IssuerUnavailableError)) throw error;
      return refuse(res, 503, 'issuer_unavailable', 'sign-in is unavailable right now; try again shortly');
    }
    // One browser may start logins in several tabs: keep its binding value while it is live.
    const existing = cookieValue(req, loginCookie);
    const browser = isToken(existing) ? existing : randomToken();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    await store.saveLogin({ state, browser, nonce, codeVerifier, returnTo, ttlMs: LOGIN_TTL_MS });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: suiteClient.redirect_uris[0]!,
      scope: SUITE_SCOPES,
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    res.cookie(loginCookie, browser, cookieOptions(`${appBase}auth/`, LOGIN_TTL_MS));
    res.redirect(302, url.href);
  });

  router.get('/callback', async (req, res) => {
    const fail = (code: string, detail: unknown) => {
      logger.warn({ code, err: detail instanceof Error ? detail.message : detail }, 'sign-in failed');
      metrics.badInput.inc({ source: 'api', reason: `login_${code}` });
      res.redirect(303, `${appBase}?login_error=${encodeURIComponent(code)}`);
    };
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    const login = state ? await store.takeLogin(state, cookieValue(req, loginCookie)) : null;
    if (!login) return fail('expired', 'unknown, expired or foreign login state');
    let config: client.Configuration;
    try {
      config = await issuer.config();
    } catch (error) {
      return fail('issuer_unavailable', error);
    }
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(
        config,
        new URL(`${suiteClient.redirect_uris[0]}${query}`),
        {
          pkceCodeVerifier: login.codeVerifier,
          expectedState: state,
          expectedNonce: login.nonce,
          idTokenExpected: true,
        },
      );
    } catch (error) {
      const code = error instanceof client.AuthorizationResponseError ? error.error : 'rejected';
      return fail(/^[a-z_]{1,40}$/.test(code) ? code : 'rejected', error);
    }
    const claims = tokens.claims() as Record<string, unknown> | undefined;
    const sub = claims && stringClaim(claims, 'sub');
    const did = claims && stringClaim(claims, CLAIMS.did);
    if (!claims || !sub || !did) return fail('bad_claims', 'the ID token carries no sub or did');
    const roles = parseRoles(claims[CLAIMS.roles]).map((r) => `${r.app}:${r.role}`);
    const name = stringClaim(claims, CLAIMS.name);
    const session = await store.create({
      sub,
      did,
      roles,
      ...(name !== undefined && { name }),
      ...(tokens.id_token !== undefined && { idToken: tokens.id_token }),
      idTokenExpiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : 0,
    });
    res.clearCookie(loginCookie, { path: `${appBase}auth/` });
    res.cookie(sessionCookie, session.id, cookieOptions(appBase, store.maxAgeMs));
    logger.info({ sub, sessionId: sha256(session.id).slice(0, 16) }, 'signed in');
    res.redirect(303, login.returnTo);
  });

  router.get('/me', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const user = await userOrRetry(req, res);
    if (user instanceof IssuerUnavailableError) {
      return refuse(
        res,
        503,
        'issuer_unavailable',
        'your token cannot be checked right now; try again shortly',
      );
    }
    if (!user) return refuse(res, 401, 'unauthenticated', 'not signed in');
    res.json(user);
  });

  // POST only: with SameSite=Lax another site cannot make a browser send the cookie here.
  router.post('/logout', async (req, res) => {
    const ended = await store.end(cookieValue(req, sessionCookie));
    res.clearCookie(sessionCookie, { path: appBase });
    let target = suiteClient.post_logout_redirect_uris[0]!;
    if (ended) {
      try {
        target = client.buildEndSessionUrl(await issuer.config(), {
          client_id: appId,
          post_logout_redirect_uri: suiteClient.post_logout_redirect_uris[0]!,
          ...(ended.idToken !== null && { id_token_hint: ended.idToken }),
        }).href;
      } catch (error) {
        // Passport is away: the app's own session is over; passport's ends on its own expiry.
        logger.warn({ err: error instanceof Error ? error.message : error }, 'no end-session redirect');
      }
    }
    if (req.accepts(['html', 'json']) === 'json') res.json({ redirect: target });
    else res.redirect(303, target);
  });

  return { router, userFrom, userOrRetry, store, issuer, sessionCookie };
}

export type Auth = ReturnType<typeof createAuth>;
