// Copyright (版权): registration of works with their authors, owners and shares, files' hashes and ISCC
// content codes (the files stay off chain); economic rights held as disjoint grants of right × territory
// × term; licences checked against each other on chain (no right sold twice); transfers as signed
// contract filings; pledges that freeze what they cover until the pledgee co-signs; escrow that releases
// only on its named condition; and a market where a purchase pays the owners by share and issues the
// licence in the same tx. Reviewers hold identity role copyright/reviewer.
//
// Consent of several parties (co-owners, pledgees) is given as co-signatures carried in the params: each
// party signs `consentMessage(chainId, action, params, work.rev)` with a key its account authorises, and
// the contract verifies them with the chain's crypto suite. The work's revision counter in the message
// makes a consent good for exactly one change of exactly that state.
import {
  type Address,
  authorisedKeys,
  type ContractContext,
  ContractError,
  type ContractModule,
  defineAction,
  encodeCanonical,
  equalBytes,
  isOriginalKey,
  type Value,
} from '@gongxin/ledger';
import { z } from 'zod';
import { lock, transferBetween, unlock } from '../assets/library';
import { assetOf } from '../assets/views';
import { actionId, zAddress, zAmount, zBytes, zHash32, zMemo, zReason, zSymbol, zText } from '../common';
import { isRegistered } from '../identity/views';
import { copyrightEvents, grantAttrs } from './events';
import {
  AUTHORSHIPS,
  CC_LICENCE_IDS,
  type CcLicence,
  ccLicenceTerms,
  DUTIES,
  describeConflict,
  ECONOMIC_RIGHTS,
  type EconomicRight,
  EXCLUSIVITY,
  type Grant,
  grantWithin,
  type Holding,
  intersectGrants,
  licenceConflict,
  normalizeTerritory,
  PROHIBITIONS,
  PUBLIC_LICENSEE,
  protectionEnd,
  SHARE_TOTAL,
  splitByShares,
  subtractGrant,
  WORLD,
} from './rights';
import {
  activePledgesOver,
  copyrightKeys,
  type Escrow,
  type EscrowCondition,
  escrowOf,
  isReviewer,
  type Licence,
  type Listing,
  licenceOf,
  licencesOfWork,
  listingOf,
  type Pledge,
  pledgeOf,
  REFUSED_CATEGORIES,
  type TransferFiling,
  WORK_CATEGORIES,
  type Work,
  type WorkCategory,
  workIdOfFile,
  workIdOfRegNo,
  workOf,
} from './views';

export const MAX_WORK_OWNERS = 16;
export const MAX_WORK_FILES = 16;
export const MAX_COSIGNATURES = 16;
/** Most holdings a work's rights may be split into: a work record stays small enough to read at once. */
export const MAX_HOLDINGS = 64;
/** Longest a licence sold from a listing may run per purchase: 100 years. */
export const MAX_LISTING_DURATION_MS = 100 * 366 * 86_400_000;

// ------------------------------------------------------------------------------------------ params

// Block-time instants in ms: before 1970 too (works, publications and deaths of the 20th century).
const zTime = z.number().int().min(-8_640_000_000_000_000).max(8_640_000_000_000_000);
const zId = z.string().regex(/^[0-9a-f]{64}(:\d{1,4})?$/, 'an id is a tx id, with :<action> after the first');
const zIscc = z.string().regex(/^ISCC:[A-Z2-7]{16,120}$/, 'an ISCC unit is "ISCC:" and base32 (A-Z, 2-7)');
const zRegNo = z
  .string()
  .regex(
    /^[^\p{Cc}\s]{1,32}$/u,
    'a registration number is 1–32 characters without spaces, e.g. 国作登字-2021-F-00268255',
  );
