// The pending readings of a consumed stream on every database backend: each reading stored is pending
// until taken, oldest device time first (late ones too), only for consumed streams; a take answers each
// key once (also to two transactions at once) and a rollback leaves it pending; a database the ingest
// wrote before the pending set existed gets, on the consumer's first open, exactly what the app had not
// taken; and the lookup reads the pending readings, not everything the stream stored.
import type { Database } from '@gongxin/db';
import { testBackends } from '@gongxin/db/testing';
import type { IngestRecord } from '@gongxin/mqtt';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PendingReadings } from '../src/ingest/pending';
import { ingestMigrations, PgIngestStore } from '../src/ingest/store';
import { migrationsBefore, rowsRead } from '../src/testing';

const T0 = Date.UTC(2026, 11, 7, 8, 0, 0);
const enc = (s: string) => new TextEncoder().encode(s);

function record(device: string, seq: number, ts: number): IngestRecord<{ seq: number }> {
  return {
    key: `${device}/${seq}`,
    device,
    ts,
    interval: ts - (ts % 900_000),
    topic: `gates/0/${device}/event`,
    payload: enc(JSON.stringify({ device, seq, ts })),
    data: { seq },
    receivedAt: T0 + 60_000,
  };
}

const keysOf = (list: { key: string }[]) => list.map((r) => r.key);

/** `n` readings of `stream` stored in one statement, device times `from`, `from + 1`, … */
async function storeMany(database: Database, stream: string, n: number, from: number): Promise<void> {
  await database.execute(sql`
    insert into appkit_ingest.readings (stream, key, device, ts, interval_start, topic, payload, data, received_at)
    select ${stream}, 'old/' || lpad(i::text, 8, '0'), 'old', ${from}::bigint + i, ${from}::bigint, 'gates/0/old/event',
      '\\x00'::bytea, '{}'::jsonb, ${T0}::bigint
    from generate_series(1, ${n}) as i`);
}

