// Signature checks on verifier threads: the threads give the same verdicts as the consensus thread, a
// batch admitted through them is refused tx by tx with the reasons single admission gives, and a
// verifier thread that dies is replaced without losing an answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '@gongxin/db';
import { decodeTx, TxRejected } from '@gongxin/ledger';
import { signedTx } from '@gongxin/ledger/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ChainNode } from '../src/node';
import { type SignatureCheck, VerifierPool } from '../src/verify/pool';
import { chainId, contracts, genesisFor, quietLogger, signerOf, suite, users, validators } from './helpers';

const dir = mkdtempSync(path.join(tmpdir(), 'gongxin-verifier-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const add = (by: number) => ({ contract: 'counter', name: 'add', params: { by } });

/** 200 checks, every seventh with one bit of its signature flipped. */
function checks(): { list: SignatureCheck[]; expected: number[] } {
  const list: SignatureCheck[] = [];
  const expected: number[] = [];
  for (let i = 0; i < 200; i++) {
    const tx = decodeTx(suite, signedTx(suite, chainId, users[i % 20]!, Math.floor(i / 20), [add(i)]));
    const signature = Uint8Array.from(tx.signature);
    const forged = i % 7 === 3;
    if (forged) signature[5]! ^= 0x10;
    list.push({ signature, message: tx.bodyBytes, key: tx.body.key });
    expected.push(forged ? 0 : 1);
  }
  return { list, expected };
}

describe('verifier threads', () => {
  it('give the verdicts the consensus thread gives, and do the work themselves', async () => {
    const { list, expected } = checks();
    const pool = new VerifierPool(suite, 2);
    try {
      const verdicts = await pool.verify(list);
      expect(Array.from(verdicts)).toEqual(expected);
      expect(pool.counts).toMatchObject({ offloaded: 200, inline: 0 });
    } finally {
      await pool.close();
    }
    const inline = new VerifierPool(suite, 0);
    expect(Array.from(await inline.verify(list))).toEqual(expected);
    expect(inline.counts).toMatchObject({ offloaded: 0, inline: 200 });
  }, 60_000);

  it('a thread that dies is replaced, and the batch it held is still answered', async () => {
    const { list, expected } = checks();
    const pool = new VerifierPool(suite, 1);
    try {
      // Kill the only thread with a batch in flight: that batch falls back to this thread.
      const inFlight = pool.verify(list);
      await (
        pool as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }
      ).slots[0]!.worker.terminate();
      expect(Array.from(await inFlight)).toEqual(expected);
      // The replacement answers the next batch.
      const again = await pool.verify(list);
      expect(Array.from(again)).toEqual(expected);
      expect(pool.counts.offloaded).toBeGreaterThanOrEqual(200);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('a batch admitted through them commits, with each bad tx refused for its own reason', async () => {
    const vals = validators(1);
    const database = await openDatabase({ dataDir: dir, name: 'node1' });
    const verifier = new VerifierPool(suite, 1);
    const node = new ChainNode({
      database,
      genesis: genesisFor(vals),
      suite,
      contracts,
      signer: signerOf(vals[0]!.account),
      logger: quietLogger,
      blockLimits: { commitDelayMs: 5, emptyBlockIntervalMs: 60_000 },
      verifier,
    });
    await node.start();
    try {
      const txs: Uint8Array[] = [];
      for (let i = 0; i < 60; i++)
        txs.push(signedTx(suite, chainId, users[i % 6]!, Math.floor(i / 6), [add(1)]));
      const forged = Uint8Array.from(signedTx(suite, chainId, users[7]!, 0, [add(1)]));
      // One bit of the signature flipped, wherever the wire form keeps it.
      const signature = decodeTx(suite, forged).signature;
      const at = Buffer.from(forged).indexOf(Buffer.from(signature));
      expect(at).toBeGreaterThanOrEqual(0);
      forged[at + 10]! ^= 0x01;
      const farAhead = signedTx(suite, chainId, users[8]!, 500, [add(1)]);
      const results = await node.admitMany([...txs, forged, farAhead, txs[0]!, new Uint8Array([1, 2, 3])]);

      expect(results.slice(0, 60).every((r) => 'id' in r && !r.duplicate)).toBe(true);
      const reason = (r: (typeof results)[number]) =>
        'error' in r && r.error instanceof TxRejected
          ? r.error.code
          : 'error' in r
            ? r.error.name
            : 'admitted';
      expect(reason(results[60]!)).toBe('bad_signature');
      expect(reason(results[61]!)).toBe('bad_nonce');
      expect(results[62]).toMatchObject({ duplicate: true });
      expect(reason(results[63]!)).toBe('malformed');
      // The 61 decodable txs within reach were checked on the thread, not here.
      expect(verifier.counts.offloaded).toBe(61);

      const ids = results.slice(0, 60).map((r) => ('id' in r ? r.id : ''));
      const outcomes = await Promise.all(ids.map((id) => node.waitForTx(id, 30_000)));
      expect(outcomes.every((o) => o.receipt.ok)).toBe(true);
    } finally {
      await node.stop();
      await verifier.close();
      await database.close();
    }
  }, 90_000);
});
