// `npm run bench:sync`: the two figures of a chain that lives for years, with every node a separate
// process linked over the real peer protocol (WebSockets, handshake), each on its own PostgreSQL database:
//
//   1. a fresh node joins a chain of SYNC_BLOCKS blocks by state sync (the validators' signed snapshot,
//      the header chain from genesis verified, the state's chunks verified), then verifies the proof of a
//      record from near the start of the chain against the headers it kept;
//   2. a node SYNC_BEHIND blocks behind catches up by block sync.
//
// The chain is written by the generator (every block executed by the runtime and certified by the four
// validators' keys), a record every SYNC_RECORD_EVERY blocks; four validator processes then run it live.
//
//   SYNC_BLOCKS=200000 SYNC_BEHIND=100000 SYNC_STATE_ENTRIES=100000 npm run bench:sync
//   SYNC_CERTIFICATES=all|changes (the joining node checks every certificate, or those of validator set
//   changes and of each batch's last header, the others being fixed by the hash links)
//   SYNC_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (admin URL: databases are created, dropped)
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@gongxin/db';
import { encodeProofBundle, inclusionProof, leafHash, toHex } from '@gongxin/ledger';
import postgres from 'postgres';
import { ChainStore } from '../src/storage/store';
import { generateChain } from '../src/sync/generate';
import { contracts, genesis, recordsEvery, suite, validators } from './sync-chain';

const BLOCKS = Number(process.env.SYNC_BLOCKS ?? 2_000);
const BEHIND = Number(process.env.SYNC_BEHIND ?? 1_000);
const RECORD_EVERY = Number(process.env.SYNC_RECORD_EVERY ?? 1_000);
/** Notes written in the first blocks, so the state has about this many entries. */
const STATE_ENTRIES = Number(process.env.SYNC_STATE_ENTRIES ?? 2_000);
const ADMIN = process.env.SYNC_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TIMEOUT_MS = Number(process.env.SYNC_TIMEOUT_MS ?? 30 * 60_000);
const here = path.dirname(fileURLToPath(import.meta.url));
const keys = validators.map((v) => v.account);
const fmt = (n: number) => n.toLocaleString('en-US');

export interface SyncBenchFigures {
  blocks: number;
  behind: number;
  generateSeconds: number;
  stateSyncSeconds: number;
  stateSync: {
    headers: number;
    entries: number;
    chunks: number;
    certificatesChecked: number;
    headersMs: number;
    stateMs: number;
  };
  joinedAtHeight: number;
  proof: { ok: boolean; height: number | null; ms: number };
  catchUpSeconds: number;
  catchUpBlocks: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Child {
  proc: ChildProcess;
  events: { event: string; [k: string]: unknown }[];
  head: number;
  waiters: (() => void)[];
}

function startNode(config: object): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'sync-node.ts')], {
    cwd: path.join(here, '..'),
    env: { ...process.env, SYNC_NODE: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child: Child = { proc, events: [], head: 0, waiters: [] };
  let buffer = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
      try {
        const e = JSON.parse(line);
        if (e.event === 'head' || e.event === 'ready') child.head = e.height;
        if (e.event !== 'head') child.events.push(e);
        for (const w of child.waiters.splice(0)) w();
      } catch {
        // not ours
      }
    }
  });
  proc.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
  return child;
}

async function waitUntil(child: Child, what: string, check: () => boolean, timeoutMs = TIMEOUT_MS) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (child.proc.exitCode !== null)
      throw new Error(`node exited (${child.proc.exitCode}) waiting for ${what}`);
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((r) => {
      child.waiters.push(r);
      setTimeout(r, 500);
    });
  }
}

const eventOf = (child: Child, name: string) => child.events.find((e) => e.event === name);

