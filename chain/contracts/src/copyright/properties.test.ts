// Random sequences of copyright actions through the ledger runtime: after every block the invariants
// hold (TestChain.commit runs checkInvariants, which covers the copyright state: each right held exactly
// once, shares summing exactly, no exclusive licence overlapped, escrowed units accounted), and every
// purchase moves exactly its price from the buyer to the owners, split by share to the fen.
import type { Value } from '@gongxin/ledger';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accounts,
  call,
  chainId,
  demoGenesis,
  hash32,
  suite,
  type TestAccount,
  TestChain,
} from '../../test/chain';
import { balanceOf } from '../assets/views';
import { consentMessage, copyrightContract } from './contract';
import { ECONOMIC_RIGHTS, SHARE_TOTAL, splitByShares } from './rights';
import { listingOf, workOf } from './views';

const { alice, bob, carol, dave, regulator } = accounts;
const people = [alice, bob, carol, dave];
const reviewer = regulator;
const YEAR = 365 * 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function genesis(): Record<string, Value> {
  const g = demoGenesis() as {
    identity: { accounts: Value[]; roles: Value[] };
    assets: { assets: { balances: Record<string, Value> }[] };
  } & Record<string, Value>;
  g.identity.accounts.push({ address: dave.address, kind: 'person' });
  g.identity.roles.push({ subject: reviewer.address, app: 'copyright', role: 'reviewer' });
  g.assets.assets[0]!.balances = Object.fromEntries(people.map((p) => [p.address, 100_000_000]));
  return g;
}

const op = fc.record({
  // 7 and 8 are purchases too: most purchases of random listings fail, and enough must succeed.
  kind: fc.nat({ max: 8 }).map((k) => (k > 6 ? 5 : k)),
  a: fc.nat({ max: 1_000 }),
  b: fc.nat({ max: 1_000 }),
  c: fc.nat({ max: 1_000 }),
  d: fc.nat({ max: 1_000 }),
  price: fc.integer({ min: 1, max: 10_000_000 }),
});

function cosignAll(
  chain: TestChain,
  signers: TestAccount[],
  name: string,
  params: Record<string, unknown>,
  workId: string,
) {
  const rev = workOf(chain.store, workId)!.rev;
  const message = consentMessage(chainId, name, params, rev);
  return signers.map((s) => ({
    signer: s.address,
    key: s.publicKey,
    signature: suite.sign(message, s.privateKey),
  }));
}

function randomShares(n: number, seed: number): number[] {
  const cuts = Array.from(
    { length: n - 1 },
    (_, i) => 1 + ((seed * (i + 7) * 2654435761) % (SHARE_TOTAL - n)),
  );
  const points = [0, ...new Set(cuts)].sort((x, y) => x - y);
  if (points.length < n) return [SHARE_TOTAL];
  return points.map((p, i) => (points[i + 1] ?? SHARE_TOTAL) - p);
}

