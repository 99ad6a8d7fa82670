// Test harness (not for production): a single validator on in-memory PGlite with its API on an
// ephemeral port, and two toy contracts — `counter` and a stand-in `assets` that only mints into the
// `assets/bal/<SYMBOL>/<address>` layout the API reads balances from. Used by the node's API tests and
// by @gongxin/client's tests; keys come from fixed seeds.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Database, openDatabase } from '@gongxin/db';
import {
  asBigInt,
  ContractError,
  type ContractModule,
  ContractRegistry,
  type CryptoSuite,
  defineAction,
  type GenesisDocument,
  type SuiteId,
} from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { type TestAccount, testAccount, testValidator } from '@gongxin/ledger/testing';
import { z } from 'zod';
import type { MempoolLimits } from '../mempool';
import { type BlockLimits, ChainNode, type ChainNodeOptions, type LoggerLike } from '../node';
import { createNodeApiApp, holdIdleConnections, type NodeApi, type NodeApiOptions } from './server';

/** `add {by}`: adds to the sender's counter and emits `added {by, total}`; stops at 1,000,000. */
export const testCounter: ContractModule = {
  name: 'counter',
  version: 1,
  actions: {
    add: defineAction(z.object({ by: z.number().int().positive() }).strict(), (ctx, { by }) => {
      const now = ctx.get<number>(`counter/${ctx.sender}`) ?? 0;
      if (now + by > 1_000_000) throw new ContractError('limit_exceeded', 'a counter stops at 1,000,000');
      ctx.set(`counter/${ctx.sender}`, now + by);
      ctx.emit('added', { by, total: now + by });
    }),
  },
};

const MAX_AMOUNT = 2n ** 64n - 1n;

/** A stand-in for the assets contract: `mint {symbol, amount}` credits the sender (amount: decimal string). */
export const testAssets: ContractModule = {
  name: 'assets',
  version: 1,
  actions: {
    mint: defineAction(
      z
        .object({
          symbol: z.string().regex(/^[A-Z][A-Z0-9]{1,9}$/),
          amount: z
            .string()
            .regex(/^\d{1,20}$/)
            .refine((a) => BigInt(a) <= MAX_AMOUNT, 'at most 2^64 - 1'),
        })
        .strict(),
      (ctx, { symbol, amount }) => {
        const key = `assets/bal/${symbol}/${ctx.sender}`;
        const total = (asBigInt(ctx.get(key)) ?? 0n) + BigInt(amount);
        // The chain encodes integers up to 64 bits.
        if (total > MAX_AMOUNT) throw new ContractError('overflow', 'balance would exceed 2^64 - 1');
        ctx.set(key, total);
        ctx.emit('minted', { symbol, to: ctx.sender, amount: BigInt(amount) });
      },
    ),
  },
};

export const silentLogger: LoggerLike = { info() {}, warn() {}, error() {}, debug() {} };

export interface TestChainOptions {
  suite?: SuiteId;
  chainId?: string;
  contracts?: ContractModule[];
  blockLimits?: Partial<BlockLimits>;
  mempoolLimits?: Partial<MempoolLimits>;
  health?: ChainNodeOptions['health'];
  api?: Partial<NodeApiOptions>;
  /** Where the chain is stored (closed with the chain); default a fresh in-memory PGlite. */
  database?: Database;
}

export interface TestChain {
  url: string;
  server: Server;
  node: ChainNode;
  api: NodeApi;
  database: Database;
  suite: CryptoSuite;
  chainId: string;
  genesis: GenesisDocument;
  /** A funded-by-nothing test account from a fixed seed. */
  account(seed: number): TestAccount;
  close(): Promise<void>;
}

export async function startTestChain(opts: TestChainOptions = {}): Promise<TestChain> {
  const suite = getSuite(opts.suite ?? 'ed25519-sha256');
  const chainId = opts.chainId ?? 'gongxin-api-test';
  const validator = testValidator(suite, 1);
  const genesis: GenesisDocument = {
    chainId,
    suite: suite.id,
    time: 1_700_000_000_000,
    validators: [validator.validator],
  };
  const database = opts.database ?? (await openDatabase({ memory: true }));
  const node = new ChainNode({
    database,
    genesis,
    suite,
    contracts: new ContractRegistry(opts.contracts ?? [testCounter, testAssets]),
    signer: {
      key: validator.account.publicKey,
      sign: (bytes) => suite.sign(bytes, validator.account.privateKey),
    },
    logger: silentLogger,
    timeouts: { proposeMs: 1000, prevoteMs: 500, precommitMs: 500, deltaMs: 250 },
    blockLimits: { commitDelayMs: 5, emptyBlockIntervalMs: 60_000, ...opts.blockLimits },
    ...(opts.mempoolLimits && { mempoolLimits: opts.mempoolLimits }),
    ...(opts.health && { health: opts.health }),
  });
  await node.start();
  const { app, api } = createNodeApiApp(node, { logger: silentLogger, ...opts.api });
  const server: Server = app.listen(0, '127.0.0.1');
  holdIdleConnections(server);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    node,
    api,
    database,
    suite,
    chainId,
    genesis,
    account: (seed) => testAccount(suite, seed),
    close() {
      closing ??= (async () => {
        api.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await node.stop();
        await database.close();
      })();
      return closing;
    },
  };
}
