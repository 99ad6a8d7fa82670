// Start-up and reconnect behaviour of connectMqtt that needs no particular broker: unreachable
// brokers must fail fast with an actionable message, a broker that comes back must be picked up again.

import { connect, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectMqtt, MqttUnavailableError, redactUrl } from '../src/client';
import { startEmbeddedBroker } from '../src/embedded-broker';
import { captureLogger, sleep, uniquePrefix, waitFor } from './helpers';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function listenAnyPort(onConnection?: (s: import('node:net').Socket) => void): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer(onConnection);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function closedPort(): Promise<number> {
  const server = await listenAnyPort();
  const port = portOf(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function expectUnavailable(url: string, timeoutMs: number): Promise<MqttUnavailableError> {
  const started = Date.now();
  const err = await connectMqtt(url, { connectTimeoutMs: timeoutMs }).then(
    () => {
      throw new Error('connected unexpectedly');
    },
    (e: unknown) => e,
  );
  // Fails instead of retrying for good: within the timeout plus slack for a loaded machine (mqtt.js alone
  // would keep reconnecting and never reject).
  expect(Date.now() - started).toBeLessThan(timeoutMs + 10_000);
  expect(err).toBeInstanceOf(MqttUnavailableError);
  return err as MqttUnavailableError;
}

describe('connectMqtt start-up', () => {
  it('rejects for a refused port, naming the URL', async () => {
    const err = await expectUnavailable('mqtt://127.0.0.1:1', 500);
    expect(err.message).toMatch(
      /^MQTT broker at mqtt:\/\/127\.0\.0\.1:1 is unreachable: connect ECONNREFUSED .*\(check MQTT_URL\)$/,
    );
  });

  it('rejects for a port that was just closed', async () => {
    const port = await closedPort();
    const err = await expectUnavailable(`mqtt://127.0.0.1:${port}`, 500);
    expect(err.message).toContain(`mqtt://127.0.0.1:${port} is unreachable: connect ECONNREFUSED`);
  });

  it('rejects when the server accepts TCP but never answers CONNECT', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const silent = await listenAnyPort((s) => void sockets.add(s));
    cleanups.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const err = await expectUnavailable(`mqtt://127.0.0.1:${portOf(silent)}`, 300);
    expect(err.message).toMatch(
      /is unreachable: (connack timeout|no CONNACK within 300 ms) \(check MQTT_URL\)$/,
    );
  });

  it('rejects at once when the broker refuses the CONNECT', async () => {
    // CONNACK with return code 5 (not authorized), as a broker with auth enabled would send.
    const refusing = await listenAnyPort((s) => {
      s.once('data', () => s.end(Buffer.from([0x20, 0x02, 0x00, 0x05])));
    });
    cleanups.push(() => new Promise<void>((resolve) => refusing.close(() => resolve())));
    const started = Date.now();
    // At once: long before the 30 s connect timeout, even on a loaded machine.
    const err = await expectUnavailable(`mqtt://127.0.0.1:${portOf(refusing)}`, 30_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(err.message).toMatch(
      /refused the connection: Connection refused: Not authorized \(check MQTT_URL\)$/,
    );
  });

  it("waits for a broker that answers CONNECT seconds late, as a busy process's own broker does", async () => {
    // A broker in the same process answers only when the event loop runs: starting the whole suite on a
    // loaded machine, 5 s went by without a CONNACK. The default limit outlasts such a stall.
    const sockets = new Set<import('node:net').Socket>();
    const slow = await listenAnyPort((s) => {
      sockets.add(s);
      s.once('data', () => setTimeout(() => s.write(Buffer.from([0x20, 0x02, 0x00, 0x00])), 7_000));
    });
    cleanups.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    });
    const started = Date.now();
    const connection = await connectMqtt(`mqtt://127.0.0.1:${portOf(slow)}`, { reconnectPeriodMs: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(6_900);
    expect(connection.client.connected).toBe(true);
    connection.client.end(true);
  }, 30_000);

  it('redacts the password in the error', async () => {
    const err = await expectUnavailable('mqtt://gateway:s3cret@127.0.0.1:1', 300);
    expect(err.message).toContain('mqtt://gateway:***@127.0.0.1:1');
    expect(err.message).not.toContain('s3cret');
  });

  it('leaves no retry timers or sockets behind after rejecting', async () => {
    await expectUnavailable('mqtt://127.0.0.1:1', 300);
    const count = () =>
      process.getActiveResourcesInfo().filter((k) => k === 'Timeout' || k === 'TCPSocketWrap').length;
    const before = count();
    await expectUnavailable('mqtt://127.0.0.1:1', 300);
    await sleep(50);
    expect(count()).toBe(before);
  });

  it('rejects a URL that is not MQTT', async () => {
    await expect(connectMqtt('http://127.0.0.1:1883')).rejects.toThrow(
      /^MQTT broker at http:\/\/127\.0\.0\.1:1883 is unusable: expected an mqtt:\/\/.*\(check MQTT_URL\)$/,
    );
    await expect(connectMqtt('127.0.0.1:1883')).rejects.toBeInstanceOf(MqttUnavailableError);
  });

  it('refuses a persistent session without a fixed clientId', async () => {
    await expect(connectMqtt('mqtt://127.0.0.1:1', { clean: false })).rejects.toThrow(TypeError);
  });
});

describe('connectMqtt after start-up', () => {
  it('reconnects and resubscribes when the broker comes back', async () => {
    const first = await startEmbeddedBroker();
    const logger = captureLogger();
    const topic = `${uniquePrefix()}/back`;
    const got: string[] = [];
    const conn = await connectMqtt(first.url, { reconnectPeriodMs: 50, logger });
    cleanups.push(() => conn.close());
    await conn.subscribe(topic, (_t, p) => void got.push(p.toString()));

    await first.close();
    await waitFor(() => !conn.client.connected, 'the disconnect');
    const second = await startEmbeddedBroker({ port: first.port });
    cleanups.push(() => second.close());
    await waitFor(() => conn.client.connected, 'the reconnect');

    // The new broker knows nothing of the old session, so this only arrives if mqtt.js re-sent the
    // SUBSCRIBE; retained, because that SUBSCRIBE may land after the publish.
    const pub = await connectMqtt(second.url);
    cleanups.push(() => pub.close());
    await pub.publish(topic, 'again', { retain: true });
    await waitFor(() => got.length === 1, 'delivery after reconnect');
    expect(got).toEqual(['again']);
    expect(logger.entries.some((e) => e.msg === 'MQTT reconnected')).toBe(true);
  });
});

describe('connectMqtt start-up subscriptions', () => {
  it('subscribes again when the connection closes before the SUBACK, instead of failing', async () => {
    const broker = await startEmbeddedBroker();
    cleanups.push(() => broker.close());
    // A proxy that cuts the first connection as its first packet after the CONNACK (the SUBSCRIBE)
    // arrives, as a broker restarting or ending a taken-over session does.
    let connections = 0;
    const proxy = await listenAnyPort((client) => {
      const first = ++connections === 1;
      const upstream = connect(broker.port, '127.0.0.1');
      let connacked = false;
      upstream.on('data', (chunk) => {
        connacked = true;
        client.write(chunk);
      });
      client.on('data', (chunk) => {
        if (first && connacked) {
          client.destroy();
          upstream.destroy();
          return;
        }
        upstream.write(chunk);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.on('error', () => {});
      upstream.on('error', () => {});
    });
    cleanups.push(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
    const topic = `${uniquePrefix()}/start`;
    const got: string[] = [];
    const conn = await connectMqtt(`mqtt://127.0.0.1:${portOf(proxy)}`, {
      reconnectPeriodMs: 50,
      connectTimeoutMs: 10_000,
      subscriptions: [{ topicFilter: topic, handler: (_t, p) => void got.push(p.toString()) }],
    });
    cleanups.push(() => conn.close());
    expect(connections).toBeGreaterThanOrEqual(2);
    const pub = await connectMqtt(broker.url);
    cleanups.push(() => pub.close());
    await pub.publish(topic, 'after the cut', { qos: 1 });
    await waitFor(() => got.length === 1, 'delivery on the subscription made again');
    expect(got).toEqual(['after the cut']);
  });
});

describe('connectMqtt reporting', () => {
  it('reports unroutable messages and survives a throwing onError callback', async () => {
    const broker = await startEmbeddedBroker();
    cleanups.push(() => broker.close());
    const topic = `${uniquePrefix()}/report`;
    const kinds: string[] = [];
    const handled: string[] = [];
    const logger = captureLogger();
    const conn = await connectMqtt(broker.url, {
      logger,
      onError: (kind) => {
        kinds.push(kind);
        throw new Error('metrics down');
      },
    });
    cleanups.push(() => conn.close());
    // Subscribed behind the helper's back, so no handler matches.
    await conn.client.subscribeAsync(`${topic}/raw`, { qos: 1 });
    await conn.subscribe(`${topic}/ok`, (_t, p) => {
      if (p.toString() === 'bad') throw new Error('boom');
      handled.push(p.toString());
    });
    await conn.publish(`${topic}/raw`, 'nobody');
    await conn.publish(`${topic}/ok`, 'bad');
    await conn.publish(`${topic}/ok`, 'good');
    await waitFor(() => handled.length === 1, 'the good message');
    expect(kinds).toEqual(['no_handler', 'handler_error']);
    expect(logger.entries.filter((e) => e.msg === 'MQTT onError callback failed')).toHaveLength(2);
  });
});

describe('redactUrl', () => {
  it('hides only the password', () => {
    expect(redactUrl('mqtts://user:pa%40ss@broker:8883')).toBe('mqtts://user:***@broker:8883');
    expect(redactUrl('mqtt://127.0.0.1:1883')).toBe('mqtt://127.0.0.1:1883');
    expect(redactUrl('not a url://u:p@h')).not.toContain(':p@');
  });
});
