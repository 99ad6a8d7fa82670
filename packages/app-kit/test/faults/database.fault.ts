// PostgreSQL stopped and started again under two running app replicas (leader and standby), while the
// chain keeps committing. The app runs on a private PostgreSQL server of its own (initdb + pg_ctl), the
// chain on its own database, so only the app loses its database. While it is down every replica stays up
// and answers reads, tRPC and health with a 503 that says to try again (never a 500, never a crash); when
// it is back, leadership is taken again, the indexer resumes from its cursor, and the read model equals a
// rebuild from genesis with every height applied once. Needs root and PostgreSQL's server binaries;
// without them the suite is skipped, saying so.
import { accountFromPrivateKey, createChainClient, createWallet } from '@gongxin/client';
import { type Database, openDatabase } from '@gongxin/db';
import { type PrivatePostgres, privatePostgresUnavailable, startPrivatePostgres } from '@gongxin/db/testing';
import { startTestChain, type TestChain } from '@gongxin/node/api/testing';
import { createLogger } from '@gongxin/telemetry';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appkitMigrations } from '../../src/db/migrations';
import { nodeFeed } from '../../src/indexer/feed';
import { createIndexer } from '../../src/indexer/indexer';
import { createReplicaReadModel, notes, replicaIndexer } from '../fixture/replica-app';
import { type Replica, startReplica, until } from '../fixture/replica-process';

const unavailable = privatePostgresUnavailable();
if (unavailable) console.log(`app database faults skipped: ${unavailable}`);
const logger = createLogger({ name: 'app-db-fault', level: 'silent' });

interface Health {
  status: string;
  checks: Record<string, { ok: boolean; error?: string; detail?: unknown }>;
}
interface ErrorBody {
  error: { code: string; message: string };
}
interface TrpcError {
  error: { message: string; data: { code: string; httpStatus: number; stack?: string } };
}

describe.skipIf(unavailable !== null)('PostgreSQL stopped under running app replicas', () => {
  let server: PrivatePostgres;
  let chain: TestChain;
  let database: Database;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    server = await startPrivatePostgres();
    chain = await startTestChain({ contracts: [notes], blockLimits: { commitDelayMs: 20 } });
    database = await openDatabase({ url: server.url, max: 2, connectTimeoutSeconds: 3, logger });
    await database.migrate(appkitMigrations);
    await createReplicaReadModel(database);
  }, 120_000);

  afterAll(async () => {
    for (const r of replicas)
      if (r.proc.exitCode === null && r.proc.signalCode === null) r.proc.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.exited));
    await database?.close().catch(() => {});
    await chain?.close();
    server?.close();
  });

  const marked = async () =>
    (await database.query<{ n: number }>(sql`select count(*)::int as n from replicas_rm.blocks`))[0]!.n;

  it('every replica answers 503 while it is down, and the indexer resumes exactly once when it is back', async () => {
    for (let i = 0; i < 2; i++)
      replicas.push(await startReplica({ databaseUrl: server.url, chainUrl: chain.url }));
    const client = createChainClient({ url: chain.url });
    const wallet = createWallet(client, accountFromPrivateKey(chain.suite, chain.account(1).privateKey));
    let sending = true;
    let sent = 0;
    const sender = (async () => {
      while (sending) {
        sent++;
        await wallet.send([
          { contract: 'notes', name: 'record', params: { key: `k${sent % 5}`, amount: String(sent) } },
        ]);
      }
    })();
    await until('some blocks indexed', async () => (await marked()) >= 5);

    server.stop('fast');
    const heightAtStop = (await client.info()).head.height;
    for (const r of replicas) {
      // Health names the database as the failing check.
      await until(
        'health to report the database',
        async () => {
          const h = await r.get<Health>('/healthz');
          return h.status === 503 && h.body.checks.database?.ok === false;
        },
        30_000,
      );
      const rest = await r.get<ErrorBody>('/api/notes');
      expect(rest.status).toBe(503);
      expect(rest.body.error.code).toBe('database_unavailable');
      const trpc = await r.get<TrpcError>('/api/trpc/notes');
      expect(trpc.status).toBe(503);
      expect(trpc.body.error.data.code).toBe('SERVICE_UNAVAILABLE');
      expect(JSON.stringify(trpc.body)).not.toMatch(/\/work\/|node_modules|\bat [\w.]+ \(/);
    }
    // The chain goes on without the app's database.
    await until(
      'the chain to go on',
      async () => (await client.info()).head.height >= heightAtStop + 5,
      30_000,
    );
    for (const r of replicas) expect(r.proc.exitCode).toBeNull();
    console.log(
      `database stopped at chain height ${heightAtStop}; the chain went on, both replicas answered 503`,
    );

    server.start();
    await until(
      'a replica to lead the indexer again',
      async () => {
        const roles = await Promise.all(
          replicas.map(async (r) => {
            const h = await r.get<{ checks: { leader: { detail: { jobs: Record<string, string> } } } }>(
              '/healthz',
            );
            return h.status === 200 ? h.body.checks.leader.detail.jobs['replicas:indexer'] : 'down';
          }),
        );
        return roles.filter((x) => x === 'leader').length === 1 && !roles.includes('down');
      },
      60_000,
    );
    sending = false;
    await sender;
    const head = (await client.info()).head.height;
    await until('the indexer to reach the head', async () => (await marked()) >= head, 60_000);
    expect((await replicas[0]!.get<{ notes: number }>('/api/notes')).status).toBe(200);

    // Every height once, none missing, and the read model equals a rebuild from genesis.
    const [span] = await database.query<{ n: number; lo: number; hi: number }>(
      sql`select count(*)::int as n, min(height)::int as lo, max(height)::int as hi from replicas_rm.blocks`,
    );
    expect(span!.lo).toBe(1);
    expect(span!.n).toBe(span!.hi);
    const feed = nodeFeed(chain.node);
    const fresh = await openDatabase({ memory: true });
    try {
      await fresh.migrate(appkitMigrations);
      await createReplicaReadModel(fresh);
      const rebuilt = createIndexer({ ...replicaIndexer, feed, database: fresh, logger });
      await rebuilt.start();
      await rebuilt.waitFor(head, 60_000);
      await rebuilt.stop();
      const notesOf = (db: Database) =>
        db.query(sql`select height::int, idx, key, amount::text from replicas_rm.notes
          where height <= ${head} order by height, idx`);
      const stored = await notesOf(database);
      expect(stored.length).toBe(sent);
      expect(stored).toEqual(await notesOf(fresh));
    } finally {
      feed.close();
      await fresh.close();
    }
    console.log(`back: ${sent} txs, ${head} blocks, every one indexed once and equal to a rebuild`);
  }, 240_000);
});
