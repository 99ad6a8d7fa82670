// Random tx sequences against the core contracts: valid and invalid actions by registered and
// unregistered actors, wrong nonces, forged signatures, key rotations, red packets claimed and refunded
// at random times, governance votes. After every block the state invariants hold, nonces only grow,
// failed txs leave nothing but their nonce, and executing the block again gives identical bytes.
import {
  type Action,
  applyBlock,
  authorisedKeys,
  type BlockResult,
  encodeEvent,
  encodeWrite,
  equalBytes,
  nonceOf,
  PENDING_VALIDATORS_KEY,
  type Value,
  type ValueMap,
} from '@gongxin/ledger';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT } from '../src/index';
import {
  accounts,
  chainId,
  demoGenesis,
  hash32,
  signedTx,
  suite,
  type TestAccount,
  TestChain,
  testAccount,
  testValidator,
  validators,
} from './chain';

// ------------------------------------------------------------------------------------------ actors

const operators = validators.map((v) => v.account);
/** Validators governance may add: their operators are actors too, so they can vote once added. */
const candidates = [4, 5].map((seed) => testValidator(suite, seed, 10));
const actors: TestAccount[] = [
  ...Object.values(accounts),
  testAccount(suite, 300),
  testAccount(suite, 301),
  ...operators,
  ...candidates.map((c) => c.account),
];
/** Keys an actor may rotate to (and back from): precomputed, signing keys are the slow part. */
const spareKeys = actors.map((_, i) => testAccount(suite, 400 + i));
const validatorKeys = [...validators, ...candidates].map((v) => v.validator.key);

/** The demo genesis plus funds for every actor and two more assets, so that most actions can succeed. */
const genesis = (() => {
  const demo = demoGenesis() as {
    assets: { assets: ValueMap[] };
    identity: ValueMap & { attestations: ValueMap[] };
  };
  const funds = (amount: number) => Object.fromEntries(actors.map((a) => [a.address, amount]));
  const asset = (symbol: string, issuer: TestAccount, policy: string) =>
    ({
      symbol,
      name: symbol,
      decimals: 0,
      policy,
      issuer: issuer.address,
      balances: funds(1000),
    }) as ValueMap;
  return {
    ...demo,
    identity: {
      ...demo.identity,
      attestations: [
        ...demo.identity.attestations,
        { subject: accounts.bob.address, kind: 'person', idHash: hash32(2) },
      ],
    },
    assets: {
      assets: [
        { ...demo.assets.assets[0]!, balances: funds(100_000) },
        asset('PTS', accounts.bob, 'fixed'),
        asset('GIFT', accounts.carol, 'mintable'),
      ],
    },
  } as Record<string, Value>;
})();

// ------------------------------------------------------------------------------------------ random ops

// Mostly the funded, registered actors (alice issues CNYX, bob PTS, carol GIFT), sometimes anyone.
const actorIndex = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 3 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: actors.length - 1 }) },
);
const symbol = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('CNYX', 'PTS', 'GIFT') },
  { weight: 1, arbitrary: fc.constantFrom('NEW', 'NOPE', 'bad') },
);
const amount = fc.oneof(
  { weight: 24, arbitrary: fc.integer({ min: 1, max: 600 }) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.integer({ min: -1000, max: -1 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(MAX_AMOUNT, MAX_AMOUNT + 1n, 2n ** 63n, 2n ** 64n - 1n, -(2n ** 63n)),
  },
  { weight: 1, arbitrary: fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }) },
);
/** An address parameter: usually an actor, sometimes malformed. */
const target = fc.oneof(
  { weight: 8, arbitrary: actorIndex },
  { weight: 1, arbitrary: fc.constantFrom('gx1notanaddress', 'UPPER') },
);
const pick = fc.nat(); // an index into something that exists only at run time (packets, proposals)

