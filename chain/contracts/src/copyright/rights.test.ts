import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ccLicenceTerms,
  checkUse,
  ECONOMIC_RIGHTS,
  type EconomicRight,
  type Exclusivity,
  type ExistingLicence,
  endOfYearInChina,
  type Grant,
  grantsOverlap,
  grantWithin,
  intersectTerritories,
  licenceConflict,
  normalizeTerritory,
  overlapAxes,
  protectionEnd,
  SHARE_TOTAL,
  splitByShares,
  subtractGrant,
  subtractTerritories,
  type Territory,
  territoryContains,
  WORLD,
} from './rights';

const Y = (year: number, month = 1, day = 1) => Date.UTC(year, month - 1, day) - 8 * 3_600_000;

const grant = (rights: EconomicRight[], territory: Territory, from: number, until: number | null): Grant => ({
  rights,
  territory,
  from,
  until,
});

const licence = (
  id: string,
  licensee: string,
  exclusivity: Exclusivity,
  g: Grant,
  status: 'active' | 'surrendered' = 'active',
): ExistingLicence => ({ id, licensee, exclusivity, grant: g, prohibitions: [], duties: [], status });

const net = ['network'] as EconomicRight[];
const cn = ['CN'];
const y2025 = [Y(2025), Y(2026)] as const;

// Each row: an existing licence, a proposed one, and the conflict expected (undefined: may be granted).
type Row = [
  string,
  ExistingLicence,
  { licensee: string; exclusivity: Exclusivity; grant: Grant },
  string | undefined,
];
const E = (
  exclusivity: Exclusivity,
  g: Grant,
  licensee = 'bob',
  status: 'active' | 'surrendered' = 'active',
) => licence('L1', licensee, exclusivity, g, status);
const P = (exclusivity: Exclusivity, g: Grant, licensee = 'carol') => ({ licensee, exclusivity, grant: g });
const g = (rights: EconomicRight[], territory: Territory, from: number, until: number | null) =>
  grant(rights, territory, from, until);

