// What every simulated chain shares: the crypto suite, a tiny contract, the validators and user accounts
// (fixed keys from the ledger's test helpers), the genesis document, and the seeded generator of the
// transactions proposers put in their blocks. Blocks carry real signed txs that the real runtime
// executes, so proposals and validation exercise the ledger, not a stub.
import {
  ContractError,
  type ContractModule,
  ContractRegistry,
  type CryptoSuite,
  defineAction,
  type GenesisDocument,
  nonceOf,
  PENDING_VALIDATORS_KEY,
  type RuntimeEnv,
  type StateReader,
  toHex,
  type Validator,
  validatorsOf,
  validatorsToValue,
} from '@gongxin/ledger';
import { signedTx, type TestAccount, testAccount, testValidator } from '@gongxin/ledger/testing';
import { z } from 'zod';
import type { Rng } from './prng';

export const CHAIN_ID = 'gongxin-sim';
export const GENESIS_TIME = 1_700_000_000_000;

/** A per-account counter, plus an action that always fails (so blocks carry failed receipts too). */
export const simCounter: ContractModule = {
  name: 'simcounter',
  version: 1,
  actions: {
    add: defineAction(z.object({ by: z.number().int().positive().max(1000) }).strict(), (ctx, { by }) => {
      const total = (ctx.get<number>(`simcounter/${ctx.sender}`) ?? 0) + by;
      ctx.set(`simcounter/${ctx.sender}`, total);
      ctx.set('simcounter/total', (ctx.get<number>('simcounter/total') ?? 0) + by);
      ctx.emit('added', { by, total });
    }),
    fail: defineAction(z.object({}).strict(), () => {
      throw new ContractError('invalid_params', 'this action always fails');
    }),
  },
};

/**
 * A stand-in for governance, in its key space: whoever holds the governor's key sets the voting powers
 * (by validator index), taking over two heights later as the real governance contract's changes do. The
 * real contract's proposals and votes are tested with the contracts; here what matters is the change.
 */
function simGovernance(validators: readonly Validator[], governor: string): ContractModule {
  return {
    name: 'governance',
    version: 1,
    actions: {
      setPowers: defineAction(
        z.object({ powers: z.array(z.number().int().positive().max(1000)) }).strict(),
        (ctx, { powers }) => {
          if (ctx.sender !== governor)
            throw new ContractError('not_authorized', 'only the governor sets powers');
          if (powers.length !== validators.length)
            throw new ContractError('invalid_params', `${validators.length} powers expected`);
          const byKey = new Map(validators.map((v, i) => [toHex(v.key), powers[i]!]));
          const next = validatorsOf(ctx).map((v) => ({ ...v, power: byKey.get(toHex(v.key)) ?? v.power }));
          ctx.set(PENDING_VALIDATORS_KEY, { height: ctx.height + 2, validators: validatorsToValue(next) });
        },
      ),
    },
  };
}

export interface SimValidator {
  index: number;
  account: TestAccount;
  validator: Validator;
}

export interface World {
  suite: CryptoSuite;
  env: RuntimeEnv;
  validators: SimValidator[];
  users: TestAccount[];
  /** The account the stand-in governance obeys. */
  governor: TestAccount;
  genesis: GenesisDocument;
}

const USERS = 6;
const keyCache = new Map<
  CryptoSuite,
  { validators: TestAccount[]; users: TestAccount[]; governor: TestAccount }
>();

function keysFor(suite: CryptoSuite, n: number) {
  let cached = keyCache.get(suite);
  if (!cached) {
    cached = {
      validators: [],
      users: Array.from({ length: USERS }, (_, i) => testAccount(suite, i + 1)),
      governor: testAccount(suite, 90),
    };
    keyCache.set(suite, cached);
  }
  while (cached.validators.length < n)
    cached.validators.push(testValidator(suite, cached.validators.length + 1).account);
  return cached;
}

export function createWorld(suite: CryptoSuite, powers: readonly number[]): World {
  const keys = keysFor(suite, powers.length);
  const validators = powers.map((power, index) => {
    const account = keys.validators[index]!;
    return {
      index,
      account,
      validator: { key: account.publicKey, power, name: `v${index}`, operator: account.address },
    };
  });
  const contracts = new ContractRegistry([
    simCounter,
    simGovernance(
      validators.map((v) => v.validator),
      keys.governor.address,
    ),
  ]);
  return {
    suite,
    env: { suite, contracts },
    validators,
    users: keys.users,
    governor: keys.governor,
    genesis: {
      chainId: CHAIN_ID,
      suite: suite.id,
      time: GENESIS_TIME,
      validators: validators.map((v) => v.validator),
    },
  };
}

/** Draws the txs of each proposed block from the run's seed: mostly good, some failing, some stale. */
export class TxGenerator {
  generated = 0;
  /** A tx every block carries first, from when it is set until `done` says it took effect. */
  urgent: { tx: Uint8Array; done: (state: StateReader) => boolean } | null = null;

  constructor(
    private readonly world: World,
    private readonly rng: Rng,
    private readonly maxPerBlock = 3,
  ) {}

  txsFor(state: StateReader): Uint8Array[] {
    const { suite } = this.world;
    const n = this.rng.int(this.maxPerBlock + 1);
    const next = new Map<string, number>();
    const txs: Uint8Array[] = [];
    if (this.urgent && !this.urgent.done(state)) txs.push(this.urgent.tx);
    for (let i = 0; i < n; i++) {
      const user = this.rng.pick(this.world.users);
      const nonce = next.get(user.address) ?? nonceOf(state, user.address);
      const roll = this.rng.float();
      if (roll < 0.05) {
        // A stale or future nonce: the runtime records it as rejected and changes nothing.
        txs.push(signedTx(suite, CHAIN_ID, user, nonce + 5, [add(1)]));
      } else if (roll < 0.12) {
        txs.push(
          signedTx(suite, CHAIN_ID, user, nonce, [{ contract: 'simcounter', name: 'fail', params: {} }]),
        );
        next.set(user.address, nonce + 1);
      } else {
        txs.push(signedTx(suite, CHAIN_ID, user, nonce, [add(this.rng.range(1, 100))]));
        next.set(user.address, nonce + 1);
      }
    }
    this.generated += txs.length;
    return txs;
  }
}

function add(by: number) {
  return { contract: 'simcounter', name: 'add', params: { by } };
}
