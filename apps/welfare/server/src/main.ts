import { runStandalone } from '@gongxin/app-kit';
import { welfareApp } from './app';

const app = await runStandalone(welfareApp);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
