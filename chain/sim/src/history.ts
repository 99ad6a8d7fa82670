// The chain the other validators built while one was cut off ('far-behind'): built before the run, because
// driving a hundred thousand heights through consensus would take minutes per seed. Every block is
// executed by the real runtime of the simulated world (`executeBlock`, some blocks with the seeded
// generator's txs, most empty) and certified as the consensus machine certifies a decision: the
// precommits of validators holding more than two thirds of the power, each signed with `signVote`, in the
// run's crypto suite. The cut-off validator signs none of them, and a round whose proposer it is never
// decides (that height's certificate is from a later round, proposed by the next in line).
//
// One history per run, shared: the validators' disks hold the same block objects (never modified), each
// in its own list, and their states start from copies of the state it ends in.

import { proposerFor, signVote } from '@gongxin/consensus';
import {
  type ChainHead,
  type CommitCertificate,
  createGenesisState,
  equalBytes,
  executeBlock,
  isQuorum,
  MemoryState,
  toHex,
  type Value,
} from '@gongxin/ledger';
import type { Rng } from './prng';
import type { DiskBlock } from './storage';
import { CHAIN_ID, TxGenerator, type World } from './world';

/** A chain state at some height: its head and the state's entries (frozen values). */
export interface HistoryState {
  head: ChainHead;
  entries: [string, Value][];
}

export interface History {
  /** The genesis head (height 0) the history builds on. */
  genesis: ChainHead;
  blocks: DiskBlock[];
  /** The state after the last block. */
  tip: HistoryState;
  /** The state after the cut-off validator's prefix. */
  prefix: HistoryState;
  prefixLength: number;
  /** Time of the last block (the run's clocks start after it). */
  lastTime: number;
  /** Wall time it took to build, ms (for reports only; nothing in the run reads it). */
  wallMs: number;
}

/** Chance that a block of the history carries txs (the rest are empty). */
const TX_BLOCKS = 0.1;

/**
 * Build `blocks` blocks on the world's genesis, decided without validator `absent`. The draws (txs,
 * block times, which validators sign, extra rounds) come from `rng`.
 */
export function buildHistory(
  world: World,
  rng: Rng,
  options: { blocks: number; absent: number; prefix: number },
): History {
  const started = performance.now();
  const { suite, env } = world;
  const genesis = createGenesisState(env, world.genesis);
  const state = new MemoryState();
  state.apply(genesis.writes);
  let head = genesis.state.head;
  const snapshot = (): HistoryState => ({ head, entries: [...state.entries] });
  let prefix = snapshot();
  if (options.prefix < 0 || options.prefix >= options.blocks)
    throw new Error('the cut-off validator holds a prefix shorter than the history');
  const txs = new TxGenerator(world, rng.fork('txs'));
  const validators = world.validators.map((v) => v.validator);
  const total = validators.reduce((a, v) => a + v.power, 0);
  const absentKey = world.validators[options.absent]!.account.publicKey;
  const present = world.validators.filter((v) => v.index !== options.absent);
  const blocks: DiskBlock[] = [];
  for (let height = 1; height <= options.blocks; height++) {
    // A round whose proposer is the absent validator times out; now and then a round fails anyway.
    let round = rng.chance(0.05) ? 1 : 0;
    while (equalBytes(proposerFor(validators, height, round).key, absentKey)) round++;
    const proposer = proposerFor(validators, height, round).key;
    const blockTxs = rng.chance(TX_BLOCKS) ? txs.txsFor(state) : [];
    const result = executeBlock(
      env,
      { head, store: state },
      { time: head.time + rng.range(600, 1500), proposer, txs: blockTxs },
    );
    // The precommits the proposer's peers collected: all present validators, or one fewer when the rest
    // still hold more than two thirds.
    let signers = present;
    if (rng.chance(0.3)) {
      const dropped = rng.pick(present);
      const rest = present.filter((v) => v !== dropped);
      if (
        isQuorum(
          rest.reduce((a, v) => a + v.validator.power, 0),
          total,
        )
      )
        signers = rest;
    }
    const certificate: CommitCertificate = {
      height,
      round,
      blockHash: result.hash,
      signatures: signers.map((v) => {
        const { account } = v;
        const vote = signVote(
          CHAIN_ID,
          { key: account.publicKey, sign: (bytes) => suite.sign(bytes, account.privateKey) },
          'precommit',
          height,
          round,
          result.hash,
        );
        return { key: vote.validator, signature: vote.signature };
      }),
    };
    blocks.push({
      height,
      hash: result.hash,
      hashHex: toHex(result.hash),
      round,
      block: { header: result.header, txs: blockTxs },
      certificate,
    });
    state.apply(result.writes);
    head = result.state.head;
    if (height === options.prefix) prefix = snapshot();
  }
  return {
    genesis: genesis.state.head,
    blocks,
    tip: snapshot(),
    prefix,
    prefixLength: options.prefix,
    lastTime: head.time,
    wallMs: performance.now() - started,
  };
}

/** The part of a history one validator holds: the first `length` blocks, and the state after them. */
export interface HeldChain {
  genesis: ChainHead;
  blocks: readonly DiskBlock[];
  state: HistoryState;
}

export function heldChain(history: History, length: 'all' | 'prefix'): HeldChain {
  return length === 'all'
    ? { genesis: history.genesis, blocks: history.blocks, state: history.tip }
    : {
        genesis: history.genesis,
        blocks: history.blocks.slice(0, history.prefixLength),
        state: history.prefix,
      };
}
