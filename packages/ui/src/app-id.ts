// Which app a front end is: said once, where the app is created (createSuiteWeb), and found by whatever
// needs it (the session store, the signer) instead of being repeated as a literal in every view.
import { type App, type InjectionKey, inject } from 'vue';

export const APP_ID_KEY: InjectionKey<string> = Symbol('gongxin-app-id');

const APP_ID = /^[a-z][a-z0-9-]{0,31}$/;

// A page runs one app, so the id given at creation also serves code outside components (router guards).
let appIdOfPage: string | null = null;

export function checkAppId(id: string): string {
  if (!APP_ID.test(id)) throw new Error(`not an app id: "${id}"`);
  return id;
}

/** A Vue plugin that makes `id` the app id of everything mounted in the app (tests install it too). */
export function appIdPlugin(id: string) {
  checkAppId(id);
  return {
    install(app: App) {
      app.provide(APP_ID_KEY, id);
      appIdOfPage = id;
    },
  };
}

/** The app id of the calling component's app (or of the page, outside components). */
export function useAppId(): string {
  const provided = inject(APP_ID_KEY, null);
  const id = provided ?? appIdOfPage;
  if (!id)
    throw new Error('no app id: create the app with createSuiteWeb({ id, … }) or install appIdPlugin(id)');
  return id;
}

/** The app id of the page, outside components (the deployment clock's reader); null before one is set. */
export function pageAppId(): string | null {
  return appIdOfPage;
}
