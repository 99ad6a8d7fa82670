import { initAppTRPC } from '@gongxin/app-kit';
import type { SolarRuntime } from './runtime';

export const { router, publicProcedure, protectedProcedure, roleProcedure, createCallerFactory } =
  initAppTRPC<SolarRuntime>();
