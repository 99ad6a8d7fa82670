// The behaviour the suite relies on, run identically against the embedded broker and, when
// TEST_MQTT_URL is set, a real one. An unreachable TEST_MQTT_URL must fail these tests, never skip them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectMqttOptions,
  connectMqtt,
  MalformedPayloadError,
  type MqttConnection,
} from '../src/client';
import { brokerCases, captureLogger, sleep, uniqueId, uniquePrefix, waitFor } from './helpers';

describe.each(brokerCases().map((c) => [c.name, c] as const))('%s broker', (_name, brokerCase) => {
  let url = '';
  let closeBroker: () => Promise<void> = async () => {};
  const prefix = uniquePrefix();
  const open: MqttConnection[] = [];

  const connect = async (opts: ConnectMqttOptions = {}): Promise<MqttConnection> => {
    const conn = await connectMqtt(url, { connectTimeoutMs: 2000, ...opts });
    open.push(conn);
    return conn;
  };

  beforeAll(async () => {
    const broker = await brokerCase.start();
    url = broker.url;
    closeBroker = () => broker.close();
  });

  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await closeBroker();
  });

  it('is reachable', async () => {
    const conn = await connect();
    expect(conn.client.connected).toBe(true);
  });

  it('delivers a QoS 1 publish to a subscriber', async () => {
    const topic = `${prefix}/qos1/meter-1`;
    const got: { topic: string; payload: string; qos: number }[] = [];
    const sub = await connect();
    await sub.subscribe(topic, (t, payload, packet) => {
      got.push({ topic: t, payload: payload.toString(), qos: packet.qos });
    });
    const pub = await connect();
    await pub.publish(topic, '{"kwh":1.5}');
    await pub.publish(topic, new TextEncoder().encode('bytes'), { qos: 1 });
    await waitFor(() => got.length === 2, 'two messages');
    expect(got).toEqual([
      { topic, payload: '{"kwh":1.5}', qos: 1 },
      { topic, payload: 'bytes', qos: 1 },
    ]);
  });

  it('routes wildcard subscriptions to the matching handlers only', async () => {
    const base = `${prefix}/wild`;
    const readings: string[] = [];
    const everything: string[] = [];
    const a = await connect();
    await a.subscribe(`${base}/+/reading`, (t) => {
      readings.push(t);
    });
    const b = await connect();
    await b.subscribe(`${base}/#`, (t) => {
      everything.push(t);
    });
    const pub = await connect();
    const topics = [
      `${base}/m1/reading`,
      `${base}/m2/status`,
      `${base}/m3/reading`,
      `${base}/m4/reading/extra`,
    ];
    for (const t of topics) await pub.publish(t, 'x');
    await waitFor(() => everything.length === topics.length, 'all messages on the # subscriber');
    await waitFor(() => readings.length === 2, 'two readings');
    expect(readings).toEqual([`${base}/m1/reading`, `${base}/m3/reading`]);
    expect(everything).toEqual(topics);
  });

  it('queues QoS 1 messages for a persistent session while it is offline', async () => {
    const clientId = uniqueId('ps');
    const topic = `${prefix}/persistent/gate-7`;
    const n = 5;
    const first: string[] = [];
    const second: string[] = [];
    const pub = await connect();
    const session = { clientId, clean: false } as const;
    let back: MqttConnection | undefined;
    try {
      const sub = await connectMqtt(url, {
        ...session,
        subscriptions: [{ topicFilter: topic, handler: (_t, p) => void first.push(p.toString()), qos: 1 }],
      });
      await pub.publish(topic, 'online');
      await waitFor(() => first.length === 1, 'the online message');
      await sub.close();

      const missed = Array.from({ length: n }, (_, i) => `missed-${i}`);
      for (const m of missed) await pub.publish(topic, m);

      back = await connectMqtt(url, {
        ...session,
        subscriptions: [{ topicFilter: topic, handler: (_t, p) => void second.push(p.toString()), qos: 1 }],
      });
      expect(back.client.connected).toBe(true);
      await waitFor(() => second.length >= n, `${n} queued messages`);
      await sleep(100); // anything beyond n would be a duplicate
      expect(first).toEqual(['online']);
      expect(second).toEqual(missed);
    } finally {
      await back?.close();
      // A clean connect discards the session, so the shared broker keeps no queue for it.
      const wipe = await connectMqtt(url, { clientId, clean: true, connectTimeoutMs: 2000 });
      await wipe.close();
    }
  });

  it('spreads a shared subscription over its members without loss or duplication', async () => {
    const base = `${prefix}/shared`;
    const filter = `$share/${uniqueId('grp')}/${base}/+`;
    const byA: string[] = [];
    const byB: string[] = [];
    const a = await connect();
    await a.subscribe(filter, (_t, p) => void byA.push(p.toString()));
    const b = await connect();
    await b.subscribe(filter, (_t, p) => void byB.push(p.toString()));
    const pub = await connect();
    const sent = Array.from({ length: 20 }, (_, i) => `reading-${String(i).padStart(2, '0')}`);
    for (const m of sent) await pub.publish(`${base}/meter`, m);
    await waitFor(() => byA.length + byB.length >= sent.length, 'all shared messages');
    await sleep(100); // give duplicates a chance to show up
    expect([...byA, ...byB].sort()).toEqual(sent);
    expect(byA.length).toBeGreaterThan(0);
    expect(byB.length).toBeGreaterThan(0);
  });

  it('keeps a shared group delivering when a member leaves, including a persistent member', async () => {
    const base = `${prefix}/shared-leave`;
    const filter = `$share/${uniqueId('grp')}/${base}/#`;
    const clientId = uniqueId('sh');
    const byA: string[] = [];
    const byB: string[] = [];
    const logger = captureLogger();
    let a: MqttConnection | undefined;
    try {
      // A persistent member must be served like any other, without being disconnected.
      a = await connectMqtt(url, {
        clientId,
        clean: false,
        logger,
        subscriptions: [{ topicFilter: filter, handler: (_t, p) => void byA.push(p.toString()) }],
      });
      const b = await connect();
      await b.subscribe(filter, (_t, p) => void byB.push(p.toString()));
      const pub = await connect();
      for (let i = 0; i < 6; i++) await pub.publish(`${base}/m`, `both-${i}`);
      await waitFor(() => byA.length + byB.length === 6, 'messages shared by both');
      await b.unsubscribe(filter);
      for (let i = 0; i < 4; i++) await pub.publish(`${base}/m`, `alone-${i}`);
      await waitFor(
        () => byA.filter((m) => m.startsWith('alone')).length === 4,
        'messages for the remaining member',
      );
      await sleep(100);
      expect(byB.every((m) => m.startsWith('both'))).toBe(true);
      expect(byA.length + byB.length).toBe(10);
      expect(a.client.connected).toBe(true);
      expect(logger.entries.filter((e) => e.level === 'warn' || e.level === 'error')).toEqual([]);
    } finally {
      await a?.close();
      const wipe = await connectMqtt(url, { clientId, clean: true, connectTimeoutMs: 2000 });
      await wipe.close();
    }
  });

  it('keeps delivering after a handler throws, and reports the failure', async () => {
    const topic = `${prefix}/throws`;
    const logger = captureLogger();
    const kinds: string[] = [];
    const handled: string[] = [];
    const sub = await connect({ logger, onError: (kind) => kinds.push(kind) });
    await sub.subscribe(topic, async (_t, p) => {
      const text = p.toString();
      if (text === 'sync-throw') throw new Error('boom');
      if (text === 'async-reject') return Promise.reject(new Error('async boom'));
      if (text === 'garbage') throw new MalformedPayloadError('not JSON');
      handled.push(text);
    });
    const pub = await connect();
    for (const m of ['sync-throw', 'after-1', 'async-reject', 'after-2', 'garbage', 'after-3']) {
      await pub.publish(topic, m);
    }
    await waitFor(() => handled.length === 3, 'messages after the failures');
    expect(handled).toEqual(['after-1', 'after-2', 'after-3']);
    expect(kinds).toEqual(['handler_error', 'handler_error', 'malformed_payload']);
    expect(logger.entries.filter((e) => e.level === 'error')).toHaveLength(2);
    expect(logger.entries.filter((e) => e.level === 'warn')).toHaveLength(1);
  });

  it('close() waits for an in-flight handler and publishes', async () => {
    const topic = `${prefix}/slow`;
    let finished = false;
    const sub = await connect();
    await sub.subscribe(topic, async () => {
      await sleep(200);
      finished = true;
    });
    const pub = await connect();
    await pub.publish(topic, 'slow');
    await waitFor(() => sub.client.connected, 'connected');
    await sleep(50); // the handler is now running
    const pending = [pub.publish(`${prefix}/slow-out`, 'a'), pub.publish(`${prefix}/slow-out`, 'b')];
    await Promise.all([sub.close(), pub.close()]);
    expect(finished).toBe(true);
    await expect(Promise.all(pending)).resolves.toBeDefined();
    expect(sub.client.connected).toBe(false);
    await expect(pub.publish(topic, 'late')).rejects.toThrow(/closed/);
  });
});
