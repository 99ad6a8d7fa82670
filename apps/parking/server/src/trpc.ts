import { initAppTRPC } from '@gongxin/app-kit';
import type { ParkingRuntime } from './runtime';

export const { router, publicProcedure, protectedProcedure, roleProcedure, createCallerFactory } =
  initAppTRPC<ParkingRuntime>();
