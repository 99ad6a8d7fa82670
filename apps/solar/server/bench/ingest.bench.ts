// bench:ingest — verified meter readings stored per second: gateways' signed batches (protocol v1) over a
// real broker (Mosquitto at BENCH_MQTT_URL, default mqtt://127.0.0.1:1883; "embedded" for aedes) into the
// platform's ingest pipeline with the solar decoder (Ed25519 check against each meter's key) and durable
// writes (PgIngestStore on PGlite in a temporary directory, or PostgreSQL at BENCH_DATABASE_URL). Beside
// it, the raw Ed25519 verify rate of this machine in the same run, and p99 from publish to durable.
// Sizes: BENCH_METERS (1,000) × BENCH_READINGS readings each (100), BENCH_BATCH readings per batch (100, the protocol's most).
import { createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgIngestStore } from '@gongxin/app-kit';
import { openDatabase } from '@gongxin/db';
import { connectMqtt, type IngestRecord, resolveBroker, startIngest } from '@gongxin/mqtt';
import { generateDeviceKey, type Reading } from '@gongxin/solar-meter';
import { batchTopic, encodeBatch, signBatch } from '@gongxin/solar-meter/protocol';
import type { BatchData, MeterKeys } from '../src/ingest';
import { solarFeed } from '../src/ingest';

const METERS = Number(process.env.BENCH_METERS ?? 1_000);
const READINGS = Number(process.env.BENCH_READINGS ?? 100);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const WINDOW = 500;
const silent = { debug() {}, info() {}, warn: console.warn, error: console.error };

function verifyBaseline(): number {
  const { privateKey } = generateDeviceKey();
  const publicKey = createPublicKey(privateKey);
  const msg = new TextEncoder().encode('gongxin-solar-v1|m|0|0|50|'.padEnd(120, 'a'));
  const sig = sign(null, msg, privateKey);
  const n = 5_000;
  const t = performance.now();
  for (let i = 0; i < n; i++) if (!verify(null, msg, publicKey, sig)) throw new Error('verify failed');
  return n / ((performance.now() - t) / 1000);
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

const url = process.env.BENCH_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const broker = await resolveBroker({ mqttUrl: url === 'embedded' ? undefined : url, logger: silent });
const dataDir = mkdtempSync(join(tmpdir(), 'gx-bench-solar-'));
const database = process.env.BENCH_DATABASE_URL
  ? await openDatabase({ url: process.env.BENCH_DATABASE_URL, logger: silent })
  : await openDatabase({ dataDir, name: 'bench', logger: silent });
try {
  // The fleet: one key per meter, every batch signed before the clock starts (that is the gateways' work).
  const keys = new Map<string, KeyObject>();
  const messages: { topic: string; key: string; body: Uint8Array; readings: number }[] = [];
  const t0 = Date.now() - 2 * 3_600_000;
  const start = Math.floor(t0 / 900_000) * 900_000;
  for (let m = 0; m < METERS; m++) {
    const meter = `bench-${process.pid}-${String(m).padStart(4, '0')}`;
    const k = generateDeviceKey();
    keys.set(meter, createPublicKey(k.privateKey));
    for (let first = 0; first < READINGS; first += BATCH) {
      const readings: Reading[] = [];
      for (let s = first; s < Math.min(READINGS, first + BATCH); s++)
        readings.push({
          seq: s,
          ts: start + s * 1_000,
          importWh: 0,
          exportWh: 1_000 + s * 3,
          power: 10_800,
          voltage: 2_300,
          temperature: 350,
          irradiance: 900,
        });
      const batch = signBatch(meter, 0, readings, k.privateKey);
      messages.push({
        topic: batchTopic(meter),
        key: `${meter}/0/${first}`,
        body: encodeBatch(batch),
        readings: readings.length,
      });
    }
  }
  const total = messages.reduce((s, m) => s + m.readings, 0);
  const baseline = verifyBaseline();
  console.log(
    `bench:ingest (solar): ${total} readings from ${METERS} meters in ${messages.length} signed batches of ≤ ${BATCH}, broker ${broker.embedded ? 'embedded aedes' : broker.url}, database ${database.kind}`,
  );
  console.log(`raw ed25519 verify (node:crypto, 1 core) = ${baseline.toFixed(0)} verifies/s`);

  const meterKeys = { get: (meter: string) => keys.get(meter) } as unknown as MeterKeys;
  const feed = solarFeed({ keys: meterKeys });
  const inner = await PgIngestStore.open<BatchData>(database, {
    stream: `solar.bench${process.pid}`,
    ...(feed.toData && { toData: feed.toData }),
  });
  const published = new Map<string, number>();
  const latencies: number[] = [];
  let storedReadings = 0;
  let decodeMs = 0;
  const store = {
    async write(records: readonly IngestRecord<BatchData>[], rejected: Parameters<typeof inner.write>[1]) {
      const result = await inner.write(records, rejected);
      const now = performance.now();
      for (const r of records) {
        if (!result.inserted.has(r.key)) continue;
        storedReadings += r.data.readings.length;
        const at = published.get(r.key);
        if (at !== undefined) latencies.push(now - at);
      }
      return result;
    },
  };
  const clientId = `gx-bench-solar-${process.pid}`;
  const worker = await startIngest<BatchData>({
    url: broker.url,
    ...(broker.embedded && { embedded: true }),
    prefix: feed.prefix,
    shards: feed.shards,
    clientId,
    decode: (m) => {
      const t = performance.now();
      try {
        return feed.decode(m);
      } finally {
        decodeMs += performance.now() - t;
      }
    },
    store,
    lanes: Number(process.env.BENCH_LANES ?? 64),
    logger: silent,
  });
  const pub = await connectMqtt(broker.url, { logger: silent });
  const started = performance.now();
  for (let i = 0; i < messages.length; i += WINDOW) {
    await Promise.all(
      messages.slice(i, i + WINDOW).map((m) => {
        published.set(m.key, performance.now());
        return pub.publish(m.topic, m.body, { qos: 1 });
      }),
    );
  }
  const publishedAt = (performance.now() - started) / 1000;
  const deadline = Date.now() + 300_000;
  while (storedReadings < total) {
    if (Date.now() > deadline) throw new Error(`timed out: ${storedReadings} of ${total} stored`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const seconds = (performance.now() - started) / 1000;
  const stats = worker.stats();
  await pub.close();
  await worker.stop();
  for (const lane of worker.lanes)
    await (await connectMqtt(broker.url, { clientId: lane.clientId, clean: true })).close();
  const rate = total / seconds;
  console.log(
    `  ${stats.stored} batches stored in ${stats.batches} writes, ${stats.rejected} rejected, mode ${worker.mode}; all acknowledged by the broker after ${publishedAt.toFixed(2)} s, stored after ${seconds.toFixed(2)} s; decoding and verifying took ${(decodeMs / 1000).toFixed(2)} s`,
  );
  console.log(
    `  verified readings / raw verify rate = ${(rate / baseline).toFixed(2)} (batches of ${BATCH} share one signature)`,
  );
  console.log(`p50 publish → durable = ${pct(latencies, 0.5).toFixed(0)} ms`);
  console.log(`p99 publish → durable = ${pct(latencies, 0.99).toFixed(0)} ms`);
  console.log(`result: verified readings stored = ${rate.toFixed(0)} readings/s (target >= 20000)`);
} finally {
  await database.close();
  await broker.close();
  rmSync(dataDir, { recursive: true, force: true });
}
