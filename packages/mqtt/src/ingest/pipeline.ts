// Device ingest over MQTT: QoS 1 subscriptions split over workers ($share on brokers that have it,
// topic shards otherwise), decode and validate each message, dedupe, write durably in batches, and only
// then acknowledge. A message is never acknowledged before the store has it (or has recorded it as
// rejected), so a worker killed at any point loses nothing: the broker redelivers what was not
// acknowledged, and the store's unique key drops what was already written.
//
// A broker's PUBACK to a device only says the broker has the message, and brokers lose messages (a
// crash between autosaves, an in-memory broker restarting, a publish arriving before a restarted
// worker has subscribed again). A decoder may therefore name a reply: a message published back to the
// device once its reading is durably stored (or found already stored), so that the device keeps and
// re-sends what was never confirmed. Re-sends are harmless: the store's key drops them.

import { randomBytes } from 'node:crypto';
import type { ISubscriptionMap } from 'mqtt';
import { connectMqtt, MalformedPayloadError, type MqttConnection, type SubscriptionSpec } from '../client';
import { isEmbeddedBroker } from '../embedded-broker';
import { defaultLogger, type LoggerLike } from '../logger';
import { allShardsFilter, parseShardTopic, shardFilter, shardsOfWorker } from './shards';

/** What a decoder makes of one message. `ts` is the reading's own time (device clock), UTC ms. */
export interface DecodedReading<T> {
  device: string;
  /** With `device`, the default dedupe key (`<device>/<seq>`); include an epoch if counters reset. */
  seq?: string | number | bigint;
  ts: number;
  data: T;
  /**
   * Published (QoS 1, not retained) once the reading is durably stored or found already stored: an
   * end-to-end acknowledgement the device can act on, unlike the broker's PUBACK. Best effort: a lost
   * reply makes the device send again, and the duplicate is acknowledged in turn.
   */
  reply?: IngestReply;
}

/** A message the pipeline publishes after a durable write. */
export interface IngestReply {
  topic: string;
  payload: string | Uint8Array;
}

export interface IngestMessage {
  topic: string;
  payload: Buffer;
  /** The device id from the topic (`<prefix>/<shard>/<device>/…`). */
  device: string;
  /** The topic levels after the device id. */
  rest: string[];
}

export type IngestDecoder<T> = (message: IngestMessage) => DecodedReading<T>;

/**
 * Throw from a decoder to reject a message with a specific reason (counted as `badInput{source="mqtt",reason}`).
 * With a `reply`, the device is told, once the rejection (with the message as received) is durably
 * stored: a device can then stop sending a message that will never be taken, and nothing is lost.
 */
export class IngestRejection extends Error {
  override readonly name = 'IngestRejection';
  constructor(
    readonly reason: string,
    message: string,
    readonly reply?: IngestReply,
  ) {
    super(message);
  }
}

/**
 * Thrown by a store when the batch holds data it can never take (e.g. PostgreSQL's data exceptions), as
 * opposed to being unavailable. The pipeline then writes the batch's messages one by one and records a
 * message that still fails as rejected (`unstorable`), so one such message cannot stall the rest.
 */
export class IngestStoreDataError extends Error {
  override readonly name = 'IngestStoreDataError';
}

export interface IngestRecord<T> {
  /** Dedupe key: a record with a key already stored is a duplicate and is not stored again. */
  key: string;
  device: string;
  /** The reading's own time, UTC ms. */
  ts: number;
  /** Start (UTC ms) of the interval `ts` falls in. */
  interval: number;
  topic: string;
  /** The bytes as received: what the device signed, and the Merkle leaf of the interval root. */
  payload: Uint8Array;
  data: T;
  receivedAt: number;
}

export interface IngestRejected {
  topic: string;
  payload: Uint8Array;
  reason: string;
  message: string;
  receivedAt: number;
}

export interface IngestStore<T> {
  /**
   * Stores the batch durably: resolves only once the records and rejections would survive a crash.
   * Records whose key is already stored are skipped; resolves with the keys actually inserted.
   * Must be idempotent: the same batch may be written again after a crash or a failed attempt.
   */
  write(
    records: readonly IngestRecord<T>[],
    rejected: readonly IngestRejected[],
  ): Promise<{ inserted: ReadonlySet<string> }>;
}

export interface BadInputCounter {
  inc(labels: { source: string; reason: string }): void;
}

export type IngestMode = 'shared' | 'sharded';

