// What the channel simulator's command line reads, does for each seed and reports, apart from the process
// handling (exit codes, worker processes) in `cli.ts`: tests read command lines and replay seeds through
// these same functions in process. Options are read as the consensus simulator's are (@gongxin/sim's
// command-line.ts).
import { readOptions, SEED_OPTIONS, type SeedOptions, seedOptions } from '@gongxin/sim';
import { type ChannelSimResult, runChannelSimulation } from './simulation';

export interface CliOptions extends SeedOptions {
  ackBeforePersist: boolean;
  noWatcher: boolean;
}

export const USAGE = `usage: sim:channels [--seeds N] [--from S] [--seed S [--verbose]] [--ack-before-persist]
                    [--no-watcher] [--workers N]

  --seeds N              how many seeds to run (default 100)
  --from S               first seed (default 0)
  --seed S               replay one seed, printing its summary (and with --verbose its trace)
  --verbose              with --seed: print every trace line
  --ack-before-persist   test-only defect: acknowledge batches before they are durable
  --no-watcher           test-only defect: no watchers defend offline parties
  --workers N            processes to spread seeds over (default: the number of CPUs)
  --help, -h             this text`;

/**
 * The options of a command line (without the program name). Throws `UsageError` for an unknown option,
 * a stray argument or a bad value, and `HelpRequested` for `--help`.
 */
export function parse(argv: readonly string[]): CliOptions {
  const v = readOptions(argv, {
    ...SEED_OPTIONS,
    'ack-before-persist': { type: 'boolean' },
    'no-watcher': { type: 'boolean' },
  });
  return {
    ...seedOptions(v),
    ackBeforePersist: v['ack-before-persist'] ?? false,
    noWatcher: v['no-watcher'] ?? false,
  };
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
    `payments         ${sum((r) => r.payments.started)} started: ${sum((r) => r.payments.completed)} completed, ${sum((r) => r.payments.failed)} failed and refunded; ${sum((r) => r.payments.refused)} refused by the payer (no capacity, lock limit, or ${sum((r) => r.unsentAtRestart)} failed at a restart as never sent), ${sum((r) => r.payments.notStarted)} lost in a crash before the payer recorded them`,
    `batches / ops    ${sum((r) => r.batches)} balance proofs for ${sum((r) => r.ops)} operations; ${sum((r) => r.writes)} durable writes`,
    `faults           ${sum((r) => r.crashes)} crashes, ${sum((r) => r.cheats)} cheating closes, ${sum((r) => r.floods)} lock floods (${sum((r) => r.lockLimitRefusals)} locks refused at the limit); watchers sent ${sum((r) => r.challenges)} challenges, ${sum((r) => r.reveals)} preimage reveals`,
    `closes           ${sum((r) => r.settledTogether)} settled together, ${sum((r) => r.settledAlone)} alone`,
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
