// `gongxin verify` finds tampering with a stored block, tx, event or state row and names the height.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, openDatabase } from '@gongxin/db';
import { signedTx } from '@gongxin/ledger/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportChain } from '../src/export';
import { ChainNode } from '../src/node';
import { ChainStore } from '../src/storage/store';
import { decodeCheckpoint, encodeCheckpoint, type VerifyOptions, verifyChain } from '../src/verify';
import {
  chainId,
  contracts,
  freeBasePort,
  genesisFor,
  quietLogger,
  signerOf,
  suite,
  users,
  validators,
} from './helpers';

const vals = validators(1);
const genesis = genesisFor(vals);
const env = { suite, contracts };
const dir = mkdtempSync(path.join(tmpdir(), 'gongxin-verify-'));
let database: Database;
let store: ChainStore;

beforeAll(async () => {
  database = await openDatabase({ dataDir: dir, name: 'verify' });
  const node = new ChainNode({
    database,
    genesis,
    suite,
    contracts,
    signer: signerOf(vals[0]!.account),
    logger: quietLogger,
    blockLimits: { commitDelayMs: 5, maxTxs: 3 },
  });
  await node.start();
  const ids: string[] = [];
  for (let i = 0; i < 15; i++)
    ids.push(
      node.submit(
        signedTx(suite, chainId, users[i % 3]!, Math.floor(i / 3), [
          { contract: 'counter', name: 'add', params: { by: i + 1 } },
        ]),
      ).id,
    );
  await Promise.all(ids.map((id) => node.waitForTx(id, 20_000)));
  await node.stop();
  store = new ChainStore(database);
  expect(await store.headHeight()).toBeGreaterThanOrEqual(5);
}, 60_000);

afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Tamper inside a transaction that is rolled back, so each case starts from the intact chain. */
async function tampered(change: string) {
  return tamperedWith(change, {});
}

