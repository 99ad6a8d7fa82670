// Rate limits across replicas: two limiters (two replicas' middleware) on one database count one client
// together, so the limit holds behind a round-robin load balancer instead of being multiplied. The store
// itself runs on every backend; the limiter picks it on PostgreSQL (set TEST_DATABASE_URL), where several
// processes share one database.
import type { Server } from 'node:http';
import type { Database } from '@gongxin/db';
import { testBackends } from '@gongxin/db/testing';
import { createLogger, createMetrics } from '@gongxin/telemetry';
import { sql } from 'drizzle-orm';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appkitMigrations } from '../src/db/migrations';
import { DatabaseRateLimitStore } from '../src/rate-limit-store';
import { rateLimiter } from '../src/security';

const logger = createLogger({ name: 'rate-limit-test', level: 'silent' });

async function serve(limiter: express.RequestHandler): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(limiter);
  app.get('/ping', (_req, res) => {
    res.json({ ok: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, server };
}

/** Sends `n` requests round-robin over the replicas; the statuses in order. */
async function roundRobin(urls: string[], n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await fetch(`${urls[i % urls.length]}/ping`)).status);
  return statuses;
}

describe.each(testBackends())('rate limits shared through $name', ({ name, open }) => {
  let database: Database;
  const servers: Server[] = [];

  beforeAll(async () => {
    database = await open();
    await database.migrate(appkitMigrations);
  });
  afterAll(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
    await database?.close();
  });

  const replica = async (limiter: express.RequestHandler) => {
    const s = await serve(limiter);
    servers.push(s.server);
    return s.url;
  };

  it('two replicas with the database store count one client once: 5 pass, then 429', async () => {
    const limiter = () =>
      rateLimit({
        windowMs: 60_000,
        limit: 5,
        identifier: 'shared-test',
        store: new DatabaseRateLimitStore({ database }),
      });
    const urls = [await replica(limiter()), await replica(limiter())];
    expect(await roundRobin(urls, 8)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const rows = await database.query<{ key: string; hits: number }>(
      sql`select key, hits from appkit.rate_limits where key like 'shared-test:%'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.hits).toBe(8);
  });

  it('a window that has passed starts again at one', async () => {
    const store = new DatabaseRateLimitStore({ database });
    store.init({ windowMs: 200, identifier: 'short' } as never);
    expect((await store.increment('1.2.3.4')).totalHits).toBe(1);
    expect((await store.increment('1.2.3.4')).totalHits).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    const again = await store.increment('1.2.3.4');
    expect(again.totalHits).toBe(1);
    expect(again.resetTime!.getTime()).toBeGreaterThan(Date.now());
    await store.decrement('1.2.3.4');
    expect((await store.get('1.2.3.4'))?.totalHits).toBe(0);
    await store.resetKey('1.2.3.4');
    expect(await store.get('1.2.3.4')).toBeUndefined();
  });

  it(`the app's limiter ${name === 'postgres' ? 'shares' : 'keeps'} its counters ${name === 'postgres' ? 'across replicas' : 'per process on PGlite'}`, async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const limiter = () =>
      rateLimiter({ name: `app-${name}`, limit: 3, windowMs: 60_000, metrics, logger, database });
    const urls = [await replica(limiter()), await replica(limiter())];
    const statuses = await roundRobin(urls, 8);
    if (name === 'postgres') {
      // One client, three requests in the window, whichever replica answers.
      expect(statuses).toEqual([200, 200, 200, 429, 429, 429, 429, 429]);
    } else {
      // PGlite is one process's database: each limiter counts alone.
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    }
  });
});
