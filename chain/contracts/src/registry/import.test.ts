// Bulk import of a legacy register (`importBatch`): generated batches go in whole, each record provable
// against the batch's root; a batch with a USCC twice, a USCC already on chain (from an earlier batch or
// a registration), a bad check character, a missing field or a root that is not the records' is refused
// as a whole with its typed code and changes nothing but the sender's nonce.
import { inclusionProof, leafHash, toHex, type Value, type ValueMap, verifyInclusion } from '@gongxin/ledger';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accounts, call, demoGenesis, suite, TestChain, testAccount } from '../../test/chain';
import { startOfDayMs, withChinaCalendars } from '../calendar/calendar';
import { completeUscc, orgCodeCheckChar, USCC_ALPHABET } from './codes';
import { MAX_IMPORT_RECORDS, registryContract } from './contract';
import { enterpriseOf, type ImportRecord, importBatchOf, importLeaf, importRoot } from './views';

const { alice, bob, carol } = accounts;
const registrar = testAccount(suite, 40);
const reps = [alice, bob, carol];

function genesis(): Record<string, Value> {
  const g = demoGenesis() as { governance: { authorities: Value[] } } & Record<string, Value>;
  g.governance.authorities.push({
    address: registrar.address,
    name: '上海市浦东新区市场监督管理局',
    scopes: ['registry'],
  });
  return withChinaCalendars(g);
}

function newChain() {
  const chain = new TestChain({ contracts: genesis(), extra: [registryContract] });
  chain.skip(startOfDayMs('2024-03-01') - chain.time);
  return chain;
}

const usccOf = (n: number) => {
  const org8 = String(30_000_000 + n);
  return completeUscc(`91310115${org8}${orgCodeCheckChar(org8)}`);
};

const record = (n: number): ImportRecord => ({
  uscc: usccOf(n),
  name: `上海某某贸易有限公司${n}`,
  legalForm: 'limited_company',
  capital: BigInt(100_000 * (n + 1)),
  address: `上海市浦东新区某路 ${n} 号`,
  industry: 'F5191',
  establishedOn: '2010-05-06',
  representative: reps[n % reps.length]!.address,
});

const params = (records: readonly ImportRecord[], root?: string): ValueMap => ({
  root: root ?? toHex(importRoot(suite.hash, records)),
  records: records.map((r) => ({ ...r })) as unknown as Value[],
});
const importCall = (records: readonly ImportRecord[], root?: string) =>
  call('registry', 'importBatch', params(records, root));

/** Distinct record numbers, a batch of 1–40. */
const batchNumbers = fc.uniqueArray(fc.nat({ max: 5_000_000 }), { minLength: 1, maxLength: 40 });

