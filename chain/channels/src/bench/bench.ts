// The channel network's throughput bench (`npm run bench:channels` from the repository root).
//
// Every node runs the real protocol machine (ChannelNode). Channels are opened genesis-like (the same
// ChannelInfo given to both machines). Nodes are sharded over worker_threads; a message to a node in
// another worker crosses a MessagePort. Each worker makes its nodes' writes durable as group-committed
// appends: every record the worker's nodes asked to persist in one round goes into one append to the
// worker's log file followed by one fdatasync, and only then are the writes confirmed to the machines
// (which send or acknowledge only after that). Direct payments are plain `pay` ops; multi-hop payments
// (2–4 hops) are hash-locked with shrinking expiries and settle with the payee's preimage.
//
//   --nodes N --channels C --payments P --workers W --window K --curve --seed S
import { appendFileSync, closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
  workerData,
} from 'node:worker_threads';
import { hashlockOf } from '@gongxin/contracts';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { testAccount } from '@gongxin/ledger/testing';
import { type ChannelInfo, ChannelNode } from '../machine';
import type { Message } from '../messages';
import { RecordWriter } from '../record';

export const ASSETS = ['GXC', 'USD', 'CNY'] as const;
const CHAIN = 'gongxin-bench';
// A minute's dispute window: long enough that a lock of a 4-hop payment outlives a loaded round trip.
const DISPUTE_MS = 60_000;
const HOP_MS = DISPUTE_MS + 4_000;

export interface BenchOptions {
  nodes: number;
  channels: number;
  payments: number;
  workers: number;
  window: number;
  seed: number;
  maxBatch: number;
}

