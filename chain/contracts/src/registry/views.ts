// Read-only views of the registry contract's state: enterprises with their life, listing status and
// reports; filings awaiting a registering authority; disclosure orders; certificates with their status
// history; notices and supply–demand posts. Deadline consequences (经营异常 at the deadline, 严重违法 three
// years on) are worked out here from block time, so a read at any height shows them from the instant they
// took effect, before a tx has written them down.
import {
  type Address,
  encodeCanonical,
  type InclusionProof,
  merkleRoot,
  type StateReader,
  verifyInclusion,
} from '@gongxin/ledger';
import {
  addCivilDays,
  addWorkingDays,
  type CivilDate,
  calendarOf,
  civilDateOf,
  endOfDayMs,
  startOfDayMs,
  type WorkCalendar,
} from '../calendar/calendar';
import { hasScope } from '../governance/views';
import { hasRole } from '../identity/views';

/** The governance authority scope of registering authorities (登记机关) and market regulators. */
export const REGISTRY_SCOPE = 'registry';
/** The app and role under which identity lists certifying bodies (认证机构). */
export const REGISTRY_APP = 'registry';
export const CERTIFIER_ROLE = 'certifier';

/** Instant disclosures are due within this many working days of the order. */
export const INSTANT_DISCLOSURE_WORKING_DAYS = 20;
/** Years on the 经营异常 list before the move to 严重违法失信. */
export const SERIOUS_AFTER_YEARS = 3;
/** Days before that move on which the notice is given. */
export const SERIOUS_NOTICE_DAYS = 60;

export const LEGAL_FORMS = [
  'limited_company',
  'joint_stock_company',
  'sole_proprietorship',
  'partnership',
  'branch',
  'individual_business',
  'cooperative',
  'foreign_invested',
  'other',
] as const;
export type LegalForm = (typeof LEGAL_FORMS)[number];

/** The entity's life (存续, 吊销, 注销, 合并), apart from its listing status and its certificates. */
export const LIVES = ['pending', 'active', 'revoked', 'deregistered', 'merged'] as const;
export type Life = (typeof LIVES)[number];
export const LISTING_STATUSES = ['normal', 'abnormal', 'serious'] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];
/** The four causes of 经营异常 (企业经营异常名录管理暂行办法 Art. 4). */
export const LISTING_CAUSES = ['annual_report', 'instant_disclosure', 'false_info', 'unreachable'] as const;
export type ListingCause = (typeof LISTING_CAUSES)[number];

export const registryKeys = {
  enterprise: (uscc: string) => `registry/ent/${uscc}`,
  filing: (id: string) => `registry/filing/${id}`,
  /** The deregistration or merger filing of an enterprise that waits for its decision: one at a time. */
  ending: (uscc: string) => `registry/ending/${uscc}`,
  order: (id: string) => `registry/order/${id}`,
  certificate: (id: string) => `registry/cert/${id}`,
  /** Certificate number (as issued by its body) → id: a number is issued once per body. */
  certNo: (issuer: string, noHex: string) => `registry/certno/${issuer}/${noHex}`,
  notice: (id: string) => `registry/notice/${id}`,
  /** 决定书文号 (UTF-8 hex) → notice id: a decision is published once. */
  decision: (noHex: string) => `registry/decision/${noHex}`,
  post: (id: string) => `registry/post/${id}`,
  /** An import batch (a legacy register migrated by its authority) by id: its Merkle root and size. */
  batch: (id: string) => `registry/batch/${id}`,
} as const;

export interface ListingRecord {
  readonly cause: ListingCause;
  /** Block time from which the enterprise is listed (for a missed deadline: the deadline itself). */
  readonly since: number;
  /** The report year or the disclosure order the listing is about. */
  readonly year?: number;
  readonly orderId?: string;
  readonly decisionNo?: string;
  /** When the notice of the coming move to 严重违法 took effect. */
  readonly noticeAt?: number;
  /** When it moved to 严重违法失信. */
  readonly seriousAt?: number;
  /** When it was removed; absent while listed. */
  readonly removedAt?: number;
}