describe('copyright invariants under random actions', () => {
  it('hold after every block, and purchases pay exactly their price by share', () => {
    // Successful actions by name over all runs: the sequences must exercise what they claim to.
    const succeeded = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(op, { minLength: 5, maxLength: 25 }), (ops) => {
        const chain = new TestChain({ contracts: genesis(), extra: [copyrightContract] });
        chain.skip(T0 - chain.time);
        const works: string[] = [];
        const listings: string[] = [];
        let fileSeq = 0;
        const byAddress = new Map(people.map((p) => [p.address, p]));
        for (const o of ops) {
          const workId = works[o.a % Math.max(works.length, 1)];
          const work = workId ? workOf(chain.store, workId) : undefined;
          const holding = work?.holdings[o.b % work.holdings.length];
          const owners = holding?.owners.map((x) => byAddress.get(x.address)!) ?? [];
          const outsider =
            people.find((p) => !owners.includes(p) && people.indexOf(p) % 4 === o.c % 4) ??
            people.find((p) => !owners.includes(p));
          const slice = holding && {
            workId,
            holding: holding.id,
            rights: ECONOMIC_RIGHTS.filter((_, i) => (o.c >> (i % 5)) & 1 && i < 5).slice(0, 3),
            territory: [['CN'], ['*'], ['*', '!CN'], ['HK', 'US']][o.d % 4]!,
            from: T0 + (o.d % 3) * YEAR,
            until: o.d % 5 === 0 ? null : T0 + ((o.d % 3) + 1 + (o.c % 3)) * YEAR,
          };
          if (slice && slice.rights.length === 0) slice.rights = ['network'];
          const send = (
            who: TestAccount,
            name: string,
            params: Record<string, unknown>,
            signers: TestAccount[] = [],
          ) => {
            const cosigners = signers.filter((s) => s !== who);
            const full =
              cosigners.length && workId
                ? { ...params, cosignatures: cosignAll(chain, cosigners, name, params, workId) }
                : params;
            const outcome = chain.run(who, call('copyright', name, full as never));
            if (outcome.receipt.ok) succeeded.set(name, (succeeded.get(name) ?? 0) + 1);
            return outcome;
          };
          if (o.kind === 0 || !work || !holding || !outsider || !slice) {
            const n = 1 + (o.a % 3);
            const shares = randomShares(n, o.b + 1);
            const ownersOf = people.slice(o.c % 2, (o.c % 2) + shares.length);
            const { receipt } = send(ownersOf[0]!, 'registerWork', {
              title: `作品${fileSeq}`,
              category: 'text',
              authorship: 'natural',
              authors: [ownersOf[0]!.address],
              owners: ownersOf.map((p, i) => ({ address: p.address, share: shares[i]! })),
              createdAt: T0 - YEAR,
              files: [{ hash: hash32(++fileSeq), codes: [], tool: 'test' }],
              originality: '独立创作',
            });
            if (receipt.ok) {
              const id = Buffer.from(receipt.txId).toString('hex');
              send(reviewer, 'reviewWork', { id, decision: 'approve', regNo: `R-${fileSeq}`, reason: 'ok' });
              works.push(id);
            }
            continue;
          }
          const exclusivity = (['exclusive', 'sole', 'non-exclusive'] as const)[o.b % 3];
          switch (o.kind) {
            case 1:
            case 2:
              send(owners[0]!, 'grantLicence', { ...slice, licensee: outsider.address, exclusivity }, owners);
              break;
            case 3:
              send(
                owners[0]!,
                'transferRights',
                {
                  ...slice,
                  to: [{ address: outsider.address, share: SHARE_TOTAL }],
                  contractHash: hash32(o.price),
                },
                owners,
              );
              break;
            case 4: {
              const { receipt, events } = send(
                owners[0]!,
                'list',
                {
                  ...slice,
                  kind: o.c % 3 === 0 ? 'rights' : 'licence',
                  ...(o.c % 3 !== 0 && o.d % 2 === 0 && { durationMs: YEAR }),
                  exclusivity: o.c % 3 === 0 ? 'non-exclusive' : exclusivity,
                  price: { symbol: 'CNYX', amount: o.price },
                },
                owners,
              );
              if (receipt.ok) listings.push(events.find((e) => e.name === 'listed')!.attrs.id as string);
              break;
            }
            case 5: {
              const open = listings.filter((l) => listingOf(chain.store, l)?.status === 'open');
              const listingId = open[o.b % Math.max(open.length, 1)];
              if (!listingId) break;
              const sellers = listingOf(chain.store, listingId)!.sellers.map((x) => x.address);
              const buyer =
                people.find((p, i) => !sellers.includes(p.address) && i >= o.c % 4) ??
                people.find((p) => !sellers.includes(p.address))!;
              const before = new Map(
                people.map((p) => [p.address, balanceOf(chain.store, 'CNYX', p.address)]),
              );
              const { receipt, events } = send(buyer, 'purchase', { listingId });
              if (!receipt.ok) break;
              const paid = events.find((e) => e.name === 'royaltiesPaid')!.attrs as {
                total: bigint;
                payments: { to: string; amount: bigint; share: number }[];
              };
              expect(paid.payments.map((x) => x.amount)).toEqual(
                splitByShares(
                  paid.total,
                  paid.payments.map((x) => x.share),
                ),
              );
              expect(paid.payments.reduce((s, x) => s + x.amount, 0n)).toBe(paid.total);
              let delta = 0n;
              for (const p of people)
                delta += balanceOf(chain.store, 'CNYX', p.address) - before.get(p.address)!;
              expect(delta).toBe(0n);
              expect(before.get(buyer.address)! - balanceOf(chain.store, 'CNYX', buyer.address)).toBe(
                paid.total,
              );
              break;
            }
            case 6: {
              const pledgee = outsider;
              send(
                owners[0]!,
                'pledge',
                {
                  ...slice,
                  pledgee: pledgee.address,
                  debt: { symbol: 'CNYX', amount: o.price },
                  dueAt: chain.time + 10_000,
                  contractHash: hash32(o.price),
                },
                [...owners, pledgee],
              );
              break;
            }
          }
        }
      }),
      // A fixed seed: the count below asks that every kind of action succeeded often enough for the
      // invariants to have been tried on it, and with a fresh seed each run that count is itself a draw
      // (one run in CI saw exactly 5 purchases). Another seed explores further: FC_SEED=<n>.
      { numRuns: 40, seed: Number(process.env.FC_SEED ?? 20_261_206) },
    );
    for (const name of ['registerWork', 'grantLicence', 'transferRights', 'list', 'purchase', 'pledge'])
      expect(succeeded.get(name) ?? 0, name).toBeGreaterThan(5);
  }, 120_000);
});

