import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startupStep } from '../src/suite';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const dataDir = mkdtempSync(path.join(tmpdir(), 'gongxin-startup-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Start the suite exactly as `npm start` does and collect how it ends. */
function start(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'apps/portal/server/src/main.ts'],
      {
        cwd: root,
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          LOG_LEVEL: 'silent',
          DATABASE_URL: '',
          MQTT_URL: '',
          PORT: '0',
          ...env,
        },
      },
    );
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.on('data', (d) => {
      stdout += d;
      // Started after all: stop it so the test can fail on the exit code instead of hanging.
      if (stdout.includes('is running at')) child.kill('SIGTERM');
    });
    child.on('exit', (code) => resolve({ code, stderr, stdout }));
  });
}

describe('start-up refuses bad settings with one clear message', () => {
  it('a malformed PORT', async () => {
    const result = await start({ PORT: '80a' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT="80a"');
    expect(result.stderr).toContain('expected an integer port');
    expect(result.stderr).not.toContain('    at '); // no stack trace
  });

  it('a DATABASE_URL that points nowhere, without echoing its password', async () => {
    const result = await start({ DATABASE_URL: 'postgres://app:s3cret@127.0.0.1:1/gongxin' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL');
    expect(result.stderr).toContain('127.0.0.1:1');
    expect(result.stderr).not.toContain('s3cret');
  }, 120_000);

  it('an MQTT broker that cannot be reached', async () => {
    const result = await start({ MQTT_URL: 'mqtt://127.0.0.1:1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/MQTT broker at mqtt:\/\/127\.0\.0\.1:1 is unreachable/);
    expect(result.stderr).toContain('MQTT_URL');
  }, 120_000);

  it('a port already in use', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await start({ PORT: String(port) });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  }, 120_000);
});

describe('a start-up step that takes long', () => {
  it('says which step it is in at warn level while it runs, and nothing once done', async () => {
    vi.useFakeTimers();
    try {
      const warnings: { step: string; ms: number; msg: string }[] = [];
      const logger = { warn: (o: { step: string; ms: number }, msg: string) => warnings.push({ ...o, msg }) };
      let done: (value: string) => void = () => {};
      const step = startupStep(logger, 'app food', () => new Promise<string>((r) => (done = r)), 20_000);
      await vi.advanceTimersByTimeAsync(45_000);
      expect(warnings.map((w) => [w.step, w.ms, w.msg])).toEqual([
        ['app food', 20_000, 'start-up: still at "app food"'],
        ['app food', 40_000, 'start-up: still at "app food"'],
      ]);
      done('mounted');
      expect(await step).toBe('mounted');
      await vi.advanceTimersByTimeAsync(60_000);
      expect(warnings).toHaveLength(2);
      // A quick step says nothing; a failing one fails as it did.
      expect(await startupStep(logger, 'database', async () => 1)).toBe(1);
      await expect(startupStep(logger, 'chain', async () => Promise.reject(new Error('no')))).rejects.toThrow(
        'no',
      );
      await vi.advanceTimersByTimeAsync(60_000);
      expect(warnings).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
