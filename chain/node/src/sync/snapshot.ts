// State snapshots. The header's state root commits to the history of the state (each block's writes
// chained onto the previous root, see ledger/state.ts), not to a tree of the current state, so a
// certified header alone cannot vouch for a copy of the state. A snapshot therefore carries its own
// commitment: a manifest naming the block (height, hash, state root) and the hash of every chunk of the
// state's entries in key order, signed by validators holding more than two thirds of the voting power
// of that height with their consensus keys (a signature over a manifest can never pass for a vote: the
// signed bytes are typed). A node that joins checks the manifest's block against a header it verified
// from genesis, the signatures against that header's validator set, and every chunk against the
// manifest, before it installs a single entry.
import {
  assertKey,
  type ChainHead,
  type CryptoSuite,
  decodeCanonical,
  EncodingError,
  encodeCanonical,
  equalBytes,
  isQuorum,
  totalPower,
  type Validator,
  type Value,
  type ValueMap,
} from '@gongxin/ledger';

export const SNAPSHOT_VERSION = 1;

/** Default size of a chunk's entries (keys and value bytes). */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

export interface SnapshotManifest {
  chainId: string;
  height: number;
  blockHash: Uint8Array;
  stateRoot: Uint8Array;
  /** Entries in the whole state. */
  entries: number;
  /** Hash of each chunk, in key order. */
  chunks: Uint8Array[];
}

export interface SnapshotVote {
  key: Uint8Array;
  signature: Uint8Array;
}

/** A snapshot as offered: its manifest and the validators' signatures the offerer holds. */
export interface SnapshotOffer {
  manifest: SnapshotManifest;
  votes: SnapshotVote[];
}

/** A state entry as a snapshot carries it: the key and the value's canonical bytes. */
export type SnapshotEntry = [key: string, value: Uint8Array];

export function manifestToValue(m: SnapshotManifest): ValueMap {
  return {
    type: 'snapshot',
    v: SNAPSHOT_VERSION,
    chainId: m.chainId,
    height: m.height,
    blockHash: m.blockHash,
    stateRoot: m.stateRoot,
    entries: m.entries,
    chunks: m.chunks,
  };
}

export function encodeManifest(m: SnapshotManifest): Uint8Array {
  return encodeCanonical(manifestToValue(m));
}

const isHash = (v: Value | undefined): v is Uint8Array => v instanceof Uint8Array && v.length === 32;
const isCount = (v: Value | undefined): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function manifestFromValue(v: Value): SnapshotManifest {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array)
    throw new EncodingError('a snapshot manifest is a map');
  const m = v as ValueMap;
  if (m.type !== 'snapshot' || m.v !== SNAPSHOT_VERSION) throw new EncodingError('not a version 1 manifest');
  if (
    typeof m.chainId !== 'string' ||
    !isCount(m.height) ||
    m.height < 1 ||
    !isHash(m.blockHash) ||
    !isHash(m.stateRoot) ||
    !isCount(m.entries) ||
    !Array.isArray(m.chunks) ||
    !(m.chunks as Value[]).every(isHash)
  )
    throw new EncodingError('manifest fields');
  return {
    chainId: m.chainId,
    height: m.height,
    blockHash: m.blockHash,
    stateRoot: m.stateRoot,
    entries: m.entries,
    chunks: m.chunks as Uint8Array[],
  };
}

export function decodeManifest(bytes: Uint8Array): SnapshotManifest {
  return manifestFromValue(decodeCanonical(bytes));
}

export function manifestHash(suite: CryptoSuite, m: SnapshotManifest): Uint8Array {
  return suite.hash(encodeManifest(m));
}

/** The bytes a validator signs to vouch for a snapshot (typed, so never a valid vote or tx). */
export function snapshotSignBytes(suite: CryptoSuite, m: SnapshotManifest): Uint8Array {
  return encodeCanonical({
    type: 'snapshot-vote',
    chainId: m.chainId,
    height: m.height,
    manifest: manifestHash(suite, m),
  });
}

export function signManifest(
  suite: CryptoSuite,
  m: SnapshotManifest,
  signer: { key: Uint8Array; sign(bytes: Uint8Array): Uint8Array },
): SnapshotVote {
  return { key: signer.key, signature: signer.sign(snapshotSignBytes(suite, m)) };
}

export type SnapshotCheck = { ok: true; power: number; total: number } | { ok: false; reason: string };

