// Every action of every core contract reads in words, in both languages, from params the contract
// itself accepts: the same completeness check decoder packs get (testing/decoder-pack.ts), for the
// decoders built into the kit. The ledger's own `core` contract has events only (tx.failed, tx.rejected),
// which events.test.ts reads from their catalog.
import {
  assetsContract,
  channelsContract,
  governanceContract,
  identityContract,
  notaryContract,
  PROPOSAL_KINDS,
} from '@gongxin/contracts';
import type { Action, ContractModule } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/browser';
import { testAccount } from '@gongxin/ledger/testing';
import { describe, expect, it } from 'vitest';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';
import { messageKeys, packTranslator } from '../testing/decoder-pack';
import { suiteTranslator } from '../testing/suite-translator';
import { createDecodeContext, describeAction } from './registry';

const suite = getSuite('ed25519-sha256');
const alice = testAccount(suite, 1).address;
const bob = testAccount(suite, 2);
const hash = 'ab'.repeat(32);
const channel = 'cd'.repeat(32);
const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

const coreContracts: readonly ContractModule[] = [
  governanceContract,
  identityContract,
  assetsContract,
  notaryContract,
  channelsContract,
];

const proof = {
  symbol: 'CNYX',
  side: 'a',
  nonce: 3,
  transferred: 2500n,
  locked: 100n,
  locksRoot: hash,
  batchRoot: hash,
  signature: bytes(64, 1),
  countersignature: bytes(64, 2),
  locks: [{ amount: 100n, hashlock: hash, expiry: 1_900_000_000_000 }],
};

/** Params as a contract takes them (chain values: bigints, bytes, lists, maps). */
type Params = { readonly [key: string]: unknown };

/** Params of one proposal kind, as `governance.propose` takes them. */
const proposals: Record<(typeof PROPOSAL_KINDS)[number], Params> = {
  addValidator: { key: bytes(32, 7), power: 10, name: 'node4', operator: alice },
  removeValidator: { key: bytes(32, 7) },
  setPower: { key: bytes(32, 7), power: 20 },
  grantAuthority: { address: alice, name: '市场监督管理局', scopes: ['identity', 'parking'] },
  revokeAuthority: { address: alice },
  activateContract: { contract: 'parking', version: 2, height: 1200 },
  setParam: { name: 'fees.base', value: 12n },
  setCalendar: { year: 2027, holidays: ['01-01', '10-01'], workdays: ['09-26'] },
};

/** Hand-written params for every core action (several where optional params change the sentence). */
const samples: [key: string, params: Params][] = [
  ...PROPOSAL_KINDS.map((kind): [string, Params] => [
    'governance.propose',
    { kind, payload: proposals[kind], deadlineBlocks: 100 },
  ]),
  ['governance.propose', { kind: 'setParam', payload: { name: 'fees.base', value: null } }],
  ['governance.vote', { id: `${hash}`, approve: true }],
  ['governance.vote', { id: `${hash}:1`, approve: false }],
  ['governance.expire', { id: hash }],

  ['identity.register', { kind: 'device', profileHash: hash }],
  [
    'identity.attest',
    { subject: alice, kind: 'person', idHash: hash, nameHash: hash, facts: { city: '杭州' } },
  ],
  ['identity.revokeAttestation', { subject: alice, reason: '证件过期' }],
  ['identity.grantRole', { subject: alice, app: 'parking', role: 'operator' }],
  ['identity.revokeRole', { subject: alice, app: 'parking', role: 'operator', reason: '离职' }],
  ['identity.rotateKey', { newKey: bytes(32, 9) }],

  ['assets.issue', { symbol: 'PTS', name: '积分', decimals: 0, policy: 'fixed', initialSupply: 1000n }],
  [
    'assets.issue',
    {
      symbol: 'CNYD',
      name: '数字人民币',
      decimals: 2,
      policy: 'mintable',
      maxSupply: 10n ** 12n,
      initialSupply: 0n,
    },
  ],
  ['assets.mint', { symbol: 'CNYX', amount: 250n, to: alice }],
  ['assets.mint', { symbol: 'CNYX', amount: 250n }],
  ['assets.transfer', { symbol: 'CNYX', to: alice, amount: 1n, memo: '午饭' }],
  ['assets.transfer', { symbol: 'NEW', to: alice, amount: 1n }],
  ['assets.burn', { symbol: 'CNYX', amount: 100n }],
  ['assets.freeze', { symbol: 'CNYX', account: alice, reason: '涉案' }],
  ['assets.unfreeze', { symbol: 'CNYX', account: alice, reason: '结案' }],
  [
    'assets.createPacket',
    {
      symbol: 'CNYX',
      total: 888n,
      count: 8,
      split: 'random',
      expiresAt: 1_900_000_000_000,
      memo: '新年快乐',
    },
  ],
  ['assets.claimPacket', { id: hash }],
  ['assets.refundPacket', { id: `${hash}:2` }],

  ['notary.anchor', { hash: bytes(32, 0xab), type: 'contract.pdf', meta: { pages: 3, title: '租赁合同' } }],

  [
    'channels.open',
    {
      peer: bob.address,
      peerKey: bob.publicKey,
      disputeMs: 86_400_000,
      deposits: [
        { symbol: 'CNYX', amount: 10_000n },
        { symbol: 'PTS', amount: 7n },
      ],
    },
  ],
  ['channels.deposit', { channel, deposits: [{ symbol: 'CNYX', amount: 250n }] }],
  [
    'channels.cooperativeClose',
    {
      channel,
      balances: [{ symbol: 'CNYX', a: 7500n, b: 12_500n }],
      signatureA: bytes(64, 1),
      signatureB: bytes(64, 2),
    },
  ],
  ['channels.close', { channel, proofs: [proof] }],
  ['channels.close', { channel: `${channel}:1`, proofs: [] }],
  ['channels.challenge', { channel, proofs: [proof, { ...proof, side: 'b', countersignature: undefined }] }],
  ['channels.revealPreimage', { preimage: bytes(32, 3) }],
  ['channels.settle', { channel }],
  ['channels.withdraw', { channel }],
];

