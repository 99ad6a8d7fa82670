// The explorer's indexer: app-kit's indexer (one transaction per block, cursor, resume, rebuild) with a
// whole-block handler: each block (txs, proposer, round, events) is applied with a few batched statements
// instead of several per event. See apply.ts.
import type { IndexerDefinition } from '@gongxin/app-kit';
import { sql } from 'drizzle-orm';
import { applyBlock } from './apply';
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
    // 2: a channel's settlement is in both parties' activity (its event names the channel, not them).
    version: 2,
    handlers: {},
    block: (block, { tx }) => applyBlock(tx, block, genesis),
    reset: async (tx) => {
      await tx.execute(sql.raw(`truncate ${READ_MODEL_TABLES.map((t) => `explorer.${t}`).join(', ')}`));
    },
  };
}
