// Bounded memories of recently seen ids (hex hashes): once full, the oldest id is forgotten. Gossip uses
// them so that a message is checked once and never sent around in a loop.

/** id → value, forgetting the oldest entry beyond `max`. */
export class SeenMap<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(id: string): V | undefined {
    return this.entries.get(id);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  set(id: string, value: V): void {
    this.entries.delete(id);
    this.entries.set(id, value);
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

export class SeenSet {
  private readonly ids: SeenMap<true>;

  constructor(max: number) {
    this.ids = new SeenMap(max);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Remember `id`; false if it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.set(id, true);
    return true;
  }

  /** Forget `id` (it was not taken after all, and may come again). */
  delete(id: string): void {
    this.ids.delete(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
