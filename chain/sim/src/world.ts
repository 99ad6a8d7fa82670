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
  type RuntimeEnv,
  type StateReader,
  type Validator,
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

export const contracts = new ContractRegistry([simCounter]);

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
  genesis: GenesisDocument;
}

const USERS = 6;
const keyCache = new Map<CryptoSuite, { validators: TestAccount[]; users: TestAccount[] }>();

function keysFor(suite: CryptoSuite, n: number) {
  let cached = keyCache.get(suite);
  if (!cached) {
    cached = { validators: [], users: Array.from({ length: USERS }, (_, i) => testAccount(suite, i + 1)) };
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
  return {
    suite,
    env: { suite, contracts },
    validators,
    users: keys.users,
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