export interface Enterprise {
  readonly uscc: string;
  readonly name: string;
  readonly previousNames: readonly string[];
  readonly legalForm: LegalForm;
  /** Registered capital in fen. */
  readonly capital: bigint;
  readonly representative: Address;
  readonly address: string;
  /** GB/T 4754 industry code. */
  readonly industry: string;
  readonly establishedOn: CivilDate;
  readonly lei?: string;
  readonly regNo?: string;
  /** The registering authority asked to accept, then the one that did. */
  readonly authority: Address;
  readonly life: Life;
  readonly successor?: string;
  /** Block time the life ended (吊销, 注销, merger), absent while active. */
  readonly endedAt?: number;
  /** First year whose annual report is owed on chain (the year of acceptance or of establishment). */
  readonly reportsFrom: number;
  readonly reports: readonly { readonly year: number; readonly time: number; readonly hash: string }[];
  readonly listings: readonly ListingRecord[];
  readonly rev: number;
  readonly at: number;
  readonly time: number;
  readonly txId: string;
  /** For an enterprise migrated from a legacy register: its batch and its leaf in the batch's tree. */
  readonly imported?: { readonly batch: string; readonly index: number };
}

export const CHANGE_FIELDS = [
  'name',
  'address',
  'capital',
  'representative',
  'industry',
  'legalForm',
] as const;
export type ChangeField = (typeof CHANGE_FIELDS)[number];

export interface Filing {
  readonly id: string;
  readonly uscc: string;
  readonly kind: 'change' | 'deregister' | 'merge';
  readonly changes?: {
    readonly name?: string;
    readonly address?: string;
    readonly capital?: bigint;
    readonly representative?: Address;
    readonly industry?: string;
    readonly legalForm?: LegalForm;
  };
  readonly effectiveOn: CivilDate;
  readonly successor?: string;
  readonly reason: string;
  readonly by: Address;
  readonly status: 'pending' | 'accepted' | 'rejected';
  readonly decidedBy?: Address;
  readonly at: number;
  readonly time: number;
}

export interface DisclosureOrder {
  readonly id: string;
  readonly uscc: string;
  readonly matter: string;
  readonly by: Address;
  readonly orderedAt: number;
  /** First instant past the 20th working day: a disclosure at or after it is late. */
  readonly deadline: number;
  readonly disclosedAt?: number;
  readonly docHash?: string;
}

export const CERT_STATUSES = ['valid', 'suspended', 'revoked', 'cancelled'] as const;
export type CertStatus = (typeof CERT_STATUSES)[number];
/** What a certificate is as of a date: its recorded status, or outside its validity. */
export type CertStandingAt = CertStatus | 'not_yet_valid' | 'expired' | 'not_issued';

export interface CertStatusEntry {
  readonly status: CertStatus;
  readonly from: number;
  readonly reason: string;
  /** A suspension's end: unfixed by then, it becomes a revocation (certrecall 0115). */
  readonly until?: number;
}

export interface Certificate {
  readonly id: string;
  readonly no: string;
  readonly issuer: Address;
  readonly holder: string;
  readonly scheme: string;
  readonly scope: string;
  readonly standard: string;
  readonly product: string;
  readonly model?: string;
  readonly site?: string;
  /** GB/T 4754 industry and product classification the certificate covers (matching uses them). */
  readonly industry: string;
  readonly classification: string;
  readonly validFrom: number;
  readonly validUntil: number;
  readonly history: readonly CertStatusEntry[];
  readonly changes: readonly {
    readonly kind: 'change' | 'correction';
    readonly field: string;
    readonly from: string;
    readonly to: string;
    readonly time: number;
  }[];
  readonly at: number;
  readonly time: number;
  readonly txId: string;
}

