import { DEMO_PASSWORD, demoAccounts } from '@gongxin/passport-server';
import { z } from 'zod';
import { suiteApps } from './app-registry';
import { publicProcedure, router } from './trpc';

export const appRouter = router({
  suite: router({
    /** Everything the portal page shows: the apps, the services the suite runs on, the chain's status. */
    overview: publicProcedure.query(({ ctx }) => ({
      apps: suiteApps.map((app) => (ctx.live.has(app.id) ? { ...app, status: 'live' as const } : app)),
      demo: ctx.demo,
      // Demo mode only: who a newcomer can sign in as right away (keys are public test keys).
      demoAccounts: ctx.demo
        ? {
            password: DEMO_PASSWORD,
            accounts: demoAccounts().map((a) => ({
              id: a.id,
              label: a.label,
              address: a.address,
              roles: a.roles.map((r) => `${r.app}:${r.role}`),
              verified: a.verified,
            })),
          }
        : null,
      services: ctx.services,
      startedAt: ctx.startedAt.toISOString(),
      chain: {
        chainId: ctx.chain.chainId,
        height: ctx.chain.head.height,
        blockHash: Buffer.from(ctx.chain.head.blockHash).toString('hex'),
        time: ctx.chain.head.time,
        validators: ctx.chain.validators.length,
        mempool: ctx.chain.stats.mempoolSize,
      } as null | {
        chainId: string;
        height: number;
        blockHash: string;
        time: number;
        validators: number;
        mempool: number;
      },
    })),
    app: publicProcedure.input(z.object({ id: z.string().min(1).max(40) })).query(({ input }) => {
      return suiteApps.find((app) => app.id === input.id) ?? null;
    }),
  }),
});

export type AppRouter = typeof appRouter;
