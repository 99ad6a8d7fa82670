// kill -9 of an ingest process writing to PgIngestStore on an on-disk PGlite, while it holds a received
// batch it has not written: after a restart on the same data directory and MQTT sessions, every reading
// is in the table exactly once.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@gongxin/db';
import { connectMqtt, shardTopic, startEmbeddedBroker } from '@gongxin/mqtt';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';

const WORKER = new URL('./fixture/ingest-pg-worker.ts', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'gx-ingest-pg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type WorkerMessage =
  | { type: 'ready'; lanes: string[] }
  | { type: 'writing'; keys: string[]; held: boolean }
  | { type: 'written'; inserted: number; rows: number };

function startWorker(env: Record<string, string>, onMessage: (m: WorkerMessage) => void): ChildProcess {
  const child = fork(WORKER, {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.on('message', (m) => onMessage(m as WorkerMessage));
  return child;
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ingest into PGlite on disk', () => {
  it('SIGKILL between receive and write, restart: every reading stored exactly once', async () => {
    const broker = await startEmbeddedBroker();
    const env = {
      INGEST_URL: broker.url,
      INGEST_PREFIX: 'meters',
      INGEST_CLIENT: 'gx-kill-pg',
      INGEST_DATA_DIR: dir,
    };
    const pub = await connectMqtt(broker.url);
    let first: ChildProcess | undefined;
    let second: ChildProcess | undefined;
    try {
      let ready = false;
      let heldAtKill: string[] | undefined;
      let writtenBeforeKill = 0;
      first = startWorker({ ...env, INGEST_HOLD_AFTER: '100' }, (m) => {
        if (m.type === 'ready') ready = true;
        if (m.type === 'written') writtenBeforeKill += m.inserted;
        if (m.type === 'writing' && m.held && !heldAtKill) {
          heldAtKill = m.keys;
          first?.kill('SIGKILL');
        }
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        first?.once('exit', (_code, signal) => resolve(signal)),
      );
      await waitFor(() => ready, 'the worker to start');

      const expected: string[] = [];
      const t0 = Date.now() - 3_600_000;
      for (let seq = 0; seq < 30; seq++) {
        for (let m = 0; m < 10; m++) {
          const device = `meter-${m}`;
          await pub.publish(
            shardTopic('meters', 8, device, 'reading'),
            JSON.stringify({ seq, ts: t0 + seq }),
          );
          expected.push(`${device}/${seq}`);
        }
      }
      expect(await exited).toBe('SIGKILL');
      expect(writtenBeforeKill).toBeGreaterThanOrEqual(100);
      expect(heldAtKill?.length).toBeGreaterThan(0);

      let rows = 0;
      second = startWorker(env, (m) => {
        if (m.type === 'written') rows = m.rows;
      });
      await waitFor(() => rows >= expected.length, 'every reading in the table');
      const gone = new Promise((resolve) => second?.once('exit', resolve));
      second.kill('SIGTERM');
      await gone;

      const database = await openDatabase({ dataDir: dir, name: 'ingest' });
      try {
        const stored = await database.query<{ key: string }>(
          sql`select key from appkit_ingest.readings where stream = 'kill.test' order by key`,
        );
        expect(stored.map((r) => r.key)).toEqual([...expected].sort());
        for (const key of heldAtKill ?? []) expect(stored.some((r) => r.key === key)).toBe(true);
      } finally {
        await database.close();
      }
    } finally {
      first?.kill('SIGKILL');
      if (second && second.exitCode === null && second.signalCode === null) second.kill('SIGKILL');
      await pub.close();
      await broker.close();
    }
  }, 120_000);
});
