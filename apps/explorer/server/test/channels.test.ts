// A payment channel's settlement in both parties' activity. The channels contract's `settled` event names
// the channel and what each side is owed, not the accounts: the indexer finds the parties from the
// channel's `opened` event, so the party that did not send the close sees the settlement line beside its
// payout, and a dispute settlement (sent by anyone) shows for both.
import { channelsContract, closeBytes } from '@gongxin/contracts';
import type { Database } from '@gongxin/db';
import { testBackends } from '@gongxin/db/testing';
import type { TestAccount } from '@gongxin/ledger/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityItem } from '../src/read/accounts';
import { type ExplorerChain, startExplorerChain } from './chain';

describe.each(testBackends())('channel settlements on $name', ({ open }) => {
  let database: Database;
  let chain: ExplorerChain;
  let alice: TestAccount;
  let bob: TestAccount;
  let close: { id: string; height: number; ok: boolean };
  let channel: string;

  beforeAll(async () => {
    database = await open();
    chain = await startExplorerChain({
      database,
      extraContracts: [channelsContract],
      contracts: ({ account }) => ({
        assets: {
          assets: [
            {
              symbol: 'CHX',
              name: '通道测试券',
              decimals: 2,
              policy: 'fixed',
              issuer: account(30).address,
              balances: { [account(1).address]: '10000', [account(2).address]: '10000' },
            },
          ],
        },
      }),
    });
    [alice, bob] = [chain.account(1), chain.account(2)];
    const opened = await chain.send(alice, [
      {
        contract: 'channels',
        name: 'open',
        params: {
          peer: bob.address,
          peerKey: bob.publicKey,
          disputeMs: 60_000,
          deposits: [{ symbol: 'CHX', amount: 1_000n }],
        },
      },
    ]);
    expect(opened.ok).toBe(true);
    channel = opened.id;
    const balances = [{ symbol: 'CHX', a: 700n, b: 300n }];
    const bytes = closeBytes(chain.genesis.chainId, channel, balances);
    close = await chain.send(bob, [
      {
        contract: 'channels',
        name: 'cooperativeClose',
        params: {
          channel,
          balances,
          signatureA: chain.suite.sign(bytes, alice.privateKey),
          signatureB: chain.suite.sign(bytes, bob.privateKey),
        },
      },
    ]);
    expect(close.ok).toBe(true);
    await chain.caughtUp();
  }, 120_000);

  afterAll(async () => {
    await chain?.close();
    await database?.close();
  });

  const activity = async (address: string) =>
    (await chain.query<{ items: ActivityItem[] }>('accounts.activity', { address, limit: 50 })).items.filter(
      (i) => i.txId === close.id,
    );

  it("puts a cooperative close's settlement in the activity of the party that did not send it", async () => {
    const items = await activity(alice.address);
    const settled = items.find((i) =>
      i.events.some((e) => e.contract === 'channels' && e.name === 'settled'),
    );
    expect(settled).toMatchObject({
      roles: ['a'],
      events: [
        { contract: 'channels', name: 'settled', attrs: { id: channel, symbol: 'CHX', mode: 'cooperative' } },
      ],
    });
    // Beside the payout that names her.
    expect(items.some((i) => i.events.some((e) => e.name === 'unlocked'))).toBe(true);
  });

  it("and in the sender's, under its side", async () => {
    const items = await activity(bob.address);
    expect(items.find((i) => i.roles.includes('b'))?.events.map((e) => e.name)).toEqual(['settled']);
    expect(items.some((i) => i.eventIndex === -1)).toBe(true);
  });
});
