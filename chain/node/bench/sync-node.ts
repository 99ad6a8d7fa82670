// One node process of the sync benchmark (see sync.bench.ts), configured by SYNC_NODE (JSON):
//   role 'validator': validator `index` on its database, serving its snapshot (taken at start, signed)
//   role 'follower':  a full node on its database (behind the others), catching up by block sync
//   role 'joiner':    a full node on an empty database that joins by state sync, verifies `proof` (an
//                     old record's proof bundle, hex) against the headers it kept, then follows
// It reports on stdout, one JSON object a line: ready, synced (joiner), proof (joiner), head (every 200 ms).
import { openDatabase } from '@gongxin/db';
import { fromHex, genesisHash, toHex } from '@gongxin/ledger';
import { ChainNode } from '../src/node';
import { PeerNetwork } from '../src/p2p/network';
import { ChainStore } from '../src/storage/store';
import { joinByStateSync } from '../src/sync/join';
import { verifyProofWithStore } from '../src/sync/proofs';
import { Snapshotter, syncServer } from '../src/sync/server';
import { chainId, contracts, followerKeys, genesis, suite, validators } from './sync-chain';

interface Config {
  role: 'validator' | 'follower' | 'joiner';
  index: number;
  databaseUrl: string;
  port: number;
  peers: { url: string; key: string }[];
  proof?: string;
}

const config = JSON.parse(process.env.SYNC_NODE ?? '{}') as Config;
const say = (event: string, data: object = {}) =>
  console.log(JSON.stringify({ event, at: Date.now(), ...data }));
const logger = {
  info() {},
  debug() {},
  warn: (o: object, m?: string) => process.env.SYNC_DEBUG && console.error(JSON.stringify({ m, ...o })),
  error: (o: object, m?: string) => console.error(JSON.stringify({ level: 'error', m, ...o })),
};

async function main() {
  const account =
    config.role === 'validator' ? validators[config.index]!.account : followerKeys[config.index]!;
  const signer = { key: account.publicKey, sign: (b: Uint8Array) => suite.sign(b, account.privateKey) };
  const database = await openDatabase({ url: config.databaseUrl, max: 4 });
  const snapshots = new Snapshotter({
    suite,
    chainId,
    signer: config.role === 'validator' ? signer : null,
    logger,
  });
  const network = new PeerNetwork({
    suite,
    chainId,
    genesisHash: genesisHash(suite, genesis),
    signer,
    listen: { host: '127.0.0.1', port: config.port },
    peers: config.peers,
    admitted: [...validators.map((v) => v.validator.key), ...followerKeys.map((k) => k.publicKey)],
    logger,
    sync: syncServer(new ChainStore(database), snapshots),
  });
  await network.start();
  const startedAt = performance.now();
  if (config.role === 'joiner') {
    const result = await joinByStateSync({
      network,
      database,
      genesis,
      suite,
      contracts,
      logger,
      minPeers: config.peers.length,
      certificates: process.env.SYNC_CERTIFICATES === 'changes' ? 'changes' : 'all',
    });
    say('synced', { result, ms: Math.round(performance.now() - startedAt) });
    if (config.proof) {
      const t = performance.now();
      const verdict = await verifyProofWithStore(
        new ChainStore(database),
        suite,
        chainId,
        fromHex(config.proof),
      );
      say('proof', {
        ok: verdict.ok,
        height: verdict.ok ? verdict.height : null,
        failed: verdict.ok ? null : verdict.failed,
        ms: Math.round(performance.now() - t),
      });
    }
  }
  const node = new ChainNode({
    database,
    genesis,
    suite,
    contracts,
    signer: config.role === 'validator' ? signer : null,
    network,
    logger,
    onState: config.role === 'joiner' ? undefined : (head, state) => snapshots.observe(head, state),
  });
  network.attach(node);
  await node.start();
  say('ready', {
    height: node.head.height,
    hash: toHex(node.head.blockHash),
    ms: Math.round(performance.now() - startedAt),
  });
  const timer = setInterval(() => say('head', { height: node.head.height }), 200);
  const stop = async () => {
    clearInterval(timer);
    await network.stop();
    await node.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(JSON.stringify({ level: 'fatal', err: String(error?.stack ?? error) }));
  process.exit(1);
});