export interface PlannedPayment {
  id: string;
  from: number;
  route: number[];
  asset: string;
  multi: boolean;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** The channel graph (a ring, then random pairs) and the payments, the same in every worker. */
export function plan(o: BenchOptions): { edges: [number, number][]; payments: PlannedPayment[] } {
  const r = rng(o.seed);
  const key = (x: number, y: number) => (x < y ? `${x}-${y}` : `${y}-${x}`);
  const seen = new Set<string>();
  const edges: [number, number][] = [];
  const adj: number[][] = Array.from({ length: o.nodes }, () => []);
  const add = (x: number, y: number) => {
    if (x === y || seen.has(key(x, y))) return;
    seen.add(key(x, y));
    edges.push([x, y]);
    adj[x]!.push(y);
    adj[y]!.push(x);
  };
  for (let i = 0; i < o.nodes && edges.length < o.channels; i++) add(i, (i + 1) % o.nodes);
  while (edges.length < o.channels) add(Math.floor(r() * o.nodes), Math.floor(r() * o.nodes));
  const payments: PlannedPayment[] = [];
  for (let k = 0; k < o.payments; k++) {
    const from = Math.floor(r() * o.nodes);
    const asset = ASSETS[k % ASSETS.length]!;
    const multi = r() < 0.2;
    if (!multi) {
      const to = adj[from]![Math.floor(r() * adj[from]!.length)]!;
      payments.push({ id: `p${k}`, from, route: [to], asset, multi: false });
      continue;
    }
    // A random walk of 2–4 hops without revisiting a node.
    const hops = 2 + Math.floor(r() * 3);
    const route: number[] = [];
    const visited = new Set([from]);
    let at = from;
    for (let h = 0; h < hops; h++) {
      const options = adj[at]!.filter((n) => !visited.has(n));
      if (options.length === 0) break;
      at = options[Math.floor(r() * options.length)]!;
      visited.add(at);
      route.push(at);
    }
    if (route.length < 2) {
      payments.push({ id: `p${k}`, from, route: [adj[from]![0]!], asset, multi: false });
      continue;
    }
    payments.push({ id: `p${k}`, from, route, asset, multi: true });
  }
  return { edges, payments };
}

export const preimageOf = (id: string): Uint8Array => new TextEncoder().encode(`bench-preimage-${id}`);

export interface WorkerReport {
  worker: number;
  started: number;
  completed: number;
  failed: number;
  multiCompleted: number;
  latencies: number[];
  signatures: number;
  writes: number;
  groupCommits: number;
  bytesWritten: number;
  batchesSent: number;
  batchesAccepted: number;
  batchesRejected: number;
  opsSent: number;
  elapsedMs: number;
  crossMessages: number;
  /** Why payments failed, counted. */
  reasons: Record<string, number>;
  /** Why received batches were refused (the first few of each node, hashlocks left out), counted. */
  rejections: Record<string, number>;
}

type Envelope = { from: string; to: string; msg: Message };

interface WorkerInit {
  options: BenchOptions;
  index: number;
  ports: (MessagePort | null)[];
  counter: SharedArrayBuffer;
  dir: string;
}

/** One worker: its share of the nodes, driven in rounds until every payment of the run has an outcome. */
export function runWorker(init: WorkerInit): WorkerReport {
  const { options: o, index, ports } = init;
  const counter = new Int32Array(init.counter);
  const suite = getSuite('ed25519-sha256');
  const accounts = Array.from({ length: o.nodes }, (_, i) => testAccount(suite, 10_000 + i));
  const owner = (i: number) => i % o.workers;
  const workerOf = new Map(accounts.map((a, i) => [a.address, owner(i)]));
  const nodes = new Map<string, ChannelNode>();
  for (let i = 0; i < o.nodes; i++)
    if (owner(i) === index)
      nodes.set(
        accounts[i]!.address,
        new ChannelNode({
          suite,
          chainId: CHAIN,
          privateKey: accounts[i]!.privateKey,
          maxBatch: o.maxBatch,
          retransmitMs: 60_000,
          revealMarginMs: 2_000,
          hopDeltaMs: HOP_MS,
        }),
      );
  const { edges, payments } = plan(o);
  const deposit = 10n ** 15n;
  edges.forEach(([x, y], k) => {
    const info: ChannelInfo = {
      id: `ch${k}`,
      a: accounts[x]!.address,
      b: accounts[y]!.address,
      aKey: accounts[x]!.publicKey,
      bKey: accounts[y]!.publicKey,
      disputeMs: DISPUTE_MS,
      deposits: Object.fromEntries(ASSETS.map((s) => [s, { a: deposit, b: deposit }])),
    };
    nodes.get(info.a)?.addChannel(info);
    nodes.get(info.b)?.addChannel(info);
  });
  const mine = payments.filter((p) => owner(p.from) === index);
  // Invoices: each payee of a multi-hop payment knows its preimage before the payment starts.
  for (const p of payments)
    if (p.multi && owner(p.route[p.route.length - 1]!) === index)
      nodes.get(accounts[p.route[p.route.length - 1]!]!.address)!.addInvoice(preimageOf(p.id));

  const path = join(init.dir, `worker-${index}.log`);
  const fd = openSync(path, 'a');
  const log = new RecordWriter();
  let groupCommits = 0;
  let bytesWritten = 0;
  let inbox: Envelope[] = [];
  let crossMessages = 0;
  const startedAt = new Map<string, number>();
  const latencies: number[] = [];
  let completed = 0;
  let failed = 0;
  const reasons: Record<string, number> = {};
  let multiCompleted = 0;
  const multiIds = new Set(mine.filter((p) => p.multi).map((p) => p.id));

  /** One round: drain every node, commit the group, confirm, send. */
  const round = () => {
    const writes: [ChannelNode, number][] = [];
    let records = 0;
    const sends: Envelope[] = [];
    for (const [address, node] of nodes) {
      for (const e of node.drain()) {
        if (e.t === 'persist') {
          writes.push([node, e.seq]);
          for (const r of e.records) log.append(r);
          records += e.records.length;
        } else if (e.t === 'send') sends.push({ from: address, to: e.to, msg: e.msg });
        else if (e.t === 'outcome') {
          if (e.outcome === 'completed') {
            completed++;
            if (multiIds.has(e.id)) multiCompleted++;
            const t0 = startedAt.get(e.id);
            if (t0 !== undefined) latencies.push(performance.now() - t0);
            Atomics.sub(counter, 0, 1);
          } else if (e.outcome === 'failed') {
            failed++;
            reasons[e.reason ?? '?'] = (reasons[e.reason ?? '?'] ?? 0) + 1;
            Atomics.sub(counter, 0, 1);
          }
        }
      }
    }
    if (records > 0) {
      const buf = log.view();
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off);
      fdatasyncSync(fd);
      groupCommits++;
      bytesWritten += buf.length;
      log.reset();
    }
    // Confirmed only after the fdatasync; sends held by the machines come out at the next drain.
    for (const [node, seq] of writes) node.persisted(seq);
    const out: Envelope[][] = Array.from({ length: o.workers }, () => []);
    for (const s of sends) {
      const w = workerOf.get(s.to)!;
      if (w === index) inbox.push(s);
      else out[w]!.push(s);
    }
    out.forEach((list, w) => {
      if (list.length > 0) {
        crossMessages += list.length;
        ports[w]!.postMessage(list);
      }
    });
    return records + sends.length;
  };

