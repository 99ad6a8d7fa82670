// The meter gateway: samples its meter, numbers each reading (meter, epoch, seq), cuts batches (at most
// 100 readings, never across a 15-minute interval or an epoch), signs each batch once over its Merkle
// root, keeps it in its buffer (on disk) and publishes the buffer in order over MQTT QoS 1, deleting a
// batch only after the broker acknowledged it. The connection keeps a persistent session and leaves a
// retained "offline" status as its last will.
//
// Epochs: the epoch is the gateway's boot count. It grows when the gateway starts, when the meter
// reports a new boot count, and when a register goes down (a meter reset): seq starts again at 0, so a
// reading is always named by (meter, epoch, seq) and the server never sees a counter go backwards
// within an epoch.

import type { KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type MqttClient } from 'mqtt';
import type { MeterAdapter } from './adapter';
import { type BatchBuffer, DiskBuffer, MemoryBuffer } from './buffer';
import {
  batchTopic,
  encodeBatch,
  INTERVAL_MS,
  MAX_BATCH_READINGS,
  type Reading,
  signBatch,
  statusTopic,
} from './protocol';

/** Sends a message and resolves on the broker's acknowledgement. */
export interface Publisher {
  readonly connected: boolean;
  publish(topic: string, payload: Uint8Array): Promise<void>;
}

export interface GatewayOptions {
  meter: string;
  adapter: MeterAdapter;
  privateKey: KeyObject;
  /** Where state and the batch buffer live; without one, both stay in memory (fleets, tests). */
  dataDir?: string;
  /** Cut a batch once its first reading is this old (device time). Default 60 s. */
  batchEveryMs?: number;
  maxBatch?: number;
  /** Batches published at once before waiting for their acks. Default 8 (sent in order). */
  window?: number;
  /** First epoch of a gateway without a data directory (a restarted in-memory gateway must not reuse epochs). */
  epoch?: number;
}

interface State {
  epoch: number;
  seq: number;
  meterBoots: number | null;
  lastImportWh: number;
  lastExportWh: number;
}

export interface GatewayStats {
  readings: number;
  batches: number;
  published: number;
  gaps: number;
  resets: number;
}

export class Gateway {
  readonly meter: string;
  readonly #o: GatewayOptions;
  readonly #buffer: BatchBuffer;
  #state: State;
  #current: Reading[] = [];
  #sending: Promise<void> | undefined;
  readonly stats: GatewayStats = { readings: 0, batches: 0, published: 0, gaps: 0, resets: 0 };

  constructor(options: GatewayOptions) {
    this.#o = options;
    this.meter = options.meter;
    this.#buffer = options.dataDir ? new DiskBuffer(join(options.dataDir, 'outbox')) : new MemoryBuffer();
    const saved = this.#loadState();
    // A start is a boot: a new epoch, so readings after it can never collide with ones before it.
    this.#state = saved
      ? { ...saved, epoch: saved.epoch + 1, seq: 0 }
      : { epoch: options.epoch ?? 0, seq: 0, meterBoots: null, lastImportWh: 0, lastExportWh: 0 };
    this.#saveState();
  }

  get epoch(): number {
    return this.#state.epoch;
  }

  /** Batches waiting for the broker. */
  get buffered(): number {
    return this.#buffer.size;
  }

