// The consensus simulator's options (`npm run sim -- …` from the repository root), read apart from the
// process handling in cli.ts so that tests read command lines in process.
import {
  oneOf,
  readOptions,
  SEED_OPTIONS,
  type SeedOptions,
  seedOptions,
  UsageError,
  wholeNumber,
} from './command-line';
import { DEFAULT_BEHIND, type ScenarioKind } from './scenario';

export interface CliOptions extends SeedOptions {
  validators: number[];
  realCrypto: boolean;
  ignoreLocks: boolean;
  noRegossip: boolean;
  noSync: boolean;
  unequalPowers: boolean;
  scenario: ScenarioKind;
  /** 'far-behind': blocks the others built while the cut-off validator was away. */
  behind: number;
  driver: 'node' | 'sim';
}

export const SCENARIOS: readonly ScenarioKind[] = [
  'random',
  'mixed',
  'fork-hunt',
  'crashy',
  'stuck',
  'flapping',
  'reconfig',
  'far-behind',
];

export const USAGE = `usage: sim [--seeds N] [--from S] [--validators 4|7|both] [--seed S [--verbose]] [--real-crypto]
           [--ignore-locks] [--no-regossip] [--no-sync] [--unequal-powers] [--scenario K [--behind N]]
           [--driver node|sim] [--workers N]

  --seeds N              how many seeds to run (default 100)
  --from S               first seed (default 0)
  --validators 4|7|both  configurations: 4 validators with 1 byzantine, 7 with 2 (default both); any n
                         works, with ⌊(n−1)/3⌋ byzantine
  --seed S               replay one seed (each selected configuration), printing its summary
  --verbose              with --seed: print every trace line as it happens
  --real-crypto          real Ed25519 instead of the fast simulation suite
  --ignore-locks         honest nodes run with the machine's test-only ignoreLocks defect
  --no-regossip          re-gossip never fires (test-only defect: the ChainNode adapter drops what the
                         production policy plans; the simulator's driver skips its own)
  --no-sync              block sync never asks (test-only defect: requests are dropped before they leave)
  --unequal-powers       draw voting powers 1–10 instead of equal ones
  --scenario K           ${SCENARIOS.join(' | ')} (default random)
  --behind N             with --scenario far-behind: blocks the others built while the cut-off validator
                         was away (default ${DEFAULT_BEHIND})
  --driver D             node (default): honest validators are the production ChainNode on simulated
                         storage, clock and network; sim: the simulator's own driver for every validator
  --workers N            processes to spread seeds over (default: the number of CPUs)
  --help, -h             this text`;

/**
 * The options of a command line (without the program name). Throws `UsageError` for an unknown option,
 * a stray argument or a bad value, and `HelpRequested` for `--help`.
 */
export function parse(argv: readonly string[]): CliOptions {
  const v = readOptions(argv, {
    ...SEED_OPTIONS,
    validators: { type: 'string' },
    'real-crypto': { type: 'boolean' },
    'ignore-locks': { type: 'boolean' },
    'no-regossip': { type: 'boolean' },
    'no-sync': { type: 'boolean' },
    'unequal-powers': { type: 'boolean' },
    scenario: { type: 'string' },
    behind: { type: 'string' },
    driver: { type: 'string' },
  });
  const scenario = oneOf('--scenario', v.scenario, SCENARIOS, 'random');
  if (v.behind !== undefined && scenario !== 'far-behind')
    throw new UsageError('--behind applies to --scenario far-behind only');
  const options: CliOptions = {
    ...seedOptions(v),
    validators:
      v.validators === undefined || v.validators === 'both' ? [4, 7] : [validatorCount(v.validators)],
    realCrypto: v['real-crypto'] ?? false,
    ignoreLocks: v['ignore-locks'] ?? false,
    noRegossip: v['no-regossip'] ?? false,
    noSync: v['no-sync'] ?? false,
    unequalPowers: v['unequal-powers'] ?? false,
    scenario,
    behind: wholeNumber('--behind', v.behind, DEFAULT_BEHIND, 1),
    driver: oneOf('--driver', v.driver, ['node', 'sim'], 'node'),
  };
  // Without the cut-off validator the others must hold more than two thirds: at least three of four.
  if (scenario === 'far-behind' && options.validators.some((n) => n < 4))
    throw new UsageError('--scenario far-behind needs at least 4 validators');
  return options;
}

function validatorCount(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : 0;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`--validators is 4, 7, both or another whole number ≥ 1, not "${value}"`);
  return n;
}
