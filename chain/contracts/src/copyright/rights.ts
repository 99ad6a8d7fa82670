// The copyright bundle as pure data and rules, shared by the copyright contract (which enforces them on
// chain) and the copyright app's server (which answers questions with them off chain): which rights
// exist (著作权法 Art. 10), how long they last (Art. 21-23), how a grant of rights × territory × term
// overlaps another, whether a licence may be granted beside the ones already granted, whether a given
// use is covered, and how a payment splits among owners by share to the smallest unit. No state, no
// clock, no I/O: every instant is a block time in ms handed in by the caller.

/** Economic rights, 著作权法 Art. 10 (5)–(17): these are licensed and transferred. */
export const ECONOMIC_RIGHTS = [
  'reproduction',
  'distribution',
  'rental',
  'exhibition',
  'performance',
  'screening',
  'broadcasting',
  'network',
  'filming',
  'adaptation',
  'translation',
  'compilation',
  'other',
] as const;
export type EconomicRight = (typeof ECONOMIC_RIGHTS)[number];

/** Moral rights, Art. 10 (1)–(4): they stay with the authors and are never licensed or transferred. */
export const MORAL_RIGHTS = ['publication', 'attribution', 'alteration', 'integrity'] as const;
export type MoralRight = (typeof MORAL_RIGHTS)[number];

export const RIGHT_NAMES_ZH: Readonly<Record<EconomicRight | MoralRight, string>> = {
  publication: '发表权',
  attribution: '署名权',
  alteration: '修改权',
  integrity: '保护作品完整权',
  reproduction: '复制权',
  distribution: '发行权',
  rental: '出租权',
  exhibition: '展览权',
  performance: '表演权',
  screening: '放映权',
  broadcasting: '广播权',
  network: '信息网络传播权',
  filming: '摄制权',
  adaptation: '改编权',
  translation: '翻译权',
  compilation: '汇编权',
  other: '应当由著作权人享有的其他权利',
};

export function isMoralRight(right: string): right is MoralRight {
  return (MORAL_RIGHTS as readonly string[]).includes(right);
}

// ------------------------------------------------------------------------------------------ territory

/**
 * A territory: ISO 3166-1 alpha-2 codes (`["CN", "HK"]`), or the world (`["*"]`) less some codes
 * (`["*", "!US"]`). Sorted, without repeats: one territory, one spelling. The world less a few codes is
 * kept so that a grant of "the world except China" can be split off a worldwide holding exactly.
 */
export type Territory = readonly string[];

export const WORLD: Territory = ['*'];
export const COUNTRY_CODE = /^[A-Z]{2}$/;

interface TerritorySet {
  world: boolean;
  /** With world: the codes left out; without: the codes included. */
  codes: Set<string>;
}

function parse(t: Territory): TerritorySet {
  const world = t.includes('*');
  const codes = new Set<string>();
  for (const entry of t) {
    if (entry === '*') continue;
    if (world) {
      if (!entry.startsWith('!') || !COUNTRY_CODE.test(entry.slice(1)))
        throw new RangeError(`with "*" list only exclusions such as "!US", not "${entry}"`);
      codes.add(entry.slice(1));
    } else {
      if (!COUNTRY_CODE.test(entry)) throw new RangeError(`"${entry}" is not an ISO 3166-1 alpha-2 code`);
      codes.add(entry);
    }
  }
  return { world, codes };
}

function format(t: TerritorySet): Territory {
  const codes = [...t.codes].sort();
  return t.world ? ['*', ...codes.map((c) => `!${c}`)] : codes;
}

/** The canonical spelling; throws RangeError naming a malformed entry. */
export function normalizeTerritory(t: Territory): Territory {
  return format(parse(t));
}

export function territoryIsEmpty(t: Territory): boolean {
  const s = parse(t);
  return !s.world && s.codes.size === 0;
}

export function territoryContains(t: Territory, code: string): boolean {
  const s = parse(t);
  return s.world ? !s.codes.has(code) : s.codes.has(code);
}

export function intersectTerritories(a: Territory, b: Territory): Territory {
  const x = parse(a);
  const y = parse(b);
  if (x.world && y.world) return format({ world: true, codes: new Set([...x.codes, ...y.codes]) });
  if (x.world) return format({ world: false, codes: new Set([...y.codes].filter((c) => !x.codes.has(c))) });
  if (y.world) return format({ world: false, codes: new Set([...x.codes].filter((c) => !y.codes.has(c))) });
  return format({ world: false, codes: new Set([...x.codes].filter((c) => y.codes.has(c))) });
}

