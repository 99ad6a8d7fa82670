// The food app's one tRPC instance: app-kit's context (session user, services), guards and error shape.
import { initAppTRPC } from '@gongxin/app-kit';

export const { router, publicProcedure, protectedProcedure, roleProcedure, createCallerFactory } =
  initAppTRPC();