const transferOp = fc.record({ k: fc.constant('transfer' as const), symbol, to: target, amount });
const mintOp = fc.record({ k: fc.constant('mint' as const), symbol, to: target, amount });
const burnOp = fc.record({ k: fc.constant('burn' as const), symbol, amount });
const issueOp = fc.record({
  k: fc.constant('issue' as const),
  symbol,
  policy: fc.constantFrom('fixed', 'mintable'),
  initialSupply: fc.oneof(amount, fc.constant(0)),
  maxSupply: fc.option(amount, { nil: undefined }),
});
const freezeOp = fc.record({
  k: fc.constantFrom('freeze' as const, 'unfreeze' as const),
  symbol,
  account: target,
});
const createPacketOp = fc.record({
  k: fc.constant('createPacket' as const),
  symbol,
  total: amount,
  count: fc.oneof(
    { weight: 9, arbitrary: fc.integer({ min: 1, max: 12 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, 1001) },
  ),
  split: fc.constantFrom('equal', 'random'),
  expiresIn: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 1000, max: 600_000 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -5, 31 * 86_400_000) },
  ),
});
const claimPacketOp = fc.record({ k: fc.constant('claimPacket' as const), packet: pick });
const refundPacketOp = fc.record({ k: fc.constant('refundPacket' as const), packet: pick });
const registerOp = fc.record({
  k: fc.constant('register' as const),
  kind: fc.constantFrom('person', 'organization', 'robot'),
});
const attestOp = fc.record({
  k: fc.constant('attest' as const),
  subject: target,
  kind: fc.constantFrom('person', 'organization'),
});
const roleOp = fc.record({
  k: fc.constantFrom('grantRole' as const, 'revokeRole' as const),
  subject: target,
  app: fc.constantFrom('assets', 'parking'),
  role: fc.constantFrom('regulator', 'operator'),
});
const rotateKeyOp = fc.record({ k: fc.constant('rotateKey' as const), spare: fc.boolean() });
const anchorOp = fc.record({ k: fc.constant('anchor' as const), hash: fc.integer({ min: 0, max: 20 }) });
const proposeOp = fc.record({
  k: fc.constant('propose' as const),
  kind: fc.constantFrom('setParam', 'grantAuthority', 'addValidator', 'removeValidator', 'setPower'),
  key: fc.integer({ min: 0, max: validatorKeys.length - 1 }),
  value: fc.integer({ min: -5, max: 5 }),
  subject: actorIndex,
});
const voteOp = fc.record({ k: fc.constant('vote' as const), proposal: pick, approve: fc.boolean() });
const expireOp = fc.record({ k: fc.constant('expire' as const), proposal: pick });
const unknownOp = fc.record({ k: fc.constantFrom('unknownAction' as const, 'unknownContract' as const) });

const op = fc.oneof(
  { weight: 10, arbitrary: transferOp },
  { weight: 2, arbitrary: mintOp },
  { weight: 1, arbitrary: burnOp },
  { weight: 1, arbitrary: issueOp },
  { weight: 1, arbitrary: freezeOp },
  { weight: 3, arbitrary: createPacketOp },
  { weight: 4, arbitrary: claimPacketOp },
  { weight: 1, arbitrary: refundPacketOp },
  { weight: 1, arbitrary: registerOp },
  { weight: 1, arbitrary: attestOp },
  { weight: 1, arbitrary: roleOp },
  { weight: 1, arbitrary: rotateKeyOp },
  { weight: 1, arbitrary: anchorOp },
  { weight: 1, arbitrary: proposeOp },
  { weight: 1, arbitrary: voteOp },
  { weight: 1, arbitrary: expireOp },
  { weight: 1, arbitrary: unknownOp },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

const actorOf = (...names: (keyof typeof accounts)[]) =>
  fc.constantFrom(...names.map((n) => actors.indexOf(accounts[n])));
const operatorIndex = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...operators.map((o) => actors.indexOf(o))) },
  { weight: 1, arbitrary: fc.constantFrom(...candidates.map((c) => actors.indexOf(c.account))) },
);
const flaw = fc.oneof(
  { weight: 20, arbitrary: fc.constant('none' as const) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'staleNonce' as const,
      'futureNonce' as const,
      'forged' as const,
      'otherChain' as const,
    ),
  },
);
/** A tx by `actor` with one op, or sometimes a few (atomic: one failure undoes them all). */
const tx = (actor: fc.Arbitrary<number>, ops: fc.Arbitrary<Op>) =>
  fc.record({
    actor,
    ops: fc.oneof(
      { weight: 5, arbitrary: fc.tuple(ops) },
      { weight: 1, arbitrary: fc.array(ops, { minLength: 2, maxLength: 3 }) },
    ),
    flaw,
  });

// Anyone doing anything, plus txs aimed at those who hold a power (validators' operators, authorities,
// issuers, the regulator) so that privileged actions succeed often enough to matter.
const txSpec = fc.oneof(
  { weight: 6, arbitrary: tx(actorIndex, op) },
  {
    weight: 1,
    arbitrary: tx(
      operatorIndex,
      fc.oneof(
        { weight: 2, arbitrary: proposeOp },
        { weight: 3, arbitrary: voteOp },
        { weight: 1, arbitrary: expireOp },
      ),
    ),
  },
  { weight: 1, arbitrary: tx(actorOf('authority', 'parkingAuthority'), fc.oneof(attestOp, roleOp)) },
  {
    weight: 1,
    arbitrary: tx(actorOf('alice', 'bob', 'carol', 'regulator'), fc.oneof(mintOp, freezeOp, issueOp)),
  },
);
type TxSpec = typeof txSpec extends fc.Arbitrary<infer T> ? T : never;

