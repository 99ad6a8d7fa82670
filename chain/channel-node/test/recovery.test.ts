// kill -9 mid-batch: a channel node runs as its own process (`gongxin-channels start`) under a steady
// two-way flood of payments with its peer, is killed with SIGKILL while batches and writes are in flight,
// and starts again from its log. Afterwards both nodes hold the same state of every asset of the channel
// (nonces, amounts), every payment the peer saw acknowledged is in it, and closing the channel pays out
// on chain exactly what both sides' proofs say. Once replaying its whole log, once with a small checkpoint
// interval: then it starts from its newest checkpoint and replays only the records after it (counted in
// its database between the kill and the restart).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createChainClient } from '@gongxin/client';
import { type Database, openDatabase } from '@gongxin/db';
import { openFreshPostgres, TEST_DATABASE_URL } from '@gongxin/db/testing';
import { toHex } from '@gongxin/ledger';
import { and, eq, gt } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelNodeRuntime, type ChannelView, type PaymentView } from '../src';
import { decodeRecords } from '../src/codec';
import { checkpoint, log } from '../src/schema';
import { type ChannelTestChain, startChannelTestChain } from './chain';
import { call, startChild } from './child';
import { sample, scrape } from './prom';

const A = 21;
const B = 22;

async function until(what: string, predicate: () => boolean | Promise<boolean>, ms = 90_000): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type JsonSide = { nonce: number; transferred: string; locked: string };
interface StatusJson {
  address: string;
  idle: boolean;
  channels: { id: string; assets: Record<string, { out: JsonSide; in: JsonSide; available: string }> }[];
}

const side = (s: { nonce: number; transferred: bigint | string; locked: bigint | string }) => ({
  nonce: s.nonce,
  transferred: BigInt(s.transferred),
  locked: BigInt(s.locked),
});

/** A backend for the child's log: its arguments, and the same database opened by the test (to read it). */
interface Backend {
  args: string[];
  open: () => Promise<Database>;
  done: () => Promise<void>;
}

const backends: { name: string; args: () => Promise<Backend> }[] = [
  {
    name: 'pglite',
    args: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'gongxin-channel-node-'));
      return {
        args: ['--data-dir', dir],
        open: () => openDatabase({ dataDir: dir, name: 'channels' }),
        done: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
];
if (process.env[TEST_DATABASE_URL])
  backends.push({
    name: 'postgres',
    args: async () => {
      const db = await openFreshPostgres(process.env[TEST_DATABASE_URL]!);
      const dir = mkdtempSync(path.join(tmpdir(), 'gongxin-channel-node-'));
      return {
        args: ['--data-dir', dir, '--database-url', db.url],
        open: () => openDatabase({ url: db.url }),
        done: async () => {
          await db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  });

/**
 * What a restart of `node` from this database must replay: the records after its newest checkpoint (all
 * when there is none), of how many its log holds in all.
 */
async function replayExpected(database: Database, node: string) {
  const [cp] = await database.db
    .select({ upTo: checkpoint.upTo, count: checkpoint.count })
    .from(checkpoint)
    .where(eq(checkpoint.node, node));
  const count = (rows: { records: Uint8Array }[]) =>
    rows.reduce((n, r) => n + decodeRecords(r.records).length, 0);
  const all = await database.db.select({ records: log.records }).from(log).where(eq(log.node, node));
  const after = cp
    ? await database.db
        .select({ records: log.records })
        .from(log)
        .where(and(eq(log.node, node), gt(log.id, cp.upTo)))
    : all;
  return { checkpoint: cp?.count ?? 0, replayed: count(after), total: count(all) };
}

describe.each(backends)('kill -9 of a channel node mid-batch ($name)', ({ args: backendArgs }) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
  });

  it('restarts from its log with balances that match its counterparty and the chain', () =>
    killMidBatch(backendArgs, cleanups));

  it('restarts from a checkpoint and the records after it, with balances that match', () =>
    killMidBatch(backendArgs, cleanups, 64));
});