export async function runSyncBench(log: (line: string) => void = console.log): Promise<SyncBenchFigures> {
  if (BEHIND >= BLOCKS) throw new Error('SYNC_BEHIND must be below SYNC_BLOCKS');
  const admin = postgres(ADMIN, { max: 1, onnotice: () => {} });
  const prefix = `gx_sync_${randomBytes(4).toString('hex')}`;
  const names = {
    base: `${prefix}_base`,
    behind: `${prefix}_behind`,
    joiner: `${prefix}_joiner`,
    v: [0, 1, 2, 3].map((i) => `${prefix}_v${i}`),
  };
  const all = [names.base, names.behind, names.joiner, ...names.v];
  const urlOf = (db: string) => {
    const u = new URL(ADMIN);
    u.pathname = `/${db}`;
    return u.toString();
  };
  const children: Child[] = [];
  try {
    // The chain: BLOCKS - BEHIND blocks, copied for the node that stays behind, then the rest.
    const genStartedAt = performance.now();
    await admin.unsafe(`create database "${names.base}"`);
    let base = await openDatabase({ url: urlOf(names.base), max: 4 });
    const txsAt = recordsEvery(RECORD_EVERY, STATE_ENTRIES);
    const progress = (h: number) => {
      if (h % 20_000 === 0)
        log(`  generated ${fmt(h)} blocks (${Math.round((performance.now() - genStartedAt) / 1000)} s)`);
    };
    await generateChain({
      database: base,
      genesis,
      suite,
      contracts,
      keys,
      blocks: BLOCKS - BEHIND,
      txsAt,
      onProgress: progress,
    });
    await base.close();
    await admin.unsafe(`create database "${names.behind}" template "${names.base}"`);
    base = await openDatabase({ url: urlOf(names.base), max: 4 });
    await generateChain({
      database: base,
      genesis,
      suite,
      contracts,
      keys,
      blocks: BEHIND,
      txsAt,
      onProgress: progress,
    });
    // The proof of the first record at height 100, as a node that holds the block makes it.
    const [old] = await new ChainStore(base).blocksFrom(100, 1);
    if (!old) throw new Error('block 100 is missing');
    if (old.block.txs.length === 0) throw new Error('block 100 holds no record');
    const bundle = encodeProofBundle({
      record: { kind: 'tx', bytes: old.block.txs[0]! },
      proof: inclusionProof(
        suite.hash,
        old.block.txs.map((t) => leafHash(suite.hash, t)),
        0,
      ),
      header: old.block.header,
      certificate: old.certificate,
    });
    await base.close();
    for (const v of names.v) await admin.unsafe(`create database "${v}" template "${names.base}"`);
    await admin.unsafe(`create database "${names.joiner}"`);
    const generateSeconds = (performance.now() - genStartedAt) / 1000;
    log(`  chain of ${fmt(BLOCKS)} blocks written and copied in ${generateSeconds.toFixed(1)} s`);

    // Four validators, live.
    const ports = await Promise.all([0, 1, 2, 3, 4, 5].map(() => freePort()));
    const vPeers = (except: number) =>
      [0, 1, 2, 3]
        .filter((j) => j !== except)
        .map((j) => ({ url: `ws://127.0.0.1:${ports[j]}`, key: toHex(validators[j]!.validator.key) }));
    const vals = [0, 1, 2, 3].map((i) =>
      startNode({
        role: 'validator',
        index: i,
        databaseUrl: urlOf(names.v[i]!),
        port: ports[i],
        peers: vPeers(i),
      }),
    );
    children.push(...vals);
    for (const v of vals) await waitUntil(v, 'a validator to start', () => !!eventOf(v, 'ready'));
    log(`  4 validators running at height ${fmt(vals[0]!.head)}`);

    // 1. A fresh node joins by state sync.
    const joinStartedAt = performance.now();
    const joiner = startNode({
      role: 'joiner',
      index: 0,
      databaseUrl: urlOf(names.joiner),
      port: ports[4],
      peers: vPeers(-1),
      proof: toHex(bundle),
    });
    children.push(joiner);
    await waitUntil(joiner, 'the joining node to start', () => !!eventOf(joiner, 'ready'));
    const stateSyncSeconds = (performance.now() - joinStartedAt) / 1000;
    const synced = eventOf(joiner, 'synced')! as unknown as {
      result: Record<string, number & { headers: number; state: number }>;
    };
    const proof = eventOf(joiner, 'proof') as unknown as {
      ok: boolean;
      height: number | null;
      ms: number;
      failed?: string;
    };
    const joinedAtHeight = eventOf(joiner, 'ready')!.height as number;
    // It follows the live chain from there.
    await waitUntil(
      joiner,
      'the joined node to reach the validators',
      () => joiner.head >= vals[0]!.head - 1,
    );

    // 2. A node BEHIND blocks behind catches up.
    const target = Math.max(...vals.map((v) => v.head));
    const catchStartedAt = performance.now();
    const follower = startNode({
      role: 'follower',
      index: 1,
      databaseUrl: urlOf(names.behind),
      port: ports[5],
      peers: vPeers(-1),
    });
    children.push(follower);
    await waitUntil(follower, 'the follower to start', () => !!eventOf(follower, 'ready'));
    const from = eventOf(follower, 'ready')!.height as number;
    await waitUntil(follower, 'the follower to catch up', () => follower.head >= target);
    const catchUpSeconds = (performance.now() - catchStartedAt) / 1000;
    const r = synced.result as unknown as {
      headers: number;
      entries: number;
      chunks: number;
      certificatesChecked: number;
      ms: { headers: number; state: number };
    };
    return {
      blocks: BLOCKS,
      behind: BEHIND,
      generateSeconds,
      stateSyncSeconds,
      stateSync: {
        headers: r.headers,
        entries: r.entries,
        chunks: r.chunks,
        certificatesChecked: r.certificatesChecked,
        headersMs: r.ms.headers,
        stateMs: r.ms.state,
      },
      joinedAtHeight,
      proof: { ok: proof?.ok ?? false, height: proof?.height ?? null, ms: proof?.ms ?? 0 },
      catchUpSeconds,
      catchUpBlocks: target - from,
    };
  } finally {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGTERM');
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.proc.exitCode !== null) return resolve();
            const t = setTimeout(() => {
              c.proc.kill('SIGKILL');
              resolve();
            }, 5_000);
            c.proc.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
          }),
      ),
    );
    for (const db of all) await admin.unsafe(`drop database if exists "${db}" with (force)`).catch(() => {});
    await admin.end();
  }
}