export interface IngestOptions<T> {
  url: string;
  /** First topic level(s) of the layout `<prefix>/<shard>/<device>/…`, e.g. `meters`. */
  prefix: string;
  decode: IngestDecoder<T>;
  store: IngestStore<T>;
  /** Base of the client ids; fixed across restarts (the broker keys the persistent sessions by it). */
  clientId: string;
  /**
   * `shared`: every lane joins the `$share/<group>/<prefix>/+/#` group. `sharded`: this worker takes its
   * shards (shard s belongs to worker s % workers). `auto` (default): sharded on an embedded broker
   * (see `embedded`), otherwise shared when a probe finds `$share` working, else sharded.
   */
  mode?: IngestMode | 'auto';
  /**
   * The broker is an embedded one: its `$share` does not queue for offline members, so shard. Default:
   * true when `url` is an embedded broker started in this process.
   */
  embedded?: boolean;
  /** `$share` group name. Default: `clientId`. */
  group?: string;
  /** Shards in the topic layout; fixed for a deployment (publishers use the same number). Default 64. */
  shards?: number;
  /** Workers splitting the shards, and which one this is (sharded mode). Default 1 and 0. */
  workers?: number;
  worker?: number;
  /**
   * Connections this worker opens. mqtt.js handles one message at a time per connection and the ack
   * waits for the write, so lanes are what lets writes batch. Default 16 (at most one per owned shard).
   */
  lanes?: number;
  /** Interval length for `IngestRecord.interval`. Default 15 minutes. */
  intervalMs?: number;
  /** Readings dated further ahead of this host's clock are rejected. Default 5 minutes. */
  maxFutureMs?: number;
  /** Dedupe key. Default `<device>/<seq>` (a reading without `seq` is rejected). */
  keyOf?: (reading: DecodedReading<T>) => string;
  /** Most records per store write. Default 500. */
  maxBatch?: number;
  metrics?: { badInput: BadInputCounter };
  logger?: LoggerLike;
  now?: () => number;
  connectTimeoutMs?: number;
  reconnectPeriodMs?: number;
  /** Backoff between failed store writes (the messages stay unacknowledged meanwhile). */
  retryMinMs?: number;
  retryMaxMs?: number;
  username?: string;
  password?: string;
}

export interface IngestStats {
  received: number;
  stored: number;
  duplicates: number;
  rejected: number;
  batches: number;
  writeFailures: number;
}

export interface IngestWorker {
  readonly mode: IngestMode;
  /** Filters each lane subscribed to. */
  readonly lanes: readonly { clientId: string; filters: readonly string[] }[];
  stats(): IngestStats;
  /**
   * Unsubscribes every lane: the broker routes no more messages here (a shared group's go to the other
   * members), while what arrived is still written and acknowledged. Then `stop`. For draining a session
   * that is to be removed.
   */
  leave(): Promise<void>;
  /**
   * Writes what it can, then disconnects. Messages not yet written are left unacknowledged (the
   * broker redelivers them to the next session). Safe to call twice.
   */
  stop(): Promise<void>;
}

type Pending<T> =
  | { kind: 'record'; record: IngestRecord<T>; settle: () => void; reply?: IngestReply; lane: number }
  | { kind: 'rejected'; rejected: IngestRejected; settle: () => void; reply?: IngestReply; lane?: number };

export const DEFAULT_INTERVAL_MS = 15 * 60 * 1000;
export const DEFAULT_SHARDS = 64;

export function intervalOf(ts: number, intervalMs: number): number {
  return Math.floor(ts / intervalMs) * intervalMs;
}

/**
 * True when the broker delivers through `$share/<group>/<filter>`: subscribes to a fresh shared filter
 * and publishes one QoS 1 message to it. Never throws for a broker that simply lacks the feature.
 */
export async function probeSharedSubscriptions(
  url: string,
  opts: { timeoutMs?: number; logger?: LoggerLike; username?: string; password?: string } = {},
): Promise<boolean> {
  const id = randomBytes(6).toString('hex');
  const topic = `gongxin-probe/${id}`;
  const conn = await connectMqtt(url, {
    logger: opts.logger,
    username: opts.username,
    password: opts.password,
    reconnectPeriodMs: 0,
  });
  try {
    let got = false;
    const arrived = new Promise<void>((resolve) => {
      void conn
        .subscribe(`$share/probe-${id}/${topic}`, () => {
          got = true;
          resolve();
        })
        .then(
          () => conn.publish(topic, 'probe'),
          () => resolve(),
        )
        .catch(() => resolve());
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      arrived,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, opts.timeoutMs ?? 1500);
      }),
    ]);
    clearTimeout(timer);
    return got;
  } finally {
    await conn.close();
  }
}

