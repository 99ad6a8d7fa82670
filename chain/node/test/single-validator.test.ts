import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '@gongxin/db';
import { nonceOf, TxRejected, toHex } from '@gongxin/ledger';
import { signedTx } from '@gongxin/ledger/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ChainNode } from '../src/node';
import { chainId, contracts, genesisFor, quietLogger, signerOf, suite, users, validators } from './helpers';

const vals = validators(1);
const genesis = genesisFor(vals);
const dir = mkdtempSync(path.join(tmpdir(), 'gongxin-node-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function startNode(at = dir, blockLimits: { emptyBlockIntervalMs?: number } = {}) {
  const database = await openDatabase({ dataDir: at, name: 'node1' });
  const node = new ChainNode({
    database,
    genesis,
    suite,
    contracts,
    signer: signerOf(vals[0]!.account),
    logger: quietLogger,
    blockLimits: { commitDelayMs: 5, emptyBlockIntervalMs: 60_000, ...blockLimits },
  });
  await node.start();
  return { node, database };
}

const add = (by: number) => ({ contract: 'counter', name: 'add', params: { by } });

describe('a single validator on PGlite', () => {
  it('commits submitted txs, answers waiters with receipts, and resumes after a restart', async () => {
    const first = await startNode();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const user = users[i % 4]!;
      ids.push(first.node.submit(signedTx(suite, chainId, user, Math.floor(i / 4), [add(1)])).id);
    }
    const outcomes = await Promise.all(ids.map((id) => first.node.waitForTx(id, 20_000)));
    expect(outcomes.every((o) => o.receipt.ok)).toBe(true);
    expect(first.node.stateView.get(`counter/${users[0]!.address}`)).toBe(10);
    const height = first.node.head.height;
    expect(height).toBeGreaterThan(0);
    const stored = await first.node.store.blockAt(outcomes[0]!.height);
    expect(toHex(stored!.hash)).toBe(outcomes[0]!.blockHash);
    expect(stored!.certificate.signatures).toHaveLength(1);
    // The CPU of each stage a committed tx went through is counted (the benchmark divides it by the txs).
    for (const stage of ['admission', 'execute', 'store'] as const)
      expect(first.node.stages.seconds(stage), stage).toBeGreaterThan(0);

    // A failing tx is committed with its reason.
    const fail = first.node.submit(signedTx(suite, chainId, users[5]!, 0, [add(2_000_000)]));
    const failed = await first.node.waitForTx(fail.id, 10_000);
    expect(failed.receipt).toMatchObject({ ok: false, code: 'limit_exceeded' });

    // Replays and forgeries never reach a block: refused at admission with a typed reason.
    expect(() => first.node.submit(signedTx(suite, chainId, users[0]!, 0, [add(1)]))).toThrow(TxRejected);
    expect(() => first.node.submit(signedTx(suite, 'other', users[0]!, 10, [add(1)]))).toThrow(/chain/);

    // From a peer, a tx that arrives after its block is a race, not a bad message; a forgery is.
    const bad = () => first.node.stats.badMessages;
    const before = bad();
    first.node.receiveTx(signedTx(suite, chainId, users[0]!, 0, [add(1)]));
    expect(bad()).toBe(before);
    const honest = signedTx(suite, chainId, users[6]!, 0, [add(1)]);
    const forged = Uint8Array.from(honest);
    forged[forged.length - 1]! ^= 1;
    first.node.receiveTx(forged);
    first.node.receiveTx(new Uint8Array([1, 2, 3]));
    expect(bad()).toBe(before + 2);

    const headBefore = first.node.head;
    await first.node.stop();
    await first.database.close();

    const second = await startNode();
    expect(second.node.head.height).toBe(headBefore.height);
    expect(toHex(second.node.head.blockHash)).toBe(toHex(headBefore.blockHash));
    expect(second.node.stateView.get(`counter/${users[0]!.address}`)).toBe(10);
    expect(nonceOf(second.node.stateView, users[5]!.address)).toBe(1);
    const next = second.node.submit(signedTx(suite, chainId, users[0]!, 10, [add(5)]));
    const outcome = await second.node.waitForTx(next.id, 10_000);
    expect(outcome.height).toBe(headBefore.height + 1);
    expect(second.node.stateView.get(`counter/${users[0]!.address}`)).toBe(15);
    await second.node.stop();
    await second.database.close();
  }, 60_000);

  it('a crash while a decided block is still being written: the restart stores it and re-signs the next height as before', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'gongxin-node-'));
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    try {
      const first = await startNode(home);
      const a = first.node.submit(signedTx(suite, chainId, users[0]!, 0, [add(1)]));
      await first.node.waitForTx(a.id, 10_000);
      const target = first.node.head.height + 1;
      // The write of block `target` fails, but only once the node, already working on the next height,
      // has proposed, locked and precommitted a block there (its WAL holds the lock).
      const store = first.node.store;
      const write = store.commitBlock.bind(store);
      store.commitBlock = async (block, certificate, result) => {
        if (block.header.height !== target) return write(block, certificate, result);
        for (let i = 0; i < 500; i++) {
          if ((await store.walFor(target + 1)).some((r) => r.type === 'lock')) break;
          await sleep(10);
        }
        throw new Error('disk unplugged');
      };
      first.node.submit(signedTx(suite, chainId, users[1]!, 0, [add(2)]));
      // Block `target` is decided (in memory) once users[1]'s nonce moves; the next tx goes to target + 1.
      while (nonceOf(first.node.stateView, users[1]!.address) === 0) await sleep(5);
      const c = first.node.submit(signedTx(suite, chainId, users[2]!, 0, [add(3)]));
      let wal = await store.walFor(target + 1);
      for (let i = 0; i < 500 && !wal.some((r) => r.type === 'lock'); i++) {
        await sleep(10);
        wal = await store.walFor(target + 1);
      }
      const proposed = wal.find((r) => r.type === 'signed' && r.kind === 'proposal');
      expect(proposed).toBeDefined();
      // Nothing of it was shown as committed: the public head is the last block on disk.
      await sleep(100);
      expect(first.node.head.height).toBe(target - 1);
      expect((await store.blockAt(target))?.hash).toBeUndefined();
      await first.node.stop();
      await first.database.close();

      // The restart resumes at the stored head, commits `target` again from its WAL, then enters
      // target + 1 with what it signed there: the same block, with the tx that was in it.
      const second = await startNode(home, { emptyBlockIntervalMs: 100 });
      expect(second.node.head.height).toBe(target - 1);
      for (let i = 0; i < 500 && second.node.head.height < target + 1; i++) await sleep(10);
      expect(second.node.head.height).toBeGreaterThanOrEqual(target + 1);
      const again = await second.node.store.blockAt(target + 1);
      expect(proposed?.type === 'signed' && proposed.hash).toBe(toHex(again!.hash));
      const stored = await second.node.store.blockAt(target);
      expect(stored?.block.txs).toHaveLength(1);
      expect(second.node.stateView.get(`counter/${users[2]!.address}`)).toBe(3);
      expect(c.id).toBeTruthy();
      await second.node.stop();
      await second.database.close();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);

  it('a database that fails under the node: it pauses, says why, and resumes in place when it answers, losing nothing', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'gongxin-node-'));
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    try {
      const first = await startNode(home, { emptyBlockIntervalMs: 100 });
      const a = first.node.submit(signedTx(suite, chainId, users[3]!, 0, [add(1)]));
      await first.node.waitForTx(a.id, 10_000);
      // The database goes away: every write fails until it is back.
      const store = first.node.store;
      let down = true;
      const write = store.commitBlock.bind(store);
      const log = store.appendWal.bind(store);
      store.commitBlock = async (...args) => {
        if (down) throw new Error('connection refused');
        return write(...args);
      };
      store.appendWal = async (record) => {
        if (down) throw new Error('connection refused');
        return log(record);
      };
      const stuckAt = first.node.head.height;
      const ids = [1, 2, 3].map(
        (n) => first.node.submit(signedTx(suite, chainId, users[3]!, n, [add(1)])).id,
      );
      let problems: { code: string; message: string }[] = [];
      for (let i = 0; i < 500 && !problems.some((p) => p.code === 'database'); i++) {
        await sleep(10);
        problems = first.node.health().problems;
      }
      expect(problems[0]).toMatchObject({
        code: 'database',
        message: expect.stringContaining('connection refused'),
      });
      await sleep(500);
      expect(first.node.head.height).toBe(stuckAt);
      // Back: the node resumes by itself, and every tx it admitted commits.
      down = false;
      const outcomes = await Promise.all(ids.map((id) => first.node.waitForTx(id, 20_000)));
      expect(outcomes.every((o) => o.receipt.ok)).toBe(true);
      expect(first.node.health().problems).toEqual([]);
      expect(first.node.stateView.get(`counter/${users[3]!.address}`)).toBe(4);
      await first.node.stop();
      await first.database.close();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);

  it('a block written before the connection broke, its answer lost: recovery answers its waiters', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'gongxin-node-'));
    try {
      const first = await startNode(home, { emptyBlockIntervalMs: 100 });
      const store = first.node.store;
      const write = store.commitBlock.bind(store);
      let cut = true;
      // The server commits the block; the client sees the connection close before the answer.
      store.commitBlock = async (...args) => {
        await write(...args);
        if (cut) {
          cut = false;
          throw new Error('write CONNECTION_CLOSED');
        }
      };
      const a = first.node.submit(signedTx(suite, chainId, users[4]!, 0, [add(1)]));
      const outcome = await first.node.waitForTx(a.id, 20_000);
      expect(outcome.receipt.ok).toBe(true);
      expect(cut).toBe(false);
      const stored = await store.blockAt(outcome.height);
      expect(toHex(stored!.hash)).toBe(outcome.blockHash);
      // And the chain goes on.
      const b = first.node.submit(signedTx(suite, chainId, users[4]!, 1, [add(1)]));
      expect((await first.node.waitForTx(b.id, 20_000)).receipt.ok).toBe(true);
      expect(first.node.stateView.get(`counter/${users[4]!.address}`)).toBe(2);
      await first.node.stop();
      await first.database.close();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});
