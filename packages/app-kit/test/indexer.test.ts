// The indexer against a real single-validator chain in this process: a test contract emits events, a read
// model is built from them, the indexer is stopped, fails once, restarts (also as a new instance, as after
// a process restart), and the read model must always equal a rebuild from genesis in a fresh database.
import { accountFromPrivateKey, createChainClient, createWallet, type Wallet } from '@gongxin/client';
import { type Database, openDatabase, type Tx } from '@gongxin/db';
import { type Action, type ContractModule, defineAction } from '@gongxin/ledger';
import { startTestChain, type TestChain } from '@gongxin/node/api/testing';
import { createLogger } from '@gongxin/telemetry';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appkitMigrations } from '../src/db/migrations';
import { type ChainFeed, clientFeed, type FeedBlock, nodeFeed } from '../src/indexer/feed';
import {
  createIndexer,
  type EventHandlers,
  type Indexer,
  IndexerChainMismatchError,
  IndexerVersionError,
} from '../src/indexer/indexer';

/** `record {key, amount}` emits `recorded {key, amount (bigint), by}`; `remove {key}` emits `removed {key}`. */
const notes: ContractModule = {
  name: 'notes',
  version: 1,
  actions: {
    record: defineAction(
      z.object({ key: z.string().min(1).max(20), amount: z.string().regex(/^\d{1,19}$/) }).strict(),
      (ctx, { key, amount }) => {
        ctx.emit('recorded', { key, amount: BigInt(amount), by: ctx.sender });
      },
    ),
    remove: defineAction(z.object({ key: z.string().min(1).max(20) }).strict(), (ctx, { key }) => {
      ctx.emit('removed', { key });
    }),
  },
};

const record = (key: string, amount: bigint): Action => ({
  contract: 'notes',
  name: 'record',
  params: { key, amount: amount.toString() },
});
const remove = (key: string): Action => ({ contract: 'notes', name: 'remove', params: { key } });

const logger = createLogger({ name: 'indexer-test', level: 'silent' });

async function createReadModel(database: Database) {
  await database.migrate(appkitMigrations);
  await database.execute(sql`create schema if not exists notes_rm`);
  await database.execute(sql`create table notes_rm.tally (
    key text primary key, amount numeric not null, records int not null, last_height bigint not null)`);
  await database.execute(sql`create table notes_rm.history (
    height bigint not null, idx int not null, key text not null, amount numeric not null, by text not null,
    tx_id text not null, at timestamptz not null, primary key (height, idx))`);
  await database.execute(sql`create table notes_rm.event_counts (event text primary key, n int not null)`);
}

/** Keys whose handler throws once (then works): a transient failure in the middle of the stream. */
const failOnce = new Set<string>();

const handlers: EventHandlers = {
  'notes.recorded': async (event, { tx, height, txId, blockTime }) => {
    const { key, amount, by } = event.attrs as { key: string; amount: string; by: string };
    if (failOnce.delete(key)) throw new Error(`handler failed on purpose for ${key}`);
    await tx.execute(sql`insert into notes_rm.tally (key, amount, records, last_height)
      values (${key}, ${amount}::numeric, 1, ${height})
      on conflict (key) do update set amount = tally.amount + excluded.amount,
        records = tally.records + 1, last_height = excluded.last_height`);
    await tx.execute(sql`insert into notes_rm.history (height, idx, key, amount, by, tx_id, at)
      values (${height}, ${event.index}, ${key}, ${amount}::numeric, ${by}, ${txId}, to_timestamp(${blockTime} / 1000.0))`);
  },
  'notes.removed': async (event, { tx }) => {
    await tx.execute(sql`delete from notes_rm.tally where key = ${(event.attrs as { key: string }).key}`);
  },
  '*': async (event, { tx }) => {
    await tx.execute(sql`insert into notes_rm.event_counts (event, n) values (${`${event.contract}.${event.name}`}, 1)
      on conflict (event) do update set n = event_counts.n + 1`);
  },
};

