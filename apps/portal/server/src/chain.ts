// Where the suite's chain comes from. The embedded default: one validator in this process, on the suite's
// database, its API under /chain. With CHAIN_URL: the chain served by that node API (a validator or full
// node elsewhere), followed over HTTP and its API passed through under /chain, so several identical portal
// processes (app replicas) can stand behind one load balancer on one database and one chain.
import { type ChainFeed, clientFeed, type FeedStats, nodeFeed } from '@gongxin/app-kit';
import { type ChainClient, createChainClient } from '@gongxin/client';
import { createSuiteRegistry } from '@gongxin/contracts';
import type { Database } from '@gongxin/db';
import type { CryptoSuite, GenesisDocument, Value } from '@gongxin/ledger';
import { startEmbeddedChain } from '@gongxin/node';
import { createNodeApi } from '@gongxin/node/api';
import type { Logger, Metrics } from '@gongxin/telemetry';
import type express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';

/** The chain's state as the portal page shows it. */
export interface ChainStatus {
  chainId: string;
  height: number;
  blockHash: string;
  time: number;
  validators: number;
  mempool: number;
}

export interface SuiteChain {
  kind: 'embedded' | 'followed';
  chainId: string;
  suite: GenesisDocument['suite'];
  /** One feed for every app's indexer: each block is read once. */
  feed: ChainFeed & { stats(): FeedStats };
  /** Serves the node API; the portal mounts it at /chain. */
  api: express.RequestHandler;
  /** The node API's address for the apps' chain client, given this process's own URL. */
  clientUrl(selfUrl: string): string;
  /** Null when the followed node does not answer. */
  status(): Promise<ChainStatus | null>;
  /** Health: the height, or an error naming what is wrong. */
  health(): Promise<{ height: number; source: string }>;
  close(): Promise<void>;
}

/** The node at CHAIN_URL did not answer at start-up: says which and what to do. */
export class ChainUnavailableError extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `The chain at CHAIN_URL=${url} did not answer (${cause instanceof Error ? cause.message : String(cause)}): ` +
        'start that node first, or unset CHAIN_URL to run a validator in this process',
    );
    this.name = 'ChainUnavailableError';
  }
}

export async function embeddedChain(opts: {
  database: Database;
  dataDir: string;
  suite: CryptoSuite;
  logger: Logger;
  metrics: Metrics;
  genesisContracts: () => Record<string, Value>;
  /** The deployment clock block times follow. */
  clock?: () => number;
}): Promise<SuiteChain> {
  const chain = await startEmbeddedChain({
    database: opts.database,
    dataDir: opts.dataDir,
    suite: opts.suite,
    contracts: createSuiteRegistry(),
    logger: opts.logger.child({ component: 'chain' }),
    genesisContracts: opts.genesisContracts,
    ...(opts.clock && { clock: opts.clock }),
  });
  opts.logger.info(
    { chainId: chain.genesis.chainId, height: chain.node.head.height, created: chain.created },
    'chain ready',
  );
  const { node } = chain;
  const feed = nodeFeed(node);
  return {
    kind: 'embedded',
    chainId: chain.genesis.chainId,
    suite: chain.genesis.suite,
    feed,
    api: createNodeApi(node, {
      logger: opts.logger.child({ component: 'chain-api' }),
      metrics: opts.metrics,
      dataDir: opts.dataDir,
    }),
    clientUrl: (selfUrl) => `${selfUrl}/chain`,
    status: async () => ({
      chainId: chain.genesis.chainId,
      height: node.head.height,
      blockHash: Buffer.from(node.head.blockHash).toString('hex'),
      time: node.head.time,
      validators: node.validators.length,
      mempool: node.stats.mempoolSize,
    }),
    health: async () => ({ height: node.head.height, source: 'embedded validator' }),
    close: async () => {
      feed.close();
      await node.stop();
    },
  };
}

export async function followedChain(opts: { url: string; logger: Logger }): Promise<SuiteChain> {
  const url = opts.url.replace(/\/+$/, '');
  const client: ChainClient = createChainClient({ url });
  let info: Awaited<ReturnType<ChainClient['info']>>;
  try {
    info = await client.info();
  } catch (error) {
    throw new ChainUnavailableError(url, error);
  }
  opts.logger.info({ chainId: info.chainId, height: info.head.height, node: url }, 'following the chain');
  const feed = clientFeed(client);
  const statusOf = (i: typeof info): ChainStatus => ({
    chainId: i.chainId,
    height: i.head.height,
    blockHash: i.head.hash,
    time: i.head.time,
    validators: i.validators.length,
    mempool: i.mempool.size,
  });
  return {
    kind: 'followed',
    chainId: info.chainId,
    suite: info.suite,
    feed,
    // The node's API as it is (its own errors, limits and server-sent events), under this origin's /chain.
    api: createProxyMiddleware({ target: url, changeOrigin: true, proxyTimeout: 30_000 }),
    clientUrl: () => url,
    status: () => client.info().then(statusOf, () => null),
    health: async () => {
      const now = await client.info();
      return { height: now.head.height, source: url };
    },
    close: async () => {},
  };
}
