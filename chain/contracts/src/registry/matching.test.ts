import { describe, expect, it } from 'vitest';
import { industryAffinity, type MatchContext, rankCounterparties, regionAffinity } from './matching';
import type { Certificate, Post } from './views';

const post = (id: string, over: Partial<Post>): Post => ({
  id,
  uscc: `U${id}`,
  kind: 'offer',
  industry: 'C3841',
  classification: 'CPC 46410',
  item: '锂离子电池组',
  quantity: 1000n,
  unit: '套',
  region: '440305',
  deliverFrom: '2024-04-01',
  deliverUntil: '2024-06-30',
  priceMin: 80_000n,
  priceMax: 120_000n,
  status: 'open',
  by: 'gx1',
  at: Number(id.replace(/\D/g, '')) || 0,
  time: 0,
  ...over,
});
const cert = (holder: string, over: Partial<Certificate> = {}): Certificate =>
  ({ id: `cert-${holder}`, holder, industry: 'C3841', classification: 'CPC 46410', ...over }) as Certificate;

function context(bad: string[] = [], certified: Record<string, Certificate[]> = {}): MatchContext {
  return {
    goodStanding: (u) => !bad.includes(u),
    certificates: (u) => certified[u] ?? [cert(u)],
  };
}

describe('supply–demand matching', () => {
  const need = post('n1', { kind: 'need', uscc: 'BUYER', quantity: 800n, region: '440305' });

  it.each([
    ['C3841', 'C3841', 4],
    ['C3841', 'C3849', 3],
    ['C3841', 'C3811', 2],
    ['C3841', 'C3711', 1],
    ['C3841', 'F5173', 0],
    ['C38', 'C3841', 2],
  ])('industry affinity of %s and %s is %i', (a, b, level) => expect(industryAffinity(a, b)).toBe(level));

  it.each([
    ['440305', '440305', 3],
    ['440305', '440306', 2],
    ['440305', '441900', 1],
    ['440305', '330106', 0],
  ])('region affinity of %s and %s is %i', (a, b, level) => expect(regionAffinity(a, b)).toBe(level));

  it('ranks by a score of fit, region and quantity covered; earlier posts first on ties', () => {
    const offers = [
      post('o1', { region: '330106' }),
      post('o2', { region: '440305' }),
      post('o3', { region: '440305', quantity: 400n }),
      post('o4', { region: '440305', classification: 'CPC 46420' }),
      post('o5', { region: '440306' }),
      post('o6', { region: '440305' }),
    ];
    const certs = { Uo4: [cert('Uo4', { classification: 'CPC 46420' })] };
    expect(rankCounterparties(need, offers, context([], certs)).map((m) => [m.post.id, m.score])).toEqual([
      ['o2', 400 + 300 + 150 + 100],
      ['o6', 400 + 300 + 150 + 100],
      ['o3', 400 + 300 + 150 + 50],
      ['o5', 400 + 300 + 100 + 100],
      ['o1', 400 + 300 + 0 + 100],
      ['o4', 400 + 0 + 150 + 100],
    ]);
  });

  it.each([
    ['a supplier not in good standing', post('o1', {}), context(['Uo1'])],
    ['a supplier without a certificate for the item', post('o1', {}), context([], { Uo1: [] })],
    [
      'a certificate for another class',
      post('o1', {}),
      context([], { Uo1: [cert('Uo1', { classification: 'X' })] }),
    ],
    ['another unit', post('o1', { unit: '吨' }), context()],
    [
      'a delivery window that does not meet',
      post('o1', { deliverFrom: '2024-07-01', deliverUntil: '2024-08-01' }),
      context(),
    ],
    ['a price above the buyer’s range', post('o1', { priceMin: 130_000n, priceMax: 150_000n }), context()],
    ['another industry division', post('o1', { industry: 'F5173' }), context()],
    ['a closed post', post('o1', { status: 'closed' }), context()],
    ['another need', post('o1', { kind: 'need' }), context()],
    ['the enterprise’s own post', post('o1', { uscc: 'BUYER' }), context()],
  ] as const)('does not show %s', (_what, offer, ctx) => {
    expect(rankCounterparties(need, [offer], ctx)).toEqual([]);
    // The same offer, in order, is shown when nothing is wrong with it.
    expect(rankCounterparties(need, [post('o9', {})], context())).toHaveLength(1);
  });

  it('from a supplier’s side, shows buyers in good standing and checks its own certificate', () => {
    const offer = post('o1', {});
    expect(rankCounterparties(offer, [need], context()).map((m) => m.post.id)).toEqual(['n1']);
    expect(rankCounterparties(offer, [need], context(['BUYER']))).toEqual([]);
    expect(rankCounterparties(offer, [need], context([], { Uo1: [] }))).toEqual([]);
  });
});
