// MQTT client helpers on mqtt.js: a connection that fails fast at start-up, reconnects after it,
// and routes incoming messages to per-filter handlers. A handler failure must never crash the
// process or stall the subscription; start-up must never retry forever.

import { connect, type IPublishPacket, type MqttClient } from 'mqtt';
import { defaultLogger, type LoggerLike } from './logger';
import { topicMatches } from './topic';

export type QoS = 0 | 1 | 2;

export type MessageHandler = (topic: string, payload: Buffer, packet: IPublishPacket) => void | Promise<void>;

/** What went wrong, for the caller's metrics (e.g. a prom-client counter labelled by kind). */
export type MqttErrorKind = 'handler_error' | 'malformed_payload' | 'no_handler' | 'connection_error';

export interface SubscriptionSpec {
  topicFilter: string;
  handler: MessageHandler;
  qos?: QoS;
}

/**
 * The first connect's default limit. Not a few seconds: a process that starts the whole suite (chain,
 * demo data of every app, its device ingest) on a busy 2-core machine can hold its event loop for
 * seconds at a time, and an in-process broker answers CONNECT only when the loop runs; with 5 s the
 * suite failed to start at a load average of 12 ("connack timeout"). A broker that is not there (a
 * refused port: it may be starting too, so it is asked again) fails after this long, naming why.
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;

export interface ConnectMqttOptions {
  clientId?: string;
  /** false keeps the session (subscriptions, queued QoS >= 1 messages) while offline; needs a fixed clientId. */
  clean?: boolean;
  /**
   * How long the first connect may take (retries included) before connectMqtt rejects. Default
   * DEFAULT_CONNECT_TIMEOUT_MS.
   */
  connectTimeoutMs?: number;
  /** Delay between reconnect attempts. Default 1000; 0 disables reconnecting. */
  reconnectPeriodMs?: number;
  /** How long close() waits for in-flight publishes and handlers. Default 5000. */
  closeTimeoutMs?: number;
  username?: string;
  password?: string;
  logger?: LoggerLike;
  onError?: (kind: MqttErrorKind) => void;
  /**
   * Handlers registered before the connection opens. A resumed persistent session delivers its
   * queued messages right after CONNACK, before a later subscribe() could attach a handler.
   */
  subscriptions?: readonly SubscriptionSpec[];
}

export interface PublishOptions {
  qos?: QoS;
  retain?: boolean;
}

export interface MqttConnection {
  /** The raw mqtt.js client, for advanced use. */
  readonly client: MqttClient;
  /** Broker URL with any password redacted, safe to log. */
  readonly url: string;
  /** Resolves once the broker has the message (PUBACK for QoS 1, PUBCOMP for QoS 2, written for QoS 0). */
  publish(topic: string, payload: string | Uint8Array, opts?: PublishOptions): Promise<void>;
  subscribe(topicFilter: string, handler: MessageHandler, opts?: { qos?: QoS }): Promise<void>;
  /** Without a handler, drops every handler of the filter; the broker subscription ends with the last one. */
  unsubscribe(topicFilter: string, handler?: MessageHandler): Promise<void>;
  /** Waits (bounded) for in-flight publishes and the running handler, then disconnects. */
  close(): Promise<void>;
}

/** The broker could not be reached (or refused us) when connecting at start-up. */
export class MqttUnavailableError extends Error {
  override readonly name = 'MqttUnavailableError';
}

/** Throw from a handler to have a bad payload counted as `malformed_payload` instead of `handler_error`. */
export class MalformedPayloadError extends Error {
  override readonly name = 'MalformedPayloadError';
}

/** The URL with its password replaced by `***`, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

const SUPPORTED_PROTOCOLS = new Set(['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:']);

let closedSubscribes = 0;
let guardLogger: LoggerLike | undefined;

/**
 * A subscription cut short by its connection closing (broker restarting or stopping before the SUBACK)
 * can leave a promise inside mqtt.js (5.x) rejected with no handler: an `ErrorWithSubackPacket`
 * "Connection closed". Node would end the process for it, though nothing was lost (the subscription is
 * made again on reconnect). Installed once per process by `connectMqtt`: such rejections are logged and
 * counted; any other unhandled rejection is thrown again and ends the process as it would have.
 */