const blockSpec = fc.record({
  gapMs: fc.oneof(fc.constant(1000), fc.integer({ min: 1, max: 400_000 })),
  txs: fc.oneof(
    fc.array(txSpec, { minLength: 1, maxLength: 1 }),
    fc.array(txSpec, { minLength: 0, maxLength: 20, size: 'max' }),
  ),
});

// ------------------------------------------------------------------------------------------ running

/** What the run has seen so far, to aim ops at things that exist. */
interface Seen {
  packets: string[];
  proposals: string[];
}

function address(t: number | string): string {
  if (typeof t === 'number') return actors[t]!.address;
  return t === 'UPPER' ? actors[0]!.address.toUpperCase() : t;
}

function at<T>(list: readonly T[], index: number, fallback: T): T {
  return list.length === 0 ? fallback : list[index % list.length]!;
}

function toAction(o: Op, actor: number, seen: Seen, chain: TestChain): Action {
  const a = (contract: string, name: string, params: Record<string, Value | undefined>): Action => ({
    contract,
    name,
    params: Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<
      string,
      Value
    >,
  });
  switch (o.k) {
    case 'transfer':
      return a('assets', 'transfer', { symbol: o.symbol, to: address(o.to), amount: o.amount });
    case 'mint':
      return a('assets', 'mint', { symbol: o.symbol, to: address(o.to), amount: o.amount });
    case 'burn':
      return a('assets', 'burn', { symbol: o.symbol, amount: o.amount });
    case 'issue':
      return a('assets', 'issue', {
        symbol: o.symbol,
        name: `${o.symbol} token`,
        decimals: 2,
        policy: o.policy,
        initialSupply: o.initialSupply,
        maxSupply: o.maxSupply,
      });
    case 'freeze':
    case 'unfreeze':
      return a('assets', o.k, { symbol: o.symbol, account: address(o.account), reason: 'property test' });
    case 'createPacket':
      return a('assets', 'createPacket', {
        symbol: o.symbol,
        total: o.total,
        count: o.count,
        split: o.split,
        expiresAt: chain.time + o.expiresIn,
      });
    case 'claimPacket':
    case 'refundPacket':
      return a('assets', o.k, { id: at(seen.packets, o.packet, 'ab'.repeat(32)) });
    case 'register':
      return a('identity', 'register', { kind: o.kind });
    case 'attest':
      return a('identity', 'attest', {
        subject: address(o.subject),
        kind: o.kind,
        idHash: hash32(actor + 1),
      });
    case 'grantRole':
      return a('identity', 'grantRole', { subject: address(o.subject), app: o.app, role: o.role });
    case 'revokeRole':
      return a('identity', 'revokeRole', {
        subject: address(o.subject),
        app: o.app,
        role: o.role,
        reason: 'property test',
      });
    case 'rotateKey':
      return a('identity', 'rotateKey', { newKey: (o.spare ? spareKeys[actor]! : actors[actor]!).publicKey });
    case 'anchor':
      return a('notary', 'anchor', { hash: hash32(o.hash), type: 'doc' });
    case 'propose': {
      const key = validatorKeys[o.key]!;
      const payloads: Record<string, Record<string, Value>> = {
        setParam: { name: 'p', value: o.value },
        grantAuthority: { address: address(o.subject), name: 'authority', scopes: ['identity'] },
        addValidator: { ...[...validators, ...candidates][o.key]!.validator },
        removeValidator: { key },
        setPower: { key, power: o.value },
      };
      return a('governance', 'propose', { kind: o.kind, payload: payloads[o.kind], deadlineBlocks: 3 });
    }
    case 'vote':
      return a('governance', 'vote', {
        id: at(seen.proposals, o.proposal, 'cd'.repeat(32)),
        approve: o.approve,
      });
    case 'expire':
      return a('governance', 'expire', { id: at(seen.proposals, o.proposal, 'cd'.repeat(32)) });
    case 'unknownAction':
      return a('assets', 'steal', {});
    case 'unknownContract':
      return a('casino', 'bet', {});
  }
}

/** The private key that currently signs for an actor (it may have rotated). */
function signerOf(chain: TestChain, actor: number): TestAccount {
  const original = actors[actor]!;
  const keys = authorisedKeys(chain.store, original.address);
  if (!keys) return original;
  const spare = spareKeys[actor]!;
  const signer = equalBytes(keys[0]!, spare.publicKey) ? spare : original;
  return { ...signer, address: original.address };
}

