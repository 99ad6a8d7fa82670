// Leader election: on PGlite the one process leads every job; on PostgreSQL (TEST_DATABASE_URL) two
// electors on their own connections never run a job at once, a standby takes over when the leader
// releases or loses its connection, and a job that fails to start at once fails its caller.
import { openDatabase } from '@gongxin/db';
import { openFreshPostgres, TEST_DATABASE_URL } from '@gongxin/db/testing';
import { createLogger, createMetrics } from '@gongxin/telemetry';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advisoryLockId,
  createLeadership,
  type LeaderJob,
  type Leadership,
  reportLeadership,
} from '../src/leader';

const logger = createLogger({ name: 'leader-test', level: 'silent' });
const adminUrl = process.env[TEST_DATABASE_URL];
if (!adminUrl) console.log(`leader.test.ts: PostgreSQL cases skipped; set ${TEST_DATABASE_URL} to run them`);

/** A job that records whether it runs, and how many instances of it run at once across electors. */
function tracker() {
  const state = { running: new Set<string>(), maxAtOnce: 0, starts: 0, stops: new Map<string, number>() };
  const job = (who: string): LeaderJob => ({
    async start() {
      state.starts++;
      state.running.add(who);
      state.maxAtOnce = Math.max(state.maxAtOnce, state.running.size);
    },
    async stop() {
      state.running.delete(who);
      state.stops.set(who, (state.stops.get(who) ?? 0) + 1);
    },
  });
  return { state, job };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('leader election on PGlite', () => {
  it('the one process leads every job at once, and stops them on release and close', async () => {
    const database = await openDatabase({ memory: true });
    try {
      const leadership = await createLeadership({ database, logger });
      expect(leadership.mode).toBe('single-process');
      const { state, job } = tracker();
      const a = await leadership.run('app:indexer', job('indexer'));
      await leadership.run('app:start', job('start'));
      expect(a.role).toBe('leader');
      expect(leadership.roles()).toEqual({ 'app:indexer': 'leader', 'app:start': 'leader' });
      await expect(leadership.run('app:start', job('again'))).rejects.toThrow(/already registered/);
      await a.release();
      expect([...state.running]).toEqual(['start']);
      await leadership.close();
      expect(state.running.size).toBe(0);
    } finally {
      await database.close();
    }
  });

  it('lock ids are stable 64-bit values that differ by key', () => {
    expect(advisoryLockId('wallet:indexer')).toBe(advisoryLockId('wallet:indexer'));
    expect(advisoryLockId('wallet:indexer')).not.toBe(advisoryLockId('wallet:start'));
    expect(advisoryLockId('food:outbox') < 2n ** 63n).toBe(true);
  });
});

describe.skipIf(!adminUrl)('leader election on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof openFreshPostgres>>;
  const electors: Leadership[] = [];
  const elector = async () => {
    const l = await createLeadership({ database, url: database.url, logger, retryMs: 200 });
    electors.push(l);
    return l;
  };

  beforeAll(async () => {
    database = await openFreshPostgres(adminUrl!);
  });
  afterAll(async () => {
    for (const l of electors) await l.close().catch(() => {});
    await database?.close();
  });

  it('one leads, the other stands by, and takes over on release', async () => {
    const { state, job } = tracker();
    const a = await elector();
    const b = await elector();
    expect(a.mode).toBe('advisory-lock');
    const ha = await a.run('app:indexer', job('a'));
    const hb = await b.run('app:indexer', job('b'));
    expect([ha.role, hb.role]).toEqual(['leader', 'standby']);
    expect([...state.running]).toEqual(['a']);
    const metrics = createMetrics({ defaultMetrics: false });
    reportLeadership(metrics.registry, b);
    expect(await metrics.registry.metrics()).toContain('gongxin_app_leader{job="app:indexer"} 0');
    await new Promise((r) => setTimeout(r, 600)); // a few retries: the standby must still stand by
    expect([...state.running]).toEqual(['a']);
    await ha.release();
    await until('b to lead', () => hb.role === 'leader');
    expect([...state.running]).toEqual(['b']);
    expect(state.maxAtOnce).toBe(1);
    expect(await metrics.registry.metrics()).toContain('gongxin_app_leader{job="app:indexer"} 1');
    // Other keys are independent: a leads a job b does not compete for.
    const other = await a.run('app:start', job('a-start'));
    expect(other.role).toBe('leader');
    await hb.release();
    await other.release();
  });

  it('a leader whose connection is killed steps down, and one leads again', async () => {
    const { state, job } = tracker();
    const a = await elector();
    const b = await elector();
    const ha = await a.run('app:outbox', job('a'));
    const hb = await b.run('app:outbox', job('b'));
    expect([ha.role, hb.role]).toEqual(['leader', 'standby']);
    const id = BigInt.asUintN(64, advisoryLockId('app:outbox'));
    const [hi, lo] = [(id >> 32n).toString(), (id & 0xffffffffn).toString()];
    // As when its process dies: PostgreSQL ends the session holding the lock.
    const killed = await database.query<{
      ok: boolean;
    }>(sql`select pg_terminate_backend(pid) as ok from pg_locks
      where locktype = 'advisory' and granted and objsubid = 1 and classid = ${hi}::oid and objid = ${lo}::oid`);
    expect(killed).toEqual([{ ok: true }]);
    // a notices on its next check and stops its job; then exactly one of them leads again (whichever locks
    // first: a reconnects at once). Jobs must bear the moment in between (see docs/deploy.md).
    await until('a to stop its job', () => (state.stops.get('a') ?? 0) >= 1);
    await until('one leader again', () => [ha.role, hb.role].filter((r) => r === 'leader').length === 1);
    await new Promise((r) => setTimeout(r, 600));
    expect([ha.role, hb.role].filter((r) => r === 'leader')).toHaveLength(1);
    expect(state.running.size).toBe(1);
    await hb.release();
    await ha.release();
  });

  it('a job that fails to start fails its caller and leaves the lock free', async () => {
    const a = await elector();
    const b = await elector();
    await expect(
      a.run('app:broken', {
        start: async () => {
          throw new Error('cannot start');
        },
        stop: async () => {},
      }),
    ).rejects.toThrow('cannot start');
    const { job } = tracker();
    const hb = await b.run('app:broken', job('b'));
    expect(hb.role).toBe('leader');
    await hb.release();
  });
});