const reset = async (tx: Tx) => {
  await tx.execute(sql`truncate notes_rm.tally, notes_rm.history, notes_rm.event_counts`);
};

async function snapshot(database: Database) {
  return {
    tally: await database.query(
      sql`select key, amount, records, last_height from notes_rm.tally order by key`,
    ),
    history: await database.query(sql`select * from notes_rm.history order by height, idx`),
    counts: await database.query(sql`select * from notes_rm.event_counts order by event`),
    cursor: await database.query(
      sql`select name, height, block_hash from appkit.indexer_cursors order by name`,
    ),
  };
}

let chain: TestChain;
let feed: ChainFeed & { close(): void };
let wallet: Wallet;
let other: Wallet;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

beforeAll(async () => {
  chain = await startTestChain({ contracts: [notes] });
  feed = nodeFeed(chain.node);
  const client = createChainClient({ url: chain.url });
  wallet = createWallet(client, accountFromPrivateKey(chain.suite, chain.account(1).privateKey));
  other = createWallet(client, accountFromPrivateKey(chain.suite, chain.account(2).privateKey));
  await createReadModel(chain.database);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  feed?.close();
  await chain?.close();
});

const indexerOn = (database: Database, f: ChainFeed = feed): Indexer =>
  createIndexer({ name: 'notes', handlers, reset, feed: f, database, logger });

async function freshDatabase(): Promise<Database> {
  const database = await openDatabase({ memory: true });
  cleanups.push(() => database.close());
  await createReadModel(database);
  return database;
}

