// What the registry app keeps per mount: the service key that sends `sweep`, and the sweeper. The ledger
// has no block hook, so the consequences of a passed deadline (经营异常 at the first instant past 30 June
// or the 20th working day, the 60-day notice, 严重违法 three years on) are written down by the next tx that
// touches the enterprise; the views show them at once, and the sweeper makes sure the record follows soon
// for enterprises nobody touches. It runs only in the leader process (the module's `start`): it walks the
// active enterprises page by page from the read model, asks the contract's own view (`dueConsequences`
// over the chain's state) whether anything is due, and sends `sweep` only for those, batched into txs.
import { type AppServices, clockOf } from '@gongxin/app-kit';
import { type Account, createWallet, type Wallet } from '@gongxin/client';
import { dueConsequences, ordersOf } from '@gongxin/contracts';
import { MAX_ACTIONS } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { and, asc, eq, gt } from 'drizzle-orm';
import { PrefetchedState } from './chain-state';
import { enterprises } from './db/schema';
import { demoParty, demoPartyAccounts } from './parties';

export interface SweepResult {
  checked: number;
  due: string[];
  sent: number;
  failed: number;
}

export class RegistryRuntime {
  readonly signer: Account | undefined;
  private wallet: Wallet | undefined;
  /** Where the walk over active enterprises continues (the last USCC checked). */
  private cursor = '';
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  lastSweep: (SweepResult & { at: number }) | null = null;

  constructor(
    readonly services: AppServices,
    readonly opts: { sweepEveryMs?: number; sweepPage?: number; now?: () => number } = {},
  ) {
    const own = services.chain.serviceSigner;
    if (own) this.signer = own;
    else if (services.config.demo)
      this.signer = demoParty(demoPartyAccounts(getSuite(services.chain.suite)), 'registry-service').account;
    if (this.signer) this.wallet = createWallet(services.chain.client, this.signer);
  }

  /** Checks the next page of active enterprises and sends `sweep` for those with something due. */
  async sweepOnce(): Promise<SweepResult> {
    const db = this.services.database.db;
    const page = this.opts.sweepPage ?? 200;
    const rows = await db
      .select({ uscc: enterprises.uscc })
      .from(enterprises)
      .where(and(eq(enterprises.life, 'active'), gt(enterprises.uscc, this.cursor)))
      .orderBy(asc(enterprises.uscc))
      .limit(page);
    this.cursor = rows.length < page ? '' : rows[rows.length - 1]!.uscc;
    const state = new PrefetchedState(this.services);
    const usccs = rows.map((r) => r.uscc);
    await state.loadEnterprises(usccs);
    const now = (this.opts.now ?? clockOf(this.services))();
    const due = usccs.filter((u) => {
      const ent = state.enterprise(u);
      return ent?.life === 'active' && dueConsequences(ent, ordersOf(state, u), now).consequences.length > 0;
    });
    let sent = 0;
    let failed = 0;
    if (this.wallet)
      for (let i = 0; i < due.length; i += MAX_ACTIONS) {
        const batch = due.slice(i, i + MAX_ACTIONS);
        const receipt = await this.wallet
          .send(batch.map((uscc) => ({ contract: 'registry', name: 'sweep', params: { uscc } })))
          .catch((error: Error) => ({ ok: false as const, message: error.message }));
        if (receipt.ok) sent += batch.length;
        else {
          failed += batch.length;
          this.services.logger.warn({ message: receipt.message }, 'registry sweep was refused');
        }
      }
    const result = { checked: rows.length, due, sent, failed };
    this.lastSweep = { ...result, at: now };
    if (sent > 0) this.services.logger.info({ sent }, 'registry deadlines recorded by sweep');
    return result;
  }

  /** Runs the sweeper on its schedule (the leader's background work). */
  startSweeper(): void {
    const every = this.opts.sweepEveryMs ?? 60_000;
    const tick = () => {
      this.running = this.sweepOnce()
        .catch((error) => this.services.logger.warn({ err: error }, 'registry sweep failed; retrying'))
        .finally(() => {
          this.running = null;
          if (this.timer) this.timer = setTimeout(tick, every);
        });
    };
    this.timer = setTimeout(tick, Math.min(every, 5_000));
  }

  async stopSweeper(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
