import { initAppTRPC } from '@gongxin/app-kit';
import type { RegistryRuntime } from './runtime';

export const { router, publicProcedure, protectedProcedure, roleProcedure, createCallerFactory } =
  initAppTRPC<RegistryRuntime>();
