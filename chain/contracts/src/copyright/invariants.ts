// What must hold of the copyright contract's state after every block: each work's economic rights are
// held exactly once (disjoint holdings that together cover every right, everywhere, from creation),
// owners' shares sum exactly, no right is licensed twice against an exclusive licence, listings never
// sell more than they offer, and the units in open escrows are what the contract has locked (added to
// the assets invariant by checkInvariants). Reads only.
import { asBigInt, type Value } from '@gongxin/ledger';
import type { ScannableState } from '../invariants';
import { ECONOMIC_RIGHTS, grantsOverlap, licenceConflict, SHARE_TOTAL, territoryContains } from './rights';
import type { Escrow, Licence, Listing, Work } from './views';

const SAMPLE_PLACES = ['CN', 'HK', 'MO', 'TW', 'US', 'JP', 'FR'];

/**
 * The copyright contract's problems, and the units its open escrows hold by symbol (for the assets
 * invariant). One pass over the contract's keys: the node's state lists keys by prefix by walking them all.
 */
export function checkCopyrightState(state: ScannableState): {
  problems: string[];
  escrowed: Map<string, bigint>;
} {
  const problems: string[] = [];
  const escrowed = new Map<string, bigint>();
  const licences = new Map<string, Licence[]>();
  const works: [string, Work][] = [];
  const listings: [string, Listing][] = [];
  const indexes = new Map<string, Value>();
  for (const [key, value] of state.scan('copyright/')) {
    const kind = key.split('/')[1];
    if (kind === 'escrow') {
      const escrow = value as unknown as Escrow;
      const amount = asBigInt(escrow.amount as Value);
      if (amount === undefined || amount < 1n) problems.push(`${key}: amount is not a positive integer`);
      else if (escrow.status === 'open')
        escrowed.set(escrow.symbol, (escrowed.get(escrow.symbol) ?? 0n) + amount);
    } else if (kind === 'licence') {
      const l = value as unknown as Licence;
      licences.set(l.workId, [...(licences.get(l.workId) ?? []), l]);
    } else if (kind === 'licences') indexes.set(key, value);
    else if (kind === 'work') works.push([key, value as unknown as Work]);
    else if (kind === 'listing') listings.push([key, value as unknown as Listing]);
  }
  for (const [key, work] of works) {
    for (const h of work.holdings) {
      const sum = h.owners.reduce((a, o) => a + o.share, 0);
      if (sum !== SHARE_TOTAL)
        problems.push(`${key}: holding ${h.id} shares sum to ${sum}, not ${SHARE_TOTAL}`);
      if (h.owners.some((o) => !Number.isInteger(o.share) || o.share < 1))
        problems.push(`${key}: holding ${h.id} has a share below 1`);
      if (new Set(h.owners.map((o) => o.address)).size !== h.owners.length)
        problems.push(`${key}: holding ${h.id} names an owner twice`);
    }
    work.holdings.forEach((a, i) => {
      for (const b of work.holdings.slice(i + 1))
        if (grantsOverlap(a, b)) problems.push(`${key}: holdings ${a.id} and ${b.id} overlap`);
    });
    // Every right, in sample places, at every boundary instant, is held by exactly one holding.
    const instants = new Set([work.createdAt]);
    for (const h of work.holdings) {
      instants.add(h.from);
      if (h.until !== null) instants.add(h.until);
    }
    for (const t of instants)
      for (const right of ECONOMIC_RIGHTS)
        for (const place of SAMPLE_PLACES) {
          const holders = work.holdings.filter(
            (h) =>
              h.rights.includes(right) &&
              territoryContains(h.territory, place) &&
              h.from <= t &&
              t < (h.until ?? Number.POSITIVE_INFINITY),
          ).length;
          if (holders !== 1) problems.push(`${key}: ${right} in ${place} at ${t} is held ${holders} times`);
        }
    const ofWork = licences.get(work.id) ?? [];
    const indexed = (indexes.get(`copyright/licences/${work.id}`) as string[] | undefined) ?? [];
    if (
      [...indexed].sort().join(',') !==
      ofWork
        .map((l) => l.id)
        .sort()
        .join(',')
    )
      problems.push(`${key}: licence index does not list exactly the work's licences`);
    ofWork.forEach((l, i) => {
      const conflict = licenceConflict(l, ofWork.slice(0, i));
      if (l.status === 'active' && conflict)
        problems.push(
          `copyright/licence/${l.id}: conflicts with licence ${conflict.licenceId} (${conflict.kind})`,
        );
    });
  }
  for (const [key, listing] of listings) {
    if (listing.sold > listing.quantity) problems.push(`${key}: sold ${listing.sold} of ${listing.quantity}`);
    if ((listing.status === 'sold') !== (listing.sold === listing.quantity) && listing.status !== 'cancelled')
      problems.push(`${key}: status ${listing.status} with ${listing.sold} of ${listing.quantity} sold`);
  }
  return { problems, escrowed };
}

/** The copyright contract's problems alone (empty when all hold). */
export function checkCopyrightInvariants(state: ScannableState): string[] {
  return checkCopyrightState(state).problems;
}
