// Read-only views of the copyright contract's state: works with their rights holdings, licences,
// pledges, escrows, listings and transfer filings, and who may review. The copyright app's server and
// web read these; views never write.
import type { Address, StateReader, Value } from '@gongxin/ledger';
import { amountOf } from '../common';
import { hasRole } from '../identity/views';
import type { WorkCategory } from './categories';
import {
  type Authorship,
  checkUse,
  type Duty,
  type EconomicRight,
  type Exclusivity,
  type Grant,
  grantsOverlap,
  type Holding,
  type Prohibition,
  type UseAnswer,
  type UseQuestion,
} from './rights';

/** The app name under which identity grants copyright roles. */
export const COPYRIGHT_APP = 'copyright';
/** Reviews registrations (登记审查) and records authors' deaths. */
export const REVIEWER_ROLE = 'reviewer';

export {
  REFUSED_CATEGORIES,
  type RefusedCategory,
  WORK_CATEGORIES,
  WORK_CATEGORY_NAMES_ZH,
  type WorkCategory,
} from './categories';

function hexOfText(text: string): string {
  return Array.from(new TextEncoder().encode(text), (b) => b.toString(16).padStart(2, '0')).join('');
}

export const copyrightKeys = {
  work: (id: string) => `copyright/work/${id}`,
  /** Registration number (as UTF-8 hex: keys are ASCII) → work id: a number is issued once. */
  regNo: (regNo: string) => `copyright/regno/${hexOfText(regNo)}`,
  /** File hash → the work that first recorded it. */
  file: (hashHex: string) => `copyright/file/${hashHex}`,
  licence: (id: string) => `copyright/licence/${id}`,
  licencesOfWork: (workId: string) => `copyright/licences/${workId}`,
  pledge: (id: string) => `copyright/pledge/${id}`,
  pledgesOfWork: (workId: string) => `copyright/pledges/${workId}`,
  /** Counter that orders pledges (height first, then position in the block). */
  pledgeSeq: 'copyright/pledge-seq',
  escrow: (id: string) => `copyright/escrow/${id}`,
  listing: (id: string) => `copyright/listing/${id}`,
  filing: (id: string) => `copyright/filing/${id}`,
} as const;

export interface WorkFile {
  /** SHA-256 of the file, lowercase hex: the file itself stays off chain. */
  readonly hash: string;
  /** ISCC units of the file ("ISCC:…"). */
  readonly codes: readonly string[];
  /** The tool (and version) that computed the codes. */
  readonly tool: string;
  readonly mediaType?: string;
}

export interface Author {
  readonly address: Address;
  /** Block time of death, recorded by a reviewer; null while alive (or for legal persons). */
  readonly diedAt: number | null;
}

export interface Work {
  readonly id: string;
  readonly title: string;
  readonly category: WorkCategory;
  readonly authorship: Authorship;
  readonly authors: readonly Author[];
  readonly createdAt: number;
  readonly publishedAt?: number;
  readonly files: readonly WorkFile[];
  /** 独创性说明: purpose, creation process and what is original. */
  readonly originality: string;
  readonly applicant: Address;
  readonly status: 'pending' | 'registered' | 'rejected';
  readonly regNo?: string;
  readonly review?: {
    readonly by: Address;
    readonly decision: 'approve' | 'reject';
    readonly reason: string;
    readonly at: number;
    readonly time: number;
  };
  /** Economic rights as disjoint grants, each with its owners and shares (summing to SHARE_TOTAL). */
  readonly holdings: readonly Holding[];
  readonly nextHolding: number;
  /** End of the economic rights (exclusive, block time), null while an author lives. */
  readonly protectionUntil: number | null;
  /** Bumped by every change: consents (co-signatures) name it, so none can be replayed. */
  readonly rev: number;
  readonly at: number;
  readonly time: number;
  readonly txId: string;
}

export interface Licence {
  readonly id: string;
  readonly workId: string;
  /** An address, or "*" for a public (Creative Commons) licence. */
  readonly licensee: string;
  readonly licensors: readonly Address[];
  readonly grant: Grant;
  readonly exclusivity: Exclusivity;
  readonly prohibitions: readonly Prohibition[];
  readonly duties: readonly Duty[];
  readonly cc?: string;
  readonly fee?: { readonly symbol: string; readonly amount: bigint };
  readonly contractHash?: string;
  readonly listingId?: string;
  readonly status: 'active' | 'surrendered';
  readonly at: number;
  readonly time: number;
  readonly txId: string;
}

export interface Pledge {
  readonly id: string;
  readonly workId: string;
  readonly grant: Grant;
  readonly pledgors: readonly Address[];
  readonly pledgee: Address;
  readonly debt: { readonly symbol: string; readonly amount: bigint };
  /** From this block time on the pledgee may enforce. */
  readonly dueAt: number;
  readonly contractHash: string;
  /** Order among pledges: registered earlier ranks first. */
  readonly seq: number;
  readonly status: 'active' | 'released' | 'enforced';
  readonly at: number;
  readonly time: number;
  readonly closed?: { readonly by: Address; readonly at: number; readonly time: number };
}

export type EscrowCondition =
  | { readonly kind: 'approval'; readonly approver: Address }
  | { readonly kind: 'registered'; readonly workId: string }
  | { readonly kind: 'pledgeReleased'; readonly pledgeId: string }
  | { readonly kind: 'after'; readonly time: number };

