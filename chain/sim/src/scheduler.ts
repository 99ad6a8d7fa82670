// Discrete-event scheduler: a binary min-heap of events ordered by simulated time, then by insertion
// sequence, so two events at the same millisecond always run in the order they were scheduled. Simulated
// time only moves when the next event is popped; nothing waits on a real timer.

export interface SimEvent {
  time: number;
  seq: number;
  run: () => void;
}

export class Scheduler {
  private heap: SimEvent[] = [];
  private seq = 0;
  now = 0;
  processed = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Run `run` at simulated time `time` (never earlier than now). */
  at(time: number, run: () => void): void {
    const event: SimEvent = { time: Math.max(time, this.now), seq: this.seq++, run };
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(event, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = event;
  }

  after(delayMs: number, run: () => void): void {
    this.at(this.now + delayMs, run);
  }

  /** Pop and run the next event; false when none is left or the next one is after `until`. */
  step(until = Number.POSITIVE_INFINITY): boolean {
    const heap = this.heap;
    const top = heap[0];
    if (!top || top.time > until) return false;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && before(heap[r]!, heap[l]!) ? r : l;
        if (!before(heap[child]!, last)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    this.now = top.time;
    this.processed++;
    top.run();
    return true;
  }
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
