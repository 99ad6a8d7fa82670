import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getSuite } from './crypto/node';
import {
  applyBlock,
  type Block,
  BlockInvalid,
  ContractError,
  type ContractModule,
  ContractRegistry,
  checkTx,
  createGenesisState,
  defineAction,
  encodeCanonical,
  executeBlock,
  type LedgerState,
  nonceOf,
  type RuntimeEnv,
  signTx,
  TxRejected,
  txKey,
  type Validator,
  type Value,
} from './index';
import { nextBlock, signedTx, testAccount, testValidator } from './testing';

const suite = getSuite('ed25519-sha256');
const chainId = 'gongxin-test';

// A toy counter contract: enough to exercise the runtime without the real contracts.
const counter: ContractModule = {
  name: 'counter',
  version: 1,
  actions: {
    add: defineAction(z.object({ by: z.number().int().positive() }).strict(), (ctx, { by }) => {
      const now = ctx.get<number>(`counter/${ctx.sender}`) ?? 0;
      if (now + by > 100) throw new ContractError('limit_exceeded', 'a counter stops at 100');
      ctx.set(`counter/${ctx.sender}`, now + by);
      ctx.emit('added', { by, total: now + by });
    }),
    poke: defineAction(z.object({ key: z.string() }).strict(), (ctx, { key }) => {
      ctx.set(key, 1);
    }),
    crash: defineAction(z.object({}).strict(), () => {
      throw new TypeError('boom');
    }),
  },
};
const counterV2: ContractModule = {
  ...counter,
  version: 2,
  actions: {
    ...counter.actions,
    add: defineAction(z.object({ by: z.number() }), (ctx, { by }) => ctx.emit('v2', { by })),
  },
};

const env: RuntimeEnv = { suite, contracts: new ContractRegistry([counter, counterV2]) };
const { account: v1, validator } = testValidator(suite, 1);
const alice = testAccount(suite, 1);
const bob = testAccount(suite, 2);

function genesis(
  extra: Partial<{ validators: Validator[]; contracts: Record<string, Value> }> = {},
): LedgerState {
  return createGenesisState(env, {
    chainId,
    suite: suite.id,
    time: 1_700_000_000_000,
    validators: extra.validators ?? [validator],
    contracts: extra.contracts,
  }).state;
}

const add = (by: number) => ({ contract: 'counter', name: 'add', params: { by } });

