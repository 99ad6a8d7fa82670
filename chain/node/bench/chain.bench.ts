// `npm run bench:chain`: committed transfers per second and submit-to-commit latency (p50/p99) for one
// validator and for four validators on loopback, each on PGlite and on PostgreSQL, next to this machine's
// raw Ed25519 verify rate measured in the same run. Every node is a real process (`gongxin node start`);
// load arrives over the HTTP API in binary batches (`POST /v1/txs/batch` as `application/octet-stream`),
// as a gateway would send it; commit times are read from the chain itself. Medians over BENCH_RUNS runs (default 3). The nodes verify with libsodium; the raw
// rates of both libsodium and node:crypto (OpenSSL) are printed.
//
// Two loads: "saturated" (batches of 500 as fast as the nodes admit them, ≤ 8,000 in flight) and, on
// PostgreSQL, "offered" (an open loop at a fixed rate for BENCH_SECONDS, the way the targets are stated:
// a throughput sustained with a given latency).
//
//   BENCH_RUNS=3 BENCH_SENDERS=2 BENCH_TXS_1=60000 BENCH_TXS_4=40000 BENCH_RATE_1=5250 BENCH_RATE_4=2000,2100
//   BENCH_SECONDS=20 BENCH_MODES=saturate,rate BENCH_VALIDATORS=1,4 BENCH_BACKEND=postgres
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres BENCH_DEBUG=1 (per-block timings)
import { execFileSync } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeTxBatch, toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { signedTx, testAccount } from '@gongxin/ledger/testing';
import postgres from 'postgres';
import sodium from 'sodium-native';
import { Cluster } from '../src/cluster';

const suite = getSuite('ed25519-sha256');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TXS = {
  1: Number(process.env.BENCH_TXS_1 ?? 60_000),
  4: Number(process.env.BENCH_TXS_4 ?? 40_000),
} as Record<number, number>;
const BATCH = 500;
// Batches in flight at once when saturating, per validator count. One validator admits a batch faster
// than one request at a time can bring them (its cores then idle a fifth of the time): two keep it busy.
// Four validators are busy with one, and more only lengthens the queue behind the 8,000-tx cap (p50 over
// 2 s): the four-validator target holds throughput and latency together. BENCH_SENDERS sets both.
const SENDERS = {
  1: Number(process.env.BENCH_SENDERS ?? 2),
  4: Number(process.env.BENCH_SENDERS ?? 1),
} as Record<number, number>;
// The fixed-rate runs: the offered loads per configuration (comma-separated), how long each is offered,
// and in what batches.
const rates = (value: string) => value.split(',').map(Number);
const RATES = {
  1: rates(process.env.BENCH_RATE_1 ?? '5250'),
  4: rates(process.env.BENCH_RATE_4 ?? '2000,2100'),
} as Record<number, number[]>;
const RATE_SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const RATE_BATCH = 100;
const WARMUP_MS = 2_000;
// The targets are for PostgreSQL: PGlite runs saturated only unless BENCH_MODES says otherwise.
const modesFor = (backend: 'pglite' | 'postgres') =>
  (process.env.BENCH_MODES ?? (backend === 'postgres' ? 'saturate,rate' : 'saturate')).split(',');
const ACCOUNTS = 400;
const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const chainId = 'gongxin-bench';
const accounts = Array.from({ length: ACCOUNTS }, (_, i) => testAccount(suite, 10_000 + i));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

function rawVerifiesPerSecond(): { openssl: number; libsodium: number } {
  const txs = Array.from({ length: 4000 }, (_, i) => {
    const a = accounts[i % 50]!;
    const msg = new TextEncoder().encode(`verify bench ${i}`);
    return { msg, sig: suite.sign(msg, a.privateKey), key: a.publicKey };
  });
  const spki = Buffer.from('302a300506032b6570032100', 'hex');
  const keys = new Map(
    txs.map((t) => [
      toHex(t.key),
      createPublicKey({ key: Buffer.concat([spki, t.key]), format: 'der', type: 'spki' }),
    ]),
  );
  let start = performance.now();
  for (const t of txs) verify(null, t.msg, keys.get(toHex(t.key))!, t.sig);
  const openssl = (txs.length / (performance.now() - start)) * 1000;
  start = performance.now();
  for (const t of txs) sodium.crypto_sign_verify_detached(t.sig, t.msg, t.key);
  const libsodium = (txs.length / (performance.now() - start)) * 1000;
  return { openssl, libsodium };
}

