// What a mounted explorer runs besides its routes: its indexer, and the decoder packs it was given. Kept per `services` object (the one the
// host passed to mountApp, which is also every request's ctx.services), so procedures, the live stream
// and tests find the indexer of their own mount even when one process mounts the explorer twice.
import type { AppServices, Indexer } from '@gongxin/app-kit';

export interface ExplorerRuntime {
  indexer: Indexer;
  /** URLs of the decoder packs the web loads (see ExplorerOptions.decoderPacks). */
  decoderPacks: string[];
}

const runtimes = new WeakMap<AppServices, ExplorerRuntime>();

export function setExplorerRuntime(services: AppServices, runtime: ExplorerRuntime | null): void {
  if (runtime) runtimes.set(services, runtime);
  else runtimes.delete(services);
}

/** The running explorer of this mount, or undefined before start-up finished (or after close). */
export function explorerRuntimeOf(services: AppServices): ExplorerRuntime | undefined {
  return runtimes.get(services);
}
