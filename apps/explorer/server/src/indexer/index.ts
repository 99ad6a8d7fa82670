// The explorer's indexer: app-kit's createIndexer (one transaction per block, cursor, resume, rebuild)
// over the block-detail feed, with one handler that applies each whole block record. See apply.ts.
import type { IndexerDefinition } from '@gongxin/app-kit';
import { sql } from 'drizzle-orm';
import { applyBlock } from './apply';
import { BLOCK_RECORD_KEY, type BlockRecord } from './feed';
import type { GenesisSeed } from './genesis';

export const EXPLORER_INDEXER = 'explorer';

/** Every read model table, emptied by a rebuild. */
export const READ_MODEL_TABLES = [
  'blocks',
  'txs',
  'events',
  'activity',
  'assets',
  'balances',
  'asset_moves',
  'dids',
  'did_history',
  'validator_stats',
] as const;

export function explorerIndexer(genesis: GenesisSeed | null): IndexerDefinition {
  return {
    name: EXPLORER_INDEXER,
    handlers: {
      [BLOCK_RECORD_KEY]: (event, { tx }) => applyBlock(tx, event.attrs as unknown as BlockRecord, genesis),
    },
    reset: async (tx) => {
      await tx.execute(sql.raw(`truncate ${READ_MODEL_TABLES.map((t) => `explorer.${t}`).join(', ')}`));
    },
  };
}