export interface Notice {
  readonly id: string;
  readonly kind: 'penalty' | 'registration' | 'deregistration' | 'merger' | 'other';
  readonly uscc?: string;
  readonly title: string;
  readonly bodyHash: string;
  readonly decisionNo?: string;
  readonly violation?: string;
  readonly penalties?: readonly string[];
  readonly fine?: bigint;
  readonly decidedOn?: CivilDate;
  readonly from: CivilDate;
  readonly until: CivilDate;
  readonly by: Address;
  readonly at: number;
  readonly time: number;
}

export interface Post {
  readonly id: string;
  readonly uscc: string;
  readonly kind: 'offer' | 'need';
  readonly industry: string;
  readonly classification: string;
  readonly item: string;
  readonly quantity: bigint;
  readonly unit: string;
  readonly region: string;
  readonly deliverFrom: CivilDate;
  readonly deliverUntil: CivilDate;
  readonly priceMin: bigint;
  readonly priceMax: bigint;
  readonly status: 'open' | 'closed';
  readonly by: Address;
  readonly at: number;
  readonly time: number;
}

export const enterpriseOf = (s: StateReader, uscc: string) =>
  s.get(registryKeys.enterprise(uscc)) as unknown as Enterprise | undefined;
export const registryFilingOf = (s: StateReader, id: string) =>
  s.get(registryKeys.filing(id)) as unknown as Filing | undefined;
export const orderOf = (s: StateReader, id: string) =>
  s.get(registryKeys.order(id)) as unknown as DisclosureOrder | undefined;
export const certificateOf = (s: StateReader, id: string) =>
  s.get(registryKeys.certificate(id)) as unknown as Certificate | undefined;
export const noticeOf = (s: StateReader, id: string) =>
  s.get(registryKeys.notice(id)) as unknown as Notice | undefined;
export const postOf = (s: StateReader, id: string) =>
  s.get(registryKeys.post(id)) as unknown as Post | undefined;

export const isRegistryAuthority = (s: StateReader, a: Address) => hasScope(s, a, REGISTRY_SCOPE);
export const isCertifier = (s: StateReader, a: Address) => hasRole(s, a, REGISTRY_APP, CERTIFIER_ROLE);

