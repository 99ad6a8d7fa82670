// `gongxin verify`: re-check a node's stored chain from genesis without trusting anything it stored.
// Every block's header hash and parent link, every tx's signature and shape, the tx and event Merkle
// roots, the commit certificate against the validator set of its height, and the state after
// re-executing every block, with every column the API shows of a tx or event (outcome, sender, event
// names and attributes) against what re-execution produced, and every column of a block row the node
// reloads or the API shows (time, proposer, round, counts) against its header and certificate — then the
// stored state table (values and the height each was last written at), the stored validator sets and
// the genesis records against what the replay produced. The first broken link is named by height and by
// what broke; a missing block is named as such, and the blocks above it are still checked on their own
// (hashes, links, roots, certificates). The tip — which a cut cannot show from inside — is checked
// against a checkpoint the validators signed, or against a peer.
import { isDeepStrictEqual } from 'node:util';
import {
  applyBlock,
  type Block,
  blockHash,
  type CommitCertificate,
  createGenesisState,
  decodeBlock,
  decodeCanonical,
  decodeCertificate,
  decodeHeader,
  decodeTx,
  encodeBlock,
  encodeCanonical,
  encodeCertificate,
  encodeEvent,
  equalBytes,
  type GenesisDocument,
  type LedgerState,
  leafHash,
  MemoryState,
  merkleRootOfLeafHashes,
  type RuntimeEnv,
  toHex,
  toJsonValue,
  type Validator,
  validatorSetHash,
  validatorsFromValue,
  validatorsToValue,
  verifyCertificate,
  verifyTxSignature,
} from '@gongxin/ledger';
import { asc, eq } from 'drizzle-orm';
import * as t from './storage/schema';
import type { ChainStore } from './storage/store';

export interface VerifyProblem {
  height: number | null;
  what: string;
}

export interface ChainVerification {
  ok: boolean;
  /** Blocks checked before the first problem (or all of them). */
  checkedHeight: number;
  /** The first problem: the lowest broken height. */
  problem?: VerifyProblem;
  /** Further problems found above it (blocks above a gap are still checked on their own), at most 20. */
  more?: VerifyProblem[];
  /** The highest stored block. */
  storedHeight?: number;
}

/**
 * A block the validators signed, to check the tip against: a chain cut at its top looks whole from
 * inside. `gongxin checkpoint` writes one from any node; its certificate is checked against the
 * validator set of its height.
 */
export interface Checkpoint {
  chainId: string;
  height: number;
  block: Block;
  certificate: CommitCertificate;
}

export function encodeCheckpoint(c: Checkpoint): string {
  return `${JSON.stringify(
    {
      type: 'gongxin-checkpoint',
      chainId: c.chainId,
      height: c.height,
      block: toHex(encodeBlock({ header: c.block.header, txs: [] })),
      certificate: toHex(encodeCertificate(c.certificate)),
    },
    null,
    2,
  )}\n`;
}

export function decodeCheckpoint(text: string): Checkpoint {
  const v = JSON.parse(text) as Record<string, unknown>;
  if (v.type !== 'gongxin-checkpoint' || typeof v.block !== 'string' || typeof v.certificate !== 'string')
    throw new Error('not a Gongxin checkpoint file');
  const block = decodeBlock(Buffer.from(v.block, 'hex'));
  return {
    chainId: String(v.chainId),
    height: Number(v.height),
    block,
    certificate: decodeCertificate(Buffer.from(v.certificate, 'hex')),
  };
}

/** What verify asks a peer: its head, and its block hash at a height. */
export interface TipSource {
  name: string;
  head(): Promise<number>;
  hashAt(height: number): Promise<Uint8Array | undefined>;
}

export interface VerifyOptions {
  onProgress?: (height: number) => void;
  checkpoint?: Checkpoint;
  peer?: TipSource;
}

/** Stored JSON text against the value it should hold (compared parsed: key order and spacing aside). */
function sameJson(text: string, expected: unknown): boolean {
  try {
    return isDeepStrictEqual(JSON.parse(text), expected);
  } catch {
    return false;
  }
}

