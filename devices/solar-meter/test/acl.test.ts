// The shipped Mosquitto ACL (deploy/mosquitto-acl.conf) on a private Mosquitto with passwords: a meter
// publishes its own batches and reads its own acknowledgements; a forged acknowledgement (for itself or
// another meter) and a batch under another meter's name never reach anyone; the ingester reads every
// batch through a shared subscription and acknowledges. Skipped without a `mosquitto` binary on PATH.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ackTopic, batchTopic } from '../src/protocol';

// Needs the `mosquitto` binary (CI has it); skipped on a machine without one.
const missing = spawnSync('mosquitto', ['-h']).error !== undefined;
const acl = fileURLToPath(new URL('../deploy/mosquitto-acl.conf', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gx-acl-'));
let broker: ChildProcess | undefined;
let url = '';
const clients: MqttClient[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

async function listening(port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = netConnect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`mosquitto not listening on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  if (missing) return;
  // Started as root, Mosquitto drops to the `mosquitto` user, which must read its files.
  chmodSync(dir, 0o755);
  const passwords = join(dir, 'passwd');
  writeFileSync(passwords, '');
  for (const user of ['gongxin-ingest', 'm-001', 'm-002']) {
    const r = spawnSync('mosquitto_passwd', ['-b', passwords, user, `pw-${user}`]);
    if (r.status !== 0) throw new Error(`mosquitto_passwd: ${r.stderr}`);
  }
  chmodSync(passwords, 0o644);
  copyFileSync(acl, join(dir, 'acl.conf'));
  chmodSync(join(dir, 'acl.conf'), 0o644);
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    `listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${passwords}\nacl_file ${join(dir, 'acl.conf')}\nlog_type error\n`,
  );
  broker = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  await listening(port);
  url = `mqtt://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const c of clients) await c.endAsync().catch(() => {});
  broker?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

async function as(user: string, subscribe: string[] = []) {
  const client = await connectAsync(url, {
    username: user,
    password: `pw-${user}`,
    clientId: `${user}-${process.pid}`,
    reconnectPeriod: 0,
  });
  clients.push(client);
  const got: string[] = [];
  client.on('message', (topic, payload) => got.push(`${topic} ${payload}`));
  for (const filter of subscribe) await client.subscribeAsync(filter, { qos: 1 });
  return { client, got };
}

describe.skipIf(missing)('the shipped Mosquitto ACL', () => {
  it('lets a meter publish only its own batches and only the ingester acknowledge', async () => {
    const ingest = await as('gongxin-ingest', ['$share/ingest/solar/v1/#']);
    const m1 = await as('m-001', [ackTopic('m-001')]);
    const m2 = await as('m-002', [ackTopic('m-002')]);

    await m1.client.publishAsync(batchTopic('m-001'), 'batch of m-001', { qos: 1 });
    // Forgeries: a batch under another meter's name, and acknowledgements from a meter.
    await m1.client.publishAsync(batchTopic('m-002'), 'forged batch', { qos: 1 });
    await m1.client.publishAsync(ackTopic('m-002'), 'forged ack for m-002', { qos: 1 });
    await m1.client.publishAsync(ackTopic('m-001'), 'forged ack for m-001', { qos: 1 });
    await ingest.client.publishAsync(ackTopic('m-001'), 'ack from the ingester', { qos: 1 });
    // A marker after everything: once it arrives, everything before it that was let through has too.
    await m2.client.publishAsync(batchTopic('m-002'), 'batch of m-002', { qos: 1 });
    const deadline = Date.now() + 10_000;
    while ((ingest.got.length < 2 || m1.got.length < 1) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));

    expect(ingest.got).toEqual([
      `${batchTopic('m-001')} batch of m-001`,
      `${batchTopic('m-002')} batch of m-002`,
    ]);
    expect(m1.got).toEqual([`${ackTopic('m-001')} ack from the ingester`]);
    expect(m2.got).toEqual([]);
  });
});
