// The apps this suite mounts, in one list: the portal page marks these live and links them; everything
// else in the app registry is shown as coming. Adding an app to the suite is adding it here.
import type { AppDefinition } from '@gongxin/app-kit';
import type { Config } from '@gongxin/config';
import { createExplorerApp } from '@gongxin/explorer-server';
import { foodApp, foodGenesis } from '@gongxin/food-server';
import type { Value } from '@gongxin/ledger';
import { demoAccounts, passportApp, passportGenesis } from '@gongxin/passport-server';
import { walletApp } from '@gongxin/wallet-server';

export interface SuiteAppModule {
  app: AppDefinition;
  /** Genesis sections the app needs on a new embedded chain (demo identities, roles…), by contract. */
  genesis?: (config: Config) => Record<string, Value>;
}

export const mountedApps: SuiteAppModule[] = [
  {
    app: passportApp,
    // Demo identities (an identity authority, officers, citizens, enterprises) exist from block 0 on a new
    // demo chain; in production the chain starts with the founding authorities only.
    genesis: (config) =>
      config.demo
        ? (passportGenesis(demoAccounts(), { dataDir: config.dataDir }) as unknown as Record<string, Value>)
        : {},
  },
  { app: walletApp },
  // The explorer reads the food contract's records in words through the food app's decoder pack.
  { app: createExplorerApp({ decoderPacks: ['/food/explorer-decoders.js'] }) },
  {
    app: foodApp,
    // The demo supply chains' organisations (farms, processors, logistics, inspection, retail, the
    // regulator) and the food monitor, with their food roles, on a new demo chain.
    genesis: (config) => (config.demo ? foodGenesis() : {}),
  },
];
