// A legacy register migrated in an import batch: the indexer fills the read model from the batch event
// (active, searchable, pointing at its leaf), and each imported enterprise's record verifies against the
// batch's Merkle root as the chain keeps it, while an altered record, a wrong leaf index or another
// batch's root does not. An enterprise registered one by one has no batch proof.
import {
  completeUscc,
  type ImportRecord,
  importRoot,
  orgCodeCheckChar,
  verifyImportRecord,
} from '@gongxin/contracts';
import { fromHex, toHex, type Value } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyShownImport } from '../../web/src/import-proof';
import { DEMO_ENTERPRISES, seedRegistryDemo } from '../src/demo';
import { type RegistryHarness, startRegistryHarness } from './harness';

const suite = getSuite('ed25519-sha256');
let h: RegistryHarness;

const usccOf = (n: number) => {
  const org8 = String(52_000_000 + n);
  return completeUscc(`91440300${org8}${orgCodeCheckChar(org8)}`);
};

function records(from: number, count: number, reps: string[]): ImportRecord[] {
  return Array.from({ length: count }, (_, k) => ({
    uscc: usccOf(from + k),
    name: `深圳市迁移测试贸易有限公司${from + k}`,
    legalForm: 'limited_company',
    capital: BigInt(50_000_000 + k),
    address: `深圳市福田区某路 ${k + 1} 号`,
    industry: 'F5191',
    establishedOn: '2012-04-01',
    representative: reps[k % reps.length]!,
  }));
}

const importBatch = (batch: ImportRecord[]) => ({
  contract: 'registry',
  name: 'importBatch',
  params: { root: toHex(importRoot(suite.hash, batch)), records: batch as unknown as Value[] },
});

let first: ImportRecord[];
let second: ImportRecord[];

beforeAll(async () => {
  h = await startRegistryHarness();
  await seedRegistryDemo(h.services);
  const reps = h.parties.filter((p) => p.role === 'representative').map((p) => p.address);
  first = records(0, 37, reps);
  second = records(100, 5, reps);
  const r1 = await h.as('samr-shenzhen', [importBatch(first)]);
  expect(r1.ok, r1.message).toBe(true);
  const r2 = await h.as('samr-shenzhen', [importBatch(second)]);
  expect(r2.ok, r2.message).toBe(true);
  await h.caughtUp();
});
afterAll(async () => {
  await h?.close();
});

describe('import batches', () => {
  it('fills the read model from the batch event: active, searchable, pointing at its leaf', async () => {
    const r = first[12]!;
    const found = await h.anonymous.enterprises.search({ q: r.uscc });
    expect(found.map((e) => e.name)).toEqual([r.name]);
    const { enterprise } = await h.anonymous.enterprises.get({ uscc: r.uscc });
    expect(enterprise).toMatchObject({
      life: 'active',
      address: r.address,
      capital: r.capital.toString(),
      importIndex: 12,
    });
    expect(enterprise.importBatch).toMatch(/^[0-9a-f]{64}$/);
  });

  it('proves a bulk-imported enterprise against its batch root as the chain keeps it', async () => {
    for (const [batch, i] of [
      [first, 0],
      [first, 12],
      [first, 36],
      [second, 4],
    ] as const) {
      const r = batch[i]!;
      const proof = await h.anonymous.enterprises.importProof({ uscc: r.uscc });
      expect(proof).toMatchObject({ index: i, verified: true, record: { uscc: r.uscc, name: r.name } });
      expect(proof.batch.count).toBe(batch.length);
      // The root is the chain's, and the one the authority computed over its extract.
      const onChain = await h.services.chain.client.state(`registry/batch/${proof.batch.id}`);
      expect((onChain.value as { root: string }).root).toBe(proof.batch.root);
      expect(proof.batch.root).toBe(toHex(importRoot(suite.hash, batch)));
      // The batch tx is in the block the proof names.
      const tx = await h.services.chain.client.getTx(proof.batch.txId);
      expect(tx.height).toBe(proof.batch.height);
      expect(tx.body?.actions[0]).toMatchObject({ contract: 'registry', name: 'importBatch' });
      // A reader's own check, from the record and the path alone.
      const path = { index: proof.index, size: proof.batch.count, path: proof.path.map(fromHex) };
      const root = fromHex(proof.batch.root);
      expect(verifyImportRecord(suite.hash, r, path, root)).toBe(true);
      expect(verifyImportRecord(suite.hash, { ...r, name: `${r.name}（改）` }, path, root)).toBe(false);
      expect(verifyImportRecord(suite.hash, { ...r, capital: r.capital + 1n }, path, root)).toBe(false);
      expect(verifyImportRecord(suite.hash, r, { ...path, index: (i + 1) % batch.length }, root)).toBe(false);
      // The web page's own check (its copy of the leaf encoding) agrees with the contract's.
      expect(verifyShownImport(proof)).toBe(true);
      expect(verifyShownImport({ ...proof, record: { ...proof.record, address: '别处' } })).toBe(false);
      const other = batch === first ? second : first;
      expect(verifyImportRecord(suite.hash, r, path, importRoot(suite.hash, other))).toBe(false);
    }
  });

  it('has no batch proof for an enterprise registered one by one, and refuses a bad USCC', async () => {
    await expect(
      h.anonymous.enterprises.importProof({ uscc: DEMO_ENTERPRISES[0]!.uscc }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const bad = `${first[0]!.uscc.slice(0, 17)}${first[0]!.uscc[17] === '0' ? '1' : '0'}`;
    await expect(h.anonymous.enterprises.importProof({ uscc: bad })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('refuses a batch repeating an imported USCC, and the read model is unchanged', async () => {
    const reps = h.parties.filter((p) => p.role === 'representative').map((p) => p.address);
    const again = [...records(200, 2, reps), { ...first[3]!, name: '重复迁移有限公司' }];
    const r = await h.as('samr-shenzhen', [importBatch(again)]);
    expect(r).toMatchObject({ ok: false, code: 'already_exists' });
    await h.caughtUp();
    expect(await h.anonymous.enterprises.search({ q: again[0]!.uscc })).toEqual([]);
    const { enterprise } = await h.anonymous.enterprises.get({ uscc: first[3]!.uscc });
    expect(enterprise.name).toBe(first[3]!.name);
  });
});
