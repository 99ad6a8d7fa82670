// Per-app migrations on both drivers: incremental application, per-app journals, concurrent start-up.
// Each test opens its own fresh database because migrations are about what an empty database becomes.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { appMigrations, type Database, type Migrations, openDatabase } from '../src/index';
import type { LoggerLike } from '../src/logger';
import { applyMigrations } from '../src/migrate';
import { testBackends } from '../src/testing';
import { fixtureMigrations } from './fixture/migrations';

const scratch = mkdtempSync(join(tmpdir(), 'gongxin-db-migrate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the fixture migrations whose journal lists only the first `count` entries. */
function firstMigrations(count: number): Migrations {
  const folder = mkdtempSync(join(scratch, 'fixture-'));
  cpSync(fixtureMigrations.folder, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: unknown[] };
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(journalPath, JSON.stringify(journal));
  return { ...fixtureMigrations, folder };
}

/** A second, hand-written app, to show two apps' journals never meet. */
function otherApp(): Migrations {
  const folder = join(scratch, 'db_other');
  mkdirSync(join(folder, 'meta'), { recursive: true });
  writeFileSync(
    join(folder, '0000_init.sql'),
    'CREATE SCHEMA "db_other";\n--> statement-breakpoint\nCREATE TABLE "db_other"."notes" ("id" integer PRIMARY KEY);\n',
  );
  writeFileSync(
    join(folder, 'meta', '_journal.json'),
    JSON.stringify({
      version: '7',
      dialect: 'postgresql',
      entries: [{ idx: 0, version: '7', when: 1_700_000_000_000, tag: '0000_init', breakpoints: true }],
    }),
  );
  return appMigrations('db_other', folder);
}

const journalOf = (database: Database, schema: string) =>
  database.query<{ hash: string; created_at: bigint }>(
    sql`select hash, created_at from ${sql.identifier(schema)}.__drizzle_migrations order by created_at`,
  );

const tablesIn = async (database: Database, schema: string) =>
  (
    await database.query<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = ${schema} order by 1`,
    )
  ).map((row) => row.table_name);

describe.each(testBackends())('$name migrations', ({ name, open }) => {
  // One database per backend (a PGlite start costs a second); each test starts with no app schemas.
  let database: Database;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.execute(sql`drop schema if exists db_fixture, db_other cascade`);
  });

  it('apply only what is pending, in order', async () => {
    await database.migrate(firstMigrations(1));
    expect(await tablesIn(database, 'db_fixture')).toEqual(['__drizzle_migrations', 'accounts']);
    expect(await journalOf(database, 'db_fixture')).toHaveLength(1);

    await database.migrate(fixtureMigrations);
    expect(await tablesIn(database, 'db_fixture')).toEqual([
      '__drizzle_migrations',
      'accounts',
      'ledger_entries',
    ]);
    const journal = await journalOf(database, 'db_fixture');
    expect(journal).toHaveLength(2);
    expect(journal.map((row) => typeof row.created_at)).toEqual(['bigint', 'bigint']);
  });

  it('keep each app in its own schema with its own journal', async () => {
    await database.migrate(fixtureMigrations);
    await database.migrate(otherApp());
    expect(await journalOf(database, 'db_fixture')).toHaveLength(2);
    expect(await journalOf(database, 'db_other')).toHaveLength(1);
    expect(await tablesIn(database, 'db_other')).toEqual(['__drizzle_migrations', 'notes']);
    expect(await tablesIn(database, 'public')).toEqual([]);
  });

  it('apply exactly once when several start-ups migrate at the same time', async () => {
    // On PostgreSQL separate pools stand in for separate processes; PGlite has only the one connection.
    const url = (database as { url?: unknown }).url;
    const others =
      typeof url === 'string'
        ? [await openDatabase({ url, max: 2 }), await openDatabase({ url, max: 2 })]
        : [database, database];
    try {
      await Promise.all([database, ...others].map((d) => d.migrate(fixtureMigrations)));
      expect(await journalOf(database, 'db_fixture')).toHaveLength(2);
    } finally {
      for (const other of others) if (other !== database) await other.close();
    }
  });

  it('leave nothing behind when a migration fails', async () => {
    const folder = join(scratch, `broken-${name}`);
    cpSync(fixtureMigrations.folder, folder, { recursive: true });
    writeFileSync(
      join(folder, '0001_ledger_entries.sql'),
      'CREATE TABLE "db_fixture"."oops" (id int);\n--> statement-breakpoint\nSELECT 1/0;',
    );
    await expect(database.migrate({ name: 'db_fixture', folder })).rejects.toThrow();
    // All-or-nothing: not even the first, valid migration stays applied.
    expect(await tablesIn(database, 'db_fixture')).toEqual([]);
    await database.migrate(fixtureMigrations);
    expect(await journalOf(database, 'db_fixture')).toHaveLength(2);
  });

  it('warn when an applied migration was edited afterwards', async () => {
    const folder = join(scratch, `edited-${name}`);
    cpSync(fixtureMigrations.folder, folder, { recursive: true });
    const logger: LoggerLike = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    await applyMigrations(database.db, fixtureMigrations, logger);
    expect(logger.info).toHaveBeenCalledWith(
      { schema: 'db_fixture', applied: 2 },
      'database migrations applied',
    );
    const first = join(folder, '0000_accounts.sql');
    writeFileSync(first, `${readFileSync(first, 'utf8')}\n-- edited`);
    await applyMigrations(database.db, { name: 'db_fixture', folder }, logger);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(await journalOf(database, 'db_fixture')).toHaveLength(2);
  });
  it('reject a folder without drizzle-kit output, naming the folder', async () => {
    await expect(database.migrate({ name: 'db_fixture', folder: join(scratch, 'missing') })).rejects.toThrow(
      /cannot read migrations for schema "db_fixture" from .*missing/,
    );
  });
});

describe('migration inputs', () => {
  it('reject schema names that are not an app schema', () => {
    for (const bad of ['public', 'Welfare', 'pg_temp', 'drizzle', '1app', 'a-b', '']) {
      expect(() => appMigrations(bad, scratch)).toThrow(/not a valid app schema name/);
    }
    expect(appMigrations('welfare', new URL('file:///srv/welfare/drizzle'))).toEqual({
      name: 'welfare',
      folder: '/srv/welfare/drizzle',
    });
  });
});
