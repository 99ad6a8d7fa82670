// The machine on its own, with no network, disk or clock: four validators whose outputs are delivered by
// hand. All decide the same block with a certificate that verifies; a silent proposer costs a round,
// through the timeouts the machine asks for, and the next proposer's block is decided.
import {
  applyBlock,
  type Block,
  blockHash,
  ContractRegistry,
  createGenesisState,
  executeBlock,
  toHex,
  verifyCertificate,
} from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { testValidator } from '@gongxin/ledger/testing';
import { describe, expect, it } from 'vitest';
import {
  type ConsensusApp,
  ConsensusMachine,
  type ConsensusMessage,
  type ConsensusOutput,
  decodeConsensusMessage,
  encodeConsensusMessage,
  proposerFor,
  signVote,
  type TimeoutStep,
  type Vote,
  type WalRecord,
} from '../src/index';

const suite = getSuite('ed25519-sha256');
const CHAIN_ID = 'gongxin-consensus-test';
const env = { suite, contracts: new ContractRegistry([]) };
const keys = [1, 2, 3, 4].map((seed) => testValidator(suite, seed));
const validators = keys.map((k) => k.validator);
const genesis = createGenesisState(env, {
  chainId: CHAIN_ID,
  suite: suite.id,
  time: 1_700_000_000_000,
  validators,
});

/** The ledger behind one validator: blocks it proposes name it as their proposer. */
function app(proposer: Uint8Array): ConsensusApp {
  const state = genesis.state;
  return {
    head: () => state.head,
    validators: () => validators,
    propose: (_height, time) => {
      const result = executeBlock(env, state, { time, proposer, txs: [] });
      return { header: result.header, txs: [] };
    },
    validate: (block) => {
      try {
        applyBlock(env, state, block);
        return true;
      } catch {
        return false;
      }
    },
  };
}

interface Decision {
  node: number;
  height: number;
  round: number;
  hash: string;
  block: Block;
  certificateOk: boolean;
}

function machineOf(node: number): ConsensusMachine {
  const k = keys[node]!;
  return new ConsensusMachine({
    chainId: CHAIN_ID,
    suite,
    app: app(k.account.publicKey),
    signer: { key: k.account.publicKey, sign: (bytes) => suite.sign(bytes, k.account.privateKey) },
  });
}

function precommitNil(node: number, round: number): Vote {
  const k = keys[node]!;
  const signer = {
    key: k.account.publicKey,
    sign: (bytes: Uint8Array) => suite.sign(bytes, k.account.privateKey),
  };
  return signVote(CHAIN_ID, signer, 'precommit', 1, round, null);
}

const persisted = (outputs: ConsensusOutput[]): WalRecord[] =>
  outputs.flatMap((o) => (o.type === 'persist' ? [o.record] : []));
const sentVotes = (outputs: ConsensusOutput[]): Vote[] =>
  outputs.flatMap((o) => (o.type === 'broadcast' && o.message.type === 'vote' ? [o.message.vote] : []));

/** Four machines; broadcasts are delivered (through the codec) to every other machine, timers on demand. */
function network(silent: Set<number> = new Set()) {
  const machines = keys.map(
    (k) =>
      new ConsensusMachine({
        chainId: CHAIN_ID,
        suite,
        app: app(k.account.publicKey),
        signer: { key: k.account.publicKey, sign: (bytes) => suite.sign(bytes, k.account.privateKey) },
      }),
  );
  const inbox: { to: number; bytes: Uint8Array }[] = [];
  const timers: { node: number; height: number; round: number; step: TimeoutStep; at: number }[] = [];
  const decisions: Decision[] = [];
  const persistedBeforeSend: boolean[] = [];
  let now = genesis.state.head.time + 1000;

  function execute(node: number, outputs: ConsensusOutput[]) {
    let persisted = false;
    for (const output of outputs) {
      switch (output.type) {
        case 'persist':
          persisted = true;
          break;
        case 'broadcast': {
          const m = output.message;
          const own =
            m.type === 'proposal'
              ? toHex(m.proposal.proposer) === toHex(keys[node]!.account.publicKey)
              : toHex(m.vote.validator) === toHex(keys[node]!.account.publicKey);
          if (own) persistedBeforeSend.push(persisted);
          if (silent.has(node)) break;
          const bytes = encodeConsensusMessage(m);
          for (let to = 0; to < machines.length; to++) if (to !== node) inbox.push({ to, bytes });
          break;
        }
        case 'schedule':
          timers.push({
            node,
            height: output.height,
            round: output.round,
            step: output.step,
            at: now + output.afterMs,
          });
          break;
        case 'decide':
          decisions.push({
            node,
            height: output.height,
            round: output.certificate.round,
            hash: toHex(output.hash),
            block: output.block,
            certificateOk: verifyCertificate(suite, CHAIN_ID, output.certificate, validators, {
              height: output.height,
              blockHash: output.hash,
            }).ok,
          });
          break;
      }
    }
  }

  function run() {
    for (let i = 0; i < machines.length; i++) execute(i, machines[i]!.enterHeight(now));
    for (let steps = 0; steps < 10_000 && decisions.length < machines.length; steps++) {
      const next = inbox.shift();
      if (next) {
        const message: ConsensusMessage = decodeConsensusMessage(next.bytes);
        execute(next.to, machines[next.to]!.handle({ type: 'message', message }, now));
        continue;
      }
      timers.sort((a, b) => a.at - b.at);
      const timer = timers.shift();
      if (!timer) break;
      now = Math.max(now, timer.at);
      const { node, height, round, step } = timer;
      execute(node, machines[node]!.handle({ type: 'timeout', height, round, step }, now));
    }
    return { decisions, persistedBeforeSend };
  }
  return { run };
}

