import {
  ACTIVATIONS_KEY,
  type ContractModule,
  defineAction,
  PENDING_VALIDATORS_KEY,
  VALIDATORS_KEY,
  validatorSetHash,
  validatorsOf,
} from '@gongxin/ledger';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  accounts,
  call,
  eventNamed,
  eventNames,
  suite,
  TestChain,
  testAccount,
  testValidator,
} from '../../test/chain';
import { notaryContract } from '../notary/contract';
import { DEFAULT_DEADLINE_BLOCKS } from './contract';
import { authorityOf, hasScope, param, proposal } from './views';

const { alice, bob } = accounts;
// Four validators of power 10: a proposal passes with three yes votes (30·3 > 40·2) and is rejected by
// two no votes (20·3 ≥ 40).
const four = [1, 2, 3, 4].map((seed) => testValidator(suite, seed, 10));
const [op1, op2, op3, op4] = four.map((v) => v.account) as [
  typeof alice,
  typeof alice,
  typeof alice,
  typeof alice,
];
const newcomer = testValidator(suite, 5, 10);

const propose = (kind: string, payload: object, deadlineBlocks?: number) =>
  call('governance', 'propose', {
    kind,
    payload,
    ...(deadlineBlocks !== undefined && { deadlineBlocks }),
  } as never);
const vote = (id: string, approve: boolean) => call('governance', 'vote', { id, approve });

function fourValidatorChain() {
  return new TestChain({ validators: four.map((v) => v.validator) });
}

function proposeOk(
  chain: TestChain,
  account: typeof alice,
  kind: string,
  payload: object,
  deadline?: number,
): string {
  const events = chain.ok(account, propose(kind, payload, deadline));
  return eventNamed(events, 'proposed').id as string;
}

