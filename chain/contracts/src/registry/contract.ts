// Enterprise registry (企业链): enterprises keyed by USCC, registered, changed and deregistered on the
// representative's filing and a registering authority's acceptance; annual reports and instant
// disclosures with deadlines the contract enforces from block time (经营异常 at the first instant past a
// deadline, 严重违法失信 three years on with a notice 60 days before); penalty and other public notices
// signed by an authority; product and service certificates issued by certifying bodies with their status
// history; and supply–demand posts of enterprises in good standing.
//
// The ledger has no per-block hook, so a deadline's consequence is recorded by the first tx that touches
// the enterprise after it (any action on it, or `sweep`, which anyone may send) with the deadline as its
// `effectiveAt`; the views apply the same rule, so every read from that instant on already shows it.
import {
  type ContractContext,
  ContractError,
  type ContractModule,
  defineAction,
  toHex,
  type Value,
} from '@gongxin/ledger';
import { z } from 'zod';
import { calendarOf, civilDateOf, endOfDayMs, isDayOfYear, startOfDayMs } from '../calendar/calendar';
import { actionId, zAddress, zHash32, zReason, zText } from '../common';
import { isRegistered } from '../identity/views';
import { checkLei, checkRegNo, checkUscc, INDUSTRY_PATTERN, isRegionCode } from './codes';
import { registryEvents } from './events';
import {
  annualReportWindow,
  type Certificate,
  CHANGE_FIELDS,
  type ChangeField,
  certificateOf,
  type DisclosureOrder,
  disclosureDeadline,
  dueConsequences,
  type Enterprise,
  enterpriseOf,
  type Filing,
  hexOfText,
  historyAt,
  type ImportBatch,
  type ImportRecord,
  importRoot,
  inGoodStanding,
  isCertifier,
  isRegistryAuthority,
  LEGAL_FORMS,
  type ListingRecord,
  listingStatusOf,
  type Notice,
  orderOf,
  ordersOf,
  type Post,
  postOf,
  registryFilingOf,
  registryKeys,
  seriousAt,
} from './views';

export const MAX_PREVIOUS_NAMES = 32;
export const MAX_REPORTS_KEPT = 64;
/**
 * Most records in one `importBatch`. The ledger's 64 KiB tx limit is what bounds a batch in practice
 * (about 250 records of a province's register); this is the ceiling should that limit grow.
 */
export const MAX_IMPORT_RECORDS = 5_000;
/** Longest a certificate may run: certification schemes issue for 3–6 years; 10 is a safe ceiling. */
export const MAX_CERT_VALIDITY_MS = 10 * 366 * 86_400_000;

// ------------------------------------------------------------------------------------------ params

const zUscc = z.string().transform((s, issue) => {
  const r = checkUscc(s);
  if (!r.ok) {
    issue.addIssue({ code: 'custom', message: `not a valid USCC (GB 32100): ${r.reason}` });
    return z.NEVER;
  }
  return r.value.code;
});
const zDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((d) => isDayOfYear(Number(d.slice(0, 4)), d.slice(5)), 'no such day');
const zIndustry = z.string().regex(INDUSTRY_PATTERN, 'a GB/T 4754 industry code such as C3971');
const zRegion = z.string().refine(isRegionCode, 'a GB/T 2260 region code of six digits, e.g. 440300');
const zFen = z.union([z.number().int(), z.bigint()]).transform((v) => BigInt(v));
const zCapital = zFen.refine((v) => v >= 0n && v < 2n ** 63n, 'capital in fen, 0 or more');
const zPositive = zFen.refine((v) => v >= 1n && v < 2n ** 63n, 'a whole number of at least 1');
const zTime = z.number().int().min(0).max(8_640_000_000_000_000);
const zId = z.string().regex(/^[0-9a-f]{64}(:\d{1,4})?$/, 'an id is a tx id, with :<action> after the first');
// Personal data in a published decision is masked (e.g. 张** or 110101********1234): an 18-digit ID or
// an 11-digit mobile number in clear is refused.
const unmasked = /(?<![0-9])([1-9]\d{16}[\dXx]|1[3-9]\d{9})(?![0-9])/;
const zPublicText = (max: number) =>
  zText(max).refine((t) => !unmasked.test(t), 'personal data (an ID or mobile number) must be masked');

const changes = z
  .object({
    name: zText(128).optional(),
    address: zText(256).optional(),
    capital: zCapital.optional(),
    representative: zAddress.optional(),
    industry: zIndustry.optional(),
    legalForm: z.enum(LEGAL_FORMS).optional(),
  })
  .strict()
  .refine((c) => Object.values(c).some((v) => v !== undefined), 'a change filing changes at least one field');

export const PENALTY_KINDS = [
  'warning',
  'fine',
  'confiscation',
  'licence_suspension',
  'licence_revocation',
  'business_restriction',
  'detention',
  'other',
] as const;

const zLei = z.string().transform((s, issue) => {
  const r = checkLei(s);
  if (!r.ok) issue.addIssue({ code: 'custom', message: r.reason });
  return r.ok ? r.value : z.NEVER;
});
const zRegNo = z.string().transform((s, issue) => {
  const r = checkRegNo(s);
  if (!r.ok) issue.addIssue({ code: 'custom', message: r.reason });
  return r.ok ? r.value : z.NEVER;
});

/** The enterprise's own fields, as `register` and a legacy register's record both carry them. */
const enterpriseFields = {
  uscc: zUscc,
  name: zText(128),
  legalForm: z.enum(LEGAL_FORMS),
  capital: zCapital,
  address: zText(256),
  industry: zIndustry,
  establishedOn: zDate,
};

/** One record of a legacy register: every field `register` requires, the representative by passport. */
const importRecord = z
  .object({ ...enterpriseFields, representative: zAddress, lei: zLei.optional(), regNo: zRegNo.optional() })
  .strict();

