// A whole explorer on one HTTP server, for tests and the benchmark: a single validator running the real
// core contracts on the given database (in-memory PGlite by default), its API at /chain, and the explorer
// mounted by app-kit at /explorer, following the node through nodeFeed as in the portal.
import type { Server } from 'node:http';
import { type AppServices, type MountedApp, mountApp } from '@gongxin/app-kit';
import { startTestChainHost, TEST_SUITE_SECRET, testServices } from '@gongxin/app-kit/testing';
import { accountFromPrivateKey, createWallet, type Wallet } from '@gongxin/client';
import { createCoreRegistry } from '@gongxin/contracts';
import { type Database, openDatabase } from '@gongxin/db';
import type { Action, CryptoSuite, GenesisDocument, Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { type TestAccount, testAccount, testValidator } from '@gongxin/ledger/testing';
import type { BlockLimits, ChainNode } from '@gongxin/node';
import { createLogger } from '@gongxin/telemetry';
import { createExplorerApp } from '../src/app';
import { explorerRuntimeOf } from '../src/runtime';

export interface ExplorerChain {
  url: string;
  server: Server;
  node: ChainNode;
  database: Database;
  services: AppServices & { close(): void };
  genesis: GenesisDocument;
  suite: CryptoSuite;
  /** The explorer; null until `mountExplorer()` (the benchmark builds its chain first). */
  explorer: MountedApp | null;
  mountExplorer(): Promise<MountedApp>;
  account(seed: number): TestAccount;
  wallet(account: TestAccount): Wallet;
  /** Sends actions and waits for the commit and for the explorer to have applied its block. */
  send(
    account: TestAccount,
    actions: Action[],
    memo?: string,
  ): Promise<{ id: string; height: number; ok: boolean }>;
  /** Waits until the explorer has applied the node's head. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** GET of a tRPC query of the explorer; rejects with the status and tRPC error on failure. */
  query<T = unknown>(path: string, input?: unknown): Promise<T>;
  close(): Promise<void>;
}

export interface ExplorerChainOptions {
  database?: Database;
  contracts: (accounts: { account(seed: number): TestAccount }) => Record<string, Value>;
  blockLimits?: Partial<BlockLimits>;
  /** Mount the explorer at once (tests) or later with mountExplorer() (benchmark). Default true. */
  mount?: boolean;
}

export class TrpcHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}: ${JSON.stringify(body)}`);
  }
}

export async function startExplorerChain(opts: ExplorerChainOptions): Promise<ExplorerChain> {
  const suite = getSuite('ed25519-sha256');
  const account = (seed: number) => testAccount(suite, seed);
  const validator = testValidator(suite, 1);
  const genesis: GenesisDocument = {
    chainId: 'gongxin-explorer-test',
    suite: suite.id,
    time: Date.now() - 60_000,
    validators: [validator.validator],
    contracts: opts.contracts({ account }),
  };
  const database = opts.database ?? (await openDatabase({ memory: true }));
  const host = await startTestChainHost({
    database,
    genesis,
    suite,
    validator: validator.account,
    contracts: createCoreRegistry(),
    blockLimits: { emptyBlockIntervalMs: 600_000, ...opts.blockLimits },
  });
  const { node, host: app, url, server } = host;
  const services = await testServices({
    database,
    chain: { node, url: `${url}/chain` },
    publicUrl: url,
    issuer: `${url}/passport/oidc`,
    suiteSecret: TEST_SUITE_SECRET,
    logger: createLogger({ name: 'explorer-test', level: (process.env.LOG_LEVEL as 'info') ?? 'silent' }),
  });

  const wallets = new Map<string, Wallet>();
  const wallet = (a: TestAccount) => {
    let w = wallets.get(a.address);
    if (!w) {
      w = createWallet(services.chain.client, accountFromPrivateKey(suite, a.privateKey));
      wallets.set(a.address, w);
    }
    return w;
  };
  const indexer = () => {
    const runtime = explorerRuntimeOf(services);
    if (!runtime) throw new Error('the explorer is not mounted');
    return runtime.indexer;
  };

  const chain: ExplorerChain = {
    url,
    server,
    node,
    database,
    services,
    genesis,
    suite,
    explorer: null,
    async mountExplorer() {
      // Load tests send far more than a person's 600 requests a minute.
      const mounted = await mountApp(createExplorerApp({ genesis }), services, {
        rateLimits: { api: false, auth: false },
      });
      app.use('/explorer', mounted.router);
      chain.explorer = mounted;
      return mounted;
    },
    account,
    wallet,
    async send(a, actions, memo) {
      const receipt = await wallet(a).send(actions, memo === undefined ? {} : { memo });
      await indexer().waitFor(receipt.height, 20_000);
      return { id: receipt.id, height: receipt.height, ok: receipt.ok };
    },
    caughtUp: (timeoutMs = 30_000) => indexer().waitFor(node.head.height, timeoutMs),
    async query<T>(path: string, input?: unknown): Promise<T> {
      const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
      const res = await fetch(`${url}/explorer/api/trpc/${path}${qs}`);
      const body = (await res.json()) as { result?: { data: T }; error?: unknown };
      if (!res.ok || !body.result) throw new TrpcHttpError(res.status, body.error ?? body);
      return body.result.data;
    },
    async close() {
      await chain.explorer?.close();
      services.close();
      await host.close();
      if (!opts.database) await database.close();
    },
  };
  if (opts.mount ?? true) await chain.mountExplorer();
  return chain;
}