function buildTxs(chain: TestChain, specs: TxSpec[], seen: Seen): Uint8Array[] {
  const nonces = new Map<string, number>();
  return specs.map(({ actor, ops, flaw }) => {
    const signer = signerOf(chain, actor);
    const next = nonces.get(signer.address) ?? nonceOf(chain.store, signer.address);
    const actions = ops.map((o) => toAction(o, actor, seen, chain));
    const nonce = {
      none: next,
      staleNonce: next > 0 ? next - 1 : next + 7,
      futureNonce: next + 3,
      forged: next,
      otherChain: next,
    }[flaw];
    if (flaw === 'none') nonces.set(signer.address, next + 1);
    // A forged tx names the actor's key but is signed by another one.
    const key =
      flaw === 'forged'
        ? { ...signer, privateKey: spareKeys[(actor + 1) % actors.length]!.privateKey }
        : signer;
    return signedTx(suite, flaw === 'otherChain' ? 'another-chain' : chainId, key, nonce, actions);
  });
}

const encodedEvents = (r: BlockResult) => r.events.map(encodeEvent);
const encodedWrites = (r: BlockResult) => [...r.writes].map(([k, v]) => encodeWrite(k, v));

function checkBlock(chain: TestChain, txs: Uint8Array[], gapMs: number, seen: Seen): BlockResult {
  const before = new Map(actors.map((a) => [a.address, nonceOf(chain.store, a.address)]));
  const swapPending = chain.store.get(PENDING_VALIDATORS_KEY) !== undefined;
  const result = chain.execute(txs, { time: chain.time + gapMs });

  // Another node applying the proposed block reaches the same header, events and writes.
  const replayed = applyBlock(chain.env, chain.state, { header: result.header, txs });
  expect(replayed.hash).toEqual(result.hash);
  expect(encodedEvents(replayed)).toEqual(encodedEvents(result));
  expect(encodedWrites(replayed)).toEqual(encodedWrites(result));

  for (const r of result.receipts) {
    // Every successful tx has an event of its own to prove it by.
    if (r.ok)
      expect(
        result.events.slice(r.firstEvent, r.firstEvent + r.eventCount).some((e) => e.contract !== 'core'),
      ).toBe(true);
  }
  // When nothing succeeded, the only writes are the nonces of the txs that were executed.
  if (result.receipts.every((r) => !r.ok) && !swapPending) {
    const executed = new Map<string, number>();
    for (const r of result.receipts)
      if (r.from) executed.set(r.from, (executed.get(r.from) ?? before.get(r.from)!) + 1);
    expect(new Map(result.writes)).toEqual(
      new Map([...executed].map(([from, n]) => [`core/nonce/${from}`, n])),
    );
  }

  chain.commit(result); // checks the invariants
  for (const [addr, n] of before) expect(nonceOf(chain.store, addr)).toBeGreaterThanOrEqual(n);
  for (const e of result.events) {
    if (e.name === 'packetCreated') seen.packets.push(e.attrs.id as string);
    if (e.name === 'proposed') seen.proposals.push(e.attrs.id as string);
  }
  return result;
}

describe('random tx sequences', () => {
  it('keep every invariant, block after block', { timeout: 120_000 }, () => {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(blockSpec, { minLength: 1, maxLength: 10, size: 'max' }), (blocks) => {
        const chain = new TestChain({ contracts: genesis });
        const seen: Seen = { packets: [], proposals: [] };
        for (const block of blocks) {
          const result = checkBlock(chain, buildTxs(chain, block.txs, seen), block.gapMs, seen);
          for (const r of result.receipts)
            outcomes.set(r.code ?? 'ok', (outcomes.get(r.code ?? 'ok') ?? 0) + 1);
        }
      }),
      { numRuns: 300 },
    );
    // The sequences are worth something only if they reach both the successes and every kind of failure.
    const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(5_000);
    expect(outcomes.get('ok')! / total).toBeGreaterThan(0.2);
    const codes = [
      'invalid_params',
      'not_authorized',
      'not_found',
      'already_exists',
      'insufficient_funds',
      'frozen',
      'overflow',
      'expired',
      'not_allowed',
      'limit_exceeded',
      'unknown_action',
      'unknown_contract',
      'bad_nonce',
      'bad_signature',
      'wrong_chain',
      'key_not_authorized',
    ];
    expect(codes.filter((c) => !outcomes.has(c))).toEqual([]);
  });
});