export function subtractTerritories(a: Territory, b: Territory): Territory {
  const x = parse(a);
  const y = parse(b);
  if (x.world && y.world)
    return format({ world: false, codes: new Set([...y.codes].filter((c) => !x.codes.has(c))) });
  if (x.world) return format({ world: true, codes: new Set([...x.codes, ...y.codes]) });
  if (y.world) return format({ world: false, codes: new Set([...x.codes].filter((c) => y.codes.has(c))) });
  return format({ world: false, codes: new Set([...x.codes].filter((c) => !y.codes.has(c))) });
}

export function territoriesOverlap(a: Territory, b: Territory): boolean {
  return !territoryIsEmpty(intersectTerritories(a, b));
}

export function territoryWithin(inner: Territory, outer: Territory): boolean {
  return territoryIsEmpty(subtractTerritories(inner, outer));
}

// ------------------------------------------------------------------------------------------ grants

/**
 * A slice of the economic rights: which rights, where, and when — [from, until) in block time (ms);
 * `until: null` runs to the end of the term of protection.
 */
export interface Grant {
  readonly rights: readonly EconomicRight[];
  readonly territory: Territory;
  readonly from: number;
  readonly until: number | null;
}

export type Axis = 'rights' | 'territory' | 'term';

const end = (until: number | null) => until ?? Number.POSITIVE_INFINITY;

export function termsOverlap(a: Pick<Grant, 'from' | 'until'>, b: Pick<Grant, 'from' | 'until'>): boolean {
  return a.from < end(b.until) && b.from < end(a.until);
}

export function rightsOverlap(a: readonly string[], b: readonly string[]): boolean {
  return a.some((r) => b.includes(r));
}

/**
 * Two grants overlap when they share a right, a place and an instant: they are apart as soon as one
 * axis separates them. Returns the axes on which they overlap (all three means the grants collide).
 */
export function overlapAxes(a: Grant, b: Grant): Axis[] {
  const axes: Axis[] = [];
  if (rightsOverlap(a.rights, b.rights)) axes.push('rights');
  if (territoriesOverlap(a.territory, b.territory)) axes.push('territory');
  if (termsOverlap(a, b)) axes.push('term');
  return axes;
}

export function grantsOverlap(a: Grant, b: Grant): boolean {
  return overlapAxes(a, b).length === 3;
}

/** inner lies wholly inside outer on every axis. */
export function grantWithin(inner: Grant, outer: Grant): boolean {
  return (
    inner.rights.every((r) => outer.rights.includes(r)) &&
    territoryWithin(inner.territory, outer.territory) &&
    inner.from >= outer.from &&
    end(inner.until) <= end(outer.until)
  );
}

export function intersectGrants(a: Grant, b: Grant): Grant | undefined {
  if (!grantsOverlap(a, b)) return undefined;
  const until = Math.min(end(a.until), end(b.until));
  return {
    rights: a.rights.filter((r) => b.rights.includes(r)),
    territory: intersectTerritories(a.territory, b.territory),
    from: Math.max(a.from, b.from),
    until: until === Number.POSITIVE_INFINITY ? null : until,
  };
}

/**
 * What is left of `whole` once `part` is taken out, as disjoint grants: the rights `part` does not
 * name; for the rights it names, the places it does not cover; and for those rights and places, the
 * time before and after it. Splitting a holding on a transfer leaves exactly these with the seller.
 */
export function subtractGrant(whole: Grant, part: Grant): Grant[] {
  const shared = intersectGrants(whole, part);
  if (!shared) return [whole];
  const pieces: Grant[] = [];
  const otherRights = whole.rights.filter((r) => !shared.rights.includes(r));
  if (otherRights.length > 0) pieces.push({ ...whole, rights: otherRights });
  const otherPlaces = subtractTerritories(whole.territory, shared.territory);
  if (!territoryIsEmpty(otherPlaces))
    pieces.push({ ...whole, rights: shared.rights, territory: otherPlaces });
  if (whole.from < shared.from)
    pieces.push({ rights: shared.rights, territory: shared.territory, from: whole.from, until: shared.from });
  if (shared.until !== null && end(whole.until) > shared.until)
    pieces.push({
      rights: shared.rights,
      territory: shared.territory,
      from: shared.until,
      until: whole.until,
    });
  return pieces;
}

// ------------------------------------------------------------------------------------------ licences

/**
 * Exclusivity (著作权法 Art. 26 and practice): `exclusive` (独占许可) shuts out everyone else, the owner
 * too; `sole` (排他许可) shuts out other licensees but not the owner; `non-exclusive` (普通许可) shuts out
 * no one.
 */