export async function verifyChain(
  store: ChainStore,
  env: RuntimeEnv,
  genesis: GenesisDocument,
  options: VerifyOptions | ((height: number) => void) = {},
): Promise<ChainVerification> {
  const opts = typeof options === 'function' ? { onProgress: options } : options;
  const { suite } = env;
  const db = store.db;
  const problems: VerifyProblem[] = [];
  const note = (height: number | null, what: string) => {
    if (problems.length < 21) problems.push({ height, what });
  };
  const result = (checkedHeight: number, storedHeight: number): ChainVerification => {
    if (problems.length === 0) return { ok: true, checkedHeight, storedHeight };
    // The lowest height first (a null height — a whole-table finding — after every numbered one).
    const sorted = problems
      .map((p, i) => ({ p, i }))
      .sort((a, b) => (a.p.height ?? Infinity) - (b.p.height ?? Infinity) || a.i - b.i)
      .map((x) => x.p);
    const first = sorted[0]!;
    return {
      ok: false,
      checkedHeight: Math.min(checkedHeight, Math.max(0, (first.height ?? checkedHeight + 1) - 1)),
      problem: first,
      ...(sorted.length > 1 && { more: sorted.slice(1, 21) }),
      storedHeight,
    };
  };

  const storedGenesis = await store.getMeta('genesis_hash');
  const g = createGenesisState(env, genesis);
  if (!storedGenesis || !equalBytes(storedGenesis, g.hash))
    return {
      ok: false,
      checkedHeight: 0,
      problem: { height: 0, what: 'the stored genesis is not this genesis document' },
    };
  // The genesis records the node reloads (its time and state root are the head of an empty chain).
  const storedRoot = await store.getMeta('genesis_state_root');
  if (!storedRoot || !equalBytes(storedRoot, g.state.head.stateRoot))
    note(0, 'the stored genesis state root is not the one this genesis document gives');
  const storedDoc = await store.getMeta('genesis');
  const expectedDoc = encodeCanonical({
    chainId: genesis.chainId,
    suite: genesis.suite,
    time: genesis.time,
    validators: validatorsToValue(genesis.validators),
    contracts: (genesis.contracts ?? {}) as never,
  });
  if (!storedDoc || !equalBytes(storedDoc, expectedDoc))
    note(0, 'the stored genesis record differs from the genesis document');

  const storedHeight = await store.headHeight();
  const memory = new MemoryState();
  memory.apply(g.writes);
  /** Height at which each state key was last written by the replay (genesis: 0). */
  const writtenAt = new Map<string, number>();
  for (const key of g.writes.keys()) writtenAt.set(key, 0);
  let state: LedgerState = { head: g.state.head, store: memory };
  let validators: Validator[] = genesis.validators.slice();
  /** The validator sets the replay installed, by the first height each signs (what the table must hold). */
  const expectedSets = new Map<number, Validator[]>([[1, validators]]);
  /** While true, the state is known and blocks are re-executed; after a problem only their own checks run. */
  let replaying = true;
  let checkedHeight = 0;
  let parent: Uint8Array | null = g.state.head.blockHash;
  let checkpointSet: Validator[] | null = null;

  const [first] = (await db
    .select({ n: t.blocks.height })
    .from(t.blocks)
    .orderBy(asc(t.blocks.height))
    .limit(1)) as { n: number }[];
  if (first && first.n < 1) note(first.n, `a block row at height ${first.n}: heights start at 1`);

  for (let height = 1; height <= storedHeight; height++) {
    const fail = (what: string) => {
      note(height, what);
      replaying = false;
    };
    if (opts.checkpoint?.height === height) checkpointSet = replaying ? validators : null;
    const [row] = await db.select().from(t.blocks).where(eq(t.blocks.height, height));
    if (!row) {
      fail(`block ${height} is missing (blocks are stored up to ${storedHeight})`);
      parent = null;
      continue;
    }
    let header: ReturnType<typeof decodeHeader>;
    try {
      header = decodeHeader(row.header);
    } catch (error) {
      fail(`header does not decode: ${(error as Error).message}`);
      parent = null;
      continue;
    }
    const hash = blockHash(suite, header);
    if (!equalBytes(hash, row.hash)) fail('stored block hash is not the hash of its header');
    if (header.height !== height) fail(`header says height ${header.height}`);
    if (parent && !equalBytes(header.parentHash, parent))
      fail('parent hash does not link to the previous block');
    parent = hash;
    // The row's columns: the node reloads `time` as the head's time on restart; the API shows them all.
    if (row.time !== header.time) fail(`stored time ${row.time} is not the header's ${header.time}`);
    if (!equalBytes(row.proposer, header.proposer)) fail("stored proposer is not the header's");
    if (row.txCount !== header.txCount || row.eventCount !== header.eventCount)
      fail("stored tx or event count is not the header's");

    const txRows = await db.select().from(t.txs).where(eq(t.txs.height, height)).orderBy(asc(t.txs.index));
    const txRoot = merkleRootOfLeafHashes(
      suite.hash,
      txRows.map((r) => leafHash(suite.hash, r.bytes)),
    );
    if (txRows.length !== header.txCount) fail(`${txRows.length} txs stored, header says ${header.txCount}`);
    else if (!equalBytes(txRoot, header.txRoot))
      fail('tx Merkle root does not match the stored txs (a tx was altered)');
    txRows.forEach((r, i) => {
      if (r.index !== i) fail(`tx rows are not numbered 0…${txRows.length - 1}`);
    });
    for (const r of txRows) {
      if (!r.ok && r.sender === null) continue; // refused at execution as malformed or forged: recorded, never applied
      try {
        const tx = decodeTx(suite, r.bytes);
        if (!verifyTxSignature(suite, tx)) fail(`tx ${r.index} has a bad signature`);
        else if (!equalBytes(tx.id, r.hash)) fail(`tx ${r.index}'s stored id is not the hash of its body`);
      } catch (error) {
        fail(`tx ${r.index} does not decode: ${(error as Error).message}`);
      }
    }

    const eventRows = await db
      .select()
      .from(t.events)
      .where(eq(t.events.height, height))
      .orderBy(asc(t.events.index));
    const eventRoot = merkleRootOfLeafHashes(
      suite.hash,
      eventRows.map((r) => leafHash(suite.hash, r.bytes)),
    );
    if (!equalBytes(eventRoot, header.eventRoot))
      fail('event Merkle root does not match the stored events (an event was altered)');

    // Above a gap the replayed set is unknown: the stored set the header names is used, as the node would.
    let signers: Validator[] | undefined = replaying ? validators : undefined;
    if (!replaying) {
      const stored = await store.validatorsAt(height).catch(() => undefined);
      if (stored && equalBytes(validatorSetHash(suite, stored), header.validatorsHash)) signers = stored;
    }
    if (!signers) fail('no stored validator set matches the one the header names');
    else if (!equalBytes(validatorSetHash(suite, signers), header.validatorsHash))
      fail('header names a validator set other than the one governance installed');
    let certificate: ReturnType<typeof decodeCertificate> | undefined;
    try {
      certificate = decodeCertificate(row.certificate);
    } catch (error) {
      fail(`certificate does not decode: ${(error as Error).message}`);
    }
    if (certificate) {
      if (row.round !== certificate.round)
        fail(`stored round ${row.round} is not the certificate's ${certificate.round}`);
      if (signers) {
        const cert = verifyCertificate(suite, genesis.chainId, certificate, signers, {
          height,
          blockHash: hash,
        });
        if (!cert.ok) fail(`commit certificate: ${cert.reason}`);
      }
    }

    if (replaying) {
      let applied: ReturnType<typeof applyBlock> | undefined;
      try {
        applied = applyBlock(env, state, { header, txs: txRows.map((r) => r.bytes) });
      } catch (error) {
        fail(`re-executing the block: ${(error as Error).message}`);
      }
      if (applied) {
        // The rows' other columns are what the API and the explorer show: they must say what the block did.
        for (let i = 0; i < applied.receipts.length && replaying; i++) {
          const r = applied.receipts[i]!;
          const txRow = txRows[i]!;
          if (
            txRow.index !== r.txIndex ||
            !equalBytes(txRow.hash, r.txId) ||
            txRow.sender !== r.from ||
            txRow.nonce !== r.nonce ||
            txRow.ok !== r.ok ||
            txRow.code !== (r.code ?? null) ||
            txRow.message !== (r.message ?? null) ||
            txRow.firstEvent !== r.firstEvent ||
            txRow.eventCount !== r.eventCount
          )
            fail(`tx ${i}'s stored outcome differs from re-execution`);
        }
        if (eventRows.length !== applied.events.length)
          fail(`${eventRows.length} events stored, re-execution emits ${applied.events.length}`);
        for (let i = 0; i < applied.events.length && replaying; i++) {
          const e = applied.events[i]!;
          const eventRow = eventRows[i]!;
          if (!equalBytes(encodeEvent(e), eventRow.bytes))
            fail(`stored event ${i} differs from re-execution`);
          else if (
            eventRow.index !== e.index ||
            eventRow.txIndex !== e.txIndex ||
            !equalBytes(eventRow.txHash, e.txId) ||
            eventRow.contract !== e.contract ||
            eventRow.name !== e.name ||
            !sameJson(eventRow.attrs, toJsonValue(e.attrs))
          )
            fail(`stored event ${i}'s columns differ from re-execution`);
        }
        if (replaying) {
          memory.apply(applied.writes);
          for (const key of applied.writes.keys()) writtenAt.set(key, height);
          state = { head: applied.state.head, store: memory };
          if (
            !equalBytes(validatorSetHash(suite, applied.nextValidators), validatorSetHash(suite, validators))
          )
            expectedSets.set(height + 1, applied.nextValidators);
          validators = applied.nextValidators;
          checkedHeight = height;
        }
      }
    }
    opts.onProgress?.(height);
  }

  if (replaying) {
    // The stored state must be exactly the state the replay produced, each row with the height that last
    // wrote it.
    const stateRows = await db.select().from(t.state);
    const seen = new Set<string>();
    for (const r of stateRows) {
      seen.add(r.key);
      const expected = memory.get(r.key);
      if (expected === undefined) note(r.height, `state entry ${r.key} exists but no block wrote it`);
      else if (!equalBytes(encodeCanonical(expected), r.value))
        note(
          r.height,
          `state entry ${r.key} (last written at height ${r.height}) differs from the replayed state`,
        );
      else if (writtenAt.get(r.key) !== r.height)
        note(
          Math.min(r.height, writtenAt.get(r.key) ?? r.height),
          `state entry ${r.key} says it was last written at height ${r.height}; the replay last wrote it at ${writtenAt.get(r.key)}`,
        );
    }
    for (const key of memory.entries.keys()) {
      if (!seen.has(key))
        note(writtenAt.get(key) ?? null, `state entry ${key} is missing from the stored state`);
    }
    // The validator sets the API serves (`validators.at`): one row per set, from the height it signs.
    const setRows = await db.select().from(t.validatorSets).orderBy(asc(t.validatorSets.height));
    const rowsByHeight = new Map(setRows.map((r) => [r.height, r]));
    for (const [from, set] of expectedSets) {
      const r = rowsByHeight.get(from);
      if (!r) {
        note(from, `the validator set that signs from height ${from} is not stored`);
        continue;
      }
      let stored: Validator[] | undefined;
      try {
        stored = validatorsFromValue(decodeCanonical(r.validators));
      } catch {
        stored = undefined;
      }
      if (!stored || !equalBytes(validatorSetHash(suite, stored), validatorSetHash(suite, set)))
        note(from, `the stored validator set for heights from ${from} is not the one governance installed`);
      else if (from > 1 && !equalBytes(r.hash, validatorSetHash(suite, set)))
        note(from, `the stored hash of the validator set from height ${from} is not its hash`);
    }
    for (const r of setRows)
      if (!expectedSets.has(r.height))
        note(r.height, `a validator set stored for heights from ${r.height} that governance never installed`);
  }

  // The tip: nothing inside the database shows a chain cut at its top.
  const checkpoint = opts.checkpoint;
  if (checkpoint) {
    const cpHash = blockHash(suite, checkpoint.block.header);
    const set = checkpointSet ?? (checkpoint.height > storedHeight && replaying ? validators : null);
    if (checkpoint.chainId !== genesis.chainId || checkpoint.block.header.height !== checkpoint.height)
      note(
        null,
        `the checkpoint is for ${checkpoint.chainId} at height ${checkpoint.block.header.height}, not this chain`,
      );
    else if (!set)
      note(
        checkpoint.height,
        'the checkpoint cannot be checked: the validator set of its height is unknown here',
      );
    else {
      const cert = verifyCertificate(suite, genesis.chainId, checkpoint.certificate, set, {
        height: checkpoint.height,
        blockHash: cpHash,
      });
      if (!cert.ok) note(null, `the checkpoint's certificate does not verify: ${cert.reason}`);
      else if (checkpoint.height > storedHeight)
        note(
          storedHeight + 1,
          `blocks ${storedHeight + 1}–${checkpoint.height} are missing: the validators signed block ${checkpoint.height} (checkpoint), this database ends at ${storedHeight}`,
        );
      else {
        const [row] = await db
          .select({ hash: t.blocks.hash })
          .from(t.blocks)
          .where(eq(t.blocks.height, checkpoint.height));
        if (row && !equalBytes(row.hash, cpHash))
          note(
            checkpoint.height,
            `block ${checkpoint.height} is not the one the validators signed (checkpoint)`,
          );
      }
    }
  }
  if (opts.peer) {
    const peer = opts.peer;
    try {
      const peerHead = await peer.head();
      const at = Math.min(peerHead, storedHeight);
      if (at > 0) {
        const theirs = await peer.hashAt(at);
        const [row] = await db.select({ hash: t.blocks.hash }).from(t.blocks).where(eq(t.blocks.height, at));
        if (theirs && row && !equalBytes(theirs, row.hash))
          note(at, `block ${at} differs from ${peer.name}'s`);
      }
      if (peerHead > storedHeight)
        note(
          storedHeight + 1,
          `blocks ${storedHeight + 1}–${peerHead} are missing here: ${peer.name} has the chain up to ${peerHead}, this database ends at ${storedHeight} (a cut tip, or a node that has not caught up yet)`,
        );
    } catch (error) {
      note(null, `cannot ask ${peer.name} for its tip: ${(error as Error).message}`);
    }
  }
  return result(checkedHeight, storedHeight);
}
