// Passport's tables, all in the Postgres schema `passport`. Read by drizzle-kit: no driver imports here.
// Applications keep the ID number only encrypted (AES-256-GCM) plus its salted hash and a masked form;
// the clear number exists only in memory while an application is checked.
import { appSchema } from '@gongxin/db/schema';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

export const passport = appSchema('passport');

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const applications = passport.table(
  'applications',
  {
    id: text('id').primaryKey(),
    address: text('address').notNull(),
    kind: text('kind', { enum: ['person', 'organization'] }).notNull(),
    /** Real name of a person, registered name of an organization. */
    name: text('name').notNull(),
    /** `v1.<…>`: AES-256-GCM of the normalized number, bound to the application id. */
    idCipher: text('id_cipher').notNull(),
    idHash: text('id_hash').notNull(),
    idMasked: text('id_masked').notNull(),
    nameHash: text('name_hash').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'rejected', 'revoked'] }).notNull(),
    /** Other applications with the same idHash when this one was filed: the officer must look. */
    duplicateOf: jsonb('duplicate_of').$type<string[]>().notNull().default([]),
    livenessVerifier: text('liveness_verifier').notNull(),
    livenessScore: real('liveness_score').notNull(),
    livenessEvidence: text('liveness_evidence').notNull(),
    reason: text('reason'),
    /** Officer who rejected (address), or the authority whose attestation approved it. */
    decidedBy: text('decided_by'),
    decidedAt: ts('decided_at'),
    attestedHeight: bigint('attested_height', { mode: 'number' }),
    attestedTx: text('attested_tx'),
    demo: boolean('demo').notNull().default(false),
    submittedAt: ts('submitted_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('applications_one_pending').on(t.address).where(sql`status = 'pending'`),
    index('applications_address').on(t.address),
    index('applications_id_hash').on(t.idHash),
    index('applications_status').on(t.status, t.submittedAt),
  ],
);

export const livenessSessions = passport.table('liveness_sessions', {
  id: text('id').primaryKey(),
  address: text('address').notNull(),
  verifier: text('verifier').notNull(),
  prompt: jsonb('prompt').$type<Record<string, string | number>>().notNull(),
  state: jsonb('state').$type<Record<string, string>>().notNull(),
  passed: boolean('passed'),
  score: real('score'),
  evidenceHash: text('evidence_hash'),
  attempts: integer('attempts').notNull().default(0),
  usedAt: ts('used_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
});

/** One-time login challenges, bound to an OIDC interaction; `used_at` makes a replay fail. */
export const loginChallenges = passport.table(
  'login_challenges',
  {
    challenge: text('challenge').primaryKey(),
    uid: text('uid').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
  },
  (t) => [index('login_challenges_expiry').on(t.expiresAt)],
);

/** oidc-provider's models (sessions, grants, codes, tokens, interactions…), one row per (model, id). */
export const oidcModels = passport.table(
  'oidc_models',
  {
    model: text('model').notNull(),
    id: text('id').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    grantId: text('grant_id'),
    userCode: text('user_code'),
    uid: text('uid'),
    accountId: text('account_id'),
    expiresAt: ts('expires_at'),
    consumedAt: ts('consumed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.id] }),
    index('oidc_models_grant').on(t.grantId),
    index('oidc_models_uid').on(t.model, t.uid),
    index('oidc_models_user_code').on(t.model, t.userCode),
    index('oidc_models_account').on(t.model, t.accountId),
    index('oidc_models_expiry').on(t.expiresAt),
  ],
);

/** The provider's signing keys: private JWK encrypted; `active` signs, `previous` is still published. */
export const signingKeys = passport.table('signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  privateCipher: text('private_cipher').notNull(),
  publicJwk: jsonb('public_jwk').$type<Record<string, string>>().notNull(),
  status: text('status', { enum: ['active', 'previous', 'retired'] }).notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  retiredAt: ts('retired_at'),
});

/** Third-party OIDC clients registered by an officer; the secret is kept encrypted (shown once). */
export const clients = passport.table('clients', {
  clientId: text('client_id').primaryKey(),
  name: text('name').notNull(),
  secretCipher: text('secret_cipher').notNull(),
  redirectUris: jsonb('redirect_uris').$type<string[]>().notNull(),
  postLogoutRedirectUris: jsonb('post_logout_redirect_uris').$type<string[]>().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  disabledAt: ts('disabled_at'),
});

/** Read model of the identity contract's roles, kept by the indexer. */
export const roles = passport.table(
  'roles',
  {
    subject: text('subject').notNull(),
    app: text('app').notNull(),
    role: text('role').notNull(),
    grantedBy: text('granted_by').notNull(),
    height: bigint('height', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.subject, t.app, t.role] }), index('roles_app').on(t.app, t.role)],
);

/** Read model of attestations (who is verified), kept by the indexer. */
export const attestations = passport.table('attestations', {
  subject: text('subject').primaryKey(),
  kind: text('kind').notNull(),
  by: text('by').notNull(),
  idHash: text('id_hash').notNull(),
  height: bigint('height', { mode: 'number' }).notNull(),
  txId: text('tx_id'),
  revoked: boolean('revoked').notNull().default(false),
  revokedReason: text('revoked_reason'),
});
