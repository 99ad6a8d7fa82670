// The run's trace: one line per delivered message, commit, crash, restart, partition and sync. Every
// line goes into a running SHA-256 (the trace hash, which two runs of one seed must agree on byte for
// byte), the last lines are kept for violation reports, and `--verbose` prints them all as they happen.
import { createHash, type Hash } from 'node:crypto';

export class Trace {
  private readonly hash: Hash = createHash('sha256');
  private readonly tail: string[] = [];
  private next = 0;
  lines = 0;

  constructor(
    private readonly tailSize = 400,
    private readonly sink?: (line: string) => void,
  ) {}

  add(time: number, line: string): void {
    const full = `${String(time).padStart(7)} ${line}`;
    this.hash.update(full);
    this.hash.update('\n');
    this.lines++;
    if (this.tailSize > 0) {
      if (this.tail.length < this.tailSize) this.tail.push(full);
      else this.tail[this.next] = full;
      this.next = (this.next + 1) % this.tailSize;
    }
    this.sink?.(full);
  }

  /** The last lines, oldest first. */
  recent(count = this.tailSize): string[] {
    const ordered =
      this.tail.length < this.tailSize
        ? this.tail.slice()
        : [...this.tail.slice(this.next), ...this.tail.slice(0, this.next)];
    return ordered.slice(-count);
  }

  digest(): string {
    return this.hash.copy().digest('hex');
  }
}
