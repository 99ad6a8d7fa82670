import { initAppTRPC } from '@gongxin/app-kit';
import type { CopyrightRuntime } from './runtime';

export const { router, publicProcedure, protectedProcedure, roleProcedure, createCallerFactory } =
  initAppTRPC<CopyrightRuntime>();
