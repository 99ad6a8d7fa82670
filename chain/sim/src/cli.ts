// The simulator's command line (`npm run sim -- …` from the repository root); its options are in
// cli-options.ts and `--help` lists them.
//
// Every seed runs single-threaded and deterministically; workers only split the seeds between them. The
// exit code is 1 when any violation was found.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type CliOptions, parse, USAGE } from './cli-options';
import { runCommand } from './command-line';
import { DEFAULT_BEHIND } from './scenario';
import { configLabel, defaultByzantine, runSimulationAsync, type SimOptions } from './simulation';
import { ConfigSummary, formatViolation, type SeedReport, toReport } from './summary';

function simOptions(o: CliOptions, validators: number, seed: number): SimOptions {
  return {
    seed,
    validators,
    realCrypto: o.realCrypto,
    ignoreLocks: o.ignoreLocks,
    noRegossip: o.noRegossip,
    noSync: o.noSync,
    unequalPowers: o.unequalPowers,
    scenario: o.scenario,
    behind: o.behind,
    driver: o.driver,
  };
}

/** The command that replays one seed of a configuration exactly. */
function replayCommand(o: CliOptions, validators: number, seed: number): string {
  const flags = [
    `--seed ${seed}`,
    `--validators ${validators}`,
    o.realCrypto ? '--real-crypto' : '',
    o.ignoreLocks ? '--ignore-locks' : '',
    o.noRegossip ? '--no-regossip' : '',
    o.noSync ? '--no-sync' : '',
    o.unequalPowers ? '--unequal-powers' : '',
    o.scenario !== 'random' ? `--scenario ${o.scenario}` : '',
    o.scenario === 'far-behind' && o.behind !== DEFAULT_BEHIND ? `--behind ${o.behind}` : '',
    o.driver !== 'node' ? `--driver ${o.driver}` : '',
    '--verbose',
  ];
  return `npm run sim -- ${flags.filter(Boolean).join(' ')}`;
}

// ------------------------------------------------------------------------------------------ worker side

interface Job {
  validators: number;
  seeds: number[];
}

function worker(o: CliOptions): void {
  process.on('message', async (job: Job | 'exit') => {
    if (job === 'exit') process.exit(0);
    const reports: SeedReport[] = [];
    for (const seed of job.seeds)
      reports.push(toReport(await runSimulationAsync(simOptions(o, job.validators, seed))));
    process.send!(reports);
  });
  process.send!('ready');
}

// ------------------------------------------------------------------------------------------ parent side

async function runConfig(o: CliOptions, validators: number, pool: Pool): Promise<ConfigSummary> {
  const label = configLabel(validators, defaultByzantine(validators));
  // With unequal powers, fewer may be byzantine when their power would reach a third.
  const summary = new ConfigSummary(o.unequalPowers ? `${label} at most, unequal powers` : label);
  const started = performance.now();
  const seeds = Array.from({ length: o.seeds }, (_, i) => o.from + i);
  // Small chunks keep both workers busy to the end (seeds differ a lot in cost).
  const chunk = Math.max(1, Math.min(25, Math.ceil(seeds.length / (pool.size * 8))));
  const chunks: number[][] = [];
  for (let i = 0; i < seeds.length; i += chunk) chunks.push(seeds.slice(i, i + chunk));
  let done = 0;
  const reports = await pool.map(
    chunks,
    (s) => ({ validators, seeds: s }),
    () => {
      done++;
      if (process.stderr.isTTY)
        process.stderr.write(`\r  ${summary.config}: ${done}/${chunks.length} chunks`);
    },
  );
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  for (const r of reports.flat().sort((a, b) => a.seed - b.seed)) summary.add(r);
  summary.elapsedMs = performance.now() - started;
  return summary;
}

class Pool {
  private readonly children: ReturnType<typeof fork>[] = [];