export const EXCLUSIVITY = ['exclusive', 'sole', 'non-exclusive'] as const;
export type Exclusivity = (typeof EXCLUSIVITY)[number];

/** ODRL-style prohibitions a licence may carry. */
export const PROHIBITIONS = ['commercialUse', 'sublicense', 'derive'] as const;
export type Prohibition = (typeof PROHIBITIONS)[number];
/** ODRL-style duties the licensee takes on. */
export const DUTIES = ['attribute', 'shareAlike', 'compensate', 'notice'] as const;
export type Duty = (typeof DUTIES)[number];

/** Anyone: the licensee of a public licence (a Creative Commons licence). */
export const PUBLIC_LICENSEE = '*';

export interface LicenceTerms {
  readonly grant: Grant;
  readonly exclusivity: Exclusivity;
  readonly prohibitions: readonly Prohibition[];
  readonly duties: readonly Duty[];
}

export interface ExistingLicence extends LicenceTerms {
  readonly id: string;
  readonly licensee: string;
  readonly status: 'active' | 'surrendered';
}

export type LicenceConflict =
  | { kind: 'exclusive_overlap'; licenceId: string; licensee: string }
  | { kind: 'inside_exclusive'; licenceId: string; licensee: string }
  | { kind: 'exclusive_over_licensed'; licenceId: string; licensee: string };

const excludesOthers = (e: Exclusivity) => e !== 'non-exclusive';

/**
 * Whether a licence may be granted beside the active ones: two exclusive (or sole) licences of
 * different licensees may not overlap; a non-exclusive licence may not reach into an exclusive one held
 * by someone else; and an exclusive licence may not be granted over what another licensee already holds
 * (that would sell the same right twice, 一权多卖). Licences of the same licensee never conflict.
 * Returns the first conflict, or undefined.
 */
export function licenceConflict(
  proposed: LicenceTerms & { readonly licensee: string },
  existing: readonly ExistingLicence[],
): LicenceConflict | undefined {
  for (const other of existing) {
    if (other.status !== 'active') continue;
    if (other.licensee === proposed.licensee && proposed.licensee !== PUBLIC_LICENSEE) continue;
    if (!grantsOverlap(proposed.grant, other.grant)) continue;
    const mine = excludesOthers(proposed.exclusivity);
    const theirs = excludesOthers(other.exclusivity);
    if (mine && theirs) return { kind: 'exclusive_overlap', licenceId: other.id, licensee: other.licensee };
    if (theirs) return { kind: 'inside_exclusive', licenceId: other.id, licensee: other.licensee };
    if (mine) return { kind: 'exclusive_over_licensed', licenceId: other.id, licensee: other.licensee };
  }
  return undefined;
}

export function describeConflict(c: LicenceConflict): string {
  switch (c.kind) {
    case 'exclusive_overlap':
      return `exclusive_overlap: it overlaps exclusive licence ${c.licenceId} of ${c.licensee} in rights, territory and term`;
    case 'inside_exclusive':
      return `inside_exclusive: it falls within exclusive licence ${c.licenceId} of ${c.licensee}`;
    case 'exclusive_over_licensed':
      return `exclusive_over_licensed: licence ${c.licenceId} of ${c.licensee} already covers part of it`;
  }
}

// ------------------------------------------------------------------------------------------ Creative Commons

/** The Creative Commons 4.0 licences (and CC0) a work may be offered under, as ODRL-style terms. */
export const CC_LICENCES = {
  'CC0-1.0': { url: 'https://creativecommons.org/publicdomain/zero/1.0/', prohibitions: [], duties: [] },
  'CC-BY-4.0': {
    url: 'https://creativecommons.org/licenses/by/4.0/',
    prohibitions: [],
    duties: ['attribute'],
  },
  'CC-BY-SA-4.0': {
    url: 'https://creativecommons.org/licenses/by-sa/4.0/',
    prohibitions: [],
    duties: ['attribute', 'shareAlike'],
  },
  'CC-BY-NC-4.0': {
    url: 'https://creativecommons.org/licenses/by-nc/4.0/',
    prohibitions: ['commercialUse'],
    duties: ['attribute'],
  },
  'CC-BY-NC-SA-4.0': {
    url: 'https://creativecommons.org/licenses/by-nc-sa/4.0/',
    prohibitions: ['commercialUse'],
    duties: ['attribute', 'shareAlike'],
  },
  'CC-BY-ND-4.0': {
    url: 'https://creativecommons.org/licenses/by-nd/4.0/',
    prohibitions: ['derive'],
    duties: ['attribute'],
  },
  'CC-BY-NC-ND-4.0': {
    url: 'https://creativecommons.org/licenses/by-nc-nd/4.0/',
    prohibitions: ['commercialUse', 'derive'],
    duties: ['attribute'],
  },
} as const satisfies Record<string, { url: string; prohibitions: Prohibition[]; duties: Duty[] }>;
export type CcLicence = keyof typeof CC_LICENCES;
export const CC_LICENCE_IDS = Object.keys(CC_LICENCES) as CcLicence[];

