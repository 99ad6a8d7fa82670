// What the portal's web side may import: types only.
export type { AppRouter, LandingApp, LandingApp as SuiteApp } from './router';
