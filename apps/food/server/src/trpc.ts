// The food app's one tRPC instance: app-kit's context (session user, services, the mount's FoodRuntime as
// `ctx.app`), guards and error shape.
import { initAppTRPC } from '@gongxin/app-kit';
import type { FoodRuntime } from './runtime';

export const { router, publicProcedure, protectedProcedure, roleProcedure, createCallerFactory } =
  initAppTRPC<FoodRuntime>();
