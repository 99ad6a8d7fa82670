import { initAppTRPC } from '@gongxin/app-kit';
import type { WelfareRuntime } from './runtime';

export const { router, publicProcedure, protectedProcedure, roleProcedure, createCallerFactory } =
  initAppTRPC<WelfareRuntime>();