const rows: Row[] = [
  [
    'exclusive vs exclusive, same box',
    E('exclusive', g(net, cn, ...y2025)),
    P('exclusive', g(net, cn, ...y2025)),
    'exclusive_overlap',
  ],
  [
    'exclusive vs exclusive, other right',
    E('exclusive', g(net, cn, ...y2025)),
    P('exclusive', g(['reproduction'], cn, ...y2025)),
    undefined,
  ],
  [
    'exclusive vs exclusive, one shared right of two',
    E('exclusive', g(['network', 'reproduction'], cn, ...y2025)),
    P('exclusive', g(['reproduction', 'translation'], cn, ...y2025)),
    'exclusive_overlap',
  ],
  [
    'exclusive vs exclusive, other country',
    E('exclusive', g(net, cn, ...y2025)),
    P('exclusive', g(net, ['US'], ...y2025)),
    undefined,
  ],
  [
    'exclusive vs exclusive, world vs CN',
    E('exclusive', g(net, WORLD, ...y2025)),
    P('exclusive', g(net, cn, ...y2025)),
    'exclusive_overlap',
  ],
  [
    'exclusive vs exclusive, world except CN vs CN',
    E('exclusive', g(net, ['*', '!CN'], ...y2025)),
    P('exclusive', g(net, cn, ...y2025)),
    undefined,
  ],
  [
    'exclusive vs exclusive, world except CN vs CN+HK',
    E('exclusive', g(net, ['*', '!CN'], ...y2025)),
    P('exclusive', g(net, ['CN', 'HK'], ...y2025)),
    'exclusive_overlap',
  ],
  [
    'exclusive vs exclusive, world-except vs world-except',
    E('exclusive', g(net, ['*', '!CN'], ...y2025)),
    P('exclusive', g(net, ['*', '!US'], ...y2025)),
    'exclusive_overlap',
  ],
  [
    'exclusive vs exclusive, next year',
    E('exclusive', g(net, cn, ...y2025)),
    P('exclusive', g(net, cn, Y(2026), Y(2027))),
    undefined,
  ],
  [
    'exclusive vs exclusive, touching ends (half-open terms)',
    E('exclusive', g(net, cn, Y(2025), Y(2025, 7))),
    P('exclusive', g(net, cn, Y(2025, 7), Y(2026))),
    undefined,
  ],
  [
    'exclusive vs exclusive, one ms of overlap',
    E('exclusive', g(net, cn, Y(2025), Y(2025, 7) + 1)),
    P('exclusive', g(net, cn, Y(2025, 7), Y(2026))),
    'exclusive_overlap',
  ],
  [
    'exclusive vs exclusive, open-ended vs later',
    E('exclusive', g(net, cn, Y(2025), null)),
    P('exclusive', g(net, cn, Y(2090), Y(2091))),
    'exclusive_overlap',
  ],
  [
    'exclusive vs exclusive, same licensee',
    E('exclusive', g(net, cn, ...y2025), 'carol'),
    P('exclusive', g(net, cn, ...y2025)),
    undefined,
  ],
  [
    'exclusive vs exclusive, surrendered',
    E('exclusive', g(net, cn, ...y2025), 'bob', 'surrendered'),
    P('exclusive', g(net, cn, ...y2025)),
    undefined,
  ],
  [
    'sole vs exclusive',
    E('sole', g(net, cn, ...y2025)),
    P('exclusive', g(net, cn, ...y2025)),
    'exclusive_overlap',
  ],
  ['sole vs sole', E('sole', g(net, cn, ...y2025)), P('sole', g(net, cn, ...y2025)), 'exclusive_overlap'],
  [
    'non-exclusive inside exclusive',
    E('exclusive', g(net, WORLD, Y(2025), Y(2030))),
    P('non-exclusive', g(net, cn, ...y2025)),
    'inside_exclusive',
  ],
  [
    'non-exclusive partly inside exclusive',
    E('exclusive', g(net, cn, ...y2025)),
    P('non-exclusive', g(net, ['CN', 'US'], Y(2025, 6), Y(2027))),
    'inside_exclusive',
  ],
  [
    'non-exclusive inside sole',
    E('sole', g(net, cn, ...y2025)),
    P('non-exclusive', g(net, cn, ...y2025)),
    'inside_exclusive',
  ],
  [
    'non-exclusive beside exclusive, other right',
    E('exclusive', g(net, cn, ...y2025)),
    P('non-exclusive', g(['performance'], cn, ...y2025)),
    undefined,
  ],
  [
    'non-exclusive beside exclusive, before it',
    E('exclusive', g(net, cn, ...y2025)),
    P('non-exclusive', g(net, cn, Y(2024), Y(2025))),
    undefined,
  ],
  [
    'non-exclusive inside own exclusive',
    E('exclusive', g(net, cn, ...y2025), 'carol'),
    P('non-exclusive', g(net, cn, ...y2025)),
    undefined,
  ],
  [
    'non-exclusive vs non-exclusive',
    E('non-exclusive', g(net, cn, ...y2025)),
    P('non-exclusive', g(net, cn, ...y2025)),
    undefined,
  ],
  [
    'exclusive over a non-exclusive of another',
    E('non-exclusive', g(net, cn, ...y2025)),
    P('exclusive', g(net, WORLD, Y(2025), Y(2030))),
    'exclusive_over_licensed',
  ],
  [
    'sole over a non-exclusive of another',
    E('non-exclusive', g(net, cn, ...y2025)),
    P('sole', g(net, cn, ...y2025)),
    'exclusive_over_licensed',
  ],
  [
    'exclusive beside a non-exclusive, other country',
    E('non-exclusive', g(net, cn, ...y2025)),
    P('exclusive', g(net, ['*', '!CN'], ...y2025)),
    undefined,
  ],
  [
    'public CC licence vs an exclusive',
    E('exclusive', g(['reproduction'], ['JP'], ...y2025)),
    { licensee: '*', ...ccLicenceTerms('CC-BY-4.0', Y(2025)) },
    'inside_exclusive',
  ],
  [
    'public CC-ND licence beside an exclusive translation licence',
    E('exclusive', g(['translation'], WORLD, ...y2025)),
    { licensee: '*', ...ccLicenceTerms('CC-BY-ND-4.0', Y(2025)) },
    undefined,
  ],
  [
    'exclusive after a public CC licence',
    licence('CC', '*', 'non-exclusive', ccLicenceTerms('CC-BY-NC-4.0', Y(2024)).grant),
    P('exclusive', g(net, cn, ...y2025)),
    'exclusive_over_licensed',
  ],
  [
    'exclusive after a CC-ND licence, derivative right',
    licence('CC', '*', 'non-exclusive', ccLicenceTerms('CC-BY-ND-4.0', Y(2024)).grant),
    P('exclusive', g(['adaptation'], cn, ...y2025)),
    undefined,
  ],
];

describe('licence overlap table', () => {
  it('has at least 25 rows', () => expect(rows.length).toBeGreaterThanOrEqual(25));
  it.each(rows)('%s', (_name, existing, proposed, expected) => {
    const conflict = licenceConflict({ prohibitions: [], duties: [], ...proposed }, [existing]);
    expect(conflict?.kind).toBe(expected);
    if (conflict) expect(conflict.licenceId).toBe(existing.id);
  });

  it('two grants overlap exactly when every axis does', () => {
    const a = g(net, cn, ...y2025);
    expect(overlapAxes(a, g(net, ['US'], ...y2025))).toEqual(['rights', 'term']);
    expect(overlapAxes(a, g(['reproduction'], cn, Y(2030), Y(2031)))).toEqual(['territory']);
    expect(grantsOverlap(a, a)).toBe(true);
  });
});

