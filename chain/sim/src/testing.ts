// Test helpers for the simulators' command lines (`@gongxin/sim/testing`, for chain/sim's and
// chain/channels' tests): a command run as its own process, and the reason its parse refuses a command line.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { UsageError } from './command-line';

/** Runs the TypeScript command `cli` (through tsx) in the folder `cwd`: its exit code and output. */
export function runCli(cli: URL, cwd: URL, args: readonly string[], timeoutMs = 120_000) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(cli), ...args], {
    cwd: fileURLToPath(cwd),
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** The message of the `UsageError` that `parse` throws for `argv`; throws when it reads them, or fails otherwise. */
export function refusal(parse: (argv: string[]) => unknown, ...argv: string[]): string {
  try {
    parse(argv);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw new Error(`${argv.join(' ')}: not a UsageError but ${String(e)}`);
  }
  throw new Error(`${argv.join(' ')} was read, not refused`);
}
