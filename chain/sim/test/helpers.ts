import { runSimulation, type SimOptions, type SimResult } from '../src/simulation';

/** Run seeds [from, from + count) of one configuration; returns every result. */
export function runSeeds(options: Omit<SimOptions, 'seed'>, from: number, count: number): SimResult[] {
  const results: SimResult[] = [];
  for (let seed = from; seed < from + count; seed++) results.push(runSimulation({ ...options, seed }));
  return results;
}

/** Violations as "kind@seed: message" lines, for readable assertion failures. */
export function describeViolations(results: SimResult[]): string[] {
  return results.flatMap((r) => r.violations.map((v) => `${v.kind}@${v.seed} (${v.config}): ${v.message}`));
}
