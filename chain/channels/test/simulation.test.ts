// The simulator: seeds run clean, a seed replays exactly, and each rule broken on purpose is caught.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, simulate, summarize } from '../src/sim/report';
import { runChannelSimulation } from '../src/sim/simulation';

const seeds = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('channel network simulation', () => {
  it('finds no violation over seeds with crashes, drops, offline parties, cheats and griefing', () => {
    const results = seeds(100, 25).map((seed) => runChannelSimulation({ seed }));
    expect(results.flatMap((r) => r.violations)).toEqual([]);
    // The seeds did exercise the faults and the features.
    const sum = (f: (r: (typeof results)[number]) => number) => results.reduce((x, r) => x + f(r), 0);
    expect(sum((r) => r.crashes)).toBeGreaterThan(10);
    expect(sum((r) => r.cheats)).toBeGreaterThan(3);
    expect(sum((r) => r.payments.completed)).toBeGreaterThan(1_000);
    expect(sum((r) => r.ops)).toBeGreaterThan(sum((r) => r.batches));
  });

  it('replays a seed exactly', () => {
    const a = runChannelSimulation({ seed: 7 });
    const b = runChannelSimulation({ seed: 7 });
    expect(b.traceHash).toBe(a.traceHash);
    expect(runChannelSimulation({ seed: 8 }).traceHash).not.toBe(a.traceHash);
  });

  it('catches acknowledgements sent before the write that holds them', () => {
    const found = seeds(0, 25).flatMap(
      (seed) => runChannelSimulation({ seed, ackBeforePersist: true, crashiness: 3 }).violations,
    );
    expect(found.some((v) => v.kind === 'durability')).toBe(true);
  });

  it('catches an honest party robbed by a cheating close when no watcher defends it', () => {
    const found = seeds(0, 25).flatMap(
      (seed) => runChannelSimulation({ seed, noWatcher: true, forceCheat: true }).violations,
    );
    expect(found.some((v) => v.kind === 'honest-loss')).toBe(true);
    // With watchers, the same cheats are defeated.
    const defended = seeds(0, 25).flatMap(
      (seed) => runChannelSimulation({ seed, forceCheat: true }).violations,
    );
    expect(defended).toEqual([]);
  });
});

describe('cli', () => {
  const cli = fileURLToPath(new URL('../src/sim/cli.ts', import.meta.url));
  const sim = (...args: string[]) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
      timeout: 240_000,
    });
    return { code: run.status, out: run.stdout, err: run.stderr };
  };

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
});
