// The simulator: seeds run clean, a seed replays exactly, and each rule broken on purpose is caught.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
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
    const a = sim('--seed', '3');
    expect(a.code, a.err).toBe(0);
    const hash = a.out.match(/trace hash\s+([0-9a-f]{64})/)?.[1];
    expect(hash).toBeDefined();
    expect(sim('--seed', '3').out).toContain(hash);
    expect(a.out).toContain('violations       0 (none)');
    const bad = sim('--seeds', '6', '--from', '12', '--no-watcher', '--workers', '1');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/seed \d+ honest-loss/);
    expect(bad.out).toMatch(/replay: npm run sim:channels -- --seed \d+ --no-watcher --verbose/);
  });
});