export function hexOfText(text: string): string {
  return Array.from(new TextEncoder().encode(text), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The listing status its records give: 严重违法 over 经营异常 over 正常. */
export function listingStatusOf(listings: readonly ListingRecord[]): ListingStatus {
  const open = listings.filter((l) => l.removedAt === undefined);
  if (open.some((l) => l.seriousAt !== undefined)) return 'serious';
  return open.length > 0 ? 'abnormal' : 'normal';
}

/** The annual report for `year` is due by the end of 30 June of the next year (China time). */
export function annualReportDeadline(year: number): number {
  return endOfDayMs(`${String(year + 1).padStart(4, '0')}-06-30`);
}

/** The report window for `year`: 1 January to 30 June of the next year. */
export function annualReportWindow(year: number): { opens: number; closes: number } {
  return {
    opens: startOfDayMs(`${String(year + 1).padStart(4, '0')}-01-01`),
    closes: annualReportDeadline(year),
  };
}

export function disclosureDeadline(calendar: WorkCalendar, orderedAt: number): number {
  return endOfDayMs(addWorkingDays(calendar, civilDateOf(orderedAt), INSTANT_DISCLOSURE_WORKING_DAYS));
}

/** Three years after a listing took effect, the same civil date (29 February → 1 March). */
export function seriousAt(since: number): number {
  const date = civilDateOf(since);
  const year = Number(date.slice(0, 4)) + SERIOUS_AFTER_YEARS;
  const monthDay = date.slice(5) === '02-29' ? '03-01' : date.slice(5);
  return startOfDayMs(`${year}-${monthDay}`) + (since - startOfDayMs(date));
}

export function seriousNoticeAt(since: number): number {
  const at = seriousAt(since);
  return (
    startOfDayMs(addCivilDays(civilDateOf(at), -SERIOUS_NOTICE_DAYS)) + (at - startOfDayMs(civilDateOf(at)))
  );
}

/** A consequence of block time the contract writes down when it next touches the enterprise. */
export type Consequence =
  | { kind: 'listed'; at: number; listing: ListingRecord }
  | { kind: 'noticed'; at: number; index: number }
  | { kind: 'escalated'; at: number; index: number };

/**
 * Everything that block time `now` has brought about for the enterprise and is not yet recorded, in the
 * order it took effect: listings for missed report years and disclosure orders, notices and moves to
 * 严重违法 of listings that have run three years. Only an active enterprise has deadlines.
 */
export function dueConsequences(
  ent: Enterprise,
  orders: readonly DisclosureOrder[],
  now: number,
): { consequences: Consequence[]; listings: ListingRecord[] } {
  const consequences: Consequence[] = [];
  const listings = [...ent.listings];
  if (ent.life !== 'active') return { consequences, listings };
  const nowYear = Number(civilDateOf(now).slice(0, 4));
  const added: ListingRecord[] = [];
  for (let year = ent.reportsFrom; year < nowYear; year++) {
    const deadline = annualReportDeadline(year);
    if (now < deadline) break;
    const onTime = ent.reports.some((r) => r.year === year && r.time < deadline);
    const recorded = listings.some((l) => l.cause === 'annual_report' && l.year === year);
    if (!onTime && !recorded) added.push({ cause: 'annual_report', since: deadline, year });
  }
  for (const o of orders) {
    if (o.uscc !== ent.uscc || now < o.deadline) continue;
    const onTime = o.disclosedAt !== undefined && o.disclosedAt < o.deadline;
    const recorded = listings.some((l) => l.cause === 'instant_disclosure' && l.orderId === o.id);
    if (!onTime && !recorded) added.push({ cause: 'instant_disclosure', since: o.deadline, orderId: o.id });
  }
  added.sort((a, b) => a.since - b.since);
  for (const listing of added) {
    listings.push(listing);
    consequences.push({ kind: 'listed', at: listing.since, listing });
  }
  listings.forEach((l, index) => {
    if (l.removedAt !== undefined) return;
    const noticeAt = seriousNoticeAt(l.since);
    const escalateAt = seriousAt(l.since);
    if (l.noticeAt === undefined && now >= noticeAt)
      consequences.push({ kind: 'noticed', at: noticeAt, index });
    if (l.seriousAt === undefined && now >= escalateAt)
      consequences.push({ kind: 'escalated', at: escalateAt, index });
  });
  consequences.sort((a, b) => a.at - b.at);
  for (const c of consequences) {
    if (c.kind === 'noticed') listings[c.index] = { ...listings[c.index]!, noticeAt: c.at };
    if (c.kind === 'escalated') listings[c.index] = { ...listings[c.index]!, seriousAt: c.at };
  }
  return { consequences, listings };
}

/** Disclosure orders of an enterprise (kept as an index beside it). */
export function ordersOf(s: StateReader, uscc: string): DisclosureOrder[] {
  const ids = (s.get(`registry/orders/${uscc}`) as readonly string[] | undefined) ?? [];
  return ids.map((id) => orderOf(s, id)!).filter(Boolean);
}

/** The enterprise as of block time `now`, with every due consequence applied. */
export function enterpriseAt(s: StateReader, uscc: string, now: number): Enterprise | undefined {
  const ent = enterpriseOf(s, uscc);
  if (!ent) return undefined;
  return { ...ent, listings: dueConsequences(ent, ordersOf(s, uscc), now).listings };
}

export function listingStatusAt(s: StateReader, uscc: string, now: number): ListingStatus | undefined {
  const ent = enterpriseAt(s, uscc, now);
  return ent && listingStatusOf(ent.listings);
}

/** In good standing: active and on no list. */
export function inGoodStanding(s: StateReader, uscc: string, now: number): boolean {
  const ent = enterpriseAt(s, uscc, now);
  return ent !== undefined && ent.life === 'active' && listingStatusOf(ent.listings) === 'normal';
}

/**
 * A certificate's status history with an expired suspension turned into a revocation at its end: what
 * the history is once block time has passed it.
 */
export function historyAt(cert: Certificate, now: number): CertStatusEntry[] {
  const history = [...cert.history];
  const last = history[history.length - 1]!;
  if (last.status === 'suspended' && last.until !== undefined && now >= last.until)
    history.push({ status: 'revoked', from: last.until, reason: 'suspension expired, cause not fixed' });
  return history;
}

/**
 * What a certificate was at block time `at` (was it valid when the product was sold?), judged with
 * what is known at `now` (a later revocation does not reach back: it takes effect from its own time).
 */
export function certificateStatusAt(cert: Certificate, at: number, now: number = at): CertStandingAt {
  const history = historyAt(cert, Math.max(now, at));
  const entry = [...history].reverse().find((h) => h.from <= at);
  if (!entry) return 'not_issued';
  if (entry.status !== 'valid') return entry.status;
  if (at < cert.validFrom) return 'not_yet_valid';
  if (at >= cert.validUntil) return 'expired';
  return 'valid';
}

export function workCalendar(s: StateReader): WorkCalendar {
  return calendarOf(s);
}

// ------------------------------------------------------------------------------------------ import

/**
 * One enterprise of a legacy register, as an authority migrates it in `importBatch`. No personal data:
 * the legal representative is named by a passport address, as in `register`.
 */
export interface ImportRecord {
  readonly uscc: string;
  readonly name: string;
  readonly legalForm: LegalForm;
  /** Registered capital in fen. */
  readonly capital: bigint;
  readonly address: string;
  readonly industry: string;
  readonly establishedOn: CivilDate;
  readonly representative: Address;
  readonly lei?: string;
  readonly regNo?: string;
}

export interface ImportBatch {
  readonly id: string;
  /** RFC 6962 Merkle root (hex) over `importLeaf` of every record, in batch order. */
  readonly root: string;
  readonly count: number;
  readonly by: Address;
  readonly at: number;
  readonly time: number;
  readonly txId: string;
}

/**
 * The leaf of record `index` of a batch: the canonical encoding of the record as the chain checked it
 * (USCC normalised), so anyone holding the record can recompute it and walk its audit path to the root.
 */
export function importLeaf(index: number, r: ImportRecord): Uint8Array {
  return encodeCanonical({
    type: 'gongxin/registry/import',
    index,
    uscc: r.uscc,
    name: r.name,
    legalForm: r.legalForm,
    capital: r.capital,
    address: r.address,
    industry: r.industry,
    establishedOn: r.establishedOn,
    representative: r.representative,
    ...(r.lei !== undefined && { lei: r.lei }),
    ...(r.regNo !== undefined && { regNo: r.regNo }),
  });
}

/** The Merkle root (RFC 6962, the ledger's tree) of a batch's records. */
export function importRoot(
  hash: (data: Uint8Array) => Uint8Array,
  records: readonly ImportRecord[],
): Uint8Array {
  return merkleRoot(
    hash,
    records.map((r, i) => importLeaf(i, r)),
  );
}

export const importBatchOf = (s: StateReader, id: string) =>
  s.get(registryKeys.batch(id)) as unknown as ImportBatch | undefined;

/** Whether `record` is leaf `proof.index` of the batch whose root is `root` (the audit path checked). */
export function verifyImportRecord(
  hash: (data: Uint8Array) => Uint8Array,
  record: ImportRecord,
  proof: InclusionProof,
  root: Uint8Array,
): boolean {
  return verifyInclusion(hash, importLeaf(proof.index, record), proof, root);
}