/** Rights that make a derivative work: what "no derivatives" (ND) withholds. */
export const DERIVATIVE_RIGHTS: readonly EconomicRight[] = [
  'adaptation',
  'translation',
  'filming',
  'compilation',
];

/** A CC licence as licence terms: worldwide, non-exclusive, to everyone, from `from` to the end of the term. */
export function ccLicenceTerms(cc: CcLicence, from: number): LicenceTerms {
  const { prohibitions, duties } = CC_LICENCES[cc];
  const withheld: readonly EconomicRight[] = (prohibitions as readonly string[]).includes('derive')
    ? DERIVATIVE_RIGHTS
    : [];
  return {
    // Rental is not among what CC 4.0 licenses (Share: reproduce, distribute, communicate, perform, display).
    grant: {
      rights: ECONOMIC_RIGHTS.filter((r) => r !== 'rental' && r !== 'other' && !withheld.includes(r)),
      territory: WORLD,
      from,
      until: null,
    },
    exclusivity: 'non-exclusive',
    prohibitions: [...prohibitions],
    duties: [...duties],
  };
}

// ------------------------------------------------------------------------------------------ term of protection

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** The calendar year (China Standard Time) an instant falls in. */
export function yearInChina(time: number): number {
  return new Date(time + BEIJING_OFFSET_MS).getUTCFullYear();
}

/** The first instant after 31 December of `year`, 24:00 China Standard Time: where a term ends (exclusive). */
export function endOfYearInChina(year: number): number {
  return Date.UTC(year + 1, 0, 1) - BEIJING_OFFSET_MS;
}

/** Who holds the economic rights from the start: a natural person, or a legal person (法人或非法人组织). */
export const AUTHORSHIPS = ['natural', 'legal'] as const;
export type Authorship = (typeof AUTHORSHIPS)[number];

export interface TermFacts {
  readonly authorship: Authorship;
  /** Block time of creation (完成). */
  readonly createdAt: number;
  readonly publishedAt?: number;
  /** Each author's death, null while alive (natural-person works). */
  readonly authorDeaths: readonly (number | null)[];
  /** Audiovisual works (视听作品) follow the publication rule whoever the author is (Art. 23). */
  readonly audiovisual?: boolean;
}

export const PROTECTION_YEARS = 50;

/**
 * When the economic rights end (exclusive, block-time ms), or null while it is not yet known (an author
 * is alive). Natural persons: life of the last surviving author + 50 years, to 31 December (Art. 23 ¶1).
 * Legal-person and audiovisual works: 50 years after first publication, to 31 December; a work not
 * published within 50 years of its creation is protected to 31 December of the 50th year after creation.
 */
export function protectionEnd(facts: TermFacts): number | null {
  if (facts.authorship === 'natural' && !facts.audiovisual) {
    if (facts.authorDeaths.length === 0 || facts.authorDeaths.some((d) => d === null)) return null;
    const lastDeath = Math.max(...(facts.authorDeaths as number[]));
    return endOfYearInChina(yearInChina(lastDeath) + PROTECTION_YEARS);
  }
  const unpublishedEnd = endOfYearInChina(yearInChina(facts.createdAt) + PROTECTION_YEARS);
  if (facts.publishedAt === undefined || facts.publishedAt >= unpublishedEnd) return unpublishedEnd;
  return endOfYearInChina(yearInChina(facts.publishedAt) + PROTECTION_YEARS);
}

// ------------------------------------------------------------------------------------------ use check

export interface UseQuestion {
  readonly actor: string;
  readonly right: EconomicRight | MoralRight;
  /** ISO 3166-1 alpha-2 code of where the use happens. */
  readonly territory: string;
  readonly time: number;
  /** Commercial unless stated otherwise: the cautious reading of a use. */
  readonly purpose?: 'commercial' | 'non-commercial';
  /** Whether the use makes a derivative work (adaptation, translation…): decided by the right used. */
}

