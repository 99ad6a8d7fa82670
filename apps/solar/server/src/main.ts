import { runStandalone } from '@gongxin/app-kit';
import { solarApp } from './app';

const app = await runStandalone(solarApp);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
