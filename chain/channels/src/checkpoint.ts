// Checkpoints of a channel node's durable log. A node restarts by constructing its machine with its
// records; replaying every record it ever wrote grows with its age. `RecordFold` takes the records in log
// order and gives at any point the few records that restore the machine as all of them do: a checkpoint.
// A log keeps the newest checkpoint with the place in the log it covers, and a restart reads it and only
// the records after it.
//
// What the machine keeps from its records, and so what a checkpoint must keep:
//   - every channel record that added an asset, and the newest one (its deposits);
//   - the newest status of each channel, and the newest record of its cooperative close (while open);
//   - per channel and asset, the newest two signed batches of this node (the newest is sent again after
//     a restart; the one before it says what the peer acknowledged) and the newest proof received;
//   - preimages, declines and failures of hashlocks those keep a lock on (the newest failure of each),
//     and unpaid invoices (the machine forgets the others at restart);
//   - the payments whose locks or operations those hold (in flight), and every other payment whose id may
//     still be refused as a duplicate: one the log saw within the payment id window. A payment's id is
//     taken as seen until the batch after the one that resolved it is signed, which is after its outcome;
//   - whether a payment was ever signed: a payment recorded as `queued` stays so until an `out` record
//     carries it (then the checkpoint keeps it without the mark), and it is kept whatever its age, since
//     a restart must fail it (NOT_SENT); one failed so (`unsent`) is dropped, its id free. A payment's
//     record keeps its plan (the driver's, for later attempts) when the mark goes.
// Never drop what the machine would keep: a checkpoint restores the same channels, proofs, locks and
// payments in flight as the records it stands for.

import { type DurableRecord, PAYMENT_ID_WINDOW_MS } from './machine';

type Rec<T extends DurableRecord['t']> = DurableRecord & { readonly t: T };

interface ChannelRecords {
  /** The records that added an asset, in log order (the first one among them). */
  readonly adding: Rec<'channel'>[];
  readonly assets: Set<string>;
  /** The newest record, when it added no asset. */
  newest: Rec<'channel'> | null;
}

export class RecordFold {
  private readonly channels = new Map<string, ChannelRecords>();
  private readonly statuses = new Map<string, Rec<'status'>>();
  /** The newest `shutdown` record of each channel (its cooperative close under way). */
  private readonly shutdowns = new Map<string, Rec<'shutdown'>>();
  /** Per `channel/asset`: this node's newest two signed batches. */
  private readonly outs = new Map<string, { before: Rec<'out'> | null; newest: Rec<'out'> }>();
  private readonly ins = new Map<string, Rec<'in'>>();
  private readonly preimages = new Map<string, Uint8Array>();
  /** Unpaid invoices of this node. */
  private readonly invoices = new Map<string, Uint8Array>();
  private readonly declined = new Set<string>();
  /** The newest failure recorded for each hashlock. */
  private readonly failures = new Map<string, Rec<'failure'>>();
  /** Payments this node started, with the newest time the log still held them in flight. */
  private readonly payments = new Map<string, { record: Rec<'payment'>; seenAt: number }>();
  /** Records taken in. */
  size = 0;

  /** `idWindowMs`: the machine's payment id window (`NodeConfig.paymentIdWindowMs`). */
  constructor(private readonly idWindowMs = PAYMENT_ID_WINDOW_MS) {}

  /** Takes records in log order; `at` is when they were written (the clock of the payment id window). */
  add(records: readonly DurableRecord[], at: number): void {
    for (const r of records) this.take(r, at);
    this.size += records.length;
  }