export interface Holding extends Grant {
  readonly id: number;
  readonly owners: readonly { readonly address: string; readonly share: number }[];
}

export type UseAnswer =
  | { allowed: true; basis: 'public_domain' }
  | { allowed: true; basis: 'owner'; holding: number }
  | { allowed: true; basis: 'licence'; licenceId: string; duties: readonly Duty[] }
  | {
      allowed: false;
      reason: 'moral_right' | 'not_covered' | 'exclusive_licence' | 'prohibited' | 'outside_term';
      detail: string;
    };

function covers(grant: Grant, q: UseQuestion): boolean {
  return (
    (grant.rights as readonly string[]).includes(q.right) &&
    territoryContains(grant.territory, q.territory) &&
    grant.from <= q.time &&
    q.time < end(grant.until)
  );
}

/**
 * "May X do Y with this work in territory T at time D?" from the work's holdings, licences and term.
 * Moral rights are the authors' own and not a matter of licence; after the term anyone may use the work;
 * an owner may use what it holds unless an exclusive (独占) licence of someone else covers the use; a
 * licensee may use what an active licence of its own, or a public one, covers, within its prohibitions.
 */
export function checkUse(
  q: UseQuestion,
  work: {
    readonly createdAt: number;
    readonly protectionUntil: number | null;
    readonly holdings: readonly Holding[];
    readonly licences: readonly (ExistingLicence & { readonly grant: Grant })[];
  },
): UseAnswer {
  if (isMoralRight(q.right))
    return {
      allowed: false,
      reason: 'moral_right',
      detail: `${RIGHT_NAMES_ZH[q.right]} stays with the authors and is not licensed`,
    };
  if (q.time < work.createdAt)
    return { allowed: false, reason: 'outside_term', detail: 'the work did not exist yet' };
  if (work.protectionUntil !== null && q.time >= work.protectionUntil)
    return { allowed: true, basis: 'public_domain' };
  const purpose = q.purpose ?? 'commercial';
  const blocking = work.licences.find(
    (l) =>
      l.status === 'active' && l.exclusivity === 'exclusive' && l.licensee !== q.actor && covers(l.grant, q),
  );
  const holding = work.holdings.find((h) => covers(h, q) && h.owners.some((o) => o.address === q.actor));
  if (holding) {
    if (blocking)
      return {
        allowed: false,
        reason: 'exclusive_licence',
        detail: `exclusive licence ${blocking.id} of ${blocking.licensee} shuts out the owner for this use`,
      };
    return { allowed: true, basis: 'owner', holding: holding.id };
  }
  let prohibited: string | undefined;
  for (const l of work.licences) {
    if (
      l.status !== 'active' ||
      (l.licensee !== q.actor && l.licensee !== PUBLIC_LICENSEE) ||
      !covers(l.grant, q)
    )
      continue;
    if (purpose === 'commercial' && l.prohibitions.includes('commercialUse')) {
      prohibited = `licence ${l.id} prohibits commercial use`;
      continue;
    }
    if (DERIVATIVE_RIGHTS.includes(q.right) && l.prohibitions.includes('derive')) {
      prohibited = `licence ${l.id} prohibits derivative works`;
      continue;
    }
    return { allowed: true, basis: 'licence', licenceId: l.id, duties: l.duties };
  }
  if (prohibited) return { allowed: false, reason: 'prohibited', detail: prohibited };
  return {
    allowed: false,
    reason: 'not_covered',
    detail: 'no holding or active licence of this actor covers the use',
  };
}

// ------------------------------------------------------------------------------------------ shares and royalties

/** Owners' shares are integers summing to exactly this (万分之一 each). */
export const SHARE_TOTAL = 10_000;

/**
 * Splits `amount` (smallest unit) by integer shares with the largest-remainder method: each gets the
 * floor of its exact part, and the units left over go one each to the largest remainders (earlier
 * position first on ties). The parts always sum to `amount` exactly.
 */
export function splitByShares(amount: bigint, shares: readonly number[]): bigint[] {
  if (amount < 0n) throw new RangeError('cannot split a negative amount');
  if (shares.length === 0 || shares.some((s) => !Number.isInteger(s) || s < 0))
    throw new RangeError('shares are non-negative integers');
  const total = shares.reduce((a, b) => a + b, 0);
  if (total === 0) throw new RangeError('shares sum to zero');
  const bigTotal = BigInt(total);
  const parts = shares.map((s) => (amount * BigInt(s)) / bigTotal);
  const remainders = shares.map((s, i) => ({ i, r: (amount * BigInt(s)) % bigTotal }));
  let left = amount - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return parts;
}
