// The watcher service with real I/O against a real chain: Alice's node hands its proofs to a watcher and
// goes offline; the hub closes their channel with an old state of what it paid her (its first proof,
// which she countersigned). The watcher, holding one proof for the channel however many payments there
// were, challenges with the newest before the deadline, so the chain settles what Alice was really paid;
// restarted, her node withdraws it. The hand-off refuses junk and forged proofs, counted by reason.

import { proofParams } from '@gongxin/channels';
import { createChainClient } from '@gongxin/client';
import { type Database, openDatabase } from '@gongxin/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChannelNodeRuntime,
  DEFAULT_MACHINE,
  decodeWatchItems,
  encodeWatchItems,
  type WatchItem,
  WatchService,
} from '../src';
import { watchProof } from '../src/schema';
import { type ChannelTestChain, startChannelTestChain } from './chain';

const ALICE = 21;
const HUB = 22;
const WATCHER = 23;
const DISPUTE_MS = 20_000;

let chain: ChannelTestChain;
let watcher: WatchService;
let watcherDb: Database;
const closers: (() => Promise<unknown>)[] = [];
const problems: string[] = [];

async function until(what: string, predicate: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function startNode(
  seed: number,
  database: Database,
  opts: { port?: number; peers?: string[]; watcher?: string } = {},
) {
  const node = await ChannelNodeRuntime.start({
    database,
    client: createChainClient({ url: chain.url, suite: chain.suite }),
    suite: chain.suite,
    privateKey: chain.account(seed).privateKey,
    ...opts,
    onProblem: (p) => problems.push(`${seed}: ${p}`),
  });
  closers.push(() => node.stop());
  return node;
}

beforeAll(async () => {
  chain = await startChannelTestChain([ALICE, HUB, WATCHER]);
  watcherDb = await openDatabase({ memory: true });
  watcher = await WatchService.start({
    database: watcherDb,
    client: createChainClient({ url: chain.url, suite: chain.suite }),
    suite: chain.suite,
    privateKey: chain.account(WATCHER).privateKey,
    port: 0,
    revealMarginMs: DEFAULT_MACHINE.revealMarginMs,
  });
  closers.push(() => watcherDb.close());
  closers.push(() => watcher.stop());
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  await chain?.close();
});

const key = (seed: number) => ({
  address: chain.account(seed).address,
  publicKey: chain.account(seed).publicKey,
});

async function heldRows() {
  return watcherDb.db.select().from(watchProof);
}

describe('the watcher service', () => {
  it('defeats a close with an old state while the victim is offline', async () => {
    const hubDb = await openDatabase({ memory: true });
    const aliceDb = await openDatabase({ memory: true });
    closers.push(
      () => hubDb.close(),
      () => aliceDb.close(),
    );
    const hub = await startNode(HUB, hubDb, { port: 0 });
    const watcherUrl = `http://127.0.0.1:${watcher.port}`;
    let alice = await startNode(ALICE, aliceDb, {
      peers: [`ws://127.0.0.1:${hub.port}`],
      watcher: watcherUrl,
    });
    const aliceBefore = chain.balance(key(ALICE).address, 'CNYX');

    const channel = await hub.open(key(ALICE), [{ symbol: 'CNYX', amount: 40_000n }], DISPUTE_MS);
    await until('both to know the channel', () => alice.channels().some((c) => c.id === channel));
    await until('the link', () => hub.links.isLinked(alice.address));

    // The first payment: the watcher now holds the hub's proof at nonce 1, countersigned by Alice.
    expect(await hub.pay({ payee: alice.address, asset: 'CNYX', amount: 1_000n })).toMatchObject({
      outcome: 'completed',
    });
    await until('the watcher to hold the first proof', async () => (await heldRows()).length === 1);
    const [first] = await heldRows();
    const old = decodeWatchItems(first!.item)[0] as WatchItem & { t: 'watch' };
    expect(old.proof.nonce).toBe(1);
    expect(old.proof.transferred).toBe(1_000n);
    // A copy with a higher nonce and a forged signature is refused: the watcher keeps only what it can use.
    const forged = {
      ...old,
      proof: { ...old.proof, nonce: 99, signature: old.proof.signature.map((b) => b ^ 1) },
    };
    const refusedRes = await fetch(`${watcherUrl}/watch`, {
      method: 'POST',
      body: encodeWatchItems([forged]),
    });
    expect(((await refusedRes.json()) as { refused: { reason: string }[] }).refused[0]!.reason).toMatch(
      /^bad signature/,
    );
    expect((await heldRows())[0]!.nonce).toBe(1);

    // Many more payments; the watcher still holds one row for the channel, the newest.
    const results = await Promise.all(
      Array.from({ length: 40 }, () => hub.pay({ payee: alice.address, asset: 'CNYX', amount: 125n })),
    );
    expect(results.every((r) => r.outcome === 'completed')).toBe(true);
    const paid = 1_000n + 40n * 125n;
    await until('Alice to hold all of it', () => {
      const a = alice.channels().find((c) => c.id === channel)?.assets.CNYX;
      return a?.in.transferred === paid && alice.idle();
    });
    const newest = alice.channels().find((c) => c.id === channel)!.assets.CNYX!.in.nonce;
    expect(newest).toBeGreaterThan(1);
    await until('the watcher to hold the newest proof', async () => {
      const rows = await heldRows();
      return rows.length === 1 && rows[0]!.nonce === newest;
    });

    // Alice goes offline. The hub closes with its first proof: as if it had paid her 1,000.
    await alice.stop();
    const challengesBefore = watcher.counters.challenges;
    const close = await hub.chain.send({
      name: 'close',
      params: {
        channel,
        proofs: [proofParams('CNYX', old.side, old.proof, old.locks, old.countersignature)],
      },
    });
    expect(close.ok).toBe(true);

    // The watcher answers before the deadline; the chain settles what Alice was really paid.
    await until(
      'the channel to settle',
      async () => (await hub.chain.channel(channel))?.status === 'settled',
      90_000,
    );
    const state = (
      await createChainClient({ url: chain.url, suite: chain.suite }).state(`channels/channel/${channel}`)
    ).value as { a: string; settled: { CNYX: { payoutA: string | number; payoutB: string | number } } };
    const aliceSide = state.a === alice.address ? 'payoutA' : 'payoutB';
    expect(BigInt(state.settled.CNYX[aliceSide])).toBe(paid);
    expect(watcher.counters.challenges).toBe(challengesBefore + 1);

    // Back online, Alice's node withdraws it.
    alice = await startNode(ALICE, aliceDb, { peers: [`ws://127.0.0.1:${hub.port}`], watcher: watcherUrl });
    await until(
      'Alice to withdraw',
      () => chain.balance(alice.address, 'CNYX') === aliceBefore + paid,
      60_000,
    );
    // The settled channel's proof is no longer kept.
    await until('the watcher to forget the channel', async () => (await heldRows()).length === 0);
  }, 240_000);

  it('refuses junk and forged proofs over its API, counted by reason', async () => {
    const url = `http://127.0.0.1:${watcher.port}/watch`;
    const junk = await fetch(url, { method: 'POST', body: new Uint8Array([0xff, 0x00, 0x13]) });
    expect(junk.status).toBe(400);
    expect(((await junk.json()) as { error: string }).error).toContain('items');
    expect(watcher.counters.refused.malformed).toBeGreaterThan(0);

    // A well-formed proof of an unknown channel, and one whose signature is not the sender's.
    const forged: WatchItem = {
      t: 'watch',
      channel: 'f'.repeat(64),
      side: 'a',
      proof: {
        chain: (await createChainClient({ url: chain.url }).identity()).chainId,
        channel: 'f'.repeat(64),
        asset: 'CNYX',
        nonce: 9,
        transferred: 5n,
        locked: 0n,
        locksRoot: new Uint8Array(32),
        batchRoot: new Uint8Array(32),
        signature: new Uint8Array(64),
      },
      countersignature: new Uint8Array(64),
      locks: [],
    };
    const res = await fetch(url, { method: 'POST', body: encodeWatchItems([forged]) });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { kept: number; refused: { reason: string }[] };
    expect(answer.kept).toBe(0);
    expect(answer.refused[0]!.reason).toMatch(/^unknown channel/);
    expect(watcher.counters.refused['unknown channel']).toBe(1);

    const status = (await (await fetch(`http://127.0.0.1:${watcher.port}/status`)).json()) as {
      held: { proofs: number };
    };
    expect(status.held.proofs).toBe(0);
  });
});
