// The simulated chain: the real contracts (assets, channels…) executed block by block through the ledger's
// executeBlock, with the fast simulation crypto, and every block checked against the contracts' state
// invariants (conservation of every asset, channels' deposits = balances + locked = payouts).

import { channelsContract, checkInvariants, createCoreRegistry } from '@gongxin/contracts';
import {
  type Action,
  type CryptoSuite,
  createGenesisState,
  executeBlock,
  type ChainEvent as LedgerEvent,
  type LedgerState,
  MemoryState,
  type Value,
  validatorsOf,
} from '@gongxin/ledger';
import { signedTx, type TestAccount, testValidator } from '@gongxin/ledger/testing';

export const SIM_CHAIN_ID = 'gongxin-channels-sim';

export interface PendingTx {
  readonly account: TestAccount;
  readonly action: Action;
}

export class SimChain {
  readonly store: MemoryState;
  private state: LedgerState;
  private readonly env;
  private readonly nonces = new Map<string, number>();
  private pending: PendingTx[] = [];
  /** Txs that failed, by contract action: a refused challenge is normal, a refused withdraw is not. */
  readonly failures = new Map<string, number>();
  txs = 0;

  constructor(
    readonly suite: CryptoSuite,
    genesisTime: number,
    balances: { symbol: string; holders: Record<string, bigint> }[],
    issuer: string,
  ) {
    this.env = { suite, contracts: createCoreRegistry([channelsContract]) };
    const validator = testValidator(suite, 1, 10);
    const genesis = createGenesisState(this.env, {
      chainId: SIM_CHAIN_ID,
      suite: suite.id,
      time: genesisTime,
      validators: [validator.validator],
      contracts: {
        assets: {
          assets: balances.map(({ symbol, holders }) => ({
            symbol,
            name: `${symbol} units`,
            decimals: 0,
            policy: 'fixed',
            issuer,
            balances: holders as unknown as Value,
          })),
        },
      } as Record<string, Value>,
    });
    this.store = new MemoryState(genesis.writes as Map<string, Value>);
    this.state = { head: genesis.state.head, store: this.store };
  }

  get time(): number {
    return this.state.head.time;
  }

  submit(account: TestAccount, action: Action): void {
    this.pending.push({ account, action });
  }

  get backlog(): number {
    return this.pending.length;
  }

  /** Executes every pending tx as one block at `time`; returns its events and any invariant problems. */
  block(time: number): { events: LedgerEvent[]; problems: string[] } {
    const txs = this.pending.map(({ account, action }) => {
      const nonce = this.nonces.get(account.address) ?? 0;
      this.nonces.set(account.address, nonce + 1);
      return signedTx(this.suite, SIM_CHAIN_ID, account, nonce, [action]);
    });
    const actions = this.pending.map((p) => `${p.action.contract}.${p.action.name}`);
    this.pending = [];
    const proposer = validatorsOf(this.store)[0]!.key;
    const result = executeBlock(this.env, this.state, { time, proposer, txs });
    this.store.apply(result.writes);
    this.state = { head: result.state.head, store: this.store };
    this.txs += txs.length;
    for (const [i, r] of result.receipts.entries()) {
      if (r.ok) continue;
      const key = `${actions[i]}:${r.code}`;
      this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
    }
    return { events: result.events, problems: checkInvariants(this.store) };
  }
}
