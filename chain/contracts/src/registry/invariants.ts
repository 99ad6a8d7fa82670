// What must hold of the registry contract's state after every block: every enterprise is keyed by a
// valid USCC; an ended life names when it ended (and a merger its active-or-ended successor, never
// itself); listing records run forward (noticed before escalated, escalated exactly three years on,
// removed after listed); an imported enterprise names a record of a kept batch; each report year is filed once; certificate histories start valid at issue,
// move forward in time and end at revoked or cancelled; posts have sound ranges. Reads only.
import type { ScannableState } from '../invariants';
import { checkUscc } from './codes';
import type { Certificate, Enterprise, ImportBatch, Post } from './views';
import { seriousAt, seriousNoticeAt } from './views';

export function checkRegistryInvariants(state: ScannableState): string[] {
  const problems: string[] = [];
  const enterprises = new Map<string, Enterprise>();
  const certs: [string, Certificate][] = [];
  const posts: [string, Post][] = [];
  const batches = new Map<string, ImportBatch>();
  for (const [key, value] of state.scan('registry/')) {
    const kind = key.split('/')[1];
    if (kind === 'ent') enterprises.set(key.slice('registry/ent/'.length), value as unknown as Enterprise);
    else if (kind === 'cert') certs.push([key, value as unknown as Certificate]);
    else if (kind === 'post') posts.push([key, value as unknown as Post]);
    else if (kind === 'batch')
      batches.set(key.slice('registry/batch/'.length), value as unknown as ImportBatch);
  }
  for (const [uscc, e] of enterprises) {
    const key = `registry/ent/${uscc}`;
    const check = checkUscc(uscc);
    if (!check.ok || check.value.code !== uscc || e.uscc !== uscc)
      problems.push(`${key}: not a canonical USCC`);
    const ended = e.life === 'revoked' || e.life === 'deregistered' || e.life === 'merged';
    if (ended !== (e.endedAt !== undefined))
      problems.push(`${key}: life ${e.life} with endedAt ${e.endedAt}`);
    if ((e.life === 'merged') !== (e.successor !== undefined))
      problems.push(`${key}: successor only on a merger`);
    if (e.successor !== undefined && (e.successor === uscc || !enterprises.has(e.successor)))
      problems.push(`${key}: successor ${e.successor} is not another enterprise`);
    if (e.life === 'pending' && (e.reports.length > 0 || e.listings.length > 0))
      problems.push(`${key}: a pending registration has reports or listings`);
    if (new Set(e.reports.map((r) => r.year)).size !== e.reports.length)
      problems.push(`${key}: a year reported twice`);
    if (e.reports.some((r) => r.year < Number(e.establishedOn.slice(0, 4))))
      problems.push(`${key}: a report of a year before it was established`);
    if (typeof e.capital !== 'bigint' && typeof e.capital !== 'number')
      problems.push(`${key}: capital not an integer`);
    e.listings.forEach((l, i) => {
      const at = `${key}: listing ${i}`;
      if (l.seriousAt !== undefined && l.seriousAt !== seriousAt(l.since))
        problems.push(`${at} escalated off time`);
      if (l.seriousAt !== undefined && l.noticeAt !== seriousNoticeAt(l.since))
        problems.push(`${at} escalated without its notice 60 days before`);
      if (l.removedAt !== undefined && l.removedAt < l.since) problems.push(`${at} removed before listed`);
      if (l.removedAt !== undefined && l.seriousAt !== undefined && l.removedAt >= l.seriousAt)
        problems.push(`${at} left the 严重违法 list by a plain removal`);
    });
    if (e.imported !== undefined) {
      const b = batches.get(e.imported.batch);
      if (!b || e.imported.index < 0 || e.imported.index >= b.count)
        problems.push(
          `${key}: imported as record ${e.imported.index} of batch ${e.imported.batch}, which has no such record`,
        );
    }
    const open = e.listings.filter((l) => l.removedAt === undefined);
    for (const cause of ['annual_report', 'instant_disclosure'] as const) {
      const ids = open.filter((l) => l.cause === cause).map((l) => `${l.year ?? ''}${l.orderId ?? ''}`);
      if (new Set(ids).size !== ids.length) problems.push(`${key}: listed twice for the same ${cause}`);
    }
  }
  for (const [key, c] of certs) {
    if (!enterprises.has(c.holder)) problems.push(`${key}: holder ${c.holder} is no enterprise`);
    const first = c.history[0];
    if (first?.status !== 'valid' || first.from !== c.time)
      problems.push(`${key}: history does not start at issue`);
    c.history.forEach((h, i) => {
      const prev = c.history[i - 1];
      if (!prev) return;
      if (h.from < prev.from) problems.push(`${key}: history goes back in time at ${i}`);
      if (prev.status === 'revoked' || prev.status === 'cancelled')
        problems.push(`${key}: status ${h.status} after ${prev.status}`);
      if (h.status === 'valid' && prev.status !== 'suspended')
        problems.push(`${key}: restored from ${prev.status}`);
      if (prev.status === 'suspended' && prev.until !== undefined && h.from > prev.until)
        problems.push(`${key}: an expired suspension was not turned into a revocation at its end`);
    });
    if (c.validUntil <= c.validFrom) problems.push(`${key}: validity ends before it begins`);
  }
  for (const [key, p] of posts) {
    if (BigInt(p.quantity) < 1n) problems.push(`${key}: quantity below 1`);
    if (BigInt(p.priceMin) > BigInt(p.priceMax)) problems.push(`${key}: priceMin above priceMax`);
    if (p.deliverFrom > p.deliverUntil) problems.push(`${key}: delivery window reversed`);
    if (!enterprises.has(p.uscc)) problems.push(`${key}: enterprise ${p.uscc} unknown`);
  }
  return problems;
}