  /**
   * The records that restore the machine as every record taken so far does, at `now`. Forgets what it
   * no longer needs, so a fold holds what its checkpoint holds plus the records since.
   */
  records(now: number): DurableRecord[] {
    const held = new Set<string>();
    const live = new Set<string>();
    for (const { before, newest } of this.outs.values()) {
      for (const r of before ? [before, newest] : [newest])
        for (const l of r.locks) {
          held.add(l.hashlock);
          live.add(l.id);
        }
      for (const op of newest.ops) {
        if (op.t === 'lock') held.add(op.hashlock);
        if (op.t === 'pay' || op.t === 'lock') live.add(op.id);
      }
    }
    for (const r of this.ins.values()) for (const l of r.locks) held.add(l.hashlock);
    const needed = (hashlock: string) => held.has(hashlock) || this.invoices.has(hashlock);
    for (const h of this.preimages.keys()) if (!needed(h)) this.preimages.delete(h);
    for (const h of this.declined) if (!needed(h)) this.declined.delete(h);
    for (const h of this.failures.keys()) if (!held.has(h)) this.failures.delete(h);
    for (const [id, p] of this.payments)
      if (!live.has(id) && !p.record.queued && p.seenAt + this.idWindowMs <= now) this.payments.delete(id);

    const out: DurableRecord[] = [];
    for (const c of this.channels.values()) out.push(...c.adding, ...(c.newest ? [c.newest] : []));
    out.push(...this.statuses.values());
    for (const [channel, r] of this.shutdowns)
      if ((this.statuses.get(channel)?.status ?? 'open') === 'open') out.push(r);
      else this.shutdowns.delete(channel);
    for (const { before, newest } of this.outs.values()) out.push(...(before ? [before, newest] : [newest]));
    out.push(...this.ins.values());
    for (const [hashlock, preimage] of this.invoices) out.push({ t: 'invoice', hashlock, preimage });
    for (const [hashlock, preimage] of this.preimages)
      if (!this.invoices.has(hashlock)) out.push({ t: 'preimage', hashlock, preimage });
    for (const hashlock of this.declined) out.push({ t: 'declined', hashlock });
    out.push(...this.failures.values());
    for (const p of this.payments.values()) out.push(p.record);
    return out;
  }

  private take(r: DurableRecord, at: number): void {
    switch (r.t) {
      case 'channel': {
        const c = this.channels.get(r.info.id);
        const added = Object.keys(r.info.deposits).filter((a) => !c?.assets.has(a));
        if (!c) {
          this.channels.set(r.info.id, { adding: [r], assets: new Set(added), newest: null });
        } else if (added.length > 0) {
          c.adding.push(r);
          for (const a of added) c.assets.add(a);
          c.newest = null;
        } else c.newest = r;
        return;
      }
      case 'status':
        this.statuses.set(r.channel, r);
        // Its batch in flight and queued payments got their outcomes now.
        for (const [key, o] of this.outs)
          if (key.startsWith(`${r.channel}/`)) for (const x of [o.before, o.newest]) this.seen(x, at);
        return;
      case 'out': {
        // The payments it carries are signed: no longer `queued`.
        const signed = (id: string) => {
          const p = this.payments.get(id);
          if (!p?.record.queued) return;
          const { asset, amount, plan } = p.record;
          p.record = { t: 'payment', id, asset, amount, ...(plan && { plan }) };
        };
        for (const op of r.ops) if (op.t === 'pay' || op.t === 'lock') signed(op.id);
        for (const l of r.locks) signed(l.id);
        const key = `${r.channel}/${r.asset}`;
        const o = this.outs.get(key);
        // The batches this one follows were acknowledged: what they resolved had its outcome by now.
        if (o) for (const x of [o.before, o.newest]) this.seen(x, at);
        this.seen(r, at);
        this.outs.set(key, { before: o?.newest ?? null, newest: r });
        return;
      }
      case 'in':
        this.ins.set(`${r.channel}/${r.asset}`, r);
        return;
      case 'shutdown':
        this.shutdowns.set(r.channel, r);
        return;
      case 'preimage':
        this.preimages.set(r.hashlock, r.preimage);
        return;
      case 'invoice':
        this.preimages.set(r.hashlock, r.preimage);
        this.invoices.set(r.hashlock, r.preimage);
        return;
      case 'paid':
        this.invoices.delete(r.hashlock);
        return;
      case 'declined':
        this.declined.add(r.hashlock);
        return;
      case 'payment':
        this.payments.set(r.id, { record: r, seenAt: at });
        return;
      case 'unsent':
        this.payments.delete(r.id);
        return;
      case 'failure':
        this.failures.set(r.hashlock, r);
        return;
    }
  }

  /** The payments a batch holds were in flight at `at` at the latest. */
  private seen(r: Rec<'out'> | null, at: number): void {
    if (!r) return;
    const touch = (id: string) => {
      const p = this.payments.get(id);
      if (p && p.seenAt < at) p.seenAt = at;
    };
    for (const l of r.locks) touch(l.id);
    for (const op of r.ops) if (op.t === 'pay' || op.t === 'lock') touch(op.id);
  }
}
