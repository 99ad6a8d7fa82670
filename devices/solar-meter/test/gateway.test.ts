import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectMqtt, startEmbeddedBroker } from '@gongxin/mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { Fleet } from '../src/fleet';
import { Gateway, MqttPublisher } from '../src/gateway';
import { generateDeviceKey } from '../src/keys';
import {
  ackOf,
  ackTopic,
  type Batch,
  decodeBatch,
  encodeAck,
  publicKeyFromHex,
  signBatch,
  verifyBatch,
} from '../src/protocol';
import { SimulatedPlant } from '../src/simulator';

const DAY = Date.UTC(2024, 4, 31, 16, 0, 0);
const H = 3_600_000;
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** Takes the batches in as an ingester would: keeps each and acknowledges it (unless `ack` says not). */
async function collect(url: string, ack: (b: Batch) => boolean = () => true) {
  const batches: Batch[] = [];
  const statuses: string[] = [];
  const acker = await connectMqtt(url, { logger: silent });
  cleanup.push(() => acker.close());
  const conn = await connectMqtt(url, {
    logger: silent,
    subscriptions: [
      {
        topicFilter: 'solar/v1/+/#',
        qos: 1,
        handler: async (_t, p) => {
          const b = decodeBatch(p);
          batches.push(b);
          if (ack(b)) await acker.publish(ackTopic(b.meter), encodeAck(ackOf(b)), { qos: 1 });
        },
      },
      { topicFilter: 'solar/status/v1/#', qos: 1, handler: (_t, p) => void statuses.push(p.toString()) },
    ],
  });
  cleanup.push(() => conn.close());
  return { batches, statuses };
}