export function guardClosedSubscribes(logger: LoggerLike = defaultLogger): void {
  if (guardLogger) return;
  guardLogger = logger;
  process.on('unhandledRejection', (reason) => {
    if (
      reason instanceof Error &&
      reason.name === 'ErrorWithSubackPacket' &&
      /^(Connection closed|client disconnecting)/.test(reason.message)
    ) {
      closedSubscribes++;
      guardLogger?.warn(
        { err: reason, closedSubscribes },
        'MQTT subscription cut short by its connection closing: it is made again on reconnect',
      );
      return;
    }
    throw reason;
  });
}

/** Subscriptions cut short by a closing connection whose rejection mqtt.js left unhandled. */
export function closedSubscribeCount(): number {
  return closedSubscribes;
}

export async function connectMqtt(url: string, opts: ConnectMqttOptions = {}): Promise<MqttConnection> {
  guardClosedSubscribes(opts.logger);
  const safeUrl = redactUrl(url);
  if (opts.clean === false && !opts.clientId) {
    throw new TypeError(
      'connectMqtt: clean: false needs a fixed clientId, or the session is lost on reconnect',
    );
  }
  const protocol = URL.canParse(url) ? new URL(url).protocol : '';
  if (!SUPPORTED_PROTOCOLS.has(protocol)) {
    // mqtt.js would otherwise try something anyway and fail with a misleading timeout.
    throw new MqttUnavailableError(
      `MQTT broker at ${safeUrl} is unusable: expected an mqtt://, mqtts://, ws:// or wss:// URL (check MQTT_URL)`,
    );
  }
  const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const client = connect(url, {
    clientId: opts.clientId,
    clean: opts.clean ?? true,
    connectTimeout: connectTimeoutMs,
    reconnectPeriod: opts.reconnectPeriodMs ?? 1000,
    // After start-up a broker that refuses us (restarting, auth backend down) is retried, not abandoned.
    reconnectOnConnackError: true,
    username: opts.username,
    password: opts.password,
  });

  const connection = new Connection(client, safeUrl, opts);
  await waitForFirstConnack(client, safeUrl, connectTimeoutMs);
  connection.markStarted();
  try {
    await subscribeAtStart(connection, opts.subscriptions ?? [], Date.now() + connectTimeoutMs);
  } catch (err) {
    await connection.close();
    throw err;
  }
  return connection;
}

/**
 * The start-up subscriptions. A connection that closes before the broker's SUBACK (a broker restarting,
 * or ending the old session of a client id taken over by a restarted process) is not a failure: once the
 * client has reconnected by itself they are asked for again, until the connect timeout. A refusal on a
 * live connection fails at once.
 */
async function subscribeAtStart(
  connection: Connection,
  subscriptions: NonNullable<ConnectMqttOptions['subscriptions']>,
  deadline: number,
): Promise<void> {
  for (;;) {
    try {
      await Promise.all(subscriptions.map((s) => connection.subscribe(s.topicFilter, s.handler, s)));
      return;
    } catch (err) {
      const left = deadline - Date.now();
      if (connection.client.connected || left <= 0) throw err;
      await new Promise<void>((resolve, reject) => {
        const onConnect = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          connection.client.off('connect', onConnect);
          reject(err);
        }, left);
        connection.client.once('connect', onConnect);
      });
    }
  }
}

