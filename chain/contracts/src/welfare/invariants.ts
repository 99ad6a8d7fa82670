// What must hold of the welfare contract's state after every block: no envelope is overspent (in count
// or fen) and its use is exactly the payments sent or paid; each cycle's issued, paid, failed and
// returned figures are the sums of its payments, and a closed cycle balances to the fen; no household
// is paid beyond what is recorded for it; no person is in two open household files; and the fen in
// flight (sent, not yet settled) are what the contract has locked (added to the assets invariant).
import { asBigInt, type Value } from '@gongxin/ledger';
import type { ScannableState } from '../invariants';
import type { Area, Batch, Cycle, Envelope, Household } from './views';

const bi = (v: unknown) => asBigInt(v as Value) ?? 0n;

export function checkWelfareState(state: ScannableState): {
  problems: string[];
  inFlight: Map<string, bigint>;
} {
  const problems: string[] = [];
  const inFlight = new Map<string, bigint>();
  const areas = new Map<string, Area>();
  const households: Household[] = [];
  const batches: Batch[] = [];
  const envelopes = new Map<string, Envelope>();
  const cycles = new Map<string, Cycle>();
  const paid = new Map<string, bigint>();
  const persons = new Map<string, { household: string }>();
  for (const [key, value] of state.scan('welfare/')) {
    const [, kind, a = '', b = ''] = key.split('/');
    if (kind === 'area') areas.set(a, value as unknown as Area);
    else if (kind === 'household') households.push(value as unknown as Household);
    else if (kind === 'batch') batches.push(value as unknown as Batch);
    else if (kind === 'envelope') envelopes.set(`${a}/${b}`, value as unknown as Envelope);
    else if (kind === 'cycle') cycles.set(`${a}/${b}`, value as unknown as Cycle);
    else if (kind === 'paid') paid.set(`${a}/${b}`, bi(value));
    else if (kind === 'person') persons.set(a, value as unknown as { household: string });
  }

  const used = new Map<string, { count: number; total: bigint }>();
  const sums = new Map<string, { issued: bigint; paid: bigint; failed: bigint; returned: bigint }>();
  const toHousehold = new Map<string, bigint>();
  for (const batch of batches) {
    const key = `${batch.area}/${batch.period}`;
    const symbol = areas.get(batch.area)?.symbol;
    if (!symbol) problems.push(`welfare/batch/${batch.id}: area ${batch.area} unknown`);
    const s = sums.get(key) ?? { issued: 0n, paid: 0n, failed: 0n, returned: 0n };
    const u = used.get(key) ?? { count: 0, total: 0n };
    for (const p of batch.payments) {
      const amount = bi(p.amount);
      s.issued += amount;
      if (p.state === 'sent' && symbol) inFlight.set(symbol, (inFlight.get(symbol) ?? 0n) + amount);
      if (p.state === 'paid' || p.state === 'failed' || p.state === 'returned') s[p.state] += amount;
      if (p.state === 'sent' || p.state === 'paid') {
        u.count += 1;
        u.total += amount;
        const hk = `${p.household}/${batch.period}`;
        toHousehold.set(hk, (toHousehold.get(hk) ?? 0n) + amount);
      }
    }
    sums.set(key, s);
    used.set(key, u);
  }

  for (const [key, e] of envelopes) {
    const u = used.get(key) ?? { count: 0, total: 0n };
    if (e.usedCount > e.count || bi(e.usedTotal) > bi(e.total))
      problems.push(
        `welfare/envelope/${key}: used ${e.usedCount} / ${bi(e.usedTotal)} beyond ${e.count} / ${bi(e.total)}`,
      );
    if (e.usedCount !== u.count || bi(e.usedTotal) !== u.total)
      problems.push(
        `welfare/envelope/${key}: records ${e.usedCount} / ${bi(e.usedTotal)}, payments ${u.count} / ${u.total}`,
      );
  }
  for (const key of used.keys())
    if (!envelopes.has(key)) problems.push(`welfare/envelope/${key}: payments without an envelope`);

  for (const [key, c] of cycles) {
    const s = sums.get(key) ?? { issued: 0n, paid: 0n, failed: 0n, returned: 0n };
    for (const f of ['issued', 'paid', 'failed', 'returned'] as const)
      if (bi(c[f]) !== s[f])
        problems.push(`welfare/cycle/${key}: ${f} ${bi(c[f])} but payments sum to ${s[f]}`);
    if (c.closed && s.paid + s.failed + s.returned !== s.issued)
      problems.push(`welfare/cycle/${key}: closed but paid + failed + returned != issued ${s.issued}`);
  }

  for (const [key, amount] of paid)
    if (amount !== (toHousehold.get(key) ?? 0n))
      problems.push(`welfare/paid/${key}: ${amount} but payments sum to ${toHousehold.get(key) ?? 0n}`);
  for (const [key, amount] of toHousehold)
    if (amount !== 0n && !paid.has(key)) problems.push(`welfare/paid/${key}: missing, payments ${amount}`);

  const openIn = new Map<string, string>();
  for (const h of households) {
    if (h.status === 'closed' || h.status === 'rejected') continue;
    for (const m of h.members) {
      if (m.deceased || m.until !== undefined) continue;
      const other = openIn.get(m.idHash);
      if (other) problems.push(`welfare: person ${m.idHash} is in households ${other} and ${h.id}`);
      openIn.set(m.idHash, h.id);
      if (persons.get(m.idHash)?.household !== h.id)
        problems.push(`welfare/person/${m.idHash}: does not point to household ${h.id}`);
    }
  }
  for (const [idHash, p] of persons)
    if (openIn.get(idHash) !== p.household)
      problems.push(`welfare/person/${idHash}: points to ${p.household}, not an open file holding them`);
  return { problems, inFlight };
}
