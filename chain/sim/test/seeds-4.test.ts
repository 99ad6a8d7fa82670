// (a) A few hundred seeds of the 4-validator / 1-byzantine configuration find no violation.
import { describe, expect, it } from 'vitest';
import { describeViolations, runSeeds } from './helpers';

describe('4 validators, 1 byzantine', () => {
  it('keeps safety and liveness on 300 seeds of mixed faults', () => {
    const results = runSeeds({ validators: 4 }, 0, 300);
    expect(describeViolations(results)).toEqual([]);
    expect(results.every((r) => r.livenessMet)).toBe(true);
    // The runs did real work: heights were committed and every kind of fault was injected.
    expect(results.reduce((a, r) => a + r.honestMin, 0)).toBeGreaterThan(1000);
    const faults = new Set(results.flatMap((r) => Object.keys(r.faults)));
    for (const kind of [
      'drop',
      'duplicate',
      'delay-tail',
      'partition',
      'partition-one-way',
      'crash',
      'crash-mid-batch',
      'restart',
      'double-propose',
      'double-vote',
      'clock-skew',
      'sync-applied',
    ])
      expect(faults, kind).toContain(kind);
  });

  it('keeps safety and liveness with unequal voting powers', () => {
    const results = runSeeds({ validators: 4, unequalPowers: true }, 1000, 60);
    expect(describeViolations(results)).toEqual([]);
  });
});
