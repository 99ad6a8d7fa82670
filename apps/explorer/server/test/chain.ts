// A whole explorer on one HTTP server, for tests and the benchmark: a single validator running the real
// core contracts on the given database (in-memory PGlite by default), its API at /chain, and the explorer
// mounted by app-kit at /explorer, following the node through nodeFeed as in the portal.
import type { Server } from 'node:http';
import type { AppServices, MountedApp } from '@gongxin/app-kit';
import { startAppHarness } from '@gongxin/app-kit/testing';
import type { Wallet } from '@gongxin/client';
import { createCoreRegistry } from '@gongxin/contracts';
import type { Database } from '@gongxin/db';
import type { Action, ContractModule, CryptoSuite, GenesisDocument, Value } from '@gongxin/ledger';
import type { TestAccount } from '@gongxin/ledger/testing';
import type { BlockLimits, ChainNode } from '@gongxin/node';
import { createExplorerApp } from '../src/app';
import type { ExplorerRuntime } from '../src/runtime';

export interface ExplorerChain {
  url: string;
  server: Server;
  node: ChainNode;
  database: Database;
  services: AppServices & { close(): void };
  genesis: GenesisDocument;
  suite: CryptoSuite;
  /** The explorer; null until `mountExplorer()` (the benchmark builds its chain first). */
  explorer: MountedApp<ExplorerRuntime> | null;
  mountExplorer(): Promise<MountedApp<ExplorerRuntime>>;
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
  /** Contracts the chain runs besides the core ones (an app's, the channels contract). */
  extraContracts?: readonly ContractModule[];
  blockLimits?: Partial<BlockLimits>;
  /** Mount the explorer at once (tests) or later with mountExplorer() (benchmark). Default true. */
  mount?: boolean;
  /** The deployment clock (block times and the app's `services.clock`). Default the wall clock. */
  clock?: () => number;
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
  let genesis: GenesisDocument | undefined;
  const explorer = createExplorerApp({ genesis: async () => genesis ?? null });
  const h = await startAppHarness(explorer, {
    chainId: 'gongxin-explorer-test',
    genesis: opts.contracts,
    contracts: createCoreRegistry(opts.extraContracts),
    blockLimits: { emptyBlockIntervalMs: 600_000, ...opts.blockLimits },
    ...(opts.database && { database: opts.database }),
    ...(opts.clock && { clock: opts.clock }),
    // Load tests send far more than a person's 600 requests a minute (the harness turns limits off).
    mount: false,
  });
  genesis = h.genesis;

  const chain: ExplorerChain = {
    url: h.url,
    server: h.server,
    node: h.node,
    database: h.database,
    services: h.services,
    genesis: h.genesis,
    suite: h.suite,
    explorer: null,
    async mountExplorer() {
      chain.explorer = await h.mount();
      return chain.explorer;
    },
    account: h.account,
    wallet: (a) => h.wallet(a),
    async send(a, actions, memo) {
      const receipt = await h.send(a, actions, memo === undefined ? {} : { memo });
      return { id: receipt.id, height: receipt.height, ok: receipt.ok };
    },
    caughtUp: (timeoutMs) => h.caughtUp(timeoutMs),
    async query<T>(path: string, input?: unknown): Promise<T> {
      const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
      const url = `${h.url}/explorer/api/trpc/${path}${qs}`;
      // A query is a GET: like a browser, send it again once when a kept-alive connection turns out to
      // have been closed by the server as it was reused (undici reports that as "fetch failed").
      const res = await fetch(url).catch((error: unknown) => {
        if (error instanceof TypeError) return fetch(url);
        throw error;
      });
      const body = (await res.json()) as { result?: { data: T }; error?: unknown };
      if (!res.ok || !body.result) throw new TrpcHttpError(res.status, body.error ?? body);
      return body.result.data;
    },
    close: () => h.close(),
  };
  if (opts.mount ?? true) await chain.mountExplorer();
  return chain;
}
