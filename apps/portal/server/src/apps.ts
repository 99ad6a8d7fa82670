// The suite's apps: the one list. Each is the app's own module (defineSuiteApp), which says everything
// the suite needs — its manifest and roles, genesis contributions, decoder pack — so adding an app is one
// import here (and the dependency in package.json).
import type { AnySuiteApp } from '@gongxin/app-kit';
import { copyrightApp } from '@gongxin/copyright-server';
import { explorerApp } from '@gongxin/explorer-server';
import { foodApp } from '@gongxin/food-server';
import { parkingApp } from '@gongxin/parking-server';
import { passportApp } from '@gongxin/passport-server';
import { registryApp } from '@gongxin/registry-server';
import { solarApp } from '@gongxin/solar-server';
import { walletApp } from '@gongxin/wallet-server';
import { welfareApp } from '@gongxin/welfare-server';

export const suiteApps: readonly AnySuiteApp[] = [
  passportApp,
  walletApp,
  explorerApp,
  foodApp,
  copyrightApp,
  registryApp,
  solarApp,
  welfareApp,
  parkingApp,
];
