// The anchor outbox survives kill -9: a child process anchors records through it against a chain stored
// on disk (PGlite in a temporary directory, or a fresh PostgreSQL database when TEST_DATABASE_URL is set)
// and is killed with SIGKILL while txs are in flight, several times, then runs to the end. The chain must
// then hold exactly one anchor per record, and every record be marked anchored with the tx that did it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { accountFromPrivateKey, createChainClient } from '@gongxin/client';
import { openDatabase } from '@gongxin/db';
import { openFreshPostgres, TEST_DATABASE_URL } from '@gongxin/db/testing';
import { ContractError, type ContractModule, defineAction } from '@gongxin/ledger';
import { startTestChain } from '@gongxin/node/api/testing';
import { createLogger } from '@gongxin/telemetry';
import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appkitMigrations } from '../src/db/migrations';
import { outboxRecords } from '../src/db/schema';
import type { IntervalRoot } from '../src/ingest/intervals';
import { intervalOutbox } from '../src/outbox/intervals';
import { createOutbox, type SettledRecord } from '../src/outbox/outbox';

const child = fileURLToPath(new URL('./fixture/outbox-child.ts', import.meta.url));
const RECORDS = 30;

let dataDir: string;
let databaseUrl: string | undefined;
let dropDatabase: (() => Promise<void>) | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'gongxin-outbox-'));
  const adminUrl = process.env[TEST_DATABASE_URL];
  if (adminUrl) {
    const database = await openFreshPostgres(adminUrl);
    databaseUrl = database.url;
    // Kept (not closed) until the end: closing drops it.
    dropDatabase = () => database.close();
  }
});