// Optional params left undefined in a sample are not sent at all.
const withoutUndefined = (params: Params): Params => {
  const strip = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(strip)
      : v !== null && typeof v === 'object' && !(v instanceof Uint8Array)
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => x !== undefined)
              .map(([k, x]) => [k, strip(x)]),
          )
        : v;
  return strip(params) as Params;
};

describe('core action decoders cover the core contracts', () => {
  const keys = coreContracts.flatMap((c) => Object.keys(c.actions).map((name) => `${c.name}.${name}`));

  it('have a decoder and a sample for every action of every core contract', () => {
    const sampled = new Set(samples.map(([key]) => key));
    expect(keys.filter((key) => !sampled.has(key))).toEqual([]);
    for (const key of keys) {
      const [contract, name] = key.split('.') as [string, string];
      const described = describeAction(
        { contract, name, params: {} },
        suiteTranslator('en'),
        createDecodeContext(suiteTranslator('en'), 'en', {}),
      );
      // With no decoder the fallback names the action; with one, empty params must not make a sentence.
      expect(described.decoded, key).toBe(false);
    }
  });

  it.each(samples.map(([key, params]) => [key, withoutUndefined(params)] as const))(
    'the sample of %s is params the contract accepts',
    (key, params) => {
      const [contract, name] = key.split('.') as [string, string];
      const action = coreContracts.find((c) => c.name === contract)?.actions[name];
      expect(action, key).toBeDefined();
      const parsed = action!.params.safeParse(params);
      expect(parsed.error?.issues ?? [], key).toEqual([]);
    },
  );

  it('have the same action and event messages in Chinese and English', () => {
    expect(messageKeys(zhCN.actions)).toEqual(messageKeys(en.actions));
    expect(messageKeys(zhCN.events)).toEqual(messageKeys(en.events));
  });

  describe.each(['zh-CN', 'en'] as const)('in %s', (locale) => {
    // vue-i18n writes a slot the decoder did not fill as nothing and falls back to Chinese for a missing
    // English message, so the check reads the kit's own messages strictly, as packProblems reads a pack's:
    // a missing message throws, a missing slot reads "undefined".
    const strict = packTranslator({ messages: { 'zh-CN': zhCN, en } }, locale);
    const ctx = createDecodeContext(strict, locale, { CNYX: 2, PTS: 0 });
    const t = suiteTranslator(locale);

    it.each(samples.map(([key, params]) => [key, withoutUndefined(params)] as const))(
      'read %s in words, every slot filled',
      (key, params) => {
        const [contract, name] = key.split('.') as [string, string];
        const action = { contract, name, params } as Action;
        const described = describeAction(action, strict, ctx);
        expect(described.decoded, described.text).toBe(true);
        // No unfilled slot, no message key in place of a missing message, no value that was not there.
        expect(described.text).not.toMatch(/\{\w+\}|\b(actions|sign|events)\.[a-zA-Z]/);
        expect(described.text).not.toMatch(/undefined|NaN|\[object Object\]/);
        // Structured params (a proposal's payload, balance proofs) read in words, never as JSON.
        expect(described.text).not.toMatch(/[{}[\]"]/);
        // Balance proofs by their amounts in the assets' decimals, as a cooperative close shows its split.
        if (/^channels\.(close|challenge)$/.test(key) && (params.proofs as unknown[]).length > 0)
          expect(described.text).toContain(ctx.amount(proof.transferred, proof.symbol));
        if (locale === 'zh-CN') expect(described.text).toMatch(/\p{Script=Han}/u);
        // And the page, through vue-i18n, shows the same sentence.
        expect(describeAction(action, t, createDecodeContext(t, locale, { CNYX: 2, PTS: 0 })).text).toBe(
          described.text,
        );
      },
    );
  });
});
