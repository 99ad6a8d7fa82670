// An imported enterprise's proof against its batch: the record exactly as the authority migrated it
// (from the batch's event in the change feed), its leaf index, the RFC 6962 audit path to the batch's
// Merkle root, the root as the chain's state keeps it, and the block and tx that anchored the batch, so
// a reader recomputes the leaf, walks the path and compares with the anchored root itself.
import type { AppServices } from '@gongxin/app-kit';
import {
  type ImportBatch,
  type ImportRecord,
  importLeaf,
  registryKeys,
  verifyImportRecord,
} from '@gongxin/contracts';
import { fromHex, inclusionProof, leafHash, toHex } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { and, eq, sql } from 'drizzle-orm';
import { PrefetchedState } from './chain-state';
import { changes } from './db/schema';

const suite = getSuite('ed25519-sha256');

export interface ImportProof {
  uscc: string;
  /** The record as migrated; capital in fen as a decimal string. */
  record: Omit<ImportRecord, 'capital'> & { capital: string };
  batch: { id: string; root: string; count: number; by: string; height: number; txId: string; time: number };
  index: number;
  /** Hex of the leaf hash, then of each sibling from the leaf up. */
  leafHash: string;
  path: string[];
  /** The server's own check of the path against the anchored root. */
  verified: boolean;
}

/** The proof of `uscc`'s record, or null when it did not come in by an import batch. */
export async function importProofOf(services: AppServices, uscc: string): Promise<ImportProof | null> {
  const state = new PrefetchedState(services);
  await state.load([registryKeys.enterprise(uscc)]);
  const imported = state.enterprise(uscc)?.imported;
  if (!imported) return null;
  await state.load([registryKeys.batch(imported.batch)]);
  const batch = state.get(registryKeys.batch(imported.batch)) as unknown as ImportBatch | undefined;
  if (!batch) return null;
  const [row] = await services.database.db
    .select({ attrs: changes.attrs })
    .from(changes)
    .where(
      and(
        eq(changes.height, batch.at),
        eq(changes.name, 'batchImported'),
        sql`${changes.attrs}->>'id' = ${batch.id}`,
      ),
    );
  if (!row) return null;
  const records = ((row.attrs as { records: (ImportRecord & { capital: string })[] }).records ?? []).map(
    (r) => ({ ...r, capital: BigInt(r.capital) }) as ImportRecord,
  );
  const record = records[imported.index];
  if (!record) return null;
  const leaves = records.map((r, i) => leafHash(suite.hash, importLeaf(i, r)));
  const proof = inclusionProof(suite.hash, leaves, imported.index);
  return {
    uscc,
    record: { ...record, capital: record.capital.toString() },
    batch: {
      id: batch.id,
      root: batch.root,
      count: batch.count,
      by: batch.by,
      height: batch.at,
      txId: batch.txId,
      time: batch.time,
    },
    index: imported.index,
    leafHash: toHex(leaves[imported.index]!),
    path: proof.path.map(toHex),
    verified: verifyImportRecord(suite.hash, record, proof, fromHex(batch.root)),
  };
}