  // The machines' clock starts now (a lock's expiry counts from it).
  for (const node of nodes.values()) node.tick(Date.now());
  round();
  const t0 = performance.now();
  let next = 0;
  while (Atomics.load(counter, 0) > 0) {
    const now = Date.now();
    // Keep at most `window` of this worker's payments outstanding.
    const outstanding = next - completed - failed;
    const room = Math.max(0, o.window - outstanding);
    for (let k = 0; k < room && next < mine.length; k++, next++) {
      const p = mine[next]!;
      startedAt.set(p.id, performance.now());
      nodes.get(accounts[p.from]!.address)!.pay({
        id: p.id,
        asset: p.asset,
        amount: 1n,
        route: p.route.map((n) => accounts[n]!.address),
        ...(p.multi ? { hashlock: hashlockOf(suite, preimageOf(p.id)) } : {}),
      });
    }
    for (const port of ports) {
      if (!port) continue;
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port))
        for (const env of m.message as Envelope[]) inbox.push(env);
    }
    const deliver = inbox;
    inbox = [];
    for (const env of deliver) nodes.get(env.to)!.receive(env.from, env.msg);
    for (const node of nodes.values()) node.tick(now);
    round();
  }
  // The last acknowledgements of the run.
  for (let k = 0; k < 3; k++) {
    for (const port of ports) {
      if (!port) continue;
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port))
        for (const env of m.message as Envelope[]) inbox.push(env);
    }
    const deliver = inbox;
    inbox = [];
    for (const env of deliver) nodes.get(env.to)!.receive(env.from, env.msg);
    round();
  }
  const elapsedMs = performance.now() - t0;
  closeSync(fd);
  const sum = (f: (n: ChannelNode) => number) => [...nodes.values()].reduce((s, n) => s + f(n), 0);
  const rejections: Record<string, number> = {};
  for (const n of nodes.values())
    for (const why of n.rejections) {
      const k = why.replace(/^\S+ #\d+: /, '').replace(/\b[0-9a-f]{8}\b|\d+/g, '…');
      rejections[k] = (rejections[k] ?? 0) + 1;
    }
  return {
    worker: index,
    started: mine.length,
    completed,
    failed,
    multiCompleted,
    latencies,
    signatures: sum((n) => n.counters.signatures),
    writes: sum((n) => n.counters.writes),
    groupCommits,
    bytesWritten,
    batchesSent: sum((n) => n.counters.batchesSent),
    batchesAccepted: sum((n) => n.counters.batchesAccepted),
    batchesRejected: sum((n) => n.counters.batchesRejected),
    opsSent: sum((n) => n.counters.opsSent),
    elapsedMs,
    crossMessages,
    reasons,
    rejections,
  };
}

