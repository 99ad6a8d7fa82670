// The fleet test's embedded broker process: the platform's aedes broker on FLEET_PORT, so the test can
// stop and start it. Prints {"ready":true} once listening; SIGTERM closes it.
import { startEmbeddedBroker } from '@gongxin/mqtt';

const silent = { debug() {}, info() {}, warn() {}, error: console.error };
const broker = await startEmbeddedBroker({ port: Number(process.env.FLEET_PORT), logger: silent });
console.log(JSON.stringify({ ready: true, url: broker.url }));
process.on('SIGTERM', () => {
  void broker.close().then(() => process.exit(0));
});