export async function startIngest<T>(opts: IngestOptions<T>): Promise<IngestWorker> {
  const logger = opts.logger ?? defaultLogger;
  let mode: IngestMode;
  if (opts.mode === 'shared' || opts.mode === 'sharded') mode = opts.mode;
  else if (opts.embedded ?? isEmbeddedBroker(opts.url)) mode = 'sharded';
  else mode = (await probeSharedSubscriptions(opts.url, { ...opts, logger })) ? 'shared' : 'sharded';
  const pipeline = new Pipeline(opts, mode, logger);
  await pipeline.connect();
  return pipeline;
}

class Pipeline<T> implements IngestWorker {
  readonly mode: IngestMode;
  readonly lanes: { clientId: string; filters: string[] }[];
  readonly #opts: IngestOptions<T>;
  readonly #logger: LoggerLike;
  readonly #now: () => number;
  readonly #intervalMs: number;
  readonly #maxFutureMs: number;
  readonly #maxBatch: number;
  readonly #keyOf: (reading: DecodedReading<T>) => string;
  readonly #connections: MqttConnection[] = [];
  #pending: Pending<T>[] = [];
  #flushing: Promise<void> | undefined;
  #scheduled = false;
  #stopping = false;
  #leaving = false;
  #sealed = false;
  #stopped: Promise<void> | undefined;
  /** Writes left to make one message at a time, after a batch failed on its data. */
  #isolating = 0;
  #wake: (() => void) | undefined;
  readonly #stats: IngestStats = {
    received: 0,
    stored: 0,
    duplicates: 0,
    rejected: 0,
    batches: 0,
    writeFailures: 0,
  };

  constructor(opts: IngestOptions<T>, mode: IngestMode, logger: LoggerLike) {
    this.#opts = opts;
    this.mode = mode;
    this.#logger = logger;
    this.#now = opts.now ?? Date.now;
    this.#intervalMs = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.#maxFutureMs = opts.maxFutureMs ?? 5 * 60 * 1000;
    this.#maxBatch = opts.maxBatch ?? 500;
    this.#keyOf =
      opts.keyOf ??
      ((r) => {
        if (r.seq === undefined) throw new IngestRejection('missing_seq', 'reading has no sequence number');
        return `${r.device}/${String(r.seq)}`;
      });
    if (!Number.isSafeInteger(this.#intervalMs) || this.#intervalMs < 1000) {
      throw new RangeError(`intervalMs must be an integer of at least 1000, got ${this.#intervalMs}`);
    }
    const shards = opts.shards ?? DEFAULT_SHARDS;
    const wantedLanes = opts.lanes ?? 16;
    if (!Number.isInteger(wantedLanes) || wantedLanes < 1) {
      throw new RangeError(`lanes must be a positive integer, got ${wantedLanes}`);
    }
    const worker = opts.worker ?? 0;
    if (mode === 'shared') {
      const filter = `$share/${opts.group ?? opts.clientId}/${allShardsFilter(opts.prefix)}`;
      this.lanes = Array.from({ length: wantedLanes }, (_, j) => ({
        clientId: `${opts.clientId}-w${worker}-l${j}`,
        filters: [filter],
      }));
    } else {
      const mine = shardsOfWorker(shards, opts.workers ?? 1, worker);
      const count = Math.min(wantedLanes, mine.length);
      this.lanes = Array.from({ length: count }, (_, j) => ({
        clientId: `${opts.clientId}-w${worker}-l${j}`,
        filters: mine.filter((_, i) => i % count === j).map((s) => shardFilter(opts.prefix, s)),
      }));
    }
  }

  async connect(): Promise<void> {
    try {
      for (const [index, lane] of this.lanes.entries()) {
        const handler = (topic: string, payload: Buffer) => this.#receive(topic, payload, index);
        const subscriptions: SubscriptionSpec[] = lane.filters.map((topicFilter) => ({
          topicFilter,
          handler,
          qos: 1,
        }));
        // Persistent sessions: what arrives while this worker is down (or was in flight when it died)
        // is queued by the broker and delivered again on the next connect.
        const conn = await connectMqtt(this.#opts.url, {
          clientId: lane.clientId,
          clean: false,
          subscriptions,
          logger: this.#logger,
          connectTimeoutMs: this.#opts.connectTimeoutMs,
          reconnectPeriodMs: this.#opts.reconnectPeriodMs,
          username: this.#opts.username,
          password: this.#opts.password,
        });
        this.#connections.push(conn);
        // A broker that restarts may restore the session yet not every subscription in it: Mosquitto
        // 2.0 brings back a persistent session (CONNACK session present) without its $share
        // subscriptions, and mqtt.js subscribes again only when the session is gone (and skips a
        // filter it believes subscribed unless told `resubscribe`). Subscribing again is harmless
        // (same filters, same QoS; ingest topics are not retained), so always do it.
        conn.client.on('connect', (connack) => {
          if (!connack.sessionPresent || this.#stopping || this.#leaving) return;
          // mqtt.js reads `resubscribe` from the subscription map; its types leave the key out.
          const again = {
            ...Object.fromEntries(lane.filters.map((f) => [f, { qos: 1 as const }])),
            resubscribe: true,
          } as unknown as ISubscriptionMap;
          conn.client.subscribe(again, (err) => {
            if (err && !this.#stopping)
              this.#logger.warn({ err, clientId: lane.clientId }, 'MQTT ingest could not subscribe again');
          });
        });
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.#logger.info(
      { mode: this.mode, lanes: this.lanes.length, prefix: this.#opts.prefix },
      'MQTT ingest started',
    );
  }

  stats(): IngestStats {
    return { ...this.#stats };
  }

  async leave(): Promise<void> {
    this.#leaving = true;
    await Promise.all(
      this.#connections.map((conn, i) =>
        Promise.all(this.lanes[i]!.filters.map((filter) => conn.unsubscribe(filter))),
      ),
    );
  }

  stop(): Promise<void> {
    this.#stopped ??= this.#shutdown();
    return this.#stopped;
  }

  async #shutdown(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#flushing;
    if (this.#pending.length > 0 && !this.#sealed) await this.#flush();
    this.#sealed = true;
    // Let the acks of the last written batch reach the sockets before they are dropped.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setImmediate(resolve));
    // Dropping the sockets first means the handlers released below cannot acknowledge anything.
    for (const conn of this.#connections) conn.client.end(true);
    const abandoned = this.#pending.splice(0);
    for (const item of abandoned) item.settle();
    if (abandoned.length > 0) {
      this.#logger.warn(
        { count: abandoned.length },
        'MQTT ingest stopped with unwritten messages; left unacknowledged for redelivery',
      );
    }
    await Promise.all(this.#connections.map((conn) => conn.close()));
  }

  #receive(topic: string, payload: Buffer, lane: number): Promise<void> {
    this.#stats.received++;
    const receivedAt = this.#now();
    let settle: () => void = () => {};
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    let item: Pending<T>;
    try {
      const { record, reply } = this.#decode(topic, payload, receivedAt);
      item = { kind: 'record', record, settle, lane, ...(reply && { reply }) };
    } catch (err) {
      const { reason, message } = classify(err);
      const reply = err instanceof IngestRejection ? err.reply : undefined;
      item = {
        kind: 'rejected',
        rejected: { topic, payload: new Uint8Array(payload), reason, message, receivedAt },
        settle,
        ...(reply && { reply, lane }),
      };
    }
    this.#pending.push(item);
    this.#schedule();
    return settled;
  }

  #decode(
    topic: string,
    payload: Buffer,
    receivedAt: number,
  ): { record: IngestRecord<T>; reply: IngestReply | undefined } {
    const parsed = parseShardTopic(this.#opts.prefix, topic);
    if (!parsed) {
      throw new IngestRejection(
        'topic_layout',
        `topic ${topic} is not <${this.#opts.prefix}>/<shard>/<device>/…`,
      );
    }
    const reading = this.#opts.decode({ topic, payload, device: parsed.device, rest: parsed.rest });
    if (reading.device !== parsed.device) {
      throw new IngestRejection(
        'device_mismatch',
        `payload is from device ${JSON.stringify(reading.device)} but was published on ${topic}`,
      );
    }
    if (!Number.isSafeInteger(reading.ts) || reading.ts < 0) {
      throw new IngestRejection('bad_timestamp', `timestamp ${String(reading.ts)} is not UTC milliseconds`);
    }
    if (reading.ts > receivedAt + this.#maxFutureMs) {
      throw new IngestRejection(
        'future_timestamp',
        `timestamp ${new Date(reading.ts).toISOString()} is more than ${this.#maxFutureMs} ms ahead of this host`,
      );
    }
    const key = this.#keyOf(reading);
    if (typeof key !== 'string' || key === '') throw new IngestRejection('bad_key', 'empty dedupe key');
    const record: IngestRecord<T> = {
      key,
      device: reading.device,
      ts: reading.ts,
      interval: intervalOf(reading.ts, this.#intervalMs),
      topic,
      payload: new Uint8Array(payload),
      data: reading.data,
      receivedAt,
    };
    return { record, reply: reading.reply };
  }

  #schedule(): void {
    if (this.#scheduled || this.#flushing || this.#stopping) return;
    this.#scheduled = true;
    // One tick of gathering: every lane whose message arrived meanwhile joins the same write.
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#stopping) return;
      this.#flushing = this.#flushLoop().finally(() => {
        this.#flushing = undefined;
        if (this.#pending.length > 0) this.#schedule();
      });
    });
  }

  async #flushLoop(): Promise<void> {
    let delay = this.#opts.retryMinMs ?? 100;
    while (this.#pending.length > 0 && !this.#sealed) {
      if (await this.#flush()) {
        delay = this.#opts.retryMinMs ?? 100;
        continue;
      }
      if (this.#stopping) return;
      // stop() cuts the wait short: it makes one last attempt itself.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
      delay = Math.min(delay * 2, this.#opts.retryMaxMs ?? 5000);
    }
  }

  /** One store write of up to maxBatch pending items; false (items kept pending) when it failed. */
  async #flush(): Promise<boolean> {
    const batch = this.#pending.splice(0, this.#isolating > 0 ? 1 : this.#maxBatch);
    if (this.#isolating > 0) this.#isolating--;
    const records: IngestRecord<T>[] = [];
    const rejected: IngestRejected[] = [];
    const seen = new Set<string>();
    let sameBatchDuplicates = 0;
    for (const item of batch) {
      if (item.kind === 'rejected') rejected.push(item.rejected);
      else if (seen.has(item.record.key)) sameBatchDuplicates++;
      else {
        seen.add(item.record.key);
        records.push(item.record);
      }
    }
    let inserted: ReadonlySet<string>;
    try {
      ({ inserted } = await this.#opts.store.write(records, rejected));
    } catch (err) {
      this.#stats.writeFailures++;
      if (err instanceof IngestStoreDataError) return this.#onDataError(batch, err);
      this.#logger.error({ err, records: records.length }, 'MQTT ingest store write failed; will retry');
      this.#pending.unshift(...batch);
      return false;
    }
    this.#stats.batches++;
    this.#stats.stored += inserted.size;
    this.#stats.duplicates += records.length - inserted.size + sameBatchDuplicates;
    this.#stats.rejected += rejected.length;
    for (const r of rejected) {
      this.#logger.warn(
        { topic: r.topic, reason: r.reason, err: r.message },
        'MQTT ingest rejected a message',
      );
      try {
        this.#opts.metrics?.badInput.inc({ source: 'mqtt', reason: r.reason });
      } catch (err) {
        this.#logger.error({ err }, 'badInput counter failed');
      }
    }
    for (const item of batch) item.settle();
    this.#reply(batch);
    return true;
  }

  /**
   * Publishes the replies of written records (stored now or before) and of rejections stored with their
   * message, each on the lane it came in on.
   */
  #reply(batch: readonly Pending<T>[]): void {
    for (const item of batch) {
      if (!item.reply || item.lane === undefined) continue;
      const conn = this.#connections[item.lane];
      if (!conn || this.#sealed) continue;
      conn.publish(item.reply.topic, item.reply.payload, { qos: 1 }).catch((err: unknown) => {
        this.#logger.debug({ err, topic: item.reply?.topic }, 'MQTT ingest reply not sent');
      });
    }
  }

  #onDataError(batch: Pending<T>[], err: IngestStoreDataError): boolean {
    if (batch.length > 1) {
      this.#logger.warn(
        { err, messages: batch.length },
        'MQTT ingest store refused a batch on its data; writing its messages one by one',
      );
      this.#isolating += batch.length;
      this.#pending.unshift(...batch);
      return true;
    }
    const [item] = batch as [Pending<T>];
    if (item.kind === 'record') {
      const { topic, payload, receivedAt } = item.record;
      this.#pending.unshift({
        kind: 'rejected',
        rejected: { topic, payload, reason: 'unstorable', message: err.message, receivedAt },
        settle: item.settle,
      });
      return true;
    }
    // Not even the rejection can be stored: count it and let it go rather than stall every lane.
    this.#stats.rejected++;
    this.#logger.error(
      { err, topic: item.rejected.topic },
      'MQTT ingest could not record a rejected message',
    );
    try {
      this.#opts.metrics?.badInput.inc({ source: 'mqtt', reason: item.rejected.reason });
    } catch (metricsErr) {
      this.#logger.error({ err: metricsErr }, 'badInput counter failed');
    }
    item.settle();
    return true;
  }
}

function classify(err: unknown): { reason: string; message: string } {
  if (err instanceof IngestRejection) return { reason: err.reason, message: err.message };
  if (err instanceof MalformedPayloadError) return { reason: 'malformed_payload', message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { reason: 'invalid_payload', message };
}
