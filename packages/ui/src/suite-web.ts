// A suite front end in one call: the Vue app with the suite's i18n (shared strings plus the app's own),
// pinia (the keyring and sessions need it), the app's router, and its app id provided to everything below
// (useAuth(), useAppSigner()). `main.ts` of an app is this call and a mount.
import { createPinia } from 'pinia';
import { type Component, createApp, type Plugin } from 'vue';
import { appIdPlugin } from './app-id';
import { createSuiteI18n } from './i18n';

type Messages = Record<string, unknown>;

export interface SuiteWebOptions {
  /** The app id: its URL path under the suite and its OIDC client id. */
  id: string;
  /** The root component (it renders <SuiteLayout>). */
  root: Component;
  messages: { 'zh-CN': Messages; en: Messages };
  /** The app's vue-router. */
  router?: Plugin;
  /** Default true; a page without keyring or sessions (the portal's landing page) may leave it out. */
  pinia?: boolean;
}

export function createSuiteWeb(opts: SuiteWebOptions) {
  const i18n = createSuiteI18n(opts.messages);
  const app = createApp(opts.root).use(appIdPlugin(opts.id)).use(i18n);
  if (opts.pinia !== false) app.use(createPinia());
  if (opts.router) app.use(opts.router);
  return { app, i18n, mount: (selector = '#app') => app.mount(selector) };
}
