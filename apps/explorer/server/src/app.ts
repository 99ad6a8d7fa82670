// The explorer as a suite app: public (no sign-in needed anywhere), its read models built by its own
// indexer on the host's feed (a whole-block handler, see indexer/), its web at /explorer/. mountApp runs the
// indexer and shows it on /healthz; `health` and /api/live show it too.
import { defineSuiteApp } from '@gongxin/app-kit';
import type express from 'express';
import { explorerMigrations } from './db/migrations';
import { type GenesisSource, genesisFromDataDir, resolveGenesis } from './genesis';
import { explorerIndexer } from './indexer';
import { genesisSeed } from './indexer/genesis';
import type { WatchedNode } from './read/nodes';
import { appRouter } from './router';
import { createExplorerRuntime, type ExplorerRuntime } from './runtime';

export interface ExplorerOptions {
  /** Default: `<DATA_DIR>/chain/genesis.json` when the host runs the embedded chain (the portal). */
  genesis?: GenesisSource;
  /**
   * Same-origin URLs of ES modules that teach the web how other apps' contracts read in words, e.g.
   * `/food/explorer-decoders.js` (see docs/explorer.md, "Decoders"). Default: the packs the host's
   * mounted apps declare (`services.suite.apps`); the explorer never imports apps.
   */
  decoderPacks?: string[];
  /** The nodes the members' console watches. Default: CHAIN_NODES, else the host's chain. */
  nodes?: WatchedNode[];
}

/** Server-sent events: `data: {"height":N}` each time the explorer has applied block N, a ping every 15 s. */
function liveRoute(router: express.Router, runtime: ExplorerRuntime, streams: Set<express.Response>) {
  router.get('/api/live', async (_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    streams.add(res);
    let open = true;
    const closed = new Promise<void>((resolve) =>
      res.on('close', () => {
        open = false;
        streams.delete(res);
        resolve();
      }),
    );
    const send = (height: number) => res.write(`id: ${height}\ndata: ${JSON.stringify({ height })}\n\n`);
    let sent = -1;
    // The wall clock: a keep-alive ping interval, not a time on the chain.
    let quietSince = Date.now();
    while (open) {
      const indexer = runtime.indexer;
      // A standby replica (another process leads the indexer) follows the stored cursor instead.
      const height = await runtime.indexedHeight().catch(() => sent);
      if (height !== sent) {
        send(height);
        sent = height;
        quietSince = Date.now();
      }
      const next = indexer
        ? indexer.waitFor(height + 1, 15_000).catch(() => 'quiet' as const)
        : new Promise<'poll'>((r) => setTimeout(() => r('poll'), 1000));
      const outcome = await Promise.race([next, closed]);
      if (!open) break;
      if (outcome === 'quiet' || Date.now() - quietSince >= 15_000) {
        res.write(': ping\n\n');
        quietSince = Date.now();
        // A stopped indexer rejects at once: wait before asking again instead of spinning.
        if (indexer && !indexer.running)
          await Promise.race([new Promise((r) => setTimeout(r, 1000)), closed]);
      }
    }
  });
}

export function createExplorerApp(options: ExplorerOptions = {}) {
  const streams = new Set<express.Response>();
  return defineSuiteApp({
    id: 'explorer',
    manifest: {
      title: { 'zh-CN': '区块浏览器', en: 'Explorer' },
      summary: {
        'zh-CN': '追溯每一笔交易，在浏览器中验证每一条记录',
        en: 'Trace every transaction and verify every record in your browser',
      },
      audience: 'public',
      roles: [],
    },
    router: appRouter,
    migrations: explorerMigrations,
    webDist: new URL('../../web/dist', import.meta.url),
    setup: (services) => createExplorerRuntime(services, options),
    routes: (router, _services, runtime) => liveRoute(router, runtime, streams),
    indexer: async (services) => {
      const genesis = await resolveGenesis(options.genesis ?? genesisFromDataDir, services);
      return explorerIndexer(genesis ? genesisSeed(genesis) : null);
    },
    start: async (_services, runtime, { indexer }) => {
      if (!indexer) throw new Error('explorer: mounted without its indexer');
      runtime.indexer = indexer;
      runtime.nodes.start();
      return async () => {
        runtime.indexer = undefined;
        await runtime.nodes.stop();
        for (const res of streams) res.end();
        streams.clear();
      };
    },
  });
}

export const explorerApp = createExplorerApp();
