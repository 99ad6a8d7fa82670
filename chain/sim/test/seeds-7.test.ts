// (a) A few hundred seeds of the 7-validator / 2-byzantine configuration find no violation.
import { describe, expect, it } from 'vitest';
import { describeViolations, runSeeds } from './helpers';

describe('7 validators, 2 byzantine', () => {
  it('keeps safety and liveness on 250 seeds of mixed faults', () => {
    const results = runSeeds({ validators: 7 }, 0, 250);
    expect(describeViolations(results)).toEqual([]);
    expect(results.every((r) => r.livenessMet)).toBe(true);
    expect(results.every((r) => r.byzantine.length === 2)).toBe(true);
  });

  it('keeps safety against the fork-hunting adversary', () => {
    const results = runSeeds({ validators: 7, scenario: 'fork-hunt' }, 0, 60);
    expect(describeViolations(results)).toEqual([]);
  });

  it('keeps safety and liveness with unequal voting powers', () => {
    const results = runSeeds({ validators: 7, unequalPowers: true }, 1000, 30);
    expect(describeViolations(results)).toEqual([]);
  });
});
