// A node's folder (\`--home\`): its config, genesis and database, and the log lines the command line and a
// started node write. Shared by the command line (\`cli.ts\`) and a running node (\`run.ts\`), which must not
// import each other.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '@gongxin/db';
import { parseGenesisJson } from './genesis';
import type { LoggerLike } from './node';
import { embeddedNodeConfig, type NodeConfig } from './node-config';

export const consoleLogger: LoggerLike = {
  info: (o, m) => console.log(JSON.stringify({ level: 'info', msg: m, ...o })),
  warn: (o, m) => console.warn(JSON.stringify({ level: 'warn', msg: m, ...o })),
  error: (o, m) => console.error(JSON.stringify({ level: 'error', msg: m, ...o })),
  // LOG_LEVEL=debug adds a line per proposal, validation and commit with their timings.
  debug:
    process.env.LOG_LEVEL === 'debug'
      ? (o, m) => console.log(JSON.stringify({ level: 'debug', msg: m, ...o }))
      : () => {},
};

export function readNodeConfig(home: string): NodeConfig {
  const file = path.join(home, 'config.json');
  if (!existsSync(file)) {
    // An embedded chain folder from before `npm start` wrote its config: its key and genesis are there.
    if (existsSync(path.join(home, 'genesis.json')) && existsSync(path.join(home, 'validator-key.json')))
      return embeddedNodeConfig(process.env.DATABASE_URL ? 'postgres' : 'pglite');
    throw new Error(`${file} not found: run \`gongxin init\` first`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as NodeConfig;
}

export function readGenesis(home: string, config: NodeConfig) {
  return parseGenesisJson(JSON.parse(readFileSync(path.resolve(home, config.genesis), 'utf8')));
}

/** Each node keeps its own database: PGlite in its folder, or one PostgreSQL database per node. */
export async function openNodeDatabase(home: string, config: NodeConfig, databaseUrl?: string) {
  if (databaseUrl) return openDatabase({ url: databaseUrl });
  const db = config.database;
  if (db?.urlEnv) {
    const url = process.env[db.urlEnv];
    if (!url)
      throw new Error(
        `this chain's database is PostgreSQL: set ${db.urlEnv} as the node had it, or pass --database-url`,
      );
    return openDatabase({ url });
  }
  return openDatabase({ dataDir: path.resolve(home, db?.dataDir ?? '.'), name: db?.name ?? config.name });
}
