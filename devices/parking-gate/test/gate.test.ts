import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tariff } from '@gongxin/contracts';
import { type EmbeddedBroker, startEmbeddedBroker } from '@gongxin/mqtt';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OfflineBuffer } from '../src/buffer';
import {
  type Envelope,
  type GateEventBody,
  openEvent,
  privateKeyFromSeed,
  publicKeyHex,
  sealEvent,
} from '../src/event';
import { fleetGates, plateOf } from '../src/fleet';
import { ParkingGate } from '../src/gate';
import { plateKind, samePlate } from '../src/plate';

const tariff: Tariff = {
  freeMinutes: 15,
  chargeFrom: 'entry',
  unitMinutes: 30,
  dayStart: 480,
  dayEnd: 1200,
  straddle: 'start',
  rates: {
    small: { day: { firstUnitFen: 500n, unitFen: 300n }, night: { firstUnitFen: 200n, unitFen: 100n } },
  },
  cap: { kind: 'rolling24h', fen: 5000n },
  capAcrossReentries: true,
  exitWindowMinutes: 15,
  graceDays: 3,
  noEntryFen: 1000n,
};
const SEED = '11'.repeat(32);
const dirs: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'parking-gate-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const T0 = Date.parse('2026-03-02T10:00:00+08:00');
const MIN = 60_000;
const newGate = (dir = tmp(), extra: Partial<ConstructorParameters<typeof ParkingGate>[0]> = {}) =>
  new ParkingGate({
    lot: 'hq-p1',
    gate: 'g1',
    seedHex: SEED,
    dir,
    tariff: { version: 3, tariff },
    capacity: 3,
    durable: false,
    ...extra,
  });

describe('plates', () => {
  it.each([
    ['沪A12345', 'ordinary'],
    ['粤BD12345', 'newEnergy'],
    ['京A1234学', 'ordinary'],
    ['无牌A1B2C3', 'virtual'],
    ['沪A1234', null],
    ['XA12345', null],
    ['沪I12345', null],
    ['沪A123456789', null],
  ])('%s is %s', (plate, kind) => expect(plateKind(plate)).toBe(kind));

  it('tolerates a misread province character only when asked', () => {
    expect(samePlate('沪A12345', '浙A12345', true)).toBe(true);
    expect(samePlate('沪A12345', '浙A12345', false)).toBe(false);
    expect(samePlate('沪A12345', '沪A12346', true)).toBe(false);
  });

  it('fleet plates are all valid', () => {
    for (let n = 0; n < 2000; n++) expect(plateKind(plateOf(n)), plateOf(n)).not.toBeNull();
  });
});

describe('signed events', () => {
  it('verify with the device key and fail when a byte changes', () => {
    const key = privateKeyFromSeed(SEED);
    const body = { v: 1, lot: 'hq-p1', plate: '沪A12345' } as unknown as GateEventBody;
    const env = sealEvent(body, key);
    expect(openEvent(env, publicKeyHex(key))).toEqual(body);
    expect(openEvent({ ...env, body: env.body.replace('12345', '12346') }, publicKeyHex(key))).toBeNull();
    expect(openEvent(env, publicKeyHex(privateKeyFromSeed('22'.repeat(32))))).toBeNull();
    expect(fleetGates(2)[0]!.publicKey).not.toBe(fleetGates(2)[1]!.publicKey);
  });
});

describe('local decisions', () => {
  it('open for entries, hold for a fee, open once paid within the window', () => {
    const gate = newGate();
    expect(gate.read({ kind: 'entry', plate: '沪A12345', time: T0 }).decision).toMatchObject({
      open: true,
      reason: 'entry',
    });
    expect(gate.read({ kind: 'exit', plate: '沪A12345', time: T0 + 70 * MIN }).decision).toMatchObject({
      open: false,
      reason: 'fee',
      dueFen: '1100',
      tariffVersion: 3,
    });
    gate.markPaid('沪A12345', 1100n, T0 + 71 * MIN);
    expect(gate.read({ kind: 'exit', plate: '沪A12345', time: T0 + 80 * MIN }).decision).toMatchObject({
      open: true,
      reason: 'paid',
    });
  });

  it('free within the free minutes; no entry record; full lot; block list; low confidence; pass cars', () => {
    const passes = new Map([['粤BD12345', { validFrom: T0 - 86_400_000, validUntil: T0 + 86_400_000 }]]);
    const gate = newGate(tmp(), { passes, block: new Set(['京B99999']), minConfidence: 80, fixedSpaces: 1 });
    gate.read({ kind: 'entry', plate: '沪A11111', time: T0 });
    expect(gate.read({ kind: 'exit', plate: '沪A11111', time: T0 + 10 * MIN }).decision).toMatchObject({
      open: true,
      reason: 'free',
    });
    expect(gate.read({ kind: 'exit', plate: '沪A22222', time: T0 }).decision).toMatchObject({
      open: false,
      reason: 'noEntry',
      dueFen: '1000',
    });
    expect(gate.read({ kind: 'entry', plate: '京B99999', time: T0 }).decision).toMatchObject({
      open: false,
      reason: 'blacklist',
    });
    expect(gate.read({ kind: 'entry', plate: '沪A33333', confidence: 60, time: T0 }).decision.reason).toBe(
      'confirm',
    );
    // Capacity 3, one fixed space: two visitors fill it; the pass car still enters and is not counted.
    gate.read({ kind: 'entry', plate: '沪A44444', time: T0 });
    gate.read({ kind: 'entry', plate: '沪A55555', time: T0 });
    expect(gate.read({ kind: 'entry', plate: '沪A66666', time: T0 }).decision.reason).toBe('full');
    expect(gate.read({ kind: 'entry', plate: '粤BD12345', time: T0 }).decision).toMatchObject({
      open: true,
      reason: 'pass',
    });
    expect(gate.occupancy()).toEqual({ inside: 2, free: 0 });
    expect(gate.read({ kind: 'exit', plate: '粤BD12345', time: T0 + 300 * MIN }).decision).toMatchObject({
      open: true,
      reason: 'pass',
    });
  });

  it('finds a car whose province character was misread, with tolerance', () => {
    const gate = newGate(tmp(), { provinceTolerance: true });
    gate.read({ kind: 'entry', plate: '沪A12345', time: T0 });
    expect(gate.read({ kind: 'exit', plate: '浙A12345', time: T0 + 5 * MIN }).decision.reason).toBe('free');
  });

  it('decides locally, p99 under 50 ms (no network, no chain)', () => {
    const gate = newGate(tmp(), { capacity: 10_000 });
    const ms: number[] = [];
    for (let i = 0; i < 500; i++)
      ms.push(gate.read({ kind: 'entry', plate: plateOf(i), time: T0 }).decisionMs);
    ms.sort((a, b) => a - b);
    expect(ms[Math.floor(ms.length * 0.99)]!).toBeLessThan(50);
  });
});