describe('validator set changes', () => {
  it('adds a validator with more than two thirds of the power; the new set signs two heights later', () => {
    const chain = fourValidatorChain();
    const id = proposeOk(chain, op1, 'addValidator', newcomer.validator);
    expect(proposal(chain.store, id)).toMatchObject({
      kind: 'addValidator',
      status: 'open',
      proposer: op1.address,
      votes: { [op1.address]: true },
    });
    expect(eventNames(chain.ok(op2, vote(id, true)))).toEqual(['voted']);

    const passing = chain.run(op3, vote(id, true));
    const passedAt = passing.result.header.height;
    expect(passing.events.map((e) => e.name)).toEqual(['voted', 'passed', 'validatorSetChanged']);
    expect(passing.events[2]!.attrs).toMatchObject({ id, change: 'addValidator', height: passedAt + 2 });
    expect(proposal(chain.store, id)?.status).toBe('passed');
    expect(chain.store.get(PENDING_VALIDATORS_KEY)).toMatchObject({ height: passedAt + 2 });
    // The block that passed it is still followed by the old set.
    expect(passing.result.nextValidators).toHaveLength(4);

    const expected = [...four.map((v) => v.validator), newcomer.validator];
    const next = chain.block([]);
    expect(next.nextValidators).toHaveLength(5);
    expect(next.header.nextValidatorsHash).toEqual(validatorSetHash(suite, expected));
    expect(validatorsOf(chain.store)).toHaveLength(5);
    expect(chain.store.get(PENDING_VALIDATORS_KEY)).toBeUndefined();

    const signedByNewSet = chain.block([]);
    expect(signedByNewSet.header.height).toBe(passedAt + 2);
    expect(signedByNewSet.header.validatorsHash).toEqual(validatorSetHash(suite, expected));
    // The newcomer's operator now votes.
    chain.ok(newcomer.account, propose('setParam', { name: 'x', value: 1 }));
  });

  it('does not pass with a third of the power, rejects once it cannot pass, refuses double and foreign votes', () => {
    const chain = fourValidatorChain();
    const id = proposeOk(chain, op1, 'removeValidator', { key: four[3]!.validator.key });
    chain.fails('already_exists', op1, vote(id, true));
    chain.fails('not_authorized', alice, vote(id, true));
    chain.fails('not_authorized', alice, propose('setParam', { name: 'x', value: 1 }));
    chain.fails('not_found', op2, vote('ab'.repeat(32), true));
    expect(eventNames(chain.ok(op2, vote(id, false)))).toEqual(['voted']);
    expect(proposal(chain.store, id)?.status).toBe('open');
    const events = chain.ok(op3, vote(id, false));
    expect(eventNames(events)).toEqual(['voted', 'rejected']);
    expect(eventNamed(events, 'rejected')).toMatchObject({ yes: 10, no: 20, total: 40 });
    expect(proposal(chain.store, id)?.status).toBe('rejected');
    chain.fails('not_allowed', op4, vote(id, true));
    expect(validatorsOf(chain.store)).toHaveLength(4);
    expect(chain.store.get(PENDING_VALIDATORS_KEY)).toBeUndefined();
  });

  it('expires proposals past their deadline, by a late vote or by anyone', () => {
    const chain = fourValidatorChain();
    const a = proposeOk(chain, op1, 'setParam', { name: 'a', value: 1 }, 2);
    const b = proposeOk(chain, op1, 'setParam', { name: 'b', value: 1 }, 2);
    expect(proposal(chain.store, a)?.deadline).toBe(3);
    chain.fails('not_allowed', alice, call('governance', 'expire', { id: b }));
    chain.block([]);
    chain.block([]);
    expect(eventNames(chain.ok(op2, vote(a, true)))).toEqual(['expired']);
    expect(proposal(chain.store, a)?.status).toBe('expired');
    expect(eventNames(chain.ok(alice, call('governance', 'expire', { id: b })))).toEqual(['expired']);
    chain.fails('not_allowed', alice, call('governance', 'expire', { id: b }));
    expect(param(chain.store, 'a')).toBeUndefined();
    const c = proposeOk(chain, op1, 'setParam', { name: 'c', value: 1 });
    expect(proposal(chain.store, c)?.deadline).toBe(chain.height + DEFAULT_DEADLINE_BLOCKS);
  });

  it('builds consecutive changes on the pending set', () => {
    const chain = new TestChain({ validators: [four[0]!.validator] });
    chain.ok(op1, propose('addValidator', newcomer.validator));
    const another = testValidator(suite, 6, 5).validator;
    chain.ok(op1, propose('addValidator', another));
    // The first change was pending when the second passed: both are in the set.
    chain.block([]);
    expect(
      validatorsOf(chain.store)
        .map((v) => v.name)
        .sort(),
    ).toEqual(['validator-1', 'validator-5', 'validator-6']);
    // op1 now holds 10 of 25: the others' votes are needed.
    const setPower = proposeOk(chain, op1, 'setPower', { key: another.key, power: 7 });
    expect(eventNames(chain.ok(newcomer.account, vote(setPower, true)))).toContain('validatorSetChanged');
    const remove = proposeOk(chain, op1, 'removeValidator', { key: newcomer.validator.key });
    // The power change took over meanwhile (10 + 10 + 7): op1 and the newcomer hold 20 of 27.
    expect(eventNames(chain.ok(newcomer.account, vote(remove, true)))).toContain('validatorSetChanged');
    chain.block([]);
    expect(
      validatorsOf(chain.store)
        .map((v) => [v.name, v.power])
        .sort(),
    ).toEqual([
      ['validator-1', 10],
      ['validator-6', 7],
    ]);
  });

  it('refuses changes that are malformed or would break the set', () => {
    const chain = new TestChain({ validators: [four[0]!.validator] });
    const key = four[0]!.validator.key;
    chain.fails('not_allowed', op1, propose('removeValidator', { key }));
    chain.fails('already_exists', op1, propose('addValidator', { ...newcomer.validator, key }));
    chain.fails('not_found', op1, propose('setPower', { key: newcomer.validator.key, power: 3 }));
    chain.fails('invalid_params', op1, propose('setPower', { key, power: 0 }));
    chain.fails('invalid_params', op1, propose('setPower', { key, power: -5 }));
    chain.fails(
      'invalid_params',
      op1,
      propose('addValidator', { ...newcomer.validator, key: new Uint8Array(31) }),
    );
    chain.fails(
      'invalid_params',
      op1,
      propose('addValidator', { ...newcomer.validator, operator: 'gx1bad' }),
    );
    chain.fails('invalid_params', op1, propose('addValidator', { ...newcomer.validator, extra: true }));
    chain.fails('invalid_params', op1, propose('dissolveChain', {}));
    chain.fails('invalid_params', op1, propose('setParam', { name: 'x', value: 1 }, 0));
    expect(validatorsOf(chain.store)).toHaveLength(1);
  });
});