const zTerritoryParam = z
  .array(z.string())
  .min(1)
  .max(64)
  .transform((t, issue) => {
    try {
      return normalizeTerritory(t);
    } catch (error) {
      issue.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  })
  .refine((t) => t.length > 0, 'a territory names at least one place');
const zRights = z
  .array(
    z.enum(ECONOMIC_RIGHTS, {
      message: `economic rights are ${ECONOMIC_RIGHTS.join(', ')}; moral rights stay with the authors`,
    }),
  )
  .min(1)
  .max(ECONOMIC_RIGHTS.length)
  .refine((r) => new Set(r).size === r.length, 'a right is named twice');
const zOwners = z
  .array(z.object({ address: zAddress, share: z.number().int().min(1).max(SHARE_TOTAL) }).strict())
  .min(1)
  .max(MAX_WORK_OWNERS)
  .refine((o) => new Set(o.map((x) => x.address)).size === o.length, 'an owner is named twice')
  .refine(
    (o) => o.reduce((a, x) => a + x.share, 0) === SHARE_TOTAL,
    `owners' shares sum to exactly ${SHARE_TOTAL}`,
  );
const zCosignatures = z
  .array(z.object({ signer: zAddress, key: zBytes, signature: zBytes }).strict())
  .max(MAX_COSIGNATURES)
  .refine((c) => new Set(c.map((x) => x.signer)).size === c.length, 'a co-signer signs once')
  .default([]);
/** Which part of a holding an action is about; each bound defaults to the holding's own. */
const slice = {
  workId: zId,
  holding: z.number().int().min(0),
  rights: zRights.optional(),
  territory: zTerritoryParam.optional(),
  from: zTime.optional(),
  until: zTime.nullable().optional(),
};
const zPrice = z.object({ symbol: zSymbol, amount: zAmount }).strict();

const schemas = {
  registerWork: z
    .object({
      title: zText(128),
      category: z.enum([
        ...WORK_CATEGORIES,
        ...(Object.keys(REFUSED_CATEGORIES) as (keyof typeof REFUSED_CATEGORIES)[]),
      ]),
      authorship: z.enum(AUTHORSHIPS),
      authors: z
        .array(zAddress)
        .min(1)
        .max(MAX_WORK_OWNERS)
        .refine((a) => new Set(a).size === a.length, 'an author is named twice'),
      owners: zOwners,
      createdAt: zTime,
      publishedAt: zTime.optional(),
      files: z
        .array(
          z
            .object({
              hash: zHash32,
              codes: z.array(zIscc).max(8),
              tool: zText(64),
              mediaType: z
                .string()
                .regex(/^[a-z]+\/[a-z0-9.+-]{1,64}$/, 'a media type such as image/png')
                .optional(),
            })
            .strict(),
        )
        .min(1, 'name at least one file')
        .max(MAX_WORK_FILES)
        .refine((f) => new Set(f.map((x) => x.hash)).size === f.length, 'a file is named twice'),
      originality: zText(1000),
    })
    .strict()
    .refine(
      (p) => p.publishedAt === undefined || p.publishedAt >= p.createdAt,
      'publishedAt is not before createdAt',
    ),
  reviewWork: z
    .object({ id: zId, decision: z.enum(['approve', 'reject']), regNo: zRegNo.optional(), reason: zReason })
    .strict()
    .refine(
      (p) => (p.decision === 'approve') === (p.regNo !== undefined),
      'an approval issues a regNo, a rejection none',
    ),
  recordAuthorDeath: z.object({ id: zId, author: zAddress, diedAt: zTime }).strict(),
  grantLicence: z
    .object({
      ...slice,
      licensee: zAddress,
      exclusivity: z.enum(EXCLUSIVITY),
      prohibitions: z.array(z.enum(PROHIBITIONS)).max(PROHIBITIONS.length).default([]),
      duties: z.array(z.enum(DUTIES)).max(DUTIES.length).default([]),
      fee: zPrice.optional(),
      contractHash: zHash32.optional(),
      cosignatures: zCosignatures,
    })
    .strict(),
  offerCc: z
    .object({
      workId: zId,
      holding: z.number().int().min(0),
      cc: z.enum(CC_LICENCE_IDS as [CcLicence, ...CcLicence[]]),
      cosignatures: zCosignatures,
    })
    .strict(),
  surrenderLicence: z.object({ id: zId, reason: zReason }).strict(),
  transferRights: z
    .object({ ...slice, to: zOwners, contractHash: zHash32, cosignatures: zCosignatures })
    .strict(),
  pledge: z
    .object({
      ...slice,
      pledgee: zAddress,
      debt: zPrice,
      dueAt: zTime,
      contractHash: zHash32,
      cosignatures: zCosignatures,
    })
    .strict(),
  releasePledge: z.object({ id: zId }).strict(),
  enforcePledge: z.object({ id: zId }).strict(),
  openEscrow: z
    .object({
      payee: zAddress,
      symbol: zSymbol,
      amount: zAmount,
      condition: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('approval'), approver: zAddress }).strict(),
        z.object({ kind: z.literal('registered'), workId: zId }).strict(),
        z.object({ kind: z.literal('pledgeReleased'), pledgeId: zId }).strict(),
        z.object({ kind: z.literal('after'), time: zTime }).strict(),
      ]),
      refundAfter: zTime,
      memo: zMemo.optional(),
    })
    .strict(),
  releaseEscrow: z.object({ id: zId }).strict(),
  refundEscrow: z.object({ id: zId }).strict(),
  list: z
    .object({
      ...slice,
      kind: z.enum(['licence', 'rights']),
      durationMs: z.number().int().min(1).max(MAX_LISTING_DURATION_MS).optional(),
      exclusivity: z.enum(EXCLUSIVITY).default('non-exclusive'),
      prohibitions: z.array(z.enum(PROHIBITIONS)).max(PROHIBITIONS.length).default([]),
      duties: z.array(z.enum(DUTIES)).max(DUTIES.length).default([]),
      price: zPrice,
      quantity: z.number().int().min(1).max(1_000_000).default(1),
      cosignatures: zCosignatures,
    })
    .strict()
    .refine(
      (p) => p.kind === 'licence' || p.durationMs === undefined,
      'only a licence listing has a duration',
    )
    .refine(
      (p) => p.kind === 'licence' || p.quantity === 1,
      'rights are sold once: a rights listing has quantity 1',
    )
    .refine(
      (p) => p.exclusivity === 'non-exclusive' || p.quantity === 1,
      'an exclusive or sole licence is sold once: quantity 1',
    ),
  cancelListing: z.object({ id: zId }).strict(),
  purchase: z.object({ listingId: zId }).strict(),
} as const;

type Params<N extends keyof typeof schemas> = z.output<(typeof schemas)[N]>;

// ------------------------------------------------------------------------------------------ consent

/** Values as the chain encodes them: absent optional fields dropped. */
function plain(value: unknown): Value {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const out: Record<string, Value> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v);
    return out;
  }
  return value as Value;
}

/**
 * The bytes a party signs to consent to `action` with `params` (as sent, without `cosignatures`) while
 * the work is at revision `rev`. Clients build co-signatures with this; the contract checks them.
 */
export function consentMessage(chainId: string, action: string, params: unknown, rev: number): Uint8Array {
  const schema = (schemas as Record<string, z.ZodType>)[action];
  if (!schema) throw new Error(`copyright has no action ${action}`);
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw new Error(`params of ${action} are invalid: ${parsed.error.issues[0]?.message}`);
  const { cosignatures: _, ...terms } = parsed.data as Record<string, unknown>;
  return encodeCanonical({ type: 'gongxin/copyright/consent', chainId, action, rev, params: plain(terms) });
}