  constructor(
    readonly size: number,
    o: CliOptions,
  ) {
    const self = fileURLToPath(import.meta.url);
    const args = [
      '--worker',
      ...(o.realCrypto ? ['--real-crypto'] : []),
      ...(o.ignoreLocks ? ['--ignore-locks'] : []),
      ...(o.noRegossip ? ['--no-regossip'] : []),
      ...(o.noSync ? ['--no-sync'] : []),
    ];
    if (o.unequalPowers) args.push('--unequal-powers');
    args.push('--scenario', o.scenario, '--driver', o.driver);
    if (o.scenario === 'far-behind') args.push('--behind', String(o.behind));
    for (let i = 0; i < size; i++) this.children.push(fork(self, args, { execArgv: process.execArgv }));
  }

  async ready(): Promise<void> {
    await Promise.all(
      this.children.map((c) => new Promise<void>((resolve) => c.once('message', () => resolve()))),
    );
  }

  map(chunks: number[][], job: (seeds: number[]) => Job, progress: () => void): Promise<SeedReport[][]> {
    return new Promise((resolve, reject) => {
      const results: SeedReport[][] = [];
      let next = 0;
      let outstanding = 0;
      const feed = (child: ReturnType<typeof fork>) => {
        if (next >= chunks.length) {
          if (outstanding === 0) resolve(results);
          return;
        }
        const seeds = chunks[next++]!;
        outstanding++;
        child.once('message', (reports: SeedReport[]) => {
          outstanding--;
          results.push(reports);
          progress();
          feed(child);
          if (next >= chunks.length && outstanding === 0) resolve(results);
        });
        child.send(job(seeds));
      };
      for (const child of this.children) {
        child.once('exit', (code) => {
          if (code !== 0) reject(new Error(`a simulator worker exited with code ${code}`));
        });
        feed(child);
      }
    });
  }

  close(): void {
    for (const c of this.children) c.send('exit');
  }
}

async function main(o: CliOptions): Promise<number> {
  const crypto = o.realCrypto ? 'real Ed25519' : 'fast simulation crypto';
  const driver =
    o.driver === 'node'
      ? 'honest nodes run ChainNode (simulated storage, clock, network)'
      : "every node runs the simulator's driver";
  const defect =
    (o.ignoreLocks ? ', honest nodes IGNORE LOCKS (test-only defect)' : '') +
    (o.noRegossip ? ', nodes NEVER RE-GOSSIP (test-only defect)' : '') +
    (o.noSync ? ', block sync NEVER ASKS (test-only defect)' : '');
  const scenario =
    o.scenario === 'far-behind' ? `far-behind (${o.behind.toLocaleString('en-US')} blocks)` : o.scenario;

  if (o.seed !== null) {
    let violations = 0;
    for (const validators of o.validators) {
      const started = performance.now();
      const result = await runSimulationAsync({
        ...simOptions(o, validators, o.seed),
        onTrace: o.verbose ? (line) => console.log(line) : undefined,
      });
      const summary = new ConfigSummary(result.config);
      summary.add(toReport(result));
      summary.elapsedMs = performance.now() - started;
      console.log(summary.format());
      console.log(`  trace hash       ${result.traceHash}`);
      console.log(
        `  final heights    ${result.heights.join(', ')}; liveness ${result.livenessMet ? 'met' : 'NOT met'}`,
      );
      for (const v of result.violations) {
        console.log(formatViolation(v, replayCommand(o, validators, o.seed), o.verbose ? 0 : 60));
        violations++;
      }
      console.log();
    }
    return violations > 0 ? 1 : 0;
  }

  console.log(
    `Gongxin consensus simulator: seeds ${o.from}..${o.from + o.seeds - 1}, ${driver}, ${crypto}, scenario ${scenario}` +
      `${o.unequalPowers ? ', unequal powers' : ''}${defect}, ${o.workers} worker(s)`,
  );
  const started = performance.now();
  const pool = new Pool(Math.min(o.workers, o.seeds), o);
  let violations = 0;
  try {
    await pool.ready();
    for (const validators of o.validators) {
      const summary = await runConfig(o, validators, pool);
      console.log(summary.format());
      const first = summary.violations[0];
      if (first) console.log(formatViolation(first, replayCommand(o, validators, first.seed), 30));
      violations += summary.violations.length;
    }
  } finally {
    pool.close();
  }
  console.log(
    `total: ${violations} violation(s), elapsed ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return violations > 0 ? 1 : 0;
}

runCommand({ name: 'sim', usage: USAGE, parse, main, worker });
