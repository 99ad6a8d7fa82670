// A worker killed with SIGKILL between receiving a batch and writing it loses nothing and stores
// nothing twice: what it had not acknowledged is redelivered to its next session, and what it had
// written but not yet acknowledged is dropped by the store's unique key.

import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectMqtt } from '../src/client';
import { shardTopic } from '../src/ingest/shards';
import { readLines } from './fixture/ingest-stores';
import { meterPayload } from './fixture/meter';
import { brokerCases, sleep, uniqueId, uniquePrefix, waitFor } from './helpers';

const WORKER = new URL('./fixture/ingest-worker.ts', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'gx-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type WorkerMessage =
  | { type: 'ready'; lanes: string[] }
  | { type: 'writing'; keys: string[]; held: boolean }
  | { type: 'written'; inserted: number };

function startWorker(env: Record<string, string>, onMessage: (m: WorkerMessage) => void): ChildProcess {
  const child = fork(WORKER, {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.on('message', (m) => onMessage(m as WorkerMessage));
  return child;
}

describe.each(brokerCases().map((c) => [c.name, c] as const))('%s broker', (_name, brokerCase) => {
  it('SIGKILL between receive and write, restart: every reading stored exactly once', async () => {
    const broker = await brokerCase.start();
    const prefix = uniquePrefix();
    const file = join(dir, `${uniqueId('f')}.jsonl`);
    const env = {
      INGEST_URL: broker.url,
      INGEST_PREFIX: prefix,
      INGEST_CLIENT: uniqueId('kill'),
      INGEST_FILE: file,
    };
    let lanes: string[] = [];
    let written = 0;
    let heldAtKill: string[] | undefined;
    let first: ChildProcess | undefined;
    let second: ChildProcess | undefined;
    const pub = await connectMqtt(broker.url, { connectTimeoutMs: 2000 });
    try {
      let ready = false;
      first = startWorker({ ...env, INGEST_HOLD_AFTER: '100' }, (m) => {
        if (m.type === 'ready') {
          ready = true;
          lanes = m.lanes;
        }
        if (m.type === 'written') written += m.inserted;
        // Once a good part is stored, kill it while it holds a received batch that is not written yet.
        if (m.type === 'writing' && m.held && !heldAtKill) {
          heldAtKill = m.keys;
          first?.kill('SIGKILL');
        }
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        first?.once('exit', (_code, signal) => resolve(signal)),
      );
      await waitFor(() => ready, 'the worker to connect', 30_000);

      const devices = Array.from({ length: 10 }, (_, i) => `meter-${i}`);
      const expected: string[] = [];
      const t0 = Date.now() - 3_600_000;
      for (let seq = 0; seq < 40; seq++) {
        for (const device of devices) {
          await pub.publish(shardTopic(prefix, 8, device, 'reading'), meterPayload(device, seq, t0 + seq));
          expected.push(`${device}/1/${seq}`);
        }
        if (seq % 5 === 4) await sleep(20);
      }
      expect(await exited).toBe('SIGKILL');
      expect(written).toBeGreaterThanOrEqual(100);
      expect(heldAtKill?.length).toBeGreaterThan(0);
      const before = new Set(readLines(file).map((l) => l.key));
      expect(before.size).toBeLessThan(expected.length);
      for (const key of heldAtKill ?? []) expect(before.has(key)).toBe(false);

      second = startWorker(env, () => {});
      await waitFor(() => readLines(file).length >= expected.length, 'every reading stored', 30_000);
      await sleep(300); // a duplicate would show up now
      const keys = readLines(file).map((l) => l.key);
      expect(keys.length).toBe(expected.length);
      expect(new Set(keys).size).toBe(expected.length);
      expect([...keys].sort()).toEqual([...expected].sort());
    } finally {
      first?.kill('SIGKILL');
      if (second && second.exitCode === null) {
        const gone = new Promise((resolve) => second?.once('exit', resolve));
        second.kill('SIGTERM');
        await gone;
      }
      for (const clientId of lanes) {
        const wipe = await connectMqtt(broker.url, { clientId, clean: true, connectTimeoutMs: 2000 });
        await wipe.close();
      }
      await pub.close();
      await broker.close();
    }
  });
});