type Party = { address: Address; as: string };

/**
 * Checks that every required party consented: the sender by sending, the others by a valid co-signature
 * of this exact action on this revision of the work. Returns who signed.
 */
function requireConsent(
  ctx: ContractContext,
  action: keyof typeof schemas,
  params: { cosignatures: readonly { signer: Address; key: Uint8Array; signature: Uint8Array }[] },
  work: Work,
  required: readonly Party[],
): Address[] {
  const signed = new Set<Address>([ctx.sender]);
  if (params.cosignatures.length > 0) {
    const message = consentMessage(ctx.chainId, action, params, work.rev);
    for (const { signer, key, signature } of params.cosignatures) {
      const keys = authorisedKeys(ctx, signer);
      const authorised = keys ? keys.some((k) => equalBytes(k, key)) : isOriginalKey(ctx.suite, signer, key);
      if (!authorised)
        throw new ContractError('not_authorized', `the co-signing key is not authorised for ${signer}`);
      if (!ctx.suite.verify(signature, message, key))
        throw new ContractError(
          'not_authorized',
          `the co-signature of ${signer} does not verify for ${action} on revision ${work.rev} of work ${work.id}`,
        );
      signed.add(signer);
    }
  }
  const missing = required.filter((p) => !signed.has(p.address));
  if (missing.length > 0)
    throw new ContractError(
      'not_authorized',
      `${action} needs the consent of ${missing.map((p) => `${p.address} (${p.as})`).join(', ')}: send it or add their co-signatures`,
    );
  return [...signed];
}

// ------------------------------------------------------------------------------------------ helpers

function requireWork(ctx: ContractContext, id: string, registered = true): Work {
  const work = workOf(ctx, id);
  if (!work) throw new ContractError('not_found', `no work ${id}`);
  if (registered && work.status !== 'registered')
    throw new ContractError('not_allowed', `work ${id} is ${work.status}, not registered`);
  return work;
}

function requireReviewer(ctx: ContractContext, what: string): void {
  if (!isReviewer(ctx, ctx.sender))
    throw new ContractError('not_authorized', `only a holder of role copyright/reviewer may ${what}`);
}

function requirePassport(ctx: ContractContext, address: Address, who: string): void {
  if (!isRegistered(ctx, address))
    throw new ContractError('not_found', `${who} ${address} has no passport (identity account)`);
}

function saveWork(ctx: ContractContext, work: Work): Work {
  const next = { ...work, rev: work.rev + 1 };
  ctx.set(copyrightKeys.work(work.id), next as unknown as Value);
  return next;
}

function holdingOf(work: Work, id: number): Holding {
  const holding = work.holdings.find((h) => h.id === id);
  if (!holding) throw new ContractError('not_found', `work ${work.id} has no holding ${id}`);
  return holding;
}

/** The grant an action names within a holding, each bound defaulting to the holding's. */
function sliceOf(
  work: Work,
  holding: Holding,
  p: { rights?: EconomicRight[]; territory?: readonly string[]; from?: number; until?: number | null },
): Grant {
  const grant: Grant = {
    rights: p.rights ?? holding.rights,
    territory: p.territory ?? holding.territory,
    from: p.from ?? holding.from,
    until: p.until === undefined ? holding.until : p.until,
  };
  if (grant.until !== null && grant.until <= grant.from)
    throw new ContractError('invalid_params', 'until must be after from');
  if (!grantWithin(grant, holding))
    throw new ContractError(
      'not_allowed',
      `the grant reaches outside holding ${holding.id} of work ${work.id}`,
    );
  if (work.protectionUntil !== null && grant.from >= work.protectionUntil)
    throw new ContractError(
      'expired',
      `the economic rights of work ${work.id} ended at ${work.protectionUntil}`,
    );
  return grant;
}

const ownersAsParties = (holding: Holding): Party[] =>
  holding.owners.map((o) => ({ address: o.address, as: 'owner' }));
const pledgeesOver = (ctx: ContractContext, workId: string, grant: Grant): Party[] =>
  activePledgesOver(ctx, workId, grant).map((p) => ({ address: p.pledgee, as: `pledgee of pledge ${p.id}` }));

/**
 * Moves `grant` (wherever it lies across holdings) to `to`: each holding it touches is split into the
 * part that moves and the pieces that stay. Licences and pledges name the work and the grant, not the
 * holding, so they follow the right untouched.
 */
function moveGrant(work: Work, grant: Grant, to: Holding['owners']): { work: Work; from: Holding['owners'] } {
  let next = work.nextHolding;
  const holdings: Holding[] = [];
  const fromShares = new Map<Address, number>();
  for (const h of work.holdings) {
    const moving = intersectGrants(h, grant);
    if (!moving) {
      holdings.push(h);
      continue;
    }
    for (const o of h.owners) fromShares.set(o.address, (fromShares.get(o.address) ?? 0) + o.share);
    for (const piece of subtractGrant(h, grant)) holdings.push({ ...piece, id: next++, owners: h.owners });
    holdings.push({ ...moving, id: next++, owners: to });
  }
  if (holdings.length > MAX_HOLDINGS)
    throw new ContractError(
      'limit_exceeded',
      `the rights of work ${work.id} would be split into ${holdings.length} holdings, at most ${MAX_HOLDINGS}: transfer larger parts`,
    );
  const from = [...fromShares].map(([address, share]) => ({ address, share }));
  return { work: { ...work, holdings, nextHolding: next }, from };
}

