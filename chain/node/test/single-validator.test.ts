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

async function startNode() {
  const database = await openDatabase({ dataDir: dir, name: 'node1' });
  const node = new ChainNode({
    database,
    genesis,
    suite,
    contracts,
    signer: signerOf(vals[0]!.account),
    logger: quietLogger,
    blockLimits: { commitDelayMs: 5, emptyBlockIntervalMs: 60_000 },
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

    // A failing tx is committed with its reason.
    const fail = first.node.submit(signedTx(suite, chainId, users[5]!, 0, [add(2_000_000)]));
    const failed = await first.node.waitForTx(fail.id, 10_000);
    expect(failed.receipt).toMatchObject({ ok: false, code: 'limit_exceeded' });

    // Replays and forgeries never reach a block: refused at admission with a typed reason.
    expect(() => first.node.submit(signedTx(suite, chainId, users[0]!, 0, [add(1)]))).toThrow(TxRejected);
    expect(() => first.node.submit(signedTx(suite, 'other', users[0]!, 10, [add(1)]))).toThrow(/chain/);

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
});
