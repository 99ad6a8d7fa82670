// Food traceability (食品链): organisations of the supply chain anchor the hashes of their EPCIS 2.0
// events (the events themselves stay off chain with the food app; anyone holding one recomputes its
// EPCIS Event Hash ID and finds it here), register their products and locations, regulators issue
// recalls, and regulators or the app's monitor raise and resolve supervision alerts. Who is who comes from
// identity roles under app `food` (farm, processor, logistics, inspector, retailer, regulator, monitor).
// It must never accept an anchor, product or location from an account without a food role, never
// overwrite an anchor, a product or a location, and never delete a recall.
import { type ContractContext, ContractError, type ContractModule, defineAction } from '@gongxin/ledger';
import { z } from 'zod';
import { actionId, zHash32, zName, zReason, zSlug } from '../common';
import { foodEvents } from './events';
import { canonicalEpc, type IdentifierRole, identifierProblem } from './gs1';
import {
  ALERT_SEVERITIES,
  type AlertRecord,
  alertOf,
  EPCIS_EVENT_TYPES,
  type EventAnchor,
  type EventErrorDeclaration,
  eventAnchorOf,
  eventErrorOf,
  FOOD_MONITOR_ROLE,
  FOOD_ORG_ROLES,
  FOOD_ROLES,
  type FoodLocation,
  type FoodRole,
  foodKeys,
  hasFoodRole,
  locationOf,
  type Product,
  productOf,
  type Recall,
} from './views';

/** Most EPCs listed in an anchor; beyond, the anchor carries their Merkle root and count. */
export const MAX_ANCHORED_EPCS = 50;
export const MAX_RECALL_LOTS = 100;
export const MAX_ALERT_EVIDENCE = 32;
/** Corrective events one error declaration names. */
export const MAX_CORRECTIVE_EVENTS = 16;
/** How far a stated recordTime may be ahead of the block time (clocks of capturing systems drift). */
export const RECORD_TIME_TOLERANCE_MS = 5 * 60_000;

function requireRole(ctx: ContractContext, roles: readonly FoodRole[], what: string): void {
  if (!hasFoodRole(ctx, ctx.sender, roles)) {
    throw new ContractError(
      'not_authorized',
      `only an account with food role ${roles.join(', ')} may ${what}`,
    );
  }
}

/** GS1 mod-10 check digit over the digits before it (GS1 General Specifications §7.9.1). */
function hasGs1CheckDigit(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight)
    sum += Number(digits[i]) * weight;
  return (10 - (sum % 10)) % 10 === Number(digits.at(-1));
}

const zGtin = z
  .string()
  .regex(/^\d{14}$/, 'a GTIN is written with 14 digits (pad GTIN-8/12/13 with leading zeros)')
  .refine(hasGs1CheckDigit, 'wrong GTIN check digit: a digit is mistyped');
const zGln = z
  .string()
  .regex(/^\d{13}$/, 'a GLN has 13 digits')
  .refine(hasGs1CheckDigit, 'wrong GLN check digit: a digit is mistyped');

/**
 * Identifiers (EPCs, lots, alert subjects) go into state keys: printable ASCII only, and read by the
 * suite's one GS1 validator (the same the food app's capture and forms use), written in their canonical
 * form (the Digital Link on id.gs1.org for GS1 keys) so that look-ups by identifier match.
 */
const zIdentifier = (role: IdentifierRole = 'any') =>
  z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, 'an identifier is 1–200 printable ASCII characters, no spaces')
    .superRefine((value, ctx) => {
      const problem = identifierProblem(value, role);
      if (problem) ctx.addIssue({ code: 'custom', message: problem.message });
      else if (canonicalEpc(value) !== value)
        ctx.addIssue({
          code: 'custom',
          message: `"${value}" is not in canonical form: send "${canonicalEpc(value)}"`,
        });
    });
const zVocabulary = z
  .string()
  .regex(/^[\x21-\x7e]{1,256}$/, 'a bizStep is a CBV term or a URI (1–256 characters)');

const zAnchorEvent = z
  .object({
    eventHash: zHash32,
    eventType: z.enum(EPCIS_EVENT_TYPES),
    bizStep: zVocabulary.optional(),
    epcs: z
      .array(zIdentifier())
      .max(MAX_ANCHORED_EPCS, `at most ${MAX_ANCHORED_EPCS} EPCs; anchor more as epcsRoot and epcCount`)
      .optional(),
    epcsRoot: zHash32.optional(),
    epcCount: z.number().int().min(1).optional(),
    recordTime: z.number().int().min(0),
  })
  .strict()
  .refine((p) => !(p.epcs && p.epcsRoot), 'give epcs or epcsRoot, not both')
  .refine(
    (p) => (p.epcsRoot === undefined) === (p.epcCount === undefined),
    'epcsRoot and epcCount go together',
  );

