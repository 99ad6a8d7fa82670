// Two replicas of one app on one PostgreSQL database and one chain: one leads the indexer (advisory lock),
// the other stands by and serves reads. The leader is killed with SIGKILL while txs are being committed;
// the standby must take over from the stored cursor, and at the end the read model must equal a fresh
// indexer's run from genesis, with every height applied exactly once (the per-height marker is keyed by
// height, so a second application would stop the indexer on the key).
// Needs PostgreSQL (advisory locks across processes): runs when TEST_DATABASE_URL is set.
import { accountFromPrivateKey, createChainClient, createWallet } from '@gongxin/client';
import { type Database, openDatabase } from '@gongxin/db';
import { openFreshPostgres, TEST_DATABASE_URL } from '@gongxin/db/testing';
import { startTestChain, type TestChain } from '@gongxin/node/api/testing';
import { createLogger } from '@gongxin/telemetry';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appkitMigrations } from '../src/db/migrations';
import { nodeFeed } from '../src/indexer/feed';
import { createIndexer } from '../src/indexer/indexer';
import { createReplicaReadModel, notes, replicaIndexer } from './fixture/replica-app';
import { type Replica, startReplica, until } from './fixture/replica-process';

const adminUrl = process.env[TEST_DATABASE_URL];
if (!adminUrl) {
  console.log(
    `replicas.test.ts skipped: leader election across processes needs PostgreSQL; set ${TEST_DATABASE_URL}`,
  );
}
const logger = createLogger({ name: 'replicas-test', level: 'silent' });

interface Health {
  status: string;
  checks: {
    leader: { ok: boolean; detail: { mode: string; jobs: Record<string, string> } };
    indexer: { ok: boolean; detail?: { role: string; height: number }; error?: string };
  };
}

