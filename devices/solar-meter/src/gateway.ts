// The meter gateway: samples its meter, numbers each reading (meter, epoch, seq), cuts batches (at most
// 100 readings, never across a 15-minute interval or an epoch), signs each batch once over its Merkle
// root, keeps it in its buffer (on disk) and publishes the buffer in order over MQTT QoS 1. A batch
// leaves the buffer only once the ingester confirms it has stored it durably (an acknowledgement on
// solar/ack/v1/<meter>): the broker's PUBACK only says the broker has it, and brokers lose messages
// (a crash between autosaves, an in-memory broker restarting, a subscriber not yet back after a restart).
// A batch not confirmed within ackTimeoutMs is sent again; the ingester stores each (meter, epoch, seq)
// once, so a re-send costs only bandwidth. The connection keeps a persistent session and leaves a
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
  ACK_PREFIX,
  ackTopic,
  type BatchAck,
  batchTopic,
  decodeAck,
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
  /** Batches published and not yet confirmed at any time (sent in order). Default 8. */
  window?: number;
  /**
   * When a batch may leave the buffer. `ingest` (default): on the ingester's acknowledgement that it is
   * stored (the publisher must route acknowledgements to `acknowledge`, as MqttPublisher does). `broker`:
   * on the broker's PUBACK, for an ingester that sends no acknowledgements; a broker that loses a
   * message then loses the batch.
   */
  confirm?: 'ingest' | 'broker';
  /**
   * A batch published this long ago and not confirmed is published again. Default 10 s; doubled after
   * each re-send up to 8 times this, back to it on the next confirmation (an ingester that is slow to
   * confirm is not buried in re-sends).
   */
  ackTimeoutMs?: number;
  /** First epoch of a gateway without a data directory (a restarted in-memory gateway must not reuse epochs). */
  epoch?: number;
  /** Told of each batch the ingester refused for good (e.g. to log it: the ingester keeps it as received). */
  onRejected?: (rejection: {
    epoch: number;
    first: number;
    count: number;
    reason: string;
    message: string;
  }) => void;
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
  /** Publishes acknowledged by the broker (a batch sent again counts again). */
  published: number;
  /** Batches confirmed by the ingester (or by the broker with `confirm: 'broker'`). */
  confirmed: number;
  /** Batches published again because no confirmation came in time. */
  resent: number;
  gaps: number;
  resets: number;
  /** Batches the ingester refused for good (stored there as rejected): no longer sent. */
  rejected: number;
}

export class Gateway {
  readonly meter: string;
  readonly #o: GatewayOptions;
  readonly #buffer: BatchBuffer;
  #state: State;
  #current: Reading[] = [];
  #sending: Promise<void> | undefined;
  /** Published batches awaiting confirmation, by root: buffer id and when they were last published. */
  readonly #inflight = new Map<string, { id: string; sentAt: number }>();
  readonly #rootOf = new Map<string, string>();
  #acked: (() => void) | undefined;
  /** Multiplier of ackTimeoutMs: grows with re-sends, back to 1 on a confirmation. */
  #backoff = 1;
  readonly stats: GatewayStats = {
    readings: 0,
    batches: 0,
    published: 0,
    confirmed: 0,
    resent: 0,
    gaps: 0,
    resets: 0,
    rejected: 0,
  };

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

  /** Batches not yet confirmed. */
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

