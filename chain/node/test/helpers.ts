import {
  ContractError,
  type ContractModule,
  ContractRegistry,
  defineAction,
  type GenesisDocument,
} from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/node';
import { testAccount, testValidator } from '@gongxin/ledger/testing';
import { z } from 'zod';
import type { LoggerLike } from '../src/node';

export const suite = getSuite('ed25519-sha256');
export const chainId = 'gongxin-node-test';

/** A small contract with a per-account counter: enough for the node's own tests. */
export const counter: ContractModule = {
  name: 'counter',
  version: 1,
  actions: {
    add: defineAction(z.object({ by: z.number().int().positive() }).strict(), (ctx, { by }) => {
      const now = ctx.get<number>(`counter/${ctx.sender}`) ?? 0;
      if (now + by > 1_000_000) throw new ContractError('limit_exceeded', 'a counter stops at 1,000,000');
      ctx.set(`counter/${ctx.sender}`, now + by);
      ctx.emit('added', { by, total: now + by });
    }),
  },
};

export const contracts = new ContractRegistry([counter]);

export function validators(n: number) {
  return Array.from({ length: n }, (_, i) => testValidator(suite, i + 1));
}

export function genesisFor(vals: ReturnType<typeof validators>): GenesisDocument {
  return { chainId, suite: suite.id, time: 1_700_000_000_000, validators: vals.map((v) => v.validator) };
}

export const users = Array.from({ length: 20 }, (_, i) => testAccount(suite, i + 1));

export const quietLogger: LoggerLike = { info() {}, warn() {}, error() {}, debug() {} };

export function signerOf(account: { publicKey: Uint8Array; privateKey: Uint8Array }) {
  return { key: account.publicKey, sign: (bytes: Uint8Array) => suite.sign(bytes, account.privateKey) };
}

export { freeBasePort } from '../src/cluster';
