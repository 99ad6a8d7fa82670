// A network of node processes on loopback: `npm run network`, the multi-process tests and the chain
// benchmark all use it. Each node is a real `gongxin node start` process with its own database (PGlite in
// its folder, or its own PostgreSQL database when a server URL is given), so kill -9 is a real crash.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { init } from './cli';
import { readGenesis, readNodeConfig } from './home';
import { loadOrCreateNodeKey } from './keys';
import type { NodeConfig } from './node-config';

const bin = fileURLToPath(new URL('../bin/gongxin.mjs', import.meta.url));

export interface ClusterOptions {
  home: string;
  validators: number;
  /**
   * Nodes besides the genesis validators (named after them: node5, node6… for 4 validators): full nodes
   * that follow the chain, linked to every validator and admitted by them, until governance makes one a
   * validator. Their ports follow the validators'.
   */
  fullNodes?: number;
  basePort: number;
  chainId?: string;
  /** A PostgreSQL server URL: each node gets database `<prefix>_node<i>` on it (created if missing). */
  databaseUrl?: string;
  databasePrefix?: string;
  /** Forward each node's output, prefixed with its name. */
  onOutput?: (name: string, line: string) => void;
  env?: Record<string, string>;
  /** Extra flags for each node's Node.js process (e.g. --cpu-prof for profiling). */
  execArgv?: string[];
}

export interface ClusterNode {
  name: string;
  home: string;
  apiUrl: string;
  process: ChildProcess | null;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const { default: postgres } = await import('postgres');
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export class Cluster {
  readonly nodes: ClusterNode[] = [];
  private readonly databaseUrls: (string | undefined)[] = [];

  constructor(private readonly opts: ClusterOptions) {}

  async prepare(): Promise<void> {
    const count = this.opts.validators + (this.opts.fullNodes ?? 0);
    if (!existsSync(path.join(this.opts.home, 'genesis.json'))) {
      init({
        home: this.opts.home,
        validators: this.opts.validators,
        chainId: this.opts.chainId ?? 'gongxin-net',
        suite: 'ed25519-sha256',
        host: '127.0.0.1',
        basePort: this.opts.basePort,
      });
      for (let i = this.opts.validators + 1; i <= count; i++) this.addFullNode(i);
    }
    for (let i = 1; i <= count; i++) {
      const home = path.join(this.opts.home, `node${i}`);
      const config = readNodeConfig(home);
      this.nodes.push({
        name: config.name,
        home,
        apiUrl: `http://${config.api.host}:${config.api.port}`,
        process: null,
      });
      this.databaseUrls.push(
        this.opts.databaseUrl
          ? await ensureDatabase(this.opts.databaseUrl, `${this.opts.databasePrefix ?? 'gongxin'}_node${i}`)
          : undefined,
      );
    }
  }

  /** Folder node<i> for a full node: its key, a config linking it to the validators, and their admission. */
  private addFullNode(i: number): void {
    const { home, basePort } = this.opts;
    const validators = Array.from({ length: this.opts.validators }, (_, v) =>
      path.join(home, `node${v + 1}`),
    );
    const genesis = readGenesis(validators[0]!, readNodeConfig(validators[0]!));
    const dir = path.join(home, `node${i}`);
    const { key } = loadOrCreateNodeKey(getSuite(genesis.suite), path.join(dir, 'validator-key.json'));
    const keyHex = toHex(key.publicKey);
    const config: NodeConfig = {
      name: `node${i}`,
      genesis: '../genesis.json',
      p2p: { host: '127.0.0.1', port: basePort + (i - 1) * 10 },
      api: { host: '127.0.0.1', port: basePort + (i - 1) * 10 + 1 },
      peers: validators.map((v) => {
        const c = readNodeConfig(v);
        const k = genesis.validators.find((g) => g.name === c.name)!.key;
        return { url: `ws://${c.p2p.host}:${c.p2p.port}`, key: toHex(k) };
      }),
    };
    writeFileSync(path.join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
    for (const v of validators) {
      const c = readNodeConfig(v);
      const next: NodeConfig = { ...c, admitted: [...(c.admitted ?? []), keyHex] };
      writeFileSync(path.join(v, 'config.json'), `${JSON.stringify(next, null, 2)}\n`);
    }
  }

  /** Start node i (0-based) and resolve once its API answers. */
  async start(i: number, timeoutMs = 180_000): Promise<void> {
    const node = this.nodes[i]!;
    if (this.isRunning(i)) return;
    const args = [bin, 'node', 'start', '--home', node.home];
    const url = this.databaseUrls[i];
    if (url) args.push('--database-url', url);
    const child = spawn(process.execPath, [...(this.opts.execArgv ?? []), ...args], {
      env: { ...process.env, ...this.opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    node.process = child;
    const forward = (data: Buffer) => {
      for (const line of String(data).split('\n')) if (line.trim()) this.opts.onOutput?.(node.name, line);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`${node.name} exited with code ${child.exitCode} while starting`);
      try {
        // Each try bounded: a node that takes the connection but does not answer yet is asked again,
        // not waited on for the HTTP client's default of minutes.
        const res = await fetch(`${node.apiUrl}/v1/chain`, { signal: AbortSignal.timeout(5_000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${node.name} did not answer within ${timeoutMs} ms`);
  }

  async startAll(): Promise<void> {
    await Promise.all(this.nodes.map((_, i) => this.start(i)));
  }

  /**
   * Stop node i: SIGKILL is a crash (nothing flushed), SIGTERM a clean shutdown; a node still running
   * `killAfterMs` after a SIGTERM is killed (a crash it must survive anyway), so a stop always ends.
   */
  async stop(i: number, signal: NodeJS.Signals = 'SIGTERM', killAfterMs = 30_000): Promise<void> {
    const child = this.nodes[i]!.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const timer = signal === 'SIGKILL' ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    await exited;
    clearTimeout(timer);
  }

  async stopAll(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await Promise.all(this.nodes.map((_, i) => this.stop(i, signal)));
  }

  isRunning(i: number): boolean {
    const child = this.nodes[i]!.process;
    return !!child && child.exitCode === null && child.signalCode === null;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A random base port, a multiple of `step` from 20000 on (below Linux's ephemeral range, 32768 and up, where
 * other suites' outgoing connections take ports), whose `offsets` are all free on 127.0.0.1 now: the
 * machine's own services listen in that range too (RabbitMQ's distribution port 25672).
 */
export async function freeBasePort(
  offsets: readonly number[],
  choices: number,
  step: number,
): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = 20000 + Math.floor(Math.random() * choices) * step;
    const free = await Promise.all(offsets.map((o) => portFree(base + o)));
    if (free.every(Boolean)) return base;
  }
  throw new Error(`no base port with ${offsets.join(', ')} free found in 100 tries`);
}
