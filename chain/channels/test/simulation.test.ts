// The simulator: seeds run clean and each rule broken on purpose is caught (the command line and its
// replays: sim-cli.test.ts).
import { describe, expect, it } from 'vitest';
import { runChannelSimulation } from '../src/sim/simulation';

const seeds = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('channel network simulation', () => {
  it('finds no violation over seeds with crashes, drops, offline parties, cheats, griefing and lock floods', () => {
    const results = seeds(100, 25).map((seed) => runChannelSimulation({ seed }));
    expect(results.flatMap((r) => r.violations)).toEqual([]);
    // The seeds did exercise the faults and the features.
    const sum = (f: (r: (typeof results)[number]) => number) => results.reduce((x, r) => x + f(r), 0);
    expect(sum((r) => r.crashes)).toBeGreaterThan(10);
    expect(sum((r) => r.cheats)).toBeGreaterThan(3);
    expect(sum((r) => r.payments.completed)).toBeGreaterThan(1_000);
    expect(sum((r) => r.ops)).toBeGreaterThan(sum((r) => r.batches));
    // Lock floods towards the griefer went beyond what a balance proof may carry and were refused at the
    // limit; crashes caught payments queued but not signed, which failed at the restart.
    expect(sum((r) => r.floods)).toBeGreaterThan(2);
    expect(sum((r) => r.lockLimitRefusals)).toBeGreaterThan(0);
    expect(sum((r) => r.unsentAtRestart)).toBeGreaterThan(0);
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