describe('authorities and parameters', () => {
  it('grants and revokes authorities and sets parameters (a sole validator decides at once)', () => {
    const chain = new TestChain({ validators: [four[0]!.validator] });
    const granted = chain.ok(
      op1,
      propose('grantAuthority', { address: bob.address, name: '公安局', scopes: ['identity', 'parking'] }),
    );
    expect(eventNames(granted)).toEqual(['proposed', 'passed', 'authorityGranted']);
    expect(authorityOf(chain.store, bob.address)).toEqual({
      name: '公安局',
      scopes: ['identity', 'parking'],
      since: 1,
    });
    expect(hasScope(chain.store, bob.address, 'parking')).toBe(true);
    // Bob can now attest identities.
    chain.ok(
      bob,
      call('identity', 'grantRole', { subject: alice.address, app: 'parking', role: 'operator' }),
    );

    chain.fails(
      'invalid_params',
      op1,
      propose('grantAuthority', { address: bob.address, name: 'x', scopes: ['a', 'a'] }),
    );
    chain.fails(
      'invalid_params',
      op1,
      propose('grantAuthority', { address: bob.address, name: 'x', scopes: [] }),
    );
    expect(eventNames(chain.ok(op1, propose('revokeAuthority', { address: bob.address })))).toEqual([
      'proposed',
      'passed',
      'authorityRevoked',
    ]);
    expect(hasScope(chain.store, bob.address, 'identity')).toBe(false);
    chain.fails('not_found', op1, propose('revokeAuthority', { address: bob.address }));

    const changed = chain.ok(op1, propose('setParam', { name: 'parking.ratePerHour', value: 500 }));
    expect(eventNamed(changed, 'paramChanged')).toMatchObject({ name: 'parking.ratePerHour', value: 500 });
    expect(param(chain.store, 'parking.ratePerHour')).toBe(500);
    expect(param(chain.store, 'assets.packetFee')).toBe(0);
    chain.ok(op1, propose('setParam', { name: 'parking.ratePerHour', value: null }));
    expect(param(chain.store, 'parking.ratePerHour')).toBeUndefined();
    chain.fails('invalid_params', op1, propose('setParam', { name: 'Bad name', value: 1 }));
    chain.fails('invalid_params', op1, propose('setParam', { name: 'x', value: { nested: 1 } }));
  });
});

describe('contract activation', () => {
  // A test-only notary v2 that records anchors differently.
  const notaryV2: ContractModule = {
    ...notaryContract,
    version: 2,
    actions: {
      anchor: defineAction(z.object({ hash: z.string(), type: z.string() }).strict(), (ctx, { hash }) =>
        ctx.emit('anchoredV2', { hash }),
      ),
    },
  };

  it('makes the registry resolve the new version from the activation height on', () => {
    const chain = new TestChain({ validators: [four[0]!.validator], extra: [notaryV2] });
    const at = chain.height + 4;
    const events = chain.ok(op1, propose('activateContract', { contract: 'notary', version: 2, height: at }));
    expect(eventNamed(events, 'contractActivated')).toMatchObject({
      contract: 'notary',
      version: 2,
      height: at,
    });
    expect(chain.store.get(ACTIVATIONS_KEY)).toEqual({ notary: [{ version: 2, height: at }] });
    const anchor = (n: number) =>
      call('notary', 'anchor', { hash: n.toString(16).padStart(64, '0'), type: 'doc' });
    const names: string[] = [];
    while (chain.height < at + 1) names.push(...eventNames(chain.ok(alice, anchor(chain.height))));
    expect(names).toEqual(['anchored', 'anchored', 'anchoredV2', 'anchoredV2']);
    expect(chain.env.contracts.resolve('notary', at - 1, chain.store)?.version).toBe(1);
    expect(chain.env.contracts.resolve('notary', at, chain.store)?.version).toBe(2);

    chain.fails(
      'not_allowed',
      op1,
      propose('activateContract', { contract: 'notary', version: 2, height: chain.height + 5 }),
    );
    chain.fails(
      'expired',
      op1,
      propose('activateContract', { contract: 'notary', version: 3, height: chain.height }),
    );
    chain.fails(
      'invalid_params',
      op1,
      propose('activateContract', { contract: 'notary', version: 1, height: chain.height + 5 }),
    );
  });
});

describe('genesis', () => {
  it('seeds authorities and parameters, and refuses a malformed section', () => {
    const chain = new TestChain();
    expect(authorityOf(chain.store, accounts.authority.address)).toMatchObject({
      scopes: ['identity'],
      since: 0,
    });
    expect(
      () =>
        new TestChain({
          contracts: {
            governance: { authorities: [{ address: testAccount(suite, 9).address, name: 'x', scopes: [] }] },
          },
        }),
    ).toThrow(/governance/);
    expect(chain.store.get(VALIDATORS_KEY)).toBeDefined();
  });
});
