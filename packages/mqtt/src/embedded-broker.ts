// In-process MQTT broker (aedes over a plain TCP server) for the "embedded default": no broker
// installed, state in memory only. It must never assume a fixed port is free (a real Mosquitto may
// own 1883) and close() must leave no sockets, servers or timers behind.

import type { EventEmitter } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import { defaultLogger, type LoggerLike } from './logger';
import { installSharedSubscriptions } from './shared-subscriptions';

export interface EmbeddedBrokerOptions {
  /** Interface to listen on. Default 127.0.0.1: the embedded broker is for this machine only. */
  host?: string;
  /** 0 (the default) lets the OS pick a free port. */
  port?: number;
  logger?: LoggerLike;
}

export interface EmbeddedBroker {
  /** mqtt://<host>:<port>, ready to hand to connectMqtt. */
  url: string;
  port: number;
  close(): Promise<void>;
}

// URLs of the embedded brokers running in this process, so ingest can tell it is talking to one (its
// `$share` does not queue for offline members; see isEmbeddedBroker).
const runningUrls = new Set<string>();

/** True when `url` is an embedded broker started in this process and not closed yet. */
export function isEmbeddedBroker(url: string): boolean {
  return runningUrls.has(url);
}

// Gateways identify themselves with ids like "gongxin-parking-gate-0042"; aedes' default cap of 23
// (the MQTT 3.1.1 minimum) would reject them although Mosquitto accepts them.
const MAX_CLIENT_ID_LENGTH = 256;

export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = opts.host ?? '127.0.0.1';
  const logger = opts.logger ?? defaultLogger;
  // The default in-memory persistence (aedes-persistence) queues QoS >= 1 messages for offline
  // clean:false sessions, which is what persistent subscribers rely on.
  const aedes = await Aedes.createBroker({ maxClientsIdLength: MAX_CLIENT_ID_LENGTH });
  installSharedSubscriptions(aedes, logger);
  // Without a listener an 'error' (e.g. a persistence failure) would crash the host process;
  // aedes' typings omit that event, hence the plain EventEmitter view.
  const events: EventEmitter = aedes;
  events.on('error', (err: Error) => logger.error({ err }, 'Embedded MQTT broker error'));
  aedes.on('clientError', (client, err) => logger.debug({ err, clientId: client.id }, 'MQTT client error'));
  aedes.on('connectionError', (_client, err) => logger.debug({ err }, 'MQTT connection error'));

  // Sockets that never sent CONNECT are unknown to aedes.close(); track them all so close() can end them.
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    const reason = (err as Error).message;
    throw new Error(`Embedded MQTT broker cannot listen on ${host}:${opts.port ?? 0}: ${reason}`, {
      cause: err,
    });
  }
  server.on('error', (err) => logger.error({ err }, 'Embedded MQTT broker server error'));

  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('Embedded MQTT broker has no TCP address');
  const port = address.port;
  const url = `mqtt://${urlHost(host)}:${port}`;
  logger.debug({ url }, 'Embedded MQTT broker listening');
  runningUrls.add(url);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      runningUrls.delete(url);
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await serverClosed;
      logger.debug({ url }, 'Embedded MQTT broker closed');
    })();
    return closing;
  };

  return { url, port, close };
}

// Wildcard listen addresses are not connectable; clients on this machine use loopback instead.
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
