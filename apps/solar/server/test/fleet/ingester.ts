// The fleet test's ingester process: the app's device ingest (app-kit startDeviceIngest with the solar
// decoder, PgIngestStore) on PostgreSQL (FLEET_DATABASE_URL) or an on-disk PGlite (FLEET_DATA_DIR), taking
// from the broker at FLEET_MQTT_URL. Meter keys come from FLEET_KEYS (a JSON file meter → public key hex),
// as the bench provides them without a chain. Prints {"ready":true} once subscribed, then every second
// {"total":n,"distinct":n} (stored readings and distinct (meter, epoch, seq)).

import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startDeviceIngest } from '@gongxin/app-kit';
import { openDatabase } from '@gongxin/db';
import { publicKeyFromHex } from '@gongxin/solar-meter/protocol';
import { type MeterKeys, solarFeed } from '../../src/ingest';
import { countStored } from './count';

const silent = { debug() {}, info() {}, warn() {}, error: console.error };
const env = process.env;
const database = env.FLEET_DATABASE_URL
  ? await openDatabase({ url: env.FLEET_DATABASE_URL, logger: silent })
  : await openDatabase({ dataDir: env.FLEET_DATA_DIR!, name: 'fleet', logger: silent });
const hex = JSON.parse(readFileSync(env.FLEET_KEYS!, 'utf8')) as Record<string, string>;
const keys = new Map<string, KeyObject>(Object.entries(hex).map(([m, k]) => [m, publicKeyFromHex(k)]));
const feed = solarFeed({ keys: { get: (meter: string) => keys.get(meter) } as unknown as MeterKeys });
// A broker in another process is not known as embedded here: say so, as the app's host would.
const ingest = await startDeviceIngest(
  { database, mqttUrl: env.FLEET_MQTT_URL!, logger: silent },
  {
    ...feed,
    ...((env.FLEET_EMBEDDED === '1' || env.FLEET_MODE === 'sharded') && { mode: 'sharded' as const }),
  },
);
console.log(JSON.stringify({ ready: true, mode: ingest.worker.mode }));
setInterval(async () => {
  try {
    console.log(JSON.stringify(await countStored(database)));
  } catch (err) {
    console.error(err);
  }
}, 1_000);
