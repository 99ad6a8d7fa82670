import { runStandalone } from '@gongxin/app-kit';
import { parkingApp } from './app';

const app = await runStandalone(parkingApp);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