function fileTransfer(
  ctx: ContractContext,
  work: Work,
  grant: Grant,
  to: Holding['owners'],
  reason: TransferFiling['reason'],
  signedBy: Address[],
  contractHash?: string,
): { work: Work; filing: string } {
  const moved = moveGrant(work, grant, to);
  const filing = `${actionId(ctx)}`;
  const record: TransferFiling = {
    id: filing,
    workId: work.id,
    grant,
    from: moved.from,
    to,
    contractHash: contractHash ?? '',
    signedBy,
    reason,
    at: ctx.height,
    time: ctx.time,
    txId: ctx.txIdHex,
  };
  ctx.set(copyrightKeys.filing(filing), record as unknown as Value);
  copyrightEvents.emit(ctx, 'rightsTransferred', {
    filing,
    workId: work.id,
    grant: grantAttrs(grant),
    from: [...moved.from],
    to: [...to],
    reason,
    ...(contractHash && { contractHash }),
    signedBy,
  });
  return { work: moved.work, filing };
}

function appendIndex(ctx: ContractContext, key: string, id: string): void {
  const ids = (ctx.get(key) as readonly string[] | undefined) ?? [];
  ctx.set(key, [...ids, id]);
}

function issueLicence(
  ctx: ContractContext,
  work: Work,
  licence: Omit<Licence, 'at' | 'time' | 'txId' | 'status'>,
): void {
  const conflict = licenceConflict(licence, licencesOfWork(ctx, work.id));
  if (conflict) throw new ContractError('not_allowed', `licence refused, ${describeConflict(conflict)}`);
  const record: Licence = { ...licence, status: 'active', at: ctx.height, time: ctx.time, txId: ctx.txIdHex };
  ctx.set(copyrightKeys.licence(licence.id), record as unknown as Value);
  appendIndex(ctx, copyrightKeys.licencesOfWork(work.id), licence.id);
  copyrightEvents.emit(ctx, 'licenceGranted', {
    id: licence.id,
    workId: work.id,
    licensee: licence.licensee,
    licensors: [...licence.licensors],
    grant: grantAttrs(licence.grant),
    exclusivity: licence.exclusivity,
    prohibitions: [...licence.prohibitions],
    duties: [...licence.duties],
    ...(licence.cc && { cc: licence.cc }),
    ...(licence.listingId && { listingId: licence.listingId }),
  });
}

function conditionText(c: EscrowCondition): string {
  switch (c.kind) {
    case 'approval':
      return `approval:${c.approver}`;
    case 'registered':
      return `registered:${c.workId}`;
    case 'pledgeReleased':
      return `pledgeReleased:${c.pledgeId}`;
    case 'after':
      return `after:${c.time}`;
  }
}

/** Whether an escrow's condition holds now; `by` is who asks (an approval is given by asking). */
function conditionMet(ctx: ContractContext, c: EscrowCondition, by: Address): boolean {
  switch (c.kind) {
    case 'approval':
      return by === c.approver;
    case 'registered':
      return workOf(ctx, c.workId)?.status === 'registered';
    case 'pledgeReleased':
      return pledgeOf(ctx, c.pledgeId)?.status === 'released';
    case 'after':
      return ctx.time >= c.time;
  }
}

const escrowRef = (id: string) => `copyright-escrow:${id}`;

// ------------------------------------------------------------------------------------------ contract

