import { runStandalone } from '@gongxin/app-kit';
import { copyrightApp } from './app';

const app = await runStandalone(copyrightApp);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
