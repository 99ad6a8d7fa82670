// The simulator's parts: PRNG, scheduler, fast crypto suite, network.
import { createGenesisState, verifyCertificate } from '@gongxin/ledger';
import { certify, nextBlock, testAccount } from '@gongxin/ledger/testing';
import { describe, expect, it } from 'vitest';
import { createFastSuite } from '../src/crypto';
import { Network } from '../src/network';
import { Rng } from '../src/prng';
import { Scheduler } from '../src/scheduler';
import { CHAIN_ID, createWorld } from '../src/world';

describe('Rng', () => {
  it('is a pure function of seed and salt', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(new Rng(7, 1).next()).not.toBe(new Rng(7).next());
    expect(new Rng(2 ** 40 + 7).next()).not.toBe(new Rng(7).next());
  });

  it('draws uniformly enough', () => {
    const rng = new Rng(1);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[rng.int(10)]++;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
    const f = Array.from({ length: 1000 }, () => rng.float());
    expect(Math.min(...f)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...f)).toBeLessThan(1);
  });

  it('forks independent streams', () => {
    const root = new Rng(3);
    const x = root.fork('x');
    const y = root.fork('y');
    expect(x.next()).not.toBe(y.next());
  });
});

describe('Scheduler', () => {
  it('runs events by time, then by insertion order', () => {
    const s = new Scheduler();
    const order: string[] = [];
    s.at(10, () => order.push('b1'));
    s.at(5, () => order.push('a'));
    s.at(10, () => order.push('b2'));
    s.at(10, () => {
      order.push('b3');
      s.after(0, () => order.push('b4'));
    });
    s.at(20, () => order.push('c'));
    while (s.step(15)) {}
    expect(order).toEqual(['a', 'b1', 'b2', 'b3', 'b4']);
    expect(s.now).toBe(10);
    while (s.step()) {}
    expect(order.at(-1)).toBe('c');
  });

  it('keeps heap order over many random events', () => {
    const s = new Scheduler();
    const rng = new Rng(9);
    const seen: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t = rng.int(1000);
      s.at(t, () => seen.push(t));
    }
    while (s.step()) {}
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});

describe('fast simulation crypto', () => {
  const suite = createFastSuite();

  it('signs deterministically and verifies only the signed bytes with the signer key', () => {
    const alice = testAccount(suite, 1);
    const bob = testAccount(suite, 2);
    const message = new Uint8Array([1, 2, 3]);
    const signature = suite.sign(message, alice.privateKey);
    expect(signature.length).toBe(64);
    expect(alice.publicKey.length).toBe(32);
    expect(suite.sign(message, alice.privateKey)).toEqual(signature);
    expect(suite.verify(signature, message, alice.publicKey)).toBe(true);
    expect(suite.verify(signature, new Uint8Array([1, 2, 4]), alice.publicKey)).toBe(false);
    expect(suite.verify(signature, message, bob.publicKey)).toBe(false);
    expect(suite.verify(signature.slice(1), message, alice.publicKey)).toBe(false);
    expect(suite.verify('x' as unknown as Uint8Array, message, alice.publicKey)).toBe(false);
    expect(() => suite.randomPrivateKey()).toThrow();
  });

  it('backs the ledger: a certificate of 3 of 4 validators verifies, 2 of 4 or a tampered one does not', () => {
    const world = createWorld(suite, [10, 10, 10, 10]);
    const genesis = createGenesisState(world.env, world.genesis);
    const proposer = world.validators[0]!.account.publicKey;
    const block = nextBlock(world.env, genesis.state, [], proposer);
    const validators = world.validators.map((v) => v.validator);
    const accounts = world.validators.map((v) => v.account);
    const expected = { height: 1, blockHash: block.hash };
    const good = certify(suite, block.header, accounts.slice(0, 3));
    expect(verifyCertificate(suite, CHAIN_ID, good, validators, expected).ok).toBe(true);
    const short = certify(suite, block.header, accounts.slice(0, 2));
    expect(verifyCertificate(suite, CHAIN_ID, short, validators, expected).ok).toBe(false);
    const tampered = {
      ...good,
      signatures: good.signatures.map((x, i) =>
        i === 0 ? { ...x, signature: x.signature.map((b) => b ^ 1) } : x,
      ),
    };
    expect(verifyCertificate(suite, CHAIN_ID, tampered, validators, expected).ok).toBe(false);
  });
});

describe('Network', () => {
  it('drops on cut links only in the cut direction', () => {
    const s = new Scheduler();
    const faults: Record<string, number> = {};
    const net = new Network(
      s,
      new Rng(1),
      { minDelayMs: 1, jitterMs: 1, tailChance: 0, tailMaxMs: 0, drop: 0, duplicate: 0 },
      faults,
    );
    const got: string[] = [];
    net.cut([0], [1]);
    net.send(0, 1, 'x', () => got.push('0>1'));
    net.send(1, 0, 'x', () => got.push('1>0'));
    while (s.step()) {}
    expect(got).toEqual(['1>0']);
    expect(faults['partition-drop']).toBe(1);
    net.healAll();
    net.send(0, 1, 'x', () => got.push('0>1'));
    while (s.step()) {}
    expect(got).toEqual(['1>0', '0>1']);
  });
});
