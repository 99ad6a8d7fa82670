import type { Action } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/browser';
import { testAccount } from '@gongxin/ledger/testing';
import { describe, expect, it } from 'vitest';
import type { SuiteLocale } from '../i18n';
import { suiteTranslator } from '../testing/suite-translator';
import { proposalChange } from './governance';
import { createDecodeContext, describeAction, registerActionDecoder } from './registry';

const suite = getSuite('ed25519-sha256');
const alice = testAccount(suite, 1).address;
const hash = 'ab'.repeat(32);
const packetId = 'cd'.repeat(32);

/** One sample of every core action, with a fragment each language must show. */
const samples: [Action, { 'zh-CN': string; en: string }][] = [
  [
    { contract: 'identity', name: 'register', params: { kind: 'person' } },
    { 'zh-CN': '注册身份，类型：个人', en: 'Register an identity of kind person' },
  ],
  [
    { contract: 'identity', name: 'attest', params: { subject: alice, kind: 'organization', idHash: hash } },
    { 'zh-CN': `证明 ${alice} 的身份（机构）`, en: `Attest the identity of ${alice} (organization)` },
  ],
  [
    { contract: 'identity', name: 'grantRole', params: { subject: alice, app: 'welfare', role: 'officer' } },
    { 'zh-CN': `授予 ${alice} 角色 welfare/officer`, en: `Grant ${alice} the role welfare/officer` },
  ],
  [
    {
      contract: 'identity',
      name: 'revokeRole',
      params: { subject: alice, app: 'welfare', role: 'officer', reason: '调岗' },
    },
    { 'zh-CN': '原因：调岗', en: 'Revoke the role welfare/officer' },
  ],
  [
    { contract: 'identity', name: 'rotateKey', params: { newKey: new Uint8Array(32).fill(1) } },
    { 'zh-CN': `换成 ${'01'.repeat(32)}（`, en: `with ${'01'.repeat(32)} (` },
  ],
  [
    {
      contract: 'assets',
      name: 'issue',
      params: {
        symbol: 'PTS',
        name: '积分',
        decimals: 2,
        policy: 'mintable',
        initialSupply: 100000n,
      },
    },
    {
      'zh-CN': '发行资产 PTS（积分），2 位小数，可增发，初始发行 1,000.00 PTS',
      en: 'initial supply 1,000.00 PTS',
    },
  ],
  [
    { contract: 'assets', name: 'mint', params: { symbol: 'CNYX', amount: 250n, to: alice } },
    { 'zh-CN': `增发 2.50 CNYX 给 ${alice}`, en: `Mint 2.50 CNYX to ${alice}` },
  ],
  [
    { contract: 'assets', name: 'mint', params: { symbol: 'CNYX', amount: 250n } },
    { 'zh-CN': '增发 2.50 CNYX 给自己', en: 'Mint 2.50 CNYX to yourself' },
  ],
  [
    { contract: 'assets', name: 'transfer', params: { symbol: 'CNYX', amount: 1n, to: alice } },
    { 'zh-CN': `转账 0.01 CNYX 给 ${alice}`, en: `Transfer 0.01 CNYX to ${alice}` },
  ],
  [
    { contract: 'assets', name: 'burn', params: { symbol: 'CNYX', amount: 100n } },
    { 'zh-CN': '销毁 1.00 CNYX', en: 'Burn 1.00 CNYX' },
  ],
  [
    {
      contract: 'assets',
      name: 'createPacket',
      params: { symbol: 'CNYX', total: 888n, count: 8, split: 'random', expiresAt: Date.UTC(2030, 0, 1) },
    },
    {
      'zh-CN': '发红包：共 8.88 CNYX，分 8 份（拼手气）',
      en: 'red packet of 8.88 CNYX in 8 shares (random shares)',
    },
  ],
  [
    { contract: 'assets', name: 'claimPacket', params: { id: packetId } },
    { 'zh-CN': `领取红包 ${packetId}`, en: `Claim the red packet ${packetId}` },
  ],
  [
    { contract: 'assets', name: 'refundPacket', params: { id: packetId } },
    { 'zh-CN': `取回红包 ${packetId} 的剩余金额`, en: `left of the red packet ${packetId}` },
  ],
  [
    { contract: 'assets', name: 'freeze', params: { symbol: 'CNYX', account: alice, reason: '涉案' } },
    { 'zh-CN': `冻结 ${alice} 的 CNYX，原因：涉案`, en: `Freeze CNYX of ${alice}` },
  ],
  [
    { contract: 'assets', name: 'unfreeze', params: { symbol: 'CNYX', account: alice, reason: '结案' } },
    { 'zh-CN': `解冻 ${alice} 的 CNYX，原因：结案`, en: `Unfreeze CNYX of ${alice}` },
  ],
  [
    { contract: 'notary', name: 'anchor', params: { hash, type: 'contract.pdf' } },
    { 'zh-CN': `存证：文件哈希 ${hash}（类型 contract.pdf）`, en: `Anchor the document hash ${hash}` },
  ],
  [
    {
      contract: 'channels',
      name: 'open',
      params: {
        peer: alice,
        peerKey: new Uint8Array(32).fill(2),
        disputeMs: 3000,
        deposits: [
          { symbol: 'CNYX', amount: 10000n },
          { symbol: 'PTS', amount: 7n },
        ],
      },
    },
    {
      'zh-CN': `向 ${alice} 开设支付通道，存入押金 100.00 CNYX、7 PTS`,
      en: `Open a payment channel to ${alice} with the deposits 100.00 CNYX, 7 PTS`,
    },
  ],
  [
    {
      contract: 'channels',
      name: 'deposit',
      params: { channel: hash, deposits: [{ symbol: 'CNYX', amount: 250n }] },
    },
    { 'zh-CN': `向通道 ${hash} 追加押金 2.50 CNYX`, en: `Top up the channel ${hash} with 2.50 CNYX` },
  ],
  [
    {
      contract: 'channels',
      name: 'cooperativeClose',
      params: {
        channel: hash,
        balances: [{ symbol: 'CNYX', a: 7500n, b: 12500n }],
        signatureA: new Uint8Array(64),
        signatureB: new Uint8Array(64),
      },
    },
    {
      'zh-CN': '开设方得 75.00 CNYX，对方得 125.00 CNYX',
      en: 'opener gets 75.00 CNYX, peer gets 125.00 CNYX',
    },
  ],
  [
    {
      contract: 'channels',
      name: 'close',
      params: {
        channel: hash,
        proofs: [
          { symbol: 'CNYX', side: 'a', nonce: 4, transferred: 2500n, locked: 0n },
          { symbol: 'PTS', side: 'b', nonce: 2, transferred: 7n, locked: 3n },
        ],
      },
    },
    {
      'zh-CN': `单方关闭通道 ${hash}，按最新的余额证明结算（争议期后）：开设方第 4 号余额证明：已付 25.00 CNYX、对方第 2 号余额证明：已付 7 PTS，另有 3 PTS 锁定中`,
      en: `Close the channel ${hash} alone, to settle on the newest balance proofs after the dispute window: the opener’s balance proof no. 4: 25.00 CNYX paid, the peer’s balance proof no. 2: 7 PTS paid, 3 PTS more locked`,
    },
  ],
  [
    { contract: 'channels', name: 'close', params: { channel: hash, proofs: [] } },
    {
      'zh-CN': `单方关闭通道 ${hash}，不提交余额证明`,
      en: `Close the channel ${hash} alone without balance proofs`,
    },
  ],
  [
    {
      contract: 'channels',
      name: 'challenge',
      params: {
        channel: hash,
        proofs: [{ symbol: 'CNYX', side: 'b', nonce: 9, transferred: 120n, locked: 0n }],
      },
    },
    {
      'zh-CN': `对通道 ${hash} 的单方关闭提出异议，提交更新的余额证明：对方第 9 号余额证明：已付 1.20 CNYX`,
      en: `Challenge the one-sided close of the channel ${hash} with newer balance proofs: the peer’s balance proof no. 9: 1.20 CNYX paid`,
    },
  ],
  [
    { contract: 'channels', name: 'revealPreimage', params: { preimage: new Uint8Array(32).fill(3) } },
    { 'zh-CN': `公开哈希锁原像 ${'03'.repeat(32)}，`, en: `preimage ${'03'.repeat(32)} ` },
  ],
  [
    { contract: 'channels', name: 'settle', params: { channel: hash } },
    { 'zh-CN': `结算通道 ${hash}`, en: `Settle the channel ${hash}` },
  ],
  [
    { contract: 'channels', name: 'withdraw', params: { channel: hash } },
    { 'zh-CN': `从已结算的通道 ${hash} 取回`, en: `Withdraw my balance from the settled channel ${hash}` },
  ],
];