const until = async (ok: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('meter gateway', () => {
  it('buffers on disk while the broker is away and sends in order when it returns; a restart is a new epoch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'solar-meter-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const port = await freePort();
    const key = generateDeviceKey();
    const plant = new SimulatedPlant({ capacityW: 20_000, start: DAY, reboots: [DAY + 12 * H + 7 * 60_000] });
    const open = () =>
      new Gateway({
        meter: 'm-001',
        adapter: plant,
        privateKey: key.privateKey,
        dataDir: dir,
        batchEveryMs: 60_000,
      });
    let gateway = open();
    expect(gateway.epoch).toBe(0);
    // No broker yet: readings are cut into signed batches that wait on disk.
    const publisher = new MqttPublisher({
      url: `mqtt://127.0.0.1:${port}`,
      clientId: 'gw-m-001',
      statusOf: { meter: 'm-001', epoch: 0 },
      reconnectPeriodMs: 200,
    });
    cleanup.push(() => publisher.close());
    for (let t = DAY + 12 * H; t < DAY + 12 * H + 20 * 60_000; t += 10_000) await gateway.sample(t);
    gateway.cut();
    expect(gateway.stats.resets).toBe(1);
    await gateway.send(publisher);
    const waiting = gateway.buffered;
    expect(waiting).toBeGreaterThan(10);
    // The gateway process restarts: the buffer survives, the epoch grows.
    gateway = open();
    expect(gateway.buffered).toBe(waiting);
    expect(gateway.epoch).toBe(2);
    await gateway.sample(DAY + 12 * H + 21 * 60_000);
    gateway.cut();

    const broker = await startEmbeddedBroker({ port, logger: silent });
    cleanup.push(() => broker.close());
    const got = await collect(broker.url);
    await publisher.waitConnected();
    await publisher.confirmFor([gateway]);
    await gateway.send(publisher);
    expect(gateway.buffered).toBe(0);
    expect(gateway.stats.confirmed).toBe(waiting + 1);
    await until(() => got.batches.length === waiting + 1);
    const pub = publicKeyFromHex(key.publicKey);
    expect(got.batches.every((b) => verifyBatch(b, pub))).toBe(true);
    // In order: epochs never go back and seq runs on within an epoch, from 0.
    const readings = got.batches.flatMap((b) => b.readings.map((r) => [b.epoch, r.seq] as const));
    for (let i = 1; i < readings.length; i++) {
      const [e0, s0] = readings[i - 1]!;
      const [e1, s1] = readings[i]!;
      expect(e1 === e0 ? s1 === s0 + 1 : e1 > e0 && s1 === 0).toBe(true);
    }
    expect(new Set(got.batches.map((b) => b.epoch))).toEqual(new Set([0, 1, 2]));
    // The reset at 12:07 began epoch 1; registers within an epoch never go down.
    for (const b of got.batches) {
      for (let i = 1; i < b.readings.length; i++)
        expect(b.readings[i]!.exportWh).toBeGreaterThanOrEqual(b.readings[i - 1]!.exportWh);
    }
    // No batch spans two 15-minute intervals.
    for (const b of got.batches)
      expect(Math.floor(b.readings.at(-1)!.ts / 900_000)).toBe(Math.floor(b.readings[0]!.ts / 900_000));
    await until(() => got.statuses.some((s) => s.includes('"online"')));
  });

  it('leaves an offline status as its last will when the connection dies', async () => {
    const broker = await startEmbeddedBroker({ logger: silent });
    cleanup.push(() => broker.close());
    const got = await collect(broker.url);
    const publisher = new MqttPublisher({
      url: broker.url,
      clientId: 'gw-m-002',
      statusOf: { meter: 'm-002', epoch: 4 },
    });
    await publisher.waitConnected();
    await until(() => got.statuses.some((s) => s.includes('"online"')));
    publisher.client.options.reconnectPeriod = 0;
    publisher.client.stream.destroy();
    await until(() => got.statuses.some((s) => s.includes('"offline"')));
    expect(JSON.parse(got.statuses.find((s) => s.includes('offline'))!)).toEqual({
      v: 1,
      meter: 'm-002',
      status: 'offline',
      epoch: 4,
    });
    await publisher.client.endAsync(true);
  });

  it('runs a fleet of meters in one process, each signing with its own key', async () => {
    const broker = await startEmbeddedBroker({ logger: silent });
    cleanup.push(() => broker.close());
    const got = await collect(broker.url);
    const fleet = new Fleet({ count: 50, url: broker.url, start: DAY + 10 * H, connections: 4 });
    await fleet.connect();
    cleanup.push(() => fleet.close());
    await fleet.advance(20);
    fleet.cutAll();
    await fleet.send();
    expect(fleet.buffered).toBe(0);
    await until(() => got.batches.reduce((s, b) => s + b.readings.length, 0) === 50 * 20);
    for (const b of got.batches)
      expect(verifyBatch(b, publicKeyFromHex(fleet.keys.get(b.meter)!))).toBe(true);
  });

  it('keeps a batch the broker took until the ingester confirms it, and sends it again when overdue', async () => {
    const broker = await startEmbeddedBroker({ logger: silent });
    cleanup.push(() => broker.close());
    // The first copy of the third batch is taken by the broker (PUBACK) but never stored.
    const seen = new Set<string>();
    let dropped = 0;
    const got = await collect(broker.url, (b) => {
      const first = b.readings[0]!.seq === 2 && !seen.has(b.root);
      seen.add(b.root);
      if (first) dropped++;
      return !first;
    });
    const key = generateDeviceKey();
    const gateway = new Gateway({
      meter: 'm-003',
      adapter: new SimulatedPlant({ capacityW: 10_000, start: DAY + 10 * H }),
      privateKey: key.privateKey,
      batchEveryMs: 0,
      ackTimeoutMs: 500,
    });
    for (let i = 0; i < 5; i++) await gateway.sample(DAY + 10 * H + i * 60_000);
    gateway.cut();
    const publisher = new MqttPublisher({ url: broker.url, clientId: 'gw-m-003' });
    cleanup.push(() => publisher.close());
    await publisher.waitConnected();
    await publisher.confirmFor([gateway]);
    await gateway.send(publisher);
    // The broker acknowledged all five; four are confirmed, the dropped one waits in the buffer.
    expect(dropped).toBe(1);
    expect(gateway.stats.published).toBe(5);
    expect(gateway.stats.confirmed).toBe(4);
    expect(gateway.buffered).toBe(1);
    // An acknowledgement that names another root confirms nothing.
    const stray = signBatch('m-003', 0, [{ ...got.batches[0]!.readings[0]!, seq: 2 }], key.privateKey);
    expect(gateway.acknowledge(ackOf(stray))).toBe(false);
    expect(gateway.buffered).toBe(1);
    // Overdue: sent again, confirmed this time.
    await gateway.send(publisher);
    expect(gateway.buffered).toBe(0);
    expect(gateway.stats.resent).toBe(1);
    expect(gateway.stats.confirmed).toBe(5);
    const copies = got.batches.filter((b) => b.readings[0]!.seq === 2);
    expect(copies.length).toBe(2);
    expect(copies[0]!.root).toBe(copies[1]!.root);
  });
});
