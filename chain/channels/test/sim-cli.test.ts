// The channel simulator's command line: every option and its default, what it refuses (in process); the
// command itself: a refused command line, --help, a seed that replays exactly and a failing seed's report.
import { availableParallelism } from 'node:os';
import { HelpRequested } from '@gongxin/sim';
import { refusal, runCli } from '@gongxin/sim/testing';
import { describe, expect, it } from 'vitest';
import { parse, replay, simulate, summarize } from '../src/sim/report';

const seeds = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
const refused = (...argv: string[]) => refusal(parse, ...argv);
const cli = new URL('../src/sim/cli.ts', import.meta.url);
const sim = (...args: string[]) => runCli(cli, new URL('..', import.meta.url), args, 240_000);

describe('sim:channels options', () => {
  it('has a default for every option', () => {
    expect(parse([])).toEqual({
      seeds: 100,
      from: 0,
      seed: null,
      verbose: false,
      ackBeforePersist: false,
      noWatcher: false,
      workers: Math.max(1, availableParallelism()),
    });
  });

  it('reads every option, its value after it or after =, and reads its own replay command back', () => {
    const all = [
      '--seeds=40',
      '--from',
      '12',
      '--seed',
      '46',
      '--verbose',
      '--ack-before-persist',
      '--no-watcher',
      '--workers',
      '2',
    ];
    const o = parse(all);
    expect(o).toEqual({
      seeds: 40,
      from: 12,
      seed: 46,
      verbose: true,
      ackBeforePersist: true,
      noWatcher: true,
      workers: 2,
    });
    const command = replay(o, 46);
    expect(command).toBe('npm run sim:channels -- --seed 46 --ack-before-persist --no-watcher --verbose');
    expect(parse(command.split(' ').slice(4))).toMatchObject({
      seed: 46,
      verbose: true,
      ackBeforePersist: true,
      noWatcher: true,
    });
  });

  it('refuses bad numbers and unknown options, saying what is wrong', () => {
    expect(refused('--seeds', 'many')).toBe('--seeds needs a whole number ≥ 1, not "many"');
    expect(refused('--seeds', '0')).toBe('--seeds needs a whole number ≥ 1, not "0"');
    expect(refused('--seeds', '2.5')).toBe('--seeds needs a whole number ≥ 1, not "2.5"');
    expect(refused('--from=-3')).toBe('--from needs a whole number ≥ 0, not "-3"');
    expect(refused('--seed', '0x10')).toBe('--seed needs a whole number ≥ 0, not "0x10"');
    expect(refused('--workers', '0')).toBe('--workers needs a whole number ≥ 1, not "0"');
    expect(refused('--workers')).toBe('--workers needs a value');
    expect(refused('--no-watchers')).toBe('unknown option --no-watchers');
    expect(refused('--worker')).toBe('unknown option --worker');
    expect(refused('--seeds', '5', 'extra')).toMatch(/^unexpected argument extra/);
    expect(refused('--verbose=1')).toBe('--verbose takes no value');
  });

  it('answers --help and -h with the usage', () => {
    expect(() => parse(['--help'])).toThrow(HelpRequested);
    expect(() => parse(['-h'])).toThrow(HelpRequested);
  });
});

describe('sim:channels command', () => {
  it('replays one seed, and prints the failing seed with the command that replays it', () => {
    // A seed replays to the same trace through the very functions the command runs, and reports clean.
    const clean = parse(['--seed', '3']);
    const a = simulate(clean, 3);
    expect(simulate(clean, 3).traceHash).toBe(a.traceHash);
    const report = summarize({ ...clean, from: 3 }, [a], 0);
    expect(report.code).toBe(0);
    expect(report.text).toContain('violations       0 (none)');
    // Without watchers some seed loses an honest party's funds; its report names the seed and the command
    // that replays it, and that command's options replay the same violation.
    const noWatcher = parse(['--seeds', '6', '--from', '12', '--no-watcher', '--workers', '1']);
    const runs = seeds(12, 6).map((seed) => simulate(noWatcher, seed));
    const bad = runs.find((r) => r.violations.some((v) => v.kind === 'honest-loss'));
    expect(bad).toBeDefined();
    const summary = summarize(noWatcher, runs, 0);
    expect(summary.code).toBe(1);
    expect(summary.text).toContain(`seed ${bad!.seed} honest-loss`);
    const command = `npm run sim:channels -- --seed ${bad!.seed} --no-watcher --verbose`;
    expect(summary.text).toContain(`replay: ${command}`);
    const replayed = simulate(parse(command.split(' ').slice(4)), bad!.seed);
    expect(replayed.traceHash).toBe(bad!.traceHash);
    expect(replayed.violations).toEqual(bad!.violations);

    // The command itself, once: it prints that seed's violation and replay command and the same trace
    // hash as the run in process, and exits with 1.
    const run = sim('--seed', String(bad!.seed), '--no-watcher');
    expect(run.code, run.err).toBe(1);
    expect(run.out).toMatch(new RegExp(`seed ${bad!.seed} honest-loss`));
    expect(run.out).toContain(`replay: ${command}`);
    expect(run.out).toContain(`trace hash       ${bad!.traceHash}`);
  });

  it('refuses a bad command line with its reason, the usage and exit code 2; --help prints the usage', () => {
    const number = sim('--seeds', 'ten');
    expect(number.code).toBe(2);
    expect(number.err).toContain(
      'sim:channels: --seeds needs a whole number ≥ 1, not "ten"\nusage: sim:channels [--seeds N]',
    );
    expect(number.out).toBe('');
    const unknown = sim('--bogus');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('sim:channels: unknown option --bogus\nusage: sim:channels');
    const help = sim('--help');
    expect(help.code, help.err).toBe(0);
    expect(help.out).toContain('usage: sim:channels [--seeds N]');
    expect(help.out).toContain('--ack-before-persist');
    expect(help.err).toBe('');
  });
});
