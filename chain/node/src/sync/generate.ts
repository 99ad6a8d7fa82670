// Writes a long chain straight into a node's store, fast: every block executed by the real runtime
// (headers, roots and state exactly as consensus would make them) and certified by the precommits of
// a local validator set whose private keys the caller holds, then stored in batches of thousands per
// database transaction. For benchmarks and tests of sync at heights that consensus would take days to
// reach; a chain made this way is indistinguishable to a peer from one the validators ran.
import type { Database } from '@gongxin/db';
import {
  type BlockResult,
  type ChainHead,
  type CommitCertificate,
  type ContractRegistry,
  type CryptoSuite,
  createGenesisState,
  equalBytes,
  executeBlock,
  type GenesisDocument,
  isQuorum,
  type MemoryState,
  sortValidators,
  totalPower,
  type Validator,
  voteSignBytes,
} from '@gongxin/ledger';
import { ChainStore } from '../storage/store';

export interface GeneratorKey {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export interface GenerateOptions {
  database: Database;
  genesis: GenesisDocument;
  suite: CryptoSuite;
  contracts: ContractRegistry;
  /** Private keys of (at least a quorum of) the validators: they sign every certificate. */
  keys: readonly GeneratorKey[];
  /** Blocks to add on top of what the store holds. */
  blocks: number;
  /** Txs of the block at `height` (default: none). They must be valid there: they are executed for real. */
  txsAt?: (height: number, state: MemoryState) => Uint8Array[];
  /** Block time step in ms (default 1000). */
  stepMs?: number;
  /** Blocks per database transaction (default 2000). */
  batch?: number;
  onProgress?: (height: number) => void;
}

/** Extend the chain in `database` by `blocks` certified blocks; returns the new head. */
export async function generateChain(opts: GenerateOptions): Promise<ChainHead> {
  const { suite, genesis } = opts;
  const store = new ChainStore(opts.database);
  const env = { suite, contracts: opts.contracts };
  await store.migrate();
  const g = createGenesisState(env, genesis);
  await store.initGenesis(genesis, g.hash, g.state.head.stateRoot, g.writes, genesis.validators);
  const loaded = await store.load(genesis.chainId);
  const state = loaded.state;
  let head = loaded.head;
  const step = opts.stepMs ?? 1000;
  const batchSize = opts.batch ?? 2000;
  let batch: {
    block: { header: BlockResult['header']; txs: Uint8Array[] };
    certificate: CommitCertificate;
    result: BlockResult;
  }[] = [];
  let validators = loaded.validators;
  let signers = quorumOf(validators, opts.keys);
  const target = head.height + opts.blocks;
  while (head.height < target) {
    const height = head.height + 1;
    const txs = opts.txsAt?.(height, state) ?? [];
    const proposer = signers[height % signers.length]!.publicKey;
    const result = executeBlock(env, { head, store: state }, { time: head.time + step, proposer, txs });
    const message = voteSignBytes(genesis.chainId, 'precommit', height, 0, result.hash);
    const certificate: CommitCertificate = {
      height,
      round: 0,
      blockHash: result.hash,
      signatures: signers.map((k) => ({ key: k.publicKey, signature: suite.sign(message, k.privateKey) })),
    };
    state.apply(result.writes);
    head = result.state.head;
    batch.push({ block: { header: result.header, txs }, certificate, result });
    if (!equalBytes(result.header.validatorsHash, result.header.nextValidatorsHash)) {
      validators = result.nextValidators;
      signers = quorumOf(validators, opts.keys);
    }
    if (batch.length >= batchSize || head.height === target) {
      await store.commitBlocks(batch);
      batch = [];
      opts.onProgress?.(head.height);
    }
  }
  return head;
}

/** The keys held for `validators`, in canonical order, as many as make a quorum. */
function quorumOf(validators: readonly Validator[], keys: readonly GeneratorKey[]): GeneratorKey[] {
  const total = totalPower(validators);
  const out: GeneratorKey[] = [];
  let power = 0;
  for (const v of sortValidators(validators)) {
    const key = keys.find((k) => equalBytes(k.publicKey, v.key));
    if (!key) continue;
    out.push(key);
    power += v.power;
    if (isQuorum(power, total)) return out;
  }
  throw new Error('the keys given do not make a quorum of the validator set');
}