describe.each(testBackends())('pending readings on $name', ({ open }) => {
  let database: Database;

  beforeAll(async () => {
    database = await open();
  });

  afterAll(async () => {
    await database?.close();
  });

  it('are the readings of a consumed stream as stored, oldest device time first, late ones included', async () => {
    const pending = await PendingReadings.open<{ seq: number }>(database, { stream: 'test.lanes' });
    const store = await PgIngestStore.open<{ seq: number }>(database, { stream: 'test.lanes' });
    const other = await PgIngestStore.open<{ seq: number }>(database, { stream: 'test.other' });
    await store.write([record('a', 1, T0 + 3_000), record('b', 1, T0 + 1_000)], []);
    await other.write([record('a', 1, T0 + 500)], []);
    // Late: its device time is older than every reading before it.
    await store.write([record('a', 2, T0 - 60_000), record('b', 2, T0 + 2_000)], []);

    const next = await pending.next(10);
    expect(keysOf(next)).toEqual(['a/2', 'b/1', 'b/2', 'a/1']);
    expect(next[0]).toMatchObject({
      device: 'a',
      ts: T0 - 60_000,
      data: { seq: 2 },
      receivedAt: T0 + 60_000,
    });
    expect(keysOf(await pending.next(2))).toEqual(['a/2', 'b/1']);
    // A stream nobody consumes keeps no pending rows.
    const [others] = await database.query<{ n: number | string }>(
      sql`select count(*) as n from appkit_ingest.pending where stream = 'test.other'`,
    );
    expect(Number(others?.n)).toBe(0);
  });

  it('are taken once: by one of two transactions at once, kept by a rollback, not pending again when redelivered', async () => {
    const pending = await PendingReadings.open<{ seq: number }>(database, { stream: 'test.take' });
    const store = await PgIngestStore.open<{ seq: number }>(database, { stream: 'test.take' });
    const records = [1, 2, 3, 4].map((seq) => record('g', seq, T0 + seq));
    await store.write(records, []);
    const keys = keysOf(records);

    const both = await Promise.all(
      [0, 1].map(() => database.transaction((tx) => pending.take(tx, keys.slice(0, 2)))),
    );
    expect(both.map((s) => s.size).sort()).toEqual([0, 2]);
    expect(await database.transaction((tx) => pending.take(tx, keys.slice(0, 3)))).toEqual(new Set(['g/3']));

    await expect(
      database.transaction(async (tx) => {
        expect(await pending.take(tx, ['g/4'])).toEqual(new Set(['g/4']));
        throw new Error('the record could not be written');
      }),
    ).rejects.toThrow('could not be written');
    expect(keysOf(await pending.next(10))).toEqual(['g/4']);

    // The broker redelivers every message: the readings are stored already, so nothing is pending again.
    const { inserted } = await store.write(records, []);
    expect(inserted.size).toBe(0);
    expect(keysOf(await pending.next(10))).toEqual(['g/4']);
    expect(await pending.count()).toBe(1);
  });

  it('on a database from before the pending set: the first open makes pending what the app had not taken', async () => {
    const fresh = await open();
    const before = migrationsBefore(ingestMigrations, '0002_pending');
    try {
      await fresh.migrate(before);
      // The app's own record of what it took, as an app keeps it.
      await fresh.execute(sql`create schema app`);
      await fresh.execute(sql`create table app.done (key text primary key)`);
      const stored = [1, 2, 3, 4, 5, 6].map((seq) => record('g', seq, T0 + seq * 1_000));
      stored.push(record('g', 7, T0 - 5_000));
      for (const r of stored) {
        await fresh.execute(sql`
          insert into appkit_ingest.readings (stream, key, device, ts, interval_start, topic, payload, data, received_at)
          values ('test.old', ${r.key}, ${r.device}, ${r.ts}, ${r.interval}, ${r.topic}, '\\x00'::bytea,
            ${JSON.stringify(r.data)}::jsonb, ${r.receivedAt})`);
      }
      await fresh.execute(sql`insert into app.done (key) values ('g/1'), ('g/3'), ('g/4')`);

      const taken = sql`select key from app.done`;
      const pending = await PendingReadings.open<{ seq: number }>(fresh, { stream: 'test.old', taken });
      expect(keysOf(await pending.next(10))).toEqual(['g/7', 'g/2', 'g/5', 'g/6']);

      // Taken since: opening again (another replica, a restart) does not make it pending again.
      await fresh.transaction((tx) => pending.take(tx, ['g/7']));
      const again = await PendingReadings.open<{ seq: number }>(fresh, { stream: 'test.old', taken });
      expect(keysOf(await again.next(10))).toEqual(['g/2', 'g/5', 'g/6']);

      // What the ingest stores from now on is pending as it is stored.
      const store = await PgIngestStore.open<{ seq: number }>(fresh, { stream: 'test.old' });
      await store.write([record('g', 8, T0)], []);
      expect(keysOf(await again.next(10))).toEqual(['g/8', 'g/2', 'g/5', 'g/6']);
    } finally {
      before.remove();
      await fresh.close();
    }
  });

  it('are found by reading the pending rows, not every reading the stream stored', async () => {
    const pending = await PendingReadings.open<{ seq: number }>(database, { stream: 'test.many' });
    // 20,000 readings the app took, then three pending ones (one late) whose keys sort after theirs.
    await storeMany(database, 'test.many', 20_000, T0);
    await database.execute(sql`delete from appkit_ingest.pending where stream = 'test.many'`);
    const store = await PgIngestStore.open<{ seq: number }>(database, { stream: 'test.many' });
    await store.write([record('p', 1, T0 + 50_000), record('p', 2, T0 - 1), record('p', 3, T0 + 10)], []);
    await database.execute(sql`analyze appkit_ingest.readings`);
    await database.execute(sql`analyze appkit_ingest.pending`);

    expect(keysOf(await pending.next(500))).toEqual(['p/2', 'p/3', 'p/1']);
    const read = await rowsRead(database, pending.lookup(500));
    expect(read.readings ?? 0).toBeLessThanOrEqual(10);
    expect(read.pending ?? 0).toBeLessThanOrEqual(10);

    // The measure itself: an anti-join against the app's record of what it took reads all of them.
    await database.execute(sql`create table if not exists public.many_done (key text primary key)`);
    await database.execute(
      sql`insert into public.many_done select key from appkit_ingest.readings where stream = 'test.many' and device = 'old'`,
    );
    await database.execute(sql`analyze public.many_done`);
    const antiJoin = await rowsRead(
      database,
      sql`select r.key from appkit_ingest.readings r left join public.many_done d on d.key = r.key
        where r.stream = 'test.many' and d.key is null order by r.ts, r.key limit 500`,
    );
    expect(antiJoin.readings).toBeGreaterThanOrEqual(20_000);
  });
});
