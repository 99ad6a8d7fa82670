// Supply–demand matching: for a post, the counterparties' posts ranked by fit (industry and product
// classification), region and standing. Only open posts of the opposite kind whose unit, delivery window
// and price range meet are candidates, only enterprises in good standing are shown, and a supplier is
// shown only with a certificate valid now for the item. Pure and integer-scored, so the server's search,
// the browser and a test rank alike. The post list comes from the app's read model; standing and
// certificates from the chain.
import type { StateReader } from '@gongxin/ledger';
import { type Certificate, certificateOf, certificateStatusAt, inGoodStanding, type Post } from './views';

export interface MatchContext {
  /** Active and on no list at `now`. */
  goodStanding(uscc: string): boolean;
  /** Valid certificates the enterprise holds at `now`. */
  certificates(uscc: string): readonly Certificate[];
}

export interface Match {
  readonly post: Post;
  readonly score: number;
  readonly reasons: readonly string[];
  /** The certificate that qualifies a supplier for the item. */
  readonly certificate?: string;
}

/** How closely two GB/T 4754 codes agree: 4 class, 3 group, 2 division, 1 section, 0 none. */
export function industryAffinity(a: string, b: string): number {
  if (a[0] !== b[0]) return 0;
  let level = 1;
  for (const len of [3, 4, 5])
    if (a.length >= len && b.length >= len && a.slice(0, len) === b.slice(0, len)) level++;
  return level;
}

/** How near two GB/T 2260 regions are: 3 same county, 2 same city, 1 same province, 0 elsewhere. */
export function regionAffinity(a: string, b: string): number {
  if (a === b) return 3;
  if (a.slice(0, 4) === b.slice(0, 4)) return 2;
  return a.slice(0, 2) === b.slice(0, 2) ? 1 : 0;
}

/** A certificate covers an item when its industry reaches the post's and, where both name one, the class. */
export function certificateCovers(cert: Certificate, post: Post): boolean {
  return industryAffinity(cert.industry, post.industry) >= 2 && cert.classification === post.classification;
}

export function rankCounterparties(post: Post, candidates: readonly Post[], ctx: MatchContext): Match[] {
  const matches: Match[] = [];
  for (const other of candidates) {
    if (other.kind === post.kind || other.status !== 'open' || post.status !== 'open') continue;
    if (other.uscc === post.uscc || other.unit !== post.unit) continue;
    if (other.deliverFrom > post.deliverUntil || post.deliverFrom > other.deliverUntil) continue;
    const offer = post.kind === 'offer' ? post : other;
    const need = post.kind === 'need' ? post : other;
    if (BigInt(offer.priceMin) > BigInt(need.priceMax)) continue;
    const industry = industryAffinity(post.industry, other.industry);
    if (industry < 2) continue;
    if (!ctx.goodStanding(other.uscc)) continue;
    const cert = ctx.certificates(offer.uscc).find((c) => certificateCovers(c, offer));
    if (!cert) continue;
    const reasons: string[] = [`industry ${industry}/4`];
    let score = industry * 100;
    if (post.classification === other.classification) {
      score += 300;
      reasons.push('same classification');
    }
    const region = regionAffinity(post.region, other.region);
    score += region * 50;
    reasons.push(`region ${region}/3`);
    // Quantity: a supplier who covers the whole need ranks over one who covers part (in tenths).
    const covered =
      BigInt(offer.quantity) >= BigInt(need.quantity)
        ? 10n
        : (BigInt(offer.quantity) * 10n) / BigInt(need.quantity);
    score += Number(covered) * 10;
    reasons.push(`quantity ${covered}/10`);
    matches.push({ post: other, score, reasons, certificate: cert.id });
  }
  // Ties go to the earlier post: first come, first shown.
  return matches.sort(
    (a, b) => b.score - a.score || a.post.at - b.post.at || (a.post.id < b.post.id ? -1 : 1),
  );
}

/** Certificates of an enterprise valid at `now`, from the chain. */
export function validCertificatesOf(state: StateReader, uscc: string, now: number): Certificate[] {
  const ids = (state.get(`registry/certs/${uscc}`) as readonly string[] | undefined) ?? [];
  return ids
    .map((id) => certificateOf(state, id))
    .filter((c): c is Certificate => c !== undefined && certificateStatusAt(c, now) === 'valid');
}

/** A match context reading standing and certificates from chain state at block time `now`. */
export function chainMatchContext(state: StateReader, now: number): MatchContext {
  return {
    goodStanding: (uscc) => inGoodStanding(state, uscc, now),
    certificates: (uscc) => validCertificatesOf(state, uscc, now),
  };
}
