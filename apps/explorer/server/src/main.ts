// The explorer on its own: `CHAIN_URL=http://127.0.0.1:8080/chain SUITE_SECRET=… tsx src/main.ts`.
// GENESIS_FILE names the chain's genesis document (optional; see src/genesis.ts).
import { runStandalone } from '@gongxin/app-kit';
import { createExplorerApp } from './app';
import { genesisFromFile } from './genesis';

const file = process.env.GENESIS_FILE;
const app = await runStandalone(createExplorerApp(file ? { genesis: genesisFromFile(file) } : {}));
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
