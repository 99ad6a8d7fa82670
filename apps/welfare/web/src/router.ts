// Hash routes, so every page works behind the suite's static serving. The public figures are the landing
// page for the public; a signed-in member of staff starts on their own work instead (see `landingFor`).
import { useAuth } from '@gongxin/ui';
import { createRouter, createWebHashHistory, type Router, type RouterHistory } from 'vue-router';

/**
 * Where a signed-in person holding these welfare roles starts: case workers and reviewers on the
 * workbench (applications, objections, grievances), the treasurer on the payment cycle, the auditor on
 * the alerts (预警) to resolve, the bureau on the workbench, which has the grievance queue.
 * null for anyone without a staff role: the public figures.
 */
export function landingFor(roles: readonly string[]): string | null {
  if (roles.includes('caseworker') || roles.includes('reviewer')) return '/workbench';
  if (roles.includes('treasurer')) return '/cycles';
  if (roles.includes('auditor')) return '/alerts';
  if (roles.includes('admin')) return '/workbench';
  return null;
}

export function createWelfareRouter(history: RouterHistory = createWebHashHistory()): Router {
  const router = createRouter({
    history,
    routes: [
      { path: '/', name: 'public', component: () => import('./views/public-view.vue') },
      { path: '/payments', name: 'payments', component: () => import('./views/payments-view.vue') },
      { path: '/workbench', name: 'workbench', component: () => import('./views/workbench-view.vue') },
      { path: '/cycles', name: 'cycles', component: () => import('./views/cycle-view.vue') },
      { path: '/alerts', name: 'alerts', component: () => import('./views/alerts-view.vue') },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  });
  // Only the page's first navigation (opening the app, or coming back from the sign-in, which returns to
  // the page it left) is sent to the person's own work, and only from the bare public page: a link to
  // another page (or to the public page with a query) opens that page, and the public tab stays one
  // click away for staff. The session is asked once here; the layout reuses the answer.
  let first = true;
  router.beforeEach(async (to) => {
    if (!first) return true;
    first = false;
    if (to.name !== 'public' || Object.keys(to.query).length > 0) return true;
    const me = await useAuth()
      .load()
      .catch(() => null);
    const roles = (me?.roles ?? []).filter((r) => r.app === 'welfare').map((r) => r.role);
    return landingFor(roles) ?? true;
  });
  return router;
}

export const router = createWelfareRouter();