const schemas = {
  register: z
    .object({ ...enterpriseFields, authority: zAddress, lei: zLei.optional(), regNo: zRegNo.optional() })
    .strict(),
  decideRegistration: z
    .object({ uscc: zUscc, decision: z.enum(['accept', 'reject']), reason: zReason })
    .strict(),
  fileChange: z.object({ uscc: zUscc, changes, effectiveOn: zDate, reason: zReason }).strict(),
  fileDeregistration: z
    .object({ uscc: zUscc, effectiveOn: zDate, reason: zReason, successor: zUscc.optional() })
    .strict(),
  decideFiling: z.object({ id: zId, decision: z.enum(['accept', 'reject']), reason: zReason }).strict(),
  revokeLicence: z.object({ uscc: zUscc, decisionNo: zText(64), reason: zReason }).strict(),
  fileAnnualReport: z
    .object({ uscc: zUscc, year: z.number().int().min(2000).max(2199), hash: zHash32 })
    .strict(),
  orderDisclosure: z.object({ uscc: zUscc, matter: zText(256) }).strict(),
  discloseInstant: z.object({ orderId: zId, hash: zHash32 }).strict(),
  listAbnormal: z
    .object({ uscc: zUscc, cause: z.enum(['false_info', 'unreachable']), decisionNo: zText(64) })
    .strict(),
  requestRemoval: z.object({ uscc: zUscc }).strict(),
  removeListing: z.object({ uscc: zUscc, index: z.number().int().min(0), reason: zReason }).strict(),
  sweep: z.object({ uscc: zUscc }).strict(),
  publishPenalty: z
    .object({
      uscc: zUscc,
      decisionNo: zText(64),
      violation: zPublicText(512),
      penalties: z
        .array(z.enum(PENALTY_KINDS))
        .min(1)
        .max(PENALTY_KINDS.length)
        .refine((p) => new Set(p).size === p.length, 'a penalty kind is named twice'),
      fine: zPositive.optional(),
      decidedOn: zDate,
      bodyHash: zHash32,
      until: zDate,
    })
    .strict()
    .refine(
      (p) => p.penalties.includes('fine') === (p.fine !== undefined),
      'a fine names its amount, and only a fine',
    ),
  publishNotice: z
    .object({
      kind: z.enum(['registration', 'deregistration', 'merger', 'other']),
      uscc: zUscc.optional(),
      title: zPublicText(128),
      bodyHash: zHash32,
      from: zDate,
      until: zDate,
    })
    .strict()
    .refine((p) => p.from <= p.until, 'a notice period ends on or after its first day'),
  issueCertificate: z
    .object({
      holder: zUscc,
      no: z.string().regex(/^[^\p{Cc}\s]{1,48}$/u, 'a certificate number of 1–48 characters without spaces'),
      scheme: zText(64),
      scope: zText(512),
      standard: zText(128),
      product: zText(128),
      model: zText(128).optional(),
      site: zText(256).optional(),
      industry: zIndustry,
      classification: zText(64),
      validFrom: zTime,
      validUntil: zTime,
    })
    .strict()
    .refine((p) => p.validUntil > p.validFrom, 'validUntil is after validFrom')
    .refine((p) => p.validUntil - p.validFrom <= MAX_CERT_VALIDITY_MS, 'a certificate runs at most 10 years'),
  suspendCertificate: z.object({ id: zId, until: zTime, reason: zReason }).strict(),
  restoreCertificate: z.object({ id: zId, reason: zReason }).strict(),
  revokeCertificate: z.object({ id: zId, reason: zReason }).strict(),
  cancelCertificate: z.object({ id: zId, reason: zReason }).strict(),
  amendCertificate: z
    .object({
      id: zId,
      kind: z.enum(['change', 'correction']),
      field: z.enum(['product', 'model', 'site', 'scope', 'standard']),
      to: zText(512),
    })
    .strict()
    .refine(
      (p) => p.kind === 'correction' || ['product', 'model', 'site'].includes(p.field),
      'a change (变更) is of the product name, model or site; scope and standard are only corrected (勘误)',
    ),
  post: z
    .object({
      uscc: zUscc,
      kind: z.enum(['offer', 'need']),
      industry: zIndustry,
      classification: zText(64),
      item: zText(128),
      quantity: zPositive,
      unit: zText(16),
      region: zRegion,
      deliverFrom: zDate,
      deliverUntil: zDate,
      priceMin: zCapital,
      priceMax: zCapital,
    })
    .strict()
    .refine((p) => p.deliverFrom <= p.deliverUntil, 'the delivery window ends on or after it starts')
    .refine((p) => p.priceMin <= p.priceMax, 'priceMin is at most priceMax'),
  closePost: z.object({ id: zId }).strict(),
  importBatch: z
    .object({
      /** The Merkle root the authority computed over its extract; the contract recomputes it. */
      root: zHash32,
      records: z.array(importRecord).min(1).max(MAX_IMPORT_RECORDS),
    })
    .strict(),
} as const;

type Params<N extends keyof typeof schemas> = z.output<(typeof schemas)[N]>;

// ------------------------------------------------------------------------------------------ helpers

function requireAuthority(ctx: ContractContext, what: string): void {
  if (!isRegistryAuthority(ctx, ctx.sender))
    throw new ContractError(
      'not_authorized',
      `only a registering authority (scope ${'registry'}) may ${what}`,
    );
}

function requireCertifier(ctx: ContractContext): void {
  if (!isCertifier(ctx, ctx.sender))
    throw new ContractError('not_authorized', 'only a certifying body (role registry/certifier) may do this');
}

