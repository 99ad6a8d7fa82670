import { startTestChain, type TestChain } from '@gongxin/node/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountFromPrivateKey,
  type BlockJson,
  type ChainClient,
  ChainError,
  createChainClient,
  createWallet,
  type EventJson,
  trustedFromJson,
  type Wallet,
} from '../src';

const add = (by: number) => ({ contract: 'counter', name: 'add', params: { by } });

let chain: TestChain;
let client: ChainClient;
let wallet: Wallet;

beforeAll(async () => {
  chain = await startTestChain();
  client = createChainClient({ url: chain.url });
  wallet = createWallet(client, accountFromPrivateKey(chain.suite, chain.account(1).privateKey));
}, 120_000);
afterAll(() => chain?.close());

function until<T>(predicate: () => T | undefined, ms = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const value = predicate();
      if (value !== undefined) return resolve(value);
      if (Date.now() - started > ms) return reject(new Error('timed out'));
      setTimeout(poll, 20);
    };
    poll();
  });
}

describe('the chain client', () => {
  it('sends txs with a wallet, in bursts, and queries them back', async () => {
    const info = await client.info();
    expect(info).toMatchObject({ chainId: chain.chainId, suite: 'ed25519-sha256' });
    expect((await client.suite()).id).toBe('ed25519-sha256');

    const first = await wallet.send([add(2)], { memo: 'first' });
    expect(first).toMatchObject({
      ok: true,
      events: [{ contract: 'counter', name: 'added', attrs: { total: 2 } }],
    });

    // A burst: the wallet numbers the txs itself instead of waiting for each commit.
    const burst = await Promise.all([1, 2, 3, 4, 5].map((by) => wallet.send([add(by)])));
    expect(burst.every((r) => r.ok)).toBe(true);
    const totals = burst.flatMap((r) => r.events.map((e) => (e.attrs as { total: number }).total));
    expect(Math.max(...totals)).toBe(17);

    const tx = await client.getTx(first.id);
    expect(tx).toMatchObject({
      id: first.id,
      height: first.height,
      body: { from: wallet.address, nonce: 0, memo: 'first' },
      receipt: { ok: true },
    });
    const block = await client.getBlock(first.height);
    expect(block.hash).toBe(first.blockHash);
    expect((await client.getBlock(first.blockHash)).height).toBe(first.height);
    expect(block.txs.map((t) => t.id)).toContain(first.id);
    expect((await client.latestBlocks(1))[0]!.height).toBe(chain.node.head.height);

    const account = await client.account(wallet.address);
    expect(account.nonce).toBe(6);
    const history = await client.txsOf(wallet.address, { limit: 10 });
    expect(history.items.map((t) => t.body?.nonce)).toEqual([5, 4, 3, 2, 1, 0]);
    const events = await client.events({ contract: 'counter', name: 'added' });
    expect(events.items).toHaveLength(6);
    expect((await client.state(`counter/${wallet.address}`)).value).toBe(17);
  }, 30_000);

  it('verifies proofs locally, and refuses them against a set it does not trust', async () => {
    const sent = await wallet.send([add(1)]);
    const verified = await client.verifyTx(sent.id);
    expect(verified.ok).toBe(true);
    expect(verified.steps.map((s) => s.check)).toEqual([
      'record',
      'chain',
      'inclusion',
      'validators',
      'certificate',
    ]);

    const event = sent.events[0]!;
    const verifiedEvent = await client.verifyEvent(event.height, event.index);
    expect(verifiedEvent).toMatchObject({ ok: true, height: event.height });

    // Pinned to the genesis validators, verification works with no help from the node...
    const genesisSet = {
      chainId: chain.chainId,
      suite: chain.suite.id,
      validators: chain.genesis.validators,
    };
    expect((await client.verifyTx(sent.id, { trusted: genesisSet })).ok).toBe(true);
    // The node's own answer for the block's height is the same set.
    const served = trustedFromJson(await client.validatorsAt(sent.height));
    expect(served.validators.map((v) => v.name)).toEqual(genesisSet.validators.map((v) => v.name));
    // ...and a set that did not sign the block does not verify it.
    const stranger = { ...chain.genesis.validators[0]!, key: chain.account(50).publicKey };
    const wrong = await client.verifyTx(sent.id, { trusted: { ...genesisSet, validators: [stranger] } });
    expect(wrong.ok).toBe(false);
  }, 30_000);

  it('delivers blocks and events to subscribers, and resumes after a dropped connection', async () => {
    if (chain.node.head.height === 0) await wallet.send([add(1)]);
    const from = chain.node.head.height;
    const blocks: BlockJson[] = [];
    const events: EventJson[] = [];
    const errors: ChainError[] = [];
    const stopBlocks = client.subscribeBlocks(
      from,
      (b) => blocks.push(b),
      (e) => errors.push(e),
    );
    // Events through a client with its own fetch: queries and the event stream both go through it.
    const seen: string[] = [];
    const viaFetch = createChainClient({
      url: `${chain.url}/`,
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    const stopEvents = viaFetch.subscribeEvents(
      { contract: 'counter', name: 'added' },
      (e) => events.push(e),
      (e) => errors.push(e),
    );
    try {
      await until(() => (blocks.length > 0 ? true : undefined));
      expect(blocks[0]!.height).toBe(from);

      const sent = await wallet.send([add(3)]);
      await until(() => blocks.find((b) => b.height === sent.height));
      await until(() => events.find((e) => e.txId === sent.id));

      // The server drops every connection; the subscription reconnects and resumes after the last block.
      chain.server.closeAllConnections();
      const again = await wallet.send([add(4)]);
      await until(() => blocks.find((b) => b.height === again.height));
      await until(() => events.find((e) => e.txId === again.id));
      const heights = blocks.map((b) => b.height);
      expect(heights).toEqual([...new Set(heights)].sort((a, b) => a - b));
      expect(heights.at(-1)).toBe(again.height);
      expect(errors).toEqual([]);
      expect(seen.some((u) => u.includes('/trpc/event.onNew'))).toBe(true);
    } finally {
      stopBlocks();
      stopEvents();
    }
  }, 30_000);

  it('reports refusals as ChainErrors with the typed code', async () => {
    // A tx reusing a spent nonce: refused before execution.
    const replay = wallet.sign(await wallet.buildTx({ actions: [add(1)], nonce: 0, memo: 'again' }));
    const error = await client.submit(replay).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChainError);
    expect(error).toMatchObject({ code: 'bad_nonce', status: 400, isRejection: true });

    // Resending the very same committed bytes is idempotent: the outcome, not an error.
    const sent = await wallet.send([add(1)]);
    const tx = await client.getTx(sent.id);
    const original = wallet.sign({
      chainId: chain.chainId,
      from: wallet.address,
      key: wallet.account.publicKey,
      nonce: tx.body!.nonce,
      actions: [add(1)],
    });
    expect(await client.submitAndWait(original)).toMatchObject({ id: sent.id, height: sent.height });

    const missing = await client.getTx('00'.repeat(32)).catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'ChainError', code: 'not_found', status: 404 });
    const bad = await client.getTx('nope').catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'invalid_input', status: 400 });

    // The wallet recovers its nonce after a refusal.
    const other = createWallet(client, accountFromPrivateKey(chain.suite, chain.account(1).privateKey));
    await other.send([add(1)]);
    // (Different actions: the same actions at the same nonce would be the very same tx, answered as sent.)
    const stale = await wallet.send([add(2)]).catch((e: unknown) => e);
    expect(stale).toMatchObject({ code: 'bad_nonce' });
    expect((await wallet.send([add(1)])).ok).toBe(true);
  }, 30_000);
});
