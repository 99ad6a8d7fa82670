// The embedded broker's own guarantees: never a fixed port, several at once, and a close() that
// leaves nothing behind.

import { createServer, type Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectMqtt } from '../src/client';
import { type EmbeddedBroker, startEmbeddedBroker } from '../src/embedded-broker';
import { resolveBroker } from '../src/resolve-broker';
import { captureLogger, sleep, uniqueId, uniquePrefix, waitFor } from './helpers';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

// Handles that would keep the process alive; other resource kinds come and go with vitest itself.
function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind === 'TCPServerWrap' || kind === 'TCPSocketWrap' || kind === 'Timeout')
      counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

describe('startEmbeddedBroker', () => {
  it('picks a free port by default, even while 1883 is taken', async () => {
    // Mosquitto may already hold 1883; either way it is busy for the duration of the test.
    const squatter = await listen(1883).catch(() => null);
    if (squatter) cleanups.push(() => closeServer(squatter));
    const broker = await startEmbeddedBroker();
    cleanups.push(() => broker.close());
    expect(broker.port).toBeGreaterThan(0);
    expect(broker.port).not.toBe(1883);
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
    const conn = await connectMqtt(broker.url);
    cleanups.push(() => conn.close());
    expect(conn.client.connected).toBe(true);
  });

  it('runs two brokers side by side without crosstalk', async () => {
    const a = await startEmbeddedBroker();
    cleanups.push(() => a.close());
    const b = await startEmbeddedBroker();
    cleanups.push(() => b.close());
    expect(a.port).not.toBe(b.port);

    const topic = `${uniquePrefix()}/x`;
    const got: Record<string, string[]> = { a: [], b: [] };
    for (const [name, broker] of [
      ['a', a],
      ['b', b],
    ] as const) {
      const conn = await connectMqtt(broker.url);
      cleanups.push(() => conn.close());
      await conn.subscribe(topic, (_t, p) => void got[name]?.push(p.toString()));
      await conn.publish(topic, `from-${name}`);
    }
    await waitFor(() => got['a']?.length === 1 && got['b']?.length === 1, 'one message per broker');
    await sleep(50);
    expect(got).toEqual({ a: ['from-a'], b: ['from-b'] });
  });

  it('rejects a busy explicit port with a clear error', async () => {
    const squatter = await listen(0);
    cleanups.push(() => closeServer(squatter));
    const address = squatter.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const before = handleCounts();
    await expect(startEmbeddedBroker({ port: address.port })).rejects.toThrow(
      new RegExp(`cannot listen on 127\\.0\\.0\\.1:${address.port}: .*EADDRINUSE`),
    );
    expect(handleCounts()).toEqual(before);
  });

  it('accepts client ids longer than 23 characters', async () => {
    const broker = await startEmbeddedBroker();
    cleanups.push(() => broker.close());
    const conn = await connectMqtt(broker.url, { clientId: `gongxin-parking-gate-0042-${uniqueId('x')}` });
    cleanups.push(() => conn.close());
    expect(conn.client.connected).toBe(true);
  });

  it('close() frees the port and leaves no handles, including pre-CONNECT sockets', async () => {
    // Handles closed by earlier tests leave the list a little later on a loaded machine: start from a
    // count that holds still.
    let before = handleCounts();
    for (let i = 0; i < 50; i++) {
      await sleep(50);
      const now = handleCounts();
      if (JSON.stringify(now) === JSON.stringify(before)) break;
      before = now;
    }
    const broker: EmbeddedBroker = await startEmbeddedBroker();
    const conn = await connectMqtt(broker.url, { reconnectPeriodMs: 50, logger: captureLogger() });
    await conn.subscribe(`${uniquePrefix()}/x`, () => {});
    const raw = new Socket();
    const rawClosed = new Promise<void>((resolve) => raw.once('close', () => resolve()));
    raw.on('error', () => {});
    await new Promise<void>((resolve) => raw.connect(broker.port, '127.0.0.1', resolve));

    await broker.close();
    await broker.close(); // idempotent
    await rawClosed;
    await conn.close();

    const again = await listen(broker.port);
    await closeServer(again);
    // A handle the broker leaked never leaves; one that is closing leaves within moments.
    // (A plain loop: vi.waitFor's own timers would count as handles.)
    let after = handleCounts();
    for (let i = 0; i < 100 && JSON.stringify(after) !== JSON.stringify(before); i++) {
      await sleep(50);
      after = handleCounts();
    }
    expect(after).toEqual(before);
  });
});

describe('resolveBroker', () => {
  it('starts an embedded broker when no URL is configured', async () => {
    for (const mqttUrl of [undefined, '', '  ']) {
      const resolved = await resolveBroker({ mqttUrl });
      cleanups.push(() => resolved.close());
      expect(resolved.embedded).not.toBeNull();
      expect(resolved.url).toBe(resolved.embedded?.url);
      const conn = await connectMqtt(resolved.url);
      cleanups.push(() => conn.close());
    }
  });

  it('uses the configured URL as is', async () => {
    const resolved = await resolveBroker({ mqttUrl: 'mqtt://broker.example:1883' });
    expect(resolved).toMatchObject({ url: 'mqtt://broker.example:1883', embedded: null });
    await resolved.close();
  });
});
