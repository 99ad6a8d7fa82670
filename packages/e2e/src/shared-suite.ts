// One demo suite for the whole browser run. Most journeys need nothing but the suite on its demo data, and
// each app is driven by its own file, so the files share one suite process instead of each starting (and
// seeding) its own: on this two-core machine a start-up and its demo seeding cost half a minute or more of
// CPU per file. The global setup names a directory for the run; the first file that asks starts the suite
// there, detached (it outlives that file's worker), with its output in a log file; the next files find it
// and use it; the global teardown stops it. A file that needs a suite of its own (another clock, an
// external broker or chain, no demo) still starts one with startSuiteProcess. Without the global setup
// (a file run by another config), demoSuite starts a suite of the file's own.
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { type SuiteProcess, spawnSuite, startSuiteProcess } from './harness';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's directory for its shared demo suite (global-setup.ts). */
    e2eRunDir: string;
  }
}

interface SharedState {
  pid: number;
  url: string;
  log: string;
  dataDir: string;
}

const stateFile = (runDir: string) => path.join(runDir, 'suite.json');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readState(runDir: string): SharedState | undefined {
  const file = stateFile(runDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as SharedState;
}

function handle(state: SharedState): SuiteProcess {
  return {
    url: state.url,
    output: () => (existsSync(state.log) ? readFileSync(state.log, 'utf8') : ''),
    // The run's teardown stops it: the files after this one use it too.
    stop: async () => {},
  };
}

/** The demo suite of this run: started by the first file that asks, then shared. */
export async function demoSuite(timeoutMs = 180_000): Promise<SuiteProcess> {
  let runDir: string | undefined;
  try {
    runDir = inject('e2eRunDir');
  } catch {
    runDir = undefined;
  }
  if (!runDir) return startSuiteProcess({ DEMO: 'true' }, timeoutMs);
  const existing = readState(runDir);
  if (existing && alive(existing.pid)) return handle(existing);

  const dataDir = mkdtempSync(path.join(tmpdir(), 'gongxin-e2e-shared-'));
  const log = path.join(runDir, `suite-${Date.now()}.log`);
  const fd = openSync(log, 'a');
  // Its own process group, so the teardown stops tsx and the server it runs together.
  const child = spawnSuite(dataDir, { DEMO: 'true' }, { stdio: ['ignore', fd, fd], detached: true });
  child.unref();
  const read = () => readFileSync(log, 'utf8');
  const started = Date.now();
  for (;;) {
    const match = read().match(/is running at (http:\/\/\S+)/);
    if (match?.[1]) {
      const state: SharedState = { pid: child.pid!, url: match[1], log, dataDir };
      writeFileSync(stateFile(runDir), JSON.stringify(state));
      return handle(state);
    }
    if (child.exitCode !== null || (child.pid !== undefined && !alive(child.pid)))
      throw new Error(`suite exited with code ${child.exitCode} before starting:\n${read()}`);
    if (Date.now() - started > timeoutMs) {
      stopShared({ pid: child.pid!, url: '', log, dataDir });
      throw new Error(`suite did not start within ${timeoutMs} ms:\n${read()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Stops a shared suite's process group and removes its data. */
export function stopShared(state: SharedState): void {
  try {
    process.kill(-state.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
  rmSync(state.dataDir, { recursive: true, force: true });
}

/** The run's directory (global setup), and the teardown that stops what the run started in it. */
export function openRun(): { runDir: string; close: () => Promise<void> } {
  const runDir = mkdtempSync(path.join(tmpdir(), 'gongxin-e2e-run-'));
  return {
    runDir,
    close: async () => {
      const state = readState(runDir);
      if (state) {
        stopShared(state);
        // Give it the time a clean shut-down takes, then make sure.
        for (let i = 0; i < 100 && alive(state.pid); i++) await new Promise((r) => setTimeout(r, 100));
        try {
          process.kill(-state.pid, 'SIGKILL');
        } catch {
          // Stopped.
        }
      }
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}
