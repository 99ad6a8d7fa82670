// Filings as the workbench and an enterprise's history show them: each changed field old → new, the
// filer's reason, and once decided the decision's reason, its tx and block. The filings read model keeps
// which fields a filing changes; the values come from the filing as the chain keeps it (what was asked)
// and, once accepted, from the `enterpriseChanged` events of its decision (what it changed from, as of
// then). A pending filing's old values are the enterprise's now, as the chain keeps it; a rejected one's are
// the enterprise's as of the rejection: the `from` of the field's first accepted change after it, or the
// value now when none came since, so the refused request reads beside what it would have replaced.
import type { AppServices } from '@gongxin/app-kit';
import { CHANGE_FIELDS, type Filing, registryFilingOf, registryKeys } from '@gongxin/contracts';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { PrefetchedState } from './chain-state';
import { changes, enterprises, filings } from './db/schema';

type FilingRow = typeof filings.$inferSelect;
type EnterpriseRow = typeof enterprises.$inferSelect;

export interface FieldChange {
  field: string;
  /** As text (capital in fen); null when the enterprise's value is not known. */
  from: string | null;
  to: string;
}

export interface FilingDetail extends Omit<FilingRow, 'reason' | 'decidedBy'> {
  /** The enterprise's name now (the workbench lists filings of many). */
  name: string | null;
  /** Why the representative filed. */
  filedReason: string | null;
  filedBy: string | null;
  diff: FieldChange[];
  decision: {
    reason: string | null;
    by: string | null;
    txId: string;
    height: number;
    time: number;
  } | null;
}

const text = (v: unknown): string | null =>
  v === undefined || v === null ? null : typeof v === 'bigint' ? v.toString() : String(v);

export async function filingDetails(
  services: AppServices,
  rows: readonly FilingRow[],
  state: PrefetchedState = new PrefetchedState(services),
): Promise<FilingDetail[]> {
  if (rows.length === 0) return [];
  const db = services.database.db;
  const ids = rows.map((r) => r.id);
  const usccs = [...new Set(rows.map((r) => r.uscc))];
  await state.load([...ids.map(registryKeys.filing), ...usccs.map(registryKeys.enterprise)]);
  const [ents, events] = await Promise.all([
    db.select().from(enterprises).where(inArray(enterprises.uscc, usccs)),
    db
      .select()
      .from(changes)
      .where(and(inArray(changes.uscc, usccs), inArray(changes.name, ['filingDecided', 'enterpriseChanged'])))
      .orderBy(asc(changes.height), asc(changes.eventIndex)),
  ]);
  const entOf = new Map<string, EnterpriseRow>(ents.map((e) => [e.uscc, e]));
  return rows.map((row) => {
    const onChain: Filing | undefined = registryFilingOf(state, row.id);
    const ent = entOf.get(row.uscc);
    const attrsOf = (e: (typeof events)[number]) => e.attrs as Record<string, unknown>;
    const decided = events.find((e) => e.name === 'filingDecided' && attrsOf(e).id === row.id);
    const changed = events.filter((e) => e.name === 'enterpriseChanged' && attrsOf(e).filing === row.id);
    const asked = (onChain?.changes ?? {}) as Record<string, unknown>;
    const now = state.enterprise(row.uscc) as Record<string, unknown> | undefined;
    const after = (e: (typeof events)[number], d: (typeof events)[number]) =>
      e.height > d.height || (e.height === d.height && e.eventIndex > d.eventIndex);
    const valueAtRejection = (field: string) => {
      if (!decided) return null;
      const next = events.find(
        (e) =>
          e.name === 'enterpriseChanged' &&
          attrsOf(e).field === field &&
          attrsOf(e).filing !== row.id &&
          after(e, decided),
      );
      return next ? text(attrsOf(next).from) : text(now?.[field]);
    };
    const diff: FieldChange[] = CHANGE_FIELDS.filter(
      (f) => row.fields.includes(f) || asked[f] !== undefined,
    ).map((field) => {
      const event = changed.find((e) => attrsOf(e).field === field);
      if (event) return { field, from: text(attrsOf(event).from), to: text(attrsOf(event).to) ?? '' };
      return {
        field,
        from:
          row.status === 'pending'
            ? text(now?.[field])
            : row.status === 'rejected'
              ? valueAtRejection(field)
              : null,
        to: text(asked[field]) ?? '',
      };
    });
    const { reason, decidedBy, ...rest } = row;
    return {
      ...rest,
      name: ent?.name ?? null,
      filedReason: onChain?.reason ?? null,
      filedBy: onChain?.by ?? null,
      diff,
      decision: decided
        ? {
            reason,
            by: decidedBy,
            txId: decided.txId,
            height: decided.height,
            time: decided.effectiveAt,
          }
        : null,
    };
  });
}

/** An enterprise's filings, newest first. */
export async function filingsOf(services: AppServices, uscc: string, state?: PrefetchedState) {
  const rows = await services.database.db
    .select()
    .from(filings)
    .where(eq(filings.uscc, uscc))
    .orderBy(desc(filings.height), desc(filings.id));
  return filingDetails(services, rows, state);
}
