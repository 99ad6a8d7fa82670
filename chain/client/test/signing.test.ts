import { decodeTx, fromHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/browser';
import { testAccount } from '@gongxin/ledger/testing';
import { describe, expect, it } from 'vitest';
import { accountSigner, createChainClient, NonceBook, sendTx } from '../src';
import { FakeNodeError, fakeNode } from '../src/testing';

const suite = getSuite('ed25519-sha256');
const account = { ...testAccount(suite, 3), suite };
const chainId = 'gongxin-signing';
const add = (by: number) => ({ contract: 'counter', name: 'add', params: { by } });

/** A node whose account nonce is `nonce`, that admits a tx only with the next nonce it expects. */
function node(nonce: number) {
  let expected = nonce;
  const submitted: number[] = [];
  const fake = fakeNode({
    'chain.info': () => ({ chainId, suite: suite.id }),
    'account.get': (input) => ({ address: (input as { address: string }).address, nonce: expected }),
    'tx.submitAndWait': (input) => {
      const tx = decodeTx(suite, fromHex((input as { tx: string }).tx));
      submitted.push(tx.body.nonce);
      if (tx.body.nonce !== expected)
        throw new FakeNodeError('bad_nonce', `nonce ${tx.body.nonce}, expected ${expected}`);
      expected++;
      return { id: 'ab'.repeat(32), height: 1, blockHash: 'cd'.repeat(32), ok: true, events: [] };
    },
  });
  return {
    fake,
    submitted,
    /** Another device of the same account used nonces meanwhile. */
    spend: (n: number) => {
      expected += n;
    },
  };
}

const procedures = (fake: ReturnType<typeof fakeNode>) =>
  fake.requests.map((r) => r.calls.map((c) => c.procedure));

describe('signing with cached chain identity and nonces', () => {
  it('needs one round trip before the first submit and none before the next', async () => {
    const { fake } = node(7);
    const client = createChainClient({ url: 'http://node.test', fetch: fake.fetch });
    const nonces = new NonceBook(client);
    const signer = accountSigner(account);

    await sendTx(client, nonces, signer, [add(1)]);
    // chain.info and account.get travel in one batched request, then the submit.
    expect(procedures(fake)).toEqual([['chain.info', 'account.get'], ['tx.submitAndWait']]);
    fake.requests.length = 0;
    await sendTx(client, nonces, signer, [add(2)]);
    expect(procedures(fake)).toEqual([['tx.submitAndWait']]);
  });

  it('gives two signatures started at once consecutive nonces', async () => {
    const { fake, submitted } = node(4);
    const client = createChainClient({ url: 'http://node.test', fetch: fake.fetch });
    const nonces = new NonceBook(client);
    const signer = accountSigner(account);
    const receipts = await Promise.all([
      sendTx(client, nonces, signer, [add(1)]),
      sendTx(client, nonces, signer, [add(2)]),
      sendTx(client, nonces, signer, [add(3)]),
    ]);
    expect(receipts.every((r) => r.ok)).toBe(true);
    expect([...submitted].sort()).toEqual([4, 5, 6]);
    // The account was asked once for all three.
    expect(fake.requests.flatMap((r) => r.calls).filter((c) => c.procedure === 'account.get')).toHaveLength(
      1,
    );
  });

  it('refreshes a stale count once and retries when the node refuses the nonce', async () => {
    const chain = node(1);
    const client = createChainClient({ url: 'http://node.test', fetch: chain.fake.fetch });
    const nonces = new NonceBook(client);
    const signer = accountSigner(account);
    await sendTx(client, nonces, signer, [add(1)]);
    chain.spend(3);

    // Without the retry the refusal reaches the caller, and the count is forgotten.
    await expect(sendTx(client, nonces, signer, [add(2)])).rejects.toMatchObject({
      code: 'bad_nonce',
      status: 400,
    });
    await sendTx(client, nonces, signer, [add(3)]);
    chain.spend(2);
    chain.fake.requests.length = 0;
    const receipt = await sendTx(client, nonces, signer, [add(4)], { retryStaleNonce: true });
    expect(receipt.ok).toBe(true);
    // Refused (another device moved on), the account asked afresh, sent again.
    expect(procedures(chain.fake)).toEqual([['tx.submitAndWait'], ['account.get'], ['tx.submitAndWait']]);
    expect(chain.submitted).toEqual([1, 2, 5, 6, 8]);
  });

  it('retries only once', async () => {
    const { fake } = node(0);
    fake.handle({
      'tx.submitAndWait': () => {
        throw new FakeNodeError('bad_nonce', 'always stale');
      },
    });
    const client = createChainClient({ url: 'http://node.test', fetch: fake.fetch });
    const sent = sendTx(client, new NonceBook(client), accountSigner(account), [add(1)], {
      retryStaleNonce: true,
    });
    await expect(sent).rejects.toMatchObject({ code: 'bad_nonce' });
    expect(
      fake.requests.flatMap((r) => r.calls).filter((c) => c.procedure === 'tx.submitAndWait'),
    ).toHaveLength(2);
  });

  it('asks the chain identity once, shared by concurrent callers', async () => {
    const { fake } = node(0);
    const client = createChainClient({ url: 'http://node.test', fetch: fake.fetch });
    const [a, b, s] = await Promise.all([client.identity(), client.chainId(), client.suite()]);
    expect(a.chainId).toBe(chainId);
    expect(b).toBe(chainId);
    expect(s.id).toBe(suite.id);
    await client.chainId();
    expect(fake.requests.flatMap((r) => r.calls).map((c) => c.procedure)).toEqual(['chain.info']);
  });
});
