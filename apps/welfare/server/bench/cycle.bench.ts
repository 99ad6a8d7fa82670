// A monthly welfare cycle at county scale against PostgreSQL: BENCH_HOUSEHOLDS (default 100,000)
// households on the rolls are computed, disbursed on chain in batched txs (each with the Merkle root of
// its payment list) and reconciled payment by payment to the fen (bench/cycle.ts says what each stage
// does). One embedded validator; its chain and the app's read models live in a fresh PostgreSQL database.
// Raw baselines measured in the same run: Ed25519 verifies and SHA-256 throughput.
//   npm run bench -w @gongxin/welfare-server   (BENCH_DATABASE_URL, BENCH_HOUSEHOLDS, BENCH_SENDERS)
// Target: compute + disburse + reconcile < 60 s. Exits non-zero when the totals do not balance.
import { execSync } from 'node:child_process';
import { cpus } from 'node:os';
import { openDatabase } from '@gongxin/db';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { testAccount } from '@gongxin/ledger/testing';
import { sql } from 'drizzle-orm';
import { runCycleBench } from './cycle';

const URL_ = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/welfare_bench';
const N = Number(process.env.BENCH_HOUSEHOLDS ?? 100_000);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 8);
const suite = getSuite('ed25519-sha256');

function rawVerifyRate(): number {
  const key = testAccount(suite, 1);
  const message = new TextEncoder().encode('gongxin bench message');
  const signature = suite.sign(message, key.privateKey);
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 1_000)
    for (let k = 0; k < 100; k++) if (suite.verify(signature, message, key.publicKey)) n++;
  return n / ((performance.now() - start) / 1000);
}

function rawSha256Rate(): number {
  const data = new Uint8Array(200).fill(7);
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 1_000)
    for (let k = 0; k < 1_000; k++) {
      suite.hash(data);
      n++;
    }
  return n / ((performance.now() - start) / 1000);
}

const s = (ms: number) => (ms / 1000).toFixed(2);

console.log(
  `welfare cycle bench: ${N} households, ${SENDERS} treasurers sending, database ${URL_.replace(/\/\/[^@]*@/, '//')}`,
);
console.log(`machine: ${cpus().length} cores; load: ${execSync('uptime').toString().trim()}`);
console.log(
  `baseline: raw Ed25519 verify ${rawVerifyRate().toFixed(0)} /s; raw SHA-256 of 200 bytes ${rawSha256Rate().toFixed(0)} /s`,
);

// A fresh database each run: a new chain from genesis.
const name = new URL(URL_).pathname.slice(1);
const admin = await openDatabase({ url: URL_.replace(/\/[^/]*$/, '/postgres'), max: 1 });
await admin.db.execute(sql.raw(`drop database if exists "${name}" with (force)`));
await admin.db.execute(sql.raw(`create database "${name}"`));
await admin.close();
const database = await openDatabase({ url: URL_, max: 16 });
let failed = false;
try {
  const r = await runCycleBench({ households: N, senders: SENDERS, database, log: (l) => console.log(l) });
  console.log(
    `stages: compute ${s(r.computeMs)} s, disburse ${s(r.disburseMs)} s (all txs committed at ${s(r.chainMs)} s, ${r.blocks} blocks, ${r.batches} batches of up to ${r.batchSize}), reconcile ${s(r.reconcileMs)} s`,
  );
  console.log(
    `totals: computed ${r.computed.count} payments ${r.computed.total} fen; disbursed ${r.disbursed.count} payments ${r.disbursed.total} fen; reconciled ${r.reconciled.count} payments ${r.reconciled.total} fen; ${r.committedBatches}/${r.batches} batches committed`,
  );
  const balanced =
    r.problems.length === 0 &&
    r.committedBatches === r.batches &&
    r.computed.count === r.households &&
    r.computed.total === r.disbursed.total &&
    r.disbursed.total === r.reconciled.total &&
    r.computed.count === r.disbursed.count &&
    r.disbursed.count === r.reconciled.count;
  for (const p of r.problems.slice(0, 20)) console.log(`problem: ${p}`);
  console.log(balanced ? 'totals balance to the fen' : 'TOTALS DO NOT BALANCE');
  failed = !balanced;
  console.log(`load after: ${execSync('uptime').toString().trim()}`);
  console.log(`result: welfare cycle of ${r.households} households = ${s(r.totalMs)} s (target < 60)`);
} finally {
  await database.close();
}
process.exit(failed ? 1 : 0);