async function postgresReachable(): Promise<boolean> {
  const sql = postgres(pgUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function dropDatabases(prefix: string, n: number) {
  const sql = postgres(pgUrl, { max: 1, onnotice: () => {} });
  try {
    for (let i = 1; i <= n; i++)
      await sql.unsafe(`drop database if exists "${prefix}_node${i}" with (force)`);
  } finally {
    await sql.end();
  }
}

interface RunResult {
  tps: number;
  /** Committed txs over the time from the first submission to the last commit (Caliper's definition). */
  wholeRun: number;
  p50: number;
  p99: number;
  committed: number;
  /**
   * Per committed tx and node, µs: the process's CPU and its main thread's (from /proc), and the time
   * in each stage's sections (the nodes' own accounts; CPU on an idle machine, more when the nodes wait
   * for a core).
   */
  cpu: Record<string, number>;
}

/** `gongxin verify` of the first node's stored chain; the bench stops if it does not verify. */
function verifyStored(cluster: Cluster, backend: 'pglite' | 'postgres', prefix: string) {
  const args = [path.join(nodeDir, 'bin/gongxin.mjs'), 'verify', '--home', cluster.nodes[0]!.home];
  if (backend === 'postgres') {
    const url = new URL(pgUrl);
    url.pathname = `/${prefix}_node1`;
    args.push('--database-url', url.toString());
  }
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  console.log(`  gongxin verify: ${out.trim().split('\n').at(-1)}`);
  verified++;
}
let verified = 0;

const STAGE_NAMES = ['admission', 'verify', 'execute', 'store', 'gossip'] as const;
const CLOCK_TICK = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux

const cpuOf = (statFile: string) => {
  const stat = readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICK;
};

/** Every node's stage seconds (its metrics) and CPU seconds (/proc: the process, and its main thread), summed. */
async function cpuSnapshot(cluster: Cluster): Promise<Record<string, number>> {
  const sum: Record<string, number> = { total: 0, main: 0 };
  for (const n of cluster.nodes) {
    const text = await (await fetch(`${n.apiUrl}/metrics`)).text();
    for (const line of text.split('\n')) {
      const m = /^gongxin_node_stage_seconds_total\{stage="(\w+)"\} ([\d.e+-]+)$/.exec(line);
      if (m) sum[m[1]!] = (sum[m[1]!] ?? 0) + Number(m[2]);
      // Counted as txs, not seconds: µs per tx of it reads as 1e6 × the share of txs checked in execution.
      const c = /^gongxin_node_execution_checked_txs_total ([\d.e+-]+)$/.exec(line);
      if (c) sum.checked = (sum.checked ?? 0) + Number(c[1]) / 1e6;
    }
    const pid = n.process?.pid;
    if (pid) {
      sum.total! += cpuOf(`/proc/${pid}/stat`);
      sum.main! += cpuOf(`/proc/${pid}/task/${pid}/stat`);
    }
  }
  return sum;
}

/** µs per committed tx and node, by stage, between two snapshots; `other` is the rest of the process CPU. */
function cpuPerTx(before: Record<string, number>, after: Record<string, number>, txs: number, nodes: number) {
  const per = (k: string) => (((after[k] ?? 0) - (before[k] ?? 0)) * 1e6) / Math.max(1, txs) / nodes;
  const out: Record<string, number> = {};
  for (const k of STAGE_NAMES) out[k] = per(k);
  out.total = per('total');
  out.main = per('main');
  out.threads = out.total - out.main;
  out.checked = per('checked');
  return out;
}

const formatCpu = (c: Record<string, number>) =>
  `CPU ${c.total!.toFixed(1)} (main thread ${c.main!.toFixed(1)}, other threads ${c.threads!.toFixed(1)}); in stages: ${STAGE_NAMES.map((k) => `${k} ${c[k]!.toFixed(1)}`).join(', ')}; txs checked during execution ${(c.checked! * 100).toFixed(1)} %`;

type Mode = { kind: 'saturate' } | { kind: 'rate'; rate: number };

async function runOnce(
  validators: number,
  backend: 'pglite' | 'postgres',
  run: number,
  mode: Mode,
): Promise<RunResult> {
  const home = mkdtempSync(path.join(tmpdir(), 'gongxin-bench-'));
  const prefix = `gongxin_bench_${process.pid}_${validators}_${run}`;
  const cluster = new Cluster({
    home,
    validators,
    basePort: 31000 + run * 100 + validators * 10,
    chainId,
    databaseUrl: backend === 'postgres' ? pgUrl : undefined,
    databasePrefix: prefix,
    execArgv: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean),
    onOutput: process.env.BENCH_DEBUG
      ? (name, line) => {
          if (line.includes('"debug"')) console.log(`    ${name} ${line}`);
        }
      : undefined,
    env: process.env.BENCH_DEBUG ? { LOG_LEVEL: 'debug' } : undefined,
  });
  try {
    await cluster.prepare();
    // Give the bench accounts money at genesis, and let the load through the per-IP rate limit.
    const genesisFile = path.join(home, 'genesis.json');
    const genesis = JSON.parse(readFileSync(genesisFile, 'utf8'));
    genesis.contracts.assets = {
      assets: [
        {
          symbol: 'CNY',
          name: 'Digital yuan (fen)',
          decimals: 2,
          policy: 'mintable',
          issuer: accounts[0]!.address,
          balances: Object.fromEntries(accounts.map((a) => [a.address, '100000000000'])),
        },
      ],
    };
    writeFileSync(genesisFile, JSON.stringify(genesis));
    for (const n of cluster.nodes) {
      const file = path.join(n.home, 'config.json');
      const config = JSON.parse(readFileSync(file, 'utf8'));
      config.api.rateLimit = false;
      writeFileSync(file, JSON.stringify(config));
    }
    await cluster.startAll();

    const total = mode.kind === 'rate' ? Math.round(mode.rate * RATE_SECONDS) : TXS[validators]!;
    const nonces = new Array<number>(ACCOUNTS).fill(0);
    const txs = Array.from({ length: total }, (_, i) => {
      const from = i % ACCOUNTS;
      return signedTx(suite, chainId, accounts[from]!, nonces[from]!++, [
        {
          contract: 'assets',
          name: 'transfer',
          params: { symbol: 'CNY', to: accounts[(from + 7) % ACCOUNTS]!.address, amount: 1 + (i % 500) },
        },
      ]);
    });
    // Request bodies are built before the clock starts, like the signatures: the load generator shares the
    // machine's two cores with the nodes, and its own serialising is not the chain's work.
    const batchSize = mode.kind === 'rate' ? RATE_BATCH : BATCH;
    const bodies: Uint8Array[] = [];
    for (let i = 0; i < txs.length; i += batchSize) bodies.push(encodeTxBatch(txs.slice(i, i + batchSize)));
    const submittedAt = new Map<string, number>();
    const committedAt = new Map<string, number>();
    const watcher = cluster.nodes[0]!.apiUrl;
    let watching = true;
    let height = 0;
    let start = performance.now();
    const cpuBefore = await cpuSnapshot(cluster);
    const watch = (async () => {
      while (watching) {
        const chain = (await (await fetch(`${watcher}/v1/chain`)).json()) as { head: { height: number } };
        const head = chain.head.height;
        while (height < head) {
          height++;
          const block = (await (await fetch(`${watcher}/v1/blocks/${height}`)).json()) as {
            txs: { id: string; ok: boolean }[];
            round?: number;
          };
          const now = performance.now();
          if (process.env.BENCH_DEBUG)
            console.log(
              `    block ${height} round ${block.round} txs ${block.txs.length} at ${Math.round(now - start)} ms`,
            );
          for (const tx of block.txs) if (tx.ok) committedAt.set(tx.id, now);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    start = performance.now();
    const submit = async (node: (typeof cluster.nodes)[number], body: Uint8Array, sentAt: number) => {
      const res = await fetch(`${node.apiUrl}/v1/txs/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body,
      });
      const answer = (await res.json()) as {
        results: ({ id: string } | { error: { code: string; message: string } })[];
      };
      for (const r of answer.results) {
        if ('id' in r) submittedAt.set(r.id, sentAt);
        else throw new Error(`submission refused: ${r.error.code} ${r.error.message}`);
      }
    };
    if (mode.kind === 'saturate') {
      // SENDERS batches in flight at once, as a gateway with several connections sends them.
      let next = 0;
      const sender = async () => {
        while (next < txs.length) {
          const i = next;
          next += BATCH;
          // Keep at most ~4 s of work in flight so latency measures the chain, not an ever-growing queue.
          while (submittedAt.size - committedAt.size > 8_000) await new Promise((r) => setTimeout(r, 10));
          await submit(
            cluster.nodes[(i / BATCH) % cluster.nodes.length]!,
            bodies[i / BATCH]!,
            performance.now(),
          );
        }
      };
      await Promise.all(Array.from({ length: SENDERS[validators] ?? 1 }, sender));
    } else {
      // Open loop: batch k leaves at start + k·RATE_BATCH/rate whatever the chain is doing, and its latency
      // counts from that planned time, so a slow chain cannot hide its queue by slowing the sender.
      const pending: Promise<void>[] = [];
      for (let i = 0, k = 0; i < txs.length; i += RATE_BATCH, k++) {
        const plannedAt = start + (k * RATE_BATCH * 1000) / mode.rate;
        const wait = plannedAt - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        pending.push(submit(cluster.nodes[k % cluster.nodes.length]!, bodies[k]!, plannedAt));
      }
      await Promise.all(pending);
    }
    const sendEnd = performance.now();
    while (committedAt.size < submittedAt.size && performance.now() - start < 300_000)
      await new Promise((r) => setTimeout(r, 50));
    watching = false;
    await watch;
    const cpu = cpuPerTx(cpuBefore, await cpuSnapshot(cluster), committedAt.size, validators);
    const ends = [...committedAt.values()];
    const latencies = [...submittedAt]
      .filter(([id]) => committedAt.has(id))
      .map(([id, t]) => committedAt.get(id)! - t);
    if (mode.kind === 'rate') {
      // Sustained rate: commits between the end of the warm-up and the end of sending, per second.
      const from = start + WARMUP_MS;
      const inWindow = ends.filter((t) => t >= from && t <= sendEnd).length;
      return {
        tps: (inWindow / (sendEnd - from)) * 1000,
        wholeRun: (committedAt.size / (Math.max(...ends) - start)) * 1000,
        p50: quantile(latencies, 0.5),
        p99: quantile(latencies, 0.99),
        committed: committedAt.size,
        cpu,
      };
    }
    const elapsed = (Math.max(...ends) - start) / 1000;
    return {
      tps: committedAt.size / elapsed,
      wholeRun: committedAt.size / elapsed,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      committed: committedAt.size,
      cpu,
    };
  } finally {
    await cluster.stopAll('SIGTERM').catch(() => cluster.stopAll('SIGKILL'));
    // The first run of each configuration: the stored chain re-checked from genesis by `gongxin verify`.
    if (run === 0 && process.env.BENCH_VERIFY !== '0' && cluster.nodes.length > 0)
      verifyStored(cluster, backend, prefix);
    rmSync(home, { recursive: true, force: true });
    if (backend === 'postgres') await dropDatabases(prefix, validators).catch(() => {});
  }
}

// The node processes run the compiled build, made now from the sources as they are (bin/gongxin.mjs runs
// the sources if the build is older than any of them).
const nodeDir = fileURLToPath(new URL('..', import.meta.url));
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: nodeDir, stdio: 'inherit' });
const compiled = process.env.GONGXIN_FROM_SOURCE !== '1';

const backends: ('pglite' | 'postgres')[] = ['pglite'];
if (await postgresReachable()) backends.push('postgres');
else console.log(`(PostgreSQL at ${pgUrl} not reachable: PostgreSQL rows skipped)`);

const raw: { openssl: number; libsodium: number }[] = [];
const rows: string[] = [];
const cpuRows: string[] = [];
const summary: { validators: number; backend: string; saturated: boolean; tps: number; p50: number }[] = [];
for (const validators of (process.env.BENCH_VALIDATORS ?? '1,4').split(',').map(Number)) {
  for (const backend of backends.filter(
    (b) => !process.env.BENCH_BACKEND || b === process.env.BENCH_BACKEND,
  )) {
    const modes = modesFor(backend).flatMap((kind): Mode[] =>
      kind === 'rate' ? RATES[validators]!.map((rate) => ({ kind: 'rate', rate })) : [{ kind: 'saturate' }],
    );
    for (const mode of modes) {
      const load = mode.kind === 'rate' ? `${mode.rate}/s offered` : 'saturated';
      const results: RunResult[] = [];
      for (let run = 0; run < RUNS; run++) {
        raw.push(rawVerifiesPerSecond());
        const r = await runOnce(validators, backend, run, mode);
        results.push(r);
        console.log(
          `  run ${run + 1}: ${validators} validator(s), ${backend}, ${load}: ${Math.round(r.tps)} tx/s (whole run ${Math.round(r.wholeRun)}/s), p50 ${Math.round(r.p50)} ms, p99 ${Math.round(r.p99)} ms (${r.committed} committed)`,
        );
        console.log(`         µs per tx and node: ${formatCpu(r.cpu)}`);
      }
      const cpuMedian: Record<string, number> = {};
      for (const k of Object.keys(results[0]!.cpu)) cpuMedian[k] = median(results.map((r) => r.cpu[k]!));
      cpuRows.push(`${validators} validator(s), ${backend}, ${load}: ${formatCpu(cpuMedian)}`);
      summary.push({
        validators,
        backend,
        saturated: mode.kind === 'saturate',
        tps: median(results.map((r) => r.tps)),
        p50: median(results.map((r) => r.p50)),
      });
      rows.push(
        `${String(validators).padStart(10)}  ${backend.padEnd(9)} ${load.padEnd(15)} ${String(Math.round(median(results.map((r) => r.tps)))).padStart(11)}  ${String(Math.round(median(results.map((r) => r.wholeRun)))).padStart(9)}  ${String(Math.round(median(results.map((r) => r.p50)))).padStart(8)}  ${String(Math.round(median(results.map((r) => r.p99)))).padStart(8)}`,
      );
    }
  }
}
console.log(
  `\nchain benchmark: signed CNY transfers over the HTTP API, real node processes on loopback, median of ${RUNS} runs`,
);
console.log(
  `raw Ed25519 verifies/s on this machine (same run, one core): libsodium ${Math.round(median(raw.map((r) => r.libsodium)))}, node:crypto ${Math.round(median(raw.map((r) => r.openssl)))}`,
);
console.log(
  `saturated: as fast as the nodes admit (≤ 8,000 txs in flight; batches of ${BATCH} sent ${Object.entries(
    SENDERS,
  )
    .map(([v, n]) => `${n} at a time to ${v} validator${v === '1' ? '' : 's'}`)
    .join(', ')}), committed/s over the whole run;\n` +
    `offered: open loop at a fixed rate for ${RATE_SECONDS} s, committed/s from ${WARMUP_MS / 1000} s to the end of sending, latency from each batch's planned send time;\n` +
    'whole run: all committed txs over the time from the first submission to the last commit',
);
console.log('validators  database  load             committed/s  whole run  p50 (ms)  p99 (ms)');
for (const row of rows) console.log(row);
console.log(
  '\nµs per committed tx and node (medians): process CPU from /proc, split into the main thread and the others (signature verifier threads, GC, I/O);\n' +
    'then the time in each stage (admission, verify on the verifier threads, execute, store, gossip), CPU when a core is free',
);
for (const row of cpuRows) console.log(`  ${row}`);
console.log(`nodes ran their ${compiled ? 'compiled JavaScript build' : 'TypeScript sources'}`);
console.log(`stored chains re-checked from genesis by \`gongxin verify\`: ${verified}, all verified`);
console.log(
  'targets: 1 validator on PostgreSQL ≥ 10,000/s saturated; 4 validators ≥ 3,000/s saturated with p50 < 1,000 ms',
);
const one = summary.find((r) => r.validators === 1 && r.backend === 'postgres' && r.saturated);
const four = summary.find((r) => r.validators === 4 && r.backend === 'postgres' && r.saturated);
if (one)
  console.log(
    `result: one validator saturated on PostgreSQL = ${Math.round(one.tps)} tx/s (target >= 10000)`,
  );
if (four)
  console.log(
    `result: four validators saturated on PostgreSQL = ${Math.round(four.tps)} tx/s at p50 ${Math.round(four.p50)} ms (target >= 3000 tx/s, p50 < 1000 ms)`,
  );
