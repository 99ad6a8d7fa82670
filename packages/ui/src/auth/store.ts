// The app's session as the browser sees it (see docs/apps.md, "Sessions"): the server holds the session in
// an httpOnly cookie, so the page only asks `/<app>/auth/me` who is logged in, sends people to
// `/<app>/auth/login` to log in through passport, and POSTs `/<app>/auth/logout`. One store per app id.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { checkAppId, useAppId } from '../app-id';

export interface SessionRole {
  app: string;
  role: string;
}

export interface SessionUser {
  did: string;
  address: string;
  roles: SessionRole[];
  name?: string;
  sessionId: string;
}

export class AuthError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

function defineAuthStore(appId: string) {
  return defineStore(`gongxin-auth-${appId}`, () => {
    const me = ref<SessionUser | null>(null);
    const loaded = ref(false);
    const loading = ref(false);
    const error = ref<Error | null>(null);
    // A failed sign-in comes back as /<app>/?login_error=<code> (expired, access_denied, …).
    const loginError = ref<string | null>(
      new URLSearchParams(globalThis.location?.search ?? '').get('login_error'),
    );
    let inFlight: Promise<SessionUser | null> | null = null;

    /** Ask the server who is logged in (401 → nobody). Concurrent calls share one request. */
    function refresh(): Promise<SessionUser | null> {
      inFlight ??= (async () => {
        loading.value = true;
        try {
          const res = await fetch(`/${appId}/auth/me`, {
            credentials: 'same-origin',
            headers: { accept: 'application/json' },
          });
          if (res.status === 401) me.value = null;
          else if (!res.ok) throw new AuthError(res.status, `/${appId}/auth/me answered ${res.status}`);
          else me.value = (await res.json()) as SessionUser;
          error.value = null;
          loaded.value = true;
          return me.value;
        } catch (e) {
          error.value = e as Error;
          throw e;
        } finally {
          loading.value = false;
          inFlight = null;
        }
      })();
      return inFlight;
    }

    /** The session, fetched once; later calls answer from memory. */
    function load(): Promise<SessionUser | null> {
      return loaded.value ? Promise.resolve(me.value) : refresh();
    }

    /** Go through passport and come back to `returnTo` (default: this page). */
    function login(returnTo?: string): void {
      loginError.value = null;
      const back = returnTo ?? `${location.pathname}${location.search}${location.hash}`;
      location.assign(`/${appId}/auth/login?returnTo=${encodeURIComponent(back)}`);
    }

    /**
     * End the session. The app answers `{ redirect }` (passport's end-session URL, to end the passport
     * session too, see docs/app-kit.md); the browser follows it.
     */
    async function logout(): Promise<void> {
      // A JSON body makes a cross-site form unable to forge this request without a CORS preflight.
      const res = await fetch(`/${appId}/auth/logout`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: '{}',
      });
      if (!res.ok && res.status !== 401)
        throw new AuthError(res.status, `/${appId}/auth/logout answered ${res.status}`);
      me.value = null;
      loaded.value = true;
      const answer = (await res.json().catch(() => null)) as { redirect?: unknown } | null;
      if (typeof answer?.redirect === 'string' && /^(https?:\/\/|\/(?!\/))/.test(answer.redirect))
        location.assign(answer.redirect);
    }

    function hasRole(app: string, role: string): boolean {
      return me.value?.roles.some((r) => r.app === app && r.role === role) ?? false;
    }

    const loggedIn = computed(() => me.value !== null);

    return {
      appId: computed(() => appId),
      me,
      loaded,
      loading,
      error,
      loginError,
      loggedIn,
      refresh,
      load,
      login,
      logout,
      hasRole,
    };
  });
}

const definitions = new Map<string, ReturnType<typeof defineAuthStore>>();

/**
 * The session store of app `appId` (its URL path and OIDC client id, e.g. 'welfare'); by default the app
 * this front end is (see createSuiteWeb).
 */
export function useAuth(appId?: string) {
  appId = checkAppId(appId ?? useAppId());
  let definition = definitions.get(appId);
  if (!definition) {
    definition = defineAuthStore(appId);
    definitions.set(appId, definition);
  }
  return definition();
}

export type AuthStore = ReturnType<typeof useAuth>;
