// The pieces on their own: the roles claim, client registration, sliding sessions, and the tRPC guards
// through a caller (no HTTP).
import { type Database, openDatabase } from '@gongxin/db';
import { createLogger, createMetrics } from '@gongxin/telemetry';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveClientSecret, suiteClientFor } from '../src/auth/oidc';
import { createSessionStore } from '../src/auth/sessions';
import { appkitMigrations } from '../src/db/migrations';
import { formatRole, hasRole, parseRoles, type SessionUser } from '../src/roles';
import type { AppServices } from '../src/services';
import type { AppContext } from '../src/trpc';
import { appRouter, createCallerFactory } from './fixture/app';

describe('roles claim', () => {
  it('parses "<app>:<role>" strings (and {app, role} objects), dropping anything malformed', () => {
    expect(
      parseRoles([
        'welfare:officer',
        { app: 'registry', role: 'clerk' },
        'welfare:officer',
        'nocolon',
        'Welfare:Officer',
        ':role',
        'app:',
        42,
        null,
        { app: 'x' },
      ]),
    ).toEqual([
      { app: 'welfare', role: 'officer' },
      { app: 'registry', role: 'clerk' },
    ]);
    expect(parseRoles('welfare:officer')).toEqual([]);
    expect(parseRoles(undefined)).toEqual([]);
    expect(formatRole('welfare', 'officer')).toBe('welfare:officer');
    expect(() => formatRole('welfare', 'Officer!')).toThrow();
    expect(hasRole({ roles: [{ app: 'welfare', role: 'officer' }] }, 'welfare', 'officer')).toBe(true);
    expect(hasRole({ roles: [{ app: 'welfare', role: 'officer' }] }, 'registry', 'officer')).toBe(false);
    expect(hasRole(null, 'welfare', 'officer')).toBe(false);
  });
});

describe('suite client registration', () => {
  it('derives a per-app secret from the suite secret, with exact redirect URIs', () => {
    const secret = 's'.repeat(40);
    const welfare = suiteClientFor('welfare', 'https://gx.example.cn/', secret);
    expect(welfare).toEqual({
      client_id: 'welfare',
      client_secret: deriveClientSecret(secret, 'welfare'),
      redirect_uris: ['https://gx.example.cn/welfare/auth/callback'],
      post_logout_redirect_uris: ['https://gx.example.cn/welfare/'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect(welfare.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(suiteClientFor('registry', 'https://gx.example.cn', secret).client_secret).not.toBe(
      welfare.client_secret,
    );
    expect(suiteClientFor('welfare', 'https://gx.example.cn', `${secret}x`).client_secret).not.toBe(
      welfare.client_secret,
    );
    expect(() => suiteClientFor('welfare', 'https://gx.example.cn', 'short')).toThrow(/at least 32/);
  });
});

describe('sessions', () => {
  let database: Database;
  let now = Date.UTC(2030, 0, 1);
  beforeAll(async () => {
    database = await openDatabase({ memory: true });
    await database.migrate(appkitMigrations);
  });
  afterAll(() => database?.close());

  it('slide by the ID token lifetime, never past the cap, and belong to one app', async () => {
    const store = createSessionStore({ app: 'welfare', database, maxAgeMs: 3 * 3600_000, now: () => now });
    const { id } = await store.create({
      sub: 'gx1abc',
      did: 'did:gx:gx1abc',
      roles: ['welfare:officer'],
      idTokenExpiresAt: now + 3600_000,
    });
    expect((await store.find(id))?.user).toMatchObject({
      address: 'gx1abc',
      roles: [{ app: 'welfare', role: 'officer' }],
    });
    // Used every 50 minutes: the one-hour window keeps sliding...
    for (let i = 0; i < 3; i++) {
      now += 50 * 60_000;
      expect(await store.find(id), `after ${(i + 1) * 50} min`).not.toBeNull();
    }
    // ...but never past the 3 h cap.
    now += 35 * 60_000;
    expect(await store.find(id)).toBeNull();

    const other = createSessionStore({ app: 'registry', database, now: () => now });
    const fresh = await store.create({
      sub: 'gx1abc',
      did: 'did:gx:gx1abc',
      roles: [],
      idTokenExpiresAt: now + 3600_000,
    });
    expect(await other.find(fresh.id)).toBeNull();
    // Idle for longer than the window: gone.
    now += 61 * 60_000;
    expect(await store.find(fresh.id)).toBeNull();
  });

  it('login records are single-use and bound to the browser', async () => {
    const store = createSessionStore({ app: 'welfare', database, now: () => now });
    const browser = 'b'.repeat(43);
    const login = {
      state: 'state-1',
      browser,
      nonce: 'n',
      codeVerifier: 'v',
      returnTo: '/welfare/',
      ttlMs: 60_000,
    };
    await store.saveLogin(login);
    expect(await store.takeLogin('state-1', 'c'.repeat(43))).toBeNull();
    await store.saveLogin({ ...login, state: 'state-2' });
    expect(await store.takeLogin('state-2', browser)).toEqual({
      nonce: 'n',
      codeVerifier: 'v',
      returnTo: '/welfare/',
    });
    expect(await store.takeLogin('state-2', browser)).toBeNull();
    await store.saveLogin({ ...login, state: 'state-3' });
    now += 61_000;
    expect(await store.takeLogin('state-3', browser)).toBeNull();
  });
});

describe('guards through a caller', () => {
  const logger = createLogger({ name: 'caller-test', level: 'silent' });
  const ctx = (user: SessionUser | null): AppContext => ({
    user,
    requestId: 'r-1',
    logger,
    services: { metrics: createMetrics({ defaultMetrics: false }) } as AppServices,
    ip: '127.0.0.1',
    app: undefined,
  });
  const officer: SessionUser = {
    did: 'did:gx:gx1o',
    address: 'gx1o',
    roles: [{ app: 'welfare', role: 'officer' }],
    sessionId: 's',
  };
  const caller = createCallerFactory(appRouter);

  it('UNAUTHORIZED without a user, FORBIDDEN without the role, the answer with it', async () => {
    await expect(caller(ctx(null)).me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(caller(ctx(officer)).auditLog()).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('welfare:auditor'),
    });
    expect(await caller(ctx(officer)).officerDesk()).toEqual({ officer: 'gx1o' });
  });

  it('bad input is BAD_REQUEST, an unexpected error INTERNAL_SERVER_ERROR', async () => {
    const bad = await caller(ctx(null))
      .fileClaim({ amountFen: 0, caseNo: 'c' })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(TRPCError);
    expect((bad as TRPCError).code).toBe('BAD_REQUEST');
    await expect(caller(ctx(null)).parsesInside()).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(caller(ctx(null)).crashes()).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
  });
});
