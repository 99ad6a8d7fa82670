// Passport learns outcomes from the chain, never from a browser's word: an officer's browser signs
// `identity.attest`, and when the block commits this indexer marks the matching application approved.
// It also keeps read models of attestations and roles for listing. Handlers are idempotent (upserts),
// and `reset` undoes exactly what they did, so a rebuild reproduces the same rows. Records the genesis
// document made (demo identities) emit no events: they are seeded at height 0 and survive a reset.
import type { ChainEventJson, HandlerContext, IndexerDefinition } from '@gongxin/app-kit';
import type { Tx } from '@gongxin/db';
import { and, eq, gt, inArray } from 'drizzle-orm';
import { applications, attestations, roles } from './schema';

/** The parts of app-kit's handler context this indexer uses. */
export type PassportHandlerContext = Pick<HandlerContext, 'tx' | 'height' | 'blockTime' | 'txId'>;
export type PassportEvent = Pick<ChainEventJson, 'contract' | 'name' | 'attrs'>;

const attr = (event: PassportEvent, name: string): unknown =>
  event.attrs && typeof event.attrs === 'object' && !Array.isArray(event.attrs)
    ? event.attrs[name]
    : undefined;
const text = (value: unknown): string => (typeof value === 'string' ? value : String(value ?? ''));

async function attested(event: PassportEvent, ctx: PassportHandlerContext): Promise<void> {
  const subject = text(attr(event, 'subject'));
  const idHash = text(attr(event, 'idHash')).toLowerCase();
  const by = text(attr(event, 'by'));
  const kind = text(attr(event, 'kind'));
  const row = {
    subject,
    kind,
    by,
    idHash,
    height: ctx.height,
    txId: ctx.txId,
    revoked: false,
    revokedReason: null,
  };
  await ctx.tx
    .insert(attestations)
    .values(row)
    .onConflictDoUpdate({ target: attestations.subject, set: row });
  await ctx.tx
    .update(applications)
    .set({
      status: 'approved',
      decidedBy: by,
      decidedAt: new Date(ctx.blockTime),
      attestedHeight: ctx.height,
      attestedTx: ctx.txId,
      reason: null,
    })
    .where(
      and(
        eq(applications.address, subject),
        eq(applications.idHash, idHash),
        inArray(applications.status, ['pending', 'rejected']),
      ),
    );
}

async function attestationRevoked(event: PassportEvent, ctx: PassportHandlerContext): Promise<void> {
  const subject = text(attr(event, 'subject'));
  const reason = text(attr(event, 'reason'));
  await ctx.tx
    .update(attestations)
    .set({ revoked: true, revokedReason: reason })
    .where(eq(attestations.subject, subject));
  await ctx.tx
    .update(applications)
    .set({
      status: 'revoked',
      reason,
      decidedBy: text(attr(event, 'by')),
      decidedAt: new Date(ctx.blockTime),
    })
    .where(and(eq(applications.address, subject), eq(applications.status, 'approved')));
}

async function roleGranted(event: PassportEvent, ctx: PassportHandlerContext): Promise<void> {
  const row = {
    subject: text(attr(event, 'subject')),
    app: text(attr(event, 'app')),
    role: text(attr(event, 'role')),
    grantedBy: text(attr(event, 'by')),
    height: ctx.height,
  };
  await ctx.tx
    .insert(roles)
    .values(row)
    .onConflictDoUpdate({ target: [roles.subject, roles.app, roles.role], set: row });
}

async function roleRevoked(event: PassportEvent, ctx: PassportHandlerContext): Promise<void> {
  await ctx.tx
    .delete(roles)
    .where(
      and(
        eq(roles.subject, text(attr(event, 'subject'))),
        eq(roles.app, text(attr(event, 'app'))),
        eq(roles.role, text(attr(event, 'role'))),
      ),
    );
}

type Handler = (event: PassportEvent, ctx: PassportHandlerContext) => Promise<void>;

export const passportHandlers: Record<string, Handler> = {
  'identity.attested': attested,
  'identity.attestationRevoked': attestationRevoked,
  'identity.roleGranted': roleGranted,
  'identity.roleRevoked': roleRevoked,
};

/** Undoes what the handlers wrote (height > 0); genesis rows (height 0) stay. */
export async function resetPassportReadModels(tx: Tx): Promise<void> {
  await tx.delete(roles).where(gt(roles.height, 0));
  await tx.delete(attestations).where(gt(attestations.height, 0));
  await tx
    .update(applications)
    .set({
      status: 'pending',
      decidedBy: null,
      decidedAt: null,
      attestedHeight: null,
      attestedTx: null,
      reason: null,
    })
    .where(and(inArray(applications.status, ['approved', 'revoked']), gt(applications.attestedHeight, 0)));
}

export const passportIndexer: IndexerDefinition = {
  name: 'passport',
  handlers: passportHandlers,
  reset: resetPassportReadModels,
};
