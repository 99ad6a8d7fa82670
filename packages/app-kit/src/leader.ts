// Leader election for work that must run in one process only when several app replicas share one
// PostgreSQL database: indexers, the outbox's retry loop, the ingest interval closer, an app's `start`.
// Each job has a key (`<app>:<job>`); the process holding the session-level advisory lock on it leads,
// the others stand by and retry every few seconds. The locks live on one dedicated connection, so a
// leader killed with SIGKILL loses them the moment PostgreSQL sees its connection close, and a standby
// takes over within one retry. Must never let two processes run a job at once: a lost or replaced
// connection (its backend pid changes) means every lock is gone, so every job steps down first and is
// taken again only through a fresh lock. On PGlite there is one process, which always leads.
import { createHash } from 'node:crypto';
import { type Database, openDatabase } from '@gongxin/db';
import type { Logger, Metrics } from '@gongxin/telemetry';
import { sql } from 'drizzle-orm';

export type LeaderRole = 'leader' | 'standby';

/** Work that runs while this process leads its key: started on winning the lock, stopped on losing it. */
export interface LeaderJob {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface LeaderHandle {
  readonly key: string;
  readonly role: LeaderRole;
  /** Stops the job if it runs here, releases the lock and stops competing for it. */
  release(): Promise<void>;
}

export interface Leadership {
  /** `single-process` (PGlite: always leader) or `advisory-lock` (PostgreSQL). */
  readonly mode: 'single-process' | 'advisory-lock';
  /**
   * Competes for `key` and runs `job` whenever this process holds it. Resolves after the first attempt:
   * started as leader, or standing by. A job whose `start` throws on that first attempt rejects here
   * (a host should fail at start-up, not serve half an app); later failures are logged and retried.
   */
  run(key: string, job: LeaderJob): Promise<LeaderHandle>;
  /** The role of every key this process competes for. */
  roles(): Record<string, LeaderRole>;
  /** Steps down from every job, releases the locks and closes the connection. */
  close(): Promise<void>;
}

export interface LeadershipOptions {
  /** The database the jobs work on: PGlite means one process; PostgreSQL needs `url`. */
  database: Database;
  /** The PostgreSQL URL; a dedicated connection to it holds the locks. */
  url?: string;
  logger: Logger;
  /** How often a standby retries and a leader checks it still holds its connection. Default 3 s. */
  retryMs?: number;
}

/** The 64-bit advisory lock id of a key: stable across processes and releases. */
export function advisoryLockId(key: string): bigint {
  return createHash('sha256').update(`gongxin-leader:${key}`).digest().readBigInt64BE(0);
}

export async function createLeadership(opts: LeadershipOptions): Promise<Leadership> {
  if (opts.database.kind === 'pglite') return singleProcessLeadership(opts.logger);
  if (!opts.url) {
    throw new Error(
      'leader election on PostgreSQL needs the database URL (for a dedicated connection holding the locks)',
    );
  }
  // The driver retires a connection after 30–60 min by default; retiring this one would drop every lock
  // and hand the jobs around for nothing, so it lives as long as the server keeps it.
  const url = new URL(opts.url);
  if (!url.searchParams.has('max_lifetime')) url.searchParams.set('max_lifetime', '0');
  const connection = await openDatabase({ url: url.toString(), max: 1, connectTimeoutSeconds: 5 });
  return advisoryLocks(connection, opts.logger.child({ leadership: 'advisory-lock' }), opts.retryMs ?? 3000);
}

/** One process, always the leader of every job (PGlite, or a deployment that runs one replica). */
export function singleProcessLeadership(logger: Logger): Leadership {
  const jobs = new Map<string, LeaderJob>();
  return {
    mode: 'single-process',
    async run(key, job) {
      if (jobs.has(key)) throw new Error(`leader job ${key} is already registered`);
      await job.start();
      jobs.set(key, job);
      return {
        key,
        role: 'leader',
        async release() {
          if (jobs.get(key) !== job) return;
          jobs.delete(key);
          await job.stop();
        },
      };
    },
    roles: () => Object.fromEntries([...jobs.keys()].map((key) => [key, 'leader' as const])),
    async close() {
      for (const [key, job] of [...jobs].reverse()) {
        jobs.delete(key);
        await job.stop().catch((err) => logger.error({ err, job: key }, 'leader job failed to stop'));
      }
    },
  };
}

interface Entry {
  key: string;
  id: bigint;
  job: LeaderJob;
  leading: boolean;
}

function advisoryLocks(connection: Database, logger: Logger, retryMs: number): Leadership {
  const entries = new Map<string, Entry>();
  let backendPid: number | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  // Every lock operation and job start/stop runs in this chain: one at a time, in order.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => {});
    return run;
  };

