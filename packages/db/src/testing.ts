// Test helpers for any package that keeps tables in @gongxin/db: run one suite on every backend.
// Must never silently skip PostgreSQL when TEST_DATABASE_URL is set, and never let two test files
// share a PostgreSQL database (each open() gets a fresh one, dropped again on close).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from './database';
import { type OpenDatabaseOptions, openDatabase } from './open';

export interface TestBackend {
  name: 'pglite' | 'postgres';
  /** A fresh, empty database for one suite; `close()` it in afterAll. */
  open(): Promise<Database>;
}

/** Env var naming an admin-capable PostgreSQL URL, e.g. `postgres://postgres@127.0.0.1:5432/test`. */
export const TEST_DATABASE_URL = 'TEST_DATABASE_URL';

/**
 * Backends to run a suite on: in-memory PGlite always, PostgreSQL too when TEST_DATABASE_URL is set.
 * Use with `describe.each(testBackends())('$name', ({ open }) => { ... })`. If TEST_DATABASE_URL is set
 * but unreachable, `open()` rejects with DatabaseUnavailableError, so the suite fails loudly.
 */
export function testBackends(): TestBackend[] {
  const backends: TestBackend[] = [{ name: 'pglite', open: () => openDatabase({ memory: true }) }];
  const adminUrl = process.env[TEST_DATABASE_URL];
  if (adminUrl) backends.push({ name: 'postgres', open: () => openFreshPostgres(adminUrl) });
  return backends;
}

/** Creates `gongxin_t_<random>` via `adminUrl`, opens it, and drops it (WITH FORCE) when closed. */
export async function openFreshPostgres(
  adminUrl: string,
  opts: Pick<OpenDatabaseOptions, 'max' | 'logger' | 'connectTimeoutSeconds'> = {},
): Promise<Database & { url: string }> {
  const admin = await openDatabase({ url: adminUrl, max: 1, connectTimeoutSeconds: 5 });
  const name = `gongxin_t_${randomBytes(6).toString('hex')}`;
  const drop = async () => {
    try {
      await admin.execute(sql.raw(`drop database if exists "${name}" with (force)`));
    } finally {
      await admin.close();
    }
  };

  let database: Database;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    await admin.execute(sql.raw(`create database "${name}"`));
    database = await openDatabase({ ...opts, url: url.toString(), max: opts.max ?? 4 });
  } catch (err) {
    await drop();
    throw err;
  }

  let closing: Promise<void> | undefined;
  const close = async () => {
    try {
      await database.close();
    } finally {
      await drop();
    }
  };
  // Database is a plain object of closures, so spreading keeps every method working.
  return {
    ...database,
    url: url.toString(),
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}

/** A PostgreSQL server of a test's own (initdb + pg_ctl), to stop, start and starve without touching others. */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  /** The folder holding the cluster (on a tmpfs of `diskMb` when asked for one). */
  disk: string;
  start(): void;
  /** `fast` ends sessions cleanly; `immediate` is a crash (recovery at the next start). */
  stop(mode?: 'fast' | 'immediate'): void;
  running(): boolean;
  /** Stops the server, unmounts its disk and removes every file. */
  close(): void;
}

/** PostgreSQL's server binaries (the newest installed version), or null where there are none. */
export function postgresServerBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => `${base}/${v}/bin`).find((bin) => existsSync(`${bin}/pg_ctl`)) ?? null;
}

/**
 * Why a private server cannot run here (it needs root, to run the server as user `postgres` and to
 * mount a tmpfs, and PostgreSQL's server binaries), or null when it can.
 */
export function privatePostgresUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'it needs root';
  if (!postgresServerBin()) return 'PostgreSQL server binaries are not installed';
  return null;
}

/** initdb and start a private server on a free port; with `diskMb`, its data lives on a tmpfs that size. */
export async function startPrivatePostgres(
  opts: { diskMb?: number; maxConnections?: number } = {},
): Promise<PrivatePostgres> {
  const why = privatePostgresUnavailable();
  if (why) throw new Error(`a private PostgreSQL server cannot run here: ${why}`);
  const bin = postgresServerBin()!;
  const root = mkdtempSync(path.join(tmpdir(), 'gongxin-pg-'));
  const disk = path.join(root, 'disk');
  const data = path.join(disk, 'data');
  mkdirSync(disk);
  let mounted = false;
  if (opts.diskMb) {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${opts.diskMb}m`, 'tmpfs', disk]);
    mounted = true;
  }
  execFileSync('chown', ['postgres:postgres', disk]);
  // The server (user postgres) writes its log and socket here.
  chmodSync(root, 0o1777);
  const asPostgres = (cmd: string, args: string[]) =>
    execFileSync('runuser', ['-u', 'postgres', '--', `${bin}/${cmd}`, ...args], { stdio: 'pipe' }).toString();
  const pgCtl = (...args: string[]) => asPostgres('pg_ctl', ['-D', data, '-w', '-t', '60', ...args]);
  asPostgres('initdb', ['-D', data, '--auth=trust', '-U', 'postgres', '--no-sync', '--no-instructions']);
  const port = await freePort();
  const running = () => {
    try {
      pgCtl('status');
      return true;
    } catch {
      return false;
    }
  };
  const start = () => {
    pgCtl(
      '-l',
      path.join(root, 'postgres.log'),
      '-o',
      `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c max_connections=${opts.maxConnections ?? 20}`,
      'start',
    );
  };
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    disk,
    start,
    stop: (mode = 'fast') => pgCtl('-m', mode, 'stop'),
    running,
    close: () => {
      try {
        if (running()) pgCtl('-m', 'immediate', 'stop');
      } catch {}
      if (mounted)
        try {
          execFileSync('umount', ['-l', disk]);
        } catch {}
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
