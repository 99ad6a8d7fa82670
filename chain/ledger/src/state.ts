// The chain's state: a map from text keys to values, owned key-prefix by key-prefix by the contracts
// (`assets/…`, `identity/…`) and the runtime (`core/…`). Execution never mutates a state it was given:
// it writes into overlays, so a failed tx is discarded by dropping its overlay and applying a block to
// the same state twice gives the same result. The node folds a committed block's writes into its store.
import type { CryptoSuite } from './crypto/types';
import { encodeCanonical, type Value } from './encoding';
import { leafHash, merkleRootOfLeafHashes } from './merkle';

export interface StateReader {
  get(key: string): Value | undefined;
}

/** A write: a value, or null for a deletion. */
export type Writes = Map<string, Value | null>;

// Keys are printable ASCII so that their JavaScript order (UTF-16 code units) is their byte order: a
// second implementation in any language sorts them the same way.
const keyPattern = /^[\x21-\x7e]{1,256}$/;

export function assertKey(key: string): void {
  if (!keyPattern.test(key))
    throw new Error(`state key must be 1–256 printable ASCII characters: ${JSON.stringify(key)}`);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Uint8Array) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/** A state held fully in memory; the node keeps one and persists the writes of each block. */
export class MemoryState implements StateReader {
  readonly entries: Map<string, Value>;

  constructor(entries?: Iterable<[string, Value]>) {
    this.entries = new Map();
    if (entries) for (const [k, v] of entries) this.entries.set(k, deepFreeze(v));
  }

  get(key: string): Value | undefined {
    return this.entries.get(key);
  }

  /** Fold committed writes in. Only the node calls this, after a block is final. */
  apply(writes: Writes): void {
    for (const [key, value] of writes) {
      if (value === null) this.entries.delete(key);
      else this.entries.set(key, value);
    }
  }

  *scan(prefix: string): Generator<[string, Value]> {
    for (const entry of this.entries) if (entry[0].startsWith(prefix)) yield entry;
  }
}

/** Buffered writes over a parent state. Values are frozen on write so nobody edits state in place. */
export class StateOverlay implements StateReader {
  readonly writes: Writes = new Map();
  /** Canonical bytes of written values, when the writer already encoded them (saves encoding twice). */
  readonly encoded = new Map<string, Uint8Array>();

  constructor(readonly parent: StateReader) {}

  get(key: string): Value | undefined {
    const written = this.writes.get(key);
    if (written !== undefined) return written === null ? undefined : written;
    return this.parent.get(key);
  }

  set(key: string, value: Value, encoded?: Uint8Array): void {
    assertKey(key);
    this.writes.set(key, deepFreeze(value));
    if (encoded) this.encoded.set(key, encoded);
    else this.encoded.delete(key);
  }

  delete(key: string): void {
    assertKey(key);
    this.writes.set(key, null);
    this.encoded.delete(key);
  }

  /** Move this overlay's writes into another overlay (commit a tx into its block). */
  mergeInto(target: StateOverlay): void {
    for (const [key, value] of this.writes) {
      target.writes.set(key, value);
      const bytes = this.encoded.get(key);
      if (bytes) target.encoded.set(key, bytes);
      else target.encoded.delete(key);
    }
  }
}

/** Materialise a state and writes on top of it as a new reader (for results of pure execution). */
export function withWrites(parent: StateReader, writes: Writes): StateReader {
  const overlay = new StateOverlay(parent);
  for (const [k, v] of writes) overlay.writes.set(k, v);
  return overlay;
}

export function encodeWrite(key: string, value: Value | null, encodedValue?: Uint8Array): Uint8Array {
  if (!encodedValue || value === null) return encodeCanonical([key, value]);
  // [key, value] is a 2-array head, the key's text, then the value's own canonical bytes.
  const keyBytes = encodeCanonical(key);
  const out = new Uint8Array(1 + keyBytes.length + encodedValue.length);
  out[0] = 0x82;
  out.set(keyBytes, 1);
  out.set(encodedValue, 1 + keyBytes.length);
  return out;
}

/**
 * The state commitment after a block: the hash of the previous commitment and the Merkle root of this
 * block's writes in key order. Any two nodes that disagree on any value written since genesis disagree
 * on the root. (It commits to the state's history, not to a tree of the current state: proofs of single
 * state entries are not offered; txs and events have proofs.)
 */
export function nextStateRoot(
  suite: CryptoSuite,
  parentRoot: Uint8Array,
  writes: Writes,
  encoded?: ReadonlyMap<string, Uint8Array>,
): Uint8Array {
  const keys = [...writes.keys()].sort();
  const leaves = keys.map((k) => leafHash(suite.hash, encodeWrite(k, writes.get(k)!, encoded?.get(k))));
  return suite.hash(
    encodeCanonical({
      type: 'state',
      parent: parentRoot,
      writes: merkleRootOfLeafHashes(suite.hash, leaves),
      count: keys.length,
    }),
  );
}