describe('executeBlock', () => {
  it('applies valid txs, records events, and advances nonces', () => {
    const s0 = genesis();
    const r = nextBlock(
      env,
      s0,
      [signedTx(suite, chainId, alice, 0, [add(5)]), signedTx(suite, chainId, alice, 1, [add(2)])],
      v1.publicKey,
    );
    expect(r.receipts.map((x) => x.ok)).toEqual([true, true]);
    expect(r.state.store.get(`counter/${alice.address}`)).toBe(7);
    expect(nonceOf(r.state.store, alice.address)).toBe(2);
    expect(r.events.map((e) => [e.contract, e.name, e.attrs.total])).toEqual([
      ['counter', 'added', 5],
      ['counter', 'added', 7],
    ]);
    expect(r.header.height).toBe(1);
    expect(r.header.txCount).toBe(2);
    // The input state is untouched.
    expect(s0.store.get(`counter/${alice.address}`)).toBeUndefined();
  });

  it('records a failing tx with its reason, spends its nonce and changes nothing else', () => {
    const s0 = genesis();
    const r = nextBlock(env, s0, [signedTx(suite, chainId, alice, 0, [add(50), add(60)])], v1.publicKey);
    expect(r.receipts[0]).toMatchObject({
      ok: false,
      code: 'limit_exceeded',
      message: 'a counter stops at 100',
    });
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({ contract: 'core', name: 'tx.failed' });
    expect([...r.writes.keys()]).toEqual([`core/nonce/${alice.address}`]);
  });

  it.each([
    ['unknown contract', { contract: 'nope', name: 'add', params: {} }, 'unknown_contract'],
    ['unknown action', { contract: 'counter', name: 'sub', params: {} }, 'unknown_action'],
    ['inherited property as action', { contract: 'counter', name: 'toString', params: {} }, 'unknown_action'],
    ['bad params', { contract: 'counter', name: 'add', params: { by: -1 } }, 'invalid_params'],
    ['extra params', { contract: 'counter', name: 'add', params: { by: 1, more: 2 } }, 'invalid_params'],
    [
      'write outside its key space',
      { contract: 'counter', name: 'poke', params: { key: 'assets/x' } },
      'contract_fault',
    ],
    ['a bug in a contract', { contract: 'counter', name: 'crash', params: {} }, 'contract_fault'],
  ] as const)('fails a tx with %s as %s', (_name, action, code) => {
    const r = nextBlock(
      env,
      genesis(),
      [signedTx(suite, chainId, alice, 0, [action as never])],
      v1.publicKey,
    );
    expect(r.receipts[0]).toMatchObject({ ok: false, code });
    expect(nonceOf(r.state.store, alice.address)).toBe(1);
  });

  it('refuses forged, foreign, replayed and malformed txs without changing any state', () => {
    const s0 = genesis();
    const good = signTx(
      suite,
      { chainId, from: alice.address, key: alice.publicKey, nonce: 0, actions: [add(1)] },
      alice.privateKey,
    );
    const forged = encodeCanonical({ body: good.bodyBytes, sig: suite.sign(good.bodyBytes, bob.privateKey) });
    const wrongKey = signedTx(suite, chainId, { ...bob, address: alice.address }, 0, [add(1)]);
    const foreign = signedTx(suite, 'other-chain', alice, 0, [add(1)]);
    const gap = signedTx(suite, chainId, alice, 5, [add(1)]);
    const cases: [Uint8Array, string][] = [
      [forged, 'bad_signature'],
      [wrongKey, 'key_not_authorized'],
      [foreign, 'wrong_chain'],
      [gap, 'bad_nonce'],
      [new Uint8Array([0xff, 0x00]), 'malformed'],
      [encodeCanonical({ body: new Uint8Array([1]), sig: new Uint8Array(64) }), 'malformed'],
      [new Uint8Array(70_000), 'too_large'],
    ];
    const r = nextBlock(
      env,
      s0,
      cases.map(([bytes]) => bytes),
      v1.publicKey,
    );
    expect(r.receipts.map((x) => x.code)).toEqual(cases.map(([, code]) => code));
    expect(r.writes.size).toBe(0);
    // Replay: the same valid tx twice in a row; the second is refused.
    const r2 = nextBlock(env, s0, [good.bytes, good.bytes], v1.publicKey);
    expect(r2.receipts.map((x) => x.code ?? 'ok')).toEqual(['ok', 'bad_nonce']);
    const r3 = nextBlock(env, r2.state, [good.bytes], v1.publicKey);
    expect(r3.receipts[0]!.code).toBe('bad_nonce');
  });

  it('checkTx gives the mempool typed reasons', () => {
    const s0 = genesis();
    expect(() => checkTx(env, s0.store, chainId, signedTx(suite, 'x', alice, 0, [add(1)]))).toThrow(
      TxRejected,
    );
    expect(
      checkTx(env, s0.store, chainId, signedTx(suite, chainId, alice, 3, [add(1)]), { nonce: 'not-stale' })
        .body.nonce,
    ).toBe(3);
  });

  it('is deterministic: the same block on the same state gives identical bytes', () => {
    const s0 = genesis();
    const txs = [signedTx(suite, chainId, alice, 0, [add(5)]), signedTx(suite, chainId, bob, 0, [add(200)])];
    const a = nextBlock(env, s0, txs, v1.publicKey);
    const b = nextBlock(env, s0, txs, v1.publicKey);
    expect(a.hash).toEqual(b.hash);
    expect(a.header).toEqual(b.header);
    expect(a.events).toEqual(b.events);
    expect([...a.writes]).toEqual([...b.writes]);
  });
});

