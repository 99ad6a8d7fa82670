// Ingest on a private Mosquitto (persistence on) that restarts under it. Mosquitto 2.0 restores a
// persistent session (CONNACK session present) without its $share subscriptions, so a worker that
// trusted the session would hear nothing published after the restart. Skipped without a `mosquitto`
// binary on PATH.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectMqtt } from '../src/client';
import { startIngest } from '../src/ingest/pipeline';
import { shardTopic } from '../src/ingest/shards';
import { MemoryStore } from './fixture/ingest-stores';
import { decodeMeter, type MeterReading, meterPayload } from './fixture/meter';
import { captureLogger, sleep, uniqueId, uniquePrefix, waitFor } from './helpers';

const missing = spawnSync('mosquitto', ['-h']).error !== undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

async function listening(port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = netConnect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`mosquitto not listening on ${port}`);
    await sleep(50);
  }
}

describe.skipIf(missing)('ingest on a Mosquitto that restarts', () => {
  it('subscribes again after a restart that restored the session: nothing published after it is lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gx-mqtt-restart-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // Started as root, Mosquitto runs as the `mosquitto` user, which must be able to reach and write
    // its store.
    chmodSync(dir, 0o755);
    const store = join(dir, 'store');
    mkdirSync(store);
    chmodSync(store, 0o777);
    const port = await freePort();
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(
      conf,
      `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location ${store}/\nlog_type error\n`,
    );
    let broker: ChildProcess | undefined;
    const startBroker = async () => {
      broker = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
      await listening(port);
    };
    const stopBroker = async () => {
      const b = broker;
      if (!b || b.exitCode !== null) return;
      const exited = new Promise((r) => b.once('exit', r));
      b.kill('SIGTERM');
      await exited;
    };
    cleanups.push(stopBroker);
    await startBroker();
    const url = `mqtt://127.0.0.1:${port}`;
    const prefix = uniquePrefix();
    const records = new MemoryStore<MeterReading>();
    const worker = await startIngest<MeterReading>({
      url,
      prefix,
      decode: decodeMeter,
      store: records,
      clientId: uniqueId('rs'),
      mode: 'shared',
      lanes: 2,
      shards: 8,
      now: () => Date.UTC(2026, 11, 4, 8, 1),
      logger: captureLogger(),
      reconnectPeriodMs: 100,
    });
    cleanups.push(() => worker.stop());
    const pub = await connectMqtt(url, { reconnectPeriodMs: 100, logger: captureLogger() });
    cleanups.push(() => pub.close());
    const t0 = Date.UTC(2026, 11, 4, 8, 0);
    const topic = shardTopic(prefix, 8, 'm1', 'reading');
    await pub.publish(topic, meterPayload('m1', 1, t0));
    await waitFor(() => records.records.size === 1, 'the reading before the restart', 10_000);

    await stopBroker();
    await startBroker();
    // What is published before the worker's lanes are back finds no subscriber and is gone: a device
    // sends again until its reading is stored (as the solar gateways do, on the ingester's reply).
    await waitFor(() => pub.client.connected, 'the publisher back', 15_000);
    const deadline = Date.now() + 15_000;
    while (!records.records.has('m1/1/2') && Date.now() < deadline) {
      await pub.publish(topic, meterPayload('m1', 2, t0 + 2));
      await sleep(300);
    }
    for (let seq = 3; seq <= 11; seq++) await pub.publish(topic, meterPayload('m1', seq, t0 + seq));
    await waitFor(() => records.records.size === 11, 'the readings after the restart', 10_000).catch(
      () => {},
    );
    expect([...records.records.keys()].sort()).toEqual(
      Array.from({ length: 11 }, (_, i) => `m1/1/${i + 1}`).sort(),
    );
  });
});
