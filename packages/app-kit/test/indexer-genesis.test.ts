// An indexer's genesis handler: what the genesis document made (no event says so) is written in block 1's
// transaction, before the block's handlers, once per build from the start: not again on a restart, again
// (after reset) on a rebuild, not at all while block 1 cannot be applied. The document comes from the node
// in this process or over its API, checked against the chain's genesis hash.
import { accountFromPrivateKey, createChainClient, createWallet, type Wallet } from '@gongxin/client';
import { type Database, openDatabase } from '@gongxin/db';
import { type Action, type ContractModule, defineAction } from '@gongxin/ledger';
import { startTestChain, type TestChain } from '@gongxin/node/api/testing';
import { createLogger } from '@gongxin/telemetry';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appkitMigrations } from '../src/db/migrations';
import { type ChainFeed, clientFeed, nodeFeed } from '../src/indexer/feed';
import { createIndexer, type GenesisHandler } from '../src/indexer/indexer';

const notes: ContractModule = {
  name: 'notes',
  version: 1,
  actions: {
    record: defineAction(z.object({ key: z.string().min(1).max(20) }).strict(), (ctx, { key }) => {
      ctx.emit('recorded', { key });
    }),
  },
};
const record = (key: string): Action => ({ contract: 'notes', name: 'record', params: { key } });
const logger = createLogger({ name: 'indexer-genesis-test', level: 'silent' });

let chain: TestChain;
let feed: ChainFeed & { close(): void };
let wallet: Wallet;
const failOnce = new Set<string>();

beforeAll(async () => {
  chain = await startTestChain({ contracts: [notes] });
  feed = nodeFeed(chain.node);
  wallet = createWallet(
    createChainClient({ url: chain.url }),
    accountFromPrivateKey(chain.suite, chain.account(1).privateKey),
  );
});
afterAll(async () => {
  feed?.close();
  await chain?.close();
});

async function readModel(): Promise<Database> {
  const database = await openDatabase({ memory: true });
  await database.migrate(appkitMigrations);
  await database.execute(sql`create schema g`);
  await database.execute(sql`create table g.genesis (
    chain_id text primary key, hash text not null, validators int not null, runs int not null)`);
  await database.execute(sql`create table g.notes (key text primary key, height int not null)`);
  return database;
}

const genesis: GenesisHandler = async ({ tx, document, hash, state }) => {
  const validators = (state().get('core/validators') as unknown[]).length;
  // Counts runs, so a second run in one build would show.
  await tx.execute(sql`insert into g.genesis values (${document.chainId}, ${hash}, ${validators}, 1)
    on conflict (chain_id) do update set runs = g.genesis.runs + 1`);
};

const indexerOn = (database: Database, f: ChainFeed = feed) =>
  createIndexer({
    name: 'notes',
    feed: f,
    database,
    logger,
    genesis,
    handlers: {
      'notes.recorded': async (event, { tx, height }) => {
        const { key } = event.attrs as { key: string };
        if (failOnce.delete(key)) throw new Error(`failed on purpose for ${key}`);
        await tx.execute(sql`insert into g.notes values (${key}, ${height})`);
      },
    },
    reset: async (tx) => {
      await tx.execute(sql`truncate g.genesis, g.notes`);
    },
  });

const rows = async (database: Database) => ({
  genesis: await database.query(sql`select * from g.genesis`),
  notes: await database.query(sql`select * from g.notes order by key`),
});

describe('an indexer genesis handler', () => {
  it('runs in block 1’s transaction, once per build, and again on a rebuild', async () => {
    const database = await readModel();
    const { genesisHash } = await createChainClient({ url: chain.url }).info();
    expect(chain.node.head.height).toBe(0);

    // Block 1 fails: nothing of it is applied, the genesis rows neither.
    failOnce.add('first');
    const first = indexerOn(database);
    await first.start();
    const r1 = await wallet.send([record('first')]);
    expect(r1.height).toBe(1);
    await expect(first.waitFor(1, 5_000)).rejects.toThrow(/failed on purpose/);
    expect((await rows(database)).genesis).toEqual([]);
    await first.stop();

    // Restarted: block 1 applies with its genesis rows.
    const second = indexerOn(database);
    await second.start();
    await second.waitFor(1);
    const built = await rows(database);
    expect(built.genesis).toEqual([{ chain_id: chain.chainId, hash: genesisHash, validators: 1, runs: 1 }]);
    expect(built.notes).toEqual([{ key: 'first', height: 1 }]);

    // Later blocks and a restart past block 1 do not run it again.
    await wallet.send([record('second')]);
    await second.waitFor(2);
    await second.stop();
    const third = indexerOn(database);
    await third.start();
    await wallet.send([record('third')]);
    await third.waitFor(3);
    const before = await rows(database);
    expect(before.genesis).toEqual(built.genesis);

    // A rebuild empties the read model and writes the genesis rows again, exactly once.
    await third.rebuild();
    expect(await rows(database)).toEqual(before);
    await third.stop();
    await database.close();
  });

  it('reads the document over the node API too, checked against the genesis hash', async () => {
    const client = createChainClient({ url: chain.url });
    const doc = await client.genesis();
    expect(doc).toEqual({ ...chain.genesis, contracts: {} });
    const database = await readModel();
    const remote = clientFeed(client, { pollMs: 200 });
    const indexer = indexerOn(database, remote);
    await indexer.start();
    await indexer.waitFor(chain.node.head.height);
    expect((await rows(database)).genesis).toMatchObject([{ chain_id: chain.chainId, runs: 1 }]);
    await indexer.stop();
    await database.close();
  });

  it('is refused at creation when the feed cannot serve the document', () => {
    const { genesis: _none, ...bare } = feed;
    expect(() => indexerOn(undefined as never, bare as ChainFeed)).toThrow(/does not serve the genesis/);
  });
});
