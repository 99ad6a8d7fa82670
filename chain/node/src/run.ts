// `gongxin node start`: one node of a network from its folder (made by `gongxin init`): its database
// (PGlite in the folder, or PostgreSQL), its key, peer links to the others, and its API.
import type { Server } from 'node:http';
import path from 'node:path';
import { createSuiteRegistry } from '@gongxin/contracts';
import { createGenesisState, fromHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { createNodeApiApp, holdIdleConnections } from './api/server';
import { consoleLogger, openNodeDatabase, readGenesis, readNodeConfig } from './home';
import { loadOrCreateNodeKey, signerFor } from './keys';
import { ChainNode, type ChainNodeOptions } from './node';
import type { NodeConfig } from './node-config';
import { PeerNetwork } from './p2p/network';
import { ChainStore } from './storage/store';
import { joinByStateSync } from './sync/join';
import { Snapshotter, syncServer } from './sync/server';
import { STATE_SYNC_PENDING } from './sync/state-sync';
import { defaultVerifyWorkers, VerifierPool } from './verify/pool';

export interface RunningNode {
  node: ChainNode;
  network: PeerNetwork;
  apiUrl: string;
  stop(): Promise<void>;
}

export async function runNode(
  home: string,
  opts: {
    databaseUrl?: string;
    logger?: ChainNodeOptions['logger'];
    timeouts?: ChainNodeOptions['timeouts'];
    blockLimits?: ChainNodeOptions['blockLimits'];
    /** When the database holds no blocks yet, join by state sync from the peers before starting. */
    stateSync?: boolean;
  } = {},
): Promise<RunningNode> {
  const logger = opts.logger ?? consoleLogger;
  const config = readNodeConfig(home);
  if (config.embedded)
    throw new Error(
      `${home} is the suite's embedded chain: it runs inside \`npm start\`, not as a node of its own`,
    );
  const genesis = readGenesis(home, config);
  const suite = getSuite(genesis.suite);
  const contracts = createSuiteRegistry();
  const { key } = loadOrCreateNodeKey(suite, path.join(home, 'validator-key.json'));
  const signer = signerFor(suite, key);
  const genesisHash = createGenesisState({ suite, contracts }, genesis).hash;
  const database = await openNodeDatabase(home, config, opts.databaseUrl);
  const verifier = new VerifierPool(suite, verifyWorkersOf(config));
  // Snapshots of the state at start and every 10,000 blocks, signed with this node's key (a validator's
  // signature is what joining nodes count), served to peers with the stored headers.
  const snapshots = new Snapshotter({ suite, chainId: genesis.chainId, signer, logger });
  const store = new ChainStore(database);
  const network = new PeerNetwork({
    suite,
    chainId: genesis.chainId,
    genesisHash,
    signer,
    listen: { host: config.p2p.host, port: config.p2p.port },
    peers: config.peers.map((p) => ({ url: p.url, key: p.key })),
    admitted: [...genesis.validators.map((v) => v.key), ...(config.admitted ?? []).map((k) => fromHex(k))],
    followValidators: true,
    logger,
    sync: syncServer(store, snapshots),
  });
  let networkStarted = false;
  if (opts.stateSync) {
    await store.migrate();
    if ((await store.headHeight()) === 0 || (await store.getMeta(STATE_SYNC_PENDING))) {
      await network.start();
      networkStarted = true;
      const result = await joinByStateSync({ network, database, genesis, suite, contracts, logger });
      logger.info({ ...result }, 'joined by state sync');
    }
  }
  const node = new ChainNode({
    database,
    genesis,
    suite,
    contracts,
    signer,
    network,
    logger,
    timeouts: opts.timeouts,
    blockLimits: opts.blockLimits,
    verifier,
    onState: (head, state) => snapshots.observe(head, state),
  });
  network.attach(node);
  await node.start();
  if (!networkStarted) await network.start();
  const { app } = createNodeApiApp(node, {
    logger,
    network,
    rateLimit: config.api.rateLimit,
    dataDir: home,
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.api.port, config.api.host, () => resolve(s));
    holdIdleConnections(s);
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.api.port;
  const apiUrl = `http://${config.api.host}:${port}`;
  logger.info(
    {
      name: config.name,
      api: apiUrl,
      p2p: `${config.p2p.host}:${config.p2p.port}`,
      height: node.head.height,
    },
    'node running',
  );
  return {
    node,
    network,
    apiUrl,
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections?.();
      await network.stop();
      await node.stop();
      await verifier.close();
      await database.close();
    },
  };
}

/**
 * Verifier threads: `GONGXIN_VERIFY_WORKERS` in the environment, else `verifyWorkers` in config.json, else
 * one per core but one. 0 verifies on the consensus thread.
 */
export function verifyWorkersOf(config: NodeConfig, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GONGXIN_VERIFY_WORKERS ?? config.verifyWorkers;
  if (raw === undefined || raw === '') return defaultVerifyWorkers();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 64)
    throw new Error(
      `verifier threads must be a whole number from 0 to 64 (GONGXIN_VERIFY_WORKERS or verifyWorkers in config.json), got ${JSON.stringify(raw)}`,
    );
  return n;
}

/** The CLI's long-running form: run until SIGINT/SIGTERM, then shut down cleanly. */
export async function startNodeFromHome(
  home: string,
  databaseUrl?: string,
  opts: { stateSync?: boolean } = {},
): Promise<void> {
  const running = await runNode(home, { databaseUrl, stateSync: opts.stateSync });
  console.log(`node ${path.basename(home)} running: API ${running.apiUrl}`);
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, async () => {
      if (stopping) return;
      stopping = true;
      await running.stop();
      process.exit(0);
    });
  }
}