const save = (ctx: ContractContext, ent: Enterprise): Enterprise => {
  const next = { ...ent, rev: ent.rev + 1 };
  ctx.set(registryKeys.enterprise(ent.uscc), next as unknown as Value);
  return next;
};

/** Records every consequence block time has brought about, emitting each with its effective instant. */
function settle(ctx: ContractContext, ent: Enterprise): Enterprise {
  const { consequences, listings } = dueConsequences(ent, ordersOf(ctx, ent.uscc), ctx.time);
  if (consequences.length === 0) return ent;
  let running: ListingRecord[] = [...ent.listings];
  for (const c of consequences) {
    if (c.kind === 'listed') {
      running = [...running, c.listing];
      registryEvents.emit(ctx, 'listed', {
        uscc: ent.uscc,
        cause: c.listing.cause,
        effectiveAt: c.at,
        ...(c.listing.year !== undefined && { year: c.listing.year }),
        ...(c.listing.orderId !== undefined && { orderId: c.listing.orderId }),
        status: listingStatusOf(running),
      });
    } else {
      const l = listings[c.index]!;
      running[c.index] = {
        ...running[c.index]!,
        ...(c.kind === 'noticed' ? { noticeAt: c.at } : { seriousAt: c.at }),
      };
      if (c.kind === 'noticed')
        registryEvents.emit(ctx, 'seriousListingNoticed', {
          uscc: ent.uscc,
          cause: l.cause,
          listedAt: l.since,
          effectiveAt: c.at,
          seriousAt: seriousAt(l.since),
        });
      else
        registryEvents.emit(ctx, 'seriousListed', {
          uscc: ent.uscc,
          cause: l.cause,
          listedAt: l.since,
          effectiveAt: c.at,
        });
    }
  }
  return save(ctx, { ...ent, listings });
}

/** The enterprise, settled to block time; refused when missing or, by default, not active. */
function requireEnterprise(ctx: ContractContext, uscc: string, active = true): Enterprise {
  const ent = enterpriseOf(ctx, uscc);
  if (!ent) throw new ContractError('not_found', `no enterprise ${uscc}`);
  if (active && ent.life !== 'active')
    throw new ContractError('not_allowed', `enterprise ${uscc} is ${ent.life}, not active`);
  return settle(ctx, ent);
}

function requireRepresentative(ctx: ContractContext, ent: Enterprise): void {
  if (ent.representative !== ctx.sender)
    throw new ContractError(
      'not_authorized',
      `only the legal representative ${ent.representative} of ${ent.uscc} may file for it`,
    );
}

function appendIndex(ctx: ContractContext, key: string, id: string): void {
  const ids = (ctx.get(key) as readonly string[] | undefined) ?? [];
  ctx.set(key, [...ids, id]);
}

function requireCertificate(ctx: ContractContext, id: string): Certificate {
  const cert = certificateOf(ctx, id);
  if (!cert) throw new ContractError('not_found', `no certificate ${id}`);
  if (cert.issuer !== ctx.sender)
    throw new ContractError(
      'not_authorized',
      `only the issuing body ${cert.issuer} may act on certificate ${id}`,
    );
  // An expired suspension has become a revocation: record it before anything else.
  const history = historyAt(cert, ctx.time);
  if (history.length === cert.history.length) return cert;
  const last = history[history.length - 1]!;
  registryEvents.emit(ctx, 'certificateStatusChanged', {
    id,
    status: last.status,
    effectiveAt: last.from,
    reason: last.reason,
  });
  const next = { ...cert, history };
  ctx.set(registryKeys.certificate(id), next as unknown as Value);
  return next;
}

function setCertStatus(
  ctx: ContractContext,
  cert: Certificate,
  status: Certificate['history'][number]['status'],
  reason: string,
  until?: number,
): void {
  ctx.set(registryKeys.certificate(cert.id), {
    ...cert,
    history: [...cert.history, { status, from: ctx.time, reason, ...(until !== undefined && { until }) }],
  } as unknown as Value);
  registryEvents.emit(ctx, 'certificateStatusChanged', {
    id: cert.id,
    status,
    effectiveAt: ctx.time,
    reason,
    ...(until !== undefined && { until }),
  });
}

const currentStatus = (cert: Certificate) => cert.history[cert.history.length - 1]!.status;

/** Revoking and cancelling both end a certificate for good: neither applies to one already ended. */
function endCertificate(ctx: ContractContext, id: string, to: 'revoked' | 'cancelled', reason: string): void {
  const cert = requireCertificate(ctx, id);
  const status = currentStatus(cert);
  if (status === 'revoked' || status === 'cancelled')
    throw new ContractError('not_allowed', `certificate ${id} is ${status} already`);
  setCertStatus(ctx, cert, to, reason);
}

function fieldText(value: unknown): string {
  return typeof value === 'bigint' ? value.toString() : String(value);
}

// ------------------------------------------------------------------------------------------ contract

