// The food app on its own: CHAIN_URL (the node API) and SUITE_SECRET (shared with passport) are required;
// see docs/app-kit.md, "Running one app on its own".
import { runStandalone } from '@gongxin/app-kit';
import { foodApp } from './app';

const app = await runStandalone(foodApp);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