export const copyrightContract: ContractModule = {
  name: 'copyright',
  version: 1,
  actions: {
    registerWork: defineAction(schemas.registerWork, (ctx, p: Params<'registerWork'>) => {
      if (p.category in REFUSED_CATEGORIES)
        throw new ContractError(
          'not_allowed',
          `not protected by copyright (著作权法 Art. 5), so not registrable: ${REFUSED_CATEGORIES[p.category as keyof typeof REFUSED_CATEGORIES]}`,
        );
      requirePassport(ctx, ctx.sender, 'applicant');
      if (!p.authors.includes(ctx.sender) && !p.owners.some((o) => o.address === ctx.sender))
        throw new ContractError('not_authorized', 'the applicant must be an author or an owner of the work');
      for (const a of p.authors) requirePassport(ctx, a, 'author');
      for (const o of p.owners) requirePassport(ctx, o.address, 'owner');
      if (p.createdAt > ctx.time) throw new ContractError('not_allowed', 'createdAt is after the block time');
      if (p.publishedAt !== undefined && p.publishedAt > ctx.time)
        throw new ContractError('not_allowed', 'publishedAt is after the block time');
      for (const f of p.files) {
        const first = workIdOfFile(ctx, f.hash);
        if (first)
          throw new ContractError('already_exists', `file ${f.hash} was first recorded by work ${first}`);
      }
      const category = p.category as WorkCategory;
      const protectionUntil = protectionEnd({
        authorship: p.authorship,
        createdAt: p.createdAt,
        ...(p.publishedAt !== undefined && { publishedAt: p.publishedAt }),
        authorDeaths: p.authors.map(() => null),
        audiovisual: category === 'audiovisual',
      });
      if (protectionUntil !== null && ctx.time >= protectionUntil)
        throw new ContractError(
          'expired',
          `the term of protection ended at ${protectionUntil}: the work is in the public domain`,
        );
      const id = actionId(ctx);
      const work: Work = {
        id,
        title: p.title,
        category,
        authorship: p.authorship,
        authors: p.authors.map((address) => ({ address, diedAt: null })),
        createdAt: p.createdAt,
        ...(p.publishedAt !== undefined && { publishedAt: p.publishedAt }),
        files: p.files,
        originality: p.originality,
        applicant: ctx.sender,
        status: 'pending',
        holdings: [
          {
            id: 0,
            rights: [...ECONOMIC_RIGHTS],
            territory: WORLD,
            from: p.createdAt,
            until: null,
            owners: p.owners,
          },
        ],
        nextHolding: 1,
        protectionUntil,
        rev: 0,
        at: ctx.height,
        time: ctx.time,
        txId: ctx.txIdHex,
      };
      ctx.set(copyrightKeys.work(id), work as unknown as Value);
      for (const f of p.files) ctx.set(copyrightKeys.file(f.hash), id);
      copyrightEvents.emit(ctx, 'workSubmitted', {
        id,
        title: p.title,
        category,
        applicant: ctx.sender,
        authors: p.authors,
        owners: p.owners,
        files: p.files.map((f) => f.hash),
        codes: p.files.flatMap((f) => f.codes),
      });
    }),

    reviewWork: defineAction(schemas.reviewWork, (ctx, p: Params<'reviewWork'>) => {
      requireReviewer(ctx, 'review registrations');
      const work = requireWork(ctx, p.id, false);
      if (work.status !== 'pending')
        throw new ContractError('not_allowed', `work ${p.id} was already reviewed (${work.status})`);
      if (work.applicant === ctx.sender || work.authors.some((a) => a.address === ctx.sender))
        throw new ContractError('not_allowed', 'a reviewer may not review a work of their own');
      if (p.regNo !== undefined) {
        const holder = workIdOfRegNo(ctx, p.regNo);
        if (holder)
          throw new ContractError(
            'already_exists',
            `registration number ${p.regNo} was issued to work ${holder}`,
          );
        ctx.set(copyrightKeys.regNo(p.regNo), p.id);
      }
      saveWork(ctx, {
        ...work,
        status: p.decision === 'approve' ? 'registered' : 'rejected',
        ...(p.regNo !== undefined && { regNo: p.regNo }),
        review: { by: ctx.sender, decision: p.decision, reason: p.reason, at: ctx.height, time: ctx.time },
      });
      copyrightEvents.emit(ctx, 'workReviewed', {
        id: p.id,
        decision: p.decision,
        ...(p.regNo !== undefined && { regNo: p.regNo }),
        reason: p.reason,
        by: ctx.sender,
        ...(work.protectionUntil !== null && { protectionUntil: work.protectionUntil }),
      });
    }),

    recordAuthorDeath: defineAction(schemas.recordAuthorDeath, (ctx, p: Params<'recordAuthorDeath'>) => {
      requireReviewer(ctx, "record authors' deaths");
      const work = requireWork(ctx, p.id, false);
      const author = work.authors.find((a) => a.address === p.author);
      if (!author) throw new ContractError('not_found', `${p.author} is not an author of work ${p.id}`);
      if (author.diedAt !== null)
        throw new ContractError('already_exists', `the death of ${p.author} is recorded`);
      if (p.diedAt > ctx.time) throw new ContractError('not_allowed', 'diedAt is after the block time');
      const authors = work.authors.map((a) => (a.address === p.author ? { ...a, diedAt: p.diedAt } : a));
      const protectionUntil = protectionEnd({
        authorship: work.authorship,
        createdAt: work.createdAt,
        ...(work.publishedAt !== undefined && { publishedAt: work.publishedAt }),
        authorDeaths: authors.map((a) => a.diedAt),
        audiovisual: work.category === 'audiovisual',
      });
      saveWork(ctx, { ...work, authors, protectionUntil });
      copyrightEvents.emit(ctx, 'authorDeathRecorded', {
        id: p.id,
        author: p.author,
        diedAt: p.diedAt,
        ...(protectionUntil !== null && { protectionUntil }),
        by: ctx.sender,
      });
    }),

    grantLicence: defineAction(schemas.grantLicence, (ctx, p: Params<'grantLicence'>) => {
      const work = requireWork(ctx, p.workId);
      const holding = holdingOf(work, p.holding);
      const grant = sliceOf(work, holding, p);
      requirePassport(ctx, p.licensee, 'licensee');
      if (holding.owners.some((o) => o.address === p.licensee))
        throw new ContractError('not_allowed', `${p.licensee} owns holding ${holding.id} already`);
      requireConsent(ctx, 'grantLicence', p, work, [
        ...ownersAsParties(holding),
        ...pledgeesOver(ctx, work.id, grant),
      ]);
      issueLicence(ctx, work, {
        id: actionId(ctx),
        workId: work.id,
        licensee: p.licensee,
        licensors: holding.owners.map((o) => o.address),
        grant,
        exclusivity: p.exclusivity,
        prohibitions: p.prohibitions,
        duties: p.duties,
        ...(p.fee && { fee: p.fee }),
        ...(p.contractHash && { contractHash: p.contractHash }),
      });
      saveWork(ctx, work);
    }),

    offerCc: defineAction(schemas.offerCc, (ctx, p: Params<'offerCc'>) => {
      const work = requireWork(ctx, p.workId);
      const holding = holdingOf(work, p.holding);
      const terms = ccLicenceTerms(p.cc, Math.max(ctx.time, holding.from));
      if (!grantWithin(terms.grant, holding))
        throw new ContractError(
          'not_allowed',
          `${p.cc} licenses the rights it names worldwide to the end of the term: holding ${holding.id} does not hold all of that`,
        );
      requireConsent(ctx, 'offerCc', p, work, [
        ...ownersAsParties(holding),
        ...pledgeesOver(ctx, work.id, terms.grant),
      ]);
      issueLicence(ctx, work, {
        id: actionId(ctx),
        workId: work.id,
        licensee: PUBLIC_LICENSEE,
        licensors: holding.owners.map((o) => o.address),
        ...terms,
        cc: p.cc,
      });
      saveWork(ctx, work);
    }),

    surrenderLicence: defineAction(schemas.surrenderLicence, (ctx, p: Params<'surrenderLicence'>) => {
      const licence = licenceOf(ctx, p.id);
      if (!licence) throw new ContractError('not_found', `no licence ${p.id}`);
      if (licence.licensee !== ctx.sender)
        throw new ContractError(
          'not_authorized',
          'only the licensee may surrender a licence (a public licence is irrevocable)',
        );
      if (licence.status !== 'active')
        throw new ContractError('not_allowed', `licence ${p.id} is ${licence.status}`);
      ctx.set(copyrightKeys.licence(p.id), { ...licence, status: 'surrendered' } as unknown as Value);
      const work = requireWork(ctx, licence.workId, false);
      saveWork(ctx, work);
      copyrightEvents.emit(ctx, 'licenceSurrendered', {
        id: p.id,
        workId: licence.workId,
        licensee: ctx.sender,
        reason: p.reason,
      });
    }),

    transferRights: defineAction(schemas.transferRights, (ctx, p: Params<'transferRights'>) => {
      const work = requireWork(ctx, p.workId);
      const holding = holdingOf(work, p.holding);
      const grant = sliceOf(work, holding, p);
      for (const o of p.to) requirePassport(ctx, o.address, 'transferee');
      const signedBy = requireConsent(ctx, 'transferRights', p, work, [
        ...ownersAsParties(holding),
        ...pledgeesOver(ctx, work.id, grant),
      ]);
      const { work: moved } = fileTransfer(ctx, work, grant, p.to, 'contract', signedBy, p.contractHash);
      saveWork(ctx, moved);
    }),

    pledge: defineAction(schemas.pledge, (ctx, p: Params<'pledge'>) => {
      const work = requireWork(ctx, p.workId);
      const holding = holdingOf(work, p.holding);
      const grant = sliceOf(work, holding, p);
      requirePassport(ctx, p.pledgee, 'pledgee');
      if (holding.owners.some((o) => o.address === p.pledgee))
        throw new ContractError('not_allowed', 'an owner cannot take a pledge of its own right');
      if (!assetOf(ctx, p.debt.symbol)) throw new ContractError('not_found', `no asset ${p.debt.symbol}`);
      if (p.dueAt <= ctx.time)
        throw new ContractError('invalid_params', 'dueAt must be after the block time');
      // A repeat pledge needs the owners and its own pledgee, not the earlier pledgees: it ranks after them.
      requireConsent(ctx, 'pledge', p, work, [
        ...ownersAsParties(holding),
        { address: p.pledgee, as: 'pledgee' },
      ]);
      const seq = ((ctx.get(copyrightKeys.pledgeSeq) as number | undefined) ?? 0) + 1;
      ctx.set(copyrightKeys.pledgeSeq, seq);
      const id = actionId(ctx);
      const pledge: Pledge = {
        id,
        workId: work.id,
        grant,
        pledgors: holding.owners.map((o) => o.address),
        pledgee: p.pledgee,
        debt: p.debt,
        dueAt: p.dueAt,
        contractHash: p.contractHash,
        seq,
        status: 'active',
        at: ctx.height,
        time: ctx.time,
      };
      const rank = activePledgesOver(ctx, work.id, grant).length + 1;
      ctx.set(copyrightKeys.pledge(id), pledge as unknown as Value);
      appendIndex(ctx, copyrightKeys.pledgesOfWork(work.id), id);
      saveWork(ctx, work);
      copyrightEvents.emit(ctx, 'pledged', {
        id,
        workId: work.id,
        grant: grantAttrs(grant),
        pledgee: p.pledgee,
        pledgors: pledge.pledgors as string[],
        symbol: p.debt.symbol,
        amount: p.debt.amount,
        dueAt: p.dueAt,
        rank,
      });
    }),

    releasePledge: defineAction(schemas.releasePledge, (ctx, p: Params<'releasePledge'>) => {
      const pledge = pledgeOf(ctx, p.id);
      if (!pledge) throw new ContractError('not_found', `no pledge ${p.id}`);
      if (pledge.pledgee !== ctx.sender)
        throw new ContractError('not_authorized', 'only the pledgee may release a pledge');
      if (pledge.status !== 'active')
        throw new ContractError('not_allowed', `pledge ${p.id} is ${pledge.status}`);
      ctx.set(copyrightKeys.pledge(p.id), {
        ...pledge,
        status: 'released',
        closed: { by: ctx.sender, at: ctx.height, time: ctx.time },
      } as unknown as Value);
      saveWork(ctx, requireWork(ctx, pledge.workId, false));
      copyrightEvents.emit(ctx, 'pledgeReleased', { id: p.id, workId: pledge.workId, by: ctx.sender });
    }),

    enforcePledge: defineAction(schemas.enforcePledge, (ctx, p: Params<'enforcePledge'>) => {
      const pledge = pledgeOf(ctx, p.id);
      if (!pledge) throw new ContractError('not_found', `no pledge ${p.id}`);
      if (pledge.pledgee !== ctx.sender)
        throw new ContractError('not_authorized', 'only the pledgee may enforce a pledge');
      if (pledge.status !== 'active')
        throw new ContractError('not_allowed', `pledge ${p.id} is ${pledge.status}`);
      if (ctx.time < pledge.dueAt)
        throw new ContractError('not_allowed', `pledge ${p.id} falls due at ${pledge.dueAt}, not before`);
      const senior = activePledgesOver(ctx, pledge.workId, pledge.grant)[0]!;
      if (senior.id !== pledge.id)
        throw new ContractError(
          'not_allowed',
          `pledge ${senior.id} ranks first (registered at height ${senior.at})`,
        );
      const work = requireWork(ctx, pledge.workId);
      const { work: moved, filing } = fileTransfer(
        ctx,
        work,
        pledge.grant,
        [{ address: pledge.pledgee, share: SHARE_TOTAL }],
        'enforcement',
        [ctx.sender],
        pledge.contractHash,
      );
      ctx.set(copyrightKeys.pledge(p.id), {
        ...pledge,
        status: 'enforced',
        closed: { by: ctx.sender, at: ctx.height, time: ctx.time },
      } as unknown as Value);
      saveWork(ctx, moved);
      copyrightEvents.emit(ctx, 'pledgeEnforced', {
        id: p.id,
        workId: pledge.workId,
        pledgee: pledge.pledgee,
        filing,
      });
    }),

    openEscrow: defineAction(schemas.openEscrow, (ctx, p: Params<'openEscrow'>) => {
      if (p.payee === ctx.sender) throw new ContractError('not_allowed', 'an escrow pays someone else');
      if (p.refundAfter <= ctx.time)
        throw new ContractError('invalid_params', 'refundAfter must be after the block time');
      const c = p.condition;
      if (c.kind === 'registered' && !workOf(ctx, c.workId))
        throw new ContractError('not_found', `no work ${c.workId}`);
      if (c.kind === 'pledgeReleased' && !pledgeOf(ctx, c.pledgeId))
        throw new ContractError('not_found', `no pledge ${c.pledgeId}`);
      const id = actionId(ctx);
      lock(ctx, p.symbol, ctx.sender, p.amount, escrowRef(id));
      const escrow: Escrow = {
        id,
        payer: ctx.sender,
        payee: p.payee,
        symbol: p.symbol,
        amount: p.amount,
        condition: c,
        refundAfter: p.refundAfter,
        ...(p.memo && { memo: p.memo }),
        status: 'open',
        at: ctx.height,
      };
      ctx.set(copyrightKeys.escrow(id), escrow as unknown as Value);
      copyrightEvents.emit(ctx, 'escrowOpened', {
        id,
        payer: ctx.sender,
        payee: p.payee,
        symbol: p.symbol,
        amount: p.amount,
        condition: conditionText(c),
        refundAfter: p.refundAfter,
      });
    }),

    releaseEscrow: defineAction(schemas.releaseEscrow, (ctx, p: Params<'releaseEscrow'>) => {
      const escrow = escrowOf(ctx, p.id);
      if (!escrow) throw new ContractError('not_found', `no escrow ${p.id}`);
      if (escrow.status !== 'open')
        throw new ContractError('not_allowed', `escrow ${p.id} is ${escrow.status}`);
      if (!conditionMet(ctx, escrow.condition, ctx.sender))
        throw new ContractError(
          escrow.condition.kind === 'approval' ? 'not_authorized' : 'not_allowed',
          `escrow ${p.id} releases only on ${conditionText(escrow.condition)}, which does not hold`,
        );
      unlock(ctx, escrow.symbol, escrow.payee, escrow.amount, escrowRef(p.id));
      ctx.set(copyrightKeys.escrow(p.id), {
        ...escrow,
        status: 'released',
        closed: { by: ctx.sender, at: ctx.height, time: ctx.time },
      } as unknown as Value);
      copyrightEvents.emit(ctx, 'escrowReleased', {
        id: p.id,
        payee: escrow.payee,
        symbol: escrow.symbol,
        amount: escrow.amount,
        condition: conditionText(escrow.condition),
        by: ctx.sender,
      });
    }),

    refundEscrow: defineAction(schemas.refundEscrow, (ctx, p: Params<'refundEscrow'>) => {
      const escrow = escrowOf(ctx, p.id);
      if (!escrow) throw new ContractError('not_found', `no escrow ${p.id}`);
      if (escrow.payer !== ctx.sender)
        throw new ContractError('not_authorized', 'only the payer may take an escrow back');
      if (escrow.status !== 'open')
        throw new ContractError('not_allowed', `escrow ${p.id} is ${escrow.status}`);
      if (ctx.time < escrow.refundAfter)
        throw new ContractError('not_allowed', `escrow ${p.id} can be taken back from ${escrow.refundAfter}`);
      if (escrow.condition.kind !== 'approval' && conditionMet(ctx, escrow.condition, ctx.sender))
        throw new ContractError(
          'not_allowed',
          `the condition of escrow ${p.id} holds: it is the payee's now`,
        );
      unlock(ctx, escrow.symbol, escrow.payer, escrow.amount, escrowRef(p.id));
      ctx.set(copyrightKeys.escrow(p.id), {
        ...escrow,
        status: 'refunded',
        closed: { by: ctx.sender, at: ctx.height, time: ctx.time },
      } as unknown as Value);
      copyrightEvents.emit(ctx, 'escrowRefunded', {
        id: p.id,
        payer: escrow.payer,
        symbol: escrow.symbol,
        amount: escrow.amount,
      });
    }),

    list: defineAction(schemas.list, (ctx, p: Params<'list'>) => {
      const work = requireWork(ctx, p.workId);
      const holding = holdingOf(work, p.holding);
      const grant = sliceOf(work, holding, p);
      if (!assetOf(ctx, p.price.symbol)) throw new ContractError('not_found', `no asset ${p.price.symbol}`);
      const pledges = activePledgesOver(ctx, work.id, grant);
      requireConsent(ctx, 'list', p, work, [
        ...ownersAsParties(holding),
        ...pledges.map((x) => ({ address: x.pledgee, as: `pledgee of pledge ${x.id}` })),
      ]);
      // Refuse now what could never be sold: an exclusive licence over what is already licensed.
      if (p.kind === 'licence' && p.durationMs === undefined) {
        const conflict = licenceConflict(
          { licensee: '', grant, exclusivity: p.exclusivity, prohibitions: p.prohibitions, duties: p.duties },
          licencesOfWork(ctx, work.id),
        );
        if (conflict)
          throw new ContractError('not_allowed', `listing refused, ${describeConflict(conflict)}`);
      }
      const id = actionId(ctx);
      const listing: Listing = {
        id,
        workId: work.id,
        holding: holding.id,
        kind: p.kind,
        grant,
        ...(p.durationMs !== undefined && { durationMs: p.durationMs }),
        exclusivity: p.kind === 'rights' ? 'exclusive' : p.exclusivity,
        prohibitions: p.prohibitions,
        duties: p.duties,
        price: p.price,
        quantity: p.quantity,
        sold: 0,
        sellers: holding.owners,
        pledges: pledges.map((x) => x.id),
        status: 'open',
        at: ctx.height,
        time: ctx.time,
      };
      ctx.set(copyrightKeys.listing(id), listing as unknown as Value);
      saveWork(ctx, work);
      copyrightEvents.emit(ctx, 'listed', {
        id,
        workId: work.id,
        kind: p.kind,
        grant: grantAttrs(grant),
        exclusivity: listing.exclusivity,
        symbol: p.price.symbol,
        price: p.price.amount,
        quantity: p.quantity,
        sellers: holding.owners.map((o) => o.address),
      });
    }),

    cancelListing: defineAction(schemas.cancelListing, (ctx, p: Params<'cancelListing'>) => {
      const listing = listingOf(ctx, p.id);
      if (!listing) throw new ContractError('not_found', `no listing ${p.id}`);
      if (!listing.sellers.some((s) => s.address === ctx.sender))
        throw new ContractError('not_authorized', 'only a seller may cancel a listing');
      if (listing.status !== 'open')
        throw new ContractError('not_allowed', `listing ${p.id} is ${listing.status}`);
      ctx.set(copyrightKeys.listing(p.id), { ...listing, status: 'cancelled' } as unknown as Value);
      copyrightEvents.emit(ctx, 'listingCancelled', { id: p.id, by: ctx.sender });
    }),

    purchase: defineAction(schemas.purchase, (ctx, p: Params<'purchase'>) => {
      const listing = listingOf(ctx, p.listingId);
      if (!listing) throw new ContractError('not_found', `no listing ${p.listingId}`);
      if (listing.status !== 'open')
        throw new ContractError('not_allowed', `listing ${p.listingId} is ${listing.status}`);
      if (listing.sellers.some((s) => s.address === ctx.sender))
        throw new ContractError('not_allowed', 'a seller cannot buy its own listing');
      requirePassport(ctx, ctx.sender, 'buyer');
      const work = requireWork(ctx, listing.workId);
      const holding = work.holdings.find((h) => h.id === listing.holding);
      if (
        !holding ||
        JSON.stringify(holding.owners) !== JSON.stringify(listing.sellers) ||
        !grantWithin(listing.grant, holding)
      )
        throw new ContractError(
          'not_allowed',
          `the rights of listing ${p.listingId} have changed hands since it was listed`,
        );
      const unconsented = activePledgesOver(ctx, work.id, listing.grant).find(
        (x) => !listing.pledges.includes(x.id),
      );
      if (unconsented)
        throw new ContractError(
          'not_authorized',
          `pledge ${unconsented.id} was registered after the listing: its pledgee ${unconsented.pledgee} has not consented to the sale`,
        );
      // Pay first: a buyer short of funds fails the whole tx and no licence is issued.
      const parts = splitByShares(
        listing.price.amount,
        holding.owners.map((o) => o.share),
      );
      holding.owners.forEach((o, i) => {
        if (parts[i]! > 0n)
          transferBetween(
            ctx,
            listing.price.symbol,
            ctx.sender,
            o.address,
            parts[i]!,
            `listing ${listing.id}`,
          );
      });
      copyrightEvents.emit(ctx, 'royaltiesPaid', {
        listingId: listing.id,
        symbol: listing.price.symbol,
        total: listing.price.amount,
        payments: holding.owners.map((o, i) => ({ to: o.address, amount: parts[i]!, share: o.share })),
      });
      let licenceId: string | undefined;
      let filing: string | undefined;
      let next = work;
      if (listing.kind === 'licence') {
        licenceId = actionId(ctx);
        const from = Math.max(ctx.time, listing.grant.from);
        const until = listing.durationMs !== undefined ? from + listing.durationMs : listing.grant.until;
        const capped =
          until !== null && listing.grant.until !== null
            ? Math.min(until, listing.grant.until)
            : (until ?? listing.grant.until);
        if (capped !== null && capped <= from)
          throw new ContractError('expired', `listing ${listing.id} covers no time from now on`);
        issueLicence(ctx, work, {
          id: licenceId,
          workId: work.id,
          licensee: ctx.sender,
          licensors: holding.owners.map((o) => o.address),
          grant: { ...listing.grant, from, until: capped },
          exclusivity: listing.exclusivity,
          prohibitions: listing.prohibitions,
          duties: listing.duties,
          fee: listing.price,
          listingId: listing.id,
        });
      } else {
        const moved = fileTransfer(
          ctx,
          work,
          listing.grant,
          [{ address: ctx.sender, share: SHARE_TOTAL }],
          'purchase',
          [...listing.sellers.map((s) => s.address), ctx.sender],
        );
        next = moved.work;
        filing = moved.filing;
      }
      const sold = listing.sold + 1;
      ctx.set(copyrightKeys.listing(listing.id), {
        ...listing,
        sold,
        status: sold >= listing.quantity ? 'sold' : 'open',
      } as unknown as Value);
      saveWork(ctx, next);
      copyrightEvents.emit(ctx, 'purchased', {
        listingId: listing.id,
        workId: work.id,
        buyer: ctx.sender,
        symbol: listing.price.symbol,
        price: listing.price.amount,
        ...(licenceId && { licenceId }),
        ...(filing && { filing }),
      });
    }),
  },
};

export { schemas as copyrightParams };
