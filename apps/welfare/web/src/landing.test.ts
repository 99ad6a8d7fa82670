// Where the app opens: the public figures for the public; for a signed-in member of staff (also coming
// back from the sign-in, which returns to the page it left), their own work: the workbench for case
// workers and reviewers, the payment cycle for the treasurer, the alerts for the auditor. A link to a
// page opens that page, and the public figures stay one click away for staff.
import { appIdPlugin } from '@gongxin/ui';
import { createPinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from 'vue';
import type { Router } from 'vue-router';
import { createWelfareRouter, landingFor } from './router';

const session = (...roles: string[]) => ({
  did: 'did:gx:gx1someone',
  address: 'gx1someone',
  sessionId: 's1',
  roles: roles.map((r) => {
    const [app, role] = r.includes('/') ? r.split('/') : ['welfare', r];
    return { app: app!, role: role! };
  }),
});

/** Serves /welfare/auth/me with `me` (null: nobody signed in, a 401); records the paths asked. */
function serveSession(me: ReturnType<typeof session> | null, status = me ? 200 : 401) {
  const asked: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const path = new URL(String(input), 'http://suite.test').pathname;
      asked.push(path);
      if (path !== '/welfare/auth/me') return new Response('{}', { status: 404 });
      return new Response(JSON.stringify(me ?? { error: 'unauthenticated' }), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  return asked;
}

/** Opens the app at `/welfare/<hash>` as a fresh page load; answers the router once it has landed. */
async function open(hash: string): Promise<Router> {
  window.history.replaceState(null, '', `/welfare/${hash}`);
  const router = createWelfareRouter();
  const app = createApp({ render: () => null });
  app.use(appIdPlugin('welfare')).use(createPinia()).use(router);
  app.mount(document.createElement('div'));
  await router.isReady();
  return router;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the landing page', () => {
  it.each([
    ['caseworker', '/workbench'],
    ['reviewer', '/workbench'],
    ['treasurer', '/cycles'],
    ['auditor', '/alerts'],
  ])('is their own work for a signed-in %s, not the public figures', async (role, page) => {
    const asked = serveSession(session(role));
    const router = await open('#/');
    expect(router.currentRoute.value.path).toBe(page);
    expect(asked).toEqual(['/welfare/auth/me']);
  });

  it('is the public figures for a visitor, for a citizen without a staff role, and when the session is not known', async () => {
    serveSession(null);
    expect((await open('#/')).currentRoute.value.name).toBe('public');
    serveSession(session('food/inspector'));
    expect((await open('')).currentRoute.value.name).toBe('public');
    serveSession(session('caseworker'), 503);
    expect((await open('#/')).currentRoute.value.name).toBe('public');
  });

  it('leaves a link to a page alone, and keeps the public figures one click away for staff', async () => {
    serveSession(session('caseworker'));
    expect((await open('#/payments')).currentRoute.value.path).toBe('/payments');
    serveSession(session('treasurer'));
    expect((await open('#/workbench')).currentRoute.value.path).toBe('/workbench');
    expect((await open('#/?area=530702')).currentRoute.value.name).toBe('public');

    const router = await open('#/');
    expect(router.currentRoute.value.path).toBe('/cycles');
    await router.push('/');
    expect(router.currentRoute.value.name).toBe('public');
  });

  it('puts a person of several roles on the work they are most likely to do first', () => {
    expect(landingFor(['treasurer', 'caseworker'])).toBe('/workbench');
    expect(landingFor(['treasurer', 'auditor'])).toBe('/cycles');
    expect(landingFor(['admin'])).toBe('/workbench');
    expect(landingFor(['auditor', 'admin'])).toBe('/alerts');
    expect(landingFor(['auditor', 'caseworker'])).toBe('/workbench');
    expect(landingFor([])).toBeNull();
  });
});
