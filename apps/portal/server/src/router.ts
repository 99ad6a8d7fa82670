import { type Audience, type LocalizedText, roleInWords, type SuiteAppInfo } from '@gongxin/app-kit';
import { DEMO_PASSWORD, demoAccounts } from '@gongxin/passport-server';
import { z } from 'zod';
import { plannedApps } from './planned-apps';
import { publicProcedure, router } from './trpc';

/** An app as the landing page shows it: mounted (`live`, linked) or still to come (`planned`). */
export interface LandingApp {
  id: string;
  /** Where the app is served within the suite, e.g. `/passport/`. */
  path: string;
  title: LocalizedText;
  summary: LocalizedText;
  status: 'planned' | 'live';
  /** Audience the app is for, shown as a tag. */
  audience: Audience;
}

function landingApps(mounted: readonly SuiteAppInfo[]): LandingApp[] {
  const live = mounted.map(
    (app): LandingApp => ({
      id: app.id,
      path: app.path,
      title: app.title,
      summary: app.summary,
      status: 'live',
      audience: app.audience,
    }),
  );
  const planned = plannedApps
    .filter((app) => !mounted.some((m) => m.id === app.id))
    .map((app): LandingApp => ({ ...app, path: `/${app.id}/`, status: 'planned' }));
  return [...live, ...planned];
}

export const appRouter = router({
  suite: router({
    /** Everything the portal page shows: the apps, the services the suite runs on, the chain's status. */
    overview: publicProcedure.query(async ({ ctx }) => ({
      apps: landingApps(ctx.apps),
      demo: ctx.demo,
      // Demo mode only: who a newcomer can sign in as right away (keys are public test keys).
      demoAccounts: ctx.demo
        ? {
            password: DEMO_PASSWORD,
            accounts: demoAccounts().map((a) => ({
              id: a.id,
              label: a.label,
              address: a.address,
              roles: a.roles.map((r) => roleInWords(ctx.apps, r)),
              verified: a.verified,
            })),
          }
        : null,
      services: ctx.services,
      startedAt: ctx.startedAt.toISOString(),
      chain: await ctx.chainStatus(),
    })),
    app: publicProcedure.input(z.object({ id: z.string().min(1).max(40) })).query(({ ctx, input }) => {
      return landingApps(ctx.apps).find((app) => app.id === input.id) ?? null;
    }),
  }),
});

export type AppRouter = typeof appRouter;
