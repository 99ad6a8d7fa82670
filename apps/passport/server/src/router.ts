// Passport's tRPC API, mounted by app-kit at /passport/api/trpc.
import { clientsRouter, demoRouter, keysRouter, loginRouter } from './routers/oidc';
import { profileRouter } from './routers/profile';
import { registrationRouter } from './routers/registration';
import { reviewRouter, rolesRouter } from './routers/review';
import { suiteRouter } from './routers/suite';
import { router } from './trpc';

export const appRouter = router({
  registration: registrationRouter,
  login: loginRouter,
  review: reviewRouter,
  roles: rolesRouter,
  profile: profileRouter,
  clients: clientsRouter,
  keys: keysRouter,
  demo: demoRouter,
  suite: suiteRouter,
});

export type AppRouter = typeof appRouter;
