#!/usr/bin/env -S npx tsx
// solar-meter: run one gateway for a simulated plant, or a fleet for load tests.
//   solar-meter run --meter m-001 [--url mqtt://127.0.0.1:1883] [--data ./meter-data] [--capacity 50000] [--every 10000]
//   solar-meter key --data ./meter-data            print the device public key (to register the meter)
//   solar-meter fleet --count 1000 [--url …] [--steps 90]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Fleet } from './fleet';
import { Gateway, MqttPublisher, runGateway } from './gateway';
import { loadOrCreateDeviceKey } from './keys';
import { SimulatedPlant } from './simulator';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    meter: { type: 'string', default: 'm-001' },
    url: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
    data: { type: 'string', default: './meter-data' },
    capacity: { type: 'string', default: '50000' },
    every: { type: 'string', default: '10000' },
    count: { type: 'string', default: '1000' },
    steps: { type: 'string', default: '90' },
  },
});

const command = positionals[0] ?? 'run';
const key = () => loadOrCreateDeviceKey(join(values.data, 'device-key.pem'));

if (command === 'key') {
  console.log(key().publicKey);
} else if (command === 'run') {
  const k = key();
  const gateway = new Gateway({
    meter: values.meter,
    adapter: new SimulatedPlant({ capacityW: Number(values.capacity), start: Date.now() }),
    privateKey: k.privateKey,
    dataDir: values.data,
  });
  const publisher = new MqttPublisher({
    url: values.url,
    clientId: `solar-meter-${values.meter}`,
    statusOf: { meter: values.meter, epoch: gateway.epoch },
  });
  console.log(`meter ${values.meter} epoch ${gateway.epoch} key ${k.publicKey} → ${values.url}`);
  const run = runGateway(gateway, publisher, {
    sampleEveryMs: Number(values.every),
    onError: (err) => console.error(err),
  });
  const stop = () => void run.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} else if (command === 'fleet') {
  const fleet = new Fleet({ count: Number(values.count), url: values.url, start: Date.now() - 86_400_000 });
  await fleet.connect();
  const started = performance.now();
  await fleet.advance(Number(values.steps));
  fleet.cutAll();
  // Until the ingester has confirmed every batch (re-sending what is overdue), for at most a minute.
  const giveUp = Date.now() + 60_000;
  while (fleet.buffered > 0 && Date.now() < giveUp) {
    if (fleet.publishers.every((p) => p.connected)) await fleet.send();
    else await new Promise((r) => setTimeout(r, 200));
  }
  const s = (performance.now() - started) / 1000;
  console.log(
    `${fleet.readings} readings from ${values.count} meters sent in ${s.toFixed(1)} s; ${fleet.buffered} batches unconfirmed`,
  );
  await fleet.close();
} else {
  console.error(`unknown command ${command}: run, key or fleet`);
  process.exit(2);
}