function waitForFirstConnack(client: MqttClient, safeUrl: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let lastError: Error | undefined;
    const cleanup = (): void => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', onError);
    };
    const fail = (reason: string): void => {
      cleanup();
      client.end(true);
      reject(
        new MqttUnavailableError(`MQTT broker at ${safeUrl} ${reason} (check MQTT_URL)`, {
          cause: lastError,
        }),
      );
    };
    const onConnect = (): void => {
      cleanup();
      resolve();
    };
    const onError = (err: Error & { code?: unknown }): void => {
      lastError = err;
      // A numeric code is a CONNACK refusal (bad credentials, not authorized): retrying won't help.
      if (typeof err.code === 'number') fail(`refused the connection: ${err.message}`);
    };
    const timer = setTimeout(
      () =>
        fail(
          lastError
            ? `is unreachable: ${lastError.message}`
            : `is unreachable: no CONNACK within ${timeoutMs} ms`,
        ),
      timeoutMs,
    );
    client.on('connect', onConnect);
    client.on('error', onError);
  });
}

interface FilterEntry {
  handlers: Set<MessageHandler>;
  /** QoS requested from the broker; null until the first SUBSCRIBE. */
  qos: QoS | null;
  subscribed: Promise<void>;
}

class Connection implements MqttConnection {
  readonly client: MqttClient;
  readonly url: string;
  readonly #logger: LoggerLike;
  readonly #onError: (kind: MqttErrorKind) => void;
  readonly #closeTimeoutMs: number;
  readonly #filters = new Map<string, FilterEntry>();
  readonly #inflight = new Set<Promise<void>>();
  #dispatching: Promise<void> = Promise.resolve();
  #started = false;
  #closing: Promise<void> | undefined;