export interface Escrow {
  readonly id: string;
  readonly payer: Address;
  readonly payee: Address;
  readonly symbol: string;
  readonly amount: bigint;
  readonly condition: EscrowCondition;
  readonly refundAfter: number;
  readonly memo?: string;
  readonly status: 'open' | 'released' | 'refunded';
  readonly at: number;
  readonly closed?: { readonly by: Address; readonly at: number; readonly time: number };
}

export interface Listing {
  readonly id: string;
  readonly workId: string;
  readonly holding: number;
  readonly kind: 'licence' | 'rights';
  readonly grant: Grant;
  /** Licences sold from a listing run this long from the purchase (else the grant's own term). */
  readonly durationMs?: number;
  readonly exclusivity: Exclusivity;
  readonly prohibitions: readonly Prohibition[];
  readonly duties: readonly Duty[];
  readonly price: { readonly symbol: string; readonly amount: bigint };
  readonly quantity: number;
  readonly sold: number;
  readonly sellers: Holding['owners'];
  /** Pledges whose pledgees consented to the sale. */
  readonly pledges: readonly string[];
  readonly status: 'open' | 'sold' | 'cancelled';
  readonly at: number;
  readonly time: number;
}

export interface TransferFiling {
  readonly id: string;
  readonly workId: string;
  readonly grant: Grant;
  readonly from: Holding['owners'];
  readonly to: Holding['owners'];
  readonly contractHash: string;
  /** Everyone whose consent the contract checked (sender and co-signers). */
  readonly signedBy: readonly Address[];
  readonly reason: 'contract' | 'purchase' | 'enforcement';
  readonly at: number;
  readonly time: number;
  readonly txId: string;
}

export function workOf(state: StateReader, id: string): Work | undefined {
  return state.get(copyrightKeys.work(id)) as Work | undefined;
}

export function workIdOfRegNo(state: StateReader, regNo: string): string | undefined {
  return state.get(copyrightKeys.regNo(regNo)) as string | undefined;
}

export function workIdOfFile(state: StateReader, hashHex: string): string | undefined {
  return state.get(copyrightKeys.file(hashHex.toLowerCase())) as string | undefined;
}

// Amounts are written as bigint but a node that reloads its state decodes small integers as numbers:
// every view hands them back as bigint, so arithmetic on them never mixes the two.
const withAmount = <T extends { amount: unknown }>(x: T): T => ({
  ...x,
  amount: amountOf(x.amount as Value),
});

export function licenceOf(state: StateReader, id: string): Licence | undefined {
  const licence = state.get(copyrightKeys.licence(id)) as Licence | undefined;
  return licence?.fee ? { ...licence, fee: withAmount(licence.fee) } : licence;
}

export function licencesOfWork(state: StateReader, workId: string): Licence[] {
  const ids = (state.get(copyrightKeys.licencesOfWork(workId)) as readonly string[] | undefined) ?? [];
  return ids.map((id) => licenceOf(state, id)).filter((l): l is Licence => l !== undefined);
}

export function pledgeOf(state: StateReader, id: string): Pledge | undefined {
  const pledge = state.get(copyrightKeys.pledge(id)) as Pledge | undefined;
  return pledge && { ...pledge, debt: withAmount(pledge.debt) };
}

/** Pledges of a work in rank order (earliest registered first). */
export function pledgesOfWork(state: StateReader, workId: string): Pledge[] {
  const ids = (state.get(copyrightKeys.pledgesOfWork(workId)) as readonly string[] | undefined) ?? [];
  return ids
    .map((id) => pledgeOf(state, id))
    .filter((p): p is Pledge => p !== undefined)
    .sort((a, b) => a.seq - b.seq);
}

/** Active pledges over any part of `grant`, in rank order. */
export function activePledgesOver(state: StateReader, workId: string, grant: Grant): Pledge[] {
  return pledgesOfWork(state, workId).filter((p) => p.status === 'active' && grantsOverlap(p.grant, grant));
}

/** 1 for the first-ranked of the active pledges overlapping this one, 2 for the next… */
export function pledgeRank(state: StateReader, id: string): number | undefined {
  const pledge = pledgeOf(state, id);
  if (pledge?.status !== 'active') return undefined;
  return activePledgesOver(state, pledge.workId, pledge.grant).findIndex((p) => p.id === id) + 1;
}

export function escrowOf(state: StateReader, id: string): Escrow | undefined {
  const escrow = state.get(copyrightKeys.escrow(id)) as Escrow | undefined;
  return escrow && withAmount(escrow);
}

export function listingOf(state: StateReader, id: string): Listing | undefined {
  const listing = state.get(copyrightKeys.listing(id)) as Listing | undefined;
  return listing && { ...listing, price: withAmount(listing.price) };
}

export function filingOf(state: StateReader, id: string): TransferFiling | undefined {
  return state.get(copyrightKeys.filing(id)) as TransferFiling | undefined;
}

export function isReviewer(state: StateReader, address: Address): boolean {
  return hasRole(state, address, COPYRIGHT_APP, REVIEWER_ROLE);
}

/**
 * The use check API: "may `actor` use `right` of work `workId` in `territory` at `time`?" A work that is
 * not registered covers no use.
 */
export function useCheck(
  state: StateReader,
  workId: string,
  question: UseQuestion,
): UseAnswer | { allowed: false; reason: 'not_registered'; detail: string } {
  const work = workOf(state, workId);
  if (work?.status !== 'registered')
    return { allowed: false, reason: 'not_registered', detail: `work ${workId} is not registered` };
  return checkUse(question, {
    createdAt: work.createdAt,
    protectionUntil: work.protectionUntil,
    holdings: work.holdings,
    licences: licencesOfWork(state, workId),
  });
}

export type { EconomicRight };
