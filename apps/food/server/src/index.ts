// @gongxin/food-server: food traceability (食品链) on GS1 EPCIS 2.0 — capture, trace, recalls, alerts,
// Digital Link QR codes and the consumer page.
export { createApiKey } from './api-keys';
export { createFoodApp, type FoodAppOptions, foodApp, foodMigrations } from './app';
export { CaptureError, prepareCapture } from './capture';
export { consumerLocale, consumerView, renderConsumerError, renderConsumerPage } from './consumer';
export { csvToDocument } from './csv';
export { demoApiKey, seedFoodDemo } from './demo';
export { demoChains } from './demo-chains';
export { foodHandlers, foodIndexer, resetFoodReadModels } from './indexer';
export { DEMO_ORGS, type DemoOrg, demoOrgAccounts, foodGenesis, type OrgAccount } from './orgs';
export { type AppRouter, appRouter } from './router';
export { type CaptureReport, FoodRuntime } from './runtime';
export { createCallerFactory } from './trpc';
