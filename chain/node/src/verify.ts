// `gongxin verify`: re-check a node's stored chain from genesis without trusting anything it stored.
// Every block's header hash and parent link, every tx's signature and shape, the tx and event Merkle
// roots, the commit certificate against the validator set of its height, and the state after
// re-executing every block, with every column the API shows of a tx or event (outcome, sender, event
// names and attributes) against what re-execution produced — then the stored state table against the
// state the replay produced. The first broken link is named by height and by what broke.
import { isDeepStrictEqual } from 'node:util';
import {
  applyBlock,
  blockHash,
  createGenesisState,
  decodeCertificate,
  decodeHeader,
  decodeTx,
  encodeCanonical,
  encodeEvent,
  equalBytes,
  type GenesisDocument,
  type LedgerState,
  leafHash,
  MemoryState,
  merkleRootOfLeafHashes,
  type RuntimeEnv,
  toJsonValue,
  type Validator,
  validatorSetHash,
  verifyCertificate,
  verifyTxSignature,
} from '@gongxin/ledger';
import { asc, eq } from 'drizzle-orm';
import * as t from './storage/schema';
import type { ChainStore } from './storage/store';

export interface ChainVerification {
  ok: boolean;
  /** Blocks checked before the first problem (or all of them). */
  checkedHeight: number;
  problem?: { height: number | null; what: string };
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
  onProgress?: (height: number) => void,
): Promise<ChainVerification> {
  const { suite } = env;
  const fail = (height: number | null, what: string, checkedHeight: number): ChainVerification => ({
    ok: false,
    checkedHeight,
    problem: { height, what },
  });
  const storedGenesis = await store.getMeta('genesis_hash');
  const g = createGenesisState(env, genesis);
  if (!storedGenesis || !equalBytes(storedGenesis, g.hash))
    return fail(0, 'the stored genesis is not this genesis document', 0);

  const memory = new MemoryState();
  memory.apply(g.writes);
  let state: LedgerState = { head: g.state.head, store: memory };
  let validators: Validator[] = genesis.validators.slice();
  const db = store.db;
  const [{ n } = { n: 0 }] = (await db
    .select({ n: t.blocks.height })
    .from(t.blocks)
    .orderBy(asc(t.blocks.height))
    .limit(1)) as { n: number }[];
  if (n !== undefined && n !== 0 && n !== 1)
    return fail(1, `the first stored block is at height ${n}, not 1`, 0);

  for (let height = 1; ; height++) {
    const [row] = await db.select().from(t.blocks).where(eq(t.blocks.height, height));
    if (!row) break;
    const checked = height - 1;
    let header: ReturnType<typeof decodeHeader>;
    try {
      header = decodeHeader(row.header);
    } catch (error) {
      return fail(height, `header does not decode: ${(error as Error).message}`, checked);
    }
    const hash = blockHash(suite, header);
    if (!equalBytes(hash, row.hash))
      return fail(height, 'stored block hash is not the hash of its header', checked);
    if (header.height !== height) return fail(height, `header says height ${header.height}`, checked);
    if (!equalBytes(header.parentHash, state.head.blockHash))
      return fail(height, 'parent hash does not link to the previous block', checked);

    const txRows = await db.select().from(t.txs).where(eq(t.txs.height, height)).orderBy(asc(t.txs.index));
    if (txRows.length !== header.txCount)
      return fail(height, `${txRows.length} txs stored, header says ${header.txCount}`, checked);
    const txRoot = merkleRootOfLeafHashes(
      suite.hash,
      txRows.map((r) => leafHash(suite.hash, r.bytes)),
    );
    if (!equalBytes(txRoot, header.txRoot))
      return fail(height, 'tx Merkle root does not match the stored txs (a tx was altered)', checked);
    for (const r of txRows) {
      if (!r.ok && r.sender === null) continue; // refused at execution as malformed or forged: recorded, never applied
      try {
        const tx = decodeTx(suite, r.bytes);
        if (!verifyTxSignature(suite, tx)) return fail(height, `tx ${r.index} has a bad signature`, checked);
        if (!equalBytes(tx.id, r.hash))
          return fail(height, `tx ${r.index}'s stored id is not the hash of its body`, checked);
      } catch (error) {
        return fail(height, `tx ${r.index} does not decode: ${(error as Error).message}`, checked);
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
      return fail(
        height,
        'event Merkle root does not match the stored events (an event was altered)',
        checked,
      );

    if (!equalBytes(validatorSetHash(suite, validators), header.validatorsHash)) {
      return fail(height, 'header names a validator set other than the one governance installed', checked);
    }
    let certificate: ReturnType<typeof decodeCertificate>;
    try {
      certificate = decodeCertificate(row.certificate);
    } catch (error) {
      return fail(height, `certificate does not decode: ${(error as Error).message}`, checked);
    }
    const cert = verifyCertificate(suite, genesis.chainId, certificate, validators, {
      height,
      blockHash: hash,
    });
    if (!cert.ok) return fail(height, `commit certificate: ${cert.reason}`, checked);

    let result: ReturnType<typeof applyBlock>;
    try {
      result = applyBlock(env, state, { header, txs: txRows.map((r) => r.bytes) });
    } catch (error) {
      return fail(height, `re-executing the block: ${(error as Error).message}`, checked);
    }
    // The rows' other columns are what the API and the explorer show: they must say what the block did.
    for (let i = 0; i < result.receipts.length; i++) {
      const r = result.receipts[i]!;
      const row = txRows[i]!;
      if (
        row.index !== r.txIndex ||
        !equalBytes(row.hash, r.txId) ||
        row.sender !== r.from ||
        row.nonce !== r.nonce ||
        row.ok !== r.ok ||
        row.code !== (r.code ?? null) ||
        row.message !== (r.message ?? null) ||
        row.firstEvent !== r.firstEvent ||
        row.eventCount !== r.eventCount
      )
        return fail(height, `tx ${i}'s stored outcome differs from re-execution`, checked);
    }
    for (let i = 0; i < result.events.length; i++) {
      const e = result.events[i]!;
      const row = eventRows[i]!;
      if (!equalBytes(encodeEvent(e), row.bytes))
        return fail(height, `stored event ${i} differs from re-execution`, checked);
      if (
        row.index !== e.index ||
        row.txIndex !== e.txIndex ||
        !equalBytes(row.txHash, e.txId) ||
        row.contract !== e.contract ||
        row.name !== e.name ||
        !sameJson(row.attrs, toJsonValue(e.attrs))
      )
        return fail(height, `stored event ${i}'s columns differ from re-execution`, checked);
    }
    memory.apply(result.writes);
    state = { head: result.state.head, store: memory };
    validators = result.nextValidators;
    onProgress?.(height);
  }

  // The stored state must be exactly the state the replay produced.
  const stateRows = await db.select().from(t.state);
  const seen = new Set<string>();
  for (const r of stateRows) {
    seen.add(r.key);
    const expected = memory.get(r.key);
    if (expected === undefined)
      return fail(r.height, `state entry ${r.key} exists but no block wrote it`, state.head.height);
    if (!equalBytes(encodeCanonical(expected), r.value)) {
      return fail(
        r.height,
        `state entry ${r.key} (last written at height ${r.height}) differs from the replayed state`,
        state.head.height,
      );
    }
  }
  for (const key of memory.entries.keys()) {
    if (!seen.has(key))
      return fail(null, `state entry ${key} is missing from the stored state`, state.head.height);
  }
  return { ok: true, checkedHeight: state.head.height };
}