const zCoordinate = (limit: number) =>
  z
    .number()
    .int()
    .min(-limit * 1e6)
    .max(limit * 1e6);

const zRegisterLocation = z
  .object({ gln: zGln, name: zName, lat: zCoordinate(90).optional(), lon: zCoordinate(180).optional() })
  .strict()
  .refine(
    (p) => (p.lat === undefined) === (p.lon === undefined),
    'give both lat and lon (millionths of a degree) or neither',
  );

export const foodContract: ContractModule = {
  name: 'food',
  version: 1,
  actions: {
    anchorEvent: defineAction(zAnchorEvent, (ctx, params) => {
      requireRole(ctx, FOOD_ROLES, 'anchor EPCIS events');
      const { eventHash, eventType, bizStep, epcs, epcsRoot, epcCount, recordTime } = params;
      const existing = eventAnchorOf(ctx, eventHash);
      if (existing) {
        throw new ContractError(
          'already_exists',
          `event ${eventHash} was anchored at height ${existing.at} by ${existing.by}`,
        );
      }
      if (recordTime > ctx.time + RECORD_TIME_TOLERANCE_MS) {
        throw new ContractError(
          'not_allowed',
          `recordTime ${recordTime} is later than the block time ${ctx.time}`,
        );
      }
      const anchor: EventAnchor = {
        hash: eventHash,
        eventType,
        ...(bizStep && { bizStep }),
        ...(epcs && { epcs }),
        ...(epcsRoot && { epcsRoot }),
        epcCount: epcCount ?? epcs?.length ?? 0,
        recordTime,
        by: ctx.sender,
        at: ctx.height,
        time: ctx.time,
        txId: ctx.txIdHex,
      };
      ctx.set(foodKeys.event(eventHash), anchor);
      // The event carries the EPCs so the app's indexer can answer "events of this EPC" from events alone.
      foodEvents.emit(ctx, 'anchored', {
        hash: eventHash,
        eventType,
        ...(bizStep && { bizStep }),
        ...(epcs && { epcs }),
        ...(epcsRoot && { epcsRoot }),
        epcCount: anchor.epcCount,
        by: ctx.sender,
      });
    }),

    /**
     * An EPCIS 2.0 error declaration: the event anchored as `eventHash` did not happen as recorded. The
     * organisation that anchored it (or a regulator) declares it; the anchor stays, the declaration is
     * kept beside it with the corrective events' hashes, and apps leave the event out of trace and alerts.
     */
    declareEventError: defineAction(
      z
        .object({
          eventHash: zHash32,
          declarationTime: z.number().int().min(0),
          reason: zVocabulary.optional(),
          corrective: z.array(zHash32).max(MAX_CORRECTIVE_EVENTS).default([]),
        })
        .strict(),
      (ctx, { eventHash, declarationTime, reason, corrective }) => {
        requireRole(ctx, FOOD_ROLES, 'declare event errors');
        const anchor = eventAnchorOf(ctx, eventHash);
        if (!anchor) throw new ContractError('not_found', `event ${eventHash} is not anchored`);
        if (anchor.by !== ctx.sender && !hasFoodRole(ctx, ctx.sender, ['regulator']))
          throw new ContractError(
            'not_authorized',
            `only ${anchor.by}, who anchored event ${eventHash}, or a regulator may declare it erroneous`,
          );
        const existing = eventErrorOf(ctx, eventHash);
        if (existing)
          throw new ContractError(
            'already_exists',
            `event ${eventHash} was declared erroneous at height ${existing.at}`,
          );
        if (declarationTime > ctx.time + RECORD_TIME_TOLERANCE_MS)
          throw new ContractError(
            'not_allowed',
            `declarationTime ${declarationTime} is later than the block time`,
          );
        const declaration: EventErrorDeclaration = {
          hash: eventHash,
          declarationTime,
          ...(reason && { reason }),
          corrective,
          by: ctx.sender,
          at: ctx.height,
          time: ctx.time,
        };
        ctx.set(foodKeys.eventError(eventHash), declaration);
        foodEvents.emit(ctx, 'eventErrorDeclared', {
          hash: eventHash,
          declarationTime,
          ...(reason && { reason }),
          corrective,
          by: ctx.sender,
        });
      },
    ),

    registerProduct: defineAction(
      z.object({ gtin: zGtin, name: zName, category: zSlug }).strict(),
      (ctx, { gtin, name, category }) => {
        requireRole(ctx, FOOD_ORG_ROLES, 'register products');
        const existing = productOf(ctx, gtin);
        if (existing)
          throw new ContractError('already_exists', `GTIN ${gtin} was registered by ${existing.by}`);
        const product: Product = { gtin, name, category, by: ctx.sender, at: ctx.height };
        ctx.set(foodKeys.product(gtin), product);
        foodEvents.emit(ctx, 'productRegistered', { gtin, name, category, by: ctx.sender });
      },
    ),

    registerLocation: defineAction(zRegisterLocation, (ctx, { gln, name, lat, lon }) => {
      requireRole(ctx, FOOD_ORG_ROLES, 'register locations');
      const existing = locationOf(ctx, gln);
      if (existing) throw new ContractError('already_exists', `GLN ${gln} was registered by ${existing.by}`);
      const location: FoodLocation = {
        gln,
        name,
        ...(lat !== undefined && lon !== undefined && { latE6: lat, lonE6: lon }),
        by: ctx.sender,
        at: ctx.height,
      };
      ctx.set(foodKeys.location(gln), location);
      foodEvents.emit(ctx, 'locationRegistered', {
        gln,
        name,
        ...(location.latE6 !== undefined && { latE6: location.latE6, lonE6: location.lonE6! }),
        by: ctx.sender,
      });
    }),

    issueRecall: defineAction(
      z
        .object({
          lots: z
            .array(zIdentifier('class'))
            .min(1, 'name at least one lot')
            .max(MAX_RECALL_LOTS, `at most ${MAX_RECALL_LOTS} lots per recall`),
          reason: zReason,
        })
        .strict()
        .refine((p) => new Set(p.lots).size === p.lots.length, 'a lot is named twice'),
      (ctx, { lots, reason }) => {
        requireRole(ctx, ['regulator'], 'issue recalls');
        const id = actionId(ctx);
        const recall: Recall = { id, lots, reason, by: ctx.sender, at: ctx.height, time: ctx.time };
        ctx.set(foodKeys.recall(id), recall);
        for (const lot of lots) {
          const ids = (ctx.get(foodKeys.recalledLot(lot)) as readonly string[] | undefined) ?? [];
          ctx.set(foodKeys.recalledLot(lot), [...ids, id]);
        }
        foodEvents.emit(ctx, 'recalled', { id, lots, reason, by: ctx.sender });
      },
    ),

    raiseAlert: defineAction(
      z
        .object({
          kind: zSlug,
          subject: zIdentifier(),
          evidence: z.array(zHash32).min(1, 'cite at least one event').max(MAX_ALERT_EVIDENCE),
          severity: z.enum(ALERT_SEVERITIES),
        })
        .strict(),
      (ctx, { kind, subject, evidence, severity }) => {
        requireRole(ctx, ['regulator', FOOD_MONITOR_ROLE], 'raise alerts');
        const id = actionId(ctx);
        const alert: AlertRecord = {
          id,
          kind,
          subject,
          evidence,
          severity,
          by: ctx.sender,
          at: ctx.height,
          time: ctx.time,
          status: 'open',
        };
        ctx.set(foodKeys.alert(id), alert);
        foodEvents.emit(ctx, 'alertRaised', { id, kind, subject, severity, by: ctx.sender });
      },
    ),

    resolveAlert: defineAction(
      z
        .object({
          id: z
            .string()
            .regex(/^[0-9a-f]{64}(:\d{1,4})?$/, 'an alert id is a tx id, with :<action> after the first'),
          resolution: zReason,
        })
        .strict(),
      (ctx, { id, resolution }) => {
        requireRole(ctx, ['regulator', FOOD_MONITOR_ROLE], 'resolve alerts');
        const alert = alertOf(ctx, id);
        if (!alert) throw new ContractError('not_found', `no alert ${id}`);
        // The monitor withdraws only what it raised itself (its evidence was declared erroneous);
        // judging anyone else's alert is a regulator's.
        if (!hasFoodRole(ctx, ctx.sender, ['regulator']) && alert.by !== ctx.sender)
          throw new ContractError(
            'not_authorized',
            `only a regulator may resolve alert ${id} raised by ${alert.by}`,
          );
        if (alert.status === 'resolved')
          throw new ContractError('not_allowed', `alert ${id} was resolved by ${alert.resolved?.by}`);
        const resolved: AlertRecord = {
          ...alert,
          status: 'resolved',
          resolved: { by: ctx.sender, resolution, at: ctx.height, time: ctx.time },
        };
        ctx.set(foodKeys.alert(id), resolved);
        foodEvents.emit(ctx, 'alertResolved', { id, by: ctx.sender, resolution });
      },
    ),
  },
};