async function tamperedWith(change: string, opts: VerifyOptions) {
  class Rollback extends Error {}
  let result: Awaited<ReturnType<typeof verifyChain>> | undefined;
  await database
    .transaction(async (tx) => {
      for (const statement of change.split('; ')) await tx.execute(sql.raw(statement));
      result = await verifyChain(new ChainStore({ ...database, db: tx } as Database), env, genesis, opts);
      throw new Rollback();
    })
    .catch((error) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return result!;
}

describe('verifyChain', () => {
  it('passes an intact chain', async () => {
    const result = await verifyChain(store, env, genesis);
    const head = await store.headHeight();
    expect(result).toEqual({ ok: true, checkedHeight: head, storedHeight: head });
  });

  it('names the height of an altered tx', async () => {
    const result = await tampered(
      `update chain.txs set bytes = set_byte(bytes, 40, get_byte(bytes, 40) # 1) where height = 3 and index = 0`,
    );
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ height: 3, what: expect.stringContaining('tx Merkle root') });
    expect(result.checkedHeight).toBe(2);
  });

  it('names the height of an altered block header', async () => {
    const result = await tampered(
      `update chain.blocks set header = set_byte(header, 30, get_byte(header, 30) # 1) where height = 4`,
    );
    expect(result.problem?.height).toBe(4);
  });

  it('names the height of a forged certificate', async () => {
    const result = await tampered(
      `update chain.blocks set certificate = set_byte(certificate, length(certificate) - 2, get_byte(certificate, length(certificate) - 2) # 1) where height = 2`,
    );
    expect(result.problem).toMatchObject({ height: 2, what: expect.stringContaining('certificate') });
  });

  it('names the height of an altered event', async () => {
    const result = await tampered(
      `update chain.events set bytes = set_byte(bytes, length(bytes) - 1, get_byte(bytes, length(bytes) - 1) # 1) where height = 5 and index = 0`,
    );
    expect(result.problem).toMatchObject({ height: 5, what: expect.stringContaining('event') });
  });

  it('names the height of an event whose shown attributes or name were changed, bytes untouched', async () => {
    const attrs = await tampered(
      `update chain.events set attrs = replace(attrs, '"by":', '"by":1') where height = 4 and index = 0`,
    );
    expect(attrs.problem).toMatchObject({ height: 4, what: expect.stringContaining("event 0's columns") });
    const name = await tampered(`update chain.events set name = 'subtracted' where height = 2 and index = 0`);
    expect(name.problem).toMatchObject({ height: 2, what: expect.stringContaining("event 0's columns") });
    // Key order and spacing are not tampering.
    const respaced = await tampered(`update chain.events set attrs = (attrs::jsonb)::text where height = 4`);
    expect(respaced.ok).toBe(true);
  });

  it('names the height of a tx whose shown outcome was changed, bytes untouched', async () => {
    const failed = await tampered(
      `update chain.txs set ok = false, code = 'bad_nonce' where height = 3 and index = 0`,
    );
    expect(failed.problem).toMatchObject({
      height: 3,
      what: expect.stringContaining("tx 0's stored outcome"),
    });
    const sender = await tampered(
      `update chain.txs set sender = '${users[5]!.address}' where height = 2 and index = 0`,
    );
    expect(sender.problem).toMatchObject({ height: 2, what: expect.stringContaining('stored outcome') });
  });

  it('names the state row and the height it was last written at', async () => {
    const key = `counter/${users[0]!.address}`;
    const result = await tampered(
      `update chain.state set value = '\\x1a000f4240'::bytea where key = '${key}'`,
    );
    expect(result.ok).toBe(false);
    expect(result.problem?.what).toContain(key);
    expect(result.problem?.height).toBeGreaterThan(0);
  });

  it('names a deleted block by its own height, and still checks the blocks above the gap', async () => {
    const result = await tampered(`delete from chain.blocks where height = 3`);
    expect(result.ok).toBe(false);
    expect(result.problem).toEqual({ height: 3, what: expect.stringContaining('block 3 is missing') });
    expect(result.checkedHeight).toBe(2);
    expect(result.more).toBeUndefined();
    // Tampering above the gap is found too.
    const both = await tampered(
      `delete from chain.blocks where height = 3; update chain.blocks set header = set_byte(header, 30, get_byte(header, 30) # 1) where height = 5`,
    );
    expect(both.problem?.height).toBe(3);
    expect(both.more?.map((p) => p.height)).toContain(5);
  });

  it("names the height of a block whose stored time, round or proposer was changed (the header's untouched)", async () => {
    const time = await tampered(`update chain.blocks set time = time + 1 where height = 4`);
    expect(time.problem).toMatchObject({ height: 4, what: expect.stringContaining('stored time') });
    const round = await tampered(`update chain.blocks set round = round + 1 where height = 2`);
    expect(round.problem).toMatchObject({ height: 2, what: expect.stringContaining('stored round') });
    const proposer = await tampered(
      `update chain.blocks set proposer = set_byte(proposer, 0, get_byte(proposer, 0) # 1) where height = 3`,
    );
    expect(proposer.problem).toMatchObject({ height: 3, what: expect.stringContaining('proposer') });
    expect(proposer.checkedHeight).toBe(2);
  });

  it('names a state row whose height was changed, value untouched', async () => {
    const key = `counter/${users[1]!.address}`;
    const [row] = (await database.query(sql`select height from chain.state where key = ${key}`)) as {
      height: number;
    }[];
    const result = await tampered(`update chain.state set height = height - 1 where key = '${key}'`);
    expect(result.ok).toBe(false);
    expect(result.problem?.what).toContain(`state entry ${key} says it was last written at height`);
    expect(result.problem?.height).toBe(Number(row!.height) - 1);
  });

  it('checks the stored validator sets the API serves', async () => {
    const other = vals[0]!.validator;
    const altered = await tampered(
      `update chain.validator_sets set validators = set_byte(validators, length(validators) - 1, get_byte(validators, length(validators) - 1) # 1) where height = 1`,
    );
    expect(altered.ok).toBe(false);
    expect(altered.problem?.what).toMatch(/validator set/);
    const extra = await tampered(
      `insert into chain.validator_sets (height, hash, validators) select 4, hash, validators from chain.validator_sets where height = 1`,
    );
    expect(extra.problem).toMatchObject({ height: 4, what: expect.stringContaining('never installed') });
    const gone = await tampered(`delete from chain.validator_sets where height = 1`);
    expect(gone.problem).toMatchObject({ height: 1, what: expect.stringContaining('not stored') });
    expect(other.power).toBeGreaterThan(0);
  });

  it('names a deleted tip against a checkpoint the validators signed, or against a peer', async () => {
    const head = await store.headHeight();
    const top = (await store.blockAt(head))!;
    const checkpoint = { chainId, height: head, block: top.block, certificate: top.certificate };
    // The tip as it should be passes.
    const intact = await verifyChain(store, env, genesis, {
      checkpoint: decodeCheckpoint(encodeCheckpoint(checkpoint)),
    });
    expect(intact.ok).toBe(true);
    const cut = await tamperedWith(
      `delete from chain.blocks where height = ${head}; delete from chain.txs where height = ${head}; delete from chain.events where height = ${head}`,
      {
        checkpoint,
      },
    );
    const all = (v: typeof cut) => [v.problem, ...(v.more ?? [])].map((p) => `${p!.height}: ${p!.what}`);
    expect(cut.problem?.height).toBe(head);
    expect(all(cut)).toContain(
      `${head}: blocks ${head}–${head} are missing: the validators signed block ${head} (checkpoint), this database ends at ${head - 1}`,
    );
    // A peer that has the whole chain (its answers read before the tampering transaction holds the database).
    const hashes = new Map<number, Uint8Array>();
    for (const b of await store.blocksFrom(1, head)) hashes.set(b.height, b.hash);
    const peer = { name: 'node2', head: async () => head, hashAt: async (h: number) => hashes.get(h) };
    const behind = await tamperedWith(`delete from chain.blocks where height = ${head}`, { peer });
    expect(behind.problem?.height).toBe(head);
    expect([behind.problem, ...(behind.more ?? [])].map((p) => p!.what).join('\n')).toContain(
      'node2 has the chain up to',
    );
    // A forged checkpoint (not signed by the validators) is refused, not believed.
    const forged = { ...checkpoint, certificate: { ...checkpoint.certificate, signatures: [] } };
    const refused = await verifyChain(store, env, genesis, { checkpoint: forged });
    expect(refused.problem?.what).toContain("checkpoint's certificate does not verify");
  }, 30_000);

  it('exports a chain that another node imports and verifies', async () => {
    const file = path.join(dir, 'chain.export');
    const header = await exportChain(store, chainId, file);
    expect(header.toHeight).toBe(await store.headHeight());
    const other = await openDatabase({ memory: true });
    const follower = new ChainNode({
      database: other,
      genesis,
      suite,
      contracts,
      signer: null,
      logger: quietLogger,
    });
    await follower.start();
    const { readExport } = await import('../src/export');
    for await (const item of readExport(file)) if (Array.isArray(item)) await follower.receiveCommitted(item);
    expect(follower.head.height).toBe(header.toHeight);
    expect((await verifyChain(follower.store, env, genesis)).ok).toBe(true);
    await follower.stop();
    await other.close();
  }, 60_000);
});

