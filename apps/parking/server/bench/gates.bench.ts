// 500 gates over a real broker: each gate a ParkingGate with its own device key and MQTT connection
// (QoS 1, persistent session), cars entering and leaving at a steady total rate; the parking app mounted
// on one embedded validator (in-memory PGlite) takes the events on the platform ingest and records the
// sessions on chain. Figures: events/s through ingest to chain, the gate decision p99 (local, without
// the chain; target < 50 ms), event-to-chain commit p99 (from the gate's read to the block that records
// it; target < 3 s), and lost sessions (target 0); the events/s must sustain the offered rate (≥ 90 %). Baselines from the same run: raw Ed25519 signatures
// per second and raw QoS 1 publish→deliver messages per second through the same broker.
//   npm run bench -w @gongxin/parking-server     (MQTT_URL, BENCH_GATES, BENCH_CARS, BENCH_RATE)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppHarness } from '@gongxin/app-kit/testing';
import { createWallet } from '@gongxin/client';
import type { Action } from '@gongxin/ledger';
import {
  eventHash,
  fleetGates,
  ParkingGate,
  plateOf,
  privateKeyFromSeed,
  sealEvent,
} from '@gongxin/parking-gate';
import { eq } from 'drizzle-orm';
import mqtt from 'mqtt';
import { createParkingApp } from '../src/app';
import { sessions } from '../src/db/schema';
import { DEMO_TARIFF } from '../src/demo';
import { DEMO_SYMBOL, demoParty, demoPartyAccounts } from '../src/parties';

