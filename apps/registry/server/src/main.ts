import { runStandalone } from '@gongxin/app-kit';
import { registryApp } from './app';

const app = await runStandalone(registryApp);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
