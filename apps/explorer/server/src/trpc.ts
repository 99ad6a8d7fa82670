// The explorer's one tRPC instance. Everything it serves is public chain data: publicProcedure only.
import { initAppTRPC } from '@gongxin/app-kit';

export const { router, publicProcedure, createCallerFactory } = initAppTRPC();
