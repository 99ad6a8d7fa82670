// The channel network simulator's command line (`npm run sim:channels -- …` from the repository root):
//
//   --seeds N              how many seeds to run (default 100)
//   --from S               first seed (default 0)
//   --seed S               replay one seed, printing its summary (and with --verbose its trace)
//   --verbose              with --seed: print every trace line
//   --ack-before-persist   test-only defect: acknowledge batches before they are durable
//   --no-watcher           test-only defect: no watchers defend offline parties
//   --workers N            processes to spread seeds over (default: the number of CPUs)
//
// Every seed runs single-threaded and deterministically; workers only split the seeds. Exit code 1 when
// any violation was found; each violation prints the command that replays its seed.
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type ChannelSimResult, runChannelSimulation } from './simulation';

interface CliOptions {
  seeds: number;
  from: number;
  seed: number | null;
  verbose: boolean;
  ackBeforePersist: boolean;
  noWatcher: boolean;
  workers: number;
}

function usage(problem?: string): never {
  if (problem) console.error(`sim:channels: ${problem}`);
  console.error(
    'usage: sim:channels [--seeds N] [--from S] [--seed S [--verbose]] [--ack-before-persist] [--no-watcher] [--workers N]',
  );
  process.exit(2);
}

function parse(argv: string[]): CliOptions {
  const o: CliOptions = {
    seeds: 100,
    from: 0,
    seed: null,
    verbose: false,
    ackBeforePersist: false,
    noWatcher: false,
    workers: Math.max(1, availableParallelism()),
  };
  const int = (name: string, value: string | undefined, min = 0): number => {
    const n = Number(value);
    if (value === undefined || !Number.isSafeInteger(n) || n < min)
      usage(`${name} needs an integer ≥ ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--seeds':
        o.seeds = int('--seeds', value(), 1);
        break;
      case '--from':
        o.from = int('--from', value());
        break;
      case '--seed':
        o.seed = int('--seed', value());
        break;
      case '--workers':
        o.workers = int('--workers', value(), 1);
        break;
      case '--verbose':
        o.verbose = true;
        break;
      case '--ack-before-persist':
        o.ackBeforePersist = true;
        break;
      case '--no-watcher':
        o.noWatcher = true;
        break;
      case '--worker':
        break;
      case '--help':
      case '-h':
        usage();
        break;
      default:
        usage(`unknown argument ${arg}`);
    }
  }
  return o;
}

function replay(o: CliOptions, seed: number): string {
  const flags = [
    `--seed ${seed}`,
    o.ackBeforePersist ? '--ack-before-persist' : '',
    o.noWatcher ? '--no-watcher' : '',
    '--verbose',
  ];
  return `npm run sim:channels -- ${flags.filter(Boolean).join(' ')}`;
}

type Report = Omit<ChannelSimResult, never>;

function simulate(o: CliOptions, seed: number, onTrace?: (line: string) => void): Report {
  return runChannelSimulation({
    seed,
    ...(o.ackBeforePersist && { ackBeforePersist: true, crashiness: 3 }),
    ...(o.noWatcher && { noWatcher: true, forceCheat: true }),
    ...(onTrace && { onTrace }),
  });
}

function summarize(o: CliOptions, reports: Report[], elapsedMs: number): number {
  const sum = (f: (r: Report) => number) => reports.reduce((x, r) => x + f(r), 0);
  const bad = reports.filter((r) => r.violations.length > 0);
  const lines = [
    `seeds run        ${reports.length} (seeds ${o.from}..${o.from + reports.length - 1})`,
    `nodes / channels ${sum((r) => r.nodes)} / ${sum((r) => r.channels)}`,
    `payments         ${sum((r) => r.payments.started)} started: ${sum((r) => r.payments.completed)} completed, ${sum((r) => r.payments.failed)} failed and refunded; ${sum((r) => r.payments.refused)} refused by the payer (no capacity), ${sum((r) => r.payments.notStarted)} lost in a crash before starting`,
    `batches / ops    ${sum((r) => r.batches)} balance proofs for ${sum((r) => r.ops)} operations; ${sum((r) => r.writes)} durable writes`,
    `faults           ${sum((r) => r.crashes)} crashes, ${sum((r) => r.cheats)} cheating closes; watchers sent ${sum((r) => r.challenges)} challenges, ${sum((r) => r.reveals)} preimage reveals`,
    `chain            ${sum((r) => r.blocks)} blocks`,
    `violations       ${sum((r) => r.violations.length)}${
      bad.length === 0
        ? ' (none)'
        : ` in seeds ${bad
            .map((r) => r.seed)
            .slice(0, 20)
            .join(', ')}`
    }`,
  ];
  console.log(lines.join('\n'));
  for (const r of bad.slice(0, 5)) {
    for (const v of r.violations.slice(0, 3)) console.log(`  seed ${v.seed} ${v.kind}: ${v.message}`);
    console.log(`  replay: ${replay(o, r.seed)}`);
  }
  console.log(`elapsed ${(elapsedMs / 1000).toFixed(1)} s`);
  return bad.length > 0 ? 1 : 0;
}

function worker(o: CliOptions): void {
  process.on('message', (job: number[] | 'exit') => {
    if (job === 'exit') process.exit(0);
    process.send!(job.map((seed) => simulate(o, seed)));
  });
  process.send!('ready');
}

async function runPool(o: CliOptions, seeds: number[]): Promise<Report[]> {
  const size = Math.min(o.workers, seeds.length);
  const self = fileURLToPath(import.meta.url);
  const args = [
    '--worker',
    ...(o.ackBeforePersist ? ['--ack-before-persist'] : []),
    ...(o.noWatcher ? ['--no-watcher'] : []),
  ];
  const children = Array.from({ length: size }, () => fork(self, args, { execArgv: process.execArgv }));
  const chunk = Math.max(1, Math.min(20, Math.ceil(seeds.length / (size * 8))));
  const chunks: number[][] = [];
  for (let i = 0; i < seeds.length; i += chunk) chunks.push(seeds.slice(i, i + chunk));
  const results: Report[] = [];
  let next = 0;
  try {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve, reject) => {
            child.once('exit', (code) => {
              if (code !== 0) reject(new Error(`a simulator worker exited with code ${code}`));
            });
            const feed = () => {
              if (next >= chunks.length) {
                resolve();
                return;
              }
              const job = chunks[next++]!;
              child.once('message', (reports: Report[]) => {
                results.push(...reports);
                feed();
              });
              child.send(job);
            };
            child.once('message', () => feed());
          }),
      ),
    );
  } finally {
    for (const c of children) c.send('exit');
  }
  return results.sort((a, b) => a.seed - b.seed);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const o = parse(argv);
  if (argv.includes('--worker')) {
    worker(o);
    return -1;
  }
  const defects = `${o.ackBeforePersist ? ', ACKS BEFORE PERSIST (test-only defect)' : ''}${o.noWatcher ? ', NO WATCHERS (test-only defect)' : ''}`;
  const started = performance.now();
  if (o.seed !== null) {
    const r = simulate(o, o.seed, o.verbose ? (line) => console.log(line) : undefined);
    console.log(`Gongxin channel network simulator: seed ${o.seed}${defects}`);
    const code = summarize({ ...o, from: o.seed }, [r], performance.now() - started);
    console.log(`trace hash       ${r.traceHash}`);
    return code;
  }
  console.log(
    `Gongxin channel network simulator: seeds ${o.from}..${o.from + o.seeds - 1}${defects}, ${o.workers} worker(s)`,
  );
  const seeds = Array.from({ length: o.seeds }, (_, i) => o.from + i);
  const reports = o.workers <= 1 ? seeds.map((s) => simulate(o, s)) : await runPool(o, seeds);
  return summarize(o, reports, performance.now() - started);
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
