// The welfare (最低生活保障) app as a suite app: what the portal mounts at /welfare (tRPC at
// /welfare/api/trpc, the web at /welfare/), its demo staff, citizens and county fund at genesis, and the
// demo households.
import { fileURLToPath } from 'node:url';
import { defineSuiteApp } from '@gongxin/app-kit';
import { appMigrations } from '@gongxin/db';
import { demoAccounts } from '@gongxin/passport-server';
import { seedPaidMonth, seedWelfareDemo } from './demo';
import { welfareIndexer } from './indexer';
import { demoCaseload, demoCitizens, demoPeople, welfareGenesis } from './people';
import { welfareRoutes } from './rest';
import { appRouter } from './router';
import { WelfareRuntime } from './runtime';

export const welfareMigrations = appMigrations('welfare', new URL('../drizzle', import.meta.url));
const webDist = new URL('../../web/dist', import.meta.url);

export interface WelfareAppOptions {
  /** Seed the demo households at start-up when the deployment is a demo. Default true. */
  seedDemo?: boolean;
}

export function createWelfareApp(options: WelfareAppOptions = {}) {
  return defineSuiteApp({
    id: 'welfare',
    manifest: {
      title: { 'zh-CN': '最低生活保障', en: 'Minimum living allowance' },
      summary: {
        'zh-CN': '低保申请、入户调查、公示与审批，按月批量发放上链，资金流向公开可查',
        en: 'Allowance applications, investigation, public notice and approval; monthly batches paid on chain, open to public audit',
      },
      audience: 'government',
      roles: [
        { id: 'caseworker', label: { 'zh-CN': '街道/乡镇经办人', en: 'Case worker' } },
        { id: 'reviewer', label: { 'zh-CN': '区县审核审批', en: 'County reviewer (approver)' } },
        { id: 'treasurer', label: { 'zh-CN': '财政/资金发放', en: 'Finance (disbursement)' } },
        { id: 'auditor', label: { 'zh-CN': '审计监督', en: 'Auditor' } },
        { id: 'admin', label: { 'zh-CN': '民政局管理员', en: 'Civil affairs administrator' } },
      ],
    },
    router: appRouter,
    migrations: welfareMigrations,
    setup: (services) => new WelfareRuntime(services),
    indexer: welfareIndexer,
    webDist,
    routes: (router) => welfareRoutes(router, { webDist: fileURLToPath(webDist) }),
    explorerDecoders: 'explorer-decoders.js',
    // The bureau, case worker, reviewer, finance office, auditor and citizens with passports, the staff's
    // welfare roles, the county fund and the area with its standard, on a new demo chain.
    // The passport demo's welfare treasurer holds part of the fund, so the demo's cycles can be paid
    // by signing in with it.
    // With the suite secret known, passport demo citizens and 木老山 are on the rolls from the area's
    // first month, the month before genesis (paid and closed by the seed).
    genesis: ({ config, suite }) => {
      if (!config.demo) return {};
      const passport = demoAccounts(suite);
      return welfareGenesis(
        demoPeople(suite),
        passport
          .filter((a) => a.roles.some((r) => r.app === 'welfare' && r.role === 'treasurer'))
          .map((a) => a.address),
        config.suiteSecret
          ? demoCaseload(config.suiteSecret, [...passport, ...demoCitizens(demoPeople(suite))])
          : [],
      );
    },
    seed: async (services) => {
      if (options.seedDemo === false) return;
      // The paid month and the households are independent: one failing leaves the other to be seeded.
      await seedPaidMonth(services).catch((error) =>
        services.logger.error({ err: error }, 'the welfare demo month could not be paid and closed'),
      );
      await seedWelfareDemo(services);
    },
  });
}

export const welfareApp = createWelfareApp();
