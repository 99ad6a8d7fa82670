// `npm run bench:channels [-- --nodes N --channels C --payments P --workers W --window K --no-curve]`
import { availableParallelism, loadavg } from 'node:os';
import { type BenchOptions, type BenchResult, baseline, runBench } from './bench';

const args = process.argv.slice(2);
const num = (flag: string, dflt: number): number => {
  const i = args.indexOf(flag);
  if (i < 0) return dflt;
  const n = Number(args[i + 1]);
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`bench:channels: ${flag} needs an integer ≥ 1`);
    process.exit(2);
  }
  return n;
};
const o: BenchOptions = {
  nodes: num('--nodes', 500),
  channels: num('--channels', 2500),
  payments: num('--payments', 200_000),
  workers: num('--workers', 2),
  window: num('--window', 20_000),
  seed: num('--seed', 1),
  maxBatch: num('--max-batch', 4096),
};
const curve = !args.includes('--no-curve');
const fmt = (n: number) => Math.round(n).toString();

function line(r: BenchResult): string {
  const sig = r.reports.reduce((s, x) => s + x.signatures, 0);
  return `workers=${r.options.workers} channels=${r.options.channels}: ${fmt(r.transfersPerSec)} transfers/s, ${fmt(r.hopUpdatesPerSec)} hop updates/s, ${r.transfers}/${r.payments} ok in ${fmt(r.elapsedMs)} ms, ${sig} signatures`;
}

console.log(
  `bench:channels: ${o.nodes} nodes, ${o.channels} channels, ${o.payments} payments (80 % direct, 20 % 2–4 hops), 3 assets, ${o.workers} workers, window ${o.window}, max batch ${o.maxBatch}`,
);
console.log(
  `machine: ${availableParallelism()} CPUs, load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
const b = baseline();
console.log(
  `baseline: Ed25519 sign+verify (ledger suite ed25519-sha256: sodium-native sign and verify) ${fmt(b.signVerifyPerSec)}/s on one thread; 4 KiB append+fdatasync ${fmt(b.fsyncPerSec)}/s`,
);
const r = await runBench(o);
const sig = r.reports.reduce((s, x) => s + x.signatures, 0);
const writes = r.reports.reduce((s, x) => s + x.writes, 0);
const commits = r.reports.reduce((s, x) => s + x.groupCommits, 0);
const bytes = r.reports.reduce((s, x) => s + x.bytesWritten, 0);
const sent = r.reports.reduce((s, x) => s + x.batchesSent, 0);
const accepted = r.reports.reduce((s, x) => s + x.batchesAccepted, 0);
const rejected = r.reports.reduce((s, x) => s + x.batchesRejected, 0);
const cross = r.reports.reduce((s, x) => s + x.crossMessages, 0);
console.log(
  `transfers: ${r.transfers} completed of ${r.payments} (${r.multiCompleted} multi-hop), ${r.failed} failed, success ratio ${(r.successRatio * 100).toFixed(2)} %`,
);
const reasons: Record<string, number> = {};
for (const x of r.reports) for (const [k, v] of Object.entries(x.reasons)) reasons[k] = (reasons[k] ?? 0) + v;
if (r.failed > 0) console.log(`failures: ${JSON.stringify(reasons)}`);
console.log(
  `throughput: ${fmt(r.transfersPerSec)} transfers/s end to end, ${fmt(r.hopUpdatesPerSec)} hop updates/s, ${fmt(r.elapsedMs)} ms`,
);
console.log(`latency: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`);
console.log(
  `proofs: ${sent} balance proofs sent, ${accepted} verified and countersigned, ${rejected} rejected; ${sig} signatures; ${cross} messages across MessagePorts`,
);
if (rejected > 0) {
  const why: Record<string, number> = {};
  for (const x of r.reports) for (const [k, v] of Object.entries(x.rejections)) why[k] = (why[k] ?? 0) + v;
  console.log(`rejected (first of each node): ${JSON.stringify(why)}`);
}
console.log(
  `durable: ${writes} machine writes in ${commits} group commits (append + fdatasync), ${bytes} bytes`,
);
if (curve) {
  console.log('curve:');
  for (const workers of [1, 2])
    for (const channels of [500, 1000, 2500]) {
      const c = await runBench({
        ...o,
        workers,
        channels,
        payments: Math.max(1000, Math.floor(o.payments / 2)),
      });
      console.log(`  ${line(c)}`);
    }
}
console.log(
  `result: channel transfers end to end = ${fmt(r.transfersPerSec)} transfers/s (target >= 100000)`,
);
