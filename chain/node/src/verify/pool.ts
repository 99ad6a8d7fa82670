// Signature checks off the consensus thread. Admission of a batch of txs (an API batch, a frame of txs
// from a peer) sends their signatures to worker threads, each running the chain's own suite, and admits
// the txs with the verdicts when they come back. The thread that runs consensus meanwhile keeps voting,
// proposing and committing. A check is a pure function of (signature, message, key), so a verdict stays
// true whatever happens to the chain in between; every other admission check runs afterwards, against
// the state of that moment.
//
// Checks travel packed in one transferred buffer per worker and batch: per check a 8-byte header
// (signature length u16, key length u16, message length u32, little-endian) and the three byte strings.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CryptoSuite, SuiteId } from '@gongxin/ledger';

export interface SignatureCheck {
  readonly signature: Uint8Array;
  readonly message: Uint8Array;
  readonly key: Uint8Array;
}

/** Fewer checks than this are verified on the calling thread: a round trip to a worker costs more. */
export const MIN_OFFLOAD = 16;

/** Worker threads by default: one core left to the consensus thread, at least one worker. */
export function defaultVerifyWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** Set by the node's build: the compiled verifier thread, beside the compiled node. */
declare const GONGXIN_BUILT_WORKER: string | undefined;

/** True in the node's compiled build (dist/bin), false when it runs from its TypeScript sources. */
export const COMPILED = typeof GONGXIN_BUILT_WORKER === 'string';

/** The verifier thread's script and what it loads: the compiled one, or the sources through tsx. */
function workerScript(): { url: URL; entry: string } {
  if (typeof GONGXIN_BUILT_WORKER === 'string') {
    const url = new URL(GONGXIN_BUILT_WORKER, import.meta.url);
    return { url, entry: url.href };
  }
  return {
    url: new URL('./worker.mjs', import.meta.url),
    entry: new URL('./worker-main.ts', import.meta.url).href,
  };
}

interface Pending {
  resolve(ok: Uint8Array): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Checks sent and not yet answered, for choosing the least busy worker. */
  load: number;
}

export function packChecks(checks: readonly SignatureCheck[]): ArrayBuffer {
  let size = 0;
  for (const c of checks) size += 8 + c.signature.length + c.key.length + c.message.length;
  const buffer = new ArrayBuffer(size);
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  let at = 0;
  for (const c of checks) {
    view.setUint16(at, c.signature.length, true);
    view.setUint16(at + 2, c.key.length, true);
    view.setUint32(at + 4, c.message.length, true);
    at += 8;
    bytes.set(c.signature, at);
    at += c.signature.length;
    bytes.set(c.key, at);
    at += c.key.length;
    bytes.set(c.message, at);
    at += c.message.length;
  }
  return buffer;
}

/** Verifies every packed check with `verify`; 1 where it holds, 0 where it does not. */
export function verifyPacked(buffer: ArrayBuffer, count: number, verify: CryptoSuite['verify']): Uint8Array {
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  const out = new Uint8Array(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const sigLen = view.getUint16(at, true);
    const keyLen = view.getUint16(at + 2, true);
    const msgLen = view.getUint32(at + 4, true);
    at += 8;
    const signature = bytes.subarray(at, at + sigLen);
    at += sigLen;
    const key = bytes.subarray(at, at + keyLen);
    at += keyLen;
    const message = bytes.subarray(at, at + msgLen);
    at += msgLen;
    out[i] = verify(signature, message, key) ? 1 : 0;
  }
  return out;
}

/**
 * A fixed pool of verifier threads for one suite. `size` 0 verifies on the calling thread (the same
 * answers, for machines with one core and for tests).
 */
export class VerifierPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;
  /** Checks verified in the workers and on the calling thread, for the node's metrics. */
  readonly counts = { offloaded: 0, inline: 0, batches: 0, busyMs: 0 };

  constructor(
    private readonly suite: CryptoSuite,
    readonly size: number = defaultVerifyWorkers(),
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(suite.id));
  }

  private spawn(suite: SuiteId): Slot {
    const script = workerScript();
    const worker = new Worker(script.url, { workerData: { suite, entry: script.entry } });
    // A verifier idle between batches must not keep the process alive.
    worker.unref();
    const slot: Slot = { worker, pending: new Map(), load: 0 };
    worker.on('message', (m: { id: number; ok?: Uint8Array; error?: string; busyMs?: number }) => {
      const p = slot.pending.get(m.id);
      if (!p) return;
      this.counts.busyMs += m.busyMs ?? 0;
      slot.pending.delete(m.id);
      if (m.ok) p.resolve(m.ok);
      else p.reject(new Error(`signature verifier: ${m.error ?? 'no answer'}`));
    });
    const fail = (error: Error) => {
      for (const p of slot.pending.values()) p.reject(error);
      slot.pending.clear();
      slot.load = 0;
      // A worker that died is replaced, so one bad moment does not leave the node verifying inline.
      if (!this.closed) {
        const index = this.slots.indexOf(slot);
        if (index >= 0) this.slots[index] = this.spawn(suite);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`signature verifier exited with code ${code}`));
    });
    return slot;
  }

  /** One verdict per check, in order: 1 valid, 0 not. Never rejects: a failed worker falls back inline. */
  async verify(checks: readonly SignatureCheck[]): Promise<Uint8Array> {
    if (checks.length === 0) return new Uint8Array(0);
    if (this.slots.length === 0 || this.closed || checks.length < MIN_OFFLOAD) return this.inline(checks);
    this.counts.batches++;
    // Split across the workers in equal parts, each to the least loaded one.
    const parts = Math.min(this.slots.length, Math.ceil(checks.length / MIN_OFFLOAD));
    const per = Math.ceil(checks.length / parts);
    const answers: Promise<Uint8Array>[] = [];
    for (let start = 0; start < checks.length; start += per) {
      const part = checks.slice(start, start + per);
      answers.push(this.send(part).catch(() => this.inline(part)));
    }
    const results = await Promise.all(answers);
    const out = new Uint8Array(checks.length);
    let at = 0;
    for (const r of results) {
      out.set(r, at);
      at += r.length;
    }
    return out;
  }

  private send(part: readonly SignatureCheck[]): Promise<Uint8Array> {
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.load < slot.load) slot = s;
    const id = this.nextId++;
    const buffer = packChecks(part);
    slot.load += part.length;
    return new Promise<Uint8Array>((resolve, reject) => {
      slot.pending.set(id, {
        resolve: (ok) => {
          slot.load -= part.length;
          this.counts.offloaded += part.length;
          resolve(ok);
        },
        reject: (error) => {
          slot.load = Math.max(0, slot.load - part.length);
          reject(error);
        },
      });
      slot.worker.postMessage({ id, buffer, count: part.length }, [buffer]);
    });
  }

  private inline(checks: readonly SignatureCheck[]): Uint8Array {
    const start = performance.now();
    const out = new Uint8Array(checks.length);
    checks.forEach((c, i) => {
      out[i] = this.suite.verify(c.signature, c.message, c.key) ? 1 : 0;
    });
    this.counts.inline += checks.length;
    this.counts.busyMs += performance.now() - start;
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
    for (const s of slots) for (const p of s.pending.values()) p.reject(new Error('verifier closed'));
  }
}