  /**
   * The ingester's acknowledgement (an ack message's payload, or decoded): the batch with that root
   * leaves the buffer, stored or refused for good (`rejected`: the ingester keeps it as received). True
   * when it was one of this gateway's batches awaiting confirmation.
   */
  acknowledge(ack: BatchAck | Uint8Array): boolean {
    const a = ack instanceof Uint8Array ? decodeAck(ack) : ack;
    if (a.meter !== this.meter) return false;
    const waiting = this.#inflight.get(a.root);
    if (!waiting) return false;
    this.#inflight.delete(a.root);
    this.#rootOf.delete(waiting.id);
    if (!this.#buffer.has(waiting.id)) return false;
    this.#buffer.remove(waiting.id);
    if (a.rejected) {
      // Refused for good and kept by the ingester as received: sending it again would change nothing.
      this.stats.rejected++;
      this.#o.onRejected?.({ epoch: a.epoch, first: a.first, count: a.count, ...a.rejected });
    } else this.stats.confirmed++;
    this.#backoff = 1;
    this.#acked?.();
    return true;
  }

  /**
   * Publishes the buffer in order while the publisher is connected, at most `window` batches awaiting
   * confirmation at a time, and publishes again those whose confirmation is overdue. Resolves when the
   * buffer is empty, the publisher is offline, or a confirmation is overdue (call again to re-send).
   */
  send(publisher: Publisher): Promise<void> {
    this.#sending ??= this.#sendLoop(publisher).finally(() => {
      this.#sending = undefined;
    });
    return this.#sending;
  }

  async #sendLoop(publisher: Publisher): Promise<void> {
    const topic = batchTopic(this.meter);
    const byBroker = this.#o.confirm === 'broker';
    while (publisher.connected && this.#buffer.size > 0) {
      const timeout = (this.#o.ackTimeoutMs ?? 10_000) * this.#backoff;
      const items = this.#buffer.peek(this.#o.window ?? 8);
      const now = Date.now();
      const due: { id: string; payload: Uint8Array; root: string }[] = [];
      let resending = false;
      for (const item of items) {
        const root = this.#root(item);
        const waiting = this.#inflight.get(root);
        if (waiting && now - waiting.sentAt < timeout) continue;
        if (waiting) {
          this.stats.resent++;
          resending = true;
        }
        // Awaiting confirmation from before the publish: an acknowledgement may overtake the PUBACK.
        if (!byBroker) this.#inflight.set(root, { id: item.id, sentAt: now });
        due.push({ ...item, root });
      }
      if (resending) this.#backoff = Math.min(this.#backoff * 2, 8);
      if (due.length > 0) {
        // QoS 1 on one connection keeps the order.
        const results = await Promise.allSettled(due.map((i) => publisher.publish(topic, i.payload)));
        let failed = false;
        for (const [k, r] of results.entries()) {
          const item = due[k]!;
          if (r.status !== 'fulfilled') {
            // Never reached the broker: send it as soon as the connection is back.
            this.#inflight.delete(item.root);
            failed = true;
            continue;
          }
          this.stats.published++;
          if (byBroker && this.#buffer.has(item.id)) {
            this.#buffer.remove(item.id);
            this.#rootOf.delete(item.id);
            this.stats.confirmed++;
          }
        }
        if (failed) return;
        continue;
      }
      // The whole window awaits confirmation: wait for one, or until the oldest is overdue.
      let oldest = now;
      for (const item of items)
        oldest = Math.min(oldest, this.#inflight.get(this.#root(item))?.sentAt ?? now);
      const confirmed = await this.#waitForAck(oldest + timeout - now, publisher);
      if (!confirmed) return;
    }
  }

  /** True once an acknowledgement arrives; false after `ms` or when the publisher goes offline. */
  #waitForAck(ms: number, publisher: Publisher): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        clearInterval(poll);
        this.#acked = undefined;
        resolve(ok);
      };
      const timer = setTimeout(() => done(false), Math.max(0, ms));
      const poll = setInterval(() => {
        if (!publisher.connected) done(false);
      }, 250);
      this.#acked = () => done(true);
    });
  }

  #root(item: { id: string; payload: Uint8Array }): string {
    let root = this.#rootOf.get(item.id);
    if (root === undefined) {
      root = (JSON.parse(new TextDecoder().decode(item.payload)) as { root: string }).root;
      this.#rootOf.set(item.id, root);
    }
    return root;
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

/**
 * An MQTT connection for gateways: persistent session (clean=false), QoS 1, last will "offline", and
 * the ingester's acknowledgements routed to the gateways that publish on it (see `confirmFor`).
 */
export class MqttPublisher implements Publisher {
  readonly client: MqttClient;
  readonly #gateways = new Map<string, Gateway>();
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
    this.client.on('message', (topic, payload) => {
      if (!topic.startsWith(`${ACK_PREFIX}/`)) return;
      const gateway = this.#gateways.get(topic.slice(ACK_PREFIX.length + 1));
      try {
        gateway?.acknowledge(new Uint8Array(payload));
      } catch {
        // A malformed acknowledgement confirms nothing; the batch is sent again.
      }
    });
    // Subscribed again on every connect: a broker that restarted may have lost the session or part of it.
    this.client.on('connect', () => {
      const topics = [...this.#gateways.keys()].map(ackTopic);
      if (topics.length > 0) this.client.subscribe(topics, { qos: 1 }, () => {});
    });
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
  /** Routes the ingester's acknowledgements of these gateways' batches to them (subscribes, QoS 1). */
  async confirmFor(gateways: readonly Gateway[]): Promise<void> {
    for (const g of gateways) this.#gateways.set(g.meter, g);
    if (!this.client.connected) return; // subscribed on connect
    const topics = gateways.map((g) => ackTopic(g.meter));
    for (let i = 0; i < topics.length; i += 500)
      await this.client.subscribeAsync(topics.slice(i, i + 500), { qos: 1 });
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
  void publisher.confirmFor([gateway]).catch((err: unknown) => opts.onError?.(err));
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