describe('gongxin verify (the command)', () => {
  it('reports an intact chain, then the height of a tampered tx, with exit codes 0 and 2', async () => {
    const { init, main, openNodeDatabase, readNodeConfig } = await import('../src/cli');
    const { runNode } = await import('../src/run');
    const home = path.join(dir, 'net');
    const [n1] = init({
      home,
      validators: 1,
      chainId: 'gongxin-verify',
      suite: 'ed25519-sha256',
      host: '127.0.0.1',
      basePort: await freeBasePort([0, 1], 6000, 2),
    });
    const running = await runNode(n1!.dir, {
      logger: quietLogger,
      blockLimits: { commitDelayMs: 5, maxTxs: 2 },
    });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const hash = suite.hash(new Uint8Array([i]));
      ids.push(
        running.node.submit(
          signedTx(suite, 'gongxin-verify', users[0]!, i, [
            {
              contract: 'notary',
              name: 'anchor',
              params: { hash: Buffer.from(hash).toString('hex'), type: 'test' },
            },
          ]),
        ).id,
      );
    }
    const outcomes = await Promise.all(ids.map((id) => running.node.waitForTx(id, 20_000)));
    expect(outcomes.every((o) => o.receipt.ok)).toBe(true);
    await running.stop();

    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    try {
      expect(await main(['verify', '--home', n1!.dir])).toBe(0);
      const db = await openNodeDatabase(n1!.dir, readNodeConfig(n1!.dir));
      await db.execute(
        sql.raw(`update chain.txs set bytes = set_byte(bytes, 50, get_byte(bytes, 50) # 4) where height = 2`),
      );
      await db.close();
      expect(await main(['verify', '--home', n1!.dir])).toBe(2);
    } finally {
      console.log = log;
    }
    expect(lines[0]).toMatch(/verified: \d+ blocks/);
    expect(lines[1]).toContain('BROKEN at height 2');
  }, 90_000);
});
