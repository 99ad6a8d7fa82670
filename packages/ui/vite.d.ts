// Types of vite.js (plain JavaScript, so that Vite and Vitest can load it from a config file unbundled).
import type { BuildOptions, Plugin, UserConfig } from 'vite';
import type { ViteUserConfig } from 'vitest/config';

export interface SuitePageHead {
  title: string;
  description: string;
  /** The browser chrome's colour and the icon's background. Default: the suite's red. */
  color?: string;
  /** One character on the icon. */
  glyph: string;
}

export interface SuiteViteOptions {
  /** The app id: the page is served at `/<id>/`. */
  id: string;
  head: SuitePageHead;
  /** Default `/<id>/`. */
  base?: string;
  /** Paths the dev server forwards to the suite. Default: the app's api and auth, passport, the chain. */
  proxy?: string[];
  /** Added to the default paths. */
  extraProxy?: string[];
  /** Merged over the shared build settings. */
  build?: BuildOptions;
}

/** Every app's index.html is the same few lines; the head that differs is written from `head`. */
export function suitePageHead(head: SuitePageHead): Plugin;
export function suiteViteConfig(opts: SuiteViteOptions): UserConfig;
/** Component tests in happy-dom with generous timeouts. */
export function suiteVitestConfig(): ViteUserConfig;
