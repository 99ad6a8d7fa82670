// What the portal's web side may import: types only.
export type { SuiteApp } from './app-registry';
export type { AppRouter } from './router';
