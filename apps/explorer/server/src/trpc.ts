// The explorer's one tRPC instance. Everything it serves is public chain data: publicProcedure only.
// `ctx.app` is the mount's runtime (its indexer, the decoder packs).
import { initAppTRPC } from '@gongxin/app-kit';
import type { ExplorerRuntime } from './runtime';

export const { router, publicProcedure, createCallerFactory } = initAppTRPC<ExplorerRuntime>();
