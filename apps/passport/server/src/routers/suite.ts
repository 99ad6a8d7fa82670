// The suite's apps as the host mounts them, with the roles each defines: what an officer may grant.
import { publicProcedure, router } from '../trpc';

export const suiteRouter = router({
  /** Every mounted app (id, title) and its roles (`<app>:<role>` on chain) with their labels. */
  apps: publicProcedure.query(({ ctx }) =>
    ctx.services.suite.apps.map((app) => ({
      id: app.id,
      title: app.title,
      roles: app.roles.map((role) => ({ id: role.id, label: role.label })),
    })),
  ),
});