describe('offline buffer', () => {
  it('survives a restart: unacknowledged events come back in order, a new epoch never reuses a key', () => {
    const dir = tmp();
    const a = new OfflineBuffer(dir, true);
    const env: Envelope = { body: '{}', sig: '' };
    for (let i = 0; i < 5; i++) a.append({ epoch: a.epoch, counter: a.next(), topic: 't', envelope: env });
    a.ack(`${a.epoch}:2`);
    a.close();
    const b = new OfflineBuffer(dir, true);
    expect(b.epoch).toBeGreaterThan(a.epoch);
    const e = a.epoch;
    expect(b.unacked().map((x) => `${x.epoch}:${x.counter}`)).toEqual([
      `${e}:1`,
      `${e}:3`,
      `${e}:4`,
      `${e}:5`,
    ]);
    b.append({ epoch: b.epoch, counter: b.next(), topic: 't', envelope: env });
    expect(b.unacked().at(-1)).toMatchObject({ epoch: b.epoch, counter: 1 });
    b.close();
  });
});

describe('over MQTT', () => {
  let broker: EmbeddedBroker;
  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
  });
  afterAll(async () => {
    await broker?.close();
  });
  const open: ParkingGate[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((g) => g.close()));
  });

  it('offline for two hours with 300 events: every event arrives after reconnecting, once each and in order', async () => {
    const got: GateEventBody[] = [];
    const status: string[] = [];
    const sub = await mqtt.connectAsync(broker.url, { clientId: 'test-consumer', clean: false });
    await sub.subscribeAsync([`parking/v1/+/hq-p1.g1/event`, 'parking-status/v1/hq-p1.g1'], { qos: 1 });
    sub.on('message', (topic, payload) => {
      if (topic.startsWith('parking-status')) status.push(payload.toString());
      else got.push(JSON.parse((JSON.parse(payload.toString()) as Envelope).body));
    });
    let now = T0;
    const gate = newGate(tmp(), { capacity: 500, clock: () => now });
    open.push(gate);
    await gate.connect(broker.url);
    gate.read({ kind: 'entry', plate: '沪A00001' });
    await gate.drain(5000);
    await gate.disconnect();
    // Two hours offline: 150 cars in, 150 out, every barrier decided locally.
    for (let i = 0; i < 150; i++) {
      now += 24_000;
      expect(gate.read({ kind: 'entry', plate: plateOf(1000 + i) }).decision.open).toBe(true);
    }
    for (let i = 0; i < 150; i++) {
      now += 24_000;
      const plate = plateOf(1000 + i);
      const due = gate.due(plate) ?? 0n;
      if (due > 0n) gate.markPaid(plate, due);
      expect(gate.read({ kind: 'exit', plate }).decision.open).toBe(true);
    }
    expect(now - T0).toBe(2 * 3_600_000);
    expect(gate.pending).toBe(300);
    await gate.connect(broker.url);
    expect(await gate.drain(20_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    const counters = got.map((e) => e.counter);
    expect(counters).toEqual(Array.from({ length: 301 }, (_, i) => i + 1));
    expect(got.filter((e) => e.kind === 'entry')).toHaveLength(151);
    expect(status).toContain('online');
    await sub.endAsync();
  });

  it('publishes a retained offline status as its last will when the link dies', async () => {
    const gate = newGate();
    await gate.connect(broker.url);
    // Kill the socket without a DISCONNECT: the broker sends the will.
    (gate as unknown as { client: { stream: { destroy(): void } } }).client.stream.destroy();
    await gate.disconnect();
    await new Promise((r) => setTimeout(r, 300));
    const sub = await mqtt.connectAsync(broker.url, { clientId: 'test-status' });
    const seen = new Promise<string>((resolve) => sub.on('message', (_t, p) => resolve(p.toString())));
    await sub.subscribeAsync('parking-status/v1/hq-p1.g1', { qos: 1 });
    expect(await seen).toBe('offline');
    await sub.endAsync();
    (gate as unknown as { buffer: OfflineBuffer }).buffer.close();
  });
});
