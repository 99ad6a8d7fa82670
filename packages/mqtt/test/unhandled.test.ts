// A subscription cut short by its connection closing can leave mqtt.js's own promise rejected with no
// handler; it must not end the process (seen as an ingester dying on a broker restart). Any other
// unhandled rejection still ends it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = join(fileURLToPath(new URL('.', import.meta.url)), 'fixture', 'rejects.ts');
const run = (kind: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', fixture, kind], { encoding: 'utf8', timeout: 60_000 });

describe('unhandled rejections after connectMqtt', () => {
  it('a subscription cut short by a closing connection is logged and counted, and the process lives on', () => {
    const result = run('closed');
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout.trim().split('\n').pop()!);
    expect(report).toMatchObject({ alive: true, counted: 1 });
    expect(report.warnings[0]).toMatch(/cut short by its connection closing/);
  });

  it('any other unhandled rejection still ends the process', () => {
    const result = run('other');
    expect(result.status).not.toBe(0);
    expect(result.stdout).not.toContain('alive');
    expect(result.stderr).toContain('something else went wrong');
  });
});