export const registryContract: ContractModule = {
  name: 'registry',
  version: 1,
  actions: {
    register: defineAction(schemas.register, (ctx, p: Params<'register'>) => {
      if (!isRegistered(ctx, ctx.sender))
        throw new ContractError(
          'not_found',
          `the representative ${ctx.sender} has no passport (identity account)`,
        );
      if (!isRegistryAuthority(ctx, p.authority))
        throw new ContractError('not_found', `${p.authority} is not a registering authority`);
      const existing = enterpriseOf(ctx, p.uscc);
      if (existing && existing.life !== 'pending')
        throw new ContractError('already_exists', `enterprise ${p.uscc} is registered (${existing.life})`);
      if (existing)
        throw new ContractError('already_exists', `enterprise ${p.uscc} awaits a decision already`);
      if (startOfDayMs(p.establishedOn) > ctx.time)
        throw new ContractError('not_allowed', 'establishedOn is after the block date');
      const ent: Enterprise = {
        uscc: p.uscc,
        name: p.name,
        previousNames: [],
        legalForm: p.legalForm,
        capital: p.capital,
        representative: ctx.sender,
        address: p.address,
        industry: p.industry,
        establishedOn: p.establishedOn,
        ...(p.lei !== undefined && { lei: p.lei }),
        ...(p.regNo !== undefined && { regNo: p.regNo }),
        authority: p.authority,
        life: 'pending',
        reportsFrom: 0,
        reports: [],
        listings: [],
        rev: 0,
        at: ctx.height,
        time: ctx.time,
        txId: ctx.txIdHex,
      };
      ctx.set(registryKeys.enterprise(p.uscc), ent as unknown as Value);
      registryEvents.emit(ctx, 'registrationFiled', {
        uscc: p.uscc,
        name: p.name,
        legalForm: p.legalForm,
        capital: p.capital,
        representative: ctx.sender,
        industry: p.industry,
        establishedOn: p.establishedOn,
        authority: p.authority,
      });
    }),

    decideRegistration: defineAction(schemas.decideRegistration, (ctx, p: Params<'decideRegistration'>) => {
      requireAuthority(ctx, 'decide registrations');
      const ent = enterpriseOf(ctx, p.uscc);
      if (!ent) throw new ContractError('not_found', `no enterprise ${p.uscc}`);
      if (ent.life !== 'pending')
        throw new ContractError('not_allowed', `enterprise ${p.uscc} is ${ent.life} already`);
      if (ent.authority !== ctx.sender)
        throw new ContractError(
          'not_authorized',
          `the filing asks ${ent.authority} to decide, not ${ctx.sender}`,
        );
      if (ent.representative === ctx.sender)
        throw new ContractError('not_allowed', 'an authority may not accept its own filing');
      if (p.decision === 'reject') ctx.delete(registryKeys.enterprise(p.uscc));
      else {
        // Reports are owed from the year the enterprise came on chain: earlier years were filed elsewhere.
        const year = Math.max(
          Number(civilDateOf(ctx.time).slice(0, 4)),
          Number(ent.establishedOn.slice(0, 4)),
        );
        save(ctx, { ...ent, life: 'active', reportsFrom: year });
      }
      registryEvents.emit(ctx, 'registrationDecided', {
        uscc: p.uscc,
        decision: p.decision,
        reason: p.reason,
        by: ctx.sender,
      });
    }),

    fileChange: defineAction(schemas.fileChange, (ctx, p: Params<'fileChange'>) => {
      const ent = requireEnterprise(ctx, p.uscc);
      requireRepresentative(ctx, ent);
      if (p.changes.representative !== undefined && !isRegistered(ctx, p.changes.representative))
        throw new ContractError(
          'not_found',
          `the new representative ${p.changes.representative} has no passport`,
        );
      const id = actionId(ctx);
      const filing: Filing = {
        id,
        uscc: p.uscc,
        kind: 'change',
        changes: p.changes,
        effectiveOn: p.effectiveOn,
        reason: p.reason,
        by: ctx.sender,
        status: 'pending',
        at: ctx.height,
        time: ctx.time,
      };
      ctx.set(registryKeys.filing(id), filing as unknown as Value);
      registryEvents.emit(ctx, 'filingSubmitted', {
        id,
        uscc: p.uscc,
        kind: 'change',
        fields: CHANGE_FIELDS.filter((f) => p.changes[f] !== undefined),
        effectiveOn: p.effectiveOn,
      });
    }),

    fileDeregistration: defineAction(schemas.fileDeregistration, (ctx, p: Params<'fileDeregistration'>) => {
      const ent = requireEnterprise(ctx, p.uscc);
      requireRepresentative(ctx, ent);
      if (p.successor !== undefined) {
        if (p.successor === p.uscc)
          throw new ContractError('not_allowed', 'an enterprise cannot merge into itself');
        const successor = enterpriseOf(ctx, p.successor);
        if (successor?.life !== 'active')
          throw new ContractError('not_found', `the successor ${p.successor} is not an active enterprise`);
      }
      // One ending at a time: a second would wait forever once the first is accepted (the enterprise is
      // no longer active then), and the register would show two contradicting requests.
      const waiting = ctx.get<string>(registryKeys.ending(p.uscc));
      if (waiting !== undefined)
        throw new ContractError(
          'not_allowed',
          `a deregistration or merger of ${p.uscc} already waits for its decision (filing ${waiting})`,
        );
      const id = actionId(ctx);
      const kind = p.successor !== undefined ? 'merge' : 'deregister';
      const filing: Filing = {
        id,
        uscc: p.uscc,
        kind,
        effectiveOn: p.effectiveOn,
        ...(p.successor !== undefined && { successor: p.successor }),
        reason: p.reason,
        by: ctx.sender,
        status: 'pending',
        at: ctx.height,
        time: ctx.time,
      };
      ctx.set(registryKeys.filing(id), filing as unknown as Value);
      ctx.set(registryKeys.ending(p.uscc), id);
      registryEvents.emit(ctx, 'filingSubmitted', {
        id,
        uscc: p.uscc,
        kind,
        fields: [],
        effectiveOn: p.effectiveOn,
        ...(p.successor !== undefined && { successor: p.successor }),
      });
    }),

    decideFiling: defineAction(schemas.decideFiling, (ctx, p: Params<'decideFiling'>) => {
      requireAuthority(ctx, 'decide filings');
      const filing = registryFilingOf(ctx, p.id);
      if (!filing) throw new ContractError('not_found', `no filing ${p.id}`);
      if (filing.status !== 'pending')
        throw new ContractError('not_allowed', `filing ${p.id} is ${filing.status}`);
      if (filing.by === ctx.sender)
        throw new ContractError('not_allowed', 'an authority may not decide its own filing');
      // Only an accepted filing needs the enterprise active; one that ended meanwhile (merged, revoked)
      // may still have its waiting filings rejected, or they would wait on the workbench forever.
      let ent = requireEnterprise(ctx, filing.uscc, p.decision === 'accept');
      ctx.set(registryKeys.filing(p.id), {
        ...filing,
        status: p.decision === 'accept' ? 'accepted' : 'rejected',
        decidedBy: ctx.sender,
      } as unknown as Value);
      if (filing.kind !== 'change') ctx.delete(registryKeys.ending(filing.uscc));
      registryEvents.emit(ctx, 'filingDecided', {
        id: p.id,
        uscc: filing.uscc,
        decision: p.decision,
        reason: p.reason,
        by: ctx.sender,
      });
      if (p.decision === 'reject') return;
      if (filing.kind === 'change') {
        const c = filing.changes!;
        for (const field of CHANGE_FIELDS) {
          const to = c[field as ChangeField];
          if (to === undefined) continue;
          registryEvents.emit(ctx, 'enterpriseChanged', {
            uscc: ent.uscc,
            field,
            from: fieldText(ent[field]),
            to: fieldText(to),
            effectiveOn: filing.effectiveOn,
            filing: filing.id,
          });
        }
        if (c.name !== undefined && c.name !== ent.name) {
          if (ent.previousNames.length >= MAX_PREVIOUS_NAMES)
            throw new ContractError(
              'limit_exceeded',
              `at most ${MAX_PREVIOUS_NAMES} previous names are kept`,
            );
          ent = { ...ent, previousNames: [...ent.previousNames, ent.name] };
        }
        save(ctx, { ...ent, ...c } as Enterprise);
        return;
      }
      if (filing.kind === 'merge') {
        const successor = enterpriseOf(ctx, filing.successor!);
        if (successor?.life !== 'active')
          throw new ContractError('not_allowed', `the successor ${filing.successor} is no longer active`);
      }
      const life = filing.kind === 'merge' ? 'merged' : 'deregistered';
      const effectiveAt = Math.max(ctx.time, startOfDayMs(filing.effectiveOn));
      save(ctx, {
        ...ent,
        life,
        endedAt: effectiveAt,
        ...(filing.successor !== undefined && { successor: filing.successor }),
      });
      registryEvents.emit(ctx, 'lifeChanged', {
        uscc: ent.uscc,
        life,
        ...(filing.successor !== undefined && { successor: filing.successor }),
        effectiveAt,
        reason: filing.reason,
      });
    }),

    revokeLicence: defineAction(schemas.revokeLicence, (ctx, p: Params<'revokeLicence'>) => {
      requireAuthority(ctx, 'revoke a business licence');
      const ent = requireEnterprise(ctx, p.uscc);
      save(ctx, { ...ent, life: 'revoked', endedAt: ctx.time });
      registryEvents.emit(ctx, 'lifeChanged', {
        uscc: p.uscc,
        life: 'revoked',
        effectiveAt: ctx.time,
        reason: `${p.decisionNo}: ${p.reason}`,
      });
    }),

    fileAnnualReport: defineAction(schemas.fileAnnualReport, (ctx, p: Params<'fileAnnualReport'>) => {
      const ent = requireEnterprise(ctx, p.uscc);
      requireRepresentative(ctx, ent);
      // Deadlines run on chain from `reportsFrom`; an enterprise that existed before it came on chain may
      // still file an earlier year's report (补报), from the year it was established.
      const established = Number(ent.establishedOn.slice(0, 4));
      if (p.year < established)
        throw new ContractError(
          'not_allowed',
          `${p.uscc} was established in ${established}, after ${p.year}`,
        );
      const window = annualReportWindow(p.year);
      if (ctx.time < window.opens)
        throw new ContractError('not_allowed', `the report for ${p.year} opens on ${p.year + 1}-01-01`);
      if (ent.reports.some((r) => r.year === p.year))
        throw new ContractError('already_exists', `the report for ${p.year} was filed already`);
      if (ent.reports.length >= MAX_REPORTS_KEPT)
        throw new ContractError(
          'limit_exceeded',
          `at most ${MAX_REPORTS_KEPT} reports are kept on the record`,
        );
      save(ctx, { ...ent, reports: [...ent.reports, { year: p.year, time: ctx.time, hash: p.hash }] });
      registryEvents.emit(ctx, 'annualReportFiled', {
        uscc: p.uscc,
        year: p.year,
        hash: p.hash,
        late: ctx.time >= window.closes,
      });
    }),

    orderDisclosure: defineAction(schemas.orderDisclosure, (ctx, p: Params<'orderDisclosure'>) => {
      requireAuthority(ctx, 'order a disclosure');
      requireEnterprise(ctx, p.uscc);
      const id = actionId(ctx);
      const order: DisclosureOrder = {
        id,
        uscc: p.uscc,
        matter: p.matter,
        by: ctx.sender,
        orderedAt: ctx.time,
        deadline: disclosureDeadline(calendarOf(ctx), ctx.time),
      };
      ctx.set(registryKeys.order(id), order as unknown as Value);
      appendIndex(ctx, `registry/orders/${p.uscc}`, id);
      registryEvents.emit(ctx, 'disclosureOrdered', {
        id,
        uscc: p.uscc,
        matter: p.matter,
        deadline: order.deadline,
        by: ctx.sender,
      });
    }),

    discloseInstant: defineAction(schemas.discloseInstant, (ctx, p: Params<'discloseInstant'>) => {
      const order = orderOf(ctx, p.orderId);
      if (!order) throw new ContractError('not_found', `no disclosure order ${p.orderId}`);
      const ent = requireEnterprise(ctx, order.uscc);
      requireRepresentative(ctx, ent);
      if (order.disclosedAt !== undefined)
        throw new ContractError('already_exists', `order ${p.orderId} was answered already`);
      ctx.set(registryKeys.order(p.orderId), {
        ...order,
        disclosedAt: ctx.time,
        docHash: p.hash,
      } as unknown as Value);
      registryEvents.emit(ctx, 'instantDisclosed', {
        orderId: p.orderId,
        uscc: order.uscc,
        hash: p.hash,
        late: ctx.time >= order.deadline,
      });
    }),

    listAbnormal: defineAction(schemas.listAbnormal, (ctx, p: Params<'listAbnormal'>) => {
      requireAuthority(ctx, 'list an enterprise');
      const ent = requireEnterprise(ctx, p.uscc);
      if (ent.listings.some((l) => l.removedAt === undefined && l.cause === p.cause))
        throw new ContractError('already_exists', `${p.uscc} is listed for ${p.cause} already`);
      const listings = [...ent.listings, { cause: p.cause, since: ctx.time, decisionNo: p.decisionNo }];
      save(ctx, { ...ent, listings });
      registryEvents.emit(ctx, 'listed', {
        uscc: p.uscc,
        cause: p.cause,
        effectiveAt: ctx.time,
        decisionNo: p.decisionNo,
        status: listingStatusOf(listings),
      });
    }),

    /** The enterprise asks to be removed: every listing whose cause it has cured is removed at once. */
    requestRemoval: defineAction(schemas.requestRemoval, (ctx, p: Params<'requestRemoval'>) => {
      const ent = requireEnterprise(ctx, p.uscc);
      requireRepresentative(ctx, ent);
      const cured = (l: ListingRecord) =>
        (l.cause === 'annual_report' && ent.reports.some((r) => r.year === l.year)) ||
        (l.cause === 'instant_disclosure' && orderOf(ctx, l.orderId!)?.disclosedAt !== undefined);
      const open = ent.listings.map((l, i) => [l, i] as const).filter(([l]) => l.removedAt === undefined);
      if (open.length === 0) throw new ContractError('not_allowed', `${p.uscc} is on no list`);
      const removable = open.filter(([l]) => l.seriousAt === undefined && cured(l));
      if (removable.length === 0) {
        const [l] = open[0]!;
        throw new ContractError(
          'not_allowed',
          l.seriousAt !== undefined
            ? `${p.uscc} is on the 严重违法失信 list: removal goes through credit repair at the authority`
            : l.cause === 'annual_report'
              ? `the report for ${l.year} is not filed yet`
              : l.cause === 'instant_disclosure'
                ? `order ${l.orderId} is not answered yet`
                : `a listing for ${l.cause} is removed by the authority after verification`,
        );
      }
      const listings = [...ent.listings];
      for (const [l, i] of removable) {
        listings[i] = { ...l, removedAt: ctx.time };
        registryEvents.emit(ctx, 'delisted', {
          uscc: p.uscc,
          cause: l.cause,
          listedAt: l.since,
          effectiveAt: ctx.time,
          status: listingStatusOf(listings),
          by: ctx.sender,
        });
      }
      save(ctx, { ...ent, listings });
    }),

    /** An authority removes a listing after verification (an address reached again, information corrected). */
    removeListing: defineAction(schemas.removeListing, (ctx, p: Params<'removeListing'>) => {
      requireAuthority(ctx, 'remove a listing');
      const ent = requireEnterprise(ctx, p.uscc);
      const l = ent.listings[p.index];
      if (!l || l.removedAt !== undefined)
        throw new ContractError('not_found', `${p.uscc} has no open listing ${p.index}`);
      if (l.seriousAt !== undefined)
        throw new ContractError(
          'not_allowed',
          `listing ${p.index} of ${p.uscc} is on the 严重违法失信 list: it leaves only by credit repair`,
        );
      const listings = [...ent.listings];
      listings[p.index] = { ...l, removedAt: ctx.time };
      save(ctx, { ...ent, listings });
      registryEvents.emit(ctx, 'delisted', {
        uscc: p.uscc,
        cause: l.cause,
        listedAt: l.since,
        effectiveAt: ctx.time,
        status: listingStatusOf(listings),
        by: ctx.sender,
      });
    }),

    /** Records the consequences block time has brought about; anyone may send it. */
    sweep: defineAction(schemas.sweep, (ctx, p: Params<'sweep'>) => {
      const ent = enterpriseOf(ctx, p.uscc);
      if (!ent) throw new ContractError('not_found', `no enterprise ${p.uscc}`);
      if (settle(ctx, ent) === ent) throw new ContractError('not_allowed', `nothing is due for ${p.uscc}`);
    }),

    publishPenalty: defineAction(schemas.publishPenalty, (ctx, p: Params<'publishPenalty'>) => {
      requireAuthority(ctx, 'publish a penalty decision');
      if (p.penalties.every((k) => k === 'warning'))
        throw new ContractError('not_allowed', 'a warning alone is not published (行政处罚信息公示规定)');
      if (!enterpriseOf(ctx, p.uscc)) throw new ContractError('not_found', `no enterprise ${p.uscc}`);
      if (startOfDayMs(p.decidedOn) > ctx.time)
        throw new ContractError('not_allowed', 'decidedOn is after the block date');
      const from = civilDateOf(ctx.time);
      if (p.until < from) throw new ContractError('not_allowed', 'the notice period ends before it begins');
      const decisionKey = registryKeys.decision(hexOfText(p.decisionNo));
      if (ctx.get(decisionKey) !== undefined)
        throw new ContractError('already_exists', `decision ${p.decisionNo} is published already`);
      const id = actionId(ctx);
      const notice: Notice = {
        id,
        kind: 'penalty',
        uscc: p.uscc,
        title: `行政处罚决定书 ${p.decisionNo}`,
        bodyHash: p.bodyHash,
        decisionNo: p.decisionNo,
        violation: p.violation,
        penalties: p.penalties,
        ...(p.fine !== undefined && { fine: p.fine }),
        decidedOn: p.decidedOn,
        from,
        until: p.until,
        by: ctx.sender,
        at: ctx.height,
        time: ctx.time,
      };
      ctx.set(registryKeys.notice(id), notice as unknown as Value);
      ctx.set(decisionKey, id);
      registryEvents.emit(ctx, 'noticePublished', {
        id,
        kind: 'penalty',
        uscc: p.uscc,
        title: notice.title,
        bodyHash: p.bodyHash,
        decisionNo: p.decisionNo,
        violation: p.violation,
        penalties: p.penalties,
        ...(p.fine !== undefined && { fine: p.fine }),
        from,
        until: p.until,
        by: ctx.sender,
      });
    }),

    publishNotice: defineAction(schemas.publishNotice, (ctx, p: Params<'publishNotice'>) => {
      requireAuthority(ctx, 'publish a notice');
      if (p.uscc !== undefined && !enterpriseOf(ctx, p.uscc))
        throw new ContractError('not_found', `no enterprise ${p.uscc}`);
      if (endOfDayMs(p.until) <= ctx.time)
        throw new ContractError('expired', 'the notice period has ended already');
      const id = actionId(ctx);
      const notice: Notice = { ...p, id, by: ctx.sender, at: ctx.height, time: ctx.time };
      ctx.set(registryKeys.notice(id), notice as unknown as Value);
      registryEvents.emit(ctx, 'noticePublished', {
        id,
        kind: p.kind,
        ...(p.uscc !== undefined && { uscc: p.uscc }),
        title: p.title,
        bodyHash: p.bodyHash,
        penalties: [],
        from: p.from,
        until: p.until,
        by: ctx.sender,
      });
    }),

    issueCertificate: defineAction(schemas.issueCertificate, (ctx, p: Params<'issueCertificate'>) => {
      requireCertifier(ctx);
      const holder = requireEnterprise(ctx, p.holder);
      if (listingStatusOf(holder.listings) === 'serious')
        throw new ContractError('not_allowed', `${p.holder} is on the 严重违法失信 list`);
      if (p.validUntil <= ctx.time) throw new ContractError('expired', 'the validity has ended already');
      const noKey = registryKeys.certNo(ctx.sender, hexOfText(p.no));
      if (ctx.get(noKey) !== undefined)
        throw new ContractError('already_exists', `certificate number ${p.no} was issued already`);
      const id = actionId(ctx);
      const cert: Certificate = {
        id,
        no: p.no,
        issuer: ctx.sender,
        holder: p.holder,
        scheme: p.scheme,
        scope: p.scope,
        standard: p.standard,
        product: p.product,
        ...(p.model !== undefined && { model: p.model }),
        ...(p.site !== undefined && { site: p.site }),
        industry: p.industry,
        classification: p.classification,
        validFrom: p.validFrom,
        validUntil: p.validUntil,
        history: [{ status: 'valid', from: ctx.time, reason: 'issued' }],
        changes: [],
        at: ctx.height,
        time: ctx.time,
        txId: ctx.txIdHex,
      };
      ctx.set(registryKeys.certificate(id), cert as unknown as Value);
      ctx.set(noKey, id);
      appendIndex(ctx, `registry/certs/${p.holder}`, id);
      registryEvents.emit(ctx, 'certificateIssued', {
        id,
        no: p.no,
        issuer: ctx.sender,
        holder: p.holder,
        scheme: p.scheme,
        scope: p.scope,
        standard: p.standard,
        product: p.product,
        industry: p.industry,
        classification: p.classification,
        validFrom: p.validFrom,
        validUntil: p.validUntil,
      });
    }),

    suspendCertificate: defineAction(schemas.suspendCertificate, (ctx, p: Params<'suspendCertificate'>) => {
      const cert = requireCertificate(ctx, p.id);
      if (currentStatus(cert) !== 'valid')
        throw new ContractError('not_allowed', `certificate ${p.id} is ${currentStatus(cert)}, not valid`);
      if (p.until <= ctx.time) throw new ContractError('invalid_params', 'a suspension ends after it begins');
      setCertStatus(ctx, cert, 'suspended', p.reason, p.until);
    }),

    restoreCertificate: defineAction(schemas.restoreCertificate, (ctx, p: Params<'restoreCertificate'>) => {
      const cert = requireCertificate(ctx, p.id);
      if (currentStatus(cert) !== 'suspended')
        throw new ContractError(
          'not_allowed',
          `certificate ${p.id} is ${currentStatus(cert)}, not suspended`,
        );
      setCertStatus(ctx, cert, 'valid', p.reason);
    }),

    revokeCertificate: defineAction(schemas.revokeCertificate, (ctx, p: Params<'revokeCertificate'>) =>
      endCertificate(ctx, p.id, 'revoked', p.reason),
    ),

    cancelCertificate: defineAction(schemas.cancelCertificate, (ctx, p: Params<'cancelCertificate'>) =>
      endCertificate(ctx, p.id, 'cancelled', p.reason),
    ),

    amendCertificate: defineAction(schemas.amendCertificate, (ctx, p: Params<'amendCertificate'>) => {
      const cert = requireCertificate(ctx, p.id);
      const status = currentStatus(cert);
      if (p.kind === 'change' && status !== 'valid')
        throw new ContractError('not_allowed', `a ${status} certificate is not changed`);
      const from = cert[p.field] ?? '';
      if (from === p.to) throw new ContractError('not_allowed', `${p.field} is ${p.to} already`);
      ctx.set(registryKeys.certificate(p.id), {
        ...cert,
        [p.field]: p.to,
        changes: [...cert.changes, { kind: p.kind, field: p.field, from, to: p.to, time: ctx.time }],
      } as unknown as Value);
      registryEvents.emit(ctx, 'certificateAmended', {
        id: p.id,
        kind: p.kind,
        field: p.field,
        from,
        to: p.to,
      });
    }),

    post: defineAction(schemas.post, (ctx, p: Params<'post'>) => {
      const ent = requireEnterprise(ctx, p.uscc);
      requireRepresentative(ctx, ent);
      if (!inGoodStanding(ctx, p.uscc, ctx.time))
        throw new ContractError(
          'not_allowed',
          `${p.uscc} is not in good standing (${listingStatusOf(ent.listings)})`,
        );
      if (endOfDayMs(p.deliverUntil) <= ctx.time)
        throw new ContractError('expired', 'the delivery window has ended already');
      const id = actionId(ctx);
      const post: Post = { ...p, id, status: 'open', by: ctx.sender, at: ctx.height, time: ctx.time };
      ctx.set(registryKeys.post(id), post as unknown as Value);
      registryEvents.emit(ctx, 'posted', {
        id,
        uscc: p.uscc,
        kind: p.kind,
        industry: p.industry,
        classification: p.classification,
        item: p.item,
        quantity: p.quantity,
        unit: p.unit,
        region: p.region,
        deliverFrom: p.deliverFrom,
        deliverUntil: p.deliverUntil,
        priceMin: p.priceMin,
        priceMax: p.priceMax,
      });
    }),

    /**
     * A registering authority migrates enterprises from a legacy register in one step: each record is
     * checked as `register` and `decideRegistration` would check it (USCC and its check characters,
     * required fields, a representative holding a passport, no USCC on chain already or twice in the
     * batch), any failure refuses the whole batch naming the record, and the enterprises are active at
     * once. The batch's Merkle root is kept so each enterprise can prove its record against it.
     */
    importBatch: defineAction(schemas.importBatch, (ctx, p: Params<'importBatch'>) => {
      requireAuthority(ctx, 'import enterprises');
      const records = p.records as ImportRecord[];
      const root = toHex(importRoot(ctx.suite.hash, records));
      if (root !== p.root)
        throw new ContractError(
          'invalid_params',
          `root ${p.root} is not the Merkle root of the records (${root})`,
        );
      const seen = new Set<string>();
      const thisYear = Number(civilDateOf(ctx.time).slice(0, 4));
      for (const [i, r] of records.entries()) {
        if (seen.has(r.uscc))
          throw new ContractError('already_exists', `record ${i}: USCC ${r.uscc} appears twice in the batch`);
        seen.add(r.uscc);
        const existing = enterpriseOf(ctx, r.uscc);
        if (existing)
          throw new ContractError(
            'already_exists',
            `record ${i}: enterprise ${r.uscc} is on chain already (${existing.life})`,
          );
        if (startOfDayMs(r.establishedOn) > ctx.time)
          throw new ContractError('not_allowed', `record ${i}: establishedOn is after the block date`);
        if (r.representative === ctx.sender)
          throw new ContractError(
            'not_allowed',
            `record ${i}: an authority may not import itself as representative`,
          );
        if (!isRegistered(ctx, r.representative))
          throw new ContractError(
            'not_found',
            `record ${i}: the representative ${r.representative} has no passport (identity account)`,
          );
      }
      const id = actionId(ctx);
      const batch: ImportBatch = {
        id,
        root,
        count: records.length,
        by: ctx.sender,
        at: ctx.height,
        time: ctx.time,
        txId: ctx.txIdHex,
      };
      ctx.set(registryKeys.batch(id), batch as unknown as Value);
      for (const [index, r] of records.entries()) {
        const ent: Enterprise = {
          uscc: r.uscc,
          name: r.name,
          previousNames: [],
          legalForm: r.legalForm,
          capital: r.capital,
          representative: r.representative,
          address: r.address,
          industry: r.industry,
          establishedOn: r.establishedOn,
          ...(r.lei !== undefined && { lei: r.lei }),
          ...(r.regNo !== undefined && { regNo: r.regNo }),
          authority: ctx.sender,
          life: 'active',
          // As for an accepted registration: reports are owed from the year it came on chain.
          reportsFrom: Math.max(thisYear, Number(r.establishedOn.slice(0, 4))),
          reports: [],
          listings: [],
          rev: 1,
          at: ctx.height,
          time: ctx.time,
          txId: ctx.txIdHex,
          imported: { batch: id, index },
        };
        ctx.set(registryKeys.enterprise(r.uscc), ent as unknown as Value);
      }
      registryEvents.emit(ctx, 'batchImported', {
        id,
        root,
        count: records.length,
        by: ctx.sender,
        records: records.map((r) => ({
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
        })),
      });
    }),

    closePost: defineAction(schemas.closePost, (ctx, p: Params<'closePost'>) => {
      const post = postOf(ctx, p.id);
      if (!post) throw new ContractError('not_found', `no post ${p.id}`);
      const ent = enterpriseOf(ctx, post.uscc);
      if (ent?.representative !== ctx.sender && post.by !== ctx.sender)
        throw new ContractError('not_authorized', 'only the posting enterprise may close its post');
      if (post.status !== 'open') throw new ContractError('not_allowed', `post ${p.id} is closed already`);
      ctx.set(registryKeys.post(p.id), { ...post, status: 'closed' } as unknown as Value);
      registryEvents.emit(ctx, 'postClosed', { id: p.id, uscc: post.uscc, by: ctx.sender });
    }),
  },
};

export { schemas as registryParams };
