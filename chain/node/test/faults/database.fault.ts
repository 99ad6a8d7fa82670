// PostgreSQL failing under a running node: stopped and started again, its connections cut, and its disk
// full. The node runs on a private PostgreSQL server of its own (initdb + pg_ctl, data on a small tmpfs
// this test mounts), never the shared one. Each time the node must stop committing, say why in health,
// and resume on its own when the database is back, with every tx it admitted committed and the stored
// chain verifying from genesis. Needs root (mount, runuser) and PostgreSQL's server binaries; without
// them the suite is skipped, saying so.
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { createSuiteRegistry } from '@gongxin/contracts';
import { type Database, openDatabase } from '@gongxin/db';
import { type PrivatePostgres, privatePostgresUnavailable, startPrivatePostgres } from '@gongxin/db/testing';
import { signedTx, testAccount } from '@gongxin/ledger/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainNode } from '../../src/node';
import { verifyChain } from '../../src/verify';
import { genesisFor, quietLogger, signerOf, suite, validators } from '../helpers';

const unavailable = privatePostgresUnavailable();
if (unavailable) console.log(`database faults skipped: ${unavailable}`);

const vals = validators(1);
const genesis = genesisFor(vals);
const contracts = createSuiteRegistry();
const senders = Array.from({ length: 4 }, (_, i) => testAccount(suite, 60_001 + i));
const nonces = [0, 0, 0, 0];
let server: PrivatePostgres;
let filler = '';
let database: Database;
let node: ChainNode;
let sent = 0;
const errors: { msg?: string; obj: object }[] = [];
const logger = { ...quietLogger, error: (obj: object, msg?: string) => errors.push({ obj, msg }) };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function submit(memo?: string, who = 0): string {
  sent++;
  return node.submit(
    signedTx(
      suite,
      genesis.chainId,
      senders[who]!,
      nonces[who]!++,
      [
        {
          contract: 'notary',
          name: 'anchor',
          params: {
            hash: suite
              .hash(new Uint8Array([sent % 256, sent >> 8]))
              .reduce((s, b) => s + b.toString(16).padStart(2, '0'), ''),
            type: 'fault',
          },
        },
      ],
      memo,
    ),
  ).id;
}

async function waitForProblem(code: string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const problem = node.health().problems.find((p) => p.code === code);
    if (problem) return problem;
    await sleep(50);
  }
  throw new Error(`health never reported ${code}: ${JSON.stringify(node.health().problems)}`);
}

async function expectWholeChain() {
  const result = await verifyChain(node.store, { suite, contracts }, genesis);
  expect(result).toMatchObject({ ok: true });
  expect(node.health().problems).toEqual([]);
}

describe.skipIf(unavailable !== null)('PostgreSQL failing under a node', () => {
  beforeAll(async () => {
    server = await startPrivatePostgres({ diskMb: 192 });
    filler = path.join(server.disk, 'filler');
    database = await openDatabase({
      url: server.url,
      connectTimeoutSeconds: 3,
      logger: quietLogger,
    });
    node = new ChainNode({
      database,
      genesis,
      suite,
      contracts,
      signer: signerOf(vals[0]!.account),
      logger,
      blockLimits: { commitDelayMs: 5, emptyBlockIntervalMs: 500 },
    });
    await node.start();
    await node.waitForTx(submit(), 30_000);
  }, 120_000);

  afterAll(async () => {
    await node?.stop();
    await database?.close().catch(() => {});
    server?.close();
  });

  it('PostgreSQL stopped and started again: the node pauses, says why, and resumes without loss', async () => {
    server.stop('fast');
    const waits = [submit(), submit(), submit()].map((id) => node.waitForTx(id, 60_000));
    const problem = await waitForProblem('database');
    console.log(`stopped: health says "${problem.message}"`);
    const height = node.head.height;
    await sleep(1_500);
    expect(node.head.height).toBe(height);
    server.start();
    const outcomes = await Promise.all(waits);
    expect(outcomes.every((o) => o.receipt.ok)).toBe(true);
    await expectWholeChain();
  }, 120_000);

  it('its connections cut (pg_terminate_backend): the node carries on without loss', async () => {
    const admin = postgres(server.url, { max: 1, onnotice: () => {} });
    try {
      for (let round = 0; round < 3; round++) {
        // Waiters first: the txs may commit while the cut is still on its way.
        const waits = [submit(), submit()].map((id) => node.waitForTx(id, 60_000));
        await admin`select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid() and backend_type = 'client backend'`;
        const outcomes = await Promise.all(waits);
        expect(outcomes.every((o) => o.receipt.ok)).toBe(true);
      }
    } finally {
      await admin.end();
    }
    await expectWholeChain();
  }, 120_000);

  it('a full disk: the node stops committing, says why, and resumes once there is room', async () => {
    // Take every free byte of the server's disk.
    const fd = openSync(filler, 'w');
    const chunk = Buffer.alloc(1024 * 1024, 1);
    try {
      for (;;) writeSync(fd, chunk);
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }
    // Blocks of large txs need new table pages: the server cannot extend its files.
    // Waiters at once: the first blocks may still fit in pages the server already has.
    const waits = Array.from({ length: 3_000 }, (_, i) =>
      node.waitForTx(submit('x'.repeat(250), i % 4), 120_000),
    );
    const problem = await waitForProblem('database', 60_000);
    console.log(`disk full: health says "${problem.message}"`);
    const height = node.head.height;
    await sleep(1_500);
    expect(node.head.height).toBe(height);
    // Room again (and the server started again if the full disk took it down).
    unlinkSync(filler);
    if (!server.running()) server.start();
    const outcomes = await Promise.all(waits);
    expect(outcomes.every((o) => o.receipt.ok)).toBe(true);
    await expectWholeChain();
    // The node logged why it stopped, each time.
    expect(errors.some((e) => e.msg?.startsWith('the database failed'))).toBe(true);
  }, 240_000);
});
