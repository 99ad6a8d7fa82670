// Notary: proof that a document existed at a point in time. Anyone anchors the hash of a document
// (computed off chain: the document itself never goes on chain) and the first anchor of a hash stands
// forever; its 'anchored' event with an inclusion proof is the certificate. It must never overwrite or
// delete an anchor.
import { ContractError, type ContractModule, defineAction, type StateReader } from '@gongxin/ledger';
import { z } from 'zod';
import { zAttributes, zHash32 } from '../common';
import { notaryEvents } from './events';

export const notaryKeys = {
  anchor: (hashHex: string) => `notary/anchor/${hashHex}`,
} as const;

export type Anchor = {
  /** Lowercase hex of the 32-byte hash. */
  readonly hash: string;
  readonly type: string;
  readonly meta: { readonly [name: string]: string | number };
  readonly by: string;
  readonly at: number;
  readonly time: number;
  readonly txId: string;
};

export function anchorOf(state: StateReader, hashHex: string): Anchor | undefined {
  return state.get(notaryKeys.anchor(hashHex.toLowerCase())) as Anchor | undefined;
}

const zAnchor = z
  .object({
    hash: zHash32,
    type: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a document type is 1–64 of a-z, 0-9, . _ -'),
    meta: zAttributes.optional(),
  })
  .strict();

export const notaryContract: ContractModule = {
  name: 'notary',
  version: 1,
  actions: {
    anchor: defineAction(zAnchor, (ctx, { hash, type, meta }) => {
      const existing = anchorOf(ctx, hash);
      if (existing)
        throw new ContractError(
          'already_exists',
          `hash ${hash} was anchored at height ${existing.at} by ${existing.by}`,
        );
      const anchor: Anchor = {
        hash,
        type,
        meta: meta ?? {},
        by: ctx.sender,
        at: ctx.height,
        time: ctx.time,
        txId: ctx.txIdHex,
      };
      ctx.set(notaryKeys.anchor(hash), anchor);
      notaryEvents.emit(ctx, 'anchored', { hash, type, by: ctx.sender });
    }),
  },
};
