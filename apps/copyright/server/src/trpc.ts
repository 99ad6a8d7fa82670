import { initAppTRPC } from '@gongxin/app-kit';

export const { router, publicProcedure, protectedProcedure, roleProcedure, createCallerFactory } =
  initAppTRPC();
