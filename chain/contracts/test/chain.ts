// A small chain for contract tests: real genesis, real signed txs, real blocks through executeBlock,
// with the state kept the way a node keeps it (a MemoryState folding in each block's writes).
// The ledger does not export its test helpers or Node crypto yet, hence the relative imports, kept to this
// file (test only): other tests take the ledger's test helpers from here.
import {
  type Action,
  type BlockResult,
  type ChainEvent,
  type ContractModule,
  createGenesisState,
  executeBlock,
  type LedgerState,
  MemoryState,
  nonceOf,
  type Receipt,
  type RejectionCode,
  toJsonValue,
  type Validator,
  type Value,
  type ValueMap,
  validatorsOf,
} from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { signedTx, type TestAccount, testAccount, testValidator } from '@gongxin/ledger/testing';
import { expect } from 'vitest';
import {
  assetMoveOf,
  assetOf,
  balanceDeltas,
  catalogOf,
  checkEmitted,
  checkInvariants,
  coreContracts,
  createCoreRegistry,
  suiteContracts,
  suiteEventCatalogs,
} from '../src/index';

const suiteModules: readonly ContractModule[] = [...coreContracts, ...suiteContracts];

export { signedTx, type TestAccount, testAccount, testValidator };

export const suite = getSuite('ed25519-sha256');
export const chainId = 'gongxin-test';
export const GENESIS_TIME = 1_700_000_000_000;
export const BLOCK_MS = 1000;

export const accounts = {
  alice: testAccount(suite, 1),
  bob: testAccount(suite, 2),
  carol: testAccount(suite, 3),
  dave: testAccount(suite, 4),
  /** Government authority with scope 'identity'. */
  authority: testAccount(suite, 10),
  /** Authority with scope 'parking' only. */
  parkingAuthority: testAccount(suite, 11),
  /** Holds the role assets/regulator. */
  regulator: testAccount(suite, 12),
  /** Never registered. */
  mallory: testAccount(suite, 66),
};

export const validators = [1, 2, 3].map((seed) => testValidator(suite, seed, 10));

export const hash32 = (n: number) => n.toString(16).padStart(64, '0');

export function call(contract: string, name: string, params: ValueMap): Action {
  return { contract, name, params };
}

/** Identities, authorities and one asset most tests start from. */
export function demoGenesis(): Record<string, Value> {
  const { alice, bob, carol, authority, parkingAuthority, regulator } = accounts;
  return {
    governance: {
      authorities: [
        { address: authority.address, name: '市场监督管理局', scopes: ['identity'] },
        { address: parkingAuthority.address, name: 'Parking bureau', scopes: ['parking'] },
      ],
      params: { 'assets.packetFee': 0 },
    },
    identity: {
      accounts: [
        { address: alice.address, kind: 'person' },
        { address: bob.address, kind: 'person' },
        { address: carol.address, kind: 'organization' },
        { address: regulator.address, kind: 'organization' },
      ],
      attestations: [{ subject: alice.address, kind: 'person', idHash: hash32(1) }],
      roles: [{ subject: regulator.address, app: 'assets', role: 'regulator' }],
    },
    assets: {
      assets: [
        {
          symbol: 'CNYX',
          name: 'Digital yuan voucher',
          decimals: 2,
          policy: 'mintable',
          issuer: alice.address,
          maxSupply: 1_000_000_000n,
          balances: { [alice.address]: 1_000_000, [bob.address]: 5_000 },
        },
      ],
    },
  };
}

export interface TxOutcome {
  result: BlockResult;
  receipt: Receipt;
  events: ChainEvent[];
}

/** Balances and supplies as a reader knows them from events alone (`<symbol>/<address>` → amount). */
interface FollowedBalances {
  balances: Map<string, bigint>;
  supplies: Map<string, bigint>;
}

export class TestChain {
  readonly env;
  readonly store: MemoryState;
  state: LedgerState;
  private readonly nonces = new Map<string, number>();
  /**
   * Every block's events are checked against the contracts' event catalogs, and balances are followed
   * from the events through the assets contract's balance reduction (what the wallet and the explorer
   * do): after each block they must equal the state. Every test that runs txs checks both.
   */
  private readonly followed: FollowedBalances;

  constructor(
    options: { contracts?: Record<string, unknown>; validators?: Validator[]; extra?: ContractModule[] } = {},
  ) {
    this.env = { suite, contracts: createCoreRegistry(options.extra) };
    const genesis = createGenesisState(this.env, {
      chainId,
      suite: suite.id,
      time: GENESIS_TIME,
      validators: options.validators ?? validators.map((v) => v.validator),
      contracts: (options.contracts ?? demoGenesis()) as Record<string, Value>,
    });
    this.store = new MemoryState(genesis.writes as Map<string, Value>);
    this.state = { head: genesis.state.head, store: this.store };
    this.followed = this.balancesInState();
  }

