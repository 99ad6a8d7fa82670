// (b) One seed drives everything: the same options give the identical trace (hash of every delivered
// message, commit, crash, partition and sync) twice, in any order, with the fast or the real crypto.
import { describe, expect, it } from 'vitest';
import { runSimulation, type SimOptions } from '../src/simulation';

function traceOf(options: SimOptions): { hash: string; lines: string[]; heights: number[] } {
  const lines: string[] = [];
  const result = runSimulation({ ...options, onTrace: (line) => lines.push(line) });
  return { hash: result.traceHash, lines, heights: result.heights };
}

describe('determinism', () => {
  it('replays a seed byte for byte, in both configurations', () => {
    for (const validators of [4, 7]) {
      for (const seed of [3, 17, 1234]) {
        const a = traceOf({ seed, validators });
        const b = traceOf({ seed, validators });
        expect(a.lines.length).toBeGreaterThan(100);
        expect(b.hash).toBe(a.hash);
        expect(b.lines).toEqual(a.lines);
        expect(b.heights).toEqual(a.heights);
      }
    }
  });

  it('does not depend on what ran before in the same process', () => {
    const first = runSimulation({ seed: 42, validators: 4 }).traceHash;
    for (let seed = 0; seed < 5; seed++) runSimulation({ seed, validators: 7, scenario: 'crashy' });
    runSimulation({ seed: 9, validators: 4, ignoreLocks: true, scenario: 'fork-hunt' });
    expect(runSimulation({ seed: 42, validators: 4 }).traceHash).toBe(first);
  });

  it('gives different seeds different runs', () => {
    const hashes = new Set(
      Array.from({ length: 10 }, (_, seed) => runSimulation({ seed, validators: 4 }).traceHash),
    );
    expect(hashes.size).toBe(10);
  });

  it('replays with real Ed25519 too', () => {
    const a = runSimulation({ seed: 5, validators: 4, realCrypto: true });
    const b = runSimulation({ seed: 5, validators: 4, realCrypto: true });
    expect(a.violations).toEqual([]);
    expect(b.traceHash).toBe(a.traceHash);
  });
});
