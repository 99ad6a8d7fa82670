// A node folder's config.json: what `gongxin init` writes for each node of a network, and what `npm start`
// writes for its embedded chain so the CLI finds that chain's database too.
export interface NodeConfig {
  name: string;
  /** Relative to the node folder. */
  genesis: string;
  p2p: { host: string; port: number };
  api: { host: string; port: number; rateLimit?: { perSecond: number; burst: number } | false };
  peers: { url: string; key: string }[];
  /** Full nodes allowed to connect besides the validators. */
  admitted?: string[];
  /**
   * Where the chain's database is, when not PGlite named `name` in the node folder: PGlite elsewhere
   * (`dataDir` relative to the node folder), or PostgreSQL at the URL in the environment variable `urlEnv`.
   */
  database?: { dataDir?: string; name?: string; urlEnv?: string };
  /** Signature verifier threads (default: one per core but one; 0: verify on the consensus thread). */
  verifyWorkers?: number;
  /** The suite's embedded chain (`npm start`): it runs inside the portal, not with `node start`. */
  embedded?: boolean;
}

/** The config of the embedded chain's folder (DATA_DIR/chain), as `npm start` writes it. */
export function embeddedNodeConfig(
  database: 'pglite' | 'postgres',
  pglite: { dataDir: string; name: string } = { dataDir: '..', name: 'gongxin' },
): NodeConfig {
  return {
    name: 'embedded-validator',
    genesis: 'genesis.json',
    embedded: true,
    // The suite's database: PGlite (`gongxin` under DATA_DIR by default), or the PostgreSQL of DATABASE_URL.
    database: database === 'pglite' ? pglite : { urlEnv: 'DATABASE_URL' },
    p2p: { host: '127.0.0.1', port: 0 },
    api: { host: '127.0.0.1', port: 0 },
    peers: [],
  };
}