describe('the copyright invariants catch', () => {
  it('shares that do not sum, a right held twice or not at all, and a double-sold exclusive licence', async () => {
    const { MemoryState } = await import('@gongxin/ledger');
    const { checkCopyrightInvariants } = await import('./invariants');
    const holding = (id: number, rights: string[], territory: string[], share = SHARE_TOTAL) => ({
      id,
      rights,
      territory,
      from: 0,
      until: null,
      owners: [{ address: alice.address, share }],
    });
    const w = (holdings: unknown[]) =>
      new MemoryState(
        new Map([['copyright/work/w', { id: 'w', createdAt: 0, holdings } as unknown as Value]]),
      );
    expect(checkCopyrightInvariants(w([holding(0, [...ECONOMIC_RIGHTS], ['*'])]))).toEqual([]);
    expect(checkCopyrightInvariants(w([holding(0, [...ECONOMIC_RIGHTS], ['*'], 9_999)])).join()).toContain(
      'sum to 9999',
    );
    expect(
      checkCopyrightInvariants(
        w([holding(0, [...ECONOMIC_RIGHTS], ['*']), holding(1, ['network'], ['CN'])]),
      ).join(),
    ).toContain('overlap');
    expect(checkCopyrightInvariants(w([holding(0, [...ECONOMIC_RIGHTS], ['*', '!CN'])])).join()).toContain(
      'held 0 times',
    );
    const state = w([holding(0, [...ECONOMIC_RIGHTS], ['*'])]);
    const licence = (id: string, licensee: string) => ({
      id,
      workId: 'w',
      licensee,
      grant: { rights: ['network'], territory: ['CN'], from: 0, until: null },
      exclusivity: 'exclusive',
      prohibitions: [],
      duties: [],
      status: 'active',
    });
    state.apply(
      new Map<string, Value>([
        ['copyright/licence/a', licence('a', bob.address) as unknown as Value],
        ['copyright/licence/b', licence('b', carol.address) as unknown as Value],
        ['copyright/licences/w', ['a', 'b']],
      ]),
    );
    expect(checkCopyrightInvariants(state).join()).toContain('exclusive_overlap');
  });
});