  async function stepDown(entry: Entry, unlock: boolean): Promise<void> {
    if (!entry.leading) return;
    entry.leading = false;
    await entry.job.stop().catch((err) => logger.error({ err, job: entry.key }, 'leader job failed to stop'));
    if (unlock) {
      await connection
        .execute(sql`select pg_advisory_unlock(${entry.id.toString()}::bigint)`)
        .catch((err) => logger.warn({ err, job: entry.key }, 'advisory unlock failed'));
    }
    logger.info({ job: entry.key }, 'stepped down');
  }

  /** Tries the lock; true when held now. Steps every job down when the connection was replaced. */
  async function tryLock(entry: Entry): Promise<boolean> {
    const [row] = await connection.query<{ pid: number; ok: boolean }>(
      sql`select pg_backend_pid() as pid, pg_try_advisory_lock(${entry.id.toString()}::bigint) as ok`,
    );
    if (!row) return false;
    await noticePid(row.pid);
    return row.ok === true;
  }

  async function noticePid(pid: number): Promise<void> {
    if (backendPid !== undefined && backendPid !== pid) {
      // A new connection holds none of the old one's locks: another process may lead already.
      logger.warn({ was: backendPid, now: pid }, 'lock connection was replaced; stepping down everywhere');
      for (const entry of entries.values()) await stepDown(entry, false);
    }
    backendPid = pid;
  }

  async function attempt(entry: Entry, firstAttempt: boolean): Promise<void> {
    if (entry.leading || closed) return;
    if (!(await tryLock(entry))) return;
    try {
      await entry.job.start();
    } catch (err) {
      await connection
        .execute(sql`select pg_advisory_unlock(${entry.id.toString()}::bigint)`)
        .catch(() => {});
      if (firstAttempt) throw err;
      logger.error({ err, job: entry.key }, 'leader job failed to start; retrying');
      return;
    }
    entry.leading = true;
    logger.info({ job: entry.key }, 'leading');
  }

  async function tick(): Promise<void> {
    try {
      // A leader's check: the connection (and so every lock) is still the one it took them on.
      const [row] = await connection.query<{ pid: number }>(sql`select pg_backend_pid() as pid`);
      if (row) await noticePid(row.pid);
      for (const entry of [...entries.values()]) await attempt(entry, false);
    } catch (err) {
      // Without the connection the locks may be gone already: nothing may run on a lock not held.
      logger.warn({ err }, 'lock connection failed; stepping down everywhere');
      backendPid = undefined;
      for (const entry of entries.values()) await stepDown(entry, false);
    }
  }

  function schedule(): void {
    if (closed) return;
    timer = setTimeout(() => {
      timer = null;
      void serial(tick).finally(schedule);
    }, retryMs);
    timer.unref?.();
  }
  schedule();

  return {
    mode: 'advisory-lock',
    run(key, job) {
      return serial(async () => {
        if (closed) throw new Error('leadership is closed');
        if (entries.has(key)) throw new Error(`leader job ${key} is already registered`);
        const entry: Entry = { key, id: advisoryLockId(key), job, leading: false };
        entries.set(key, entry);
        try {
          await attempt(entry, true);
        } catch (err) {
          entries.delete(key);
          throw err;
        }
        if (!entry.leading) logger.info({ job: key }, 'standing by: another process leads');
        return {
          key,
          get role(): LeaderRole {
            return entry.leading ? 'leader' : 'standby';
          },
          release: () =>
            serial(async () => {
              if (entries.get(key) !== entry) return;
              entries.delete(key);
              await stepDown(entry, true);
            }),
        };
      });
    },
    roles: () =>
      Object.fromEntries([...entries.values()].map((e) => [e.key, e.leading ? 'leader' : 'standby'])),
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      return serial(async () => {
        for (const entry of [...entries.values()].reverse()) await stepDown(entry, true);
        entries.clear();
        await connection.close();
      });
    },
  };
}

type Registry = Metrics['registry'];
const LEADER_METRIC = 'gongxin_app_leader';
const reported = new WeakMap<Registry, Set<Leadership>>();

/**
 * `gongxin_app_leader{job="<app>:<job>"}`: 1 where this process leads the job, 0 where it stands by. A
 * collector read at scrape time, over every leadership reported to the registry.
 */
export function reportLeadership(registry: Registry, leadership: Leadership): () => void {
  let set = reported.get(registry);
  if (!set) {
    const leaderships = new Set<Leadership>();
    set = leaderships;
    reported.set(registry, leaderships);
    const help = 'Background jobs of the apps: 1 where this process leads the job, 0 where it stands by';
    const collect = async () => ({
      name: LEADER_METRIC,
      help,
      type: 'gauge',
      aggregator: 'sum',
      values: [...leaderships].flatMap((l) =>
        Object.entries(l.roles()).map(([job, role]) => ({
          labels: { job },
          value: role === 'leader' ? 1 : 0,
        })),
      ),
    });
    registry.registerMetric({
      name: LEADER_METRIC,
      help,
      type: 'gauge',
      aggregator: 'sum',
      get: collect,
      reset: () => {},
    } as unknown as Parameters<Registry['registerMetric']>[0]);
  }
  set.add(leadership);
  const leaderships = set;
  return () => leaderships.delete(leadership);
}
