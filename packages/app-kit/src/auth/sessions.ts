// Server-side sessions and login records in `appkit.sessions` / `appkit.login_states`. A session id is 32
// random bytes that live only in the person's cookie; the database keeps its SHA-256, so a leaked table
// cannot be replayed as cookies. Must never return a session of another app or one past its expiry.
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '@gongxin/db';
import { and, eq, lt } from 'drizzle-orm';
import { loginStates, sessions } from '../db/schema';
import { parseRoles, type SessionUser } from '../roles';

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
export const randomToken = () => randomBytes(32).toString('base64url');

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** Only values shaped like our tokens reach the database (a forged cookie of any size does not). */
export const isToken = (value: string | undefined): value is string =>
  value !== undefined && TOKEN.test(value);

export interface NewSession {
  sub: string;
  did: string;
  roles: string[];
  name?: string;
  idToken?: string;
  /** When the ID token expires (ms): the sliding window is its lifetime, capped by `maxAgeMs`. */
  idTokenExpiresAt: number;
}

export interface SessionStoreOptions {
  app: string;
  database: Database;
  /** Absolute cap on a session's life. Default 8 h. */
  maxAgeMs?: number;
  now?: () => number;
}

// A short ID token lifetime must not log people out every few minutes.
const MIN_WINDOW_MS = 15 * 60_000;
// Extending on every request would write on every request; once a minute is precise enough.
const TOUCH_EVERY_MS = 60_000;

export interface StoredSession {
  user: SessionUser;
  idToken: string | null;
  maxExpiresAt: Date;
}

export function createSessionStore(opts: SessionStoreOptions) {
  const { app, database } = opts;
  const db = database.db;
  const maxAgeMs = opts.maxAgeMs ?? 8 * 3600_000;
  const now = opts.now ?? Date.now;

  return {
    maxAgeMs,

    /** Opens a session; returns the id for the cookie (never stored) and when it ends at the latest. */
    async create(s: NewSession): Promise<{ id: string; maxExpiresAt: Date }> {
      const id = randomToken();
      const t = now();
      const windowMs = Math.min(maxAgeMs, Math.max(MIN_WINDOW_MS, s.idTokenExpiresAt - t));
      const maxExpiresAt = new Date(t + maxAgeMs);
      await db.delete(sessions).where(and(eq(sessions.app, app), lt(sessions.expiresAt, new Date(t))));
      await db.insert(sessions).values({
        idHash: sha256(id),
        app,
        sub: s.sub,
        did: s.did,
        roles: s.roles,
        name: s.name ?? null,
        idToken: s.idToken ?? null,
        expiresAt: new Date(t + windowMs),
        maxExpiresAt,
        windowSeconds: Math.round(windowMs / 1000),
      });
      return { id, maxExpiresAt };
    },

    /** The live session for a cookie value, slid forward; null for unknown, expired or other apps' ids. */
    async find(id: string | undefined): Promise<StoredSession | null> {
      if (!isToken(id)) return null;
      const idHash = sha256(id);
      const [row] = await db
        .select()
        .from(sessions)
        .where(and(eq(sessions.idHash, idHash), eq(sessions.app, app)));
      const t = now();
      if (!row) return null;
      if (row.expiresAt.getTime() <= t) {
        await db.delete(sessions).where(eq(sessions.idHash, idHash));
        return null;
      }
      const slid = Math.min(t + row.windowSeconds * 1000, row.maxExpiresAt.getTime());
      if (slid - row.expiresAt.getTime() >= TOUCH_EVERY_MS) {
        await db
          .update(sessions)
          .set({ expiresAt: new Date(slid) })
          .where(eq(sessions.idHash, idHash));
      }
      return {
        user: {
          did: row.did,
          address: row.sub,
          roles: parseRoles(row.roles),
          ...(row.name !== null && { name: row.name }),
          sessionId: idHash.slice(0, 16),
        },
        idToken: row.idToken,
        maxExpiresAt: row.maxExpiresAt,
      };
    },

    async end(id: string | undefined): Promise<StoredSession | null> {
      if (!isToken(id)) return null;
      const found = await this.find(id);
      await db.delete(sessions).where(and(eq(sessions.idHash, sha256(id)), eq(sessions.app, app)));
      return found;
    },

    /** Records a login in flight (state, nonce, PKCE verifier), bound to the browser that started it. */
    async saveLogin(login: {
      state: string;
      browser: string;
      nonce: string;
      codeVerifier: string;
      returnTo: string;
      ttlMs: number;
    }): Promise<void> {
      const t = now();
      await db.delete(loginStates).where(lt(loginStates.expiresAt, new Date(t)));
      await db.insert(loginStates).values({
        stateHash: sha256(login.state),
        app,
        browserHash: sha256(login.browser),
        nonce: login.nonce,
        codeVerifier: login.codeVerifier,
        returnTo: login.returnTo,
        expiresAt: new Date(t + login.ttlMs),
      });
    },

    /** Takes (and deletes: single use) the login for `state`, if it is live and from this browser. */
    async takeLogin(
      state: string,
      browser: string | undefined,
    ): Promise<{ nonce: string; codeVerifier: string; returnTo: string } | null> {
      if (!isToken(browser) || state.length > 200) return null;
      const [row] = await db
        .delete(loginStates)
        .where(and(eq(loginStates.stateHash, sha256(state)), eq(loginStates.app, app)))
        .returning();
      if (!row || row.expiresAt.getTime() <= now() || row.browserHash !== sha256(browser)) return null;
      return { nonce: row.nonce, codeVerifier: row.codeVerifier, returnTo: row.returnTo };
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