export interface BenchResult {
  options: BenchOptions;
  transfers: number;
  payments: number;
  multiCompleted: number;
  failed: number;
  transfersPerSec: number;
  hopUpdatesPerSec: number;
  successRatio: number;
  p50: number;
  p99: number;
  elapsedMs: number;
  reports: WorkerReport[];
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Runs one configuration, each worker in its own thread (also for one worker, so the setup is the same). */
export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'gongxin-chbench-'));
  const counter = new SharedArrayBuffer(4);
  new Int32Array(counter)[0] = o.payments;
  const ports: (MessagePort | null)[][] = Array.from({ length: o.workers }, () =>
    Array.from({ length: o.workers }, () => null),
  );
  for (let i = 0; i < o.workers; i++)
    for (let j = i + 1; j < o.workers; j++) {
      const { port1, port2 } = new MessageChannel();
      ports[i]![j] = port1;
      ports[j]![i] = port2;
    }
  try {
    const reports = await Promise.all(
      Array.from(
        { length: o.workers },
        (_, index) =>
          new Promise<WorkerReport>((resolve, reject) => {
            // The worker loads this TypeScript file through tsx's loader (worker.mjs).
            const w = new Worker(new URL('./worker.mjs', import.meta.url), {
              workerData: { entry: import.meta.url, options: o, index, ports: ports[index], counter, dir },
              transferList: ports[index]!.filter((p): p is MessagePort => p !== null),
            });
            w.once('message', resolve);
            w.once('error', reject);
          }),
      ),
    );
    const transfers = reports.reduce((s, r) => s + r.completed, 0);
    const failed = reports.reduce((s, r) => s + r.failed, 0);
    const elapsedMs = Math.max(...reports.map((r) => r.elapsedMs));
    const lat = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const ops = reports.reduce((s, r) => s + r.opsSent, 0);
    return {
      options: o,
      transfers,
      payments: o.payments,
      multiCompleted: reports.reduce((s, r) => s + r.multiCompleted, 0),
      failed,
      transfersPerSec: (transfers / elapsedMs) * 1000,
      hopUpdatesPerSec: (ops / elapsedMs) * 1000,
      successRatio: transfers / o.payments,
      p50: percentile(lat, 0.5),
      p99: percentile(lat, 0.99),
      elapsedMs,
      reports,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The machine's raw rates: Ed25519 sign+verify of the suite the machines use, and append+fdatasync. */
export function baseline(ms = 1000): { signVerifyPerSec: number; fsyncPerSec: number } {
  const suite = getSuite('ed25519-sha256');
  const account = testAccount(suite, 1);
  const msg = new Uint8Array(120).fill(7);
  let n = 0;
  let t0 = performance.now();
  while (performance.now() - t0 < ms) {
    const sig = suite.sign(msg, account.privateKey);
    if (!suite.verify(sig, msg, account.publicKey)) throw new Error('baseline: verify failed');
    n++;
  }
  const signVerifyPerSec = (n / (performance.now() - t0)) * 1000;
  const dir = mkdtempSync(join(tmpdir(), 'gongxin-chbench-'));
  const path = join(dir, 'fsync.log');
  const fd = openSync(path, 'a');
  const line = Buffer.alloc(4096, 1);
  let m = 0;
  t0 = performance.now();
  while (performance.now() - t0 < ms) {
    writeSync(fd, line);
    fdatasyncSync(fd);
    m++;
  }
  const fsyncPerSec = (m / (performance.now() - t0)) * 1000;
  closeSync(fd);
  appendFileSync(path, '');
  rmSync(dir, { recursive: true, force: true });
  return { signVerifyPerSec, fsyncPerSec };
}

if (workerData?.entry === import.meta.url) {
  const init = workerData as WorkerInit;
  const { parentPort } = await import('node:worker_threads');
  parentPort!.postMessage(runWorker(init));
}