describe.each(['zh-CN', 'en'] as const)('core action decoders in %s', (locale) => {
  const t = suiteTranslator(locale);
  const ctx = createDecodeContext(t, locale, { CNYX: 2, PTS: 0 });

  it.each(samples.map(([action, expected]) => [`${action.contract}.${action.name}`, action, expected]))(
    '%s',
    (_key, action, expected) => {
      const described = describeAction(action as Action, t, ctx);
      expect(described.decoded).toBe(true);
      expect(described.text).toContain((expected as Record<SuiteLocale, string>)[locale]);
      // A missing message would show its key.
      expect(described.text).not.toMatch(/actions\.|sign\./);
      // Keys, hashes and bytes read as the explorer shows them everywhere: lowercase hex, no prefix.
      expect(described.text).not.toMatch(/0x/i);
    },
  );
});

describe('describeAction', () => {
  const t = suiteTranslator('en');
  const ctx = createDecodeContext(t, 'en', {});

  it('falls back to the literal action when a decoder meets params it does not expect', () => {
    const described = describeAction({ contract: 'assets', name: 'transfer', params: { to: alice } }, t, ctx);
    expect(described.decoded).toBe(false);
    expect(described.text).toBe(`Call assets.transfer with params {"to":"${alice}"}`);
  });

  it('shows amounts of assets with unknown decimals in smallest units, bytes as hex and bigints exactly', () => {
    expect(
      describeAction({ contract: 'assets', name: 'burn', params: { symbol: 'NEW', amount: 12345n } }, t, ctx)
        .text,
    ).toBe('Burn 12,345 smallest units of NEW');
    const odd = describeAction(
      { contract: 'x', name: 'y', params: { big: 2n ** 70n, raw: new Uint8Array([1, 2]) } },
      t,
      ctx,
    );
    expect(odd.text).toBe('Call x.y with params {"big":"1180591620717411303424","raw":"0x0102"}');
  });

  it('writes keys, hashes and a proposal’s bytes as lowercase hex without a prefix, whatever form they come in', () => {
    const key = 'AB'.repeat(32);
    expect(
      describeAction({ contract: 'identity', name: 'rotateKey', params: { newKey: `0x${key}` } }, t, ctx)
        .text,
    ).toContain(`with ${key.toLowerCase()} (`);
    expect(
      describeAction({ contract: 'notary', name: 'anchor', params: { hash: key, type: 'pdf' } }, t, ctx).text,
    ).toBe(`Anchor the document hash ${key.toLowerCase()} (type pdf)`);
    const propose = describeAction(
      {
        contract: 'governance',
        name: 'propose',
        params: { kind: 'removeValidator', payload: { key: new Uint8Array(32).fill(0xcd) } },
      },
      t,
      ctx,
    );
    expect(propose.text).toBe(
      `Propose a governance change: remove the validator with key ${'cd'.repeat(32)}`,
    );
    // Not hex at all: the literal params, not a sentence.
    expect(
      describeAction({ contract: 'identity', name: 'rotateKey', params: { newKey: 'zz' } }, t, ctx).decoded,
    ).toBe(false);
  });

  it('shows channel amounts in yuan exactly, up to the chain’s largest amount, once decimals are known', () => {
    const max = 2n ** 63n - 1n;
    const yuan = createDecodeContext(t, 'en', { CNYD: 2 });
    const open = describeAction(
      {
        contract: 'channels',
        name: 'open',
        params: {
          peer: alice,
          peerKey: new Uint8Array(32),
          disputeMs: 60000,
          deposits: [{ symbol: 'CNYD', amount: max }],
        },
      },
      t,
      yuan,
    );
    expect(open.text).toContain('with the deposits 92,233,720,368,547,758.07 CNYD');
    const close = describeAction(
      {
        contract: 'channels',
        name: 'cooperativeClose',
        params: {
          channel: hash,
          balances: [{ symbol: 'CNYD', a: max - 1n, b: 1n }],
          signatureA: new Uint8Array(64),
          signatureB: new Uint8Array(64),
        },
      },
      t,
      yuan,
    );
    expect(close.text).toContain('opener gets 92,233,720,368,547,758.06 CNYD, peer gets 0.01 CNYD');
  });

  it('lets apps register decoders and refuses malformed keys', () => {
    registerActionDecoder('welfare.disburse', (p, _t, c) => `Pay ${c.amount(p.amount, p.symbol)} to ${p.to}`);
    const described = describeAction(
      { contract: 'welfare', name: 'disburse', params: { amount: 50000n, symbol: 'CNYX', to: alice } },
      t,
      createDecodeContext(t, 'en', { CNYX: 2 }),
    );
    expect(described).toMatchObject({ decoded: true, text: `Pay 500.00 CNYX to ${alice}` });
    expect(() => registerActionDecoder('welfare', () => '')).toThrow('<contract>.<action>');
  });
});

