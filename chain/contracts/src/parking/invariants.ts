// What must hold of the parking contract's state after every block: each lot's day totals are the sums
// of its receipts (gross) and refunded receipts; nothing is settled beyond what was paid and not
// refunded; the payments held (not yet settled) are what the contract has locked (added to the assets
// invariant); every statement line splits its net exactly into fee and share; a lot's open count is the
// number of its open sessions.
import { asBigInt, type Value } from '@gongxin/ledger';
import type { ScannableState } from '../invariants';
import type { Lot, Receipt, Statement } from './views';

const bi = (v: unknown) => asBigInt(v as Value) ?? 0n;

export function checkParkingState(state: ScannableState): { problems: string[]; held: Map<string, bigint> } {
  const problems: string[] = [];
  const held = new Map<string, bigint>();
  const lots = new Map<string, Lot>();
  const openCount = new Map<string, number>();
  const fromReceipts = new Map<string, { gross: bigint; refunded: bigint }>();
  const days: [string, string, { gross: unknown; refunded: unknown; settled: unknown }][] = [];
  for (const [key, value] of state.scan('parking/')) {
    const [, kind, a = '', b = ''] = key.split('/');
    if (kind === 'lot') lots.set(a, value as unknown as Lot);
    else if (kind === 'open') openCount.set(a, (openCount.get(a) ?? 0) + 1);
    else if (kind === 'day') days.push([a, b, value as never]);
    else if (kind === 'receipt') {
      const r = value as unknown as Receipt;
      const k = `${r.date}/${r.lot}`;
      const t = fromReceipts.get(k) ?? { gross: 0n, refunded: 0n };
      t.gross += bi(r.fen);
      if (r.refunded) t.refunded += bi(r.fen);
      fromReceipts.set(k, t);
    } else if (kind === 'statement') {
      for (const line of (value as unknown as Statement).lines)
        if (bi(line.net) !== bi(line.fee) + bi(line.share))
          problems.push(
            `parking statement ${a}: ${line.lot} net ${line.net} != fee ${line.fee} + share ${line.share}`,
          );
    }
  }
  for (const [date, lotId, day] of days) {
    const gross = bi(day.gross);
    const refunded = bi(day.refunded);
    const settled = bi(day.settled);
    const r = fromReceipts.get(`${date}/${lotId}`) ?? { gross: 0n, refunded: 0n };
    if (r.gross !== gross || r.refunded !== refunded)
      problems.push(
        `parking day ${date}/${lotId}: totals ${gross}/${refunded} != receipts ${r.gross}/${r.refunded}`,
      );
    if (settled + refunded > gross)
      problems.push(`parking day ${date}/${lotId}: settled ${settled} beyond paid`);
    const lot = lots.get(lotId);
    if (!lot) {
      problems.push(`parking day ${date}/${lotId}: no such lot`);
      continue;
    }
    held.set(lot.symbol, (held.get(lot.symbol) ?? 0n) + gross - refunded - settled);
  }
  for (const [id, lot] of lots)
    if (lot.open !== (openCount.get(id) ?? 0))
      problems.push(`parking lot ${id}: open ${lot.open} != open sessions ${openCount.get(id) ?? 0}`);
  return { problems, held };
}
