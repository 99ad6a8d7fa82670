// The wallet's one tRPC instance: app-kit's context (session user, services, the mount's runtime as
// `ctx.app`), guards and error shape.
import { initAppTRPC } from '@gongxin/app-kit';
import type { WalletRuntime } from './runtime';

export const { router, publicProcedure, protectedProcedure, createCallerFactory } =
  initAppTRPC<WalletRuntime>();
