// The `appkit` schema: state app-kit keeps for every app in the shared database — sessions, the login
// records of the OIDC code flow, and indexer cursors. Rows carry the app id (sessions, logins) or a unique
// indexer name, so apps sharing one database never see each other's rows. Loaded by drizzle-kit: it must
// never import a database driver.
import { appSchema } from '@gongxin/db/schema';
import { bigint, index, integer, jsonb, text, timestamp } from 'drizzle-orm/pg-core';

/** Exported so drizzle-kit emits `CREATE SCHEMA "appkit"`. */
export const appkit = appSchema('appkit');

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const sessions = appkit.table(
  'sessions',
  {
    /** SHA-256 (hex) of the session id: the cookie holds the id, the database never does. */
    idHash: text('id_hash').primaryKey(),
    app: text('app').notNull(),
    /** The subject: the person's chain address. */
    sub: text('sub').notNull(),
    did: text('did').notNull(),
    /** `"<app>:<role>"` strings, as the ID token carried them. */
    roles: jsonb('roles').$type<string[]>().notNull(),
    name: text('name'),
    /** Kept for RP-initiated logout (`id_token_hint`). */
    idToken: text('id_token'),
    createdAt: at('created_at').notNull().defaultNow(),
    /** Sliding: pushed forward by `window_seconds` on use, never past `max_expires_at`. */
    expiresAt: at('expires_at').notNull(),
    maxExpiresAt: at('max_expires_at').notNull(),
    windowSeconds: integer('window_seconds').notNull(),
  },
  (t) => [index('sessions_app_expires_at').on(t.app, t.expiresAt)],
);

export const loginStates = appkit.table(
  'login_states',
  {
    /** SHA-256 (hex) of the OAuth `state` parameter. */
    stateHash: text('state_hash').primaryKey(),
    app: text('app').notNull(),
    /** SHA-256 (hex) of the browser-binding cookie: the callback must come from the browser that started. */
    browserHash: text('browser_hash').notNull(),
    nonce: text('nonce').notNull(),
    codeVerifier: text('code_verifier').notNull(),
    returnTo: text('return_to').notNull(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [index('login_states_expires_at').on(t.expiresAt)],
);

export const indexerCursors = appkit.table('indexer_cursors', {
  /** The indexer's name, unique across every app sharing the database. */
  name: text('name').primaryKey(),
  /** The last block whose events are applied (0: none). */
  height: bigint('height', { mode: 'number' }).notNull(),
  /** Hex hash of that block ('' at 0): tells this chain from another one in the same database. */
  blockHash: text('block_hash').notNull(),
  updatedAt: at('updated_at').notNull().defaultNow(),
});