  constructor(client: MqttClient, url: string, opts: ConnectMqttOptions) {
    this.client = client;
    this.url = url;
    this.#logger = opts.logger ?? defaultLogger;
    this.#onError = opts.onError ?? (() => {});
    this.#closeTimeoutMs = opts.closeTimeoutMs ?? 5000;
    for (const s of opts.subscriptions ?? []) this.#addHandler(s.topicFilter, s.handler);

    // mqtt.js sends the PUBACK only after this callback: a message counts as handled once its
    // handlers have finished, and messages are processed one at a time, in order.
    client.handleMessage = (packet, done) => {
      this.#dispatching = this.#dispatch(packet).catch((err: unknown) => {
        this.#logger.error({ err, topic: packet.topic }, 'MQTT dispatch failed');
      });
      void this.#dispatching.then(() => done());
    };
    // mqtt.js emits 'error' for every failed (re)connect; an unhandled 'error' event would throw.
    client.on('error', (err) => {
      if (!this.#started) return;
      if (this.#closing) {
        // A late PUBACK can hit the ended stream; the broker simply redelivers that message.
        this.#logger.debug({ err, url: this.url }, 'MQTT error while closing');
        return;
      }
      this.#logger.warn({ err, url: this.url }, 'MQTT connection error');
      this.#report('connection_error');
    });
    client.on('offline', () => {
      if (this.#started && !this.#closing)
        this.#logger.warn({ url: this.url }, 'MQTT broker offline; reconnecting');
    });
    client.on('connect', () => {
      if (this.#started) this.#logger.info({ url: this.url }, 'MQTT reconnected');
    });
  }

  markStarted(): void {
    this.#started = true;
    this.#logger.debug({ url: this.url, clientId: this.client.options.clientId }, 'MQTT connected');
  }

  publish(topic: string, payload: string | Uint8Array, opts: PublishOptions = {}): Promise<void> {
    if (this.#closing) return Promise.reject(new Error(`MQTT connection to ${this.url} is closed`));
    const body =
      typeof payload === 'string'
        ? payload
        : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    const sent = new Promise<void>((resolve, reject) => {
      this.client.publish(topic, body, { qos: opts.qos ?? 1, retain: opts.retain ?? false }, (err) =>
        err ? reject(err) : resolve(),
      );
    });
    this.#inflight.add(sent);
    const untrack = (): void => {
      this.#inflight.delete(sent);
    };
    sent.then(untrack, untrack);
    return sent;
  }

  async subscribe(topicFilter: string, handler: MessageHandler, opts: { qos?: QoS } = {}): Promise<void> {
    const qos = opts.qos ?? 1;
    const entry = this.#addHandler(topicFilter, handler);
    // Re-subscribing an existing filter would make the broker resend retained messages, so only
    // a new filter or a higher QoS goes to the broker.
    if (entry.qos !== null && entry.qos >= qos) return entry.subscribed;
    const previousQos = entry.qos;
    entry.qos = qos;
    entry.subscribed = this.client.subscribeAsync(topicFilter, { qos }).then(() => {});
    try {
      await entry.subscribed;
    } catch (err) {
      entry.qos = previousQos;
      entry.subscribed = Promise.resolve();
      // Closed before its SUBACK, the filter is asked for again on the next subscribe; its handler stays,
      // for a persistent session's queued messages may arrive right after the next CONNACK. A refusal
      // on a live connection takes the handler back.
      if (this.client.connected) {
        entry.handlers.delete(handler);
        if (entry.handlers.size === 0) this.#filters.delete(topicFilter);
      }
      throw err;
    }
  }

  async unsubscribe(topicFilter: string, handler?: MessageHandler): Promise<void> {
    const entry = this.#filters.get(topicFilter);
    if (!entry) return;
    if (handler) entry.handlers.delete(handler);
    else entry.handlers.clear();
    if (entry.handlers.size > 0) return;
    this.#filters.delete(topicFilter);
    await this.client.unsubscribeAsync(topicFilter);
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    const drained = Promise.allSettled([...this.#inflight, this.#dispatching]);
    if (!(await withTimeout(drained, this.#closeTimeoutMs))) {
      this.#logger.warn(
        { url: this.url, inflight: this.#inflight.size },
        'MQTT close: gave up waiting for in-flight work',
      );
    }
    // A graceful end sends DISCONNECT, which needs a live connection; otherwise just drop the socket.
    const graceful =
      this.client.connected && (await withTimeout(this.client.endAsync(false), this.#closeTimeoutMs));
    if (!graceful) this.client.end(true);
  }

  // The caller's metrics callback must not be able to stall message processing.
  #report(kind: MqttErrorKind): void {
    try {
      this.#onError(kind);
    } catch (err) {
      this.#logger.error({ err, kind }, 'MQTT onError callback failed');
    }
  }

  #addHandler(topicFilter: string, handler: MessageHandler): FilterEntry {
    let entry = this.#filters.get(topicFilter);
    if (!entry) {
      entry = { handlers: new Set(), qos: null, subscribed: Promise.resolve() };
      this.#filters.set(topicFilter, entry);
    }
    entry.handlers.add(handler);
    return entry;
  }

  async #dispatch(packet: IPublishPacket): Promise<void> {
    const { topic } = packet;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const handlers: MessageHandler[] = [];
    for (const [filter, entry] of this.#filters) {
      if (topicMatches(filter, topic)) handlers.push(...entry.handlers);
    }
    if (handlers.length === 0) {
      this.#logger.warn({ topic, url: this.url }, 'MQTT message matched no handler; dropped');
      this.#report('no_handler');
      return;
    }
    for (const handler of handlers) {
      try {
        await handler(topic, payload, packet);
      } catch (err) {
        if (err instanceof MalformedPayloadError) {
          this.#logger.warn({ err, topic }, 'Malformed MQTT payload dropped');
          this.#report('malformed_payload');
        } else {
          this.#logger.error({ err, topic }, 'MQTT message handler failed');
          this.#report('handler_error');
        }
      }
    }
  }
}

/** True if `promise` settled within `ms`; never rejects. */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Removes the broker's persistent session of `clientId` (its subscriptions and queued messages): connects
 * with a clean session under that id, which discards the stored one, and disconnects. Whatever was
 * queued for it is gone, so drain it first. A client connected under the id is taken over.
 */
export async function removeSession(
  url: string,
  clientId: string,
  opts: Pick<ConnectMqttOptions, 'username' | 'password' | 'connectTimeoutMs' | 'logger'> = {},
): Promise<void> {
  const connection = await connectMqtt(url, { ...opts, clientId, clean: true, reconnectPeriodMs: 0 });
  await connection.close();
}
