// The gate's offline buffer: every event is appended to a file (and synced) before it is sent, and
// stays there until the broker acknowledged it (QoS 1 PUBACK). After a restart or a reconnect the
// unacknowledged events are sent again in order. The directory keeps the boot epoch: each boot starts a
// new epoch (at least the boot time) with its counter at 1, so `<epoch>:<counter>` never repeats.
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Envelope } from './event';

export interface Buffered {
  readonly epoch: number;
  readonly counter: number;
  readonly topic: string;
  readonly envelope: Envelope;
}

export class OfflineBuffer {
  readonly epoch: number;
  private counter: number;
  private readonly pending = new Map<string, Buffered>();
  private fd: number;
  private readonly log: string;

  constructor(
    readonly dir: string,
    private readonly durable = true,
  ) {
    mkdirSync(dir, { recursive: true });
    this.log = join(dir, 'events.jsonl');
    const statePath = join(dir, 'state.json');
    const state = existsSync(statePath)
      ? (JSON.parse(readFileSync(statePath, 'utf8')) as { epoch: number })
      : { epoch: 0 };
    if (existsSync(this.log)) {
      for (const line of readFileSync(this.log, 'utf8').split('\n')) {
        if (!line) continue;
        let entry: { ack?: string } & Partial<Buffered>;
        try {
          entry = JSON.parse(line);
        } catch {
          continue; // a line cut by a power loss: it was never acknowledged to anyone
        }
        if (entry.ack !== undefined) this.pending.delete(entry.ack);
        else if (entry.epoch !== undefined && entry.counter !== undefined && entry.topic && entry.envelope)
          this.pending.set(keyOf(entry as Buffered), entry as Buffered);
      }
    }
    // The epoch grows with each boot and is at least the boot time (ms): a gate restored from an old
    // disk image, or a controller replaced with a fresh one, still never repeats a key.
    this.epoch = Math.max(state.epoch + 1, Date.now());
    this.counter = 0;
    writeFileSync(statePath, JSON.stringify({ epoch: this.epoch }));
    this.fd = openSync(this.log, 'a');
    this.compact();
  }

  /** The next counter of this epoch. */
  next(): number {
    this.counter += 1;
    return this.counter;
  }

  append(entry: Buffered): void {
    this.pending.set(keyOf(entry), entry);
    this.write(JSON.stringify(entry));
  }

  ack(key: string): void {
    if (!this.pending.delete(key)) return;
    this.write(JSON.stringify({ ack: key }));
    if (this.pending.size === 0) this.compact();
  }

  /** Unacknowledged events, oldest first (by epoch, then counter). */
  unacked(): Buffered[] {
    return [...this.pending.values()].sort(compare);
  }

  get size(): number {
    return this.pending.size;
  }

  close(): void {
    closeSync(this.fd);
  }

  private write(line: string): void {
    writeSync(this.fd, `${line}\n`);
    if (this.durable) fdatasyncSync(this.fd);
  }

  /** Rewrites the log with only what is pending (at start and whenever everything was acknowledged). */
  private compact(): void {
    const tmp = `${this.log}.tmp`;
    writeFileSync(
      tmp,
      this.unacked()
        .map((e) => `${JSON.stringify(e)}\n`)
        .join(''),
    );
    closeSync(this.fd);
    renameSync(tmp, this.log);
    this.fd = openSync(this.log, 'a');
  }
}

export const keyOf = (e: Pick<Buffered, 'epoch' | 'counter'>) => `${e.epoch}:${e.counter}`;
const compare = (a: Buffered, b: Buffered) => a.epoch - b.epoch || a.counter - b.counter;