async function killMidBatch(
  backendArgs: () => Promise<Backend>,
  cleanups: (() => Promise<void>)[],
  checkpointRecords?: number,
): Promise<void> {
  const chain: ChannelTestChain = await startChannelTestChain([A, B]);
  cleanups.push(() => chain.close());
  const database: Database = await openDatabase({ memory: true });
  cleanups.push(() => database.close());
  const problems: string[] = [];
  const alice = await ChannelNodeRuntime.start({
    database,
    client: createChainClient({ url: chain.url, suite: chain.suite }),
    suite: chain.suite,
    privateKey: chain.account(A).privateKey,
    port: 0,
    // Payments sent while Bob is down complete once he is back from his log: their callers wait for it.
    payWaitMs: 120_000,
    // The flood keeps thousands of payments in flight to Bob while he is down: all of them are wanted.
    maxInFlightPerPeer: 1_000_000,
    onProblem: (p) => problems.push(p),
  });
  cleanups.push(() => alice.stop());
  const backend = await backendArgs();
  cleanups.push(backend.done);
  const keyDir = mkdtempSync(path.join(tmpdir(), 'gongxin-channel-key-'));
  cleanups.push(async () => rmSync(keyDir, { recursive: true, force: true }));
  const keyFile = path.join(keyDir, 'key.json');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(keyFile, JSON.stringify({ privateKey: toHex(chain.account(B).privateKey) }));
  const args = [
    '--chain',
    chain.url,
    '--key-file',
    keyFile,
    '--peer',
    `ws://127.0.0.1:${alice.port}`,
    // A slow disk: Bob's writes spend most of their time in flight, so the kill lands mid-write.
    '--commit-delay-ms',
    '15',
    ...backend.args,
    ...(checkpointRecords !== undefined ? ['--checkpoint-records', String(checkpointRecords)] : []),
  ];
  const stderr: string[] = [];
  let bob = await startChild(args, stderr);
  cleanups.push(async () => {
    bob.proc.kill('SIGKILL');
    await bob.exited;
  });
  const bobAddress = (await call<StatusJson>(bob.api, '/status')).address;
  expect(bobAddress).toBe(chain.account(B).address);

  const channel = await alice.open(
    { address: bobAddress, publicKey: chain.account(B).publicKey },
    [
      { symbol: 'CNYX', amount: 200_000n },
      { symbol: 'PTS', amount: 100_000n },
    ],
    2_000,
  );
  await call(bob.api, '/deposit', { channel, deposits: [{ symbol: 'CNYX', amount: '200000' }] });
  await until('the link and both views of the channel', async () => {
    const s = await call<StatusJson>(bob.api, '/status');
    return alice.links.isLinked(bobAddress) && s.channels.some((c) => c.id === channel);
  });
  // The process serves its metrics with its API, and counts the API's bad input there.
  const refusedBefore = sample(await scrape(bob.api), 'gongxin_bad_input_total', {
    source: 'channel-api',
    reason: 'bad_json',
  });
  expect(refusedBefore).toBeUndefined();
  const bad = await fetch(`${bob.api}/pay`, { method: 'POST', body: '{"invoice":' });
  expect(bad.status).toBe(400);
  const metrics = await scrape(bob.api);
  expect(sample(metrics, 'gongxin_bad_input_total', { source: 'channel-api', reason: 'bad_json' })).toBe(1);
  expect(sample(metrics, 'gongxin_channel_channels', { state: 'open' })).toBe(1);
  expect(sample(metrics, 'gongxin_channel_links')).toBe(1);
  expect(sample(metrics, 'gongxin_process_resident_memory_bytes')).toBeGreaterThan(0);

  // The flood: Alice pays Bob in bursts (CNYX and PTS), Bob pays Alice back through his API.
  let flooding = true;
  const aliceDone: Promise<PaymentView>[] = [];
  const aliceLoop = (async () => {
    for (let i = 0; flooding; i++) {
      for (let k = 0; k < 20; k++)
        aliceDone.push(
          alice.pay({
            payee: bobAddress,
            asset: k % 4 === 0 ? 'PTS' : 'CNYX',
            amount: BigInt(1 + ((i + k) % 9)),
          }),
        );
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  let bobApi = bob.api;
  let bobCompleted = 0n;
  const bobLoop = (async () => {
    while (flooding) {
      const batch = Array.from({ length: 10 }, (_, k) =>
        call<PaymentView>(bobApi, '/pay', { payee: alice.address, asset: 'CNYX', amount: String(1 + k) })
          .then((p) => {
            if (p.outcome === 'completed') bobCompleted += BigInt(p.amount);
          })
          .catch(() => {}),
      );
      await Promise.all(batch);
    }
  })();

  await until('a few hundred payments', () => alice.stats().machine.opsSent > 400);
  if (checkpointRecords !== undefined)
    await until(
      'Bob to checkpoint his log',
      async () => (sample(await scrape(bobApi), 'gongxin_channel_log_checkpoints_total') ?? 0) >= 2,
    );
  // Kill Bob while Alice has a batch out that he has not acknowledged.
  await until('a batch in flight', () => !alice.idle(), 10_000);
  const ackedBefore = alice.stats().machine.batchesSent;
  bob.proc.kill('SIGKILL');
  await bob.exited;
  const inFlightAtKill = !alice.idle();
  await new Promise((r) => setTimeout(r, 500));
  // What the restart must replay, read from Bob's database while no process has it open.
  const inLog = await (async () => {
    const database = await backend.open();
    try {
      return await replayExpected(database, bobAddress);
    } finally {
      await database.close();
    }
  })();
  bob = await startChild(args, stderr);
  bobApi = bob.api;
  expect(bob.restored).toEqual({ checkpoint: inLog.checkpoint, replayed: inLog.replayed });
  const restarted = await scrape(bob.api);
  expect(sample(restarted, 'gongxin_channel_log_restored_records', { from: 'log' })).toBe(inLog.replayed);
  if (checkpointRecords !== undefined) {
    // A checkpoint stands for most of the log: only the records after it are replayed.
    expect(inLog.checkpoint).toBeGreaterThan(0);
    expect(inLog.replayed).toBeLessThan(inLog.total / 2);
    expect(sample(restarted, 'gongxin_channel_log_restored_records', { from: 'checkpoint' })).toBe(
      inLog.checkpoint,
    );
  }
  await until('the link again', () => alice.links.isLinked(bobAddress));
  await until(
    'more payments after the restart (a batch Bob acknowledged but lost would stop the channel)',
    () => alice.stats().machine.batchesSent > ackedBefore + 20,
    30_000,
  );
  flooding = false;
  await aliceLoop;
  await bobLoop;
  const results = await Promise.all(aliceDone);
  await until(
    'both nodes quiet (a batch Bob acknowledged but lost would keep Alice waiting)',
    async () => alice.idle() && (await call<StatusJson>(bob.api, '/status')).idle,
    30_000,
  );

  expect(inFlightAtKill).toBe(true);
  const { machine, log } = alice.stats();
  console.log(
    `recovery: ${results.length} payments by Alice (all completed) in ${machine.batchesSent} batches, ` +
      `${log.writes} writes in ${log.commits} commits; Bob restarted from his log: ` +
      `${inLog.checkpoint} records of its checkpoint and ${inLog.replayed} of its ${inLog.total} replayed`,
  );
  const mine = alice.channels().find((c) => c.id === channel) as ChannelView;
  const theirs = (await call<StatusJson>(bob.api, '/status')).channels.find((c) => c.id === channel)!;
  for (const symbol of ['CNYX', 'PTS']) {
    const a = mine.assets[symbol]!;
    const b = theirs.assets[symbol]!;
    expect(side(b.in), `${symbol}: Bob holds Alice's newest proof`).toEqual(side(a.out));
    expect(side(b.out), `${symbol}: Alice holds Bob's newest proof`).toEqual(side(a.in));
    // Every payment Alice saw acknowledged is in Bob's state.
    const completed = results
      .filter((r) => r.asset === symbol && r.outcome === 'completed')
      .reduce((x, r) => x + r.amount, 0n);
    expect(BigInt(b.in.transferred)).toBe(completed);
    expect(BigInt(b.available) + a.available).toBe(symbol === 'CNYX' ? 400_000n : 100_000n);
  }
  expect(results.every((r) => r.outcome === 'completed')).toBe(true);
  expect(BigInt(theirs.assets.CNYX!.out.transferred)).toBeGreaterThanOrEqual(bobCompleted);

  // Close: the chain pays out what both proofs say.
  const expected = {
    a: chain.balance(alice.address, 'CNYX') + mine.assets.CNYX!.available,
    b: chain.balance(bobAddress, 'CNYX') + BigInt(theirs.assets.CNYX!.available),
  };
  alice.close(channel);
  await until('settled and withdrawn', async () => {
    const c = await alice.chain.channel(channel);
    return c?.status === 'settled' && c.withdrawnA && c.withdrawnB;
  });
  expect(chain.balance(alice.address, 'CNYX')).toBe(expected.a);
  expect(chain.balance(bobAddress, 'CNYX')).toBe(expected.b);
  expect(chain.supply('CNYX')).toBe(2_000_000n);
  expect(chain.supply('PTS')).toBe(2_000_000n);
}