describe.skipIf(!adminUrl)('app replicas on one PostgreSQL', () => {
  let chain: TestChain;
  let database: Awaited<ReturnType<typeof openFreshPostgres>>;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    chain = await startTestChain({ contracts: [notes], blockLimits: { commitDelayMs: 20 } });
    database = await openFreshPostgres(adminUrl!);
    // Tables first, so the replicas do not race to create them.
    await database.migrate(appkitMigrations);
    await createReplicaReadModel(database);
  });

  afterAll(async () => {
    for (const r of replicas)
      if (r.proc.exitCode === null && r.proc.signalCode === null) r.proc.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.exited));
    await database?.close();
    await chain?.close();
  });

  const start = async () => {
    const replica = await startReplica({ databaseUrl: database.url, chainUrl: chain.url });
    replicas.push(replica);
    return replica;
  };
  const roleOf = async (r: Replica) =>
    (await r.get<Health>('/healthz')).body.checks.leader.detail.jobs['replicas:indexer'];

  const marked = async () =>
    (await database.query<{ n: number }>(sql`select count(*)::int as n from replicas_rm.blocks`))[0]!.n;

  it('the standby takes over when the leader is killed, and the read model equals a rebuild', async () => {
    const client = createChainClient({ url: chain.url });
    const wallet = createWallet(client, accountFromPrivateKey(chain.suite, chain.account(1).privateKey));
    const a = await start();
    const b = await start();
    const roles = [await roleOf(a), await roleOf(b)];
    expect(roles.sort()).toEqual(['leader', 'standby']);
    const leader = (await roleOf(a)) === 'leader' ? a : b;
    const standby = leader === a ? b : a;

    // A standby is healthy (not an error) and serves reads.
    const standbyHealth = await standby.get<Health>('/healthz');
    expect(standbyHealth.status).toBe(200);
    expect(standbyHealth.body.checks.indexer.detail?.role).toBe('standby');
    expect((await standby.get<{ notes: number }>('/api/notes')).status).toBe(200);

    // Txs committed continuously, across the kill.
    let sending = true;
    let sent = 0;
    const sender = (async () => {
      while (sending) {
        sent++;
        await wallet.send([
          { contract: 'notes', name: 'record', params: { key: `k${sent % 7}`, amount: String(sent) } },
        ]);
      }
    })();

    await until('the leader to index some blocks', async () => (await marked()) >= 10);
    leader.proc.kill('SIGKILL');
    await leader.exited;
    const markedAtKill = await marked();
    // Until then the standby indexed nothing: only the leader's pid is on the markers.
    const before = await database.query<{ pid: number }>(sql`select distinct pid from replicas_rm.blocks`);
    expect(before.map((r) => r.pid)).toEqual([leader.pid]);
    console.log(`leader (pid ${leader.pid}) killed with ${markedAtKill} blocks indexed, ${sent} txs sent`);

    await until('the standby to lead', async () => (await roleOf(standby)) === 'leader', 30_000);
    await until('more txs after the takeover', async () => (await marked()) >= markedAtKill + 10);
    sending = false;
    await sender;
    const feed = nodeFeed(chain.node);
    const head = await feed.head();
    await until('the new leader to reach the head', async () => (await marked()) >= head);

    const perProcess = await database.query<{ pid: number; n: number }>(
      sql`select pid, count(*)::int as n from replicas_rm.blocks group by pid order by pid`,
    );
    console.log(`blocks indexed per process: ${JSON.stringify(perProcess)}, head ${head}, txs ${sent}`);
    expect(perProcess.map((p) => p.pid).sort()).toEqual([leader.pid, standby.pid].sort());
    // Every height once, none missing: the key refuses a second application, the count a gap.
    const [span] = await database.query<{ n: number; lo: number; hi: number }>(
      sql`select count(*)::int as n, min(height)::int as lo, max(height)::int as hi from replicas_rm.blocks`,
    );
    expect(span).toEqual({ n: head, lo: 1, hi: head });
    const health = await standby.get<Health>('/healthz');
    expect(health.body.checks.indexer.detail?.role).toBe('leader');
    expect(health.body.checks.indexer.ok).toBe(true);

    // A rebuild from genesis: the same indexer in a fresh database, in this process.
    const fresh = await openDatabase({ memory: true });
    try {
      await fresh.migrate(appkitMigrations);
      await createReplicaReadModel(fresh);
      const rebuilt = createIndexer({ ...replicaIndexer, feed, database: fresh, logger });
      await rebuilt.start();
      await rebuilt.waitFor(head, 60_000);
      await rebuilt.stop();
      const notesOf = (db: typeof fresh) =>
        db.query(sql`select height::int, idx, key, amount::text from replicas_rm.notes
          where height <= ${head} order by height, idx`);
      const blocksOf = (db: typeof fresh) =>
        db.query(
          sql`select height::int, hash from replicas_rm.blocks where height <= ${head} order by height`,
        );
      const replicated = await notesOf(database);
      expect(replicated.length).toBe(sent);
      expect(replicated).toEqual(await notesOf(fresh));
      expect(await blocksOf(database)).toEqual(await blocksOf(fresh));
    } finally {
      feed.close();
      await fresh.close();
    }
  }, 240_000);
  it('two replicas upgrading the handlers at once rebuild the read models once', async () => {
    const client = createChainClient({ url: chain.url });
    const wallet = createWallet(client, accountFromPrivateKey(chain.suite, chain.account(2).privateKey));
    await wallet.send([{ contract: 'notes', name: 'record', params: { key: 'upgrade', amount: '1' } }]);
    const upgraded = await openFreshPostgres(adminUrl!);
    const other = await openDatabase({ url: upgraded.url, max: 2 });
    const watcher = await openDatabase({ url: upgraded.url, max: 1 });
    const feed = nodeFeed(chain.node);
    try {
      await upgraded.migrate(appkitMigrations);
      await createReplicaReadModel(upgraded);
      const head = await feed.head();
      const v1 = createIndexer({ ...replicaIndexer, name: 'upgrade', feed, database: upgraded, logger });
      await v1.start();
      await v1.waitFor(head, 60_000);
      await v1.stop();

      // Version 2 on two replicas. The first holds the cursor's row lock inside its reset until the second
      // is waiting for that lock, having read version 1 before the first committed: the second must find
      // the rebuild done under the lock rather than empty the read models a second time.
      let resets = 0;
      let entered!: () => void;
      const inReset = new Promise<void>((resolve) => {
        entered = resolve;
      });
      const waitingForLock = async () => {
        for (let i = 0; i < 200; i++) {
          const [row] = await watcher.query<{ n: number }>(
            sql`select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
              where not l.granted and a.datname = current_database()`,
          );
          if (row!.n > 0) return;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error('the second replica never waited for the cursor row lock');
      };
      const v2 = (database: Database) =>
        createIndexer({
          ...replicaIndexer,
          name: 'upgrade',
          version: 2,
          feed,
          database,
          logger,
          reset: async (tx) => {
            resets++;
            if (resets === 1) {
              entered();
              await waitingForLock();
            }
            await replicaIndexer.reset!(tx);
          },
        });
      const first = v2(upgraded);
      const second = v2(other);
      const starting = first.start();
      await inReset;
      await Promise.all([starting, second.start()]);
      expect(resets).toBe(1);
      const [cursor] = await upgraded.query<{ version: number }>(
        sql`select version from appkit.indexer_cursors where name = 'upgrade'`,
      );
      expect(cursor!.version).toBe(2);
      await first.waitFor(head, 60_000);
      await first.stop();
      await second.stop();
    } finally {
      feed.close();
      await other.close();
      await watcher.close();
      await upgraded.close();
    }
  }, 120_000);
});
