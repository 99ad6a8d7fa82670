// What the channel simulator's command line does for each seed and how it reports, apart from the
// process handling (argument errors, worker processes) in `cli.ts`: tests replay seeds through these same
// functions in process.
import { availableParallelism } from 'node:os';
import { type ChannelSimResult, runChannelSimulation } from './simulation';

export interface CliOptions {
  seeds: number;
  from: number;
  seed: number | null;
  verbose: boolean;
  ackBeforePersist: boolean;
  noWatcher: boolean;
  workers: number;
}

export function usage(problem?: string): never {
  if (problem) console.error(`sim:channels: ${problem}`);
  console.error(
    'usage: sim:channels [--seeds N] [--from S] [--seed S [--verbose]] [--ack-before-persist] [--no-watcher] [--workers N]',
  );
  process.exit(2);
}

export function parse(argv: string[]): CliOptions {
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

/** The command that replays one seed with the same defects. */
export function replay(o: CliOptions, seed: number): string {
  const flags = [
    `--seed ${seed}`,
    o.ackBeforePersist ? '--ack-before-persist' : '',
    o.noWatcher ? '--no-watcher' : '',
    '--verbose',
  ];
  return `npm run sim:channels -- ${flags.filter(Boolean).join(' ')}`;
}

export type Report = ChannelSimResult;

/** Runs one seed as the command does for these options. */
export function simulate(o: CliOptions, seed: number, onTrace?: (line: string) => void): Report {
  return runChannelSimulation({
    seed,
    ...(o.ackBeforePersist && { ackBeforePersist: true, crashiness: 3 }),
    ...(o.noWatcher && { noWatcher: true, forceCheat: true }),
    ...(onTrace && { onTrace }),
  });
}

/** The report the command prints for these runs, and its exit code (1 when any seed broke a rule). */
export function summarize(
  o: CliOptions,
  reports: Report[],
  elapsedMs: number,
): { text: string; code: number } {
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
  for (const r of bad.slice(0, 5)) {
    for (const v of r.violations.slice(0, 3)) lines.push(`  seed ${v.seed} ${v.kind}: ${v.message}`);
    lines.push(`  replay: ${replay(o, r.seed)}`);
  }
  lines.push(`elapsed ${(elapsedMs / 1000).toFixed(1)} s`);
  return { text: lines.join('\n'), code: bad.length > 0 ? 1 : 0 };
}
