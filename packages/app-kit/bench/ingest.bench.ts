// bench:ingest — MQTT readings ingested per second with durable writes (PgIngestStore on PGlite in a
// temporary data directory, or PostgreSQL at BENCH_DATABASE_URL), beside a raw baseline from the same
// run: the same messages through the same broker to a subscriber that does nothing with them.
// Broker: the embedded one, or BENCH_MQTT_URL. Sizes: BENCH_N messages (20,000) from BENCH_DEVICES
// meters (1,000), BENCH_LANES connections (32) over BENCH_SHARDS shards (64), BENCH_RUNS runs (3, median reported).
// BENCH_MEMORY=1 keeps PGlite in memory and BENCH_STORE=none skips the store, to see where time goes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '@gongxin/db';
import { connectMqtt, type MqttConnection, resolveBroker, shardTopic, startIngest } from '@gongxin/mqtt';
import { PgIngestStore } from '../src/ingest/store';

const N = Number(process.env['BENCH_N'] ?? 20_000);
const DEVICES = Number(process.env['BENCH_DEVICES'] ?? 1_000);
const LANES = Number(process.env['BENCH_LANES'] ?? 32);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const SHARDS = Number(process.env['BENCH_SHARDS'] ?? 64);
const WINDOW = 1_000;
const T0 = Date.now() - 3_600_000;

const silent = { debug() {}, info() {}, warn: console.warn, error: console.error };

function payloads(run: number): { topic: string; body: string }[] {
  return Array.from({ length: N }, (_, i) => {
    const device = `meter-${String(i % DEVICES).padStart(4, '0')}`;
    const seq = Math.floor(i / DEVICES);
    const body = JSON.stringify({
      device,
      epoch: run,
      seq,
      ts: T0 + seq * 1000,
      importWh: String(1_000 + seq),
    });
    return { topic: shardTopic(`bench${run}`, SHARDS, device, 'reading'), body };
  });
}

async function publishAll(pub: MqttConnection, messages: { topic: string; body: string }[]): Promise<void> {
  for (let i = 0; i < messages.length; i += WINDOW) {
    await Promise.all(messages.slice(i, i + WINDOW).map((m) => pub.publish(m.topic, m.body)));
  }
}

async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function raw(url: string, run: number): Promise<number> {
  const messages = payloads(run);
  let got = 0;
  const subs: MqttConnection[] = [];
  for (let s = 0; s < LANES; s++) {
    const filters = Array.from({ length: SHARDS }, (_, i) => i).filter((i) => i % LANES === s);
    subs.push(
      await connectMqtt(url, {
        logger: silent,
        subscriptions: filters.map((f) => ({
          topicFilter: `bench${run}/${f}/#`,
          handler: () => {
            got++;
          },
        })),
      }),
    );
  }
  const pub = await connectMqtt(url, { logger: silent });
  const started = performance.now();
  await publishAll(pub, messages);
  await until(() => got >= N, 'raw delivery');
  const rate = N / ((performance.now() - started) / 1000);
  await Promise.all([pub, ...subs].map((c) => c.close()));
  return rate;
}

async function ingest(url: string, embedded: boolean, database: Database, run: number): Promise<number> {
  const messages = payloads(run);
  const store =
    process.env['BENCH_STORE'] === 'none'
      ? {
          write: async (records: readonly { key: string }[]) => ({
            inserted: new Set(records.map((r) => r.key)),
          }),
        }
      : await PgIngestStore.open(database, { stream: `bench.run${run}` });
  const worker = await startIngest({
    url,
    embedded,
    mode: 'sharded',
    prefix: `bench${run}`,
    clientId: `gx-bench-${process.pid}-${run}`,
    shards: SHARDS,
    lanes: LANES,
    store,
    logger: silent,
    decode: ({ payload, device }) => {
      const r = JSON.parse(payload.toString()) as {
        epoch: number;
        seq: number;
        ts: number;
        importWh: string;
      };
      return { device, seq: `${r.epoch}/${r.seq}`, ts: r.ts, data: { importWh: BigInt(r.importWh) } };
    },
  });
  const pub = await connectMqtt(url, { logger: silent });
  const started = performance.now();
  await publishAll(pub, messages);
  await until(() => worker.stats().stored >= N, 'durable ingest');
  const rate = N / ((performance.now() - started) / 1000);
  const stats = worker.stats();
  if (stats.stored !== N || stats.rejected !== 0)
    throw new Error(`bench: unexpected ${JSON.stringify(stats)}`);
  console.log(`  run ${run}: ${stats.batches} batches, ${(N / stats.batches).toFixed(1)} readings per write`);
  await pub.close();
  await worker.stop();
  // The sessions are persistent; end them so the broker keeps nothing for this run.
  for (const lane of worker.lanes)
    await (await connectMqtt(url, { clientId: lane.clientId, clean: true })).close();
  return rate;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const broker = await resolveBroker({ mqttUrl: process.env['BENCH_MQTT_URL'], logger: silent });
const dataDir = mkdtempSync(join(tmpdir(), 'gx-bench-ingest-'));
const database = process.env['BENCH_DATABASE_URL']
  ? await openDatabase({ url: process.env['BENCH_DATABASE_URL'], logger: silent })
  : await openDatabase({
      dataDir,
      name: 'bench',
      logger: silent,
      memory: process.env['BENCH_MEMORY'] === '1',
    });
try {
  console.log(
    `bench:ingest: ${N} readings from ${DEVICES} meters, ${LANES} lanes, broker ${broker.embedded ? 'embedded' : 'external'}, database ${database.kind}`,
  );
  const raws: number[] = [];
  const ingests: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    raws.push(await raw(broker.url, run));
    ingests.push(await ingest(broker.url, broker.embedded !== null, database, run));
    console.log(
      `  run ${run}: raw ${raws.at(-1)!.toFixed(0)} msg/s, ingest ${ingests.at(-1)!.toFixed(0)} msg/s`,
    );
  }
  const r = median(raws);
  const i = median(ingests);
  console.log(`raw mqtt delivery (median) = ${r.toFixed(0)} msg/s`);
  console.log(`ratio ingest / raw = ${(i / r).toFixed(2)}`);
  console.log(`result: mqtt ingest = ${i.toFixed(0)} msg/s (target > 2000)`);
} finally {
  await database.close();
  await broker.close();
  rmSync(dataDir, { recursive: true, force: true });
}
