// The `appkit` schema: state app-kit keeps for every app in the shared database — sessions, the login
// records of the OIDC code flow, indexer cursors and anchor outboxes. Rows carry the app id (sessions,
// logins) or a unique indexer or outbox name, so apps sharing one database never see each other's rows. Loaded by drizzle-kit: it must
// never import a database driver.
import { appSchema } from '@gongxin/db/schema';
import { bigint, boolean, index, integer, jsonb, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

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
  /**
   * The version of the indexer's handlers that built the read models (`IndexerDefinition.version`): an
   * app whose handlers derive rows differently raises it, and the read models are rebuilt at start.
   */
  version: integer('version').notNull().default(1),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

/**
 * Records an app anchors on chain through its outbox (src/outbox), one row per record: the action that
 * puts it on chain, and where it stands — `pending`, `sending` (in a tx of `outbox_batches`), `anchored`
 * (with the tx and height; no tx when the chain already had it) or `failed` (with the contract's code).
 */
export const outboxRecords = appkit.table(
  'outbox_records',
  {
    /** The outbox's name, unique across every app sharing the database (usually the app id). */
    outbox: text('outbox').notNull(),
    /** The app's id of the record; anchored at most once per outbox. */
    id: text('id').notNull(),
    /** Address of the service key that signs its anchor. */
    signer: text('signer').notNull(),
    /** `{ contract, name, params }`: the action that anchors it. */
    action: jsonb('action').notNull(),
    state: text('state').$type<'pending' | 'sending' | 'anchored' | 'failed'>().notNull(),
    /** Sent in a tx of its own: a tx with it and others failed, so it is retried alone to find the culprit. */
    alone: boolean('alone').notNull().default(false),
    batchId: bigint('batch_id', { mode: 'number' }),
    txId: text('tx_id'),
    height: bigint('height', { mode: 'number' }),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.outbox, t.id] }),
    index('outbox_records_state').on(t.outbox, t.state, t.signer),
  ],
);

/**
 * Anchor txs in flight: written with their signed bytes before they are submitted, deleted once their
 * outcome is recorded. After a crash the same bytes are submitted again: the chain either has the tx
 * (and answers its outcome) or takes it now; its nonce makes a second copy impossible.
 */
export const outboxBatches = appkit.table(
  'outbox_batches',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    outbox: text('outbox').notNull(),
    signer: text('signer').notNull(),
    nonce: bigint('nonce', { mode: 'number' }).notNull(),
    txId: text('tx_id').notNull(),
    /** The signed tx, wire bytes as hex. */
    txBytes: text('tx_bytes').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [index('outbox_batches_signer').on(t.outbox, t.signer, t.nonce)],
);

/**
 * Rate-limit counters shared by every replica on one PostgreSQL: one row per limiter and client
 * (`<limiter>:<ip>`), a fixed window that restarts when `reset_at` has passed.
 */
export const rateLimits = appkit.table(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    hits: integer('hits').notNull(),
    resetAt: at('reset_at').notNull(),
  },
  (t) => [index('rate_limits_reset_at').on(t.resetAt)],
);
