// Joining a long chain without replaying it: a fresh node takes the validators' snapshot offers from its
// peers, verifies the header chain from genesis up to the snapshot's block (keeping every header and
// certificate, so proofs of records of any height still verify here), checks the manifest against that
// header and its validators' signatures, fetches the state's chunks from peers several at a time and
// verifies each against the manifest, and installs the state. The node then starts from that height and
// block-syncs the rest as any node that was briefly behind. Nothing is written to the state before every
// chunk has been verified; an interrupted sync leaves a marker that makes the node refuse to start on
// the half-written store, and the next sync starts over.
import type { Database } from '@gongxin/db';
import {
  type BlockHeader,
  blockHash,
  type CommitCertificate,
  type ContractRegistry,
  type CryptoSuite,
  createGenesisState,
  decodeCanonical,
  equalBytes,
  type GenesisDocument,
  toHex,
  type Validator,
  validatorSetHash,
  validatorsFromValue,
} from '@gongxin/ledger';
import type { LoggerLike } from '../node';
import { ChainStore } from '../storage/store';
import { HeaderChainVerifier } from './headers';
import {
  manifestHash,
  type SnapshotEntry,
  type SnapshotManifest,
  type SnapshotOffer,
  verifyChunk,
  verifySnapshotVotes,
} from './snapshot';

/** Headers as a peer sends them, with the validator sets the range's set changes name. */
export interface HeaderBatch {
  headers: { header: BlockHeader; certificate: CommitCertificate }[];
  sets: Validator[][];
}

/** Where a joining node gets what it needs: its peers, over the link (or anything else that answers). */
export interface StateSyncSource {
  /** Snapshot offers (one per peer and snapshot; votes are merged here). */
  offers(): Promise<SnapshotOffer[]>;
  /** Headers from `from` on, at most `limit`. */
  headers(from: number, limit: number): Promise<HeaderBatch>;
  /** One chunk of the snapshot at `height`. */
  chunk(height: number, index: number): Promise<Uint8Array>;
}

export interface StateSyncOptions {
  database: Database;
  genesis: GenesisDocument;
  suite: CryptoSuite;
  contracts: ContractRegistry;
  source: StateSyncSource;
  logger?: LoggerLike;
  /** Headers per request (default 1000). */
  headerBatch?: number;
  /** Requests in flight at once, for headers and for chunks (default 4). */
  window?: number;
  certificates?: 'all' | 'changes';
  /** Only snapshots at least this high (default: any). */
  minHeight?: number;
}

export interface StateSyncResult {
  height: number;
  blockHash: string;
  entries: number;
  chunks: number;
  headers: number;
  certificatesChecked: number;
  ms: { headers: number; state: number; total: number };
}

/** Meta key set while a state sync is writing: the store is not a chain to start from until it is gone. */
export const STATE_SYNC_PENDING = 'state_sync_pending';

/** Tries of one header batch or chunk before the sync gives up. */
const RETRIES = 3;

const silent: LoggerLike = { info() {}, warn() {}, error() {}, debug() {} };

/**
 * Run `next(i)` for i = 0…count-1 with up to `window` in flight, handing the results to `take` strictly in
 * order: the pipeline never holds more than `window` answers that `take` has not consumed (back-pressure).
 */
export async function pipelined<T>(
  count: number,
  window: number,
  next: (i: number) => Promise<T>,
  take: (value: T, i: number) => Promise<void> | void,
): Promise<void> {
  const inFlight = new Map<number, Promise<T>>();
  let asked = 0;
  const fill = () => {
    while (asked < count && inFlight.size < window) {
      const p = next(asked);
      p.catch(() => {});
      inFlight.set(asked, p);
      asked++;
    }
  };
  for (let i = 0; i < count; i++) {
    fill();
    const value = await inFlight.get(i)!;
    inFlight.delete(i);
    fill();
    await take(value, i);
  }
}

/** Merge the offers of one snapshot from several peers: the same manifest, every distinct vote. */
export function mergeOffers(suite: CryptoSuite, offers: readonly SnapshotOffer[]): SnapshotOffer[] {
  const byManifest = new Map<string, SnapshotOffer>();
  for (const offer of offers) {
    const id = toHex(manifestHash(suite, offer.manifest));
    const known = byManifest.get(id);
    if (!known) {
      byManifest.set(id, { manifest: offer.manifest, votes: [...offer.votes] });
      continue;
    }
    for (const v of offer.votes)
      if (!known.votes.some((k) => equalBytes(k.key, v.key) && equalBytes(k.signature, v.signature)))
        known.votes.push(v);
  }
  return [...byManifest.values()].sort((a, b) => b.manifest.height - a.manifest.height);
}