describe('importBatch', () => {
  it('imports a generated batch whole; every record proves against the batch root', () => {
    fc.assert(
      fc.property(batchNumbers, (ns) => {
        const chain = newChain();
        const records = ns.map(record);
        const events = chain.ok(registrar, importCall(records));
        const [name, attrs] = events.find(([n]) => n === 'batchImported')!;
        expect(name).toBe('batchImported');
        const root = attrs.root as string;
        expect(attrs.count).toBe(records.length);
        const batch = importBatchOf(chain.store, attrs.id as string)!;
        expect(batch).toMatchObject({ root, count: records.length, by: registrar.address });
        const leaves = records.map((r, i) => leafHash(suite.hash, importLeaf(i, r)));
        records.forEach((r, i) => {
          const ent = enterpriseOf(chain.store, r.uscc)!;
          expect(ent).toMatchObject({
            life: 'active',
            name: r.name,
            authority: registrar.address,
            representative: r.representative,
            imported: { batch: batch.id, index: i },
          });
          const proof = inclusionProof(suite.hash, leaves, i);
          expect(verifyInclusion(suite.hash, importLeaf(i, r), proof, Buffer.from(root, 'hex'))).toBe(true);
          // The same proof does not carry an altered record.
          expect(
            verifyInclusion(
              suite.hash,
              importLeaf(i, { ...r, capital: r.capital + 1n }),
              proof,
              Buffer.from(root, 'hex'),
            ),
          ).toBe(false);
        });
      }),
      { numRuns: 25 },
    );
  });

  it('refuses a batch with a USCC twice, naming the record', () => {
    fc.assert(
      fc.property(
        batchNumbers.filter((ns) => ns.length >= 2),
        fc.nat(),
        fc.nat(),
        (ns, a, b) => {
          const chain = newChain();
          const records = ns.map(record);
          const i = a % records.length;
          let j = b % records.length;
          if (j === i) j = (i + 1) % records.length;
          // Same USCC, otherwise a different record (another name): still refused.
          records[j] = { ...records[j]!, uscc: records[i]!.uscc };
          const message = chain.fails('already_exists', registrar, importCall(records));
          expect(message).toContain(`record ${Math.max(i, j)}: USCC ${records[i]!.uscc} appears twice`);
          expect(enterpriseOf(chain.store, records[i]!.uscc)).toBeUndefined();
        },
      ),
      { numRuns: 25 },
    );
  });

  it('refuses a batch with a USCC already on chain, from an earlier batch or a registration', () => {
    fc.assert(
      fc.property(batchNumbers, batchNumbers, fc.nat(), fc.boolean(), (first, second, k, viaRegister) => {
        const chain = newChain();
        const earlier = first.map(record);
        if (viaRegister) {
          const r = earlier[0]!;
          chain.ok(
            reps[0]!,
            call('registry', 'register', {
              uscc: r.uscc,
              name: r.name,
              legalForm: r.legalForm,
              capital: r.capital,
              address: r.address,
              industry: r.industry,
              establishedOn: r.establishedOn,
              authority: registrar.address,
            }),
          );
          earlier.splice(1);
        } else chain.ok(registrar, importCall(earlier));
        const taken = new Set(earlier.map((r) => r.uscc));
        const later = second.map(record).filter((r) => !taken.has(r.uscc));
        const dup = earlier[k % earlier.length]!;
        const at = k % (later.length + 1);
        later.splice(at, 0, { ...dup, name: `${dup.name}（迁移副本）` });
        const message = chain.fails('already_exists', registrar, importCall(later));
        expect(message).toContain(`record ${at}: enterprise ${dup.uscc} is on chain already`);
        for (const r of later)
          if (r.uscc !== dup.uscc) expect(enterpriseOf(chain.store, r.uscc)).toBeUndefined();
      }),
      { numRuns: 25 },
    );
  });

  it('refuses a record whose USCC check character is wrong, with invalid_params naming the record', () => {
    fc.assert(
      fc.property(batchNumbers, fc.nat(), fc.nat({ max: USCC_ALPHABET.length - 2 }), (ns, k, shift) => {
        const chain = newChain();
        const records = ns.map(record);
        const i = k % records.length;
        const good = records[i]!.uscc;
        const at = USCC_ALPHABET.indexOf(good[17]!);
        const bad = good.slice(0, 17) + USCC_ALPHABET[(at + 1 + shift) % USCC_ALPHABET.length]!;
        records[i] = { ...records[i]!, uscc: bad };
        // The root is over the records as sent: the refusal is the check character's, not the root's.
        const message = chain.fails(
          'invalid_params',
          registrar,
          importCall(records, toHex(importRoot(suite.hash, records))),
        );
        expect(message).toContain(`records.${i}.uscc`);
        expect(message).toContain('not a valid USCC');
        for (const r of records) expect(enterpriseOf(chain.store, r.uscc)).toBeUndefined();
      }),
      { numRuns: 25 },
    );
  });

  it('refuses a missing field, a root that is not the records’, a non-authority, a rep without passport', () => {
    const chain = newChain();
    const records = [1, 2, 3].map(record);
    const { name: _dropped, ...noName } = records[1]!;
    const message = chain.fails(
      'invalid_params',
      registrar,
      call('registry', 'importBatch', {
        root: toHex(importRoot(suite.hash, records)),
        records: [records[0], noName, records[2]] as unknown as Value[],
      }),
    );
    expect(message).toContain('records.1.name');
    const wrong = toHex(importRoot(suite.hash, [records[0]!, records[2]!, records[1]!]));
    expect(chain.fails('invalid_params', registrar, importCall(records, wrong))).toContain(
      'is not the Merkle root of the records',
    );
    chain.fails('not_authorized', carol, importCall(records));
    const stranger = testAccount(suite, 99);
    const withStranger = [...records, { ...record(4), representative: stranger.address }];
    expect(chain.fails('not_found', registrar, importCall(withStranger))).toContain('record 3:');
    const future = [{ ...record(5), establishedOn: '2099-01-01' }];
    chain.fails('not_allowed', registrar, importCall(future));
    chain.fails(
      'invalid_params',
      registrar,
      call('registry', 'importBatch', { root: '00'.repeat(32), records: [] }),
    );
    expect(MAX_IMPORT_RECORDS).toBeGreaterThanOrEqual(1000);
    // Nothing of the refused batches is on chain; the good batch then goes in.
    for (const r of records) expect(enterpriseOf(chain.store, r.uscc)).toBeUndefined();
    chain.ok(registrar, importCall(records));
    expect(enterpriseOf(chain.store, records[2]!.uscc)?.imported?.index).toBe(2);
  });

  it('lets an imported enterprise file like a registered one: a change filing by its representative', () => {
    const chain = newChain();
    const r = record(7);
    chain.ok(registrar, importCall([r]));
    const rep = reps.find((a) => a.address === r.representative)!;
    const events = chain.ok(
      rep,
      call('registry', 'fileChange', {
        uscc: r.uscc,
        changes: { address: '上海市浦东新区新路 1 号' },
        effectiveOn: '2024-03-01',
        reason: '住所变更',
      }),
    );
    expect(events.map(([n]) => n)).toContain('filingSubmitted');
  });
});