const URL = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const GATES = Number(process.env.BENCH_GATES ?? 500);
const CARS = Number(process.env.BENCH_CARS ?? 2);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const LOTS = Math.max(1, Math.ceil(GATES / 10));

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rawSignRate(): number {
  const key = privateKeyFromSeed('42'.repeat(32));
  const body = { v: 1, lot: 'x', plate: '沪A12345' } as never;
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 1_000) {
    sealEvent(body, key);
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

async function rawBrokerRate(n = 2000): Promise<number> {
  const topic = `bench-raw/${process.pid}`;
  const sub = await mqtt.connectAsync(URL, { clientId: `bench-raw-sub-${process.pid}` });
  const pub = await mqtt.connectAsync(URL, { clientId: `bench-raw-pub-${process.pid}` });
  await sub.subscribeAsync(topic, { qos: 1 });
  let got = 0;
  sub.on('message', () => got++);
  const start = performance.now();
  // 100 in flight at a time: a broker drops QoS 1 messages beyond a subscriber's queue (Mosquitto: 1000).
  for (let i = 0; i < n; i += 100)
    await Promise.all(
      Array.from({ length: Math.min(100, n - i) }, (_, k) =>
        pub.publishAsync(topic, `m${i + k}`, { qos: 1 }),
      ),
    );
  const until = Date.now() + 10_000;
  while (got < n && Date.now() < until) await sleep(5);
  const rate = got / ((performance.now() - start) / 1000);
  await Promise.all([sub.endAsync(), pub.endAsync()]);
  return rate;
}

console.log(
  `parking bench: ${GATES} gates on ${LOTS} lots, ${CARS} cars each, ${RATE} events/s, broker ${URL}`,
);
const signRate = rawSignRate();
const brokerRate = await rawBrokerRate();
console.log(
  `baseline: raw Ed25519 event signatures ${signRate.toFixed(0)} /s; raw QoS 1 publish→deliver ${brokerRate.toFixed(0)} msg/s`,
);

const h = await startAppHarness(createParkingApp({ seedDemo: false, processEveryMs: 50 }), { mqttUrl: URL });
const parties = demoPartyAccounts();
const operator = createWallet(h.services.chain.client, demoParty(parties, 'hongqiao').account);
// A fresh fleet seed per run: events a previous run left queued on the broker fail their signatures.
const fleet = fleetGates(GATES, `bench-${Date.now()}`).map((g, i) => ({
  ...g,
  lot: `bench-${i % LOTS}`,
  gate: `g${Math.floor(i / LOTS)}`,
}));
const setup: Action[] = [
  {
    contract: 'parking',
    name: 'registerOperator',
    params: { id: 'hongqiao', name: '上海虹桥停车管理有限公司' },
  },
];
for (let l = 0; l < LOTS; l++)
  setup.push(
    {
      contract: 'parking',
      name: 'registerLot',
      params: {
        id: `bench-${l}`,
        name: `压测停车场 ${l}`,
        operator: 'hongqiao',
        capacity: 5000,
        symbol: DEMO_SYMBOL,
        feeBps: 500,
      },
    },
    { contract: 'parking', name: 'setTariff', params: { lot: `bench-${l}`, tariff: DEMO_TARIFF as never } },
  );
for (const g of fleet)
  setup.push({
    contract: 'parking',
    name: 'registerGate',
    params: { lot: g.lot, gate: g.gate, key: g.publicKey },
  });
for (let i = 0; i < setup.length; i += 16) {
  const tx = await operator.send(setup.slice(i, i + 16));
  if (!tx.ok) throw new Error(`set-up refused: ${tx.code} ${tx.message}`);
}
await h.caughtUp();

const dir = mkdtempSync(join(tmpdir(), 'parking-bench-'));
const gates = fleet.map(
  (g) =>
    new ParkingGate({
      lot: g.lot,
      gate: g.gate,
      seedHex: g.seedHex,
      dir: join(dir, `${g.lot}.${g.gate}`),
      tariff: { version: 1, tariff: DEMO_TARIFF },
      capacity: 5000,
      durable: true,
    }),
);
for (let i = 0; i < gates.length; i += 50)
  await Promise.all(gates.slice(i, i + 50).map((g) => g.connect(URL)));
console.log(`${gates.length} gates connected`);

// The schedule: every gate's cars enter, then leave; events spread evenly at RATE per second.
const events: { gate: ParkingGate; kind: 'entry' | 'exit'; plate: string }[] = [];
for (let c = 0; c < CARS; c++)
  for (const [i, gate] of gates.entries()) events.push({ gate, kind: 'entry', plate: plateOf(i * CARS + c) });
for (let c = 0; c < CARS; c++)
  for (const [i, gate] of gates.entries()) events.push({ gate, kind: 'exit', plate: plateOf(i * CARS + c) });
const readAt = new Map<string, number>();
const decisions: number[] = [];
const deviceBase = Date.now() - 60 * 60_000;
h.app.recordTimings();
const started = Date.now();
for (const [n, e] of events.entries()) {
  const due = started + (n * 1000) / RATE;
  const wait = due - Date.now();
  if (wait > 0) await sleep(wait);
  // Device time: entries an hour ago, exits now (every stay is charged; the bench pays at the booth).
  const time = e.kind === 'entry' ? deviceBase + n : Date.now();
  if (e.kind === 'exit') {
    const fee = e.gate.due(e.plate, time) ?? 0n;
    if (fee > 0n) e.gate.markPaid(e.plate, fee, time);
  }
  const r = e.gate.read({ kind: e.kind, plate: e.plate, time });
  decisions.push(r.decisionMs);
  readAt.set(eventHash(r.envelope), Date.now());
}
const sent = Date.now();
await Promise.all(gates.map((g) => g.drain(60_000)));

// Wait for every session to be closed on chain and indexed (or give up after 120 s).
const expected = GATES * CARS;
const runtime = h.app;
let closed = 0;
const until = Date.now() + 120_000;
while (Date.now() < until) {
  closed = (
    await h.database.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.status, 'closed'))
  ).length;
  if (closed >= expected && runtime.committedAt.size >= events.length) break;
  await sleep(200);
}
const commits: number[] = [];
// Where the time from read to commit goes: the gate's publish through the broker to the ingest, the ingest's
// durable write and the processor handing the event to the outbox, the wait for the round of txs before it,
// and its own round (sign, submit, the block, the outcome recorded).
const stages = {
  toIngest: [] as number[],
  toHanded: [] as number[],
  toSent: [] as number[],
  toCommit: [] as number[],
};
for (const [hash, at] of readAt) {
  const committed = runtime.committedAt.get(hash);
  if (committed === undefined) continue;
  commits.push(committed - at);
  const s = runtime.stagesOf.get(hash);
  if (!s || s.sentAt === undefined) continue;
  stages.toIngest.push(s.receivedAt - at);
  stages.toHanded.push(s.handedAt - s.receivedAt);
  stages.toSent.push(s.sentAt - s.handedAt);
  stages.toCommit.push(committed - s.sentAt);
}
decisions.sort((a, b) => a - b);
commits.sort((a, b) => a - b);
for (const list of Object.values(stages)) list.sort((a, b) => a - b);
const stage = (list: number[]) => `p50 ${pct(list, 50)} / p99 ${pct(list, 99)} ms`;
const lost = expected - closed;
const lastCommit = Math.max(...runtime.committedAt.values());
console.log(
  `${events.length} events from ${GATES} gates: sent in ${((sent - started) / 1000).toFixed(1)} s, all on chain after ${((lastCommit - started) / 1000).toFixed(1)} s; ${commits.length} commits measured, ${closed}/${expected} sessions closed`,
);
console.log(
  `gate decision p50 ${pct(decisions, 50).toFixed(3)} ms, p99 ${pct(decisions, 99).toFixed(3)} ms, max ${decisions.at(-1)!.toFixed(3)} ms`,
);
console.log(
  `event-to-chain commit p50 ${pct(commits, 50)} ms, p99 ${pct(commits, 99)} ms, max ${commits.at(-1)} ms`,
);
console.log(
  `stages (${stages.toCommit.length} events): read→ingest received ${stage(stages.toIngest)}; received→picked up by the processor ${stage(stages.toHanded)}; picked up→round sent ${stage(stages.toSent)}; round sent→committed ${stage(stages.toCommit)}`,
);
console.log(
  `result: parking events through ingest to chain = ${(events.length / ((lastCommit - started) / 1000)).toFixed(1)} events/s (target >= ${(RATE * 0.9).toFixed(0)})`,
);
console.log(`result: parking gate decision p99 = ${pct(decisions, 99).toFixed(3)} ms (target < 50)`);
console.log(`result: parking event-to-chain commit p99 = ${pct(commits, 99)} ms (target < 3000)`);
console.log(`result: parking lost sessions = ${lost} sessions (target = 0)`);

await Promise.all(gates.map((g) => g.close().catch(() => {})));
await h.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
