// The command line: a replayed seed prints the same trace hash twice, and violations give exit code 1.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

function sim(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

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

  it('refuses unknown arguments', () => {
    const bad = sim('--bogus');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown argument --bogus');
  });
});
