// Opening the database: bad DATABASE_URL values must fail fast and clearly, never hang, never show a password.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DatabaseUnavailableError,
  isUniqueViolation,
  openDatabase,
  redactUrl,
  sqlStateOf,
} from '../src/index';
import { testBackends } from '../src/testing';

const PASSWORD = 'hunter2-s3cret';
const adminUrl = process.env['TEST_DATABASE_URL'];

async function openError(url: string, connectTimeoutSeconds?: number): Promise<DatabaseUnavailableError> {
  const err = await openDatabase({ url, connectTimeoutSeconds }).then(
    async (database) => {
      await database.close();
      throw new Error(`expected opening ${url} to fail`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatabaseUnavailableError);
  const unavailable = err as DatabaseUnavailableError;
  expect(unavailable.message).toContain('DATABASE_URL');
  expect(unavailable.message).not.toContain(PASSWORD);
  expect(unavailable.target).not.toContain(PASSWORD);
  return unavailable;
}

describe('openDatabase with a bad DATABASE_URL', () => {
  it('names the closed port and the setting to fix, without the password', async () => {
    const err = await openError(`postgres://postgres:${PASSWORD}@127.0.0.1:1/x`);
    expect(err.message).toContain('postgres://postgres:***@127.0.0.1:1/x');
    expect(err.reason).toMatch(/ECONNREFUSED/);
  });

  it('rejects a non-PostgreSQL scheme before trying to connect', async () => {
    const err = await openError(`mysql://root:${PASSWORD}@127.0.0.1:3306/gongxin`);
    expect(err.message).toMatch(/unsupported scheme "mysql"/);
    expect(err.message).toContain('mysql://root:***@127.0.0.1:3306/gongxin');
  });

  it('rejects something that is not a URL at all', async () => {
    const err = await openError(`postgres//postgres:${PASSWORD}@localhost/gongxin`);
    expect(err.reason).toMatch(/not a valid URL/);
  });

  it('names a host that does not resolve', async () => {
    const err = await openError(`postgres://postgres:${PASSWORD}@no-such-host.invalid:5432/gongxin`, 2);
    expect(err.message).toContain('no-such-host.invalid');
  });

  describe('against a server that accepts connections but never answers', () => {
    let silent: Server;
    let port = 0;
    beforeAll(async () => {
      silent = createServer(() => {});
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      port = (silent.address() as { port: number }).port;
    });
    afterAll(async () => {
      silent.close();
    });

    it('gives up after the connect timeout instead of hanging', async () => {
      const started = Date.now();
      const err = await openError(`postgres://postgres:${PASSWORD}@127.0.0.1:${port}/x`, 1);
      expect(err.reason).toMatch(/no answer within 1 s/);
      // Slack for a loaded machine; hanging would run into the test's timeout.
      expect(Date.now() - started).toBeLessThan(20_000);
    });
  });

  describe.runIf(adminUrl)('on the real server (TEST_DATABASE_URL)', () => {
    const withDatabase = (database: string, password?: string) => {
      const url = new URL(adminUrl!);
      url.pathname = `/${database}`;
      if (password) url.password = password;
      return url.toString();
    };

    it('names a database that does not exist', async () => {
      const err = await openError(withDatabase('gongxin_no_such_db', PASSWORD));
      expect(err.reason).toBe('database "gongxin_no_such_db" does not exist');
      expect(sqlStateOf(err.cause)).toBe('3D000');
    });

    it('describes where it is connected without the password', async () => {
      // The local server uses trust auth, so the password is accepted and ignored.
      const database = await openDatabase({ url: withDatabase('test', PASSWORD), max: 1 });
      try {
        expect(database.describe()).toMatch(/^PostgreSQL at postgres:\/\/\w+@[\w.]+:\d+\/test$/);
        expect(database.describe()).not.toContain(PASSWORD);
      } finally {
        await database.close();
      }
    });
  });
});

describe('openDatabase logging', () => {
  it('logs where the database is through a pino-shaped logger', async () => {
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const database = await openDatabase({ memory: true, logger });
    await database.close();
    expect(logger.info).toHaveBeenCalledWith({ db: 'PGlite in memory' }, 'database open');
    expect(logger.debug).toHaveBeenCalledWith({ db: 'PGlite in memory' }, 'database closed');
  });
});

describe('testBackends', () => {
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('always includes in-memory PGlite, and PostgreSQL only when TEST_DATABASE_URL is set', () => {
    vi.stubEnv('TEST_DATABASE_URL', '');
    expect(testBackends().map((b) => b.name)).toEqual(['pglite']);
    vi.stubEnv('TEST_DATABASE_URL', 'postgres://postgres@127.0.0.1:1/test');
    expect(testBackends().map((b) => b.name)).toEqual(['pglite', 'postgres']);
  });

  it('fails (never skips) when TEST_DATABASE_URL is set but unreachable', async () => {
    vi.stubEnv('TEST_DATABASE_URL', `postgres://postgres:${PASSWORD}@127.0.0.1:1/test`);
    const postgres = testBackends().find((b) => b.name === 'postgres')!;
    const err = await postgres.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    expect((err as Error).message).not.toContain(PASSWORD);
  });
});

describe('helpers', () => {
  it('redactUrl hides passwords, also in URLs it cannot parse', () => {
    expect(redactUrl('postgres://app:pa55@db.internal:5432/gongxin')).toBe(
      'postgres://app:***@db.internal:5432/gongxin',
    );
    expect(redactUrl('postgres://app@db.internal/gongxin')).toBe('postgres://app@db.internal/gongxin');
    expect(redactUrl('postgres://app:pa55@[bad/gongxin')).toBe('postgres://app:***@[bad/gongxin');
    expect(redactUrl('postgres:/app:pa55@db/gongxin')).toBe('postgres:/app:***@db/gongxin');
    expect(redactUrl('postgres//app:p@:55@db/gongxin')).toBe('postgres//app:***@db/gongxin');
    expect(redactUrl('postgres://db.internal:5432/gongxin')).toBe('postgres://db.internal:5432/gongxin');
  });

  it('sqlStateOf looks through drizzle wrappers and ignores non-SQL error codes', () => {
    const driverError = Object.assign(new Error('duplicate key'), { code: '23505', severity: 'ERROR' });
    expect(isUniqueViolation(new Error('Failed query', { cause: driverError }))).toBe(true);
    expect(sqlStateOf(Object.assign(new Error('closed'), { code: 'CONNECTION_CLOSED' }))).toBeUndefined();
    expect(sqlStateOf(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBeUndefined();
    expect(isUniqueViolation('23505')).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });
});
