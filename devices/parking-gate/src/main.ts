#!/usr/bin/env -S npx tsx
// parking-gate: run one lot controller reading plates from stdin (`entry 沪A12345`, `exit 沪A12345`,
// `paid 沪A12345 800`), or a fleet for load tests (`--fleet 500 --cars 4`).
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Tariff } from '@gongxin/contracts';
import { fleetGates, runFleet } from './fleet';
import { ParkingGate } from './gate';

const DEFAULT_TARIFF: Tariff = {
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

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883' },
    lot: { type: 'string', default: 'demo-lot' },
    gate: { type: 'string', default: 'g1' },
    seed: { type: 'string' },
    dir: { type: 'string', default: './gate-data' },
    capacity: { type: 'string', default: '100' },
    fleet: { type: 'string' },
    cars: { type: 'string', default: '4' },
  },
});

if (values.fleet) {
  const gates = fleetGates(Number(values.fleet));
  const { gates: running, result } = await runFleet({
    url: values.url,
    gates,
    tariff: { version: 1, tariff: DEFAULT_TARIFF },
    dir: values.dir,
    carsPerGate: Number(values.cars),
  });
  const sorted = [...result.decisionsMs].sort((a, b) => a - b);
  const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0;
  console.log(
    `${result.events} events from ${gates.length} gates in ${result.elapsedMs} ms; decision p99 ${p99.toFixed(3)} ms; unacked ${result.unacked}`,
  );
  await Promise.all(running.map((g) => g.close()));
} else {
  if (!values.seed) throw new Error('--seed <64 hex digits> (the device key registered for the gate)');
  const gate = new ParkingGate({
    lot: values.lot,
    gate: values.gate,
    seedHex: values.seed,
    dir: values.dir,
    tariff: { version: 1, tariff: DEFAULT_TARIFF },
    capacity: Number(values.capacity),
  });
  await gate.connect(values.url);
  for await (const line of createInterface({ input: process.stdin })) {
    const [verb, plate, fen] = line.trim().split(/\s+/);
    if (!plate) continue;
    if (verb === 'paid') gate.markPaid(plate, BigInt(fen ?? '0'));
    else if (verb === 'entry' || verb === 'exit')
      console.log(JSON.stringify(gate.read({ kind: verb, plate }).decision));
  }
  await gate.close();
}
