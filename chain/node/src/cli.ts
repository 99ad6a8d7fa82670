// `gongxin`: the node operator's command line.
//   gongxin init        keys and a genesis for a new network (one folder per node)
//   gongxin node start  run a node from its folder
//   gongxin verify      re-check a node's stored chain from genesis; names the first broken link
//   gongxin checkpoint  write the validators' signed latest block, to check another copy's tip against
//   gongxin export      write the chain's blocks and certificates to a file
//   gongxin import      verify and apply an export into a node's database
//   gongxin receipt     verify a proof-of-existence receipt against a file, offline
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createSuiteRegistry, withChinaCalendars, withNewChainActivations } from '@gongxin/contracts';
import { fromHex, SUITE_IDS, type SuiteId, toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { checkExport, exportChain, readExport } from './export';
import { genesisToJson, parseGenesisJson } from './genesis';
import { consoleLogger, openNodeDatabase, readGenesis, readNodeConfig } from './home';
import { loadOrCreateNodeKey } from './keys';
import { ChainNode } from './node';
import type { NodeConfig } from './node-config';
import { receiptCommand } from './receipt-command';
import { ChainStore } from './storage/store';
import { pruneBodies } from './sync/prune';
import { decodeCheckpoint, encodeCheckpoint, type TipSource, verifyChain } from './verify';

export { consoleLogger, openNodeDatabase, readGenesis, readNodeConfig } from './home';
export type { NodeConfig } from './node-config';

const usage = `gongxin <command> [options]

  init        --home DIR [--validators 1] [--chain-id gongxin-local] [--suite ed25519-sha256] [--host 127.0.0.1] [--base-port 26600]
  node start  --home NODE_DIR [--database-url postgres://…] [--state-sync]
              (--state-sync: a node with no blocks yet joins from its peers' signed snapshot)
  verify      --home NODE_DIR [--database-url postgres://…] [--checkpoint FILE] [--peer http://node-api]
              (the chain of \`npm start\`, with the suite stopped: verify --home .data/chain)
  checkpoint  --home NODE_DIR --out FILE [--database-url …]
  export      --home NODE_DIR --out FILE [--database-url …]
  import      --home NODE_DIR --in FILE [--database-url …]
  prune       --home NODE_DIR --below HEIGHT [--out ARCHIVE_FILE] [--database-url …]
              (drops the txs and events of blocks below HEIGHT, keeping headers and certificates;
              with --out, exports them there first)
  receipt     verify RECEIPT.json FILE [--trust genesis.json]   (offline, no node needed)
`;

export function init(opts: {
  home: string;
  validators: number;
  chainId: string;
  suite: SuiteId;
  host: string;
  basePort: number;
}) {
  const suite = getSuite(opts.suite);
  if (existsSync(path.join(opts.home, 'genesis.json')))
    throw new Error(`${opts.home} already holds a network; choose another --home`);
  mkdirSync(opts.home, { recursive: true });
  const nodes = Array.from({ length: opts.validators }, (_, i) => {
    const name = `node${i + 1}`;
    const dir = path.join(opts.home, name);
    const { key } = loadOrCreateNodeKey(suite, path.join(dir, 'validator-key.json'));
    return { name, dir, key, p2pPort: opts.basePort + i * 10, apiPort: opts.basePort + i * 10 + 1 };
  });
  const genesis = {
    chainId: opts.chainId,
    suite: opts.suite,
    time: Date.now(),
    validators: nodes.map((n) => ({
      key: n.key.publicKey,
      power: 10,
      name: n.name,
      operator: n.key.address,
    })),
    // The founding validators' operators are the first authorities (governance grants others later); the
    // published working-day calendars and the newest contract versions come with every new chain.
    contracts: withNewChainActivations(
      withChinaCalendars({
        governance: {
          authorities: nodes.map((n) => ({
            address: n.key.address,
            name: `${n.name} operator`,
            scopes: ['identity', 'assets'],
          })),
        },
      }),
    ),
  };
  const json = genesisToJson(genesis);
  writeFileSync(path.join(opts.home, 'genesis.json'), `${JSON.stringify(json, null, 2)}\n`);
  for (const n of nodes) {
    const config: NodeConfig = {
      name: n.name,
      genesis: '../genesis.json',
      p2p: { host: opts.host, port: n.p2pPort },
      api: { host: opts.host, port: n.apiPort },
      peers: nodes
        .filter((m) => m !== n)
        .map((m) => ({ url: `ws://${opts.host}:${m.p2pPort}`, key: toHex(m.key.publicKey) })),
    };
    writeFileSync(path.join(n.dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  }
  parseGenesisJson(json);
  return nodes.map((n) => ({
    name: n.name,
    dir: n.dir,
    address: n.key.address,
    p2p: n.p2pPort,
    api: n.apiPort,
  }));
}

/** A peer's tip over its HTTP API. */
function peerTip(url: string): TipSource {
  const base = url.replace(/\/+$/, '');
  const get = async (p: string) => {
    const res = await fetch(`${base}${p}`, { signal: AbortSignal.timeout(15_000) });
    if (!res.ok) throw new Error(`${base}${p} answered ${res.status}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  return {
    name: base,
    head: async () => Number(((await get('/v1/chain')).head as { height: number }).height),
    hashAt: async (height) => fromHex(String((await get(`/v1/blocks/${height}`)).hash)),
  };
}

async function verifyCommand(
  home: string,
  databaseUrl?: string,
  checkpointFile?: string,
  peerUrl?: string,
): Promise<number> {
  const config = readNodeConfig(home);
  const genesis = readGenesis(home, config);
  const checkpoint = checkpointFile ? decodeCheckpoint(readFileSync(checkpointFile, 'utf8')) : undefined;
  const database = await openNodeDatabase(home, config, databaseUrl);
  try {
    const store = new ChainStore(database);
    const env = { suite: getSuite(genesis.suite), contracts: createSuiteRegistry() };
    const result = await verifyChain(store, env, genesis, {
      onProgress: (h) => {
        if (h % 1000 === 0) process.stderr.write(`  checked up to height ${h}\n`);
      },
      checkpoint,
      peer: peerUrl ? peerTip(peerUrl) : undefined,
    });
    const tip = checkpoint
      ? `, tip checked against the checkpoint at height ${checkpoint.height}`
      : peerUrl
        ? `, tip checked against ${peerUrl}`
        : ' (tip not checked: give --checkpoint or --peer)';
    if (result.ok) {
      console.log(
        `chain ${genesis.chainId} verified: ${result.checkedHeight} blocks, every hash, signature, Merkle root, certificate, stored column, state entry and validator set checks out${tip}`,
      );
      return 0;
    }
    console.log(
      `chain ${genesis.chainId} is BROKEN at height ${result.problem!.height ?? '?'}: ${result.problem!.what} (blocks 1–${result.checkedHeight} check out)`,
    );
    for (const p of result.more ?? []) console.log(`  also at height ${p.height ?? '?'}: ${p.what}`);
    return 2;
  } finally {
    await database.close();
  }
}

async function checkpointCommand(home: string, out: string, databaseUrl?: string): Promise<number> {
  const config = readNodeConfig(home);
  const genesis = readGenesis(home, config);
  const database = await openNodeDatabase(home, config, databaseUrl);
  try {
    const store = new ChainStore(database);
    const height = await store.headHeight();
    const stored = height > 0 ? await store.blockAt(height) : undefined;
    if (!stored) throw new Error('the chain has no block yet: nothing to checkpoint');
    writeFileSync(
      out,
      encodeCheckpoint({
        chainId: genesis.chainId,
        height,
        block: stored.block,
        certificate: stored.certificate,
      }),
    );
    console.log(`checkpoint of ${genesis.chainId} at height ${height} written to ${out}`);
    return 0;
  } finally {
    await database.close();
  }
}

async function importCommand(home: string, file: string, databaseUrl?: string): Promise<number> {
  const config = readNodeConfig(home);
  const genesis = readGenesis(home, config);
  const suite = getSuite(genesis.suite);
  const database = await openNodeDatabase(home, config, databaseUrl);
  const node = new ChainNode({
    database,
    genesis,
    suite,
    contracts: createSuiteRegistry(),
    signer: null,
    logger: consoleLogger,
  });
  try {
    // The whole file is read once before anything is applied: a cut or gapped export is refused whole.
    const checked = await checkExport(file);
    if (checked.chainId !== genesis.chainId)
      throw new Error(`the export is of chain ${checked.chainId}, this node is on ${genesis.chainId}`);
    console.log(`the export holds blocks ${checked.fromHeight}–${checked.toHeight} whole; importing`);
    await node.start();
    let applied = 0;
    for await (const item of readExport(file)) {
      if (!Array.isArray(item)) {
        if (item.chainId !== genesis.chainId)
          throw new Error(`the export is of chain ${item.chainId}, this node is on ${genesis.chainId}`);
        continue;
      }
      // Ten blocks at a time, each stored whole: an import stopped anywhere resumes where it stopped.
      const fresh = item.filter((b) => b.block.header.height > node.head.height);
      for (let i = 0; i < fresh.length; i += 10) {
        const before = node.head.height;
        const part = fresh.slice(i, i + 10);
        const n = await node.receiveCommitted(part);
        applied += n;
        if (n < part.length)
          throw new Error(
            `block ${before + n + 1} of the export does not verify; stopped after ${applied} blocks`,
          );
        console.log(`  imported up to height ${node.head.height}`);
      }
    }
    console.log(`imported ${applied} blocks; head is now height ${node.head.height}`);
    return 0;
  } finally {
    await node.stop();
    await database.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, sub] = argv;
  if (command === 'receipt') return receiptCommand(argv.slice(1));
  const { values } = parseArgs({
    args: argv.slice(command === 'node' ? 2 : 1),
    options: {
      home: { type: 'string' },
      validators: { type: 'string', default: '1' },
      'chain-id': { type: 'string', default: 'gongxin-local' },
      suite: { type: 'string', default: 'ed25519-sha256' },
      host: { type: 'string', default: '127.0.0.1' },
      'base-port': { type: 'string', default: '26600' },
      'database-url': { type: 'string' },
      out: { type: 'string' },
      in: { type: 'string' },
      checkpoint: { type: 'string' },
      peer: { type: 'string' },
      below: { type: 'string' },
      'state-sync': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const home = values.home ? path.resolve(values.home) : undefined;
  const need = <T>(value: T | undefined, flag: string): T => {
    if (value === undefined) throw new Error(`missing --${flag}\n\n${usage}`);
    return value;
  };
  switch (command === 'node' ? `node ${sub}` : command) {
    case 'init': {
      const validators = Number(values.validators);
      if (!Number.isInteger(validators) || validators < 1 || validators > 100)
        throw new Error('--validators must be 1–100');
      if (!(SUITE_IDS as readonly string[]).includes(values.suite!))
        throw new Error(`--suite must be one of ${SUITE_IDS.join(', ')}`);
      const nodes = init({
        home: need(home, 'home'),
        validators,
        chainId: values['chain-id']!,
        suite: values.suite as SuiteId,
        host: values.host!,
        basePort: Number(values['base-port']),
      });
      for (const n of nodes)
        console.log(`${n.name}: ${n.dir}  operator ${n.address}  p2p :${n.p2p}  api :${n.api}`);
      return 0;
    }
    case 'node start': {
      const { startNodeFromHome } = await import('./run');
      await startNodeFromHome(need(home, 'home'), values['database-url'], {
        stateSync: values['state-sync'],
      });
      return -1;
    }
    case 'verify':
      return verifyCommand(
        need(home, 'home'),
        values['database-url'],
        values.checkpoint ? path.resolve(values.checkpoint) : undefined,
        values.peer,
      );
    case 'checkpoint':
      return checkpointCommand(
        need(home, 'home'),
        path.resolve(need(values.out, 'out')),
        values['database-url'],
      );
    case 'export': {
      const nodeHome = need(home, 'home');
      const config = readNodeConfig(nodeHome);
      const genesis = readGenesis(nodeHome, config);
      const database = await openNodeDatabase(nodeHome, config, values['database-url']);
      try {
        const header = await exportChain(
          new ChainStore(database),
          genesis.chainId,
          path.resolve(need(values.out, 'out')),
        );
        console.log(
          `exported blocks ${header.fromHeight}–${header.toHeight} of ${genesis.chainId} to ${values.out}`,
        );
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'prune': {
      const nodeHome = need(home, 'home');
      const below = Number(need(values.below, 'below'));
      if (!Number.isSafeInteger(below) || below < 2) throw new Error('--below must be a height above 1');
      const config = readNodeConfig(nodeHome);
      const genesis = readGenesis(nodeHome, config);
      const database = await openNodeDatabase(nodeHome, config, values['database-url']);
      try {
        const result = await pruneBodies(new ChainStore(database), genesis.chainId, below, {
          archive: values.out ? path.resolve(values.out) : undefined,
        });
        if (result.archived)
          console.log(
            `archived blocks ${result.archived.fromHeight}–${result.archived.toHeight} to ${result.archived.file}`,
          );
        console.log(`block bodies kept from height ${result.bodiesFrom}; every header and certificate kept`);
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'import':
      return importCommand(need(home, 'home'), path.resolve(need(values.in, 'in')), values['database-url']);
    default:
      console.log(usage);
      return command ? 1 : 0;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli.ts')) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (error) => {
      console.error(`gongxin: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
