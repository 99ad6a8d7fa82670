// A certificate outlives no holder. The chain keeps a certificate's own record (its validity and status
// history) untouched when its enterprise's life ends — 注销 deregistered, 合并 merged into another, 吊销
// licence revoked — but the enterprise's life is on chain too: its last `lifeChanged` event, kept in the
// `changes` read model with the block and tx of the decision that ended it. A certificate whose holder had
// ended by a date is, as of that date, no longer valid: `holder_ended`, with that ending to cite.
import type { AppServices } from '@gongxin/app-kit';
import type { CertStandingAt } from '@gongxin/contracts';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { changes } from './db/schema';

export const ENDED_LIVES = ['deregistered', 'merged', 'revoked'] as const;
export type EndedLife = (typeof ENDED_LIVES)[number];

/** How and when a certificate holder's life ended, and where the chain says so. */
export interface HolderEnded {
  life: EndedLife;
  /** When the ending holds (block time, or the start of the filing's effective day if later). */
  effectiveAt: number;
  /** After a merger, the enterprise it merged into. */
  successor: string | null;
  /** The block and tx of the decision that ended it. */
  height: number;
  txId: string;
}

/** A certificate's standing as of a date, its holder's life counted: `holder_ended` once it has ended. */
export type CertStanding = CertStandingAt | 'holder_ended';

/** The ending of each of `usccs` whose life has ended (its last life change), by USCC. */
export async function holderEndings(
  services: AppServices,
  usccs: readonly string[],
): Promise<Map<string, HolderEnded>> {
  const found = new Map<string, HolderEnded>();
  const wanted = [...new Set(usccs)];
  if (wanted.length === 0) return found;
  const rows = await services.database.db
    .select()
    .from(changes)
    .where(and(eq(changes.name, 'lifeChanged'), inArray(changes.uscc, wanted)))
    .orderBy(asc(changes.height), asc(changes.eventIndex));
  for (const row of rows) {
    const attrs = row.attrs as { life?: unknown; successor?: unknown };
    if (!row.uscc) continue;
    if (!ENDED_LIVES.includes(attrs.life as EndedLife)) {
      found.delete(row.uscc);
      continue;
    }
    found.set(row.uscc, {
      life: attrs.life as EndedLife,
      effectiveAt: row.effectiveAt,
      successor: typeof attrs.successor === 'string' ? attrs.successor : null,
      height: row.height,
      txId: row.txId,
    });
  }
  return found;
}

/**
 * `standing` (the certificate's own, as of `at`) with its holder's ending counted: a certificate that would
 * be valid, suspended or not yet valid at `at` is `holder_ended` once its holder had ended by then.
 */
export function withHolder(
  standing: CertStandingAt,
  ended: HolderEnded | undefined,
  at: number,
): CertStanding {
  if (!ended || ended.effectiveAt > at) return standing;
  return standing === 'valid' || standing === 'suspended' || standing === 'not_yet_valid'
    ? 'holder_ended'
    : standing;
}
