// How long finding the gate events not yet handed to the chain takes with a year's worth of processed
// events stored, before and after the pending set, on PostgreSQL:
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:pending -w @gongxin/parking-server
// A fresh database made as the version before the pending set left it (ingest migrations up to 0001,
// parking's), holding BENCH_PROCESSED (default 1,000,000) processed gate events of realistic size and
// BENCH_PENDING (default 20) not processed, some older than all the rest. Then, BENCH_RUNS times each
// (default 7, median printed): the anti-join the processor ran before, a batch of 500; the opening of the
// pending set on that database (once: the upgrade's one-time cost); the lookup the processor runs now.
// Also the rows each lookup's scans read, per table (EXPLAIN ANALYZE).
import { ingestMigrations } from '@gongxin/app-kit';
import { migrationsBefore, rowsRead } from '@gongxin/app-kit/testing';
import { openFreshPostgres, TEST_DATABASE_URL } from '@gongxin/db/testing';
import { sql } from 'drizzle-orm';
import { parkingMigrations } from '../src/app';
import { GATE_STREAM, openGateEvents } from '../src/runtime';

const url = process.env[TEST_DATABASE_URL];
if (!url) {
  console.error(`${TEST_DATABASE_URL} is not set: the bench measures PostgreSQL`);
  process.exit(2);
}
const PROCESSED = Number(process.env.BENCH_PROCESSED ?? 1_000_000);
const PENDING = Number(process.env.BENCH_PENDING ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const CHUNK = 100_000;
const T0 = Date.UTC(2025, 11, 1);
const YEAR = 365 * 86_400_000;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const database = await openFreshPostgres(url, { max: 2 });
const before = migrationsBefore(ingestMigrations, '0002_pending');
try {
  await database.migrate(before);
  await database.migrate(parkingMigrations);

  // Rows the size the ingest stores for a gate event: a signed envelope of ~420 bytes as the payload, the
  // envelope, body and hash again as data. Spread over a year of device time, 500 gates.
  const event = (i: SqlExpr, ts: SqlExpr) => sql`
    ${GATE_STREAM}, 'lot' || (${i} % 50) || '.g' || (${i} % 500) || '/1:' || ${i}, 'lot' || (${i} % 50) || '.g' || (${i} % 500),
    ${ts}, ${ts} - ${ts} % 900000, 'parking/v1/' || (${i} % 64) || '/lot' || (${i} % 50) || '.g' || (${i} % 500) || '/event',
    convert_to(repeat(md5(${i}::text), 13), 'UTF8'),
    jsonb_build_object('hash', md5(${i}::text) || md5(${i}::text), 'envelope', jsonb_build_object('sig', repeat(md5(${i}::text), 4),
      'body', repeat('x', 260)), 'body', jsonb_build_object('v', 1, 'lot', 'lot' || (${i} % 50), 'gate', 'g' || (${i} % 500),
      'kind', 'entry', 'plate', '沪A' || (${i} % 100000), 'time', ${ts}, 'epoch', 1, 'counter', ${i},
      'decision', jsonb_build_object('open', true, 'reason', 'ok'))),
    ${ts} + 900`;
  type SqlExpr = ReturnType<typeof sql.raw>;
  const i = sql.raw('i');
  const ts = sql.raw(`(${T0}::bigint + (i::bigint * ${Math.floor(YEAR / Math.max(PROCESSED, 1))}))`);
  let stored = 0;
  const fill = performance.now();
  for (let from = 1; from <= PROCESSED; from += CHUNK) {
    const to = Math.min(PROCESSED, from + CHUNK - 1);
    await database.transaction(async (tx) => {
      await tx.execute(sql`
        insert into appkit_ingest.readings (stream, key, device, ts, interval_start, topic, payload, data, received_at)
        select ${event(i, ts)} from generate_series(${from}::bigint, ${to}::bigint) as i`);
      await tx.execute(sql`
        insert into parking.processed (key, event_hash, kind, processed_at)
        select 'lot' || (i % 50) || '.g' || (i % 500) || '/1:' || i, md5(i::text), 'entry', ${T0 + YEAR}::bigint
        from generate_series(${from}::bigint, ${to}::bigint) as i`);
    });
    stored = to;
    process.stdout.write(`\rstored ${stored.toLocaleString('en')} processed events`);
  }
  // The pending ones: every fourth older than everything handed over (late), the rest the newest.
  const pendingTs = sql.raw(
    `(case when i % 4 = 0 then ${T0 - 86_400_000}::bigint - i else ${T0 + YEAR}::bigint + i end)`,
  );
  const p = sql.raw(`(${PROCESSED}::bigint + i)`);
  await database.execute(sql`
    insert into appkit_ingest.readings (stream, key, device, ts, interval_start, topic, payload, data, received_at)
    select ${event(p, pendingTs)} from generate_series(1::bigint, ${PENDING}::bigint) as i`);
  console.log(`\nstored in ${((performance.now() - fill) / 1000).toFixed(1)} s; vacuum analyze…`);
  await database.execute(sql`vacuum analyze appkit_ingest.readings`);
  await database.execute(sql`vacuum analyze parking.processed`);
  const [size] = await database.query<{ size: string }>(
    sql`select pg_size_pretty(pg_total_relation_size('appkit_ingest.readings')) as size`,
  );
  console.log(`appkit_ingest.readings: ${size?.size}`);

  const antiJoin = sql`
    select r.key, r.data, r.received_at as "receivedAt" from appkit_ingest.readings r
    left join parking.processed p on p.key = r.key
    where r.stream = ${GATE_STREAM} and p.key is null
    order by r.ts, r.key limit 500`;
  const beforeMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let found = 0;
    beforeMs.push(
      await timed(async () => {
        found = (await database.query(antiJoin)).length;
      }),
    );
    if (found !== PENDING) throw new Error(`the anti-join found ${found} events, expected ${PENDING}`);
  }

  let opened = 0;
  const openMs = await timed(async () => {
    opened = await (await openGateEvents(database)).count();
  });
  if (opened !== PENDING) throw new Error(`the pending set holds ${opened} events, expected ${PENDING}`);
  await database.execute(sql`analyze appkit_ingest.pending`);
  const pending = await openGateEvents(database);
  const afterMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let found = 0;
    afterMs.push(
      await timed(async () => {
        found = (await pending.next(500)).length;
      }),
    );
    if (found !== PENDING) throw new Error(`the lookup found ${found} events, expected ${PENDING}`);
  }

  const readBefore = await rowsRead(database, antiJoin);
  const readAfter = await rowsRead(database, pending.lookup(500));
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' / ');
  const fmtRead = (read: Record<string, number>) =>
    Object.entries(read)
      .map(([table, n]) => `${table} ${n.toLocaleString('en')}`)
      .join(', ');
  console.log(`rows read (EXPLAIN ANALYZE), anti-join (before): ${fmtRead(readBefore)}`);
  console.log(`rows read (EXPLAIN ANALYZE), pending set (after): ${fmtRead(readAfter)}`);
  console.log(`runs, anti-join (before): ${fmt(beforeMs)} ms`);
  console.log(`runs, pending set (after): ${fmt(afterMs)} ms`);
  console.log(
    `result: parking pending lookup, ${PROCESSED.toLocaleString('en')} processed + ${PENDING} pending stored, before (anti-join) = ${median(beforeMs).toFixed(1)} ms (median of ${RUNS})`,
  );
  console.log(
    `result: parking pending lookup, ${PROCESSED.toLocaleString('en')} processed + ${PENDING} pending stored, after (pending set) = ${median(afterMs).toFixed(2)} ms (median of ${RUNS})`,
  );
  console.log(
    `result: parking pending set first opened on that database (one-time) = ${openMs.toFixed(0)} ms`,
  );
} finally {
  before.remove();
  await database.close();
}