const arbTerritory = fc.oneof(
  fc.uniqueArray(fc.constantFrom('CN', 'HK', 'MO', 'TW', 'US', 'JP'), { maxLength: 4 }),
  fc
    .uniqueArray(fc.constantFrom('CN', 'HK', 'MO', 'TW', 'US', 'JP'), { maxLength: 3 })
    .map((ex) => ['*', ...ex.map((c) => `!${c}`)]),
);
const arbGrant = fc
  .record({
    rights: fc.uniqueArray(fc.constantFrom(...ECONOMIC_RIGHTS.slice(0, 4)), { minLength: 1, maxLength: 4 }),
    territory: arbTerritory,
    from: fc.integer({ min: 0, max: 10 }),
    length: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
  })
  .map(({ rights, territory, from, length }) =>
    grant(rights, normalizeTerritory(territory), from, length === null ? null : from + length),
  );
const places = ['CN', 'HK', 'MO', 'TW', 'US', 'JP', 'FR'];
const inGrant = (gr: Grant, right: string, place: string, t: number) =>
  (gr.rights as string[]).includes(right) &&
  territoryContains(gr.territory, place) &&
  gr.from <= t &&
  t < (gr.until ?? Infinity);

describe('grant algebra', () => {
  it('territory intersection and difference agree with membership of every place', () => {
    fc.assert(
      fc.property(arbTerritory, arbTerritory, (a, b) => {
        for (const p of places) {
          expect(territoryContains(intersectTerritories(a, b), p)).toBe(
            territoryContains(a, p) && territoryContains(b, p),
          );
          expect(territoryContains(subtractTerritories(a, b), p)).toBe(
            territoryContains(a, p) && !territoryContains(b, p),
          );
        }
      }),
    );
  });

  it('subtractGrant leaves disjoint pieces that cover exactly whole minus part', () => {
    fc.assert(
      fc.property(arbGrant, arbGrant, (whole, part) => {
        const pieces = subtractGrant(whole, part);
        for (const piece of pieces) expect(grantWithin(piece, whole)).toBe(true);
        for (const right of ECONOMIC_RIGHTS.slice(0, 4))
          for (const place of places)
            for (let t = 0; t < 22; t++) {
              const count = pieces.filter((piece) => inGrant(piece, right, place, t)).length;
              const expected = inGrant(whole, right, place, t) && !inGrant(part, right, place, t) ? 1 : 0;
              expect(count).toBe(expected);
            }
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  it('refuses malformed territories', () => {
    expect(() => normalizeTerritory(['cn'])).toThrow(/alpha-2/);
    expect(() => normalizeTerritory(['*', 'US'])).toThrow(/exclusions/);
    expect(normalizeTerritory(['US', 'CN', 'US'])).toEqual(['CN', 'US']);
  });
});

describe('term of protection', () => {
  it('natural persons: life of the last author + 50 years, to 31 December (China time)', () => {
    const end = protectionEnd({
      authorship: 'natural',
      createdAt: Y(1990),
      authorDeaths: [Y(2001, 3, 5), Y(2010, 12, 31) + 3_600_000],
    });
    expect(end).toBe(endOfYearInChina(2060));
    expect(new Date(end!).toISOString()).toBe('2060-12-31T16:00:00.000Z');
    // A death at 23:30 on 31 December Beijing time (15:30 UTC) belongs to that year, not the next.
    expect(
      protectionEnd({ authorship: 'natural', createdAt: 0, authorDeaths: [Date.UTC(2000, 11, 31, 15, 30)] }),
    ).toBe(endOfYearInChina(2050));
    expect(
      protectionEnd({ authorship: 'natural', createdAt: 0, authorDeaths: [Date.UTC(2000, 11, 31, 16, 30)] }),
    ).toBe(endOfYearInChina(2051));
    expect(
      protectionEnd({ authorship: 'natural', createdAt: Y(1990), authorDeaths: [Y(2001), null] }),
    ).toBeNull();
    expect(protectionEnd({ authorship: 'natural', createdAt: Y(1990), authorDeaths: [] })).toBeNull();
  });

  it('legal persons and audiovisual works: 50 years from publication, or from creation if unpublished for 50', () => {
    expect(
      protectionEnd({ authorship: 'legal', createdAt: Y(2000), publishedAt: Y(2003, 6), authorDeaths: [] }),
    ).toBe(endOfYearInChina(2053));
    expect(protectionEnd({ authorship: 'legal', createdAt: Y(2000), authorDeaths: [] })).toBe(
      endOfYearInChina(2050),
    );
    expect(
      protectionEnd({ authorship: 'legal', createdAt: Y(1900), publishedAt: Y(1960), authorDeaths: [] }),
    ).toBe(endOfYearInChina(1950));
    expect(
      protectionEnd({
        authorship: 'natural',
        audiovisual: true,
        createdAt: Y(2010),
        publishedAt: Y(2011),
        authorDeaths: [null],
      }),
    ).toBe(endOfYearInChina(2061));
  });
});

describe('use check', () => {
  const work = {
    createdAt: Y(2020),
    protectionUntil: endOfYearInChina(2090),
    holdings: [
      {
        id: 0,
        ...grant([...ECONOMIC_RIGHTS], WORLD, Y(2020), null),
        owners: [{ address: 'alice', share: SHARE_TOTAL }],
      },
    ],
    licences: [
      licence('EX', 'bob', 'exclusive', g(net, cn, ...y2025)),
      {
        ...licence('CC', '*', 'non-exclusive', ccLicenceTerms('CC-BY-NC-ND-4.0', Y(2024)).grant),
        prohibitions: ['commercialUse', 'derive'] as const,
        duties: ['attribute'] as const,
      },
    ],
  };
  const at = Y(2025, 6);
  it.each([
    [
      'licensee within its exclusive licence',
      { actor: 'bob', right: 'network', territory: 'CN', time: at },
      { allowed: true, basis: 'licence', licenceId: 'EX' },
    ],
    [
      'licensee outside its territory',
      { actor: 'bob', right: 'network', territory: 'US', time: at, purpose: 'commercial' },
      { allowed: false, reason: 'prohibited' },
    ],
    [
      'licensee after its term, non-commercial under CC',
      { actor: 'bob', right: 'network', territory: 'CN', time: Y(2026, 2), purpose: 'non-commercial' },
      { allowed: true, basis: 'licence', licenceId: 'CC' },
    ],
    [
      'owner shut out by an exclusive licence',
      { actor: 'alice', right: 'network', territory: 'CN', time: at },
      { allowed: false, reason: 'exclusive_licence' },
    ],
    [
      'owner elsewhere',
      { actor: 'alice', right: 'network', territory: 'US', time: at },
      { allowed: true, basis: 'owner' },
    ],
    [
      'anyone, non-commercial copy under CC',
      { actor: 'dave', right: 'reproduction', territory: 'FR', time: at, purpose: 'non-commercial' },
      { allowed: true, basis: 'licence', licenceId: 'CC' },
    ],
    [
      'anyone, adaptation under ND',
      { actor: 'dave', right: 'adaptation', territory: 'FR', time: at, purpose: 'non-commercial' },
      { allowed: false, reason: 'not_covered' },
    ],
    [
      'anyone, commercial use under NC',
      { actor: 'dave', right: 'reproduction', territory: 'FR', time: at },
      { allowed: false, reason: 'prohibited' },
    ],
    [
      'a moral right',
      { actor: 'bob', right: 'attribution', territory: 'CN', time: at },
      { allowed: false, reason: 'moral_right' },
    ],
    [
      'after the term',
      { actor: 'dave', right: 'adaptation', territory: 'CN', time: endOfYearInChina(2090) },
      { allowed: true, basis: 'public_domain' },
    ],
  ] as const)('%s', (_name, question, expected) => {
    expect(checkUse(question as never, work as never)).toMatchObject(expected);
  });
});

describe('royalty split', () => {
  it('sums exactly and gives each owner its floor or one more (largest remainder)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
        fc.array(fc.integer({ min: 1, max: SHARE_TOTAL }), { minLength: 1, maxLength: 16 }),
        (amount, shares) => {
          const parts = splitByShares(amount, shares);
          const total = shares.reduce((a, b) => a + b, 0);
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(amount);
          parts.forEach((p, i) => {
            const floor = (amount * BigInt(shares[i]!)) / BigInt(total);
            expect(p === floor || p === floor + 1n).toBe(true);
          });
        },
      ),
    );
  });

  it('splits 1 fen among three equal owners to the first', () => {
    expect(splitByShares(1n, [1, 1, 1])).toEqual([1n, 0n, 0n]);
    expect(splitByShares(100n, [3334, 3333, 3333])).toEqual([34n, 33n, 33n]);
    expect(splitByShares(10n, [6000, 4000])).toEqual([6n, 4n]);
    expect(() => splitByShares(10n, [0, 0])).toThrow(/zero/);
  });
});