  /** The balances and supplies the state holds (the genesis ones are where following starts). */
  private balancesInState(): FollowedBalances {
    const balances = new Map<string, bigint>();
    const supplies = new Map<string, bigint>();
    for (const [key, value] of this.store.scan('assets/bal/'))
      balances.set(key.slice('assets/bal/'.length), BigInt(value as number | bigint));
    for (const [key] of this.store.scan('assets/asset/')) {
      const symbol = key.slice('assets/asset/'.length);
      supplies.set(symbol, assetOf(this.store, symbol)!.supply);
    }
    return { balances, supplies };
  }

  /** Checks the block's events against the catalogs and follows its balance events. */
  private followEvents(result: BlockResult): void {
    // The catalogs describe the suite's contracts; a test-only version or contract (`extra`) has none.
    const height = result.header.height;
    const own = result.events.filter((e) => {
      const module = this.env.contracts.resolve(e.contract, height, this.store);
      return module === undefined || suiteModules.includes(module);
    });
    const mismatches = checkEmitted(own, suiteEventCatalogs);
    expect(mismatches, mismatches.join('; ')).toEqual([]);
    // What a reader parses from the node API's JSON is what the contract emitted.
    for (const event of own) {
      const parsed = catalogOf(event)!.parse({ ...event, attrs: toJsonValue(event.attrs) });
      expect(parsed.attrs).toEqual(event.attrs);
    }
    const { balances, supplies } = this.followed;
    for (const event of result.events) {
      // As an indexer receives it: the node API's JSON form.
      const move = assetMoveOf({ ...event, attrs: toJsonValue(event.attrs) });
      if (!move) continue;
      for (const { symbol, account, delta } of balanceDeltas(move)) {
        const key = `${symbol}/${account}`;
        const amount = (balances.get(key) ?? 0n) + delta;
        if (amount === 0n) balances.delete(key);
        else balances.set(key, amount);
      }
      if (move.supply !== null) supplies.set(move.symbol, move.supply);
    }
    const inState = this.balancesInState();
    expect(balances).toEqual(inState.balances);
    // Assets issued without units yet have no supply event: compare the supplies events gave.
    for (const [symbol, supply] of supplies) expect(inState.supplies.get(symbol)).toBe(supply);
  }

  get height(): number {
    return this.state.head.height;
  }

  get time(): number {
    return this.state.head.time;
  }

  /** A signed tx with the account's next nonce (counting txs signed for the coming block). */
  tx(account: TestAccount, ...actions: Action[]): Uint8Array {
    const nonce = this.nonces.get(account.address) ?? nonceOf(this.store, account.address);
    this.nonces.set(account.address, nonce + 1);
    return signedTx(suite, chainId, account, nonce, actions);
  }

  /** Executes the txs as the next block without committing it. */
  execute(txs: Uint8Array[], options: { time?: number } = {}): BlockResult {
    const proposer = validatorsOf(this.store)[0]!.key;
    return executeBlock(this.env, this.state, { time: options.time ?? this.time + BLOCK_MS, proposer, txs });
  }

  /** Folds an executed block into the state, as a node does once the block is final. */
  commit(result: BlockResult): BlockResult {
    this.store.apply(result.writes);
    this.state = { head: result.state.head, store: this.store };
    this.nonces.clear();
    expect(checkInvariants(this.store)).toEqual([]);
    this.followEvents(result);
    return result;
  }

  /** Executes the txs as the next block and commits it. */
  block(txs: Uint8Array[], options: { time?: number } = {}): BlockResult {
    return this.commit(this.execute(txs, options));
  }

  /** Advances block time by empty blocks' worth of time. */
  skip(ms: number): void {
    this.block([], { time: this.time + ms });
  }

  run(account: TestAccount, ...actions: Action[]): TxOutcome {
    const result = this.block([this.tx(account, ...actions)]);
    const receipt = result.receipts[0]!;
    return {
      result,
      receipt,
      events: result.events.slice(receipt.firstEvent, receipt.firstEvent + receipt.eventCount),
    };
  }

  /** Runs one tx that must succeed; returns its events as [name, attrs]. */
  ok(account: TestAccount, ...actions: Action[]): [string, ValueMap][] {
    const { receipt, events } = this.run(account, ...actions);
    expect(receipt, receipt.message).toMatchObject({ ok: true });
    expect(events.length).toBeGreaterThan(0);
    return events.map((e) => [e.name, e.attrs]);
  }

  /** Runs one tx that must fail with `code`, and checks that it changed nothing but its nonce. */
  fails(code: RejectionCode, account: TestAccount, ...actions: Action[]): string {
    const nonce = nonceOf(this.store, account.address);
    const { receipt, result } = this.run(account, ...actions);
    expect(receipt, receipt.message).toMatchObject({ ok: false, code });
    expect([...result.writes]).toEqual([[`core/nonce/${account.address}`, nonce + 1]]);
    return receipt.message ?? '';
  }
}

export const eventNames = (events: [string, ValueMap][]) => events.map(([name]) => name);
export const eventNamed = (events: [string, ValueMap][], name: string): ValueMap => {
  const found = events.find(([n]) => n === name);
  if (!found) throw new Error(`no event ${name} in ${eventNames(events).join(', ')}`);
  return found[1];
};
