// What a mounted explorer keeps besides its routes: the decoder packs the web loads and, once app-kit has
// started it, its indexer. Built once per mount by the app module's `setup` and reached as `ctx.app`
// (procedures) or as the argument of routes and `start`.
import type { AppServices, Indexer } from '@gongxin/app-kit';
import { sql } from 'drizzle-orm';
import { EXPLORER_INDEXER } from './indexer';
import { NodeWatcher, type WatchedNode } from './read/nodes';

export interface ExplorerRuntime {
  /** The explorer's indexer: set by `start` (app-kit runs it on the host's feed), unset after close. */
  indexer: Indexer | undefined;
  /** URLs of the decoder packs the web loads (see ExplorerOptions.decoderPacks). */
  decoderPacks: string[];
  /**
   * The height the read models hold: the indexer's in the process that leads it, the stored cursor in a
   * standby replica (another process indexes into the same tables).
   */
  indexedHeight(): Promise<number>;
  /** The members' console's node health: every watched node's /metrics, sampled while the app runs. */
  nodes: NodeWatcher;
}

/** CHAIN_NODES, else the chain the host follows (CHAIN_URL) or serves itself under /chain. */
export function watchedNodes(services: Pick<AppServices, 'config' | 'publicUrl'>): WatchedNode[] {
  if (services.config.chainNodes.length) return services.config.chainNodes;
  const url = services.config.chainUrl?.replace(/\/+$/, '') ?? `${services.publicUrl}/chain`;
  return [{ name: new URL(url).host, url }];
}

export function createExplorerRuntime(
  services: AppServices,
  options: { decoderPacks?: string[]; nodes?: WatchedNode[] },
): ExplorerRuntime {
  // The host's apps bring their packs; an explicit list (a standalone explorer) replaces them.
  const decoderPacks =
    options.decoderPacks ?? services.suite.apps.flatMap((app) => (app.decoderPack ? [app.decoderPack] : []));
  const runtime: ExplorerRuntime = {
    indexer: undefined,
    decoderPacks,
    nodes: new NodeWatcher(options.nodes ?? watchedNodes(services)),
    indexedHeight: async () => {
      if (runtime.indexer) return runtime.indexer.height;
      const rows = await services.database.query<{ height: number }>(
        sql`select height::int as height from appkit.indexer_cursors where name = ${EXPLORER_INDEXER}`,
      );
      return rows[0]?.height ?? 0;
    },
  };
  return runtime;
}