describe('a proposal’s change in words', () => {
  const key = `0x${'AB'.repeat(32)}`;
  const zh = (kind: string, payload: unknown, names?: Record<string, string>) =>
    proposalChange(kind, payload as never, suiteTranslator('zh-CN'), {
      locale: 'zh-CN',
      validatorName: (k) => names?.[k],
    });
  const en = (kind: string, payload: unknown) =>
    proposalChange(kind, payload as never, suiteTranslator('en'), { locale: 'en' });

  it('names validators by name and key (lowercase hex, no prefix), authorities by name and apps', () => {
    const add = { key, power: 10, name: 'node4', operator: alice };
    expect(zh('addValidator', add)).toBe(
      `加入验证者 node4（公钥 ${'ab'.repeat(32)}），运营方 ${alice}，投票权 10`,
    );
    expect(en('addValidator', add)).toBe(
      `add the validator node4 (key ${'ab'.repeat(32)}), operated by ${alice}, with voting power 10`,
    );
    // Where the page knows the set, a removed or re-weighted validator is named too.
    expect(zh('removeValidator', { key }, { ['ab'.repeat(32)]: '上海节点' })).toBe(
      `移除验证者 上海节点（公钥 ${'ab'.repeat(32)}）`,
    );
    expect(en('setPower', { key, power: 3 })).toBe(
      `set the voting power of the validator with key ${'ab'.repeat(32)} to 3`,
    );
    const grant = { address: alice, name: '市场监督管理局', scopes: ['identity', 'parking', 'notes'] };
    expect(zh('grantAuthority', grant)).toBe(
      `授予 ${alice} 权威机构身份“市场监督管理局”，权限范围：身份认证、智慧停车、notes`,
    );
    expect(en('revokeAuthority', { address: alice })).toBe(`revoke the authority of ${alice}`);
  });

  it('says which contract version runs from when, which parameter changes, and the calendar’s days', () => {
    expect(zh('activateContract', { contract: 'parking', version: 2, height: 1200 })).toBe(
      '自高度 1200 起启用合约 parking 的第 2 版',
    );
    expect(en('setParam', { name: 'fees.base', value: '12' })).toBe(
      'set the chain parameter fees.base to 12',
    );
    expect(zh('setParam', { name: 'fees.open', value: true })).toBe('把链参数 fees.open 设为 是');
    expect(en('setParam', { name: 'fees.base', value: null })).toBe('remove the chain parameter fees.base');
    const calendar = { year: 2027, holidays: ['01-01', '10-01'], workdays: ['09-26'] };
    expect(zh('setCalendar', calendar)).toBe(
      '设定 2027 年的工作日历：放假 1月1日、10月1日；调休上班 9月26日',
    );
    expect(en('setCalendar', { ...calendar, workdays: [] })).toBe(
      'set the working-day calendar of 2027: days off Jan 1, Oct 1; make-up workdays none',
    );
  });

  it('refuses a payload that does not fit, so the page shows it as it is', () => {
    expect(() => en('addValidator', { key, name: 'node4' })).toThrow();
    expect(() => en('removeValidator', { key: 'zz' })).toThrow();
    expect(() => en('setCalendar', { year: 2027, holidays: ['1 Oct'], workdays: [] })).toThrow();
    expect(() => en('mintMoney', {})).toThrow();
    expect(() => en('revokeAuthority', null)).toThrow();
    const fallback = describeAction(
      { contract: 'governance', name: 'propose', params: { kind: 'addValidator', payload: { key } } },
      suiteTranslator('en'),
      createDecodeContext(suiteTranslator('en'), 'en', {}),
    );
    expect(fallback.decoded).toBe(false);
  });
});
