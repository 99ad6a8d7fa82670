// The copyright contract's events, declared once: the contract emits through `emitCopyright` (attributes
// typed from these schemas at compile time) and indexers and tests parse with the same schemas. Every
// successful action emits at least one of them; with its inclusion proof an event is the receipt of a
// registration, licence, transfer or pledge.
import type { ContractContext, ValueMap } from '@gongxin/ledger';
import { z } from 'zod';
import { DUTIES, ECONOMIC_RIGHTS, EXCLUSIVITY, PROHIBITIONS } from './rights';
import { WORK_CATEGORIES } from './views';

const address = z.string().regex(/^gx1[02-9ac-hj-np-z]+$/);
const hash = z.string().regex(/^[0-9a-f]{64}$/);
const id = z.string().regex(/^[0-9a-f]{64}(:\d{1,4})?$/);
const amount = z.bigint().min(1n);
const time = z.number().int();
const grant = z
  .object({
    rights: z.array(z.enum(ECONOMIC_RIGHTS)).min(1),
    territory: z.array(z.string()).min(1),
    from: time,
    until: time.nullable(),
  })
  .strict();
const owners = z.array(z.object({ address, share: z.number().int().min(1) }).strict()).min(1);

export const copyrightEvents = {
  workSubmitted: z
    .object({
      id,
      title: z.string(),
      category: z.enum(WORK_CATEGORIES),
      applicant: address,
      authors: z.array(address),
      owners,
      files: z.array(hash),
      codes: z.array(z.string()),
    })
    .strict(),
  workReviewed: z
    .object({
      id,
      decision: z.enum(['approve', 'reject']),
      regNo: z.string().optional(),
      reason: z.string(),
      by: address,
      protectionUntil: time.nullable(),
    })
    .strict(),
  authorDeathRecorded: z
    .object({ id, author: address, diedAt: time, protectionUntil: time.nullable(), by: address })
    .strict(),
  licenceGranted: z
    .object({
      id,
      workId: id,
      licensee: z.union([address, z.literal('*')]),
      licensors: z.array(address),
      grant,
      exclusivity: z.enum(EXCLUSIVITY),
      prohibitions: z.array(z.enum(PROHIBITIONS)),
      duties: z.array(z.enum(DUTIES)),
      cc: z.string().optional(),
      listingId: id.optional(),
    })
    .strict(),
  licenceSurrendered: z.object({ id, workId: id, licensee: address, reason: z.string() }).strict(),
  rightsTransferred: z
    .object({
      filing: id,
      workId: id,
      grant,
      from: owners,
      to: owners,
      reason: z.enum(['contract', 'purchase', 'enforcement']),
      contractHash: hash.optional(),
      signedBy: z.array(address),
    })
    .strict(),
  pledged: z
    .object({
      id,
      workId: id,
      grant,
      pledgee: address,
      pledgors: z.array(address),
      symbol: z.string(),
      amount,
      dueAt: time,
      rank: z.number().int().min(1),
    })
    .strict(),
  pledgeReleased: z.object({ id, workId: id, by: address }).strict(),
  pledgeEnforced: z.object({ id, workId: id, pledgee: address, filing: id }).strict(),
  escrowOpened: z
    .object({
      id,
      payer: address,
      payee: address,
      symbol: z.string(),
      amount,
      condition: z.string(),
      refundAfter: time,
    })
    .strict(),
  escrowReleased: z
    .object({ id, payee: address, symbol: z.string(), amount, condition: z.string(), by: address })
    .strict(),
  escrowRefunded: z.object({ id, payer: address, symbol: z.string(), amount }).strict(),
  listed: z
    .object({
      id,
      workId: id,
      kind: z.enum(['licence', 'rights']),
      grant,
      exclusivity: z.enum(EXCLUSIVITY),
      symbol: z.string(),
      price: amount,
      quantity: z.number().int().min(1),
      sellers: z.array(address),
    })
    .strict(),
  listingCancelled: z.object({ id, by: address }).strict(),
  purchased: z
    .object({
      listingId: id,
      workId: id,
      buyer: address,
      symbol: z.string(),
      price: amount,
      licenceId: id.optional(),
      filing: id.optional(),
    })
    .strict(),
  royaltiesPaid: z
    .object({
      listingId: id,
      symbol: z.string(),
      total: amount,
      payments: z.array(
        z.object({ to: address, amount: z.bigint().min(0n), share: z.number().int() }).strict(),
      ),
    })
    .strict(),
} as const;

export type CopyrightEventName = keyof typeof copyrightEvents;
export type CopyrightEventAttrs<N extends CopyrightEventName> = z.input<(typeof copyrightEvents)[N]>;

/** Emits a copyright event; the attributes must fit its schema (checked at compile time, and by the tests). */
export function emitCopyright<N extends CopyrightEventName>(
  ctx: ContractContext,
  name: N,
  attrs: CopyrightEventAttrs<N>,
): void {
  ctx.emit(name, attrs as unknown as ValueMap);
}