  /** Reads the meter once; a reading goes into the current batch, which is cut when due. */
  async sample(now = Date.now()): Promise<Reading | null> {
    const s = await this.#o.adapter.read(now);
    if (!s) {
      this.stats.gaps++;
      return null;
    }
    const state = this.#state;
    const reset =
      (s.boots !== undefined && state.meterBoots !== null && s.boots !== state.meterBoots) ||
      s.importWh < state.lastImportWh ||
      s.exportWh < state.lastExportWh;
    if (reset) {
      this.cut();
      this.stats.resets++;
      state.epoch++;
      state.seq = 0;
    }
    const first = this.#current[0];
    if (
      first &&
      (Math.floor(s.deviceTime / INTERVAL_MS) !== Math.floor(first.ts / INTERVAL_MS) ||
        this.#current.length >= (this.#o.maxBatch ?? MAX_BATCH_READINGS))
    )
      this.cut();
    const reading: Reading = {
      seq: state.seq++,
      ts: s.deviceTime,
      importWh: s.importWh,
      exportWh: s.exportWh,
      power: s.power,
      voltage: s.voltage,
      temperature: s.temperature,
      irradiance: s.irradiance,
    };
    state.meterBoots = s.boots ?? null;
    state.lastImportWh = s.importWh;
    state.lastExportWh = s.exportWh;
    this.#current.push(reading);
    this.stats.readings++;
    if (reading.ts - this.#current[0]!.ts >= (this.#o.batchEveryMs ?? 60_000)) this.cut();
    else this.#saveState();
    return reading;
  }

  /** Signs the current readings as one batch and puts it in the buffer. */
  cut(): void {
    if (this.#current.length === 0) return;
    const batch = signBatch(this.meter, this.#state.epoch, this.#current, this.#o.privateKey);
    this.#buffer.push(encodeBatch(batch));
    this.#current = [];
    this.stats.batches++;
    this.#saveState();
  }

  /** Publishes the buffer in order while the publisher is connected; resolves when it is empty or offline. */
  send(publisher: Publisher): Promise<void> {
    this.#sending ??= this.#sendLoop(publisher).finally(() => {
      this.#sending = undefined;
    });
    return this.#sending;
  }

  async #sendLoop(publisher: Publisher): Promise<void> {
    const topic = batchTopic(this.meter);
    while (publisher.connected && this.#buffer.size > 0) {
      const items = this.#buffer.peek(this.#o.window ?? 8);
      // QoS 1 on one connection keeps the order; each batch leaves the buffer after its own PUBACK.
      const results = await Promise.allSettled(items.map((i) => publisher.publish(topic, i.payload)));
      for (const [k, r] of results.entries()) {
        if (r.status !== 'fulfilled') return;
        this.#buffer.remove(items[k]!.id);
        this.stats.published++;
      }
    }
  }

  #loadState(): State | null {
    if (!this.#o.dataDir) return null;
    const path = join(this.#o.dataDir, 'state.json');
    if (!existsSync(path)) return null;
    return JSON.parse(readFileSync(path, 'utf8')) as State;
  }

  #saveState(): void {
    if (!this.#o.dataDir) return;
    mkdirSync(this.#o.dataDir, { recursive: true });
    const path = join(this.#o.dataDir, 'state.json');
    writeFileSync(`${path}.tmp`, JSON.stringify(this.#state));
    renameSync(`${path}.tmp`, path);
  }
}

export interface MqttPublisherOptions {
  url: string;
  clientId: string;
  /** Meters whose status this connection announces (online on connect, offline as last will). */
  statusOf?: { meter: string; epoch: number };
  username?: string;
  password?: string;
  reconnectPeriodMs?: number;
}

/** An MQTT connection for gateways: persistent session (clean=false), QoS 1, last will "offline". */
export class MqttPublisher implements Publisher {
  readonly client: MqttClient;
  constructor(o: MqttPublisherOptions) {
    const status = (s: string) =>
      JSON.stringify({ v: 1, meter: o.statusOf?.meter, status: s, epoch: o.statusOf?.epoch ?? 0 });
    this.client = connect(o.url, {
      clientId: o.clientId,
      clean: false,
      reconnectPeriod: o.reconnectPeriodMs ?? 1000,
      connectTimeout: 5000,
      ...(o.username && { username: o.username, password: o.password }),
      ...(o.statusOf && {
        will: {
          topic: statusTopic(o.statusOf.meter),
          payload: Buffer.from(status('offline')),
          qos: 1,
          retain: true,
        },
      }),
    });
    this.client.on('error', () => {});
    if (o.statusOf) {
      const meter = o.statusOf.meter;
      this.client.on('connect', () => {
        this.client.publish(statusTopic(meter), status('online'), { qos: 1, retain: true });
      });
    }
  }
  get connected(): boolean {
    return this.client.connected;
  }
  async publish(topic: string, payload: Uint8Array): Promise<void> {
    await this.client.publishAsync(topic, Buffer.from(payload), { qos: 1 });
  }
  waitConnected(timeoutMs = 10_000): Promise<void> {
    if (this.client.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('MQTT connect timed out')), timeoutMs);
      this.client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  async close(): Promise<void> {
    await this.client.endAsync();
  }
}

/** Runs one gateway in real time: sample every `sampleEveryMs`, send after every sample and on reconnect. */
export function runGateway(
  gateway: Gateway,
  publisher: MqttPublisher,
  opts: { sampleEveryMs?: number; onError?: (err: unknown) => void } = {},
): { stop(): Promise<void> } {
  const tick = async () => {
    try {
      await gateway.sample();
      await gateway.send(publisher);
    } catch (err) {
      opts.onError?.(err);
    }
  };
  publisher.client.on('connect', () => void gateway.send(publisher));
  const timer = setInterval(() => void tick(), opts.sampleEveryMs ?? 10_000);
  return {
    async stop() {
      clearInterval(timer);
      gateway.cut();
      if (publisher.connected) await gateway.send(publisher);
      await publisher.close();
    },
  };
}
