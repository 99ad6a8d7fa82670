// The embedded default: one validator in the suite's own process, on the suite's database, with its key
// and genesis kept under DATA_DIR/chain. The first start creates both; later starts resume the same chain.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withChinaCalendars, withNewChainActivations } from '@gongxin/contracts';
import type { Database } from '@gongxin/db';
import type { ContractRegistry, CryptoSuite, GenesisDocument, Value } from '@gongxin/ledger';
import { genesisToJson, parseGenesisJson } from './genesis';
import { loadOrCreateNodeKey, type NodeKey, signerFor } from './keys';
import { ChainNode, type ChainNodeOptions, type LoggerLike } from './node';
import { embeddedNodeConfig } from './node-config';

export interface EmbeddedChainOptions {
  database: Database;
  dataDir: string;
  suite: CryptoSuite;
  contracts: ContractRegistry;
  logger: LoggerLike;
  chainId?: string;
  /** Contract genesis sections for a new chain (demo identities, assets…); ignored when the chain exists. */
  genesisContracts?: (operator: NodeKey) => Record<string, Value>;
  blockLimits?: ChainNodeOptions['blockLimits'];
  /** The deployment clock block times follow (genesis time too, for a new chain). Default the wall clock. */
  clock?: () => number;
}

export interface EmbeddedChain {
  node: ChainNode;
  key: NodeKey;
  genesis: GenesisDocument;
  created: boolean;
}

/** Where a PGlite database lives, relative to the chain folder (its description names the directory). */
function pgliteLocation(database: Database, chainDir: string): { dataDir: string; name: string } | undefined {
  const at = /^PGlite at (.+)$/.exec(database.describe())?.[1];
  if (!at) return undefined;
  // PGlite keeps a database named N under DATA_DIR at DATA_DIR/pglite/N.
  return { dataDir: path.relative(chainDir, path.dirname(path.dirname(at))) || '.', name: path.basename(at) };
}

export async function startEmbeddedChain(opts: EmbeddedChainOptions): Promise<EmbeddedChain> {
  const dir = path.join(opts.dataDir, 'chain');
  mkdirSync(dir, { recursive: true });
  const { key } = loadOrCreateNodeKey(opts.suite, path.join(dir, 'validator-key.json'));
  const genesisFile = path.join(dir, 'genesis.json');
  let genesis: GenesisDocument;
  let created = false;
  if (existsSync(genesisFile)) {
    genesis = parseGenesisJson(JSON.parse(readFileSync(genesisFile, 'utf8')));
  } else {
    const fresh: GenesisDocument = {
      chainId: opts.chainId ?? 'gongxin-local',
      suite: opts.suite.id,
      time: (opts.clock ?? Date.now)(),
      validators: [{ key: key.publicKey, power: 10, name: 'embedded-validator', operator: key.address }],
      // A new chain starts with the published working-day calendars (governance changes them later) and
      // the newest contract versions active from genesis.
      contracts: withNewChainActivations(withChinaCalendars(opts.genesisContracts?.(key) ?? {})),
    };
    // The file is the genesis: hash what a restart will read back, not the in-memory original.
    const json = genesisToJson(fresh);
    writeFileSync(genesisFile, `${JSON.stringify(json, null, 2)}\n`);
    genesis = parseGenesisJson(json);
    created = true;
  }
  // What `gongxin verify --home DATA_DIR/chain` needs to find this chain's database (docs/chain.md).
  writeFileSync(
    path.join(dir, 'config.json'),
    `${JSON.stringify(embeddedNodeConfig(opts.database.kind, pgliteLocation(opts.database, dir)), null, 2)}\n`,
  );
  const node = new ChainNode({
    database: opts.database,
    genesis,
    suite: opts.suite,
    contracts: opts.contracts,
    signer: signerFor(opts.suite, key),
    logger: opts.logger,
    // One validator needs no network round trips: short timeouts keep commits quick.
    timeouts: { proposeMs: 1000, prevoteMs: 500, precommitMs: 500, deltaMs: 250 },
    blockLimits: { commitDelayMs: 100, emptyBlockIntervalMs: 60_000, ...opts.blockLimits },
    ...(opts.clock && { clock: opts.clock }),
  });
  await node.start();
  return { node, key, genesis, created };
}