export async function stateSync(opts: StateSyncOptions): Promise<StateSyncResult> {
  const startedAt = performance.now();
  const { suite, genesis, source } = opts;
  const log = opts.logger ?? silent;
  const window = opts.window ?? 4;
  const batch = opts.headerBatch ?? 1000;
  const store = new ChainStore(opts.database);
  await store.migrate();
  const g = createGenesisState({ suite, contracts: opts.contracts }, genesis);
  await store.initGenesis(genesis, g.hash, g.state.head.stateRoot, g.writes, genesis.validators);
  if (await store.getMeta(STATE_SYNC_PENDING)) {
    log.warn({}, 'an earlier state sync was interrupted: starting over');
    await store.clearChain();
  } else if ((await store.headHeight()) > 0)
    throw new Error('this node already holds blocks: state sync is for a node that has none');

  const offers = mergeOffers(suite, await source.offers()).filter(
    (o) => o.manifest.chainId === genesis.chainId && o.manifest.height >= (opts.minHeight ?? 1),
  );
  if (offers.length === 0) throw new Error('no peer offers a snapshot of this chain');
  await store.setMeta(STATE_SYNC_PENDING, new Uint8Array([1]));

  const verifier = new HeaderChainVerifier({
    suite,
    chainId: genesis.chainId,
    genesisHash: g.hash,
    genesisValidators: genesis.validators,
    certificates: opts.certificates,
  });
  const failures: string[] = [];
  for (const offer of offers) {
    const m = offer.manifest;
    if (m.height < verifier.height) continue;
    // Headers up to the snapshot's block, verified in order, stored as they pass.
    const headersStartedAt = performance.now();
    let writing: Promise<void> = Promise.resolve();
    const from = verifier.height + 1;
    const requests = Math.ceil((m.height - verifier.height) / batch);
    await pipelined(
      requests,
      window,
      (i) => source.headers(from + i * batch, Math.min(batch, m.height - (from + i * batch) + 1)),
      async (first, i) => {
        const start = from + i * batch;
        const expected = Math.min(batch, m.height - start + 1);
        // A batch that does not verify is asked again (of the next peer) before the sync gives up.
        let answer = first;
        let verified: ReturnType<HeaderChainVerifier['add']> | undefined;
        for (let attempt = 1; !verified; attempt++) {
          try {
            if (answer.headers.length !== expected)
              throw new Error(`a peer sent ${answer.headers.length} headers from ${start}, not ${expected}`);
            verified = verifier.add(answer.headers, answer.sets);
          } catch (error) {
            if (attempt >= RETRIES) throw error;
            log.warn({ from: start, err: (error as Error).message }, 'headers refused: asking again');
            answer = await source.headers(start, expected);
          }
        }
        // Written behind: the next batch is verified while this one is stored (one write in flight).
        await writing;
        writing = store.insertHeaders(verified);
        writing.catch(() => {});
      },
    );
    await writing;
    const headersMs = performance.now() - headersStartedAt;
    const header = verifier.lastHeader!;
    const why = checkManifest(suite, m, header, offer, verifier.lastSigners);
    if (why) {
      failures.push(`snapshot ${m.height}: ${why}`);
      log.warn({ height: m.height, reason: why }, 'snapshot refused');
      continue;
    }
    log.info({ height: m.height, ms: Math.round(headersMs) }, 'headers verified up to the snapshot');
    // The state, chunk by chunk, each verified against the manifest before the next is taken.
    const stateStartedAt = performance.now();
    const entries: SnapshotEntry[] = [];
    let lastKey: string | null = null;
    await pipelined(
      m.chunks.length,
      window,
      async (i) => {
        // A chunk that is not the manifest's is asked again (of the next peer) before the sync gives up.
        let bytes = await source.chunk(m.height, i);
        for (let attempt = 1; attempt < RETRIES && !equalBytes(suite.hash(bytes), m.chunks[i]!); attempt++) {
          log.warn({ height: m.height, chunk: i }, 'chunk refused: asking again');
          bytes = await source.chunk(m.height, i);
        }
        return bytes;
      },
      (bytes, i) => {
        const part = verifyChunk(suite, m, i, bytes, lastKey);
        for (const e of part) entries.push(e);
        if (part.length > 0) lastKey = part[part.length - 1]![0];
      },
    );
    if (entries.length !== m.entries)
      throw new Error(`the snapshot holds ${entries.length} entries, its manifest says ${m.entries}`);
    const validatorsEntry = entries.find((e) => e[0] === 'core/validators');
    if (
      !validatorsEntry ||
      !equalBytes(
        validatorSetHash(suite, validatorsFromValue(decodeCanonical(validatorsEntry[1]))),
        header.nextValidatorsHash,
      )
    )
      throw new Error("the snapshot's validator set is not the one its block names for the next height");
    await store.installSnapshot(m.height, entries, [...verifier.changes]);
    await store.deleteMeta(STATE_SYNC_PENDING);
    const stateMs = performance.now() - stateStartedAt;
    const result: StateSyncResult = {
      height: m.height,
      blockHash: toHex(m.blockHash),
      entries: entries.length,
      chunks: m.chunks.length,
      headers: verifier.height,
      certificatesChecked: verifier.certificatesChecked,
      ms: {
        headers: Math.round(headersMs),
        state: Math.round(stateMs),
        total: Math.round(performance.now() - startedAt),
      },
    };
    log.info(result, 'state synced from a snapshot');
    return result;
  }
  throw new Error(`no snapshot offered could be verified: ${failures.join('; ')}`);
}

/** Why a manifest does not belong to the verified header, or null when it does. */
function checkManifest(
  suite: CryptoSuite,
  m: SnapshotManifest,
  header: BlockHeader,
  offer: SnapshotOffer,
  signers: readonly Validator[],
): string | null {
  if (header.height !== m.height) return `the verified chain ends at ${header.height}`;
  if (!equalBytes(m.blockHash, blockHash(suite, header))) return 'its block is not the verified header';
  if (!equalBytes(m.stateRoot, header.stateRoot)) return 'its state root is not the header’s';
  const votes = verifySnapshotVotes(suite, m, offer.votes, signers);
  if (!votes.ok) return votes.reason;
  return null;
}
