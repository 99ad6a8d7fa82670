// Where the explorer finds the chain's genesis document, to seed what genesis creates without events
// (indexer/genesis.ts). A document is used only when it hashes to the genesis hash the node reports: a
// stale or foreign file is ignored with a warning rather than seeding wrong balances.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppServices } from '@gongxin/app-kit';
import { type GenesisDocument, genesisHash, toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { parseGenesisJson } from '@gongxin/node';

/** The document itself, a loader, or null for none. */
export type GenesisSource =
  | GenesisDocument
  | ((services: AppServices) => Promise<GenesisDocument | null>)
  | null;

export function genesisFromFile(file: string): (services: AppServices) => Promise<GenesisDocument | null> {
  return async (services) => {
    if (!existsSync(file)) {
      services.logger.info(
        { file },
        'no genesis document: balances and identities made at genesis start unknown',
      );
      return null;
    }
    return parseGenesisJson(JSON.parse(readFileSync(file, 'utf8')));
  };
}

/** The embedded chain's file: `<DATA_DIR>/chain/genesis.json`, as the portal writes it. */
export const genesisFromDataDir = (services: AppServices) =>
  genesisFromFile(path.resolve(services.config.dataDir, 'chain', 'genesis.json'))(services);

export async function resolveGenesis(
  source: GenesisSource,
  services: AppServices,
): Promise<GenesisDocument | null> {
  const doc = typeof source === 'function' ? await source(services) : source;
  if (!doc) return null;
  const info = await services.chain.client.info();
  const hash = toHex(genesisHash(getSuite(doc.suite), doc));
  if (hash !== info.genesisHash) {
    services.logger.warn(
      { expected: info.genesisHash, got: hash },
      'the genesis document does not belong to this chain: ignored',
    );
    return null;
  }
  return doc;
}
