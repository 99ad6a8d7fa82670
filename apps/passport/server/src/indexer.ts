// Passport learns outcomes from the chain, never from a browser's word: an officer's browser signs
// `identity.attest`, and when the block commits this indexer marks the matching application approved.
// It also keeps read models of attestations and roles for listing. Handlers are idempotent (upserts),
// and `reset` undoes exactly what they did, so a rebuild reproduces the same rows. Records the genesis
// document made (demo identities) emit no events: they are seeded at height 0 and survive a reset.
import type { ChainEventJson, HandlerContext, IndexerDefinition } from '@gongxin/app-kit';
import { identityEvents } from '@gongxin/contracts/events';
import type { Tx } from '@gongxin/db';
import { and, eq, gt, inArray } from 'drizzle-orm';
import { applications, attestations, roles } from './schema';

/** The parts of app-kit's handler context this indexer uses. */
export type PassportHandlerContext = Pick<HandlerContext, 'tx' | 'height' | 'blockTime' | 'txId'>;
export type PassportEvent = Pick<ChainEventJson, 'contract' | 'name' | 'attrs'>;

type Handler = (event: PassportEvent, ctx: PassportHandlerContext) => Promise<void>;

// Attributes are read through the identity contract's event catalog: an event that does not match it
// stops the indexer at its block rather than writing a guess.
export const passportHandlers: Record<string, Handler> = identityEvents.handlers({
  async attested({ subject, by, kind, idHash: hash }, _event, ctx) {
    const idHash = hash.toLowerCase();
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
  },

  async attestationRevoked({ subject, by, reason }, _event, ctx) {
    await ctx.tx
      .update(attestations)
      .set({ revoked: true, revokedReason: reason })
      .where(eq(attestations.subject, subject));
    await ctx.tx
      .update(applications)
      .set({ status: 'revoked', reason, decidedBy: by, decidedAt: new Date(ctx.blockTime) })
      .where(and(eq(applications.address, subject), eq(applications.status, 'approved')));
  },

  async roleGranted({ subject, app, role, by }, _event, ctx) {
    const row = { subject, app, role, grantedBy: by, height: ctx.height };
    await ctx.tx
      .insert(roles)
      .values(row)
      .onConflictDoUpdate({ target: [roles.subject, roles.app, roles.role], set: row });
  },

  async roleRevoked({ subject, app, role }, _event, ctx) {
    await ctx.tx
      .delete(roles)
      .where(and(eq(roles.subject, subject), eq(roles.app, app), eq(roles.role, role)));
  },
});

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
