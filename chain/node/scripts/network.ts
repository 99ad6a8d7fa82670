// `npm run network`: four validators on loopback, each its own process and database (PGlite in
// .data/network/node<i>, or databases gongxin_node<i> on the server DATABASE_URL points at).
import path from 'node:path';
import { Cluster } from '../src/cluster';

const home = path.resolve(process.env.NETWORK_HOME ?? '.data/network');
const cluster = new Cluster({
  home,
  validators: Number(process.env.VALIDATORS ?? 4),
  basePort: Number(process.env.BASE_PORT ?? 26600),
  databaseUrl: process.env.DATABASE_URL || undefined,
  onOutput: (name, line) => process.stdout.write(`${name} | ${line}\n`),
});
await cluster.prepare();
await cluster.startAll();
process.stdout.write(`\n  ${cluster.nodes.length} validators running (chain data in ${home}):\n`);
for (const n of cluster.nodes) process.stdout.write(`    ${n.name}  API ${n.apiUrl}/v1/chain\n`);
process.stdout.write('  Ctrl-C stops them.\n\n');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    await cluster.stopAll();
    process.exit(0);
  });
}
