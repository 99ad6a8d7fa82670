// The command line: its options (every one, its default, and what it refuses), a replayed seed prints the
// same trace hash twice, and violations give exit code 1.
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parse } from '../src/cli-options';
import { HelpRequested } from '../src/command-line';
import { refusal, runCli } from '../src/testing';

const cli = new URL('../src/cli.ts', import.meta.url);
const sim = (...args: string[]) => runCli(cli, new URL('..', import.meta.url), args, 60_000);
const refused = (...argv: string[]) => refusal(parse, ...argv);

describe('options', () => {
  it('has a default for every option', () => {
    expect(parse([])).toEqual({
      seeds: 100,
      from: 0,
      validators: [4, 7],
      seed: null,
      verbose: false,
      realCrypto: false,
      ignoreLocks: false,
      noRegossip: false,
      noSync: false,
      unequalPowers: false,
      scenario: 'random',
      behind: 100_000,
      driver: 'node',
      workers: Math.max(1, availableParallelism()),
    });
  });

  it('reads every option, its value after it or after =', () => {
    expect(
      parse([
        '--seeds=2000',
        '--from',
        '10000',
        '--validators',
        '7',
        '--seed',
        '845',
        '--verbose',
        '--real-crypto',
        '--ignore-locks',
        '--no-regossip',
        '--no-sync',
        '--unequal-powers',
        '--scenario',
        'fork-hunt',
        '--driver=sim',
        '--workers',
        '3',
      ]),
    ).toEqual({
      seeds: 2000,
      from: 10000,
      validators: [7],
      seed: 845,
      verbose: true,
      realCrypto: true,
      ignoreLocks: true,
      noRegossip: true,
      noSync: true,
      unequalPowers: true,
      scenario: 'fork-hunt',
      behind: 100_000,
      driver: 'sim',
      workers: 3,
    });
    expect(parse(['--validators', 'both', '--seed', '0']).validators).toEqual([4, 7]);
    expect(parse(['--validators', '10']).validators).toEqual([10]);
    const far = parse(['--scenario', 'far-behind', '--behind', '2000', '--no-sync']);
    expect([far.scenario, far.behind, far.noSync]).toEqual(['far-behind', 2000, true]);
    expect(parse(['--scenario=far-behind']).behind).toBe(100_000);
  });

  it('refuses bad numbers, saying which option and what it needs', () => {
    expect(refused('--seeds', 'many')).toBe('--seeds needs a whole number ≥ 1, not "many"');
    expect(refused('--seeds', '0')).toBe('--seeds needs a whole number ≥ 1, not "0"');
    expect(refused('--seeds', '1.5')).toBe('--seeds needs a whole number ≥ 1, not "1.5"');
    expect(refused('--seeds', '1e3')).toBe('--seeds needs a whole number ≥ 1, not "1e3"');
    expect(refused('--seeds', '')).toBe('--seeds needs a whole number ≥ 1, not ""');
    expect(refused('--from=-1')).toBe('--from needs a whole number ≥ 0, not "-1"');
    expect(refused('--from', '-1')).toMatch(/^--from needs a value/);
    expect(refused('--seed', '99999999999999999999')).toMatch(/^--seed needs a whole number/);
    expect(refused('--workers', '0')).toBe('--workers needs a whole number ≥ 1, not "0"');
    expect(refused('--seeds')).toBe('--seeds needs a value');
    expect(refused('--validators', '0')).toMatch(/^--validators is 4, 7, both or/);
    expect(refused('--validators', 'all')).toMatch(/^--validators is 4, 7, both or/);
    expect(refused('--scenario', 'chaos')).toBe(
      '--scenario is one of random, mixed, fork-hunt, crashy, stuck, flapping, reconfig, far-behind, not "chaos"',
    );
    expect(refused('--behind', '2000')).toBe('--behind applies to --scenario far-behind only');
    expect(refused('--scenario', 'reconfig', '--behind', '2000')).toBe(
      '--behind applies to --scenario far-behind only',
    );
    expect(refused('--scenario', 'far-behind', '--behind', '0')).toBe(
      '--behind needs a whole number ≥ 1, not "0"',
    );
    expect(refused('--scenario', 'far-behind', '--validators', '3')).toBe(
      '--scenario far-behind needs at least 4 validators',
    );
    expect(refused('--driver', 'chain')).toBe('--driver is one of node, sim, not "chain"');
    expect(refused('--bogus')).toBe('unknown option --bogus');
    expect(refused('--seeds', '5', '10')).toMatch(/^unexpected argument 10/);
    expect(refused('--verbose=yes')).toBe('--verbose takes no value');
  });

  it('answers --help and -h with the usage', () => {
    expect(() => parse(['--help'])).toThrow(HelpRequested);
    expect(() => parse(['--seeds', '5', '-h'])).toThrow(HelpRequested);
  });
});

describe('cli', () => {
  it('replays one seed exactly', () => {
    const a = sim('--seed', '11', '--validators', '4');
    const b = sim('--seed', '11', '--validators', '4');
    expect(a.code, a.err).toBe(0);
    const hash = a.out.match(/trace hash\s+([0-9a-f]{64})/)?.[1];
    expect(hash).toBeDefined();
    expect(b.out).toContain(hash);
    expect(a.out).toContain('violations       0 (none)');
  });

  it('runs seeds over workers, summarises per configuration, and exits 1 on a violation', () => {
    const ok = sim('--seeds', '6', '--from', '20', '--workers', '2');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('4 validators / 1 byzantine');
    expect(ok.out).toContain('7 validators / 2 byzantine');
    expect(ok.out).toContain('seeds run        6 (seeds 20..25)');
    const stuck = sim('--seeds', '2', '--validators', '4', '--scenario', 'stuck', '--workers', '1');
    expect(stuck.code).toBe(1);
    expect(stuck.out).toContain('liveness: seeds 0, 1');
    expect(stuck.out).toContain('replay: npm run sim -- --seed 0 --validators 4 --scenario stuck --verbose');
  });

  it('reports the far-behind catch-up, and replays a far-behind seed with its history length', () => {
    const far = ['--seeds', '1', '--validators', '4', '--scenario', 'far-behind', '--behind', '500'];
    const ok = sim(...far, '--workers', '1');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('scenario far-behind (500 blocks)');
    expect(ok.out).toMatch(/far behind +history of 500 blocks built before each run/);
    expect(ok.out).toMatch(
      /seed 0: n\d caught up [\d,]+ blocks in [\d.]+ s simulated, [\d.]+ s wall; joined consensus at [\d,]+/,
    );
    const broken = sim(...far, '--no-sync', '--workers', '1');
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('liveness: seeds 0');
    expect(broken.out).toMatch(/seed 0: n\d NEVER caught up/);
    expect(broken.out).toContain(
      'replay: npm run sim -- --seed 0 --validators 4 --no-sync --scenario far-behind --behind 500 --verbose',
    );
  });

  it('refuses a bad command line with its reason, the usage and exit code 2; --help prints the usage', () => {
    const bogus = sim('--bogus');
    expect(bogus.code).toBe(2);
    expect(bogus.err).toContain('sim: unknown option --bogus\nusage: sim [--seeds N]');
    expect(bogus.out).toBe('');
    const number = sim('--seeds', 'ten');
    expect(number.code).toBe(2);
    expect(number.err).toContain('sim: --seeds needs a whole number ≥ 1, not "ten"\nusage: sim');
    const help = sim('--help');
    expect(help.code, help.err).toBe(0);
    expect(help.out).toContain('usage: sim [--seeds N]');
    expect(help.out).toContain('--scenario K');
    expect(help.err).toBe('');
  });
});