describe('indexer', () => {
  it('builds a read model that always equals a rebuild, across stops, a failure and restarts', async () => {
    const database = chain.database; // shared with the node, as in the portal
    const indexer = indexerOn(database);
    await indexer.start();

    for (let i = 1; i <= 4; i++) await wallet.send([record(`k${i % 3}`, BigInt(i) * 10n ** 18n)]);
    await indexer.waitFor(chain.node.head.height);
    expect(indexer.lag).toBe(0);

    // Stopped mid-stream: blocks commit while it is down, and it picks them up after.
    await indexer.stop();
    const stoppedAt = indexer.height;
    await wallet.send([record('k1', 5n), record('k2', 7n)]);
    await other.send([remove('k0')]);
    await wallet.send([record('k9', 1n)]);
    expect(indexer.height).toBe(stoppedAt);
    expect((await indexer.status()).lag).toBeGreaterThan(0);
    await indexer.start();
    await indexer.waitFor(chain.node.head.height);

    // A handler fails once: the indexer stops AT that block, none of the block is applied.
    failOnce.add('boom');
    const failing = await wallet.send([record('fine', 1n), record('boom', 2n)]);
    await expect(indexer.waitFor(failing.height, 5000)).rejects.toThrow(/failed at block/);
    const status = await indexer.status();
    expect(status.running).toBe(false);
    expect(status.height).toBe(failing.height - 1);
    expect(status.error).toMatchObject({
      height: failing.height,
      event: { key: 'notes.recorded', index: 1, txId: failing.id },
    });
    expect(await database.query(sql`select key from notes_rm.tally where key in ('fine', 'boom')`)).toEqual(
      [],
    );
    await indexer.start();
    await indexer.waitFor(failing.height);
    expect(indexer.error).toBeNull();

    // More blocks, including one with several txs and events.
    await Promise.all([
      wallet.send([record('k1', 1n), record('k3', 3n)]),
      other.send([record('k3', 4n), remove('k9')]),
    ]);
    await indexer.waitFor(chain.node.head.height);
    const live = await snapshot(database);
    expect(live.tally.length).toBeGreaterThan(3);

    // A restart (a new instance, as after a process restart) applies nothing twice.
    await indexer.stop();
    const restarted = indexerOn(database);
    cleanups.push(() => restarted.stop());
    await restarted.start();
    expect(restarted.height).toBe(indexer.height);
    await wallet.send([record('k4', 4n)]);
    await restarted.waitFor(chain.node.head.height);
    await restarted.stop();
    await restarted.start();
    const afterRestarts = await snapshot(database);
    expect(afterRestarts.history.length).toBe(live.history.length + 1);

    // The read model equals a rebuild from genesis into a fresh database...
    const fresh = await freshDatabase();
    const rebuilt = indexerOn(fresh);
    cleanups.push(() => rebuilt.stop());
    await rebuilt.rebuild();
    expect(await snapshot(fresh)).toEqual(afterRestarts);
    // ...and a rebuild in place.
    await restarted.rebuild();
    expect(await snapshot(database)).toEqual(afterRestarts);
    expect(afterRestarts.counts).toEqual([
      { event: 'notes.recorded', n: 13 },
      { event: 'notes.removed', n: 2 },
    ]);
  });

  it('pauses while the database does not answer and resumes by itself, applying each block once', async () => {
    const database = await freshDatabase();
    // The read model's writes fail as postgres.js fails when the server cut the connection under them.
    let down = false;
    const flaky: EventHandlers = {
      ...handlers,
      'notes.recorded': async (event, ctx) => {
        if (down)
          throw Object.assign(new Error('write CONNECTION_CLOSED 10.0.0.5:5432'), {
            code: 'CONNECTION_CLOSED',
          });
        return handlers['notes.recorded']!(event, ctx);
      },
    };
    const indexer = createIndexer({ name: 'notes', handlers: flaky, reset, feed, database, logger });
    cleanups.push(() => indexer.stop());
    await indexer.start();
    await indexer.waitFor(chain.node.head.height);

    down = true;
    const during = await wallet.send([record('outage', 3n)]);
    let status = await indexer.status();
    for (let i = 0; i < 200 && !status.error; i++) {
      await new Promise((r) => setTimeout(r, 25));
      status = await indexer.status();
    }
    // Health says why, and the indexer is still running: it did not stop for good.
    expect(status.error?.message).toMatch(/database is not answering/);
    expect(status.running).toBe(true);
    expect(status.height).toBe(during.height - 1);

    down = false;
    const after = await wallet.send([record('outage', 4n)]);
    await indexer.waitFor(after.height, 30_000);
    expect(indexer.error).toBeNull();
    expect(
      await database.query(sql`select amount, records from notes_rm.tally where key = 'outage'`),
    ).toEqual([{ amount: '7', records: 2 }]);
    // Exactly what a rebuild from genesis gives.
    await indexer.stop();
    const rebuiltDb = await freshDatabase();
    const rebuilt = indexerOn(rebuiltDb);
    cleanups.push(() => rebuilt.stop());
    await rebuilt.rebuild();
    await rebuilt.waitFor(indexer.height);
    await rebuilt.stop();
    const [a, b] = [await snapshot(database), await snapshot(rebuiltDb)];
    expect(b.tally).toEqual(a.tally);
    expect(b.history).toEqual(a.history);
  });

  it('refuses a cursor written on another chain', async () => {
    const database = await freshDatabase();
    await database.execute(
      sql`insert into appkit.indexer_cursors (name, height, block_hash) values ('notes', 2, ${'ab'.repeat(32)})`,
    );
    await expect(indexerOn(database).start()).rejects.toThrow(IndexerChainMismatchError);
    await database.execute(sql`update appkit.indexer_cursors set height = 100000`);
    await expect(indexerOn(database).start()).rejects.toThrow(/has no block 100000/);
  });

  it('rebuilds read models built by an older version of the handlers; refuses those of a newer one', async () => {
    const database = await freshDatabase();
    await wallet.send([record('old1', 3n), record('old2', 4n)]);
    const v1 = indexerOn(database);
    await v1.start();
    await v1.waitFor(chain.node.head.height);
    await v1.stop();
    const recorded = async () =>
      Number(
        (
          await database.query<{ n: string }>(
            sql`select count(*) as n from notes_rm.history where key in ('old1', 'old2', 'new1')`,
          )
        )[0]!.n,
      );
    expect(await recorded()).toBe(2);

    // Version 2 also counts recorded amounts by key: rows it would derive for the blocks already applied
    // are there only if those blocks are applied again.
    await database.execute(sql`create table notes_rm.sums (key text primary key, amount numeric not null)`);
    const handlersV2: EventHandlers = {
      ...handlers,
      'notes.recorded': async (event, ctx) => {
        await handlers['notes.recorded']!(event, ctx);
        const { key, amount } = event.attrs as { key: string; amount: string };
        await ctx.tx.execute(sql`insert into notes_rm.sums (key, amount) values (${key}, ${amount}::numeric)
          on conflict (key) do update set amount = sums.amount + excluded.amount`);
      },
    };
    const resetV2 = async (tx: Tx) => {
      await reset(tx);
      await tx.execute(sql`truncate notes_rm.sums`);
    };
    const v2 = createIndexer({
      name: 'notes',
      handlers: handlersV2,
      reset: resetV2,
      version: 2,
      feed,
      database,
      logger,
    });
    await v2.start();
    await wallet.send([record('new1', 5n)]);
    await v2.waitFor(chain.node.head.height);
    const sums = await database.query<{ key: string; amount: string }>(
      sql`select key, amount::text from notes_rm.sums where key in ('old1', 'old2', 'new1') order by key`,
    );
    expect(sums).toEqual([
      { key: 'new1', amount: '5' },
      { key: 'old1', amount: '3' },
      { key: 'old2', amount: '4' },
    ]);
    // Rebuilt, not applied twice: each event once in the history.
    expect(await recorded()).toBe(3);
    const [cursor] = await database.query<{ version: number; height: string }>(
      sql`select version, height from appkit.indexer_cursors where name = 'notes'`,
    );
    expect(cursor).toMatchObject({ version: 2 });
    expect(Number(cursor!.height)).toBe(chain.node.head.height);
    await v2.stop();

    // Started again at version 2: nothing is rebuilt (the rows stay, the cursor stays).
    const again = createIndexer({
      name: 'notes',
      handlers: handlersV2,
      reset: resetV2,
      version: 2,
      feed,
      database,
      logger,
    });
    await again.start();
    expect(again.height).toBe(chain.node.head.height);
    await again.stop();

    // The older app on the newer read models, and a newer version with nothing to reset them with: refused.
    await expect(indexerOn(database).start()).rejects.toThrow(IndexerVersionError);
    await expect(indexerOn(database).start()).rejects.toThrow(
      /built by version 2 of its handlers, and this app has version 1/,
    );
    await expect(
      createIndexer({ name: 'notes', handlers, version: 3, feed, database, logger }).start(),
    ).rejects.toThrow(/no reset function/);
    expect(() => createIndexer({ name: 'notes', handlers, version: 0, feed, database, logger })).toThrow(
      /whole number from 1/,
    );
  });

  it('an indexer that finds its block applied by another process answers its waiters at that height', async () => {
    const database = await freshDatabase();
    const quick = indexerOn(database);
    await quick.start();
    await quick.waitFor(chain.node.head.height);
    // The slow one reads the same blocks half a second late, so the quick one applies each new block first
    // and the slow one finds the cursor moved past it.
    const late: ChainFeed = {
      ...feed,
      blocksFrom: async function* (height, signal) {
        for await (const block of feed.blocksFrom(height, signal)) {
          await new Promise((r) => setTimeout(r, 500));
          yield block;
        }
      },
      blockHash: (h) => feed.blockHash(h),
      head: () => feed.head(),
    };
    const slow = indexerOn(database, late);
    await slow.start();
    const target = chain.node.head.height + 1;
    const reached = slow.waitFor(target, 10_000);
    await wallet.send([record('moved', 1n)]);
    await quick.waitFor(target);
    await reached;
    expect(slow.height).toBe(target);
    await slow.stop();
    await quick.stop();
  });

  it('one feed reads each block once for all its indexers; a block handler sees txs, proposer and round', async () => {
    const reads = new Map<number, number>();
    const shared = nodeFeed(chain.node, {
      onBlocksRead: (heights) => {
        for (const h of heights) reads.set(h, (reads.get(h) ?? 0) + 1);
      },
    });
    cleanups.push(() => shared.close());
    const database = await freshDatabase();
    await database.execute(sql`create table notes_rm.blocks (
      indexer text not null, height bigint not null, proposer text not null, round int not null,
      txs jsonb not null, events int not null, primary key (indexer, height))`);
    const blockIndexer = (name: string) =>
      createIndexer({
        name,
        handlers: {},
        block: async (block, { tx }) => {
          const txs = block.txs.map((t) => ({ sender: t.sender, ok: t.ok, index: t.index, id: t.id }));
          await tx.execute(sql`insert into notes_rm.blocks values (${name}, ${block.height}, ${block.proposer},
            ${block.round}, ${JSON.stringify(txs)}::jsonb, ${block.events.length})`);
        },
        feed: shared,
        database,
        logger,
      });
    // Started at different times: the later ones catch up from what the first read.
    const first = createIndexer({ name: 'notes', handlers, reset, feed: shared, database, logger });
    await first.start();
    const sentEarly = await wallet.send([record('shared', 5n)]);
    const second = blockIndexer('blocks-a');
    const third = blockIndexer('blocks-b');
    await second.start();
    await third.start();
    cleanups.push(
      () => first.stop(),
      () => second.stop(),
      () => third.stop(),
    );
    const live = await Promise.all([wallet.send([record('shared', 1n)]), other.send([remove('shared')])]);
    const head = Math.max(...live.map((r) => r.height), sentEarly.height);
    for (const indexer of [first, second, third]) await indexer.waitFor(head);

    expect([...reads.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect([...reads.values()].every((n) => n === 1)).toBe(true);

    const rows = (await database.query(
      sql`select indexer, height, proposer, round, txs, events from notes_rm.blocks order by indexer, height`,
    )) as { indexer: string; height: number | string; proposer: string; round: number; txs: unknown[] }[];
    expect(rows.filter((r) => r.indexer === 'blocks-a')).toHaveLength(head);
    expect(rows.filter((r) => r.indexer === 'blocks-b')).toHaveLength(head);
    const block = await createChainClient({ url: chain.url }).getBlock(sentEarly.height);
    const row = rows.find((r) => r.indexer === 'blocks-a' && Number(r.height) === sentEarly.height)!;
    expect(row.proposer).toBe(block.proposer);
    expect(row.round).toBe(block.round);
    expect(row.txs).toEqual(block.txs.map((t) => ({ sender: t.from, ok: t.ok, index: t.index, id: t.id })));
    expect(row.txs).toContainEqual(expect.objectContaining({ sender: wallet.address, id: sentEarly.id }));
  });

  it('clientFeed (over the node API) hands out exactly what nodeFeed does, then follows live', async () => {
    const head = chain.node.head.height;
    const read = async (f: ChainFeed, until: number) => {
      const blocks: FeedBlock[] = [];
      const stop = new AbortController();
      for await (const block of f.blocksFrom(1, stop.signal)) {
        blocks.push(block);
        if (block.height >= until) stop.abort();
      }
      return blocks;
    };
    const remote = clientFeed(createChainClient({ url: chain.url }));
    const local = await read(feed, head);
    expect(local.map((b) => b.height)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(await read(remote, head)).toEqual(local);
    expect(local.some((b) => b.events.length > 1)).toBe(true);
    expect(await remote.blockHash(head)).toBe(local[head - 1]!.hash);
    expect(await remote.blockHash(head + 1000)).toBeUndefined();
    expect(await remote.head()).toBe(head);

    // Live: the remote feed waits at the head and wakes when a block commits.
    const next = read(remote, head + 1);
    await new Promise((r) => setTimeout(r, 200));
    const sent = await wallet.send([record('live', 1n)]);
    const blocks = await next;
    expect(blocks[blocks.length - 1]).toMatchObject({
      height: sent.height,
      events: [{ contract: 'notes', name: 'recorded', attrs: { key: 'live', amount: '1' } }],
    });
  });
});