describe('applyBlock', () => {
  it('accepts a block whose header matches its execution and refuses any altered commitment', () => {
    const s0 = genesis();
    const txs = [signedTx(suite, chainId, alice, 0, [add(5)])];
    const proposed = nextBlock(env, s0, txs, v1.publicKey);
    const block: Block = { header: proposed.header, txs };
    expect(applyBlock(env, s0, block).hash).toEqual(proposed.hash);
    for (const field of [
      'txRoot',
      'eventRoot',
      'stateRoot',
      'validatorsHash',
      'nextValidatorsHash',
      'parentHash',
    ] as const) {
      const bad = { ...block, header: { ...block.header, [field]: new Uint8Array(32).fill(7) } };
      expect(() => applyBlock(env, s0, bad)).toThrow(BlockInvalid);
    }
    expect(() => applyBlock(env, s0, { ...block, header: { ...block.header, eventCount: 9 } })).toThrow(
      /eventCount/,
    );
    expect(() => applyBlock(env, s0, { ...block, header: { ...block.header, time: s0.head.time } })).toThrow(
      /time/,
    );
    expect(() => applyBlock(env, s0, { ...block, header: { ...block.header, height: 5 } })).toThrow(/height/);
    expect(() =>
      applyBlock(env, s0, { ...block, header: { ...block.header, proposer: alice.publicKey } }),
    ).toThrow(/proposer/);
    expect(() => applyBlock(env, s0, { header: block.header, txs: [] })).toThrow(BlockInvalid);
  });
});

describe('contract versions', () => {
  it('switches to a version activated by governance from its height on', () => {
    const s0 = createGenesisState(env, { chainId, suite: suite.id, time: 1, validators: [validator] }).state;
    const store = {
      get: (k: string) =>
        k === 'governance/activations' ? { counter: [{ version: 2, height: 2 }] } : s0.store.get(k),
    };
    const st = { ...s0, store };
    const r1 = nextBlock(env, st, [signedTx(suite, chainId, alice, 0, [add(1)])], v1.publicKey);
    expect(r1.events[0]!.name).toBe('added');
    const r2 = nextBlock(env, r1.state, [signedTx(suite, chainId, alice, 1, [add(1)])], v1.publicKey);
    expect(r2.events[0]!.name).toBe('v2');
  });
});

describe('executeBlock with pre-verified signatures', () => {
  it('skips re-verifying only the exact wire bytes it was told about', () => {
    const s0 = genesis();
    const good = signTx(
      suite,
      { chainId, from: alice.address, key: alice.publicKey, nonce: 0, actions: [add(1)] },
      alice.privateKey,
    );
    const forged = encodeCanonical({ body: good.bodyBytes, sig: new Uint8Array(64).fill(1) });
    const verified = new Set([txKey(suite, good.bytes)]);
    const r = executeBlock(
      env,
      s0,
      { time: s0.head.time + 1, proposer: v1.publicKey, txs: [forged] },
      { verifiedSignatures: verified },
    );
    expect(r.receipts[0]!.code).toBe('bad_signature');
  });

  it('takes admitted txs as decoded, gives the same block as decoding them, and checks the rest', () => {
    const s0 = genesis();
    const good = signTx(
      suite,
      { chainId, from: alice.address, key: alice.publicKey, nonce: 0, actions: [add(1)] },
      alice.privateKey,
    );
    const forged = encodeCanonical({
      body: signTx(
        suite,
        { chainId, from: alice.address, key: alice.publicKey, nonce: 1, actions: [add(2)] },
        alice.privateKey,
      ).bodyBytes,
      sig: new Uint8Array(64).fill(1),
    });
    const proposal = { time: s0.head.time + 1, proposer: v1.publicKey, txs: [good.bytes, forged] };
    const goodHash = txKey(suite, good.bytes);
    const asked: string[] = [];
    const admitted = {
      get: (key: string) => {
        asked.push(key);
        return key === goodHash ? good : undefined;
      },
    };
    const plain = executeBlock(env, s0, proposal);
    const fast = executeBlock(env, s0, proposal, { admitted });
    // Asked by txKey, the leaf hash execution computes for the tx root anyway: no second hash per tx.
    expect(asked).toEqual([goodHash, txKey(suite, forged)]);
    expect(fast.receipts.map((r) => r.ok)).toEqual([true, false]);
    expect(fast.receipts[1]!.code).toBe('bad_signature');
    expect(Buffer.from(fast.hash).toString('hex')).toBe(Buffer.from(plain.hash).toString('hex'));
  });
});