/**
 * Do more than two thirds of `validators` (the set that signed the snapshot's block) vouch for the
 * manifest? Signatures by keys outside the set, repeated or not valid are skipped: an offer may merge
 * votes from several peers, and one bad vote must not spoil the good ones.
 */
export function verifySnapshotVotes(
  suite: CryptoSuite,
  m: SnapshotManifest,
  votes: readonly SnapshotVote[],
  validators: readonly Validator[],
): SnapshotCheck {
  const message = snapshotSignBytes(suite, m);
  const seen = new Set<string>();
  let power = 0;
  for (const vote of votes) {
    const member = validators.find((v) => equalBytes(v.key, vote.key));
    if (!member) continue;
    const id = member.key.join(',');
    if (seen.has(id)) continue;
    if (!suite.verify(vote.signature, message, vote.key)) continue;
    seen.add(id);
    power += member.power;
  }
  const total = totalPower(validators);
  if (!isQuorum(power, total))
    return {
      ok: false,
      reason: `snapshot signed by ${power} of ${total} voting power, not more than two thirds`,
    };
  return { ok: true, power, total };
}

export function encodeChunk(height: number, index: number, entries: readonly SnapshotEntry[]): Uint8Array {
  return encodeCanonical({ type: 'snapshot-chunk', height, index, entries: entries as unknown as Value[] });
}

/**
 * Check a chunk against its manifest and decode it: its hash is the manifest's, it is the chunk it says,
 * its keys are valid and strictly ascending (after `afterKey`, the last key of the chunk before), and
 * every value is canonical. Throws a clear error otherwise.
 */
export function verifyChunk(
  suite: CryptoSuite,
  m: SnapshotManifest,
  index: number,
  bytes: Uint8Array,
  afterKey: string | null,
): SnapshotEntry[] {
  const expected = m.chunks[index];
  if (!expected) throw new Error(`chunk ${index} is not in the manifest of ${m.chunks.length}`);
  if (!equalBytes(suite.hash(bytes), expected))
    throw new Error(`chunk ${index} does not match the manifest's hash`);
  const v = decodeCanonical(bytes) as ValueMap;
  if (
    typeof v !== 'object' ||
    v === null ||
    v.type !== 'snapshot-chunk' ||
    v.height !== m.height ||
    v.index !== index ||
    !Array.isArray(v.entries)
  )
    throw new Error(`chunk ${index} is not chunk ${index} of height ${m.height}`);
  const out: SnapshotEntry[] = [];
  let previous = afterKey;
  for (const e of v.entries as Value[]) {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || !(e[1] instanceof Uint8Array))
      throw new Error(`chunk ${index} entries are [key, value bytes]`);
    const key = e[0] as string;
    assertKey(key);
    if (previous !== null && !(key > previous))
      throw new Error(`chunk ${index} keys are not in ascending order`);
    decodeCanonical(e[1] as Uint8Array);
    out.push([key, e[1] as Uint8Array]);
    previous = key;
  }
  return out;
}

/** A snapshot ready to serve: its manifest and chunks. */
export interface BuiltSnapshot {
  manifest: SnapshotManifest;
  chunks: Uint8Array[];
}

/** Cut a state (any order of entries) into chunks of about `chunkBytes` and make its manifest. */
export function buildSnapshot(
  suite: CryptoSuite,
  head: ChainHead,
  entries: Iterable<[string, Value]>,
  chunkBytes = DEFAULT_CHUNK_BYTES,
): BuiltSnapshot {
  const sorted = [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const chunks: Uint8Array[] = [];
  let part: SnapshotEntry[] = [];
  let size = 0;
  const flush = () => {
    chunks.push(encodeChunk(head.height, chunks.length, part));
    part = [];
    size = 0;
  };
  for (const [key, value] of sorted) {
    const bytes = encodeCanonical(value);
    if (part.length > 0 && size + key.length + bytes.length > chunkBytes) flush();
    part.push([key, bytes]);
    size += key.length + bytes.length + 8;
  }
  if (part.length > 0 || chunks.length === 0) flush();
  return {
    manifest: {
      chainId: head.chainId,
      height: head.height,
      blockHash: head.blockHash,
      stateRoot: head.stateRoot,
      entries: sorted.length,
      chunks: chunks.map((c) => suite.hash(c)),
    },
    chunks,
  };
}
