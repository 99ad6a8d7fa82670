// Where signed batches wait until the ingester has acknowledged storing them. On disk, each batch is one file
// written to a temporary name, fsynced and renamed (so a crash leaves either the whole batch or none),
// named by a counter so they are sent in the order they were cut; a batch is deleted only once it is
// confirmed (see Gateway). The in-memory buffer is for fleets of simulated meters in load tests.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export interface BatchBuffer {
  push(payload: Uint8Array): void;
  /** The oldest unsent batches, oldest first. */
  peek(max: number): { id: string; payload: Uint8Array }[];
  remove(id: string): void;
  has(id: string): boolean;
  readonly size: number;
}

export class MemoryBuffer implements BatchBuffer {
  #items: { id: string; payload: Uint8Array }[] = [];
  #next = 0;
  push(payload: Uint8Array): void {
    this.#items.push({ id: String(this.#next++), payload });
  }
  peek(max: number) {
    return this.#items.slice(0, max);
  }
  remove(id: string): void {
    this.#items = this.#items.filter((i) => i.id !== id);
  }
  has(id: string): boolean {
    return this.#items.some((i) => i.id === id);
  }
  get size() {
    return this.#items.length;
  }
}

const NAME = /^\d{12}\.batch$/;

export class DiskBuffer implements BatchBuffer {
  readonly #dir: string;
  #names: string[];
  #next: number;

  constructor(dir: string) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true });
    for (const f of readdirSync(dir)) if (f.endsWith('.tmp')) rmSync(join(dir, f), { force: true });
    this.#names = readdirSync(dir)
      .filter((f) => NAME.test(f))
      .sort();
    const last = this.#names.at(-1);
    this.#next = last ? Number(last.slice(0, 12)) + 1 : 0;
  }

  push(payload: Uint8Array): void {
    const name = `${String(this.#next++).padStart(12, '0')}.batch`;
    const tmp = join(this.#dir, `${name}.tmp`);
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, payload);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(this.#dir, name));
    this.#names.push(name);
  }

  peek(max: number) {
    return this.#names
      .slice(0, max)
      .map((id) => ({ id, payload: new Uint8Array(readFileSync(join(this.#dir, id))) }));
  }

  remove(id: string): void {
    rmSync(join(this.#dir, id), { force: true });
    this.#names = this.#names.filter((n) => n !== id);
  }

  has(id: string): boolean {
    return this.#names.includes(id);
  }

  get size() {
    return this.#names.length;
  }
}