afterAll(async () => {
  await dropDatabase?.();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Run {
  lines: Record<string, unknown>[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  process: ChildProcess;
  stderr: () => string;
}

function start(): Run {
  // One process (tsx as a loader, not its CLI, which runs the script in a second process a kill would miss).
  const proc = spawn(process.execPath, ['--import', 'tsx', child, dataDir, String(RECORDS)], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(databaseUrl && { OUTBOX_DATABASE_URL: databaseUrl }) },
  });
  const lines: Record<string, unknown>[] = [];
  let buffer = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buffer += String(d);
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
      nl = buffer.indexOf('\n');
    }
  });
  proc.stderr!.on('data', (d: Buffer) => {
    err += String(d);
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { lines, exit, process: proc, stderr: () => err };
}

const said = (run: Run, msg: string) => run.lines.filter((l) => l.msg === msg).length;

/** Kills the child with SIGKILL `delayMs` after its `nth` "anchor tx in flight" line; false if it ended first. */
async function killInFlight(run: Run, nth: number, delayMs: number): Promise<boolean> {
  const until = Date.now() + 90_000;
  while (run.process.exitCode === null && run.process.signalCode === null && Date.now() < until) {
    if (said(run, 'anchor tx in flight') >= nth) {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      run.process.kill('SIGKILL');
      const { signal } = await run.exit;
      return signal === 'SIGKILL';
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  run.process.kill('SIGKILL');
  await run.exit;
  return false;
}

describe('anchor outbox', () => {
  it('kill -9 while anchoring, restarted: every record anchored exactly once', async () => {
    let killed = 0;
    let recovered = 0;
    const runs: string[] = [];
    // Killed at once after the in-flight write (tx likely not yet committed), and later (likely committed
    // but not yet recorded as such), at different points of the run.
    for (const [nth, delayMs] of [
      [2, 0],
      [2, 40],
      [3, 15],
    ] as const) {
      const run = start();
      if (await killInFlight(run, nth, delayMs)) killed++;
      recovered += said(run, 'anchor txs in flight found; resubmitting');
      runs.push(`${run.lines.map((l) => l.msg ?? Object.keys(l)[0]).join(', ')} ${run.stderr().slice(-400)}`);
    }
    expect(killed, `the child was killed while anchoring; runs: ${runs.join(' | ')}`).toBeGreaterThanOrEqual(
      2,
    );

    const last = start();
    const { code } = await last.exit;
    expect(code, last.stderr()).toBe(0);
    recovered += said(last, 'anchor txs in flight found; resubmitting');
    // A kill left txs in flight, and a restart resolved them from what was written before submitting.
    expect(recovered).toBeGreaterThanOrEqual(1);

    const summary = last.lines.find((l) => 'summary' in l)?.summary as {
      perId: Record<string, number>;
      records: { id: string; state: string; txMatches: boolean }[];
      inFlight: number;
    };
    expect(summary).toBeDefined();
    const ids = Array.from({ length: RECORDS }, (_, i) => `r${i}`).sort();
    expect(Object.keys(summary.perId).sort()).toEqual(ids);
    expect(Object.entries(summary.perId).filter(([, n]) => n !== 1)).toEqual([]);
    expect(summary.records.map((r) => r.id).sort()).toEqual(ids);
    expect(summary.records.filter((r) => r.state !== 'anchored' || !r.txMatches)).toEqual([]);
    expect(summary.inFlight).toBe(0);
  }, 240_000);

  it('retries a failed tx record by record: refused ones fail with their code, the rest are anchored once', async () => {
    /** `anchor {id}`: ids starting `bad` are refused, `dup` ones are "already on chain". */
    const picky: ContractModule = {
      name: 'anchors',
      version: 1,
      actions: {
        anchor: defineAction(z.object({ id: z.string() }).strict(), (ctx, { id }) => {
          if (id.startsWith('bad')) throw new ContractError('invalid_params', `refused ${id}`);
          if (id.startsWith('dup')) throw new ContractError('already_exists', `${id} is on chain`);
          ctx.emit('anchored', { id });
        }),
      },
    };
    const database = await openDatabase({ memory: true });
    const chain = await startTestChain({ contracts: [picky], database });
    try {
      await database.migrate(appkitMigrations);
      const client = createChainClient({ url: chain.url });
      const account = accountFromPrivateKey(chain.suite, chain.account(1).privateKey);
      const settled: SettledRecord[] = [];
      // What an operator sees at the default level: no line per tx that went well, one per tx refused.
      const logged: { level: number; msg: string; ok?: boolean }[] = [];
      const destination = new Writable({
        write(chunk, _encoding, done) {
          for (const line of String(chunk).split('\n').filter(Boolean)) logged.push(JSON.parse(line));
          done();
        },
      });
      const outbox = createOutbox({
        name: 'picky',
        database,
        client,
        signers: new Map([[account.address, account]]),
        logger: createLogger({ name: 'outbox-test', level: 'info', destination, format: 'json' }),
        alreadyAnchored: (code) => code === 'already_exists',
        onSettled: async (tx, list) => {
          // In the transaction that records the outcome: the rows are already marked.
          const rows = await tx
            .select({ id: outboxRecords.id, state: outboxRecords.state })
            .from(outboxRecords)
            .where(
              inArray(
                outboxRecords.id,
                list.map((r) => r.id),
              ),
            );
          expect(rows.map((r) => r.state).sort()).toEqual(list.map((r) => r.state).sort());
          settled.push(...list);
        },
      });
      const ids = ['a1', 'a2', 'bad1', 'a3', 'dup1', 'a4'];
      const records = ids.map((id) => ({
        id,
        signer: account.address,
        action: { contract: 'anchors', name: 'anchor', params: { id } },
      }));
      const queued = await database.transaction((tx) => outbox.enqueue(records, tx));
      expect(queued.map((r) => r.id)).toEqual(ids);
      // Queued once: the same ids again are skipped.
      expect(await outbox.enqueue(records)).toEqual([]);

      expect(await outbox.send(queued)).toEqual({ anchored: 5, failed: 1 });
      const byId = Object.fromEntries(settled.map((r) => [r.id, r]));
      expect(Object.keys(byId).sort()).toEqual([...ids].sort());
      expect(byId.bad1).toMatchObject({ state: 'failed', error: 'invalid_params', txId: null });
      expect(byId.dup1).toMatchObject({ state: 'anchored', txId: null });
      expect(logged.filter((l) => l.msg === 'anchor tx in flight')).toEqual([]);
      const settledLines = logged.filter((l) => l.msg === 'anchor tx settled');
      expect(settledLines.length).toBeGreaterThan(0);
      expect(settledLines.every((l) => l.ok === false && l.level === 40)).toBe(true);
      for (const id of ['a1', 'a2', 'a3', 'a4']) {
        expect(byId[id]).toMatchObject({ state: 'anchored' });
        const tx = await client.getTx(byId[id]!.txId!);
        expect(tx.height).toBe(byId[id]!.height);
        expect(tx.events.map((e) => (e.attrs as { id: string }).id)).toEqual([id]);
      }
      const events = await client.events({ contract: 'anchors', name: 'anchored', limit: 100 });
      expect(events.items.map((e) => (e.attrs as { id: string }).id).sort()).toEqual([
        'a1',
        'a2',
        'a3',
        'a4',
      ]);
      // Nothing left in flight, and sending again does nothing.
      expect(await outbox.send(queued)).toEqual({ anchored: 5, failed: 1 });
      expect(await database.query(sql`select * from appkit.outbox_batches`)).toEqual([]);
    } finally {
      await chain.close();
    }
  }, 120_000);

  it('takes interval roots from the ingest pipeline in its transaction, once per key', async () => {
    const anchors: ContractModule = {
      name: 'anchors',
      version: 1,
      actions: {
        anchor: defineAction(z.object({ id: z.string(), root: z.string() }).strict(), (ctx, params) => {
          ctx.emit('anchored', params);
        }),
      },
    };
    const database = await openDatabase({ memory: true });
    const chain = await startTestChain({ contracts: [anchors], database });
    try {
      await database.migrate(appkitMigrations);
      const client = createChainClient({ url: chain.url });
      const account = accountFromPrivateKey(chain.suite, chain.account(1).privateKey);
      const outbox = createOutbox({
        name: 'readings',
        database,
        client,
        signers: new Map([[account.address, account]]),
        logger: createLogger({ name: 'outbox-test', level: 'silent' }),
      });
      const sink = intervalOutbox(outbox, {
        signer: account.address,
        action: (root) => ({
          contract: 'anchors',
          name: 'anchor',
          params: { id: root.key, root: root.root },
        }),
      });
      const root = (start: number, revision: number): IntervalRoot => ({
        key: `meters:${start}:${revision}`,
        stream: 'meters',
        intervalStart: start,
        intervalEnd: start + 900_000,
        revision,
        root: String(start + revision).padStart(64, '0'),
        leaves: 3,
      });
      const roots = [root(0, 0), root(900_000, 0), root(0, 1)];
      await database.transaction((tx) => sink.enqueue(roots, { tx }));
      // A pass that retries the same roots queues nothing new; one whose transaction fails queues nothing.
      await database.transaction((tx) => sink.enqueue(roots.slice(0, 2), { tx }));
      await expect(
        database.transaction(async (tx) => {
          await sink.enqueue([root(1_800_000, 0)], { tx });
          throw new Error('the pass failed');
        }),
      ).rejects.toThrow('the pass failed');

      await outbox.flush();
      const events = await client.events({ contract: 'anchors', name: 'anchored', limit: 100 });
      expect(events.items.map((e) => (e.attrs as { id: string }).id).sort()).toEqual(
        roots.map((r) => r.key).sort(),
      );
      expect(events.items.find((e) => (e.attrs as { id: string }).id === 'meters:0:1')?.attrs).toMatchObject({
        root: root(0, 1).root,
      });
    } finally {
      await chain.close();
    }
  }, 120_000);
});
