// Named failure modes of consortium chains, with both drivers: a validator whose links keep flapping,
// and a validator-set change decided while a validator is cut off, which it must then sync across.
import { toHex, validatorSetHash } from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { runSimulationAsync, type SimResult, Simulation } from '../src/simulation';
import { describeViolations } from './helpers';

describe('a flapping validator', () => {
  for (const driver of ['node', 'sim'] as const) {
    for (const validators of [4, 7]) {
      it(`keeps safety and liveness (${driver} driver, ${validators} validators)`, async () => {
        const results: SimResult[] = [];
        for (let seed = 0; seed < 12; seed++)
          results.push(await runSimulationAsync({ seed, validators, driver, scenario: 'flapping' }));
        expect(describeViolations(results)).toEqual([]);
        // It did flap: several cut-offs per run, and crashes.
        const cuts = results.reduce(
          (a, r) => a + (r.faults.partition ?? 0) + (r.faults['partition-one-way'] ?? 0),
          0,
        );
        expect(cuts).toBeGreaterThan(3 * results.length);
        expect(results.reduce((a, r) => a + (r.faults.restart ?? 0), 0)).toBeGreaterThan(results.length);
      });
    }
  }
});

describe('a validator-set change while a validator is cut off', () => {
  for (const driver of ['node', 'sim'] as const) {
    for (const validators of [4, 7]) {
      it(`is synced across by the cut-off validator (${driver} driver, ${validators} validators)`, async () => {
        let acrossBeforeHeal = 0;
        const seeds = 12;
        for (let seed = 0; seed < seeds; seed++) {
          const lines: string[] = [];
          const sim = new Simulation({
            seed,
            validators,
            driver,
            scenario: 'reconfig',
            onTrace: (line) => lines.push(line),
          });
          const result = await sim.runAsync();
          expect(describeViolations([result])).toEqual([]);
          const { powers, isolated } = sim.scenario.reconfig!;
          const changed = sim.world.validators.map((v, i) => ({ ...v.validator, power: powers[i]! }));
          const changedHash = toHex(validatorSetHash(sim.world.suite, changed));
          // Every honest node went over to the new set, at the same height.
          const activations = sim.nodes
            .filter((n) => !n.byzantine)
            .map(
              (n) =>
                n.durable.chain.find((c) => toHex(c.block.header.validatorsHash) === changedHash)?.height,
            );
          expect(activations.every((h) => h !== undefined && h === activations[0])).toBe(true);
          // Mostly the change is decided during the cut-off, and the cut-off node syncs the block where
          // it takes over (whose certificate only the new set makes valid).
          const heal = lines.findIndex((l) => l.includes('FAULT PHASE OVER'));
          const decided = lines.findIndex((l) => l.includes(` COMMIT ${activations[0]} `));
          const synced = lines.some(
            (l) => l.includes(`n${isolated} COMMIT ${activations[0]} `) && l.includes('via sync'),
          );
          if (decided < heal && synced) acrossBeforeHeal++;
        }
        expect(acrossBeforeHeal).toBeGreaterThan(seeds / 2);
      });
    }
  }
});