export function printFigures(f: SyncBenchFigures, log: (line: string) => void = console.log) {
  log(
    `result: state sync of a fresh node from a ${fmt(f.blocks)}-block chain = ${f.stateSyncSeconds.toFixed(1)} s ` +
      `(target: minutes, not a replay; ${fmt(f.stateSync.headers)} headers and ${fmt(f.stateSync.certificatesChecked)} certificates verified in ${(f.stateSync.headersMs / 1000).toFixed(1)} s, ` +
      `${fmt(f.stateSync.entries)} state entries in ${f.stateSync.chunks} chunks in ${(f.stateSync.stateMs / 1000).toFixed(1)} s; joined at height ${fmt(f.joinedAtHeight)})`,
  );
  log(
    `result: proof of the record at height ${f.proof.height ?? '?'} verified on the state-synced node = ${f.proof.ok ? 'ok' : 'FAILED'} in ${f.proof.ms} ms (target: ok)`,
  );
  log(
    `result: catch-up of a node ${fmt(f.catchUpBlocks)} blocks behind = ${f.catchUpSeconds.toFixed(1)} s, ` +
      `${fmt(Math.round(f.catchUpBlocks / f.catchUpSeconds))} blocks/s (target: minutes)`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  console.log(
    `sync bench: ${fmt(BLOCKS)} blocks, a node ${fmt(BEHIND)} behind, ~${fmt(STATE_ENTRIES)} state entries, a record every ${fmt(RECORD_EVERY)}, certificates: ${process.env.SYNC_CERTIFICATES ?? 'all'}`,
  );
  runSyncBench()
    .then((f) => printFigures(f))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
