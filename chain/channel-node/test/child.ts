// A channel node as its own process (`gongxin-channels start`), for the kill -9 tests: started with its
// arguments, read from its ready line, spoken to through its HTTP API.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/gongxin-channels.mjs', import.meta.url));

export interface Child {
  proc: ChildProcess;
  api: string;
  /** The port it accepts links on (when started with --listen). */
  linkPort: number | null;
  exited: Promise<void>;
  /** What it started from: records of its log's newest checkpoint, and records replayed after it. */
  restored: { checkpoint: number; replayed: number };
}

/** Starts `gongxin-channels start …args`; resolves once it printed its ready line. */
export function startChild(args: string[], stderr: string[]): Promise<Child> {
  const proc = spawn(process.execPath, [BIN, 'start', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  createInterface({ input: proc.stderr! }).on('line', (l) => stderr.push(l));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ready line in 150 s; stderr: ${stderr.slice(-5).join(' | ')}`)),
      // A hang catcher: starting a node process takes seconds, a minute and more on a loaded machine.
      150_000,
    );
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const ready = JSON.parse(line) as {
        ready: boolean;
        api: string;
        linkPort: number | null;
        restored: Child['restored'];
      };
      if (!ready.ready) return;
      clearTimeout(timer);
      resolve({ proc, api: ready.api, linkPort: ready.linkPort, exited, restored: ready.restored });
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}; stderr: ${stderr.slice(-5).join(' | ')}`));
    });
  });
}

/** A GET (no body) or POST to the child's API; throws with the answer when it is not a 2xx. */
export async function call<T>(api: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${api}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${route}: ${JSON.stringify(json)}`);
  return json;
}