describe('ConsensusMachine', () => {
  it('decides one block at height 1 on every validator, with a certificate that verifies', () => {
    const { decisions, persistedBeforeSend } = network().run();
    expect(decisions).toHaveLength(4);
    expect(new Set(decisions.map((d) => d.hash)).size).toBe(1);
    for (const d of decisions) {
      expect(d.height).toBe(1);
      expect(d.round).toBe(0);
      expect(d.certificateOk).toBe(true);
      expect(d.hash).toBe(toHex(blockHash(suite, d.block.header)));
    }
    // Every message a validator signed was made durable (a WAL record) before it went out.
    expect(persistedBeforeSend.length).toBeGreaterThanOrEqual(4 * 2 + 1);
    expect(persistedBeforeSend.every(Boolean)).toBe(true);
  });

  it('moves past a silent proposer by its timeouts and decides in round 1', () => {
    const silent = validators.findIndex((v) => toHex(v.key) === toHex(proposerFor(validators, 1, 0).key));
    const { decisions } = network(new Set([silent])).run();
    const honest = decisions.filter((d) => d.node !== silent);
    expect(honest).toHaveLength(3);
    expect(new Set(honest.map((d) => d.hash)).size).toBe(1);
    for (const d of honest) {
      expect(d.round).toBe(1);
      expect(toHex(d.block.header.proposer)).toBe(toHex(proposerFor(validators, 1, 1).key));
      expect(d.certificateOk).toBe(true);
    }
  });

  it('keeps the precommits that took it to the next round, and sends them again after a restart', () => {
    // Seed 1048 of the simulator in miniature: validator 0 sees round 0's precommits of 1, 2 and 3 (3 is
    // byzantine and never sends its precommit again), moves to round 1 and crashes. Validator 1 crashed
    // too and holds only its own precommit and 2's: with 3 silent it can leave round 0 only if 0 brings
    // 3's precommit back.
    let now = genesis.state.head.time + 1000;
    const a = machineOf(0);
    const wal: WalRecord[] = [];
    const enter = a.enterHeight(now);
    wal.push(...persisted(enter));
    const precommits = [1, 2, 3].map((n) => precommitNil(n, 0));
    let timer: ConsensusOutput | undefined;
    for (const vote of precommits) {
      const out = a.handle({ type: 'message', message: { type: 'vote', vote } }, now);
      wal.push(...persisted(out));
      timer ??= out.find((o) => o.type === 'schedule' && o.step === 'precommit');
    }
    expect(timer).toBeDefined();
    now += 5_000;
    const moved = a.handle({ type: 'timeout', height: 1, round: 0, step: 'precommit' }, now);
    expect(a.round).toBe(1);
    const records = persisted(moved);
    wal.push(...records);
    // The reason for round 1 is durable before anything is signed in it.
    expect(records[0]).toMatchObject({ type: 'round', height: 1, round: 1 });
    const kept = records[0]!.type === 'round' ? records[0]!.votes : [];
    expect(kept.map((v) => toHex(v.validator)).sort()).toEqual(
      [1, 2, 3].map((n) => toHex(keys[n]!.account.publicKey)).sort(),
    );

    // Both restart. Validator 0 resumes in round 1 and sends the kept precommits again.
    now += 1_000;
    const a2 = machineOf(0);
    const resent = sentVotes(a2.enterHeight(now, wal));
    expect(a2.round).toBe(1);
    const byzantine = toHex(keys[3]!.account.publicKey);
    expect(
      resent.some((v) => toHex(v.validator) === byzantine && v.kind === 'precommit' && v.round === 0),
    ).toBe(true);

    const b = machineOf(1);
    b.enterHeight(now, [{ type: 'signed', height: 1, round: 0, kind: 'precommit', hash: 'nil' }]);
    const fromTwo = b.handle({ type: 'message', message: { type: 'vote', vote: precommits[1]! } }, now);
    expect(fromTwo.some((o) => o.type === 'schedule' && o.step === 'precommit')).toBe(false);
    const outs: ConsensusOutput[] = [];
    for (const vote of resent)
      outs.push(...b.handle({ type: 'message', message: { type: 'vote', vote } }, now));
    expect(outs.some((o) => o.type === 'schedule' && o.step === 'precommit' && o.round === 0)).toBe(true);
    b.handle({ type: 'timeout', height: 1, round: 0, step: 'precommit' }, now + 5_000);
    expect(b.round).toBe(1);
  });
});
