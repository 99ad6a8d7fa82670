// A single-validator chain for the channel node's tests: the core contracts plus `channels`, assets held
// by test accounts from genesis, the node API on an ephemeral port. Block times follow the real clock.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { channelsContract, createCoreRegistry } from '@gongxin/contracts';
import { type Database, openDatabase } from '@gongxin/db';
import type { CryptoSuite, GenesisDocument, Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { type TestAccount, testAccount, testValidator } from '@gongxin/ledger/testing';
import { ChainNode, type LoggerLike } from '@gongxin/node';
import { createNodeApiApp, holdIdleConnections } from '@gongxin/node/api';

const quiet: LoggerLike = { info() {}, warn() {}, error() {}, debug() {} };

export const ASSETS = ['CNYX', 'PTS', 'KWH'] as const;

export interface ChannelTestChain {
  url: string;
  suite: CryptoSuite;
  node: ChainNode;
  account(seed: number): TestAccount;
  /** The asset balance the chain holds for an address. */
  balance(address: string, symbol: string): bigint;
  /** The funded accounts' balances of an asset plus what channels lock: constant when value is conserved. */
  supply(symbol: string): bigint;
  close(): Promise<void>;
}

/** `funded` seeds get 1,000,000 of each asset at genesis. */
export async function startChannelTestChain(funded: readonly number[]): Promise<ChannelTestChain> {
  const suite = getSuite('ed25519-sha256');
  const validator = testValidator(suite, 1);
  const issuer = testAccount(suite, 999);
  const holders: Record<string, bigint> = {};
  for (const seed of funded) holders[testAccount(suite, seed).address] = 1_000_000n;
  const genesis: GenesisDocument = {
    chainId: 'gongxin-channels-test',
    suite: suite.id,
    time: Date.now() - 1_000,
    validators: [validator.validator],
    contracts: {
      assets: {
        assets: ASSETS.map((symbol) => ({
          symbol,
          name: `${symbol} units`,
          decimals: 0,
          policy: 'fixed',
          issuer: issuer.address,
          balances: holders as unknown as Value,
        })),
      },
    } as Record<string, Value>,
  };
  const database: Database = await openDatabase({ memory: true });
  const node = new ChainNode({
    database,
    genesis,
    suite,
    contracts: createCoreRegistry([channelsContract]),
    signer: { key: validator.account.publicKey, sign: (b) => suite.sign(b, validator.account.privateKey) },
    logger: quiet,
    timeouts: { proposeMs: 1000, prevoteMs: 500, precommitMs: 500, deltaMs: 250 },
    blockLimits: { commitDelayMs: 5, emptyBlockIntervalMs: 500 },
  });
  await node.start();
  const { app, api } = createNodeApiApp(node, { logger: quiet, rateLimit: false });
  const server: Server = app.listen(0, '127.0.0.1');
  // As the node's own server does: a channel node's chain client reusing an idle connection the server is
  // closing on Node's 5 s default would fail with ECONNRESET under load.
  holdIdleConnections(server);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const read = (key: string): bigint => {
    const v = node.stateView.get(key) as number | bigint | undefined;
    return BigInt(v ?? 0);
  };
  return {
    url: `http://127.0.0.1:${port}`,
    suite,
    node,
    account: (seed) => testAccount(suite, seed),
    balance: (address, symbol) => read(`assets/bal/${symbol}/${address}`),
    supply(symbol) {
      let total = read(`assets/locked/${symbol}`);
      for (const address of Object.keys(holders)) total += read(`assets/bal/${symbol}/${address}`);
      return total;
    },
    async close() {
      api.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await node.stop();
      await database.close();
    },
  };
}
