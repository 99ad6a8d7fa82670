import {
  createDecodeContext,
  createSuiteI18n,
  describeAction,
  describeEvent,
  failedPacks,
  loadDecoderPacks,
  registerEventDecoder,
  type Translate,
} from '@gongxin/ui';
import { describe, expect, it } from 'vitest';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const alice = 'gx13nrr3ehgc3fzpmkk7rlt88fsqmaakeqv90m0gg';
const bob = 'gx1sg59gye6j98rja3cccfq5plt5yjwg49k0479rk';

function words(locale: 'zh-CN' | 'en') {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale;
  const t: Translate = (key, named) => i18n.global.t(key, named ?? {});
  const ctx = createDecodeContext(t, locale, { CNYX: 2 });
  return { i18n, t, ctx };
}

describe('event decoders', () => {
  it('put the core events into words in Chinese and English, amounts with their decimals', () => {
    const transfer = {
      contract: 'assets',
      name: 'transferred',
      attrs: { symbol: 'CNYX', from: alice, to: bob, amount: '123456', memo: '午饭' },
    };
    const zh = words('zh-CN');
    expect(describeEvent(transfer, zh.t, zh.ctx)).toEqual({
      contract: 'assets',
      name: 'transferred',
      text: `${alice} 向 ${bob} 转账 1,234.56 CNYX（备注：午饭）`,
      decoded: true,
    });
    const english = words('en');
    expect(describeEvent(transfer, english.t, english.ctx).text).toBe(
      `${alice} transferred 1,234.56 CNYX to ${bob} (memo: 午饭)`,
    );
    expect(
      describeEvent(
        {
          contract: 'assets',
          name: 'unlocked',
          attrs: { symbol: 'CNYX', to: bob, amount: 500, ref: 'packet:ab12' },
        },
        zh.t,
        zh.ctx,
      ).text,
    ).toBe(`从红包 ab12 解锁 5.00 CNYX 给 ${bob}`);
    expect(
      describeEvent(
        {
          contract: 'core',
          name: 'tx.failed',
          attrs: { code: 'insufficient_funds', message: 'holds 5, needs 10', action: 0, from: alice },
        },
        english.t,
        english.ctx,
      ).text,
    ).toBe('The tx failed (action 1): insufficient_funds, holds 5, needs 10');
    expect(
      describeEvent(
        {
          contract: 'identity',
          name: 'attested',
          attrs: { subject: bob, by: alice, kind: 'person', idHash: '0x00' },
        },
        zh.t,
        zh.ctx,
      ).text,
    ).toBe(`${alice} 认证了 ${bob} 的身份（个人）`);
  });

  it('shows an event nobody decodes — or whose decoder fails — as JSON, marked as not decoded', () => {
    const { t, ctx } = words('zh-CN');
    expect(describeEvent({ contract: 'food', name: 'shipped', attrs: { lot: 'A1' } }, t, ctx)).toEqual({
      contract: 'food',
      name: 'shipped',
      text: 'food.shipped：{"lot":"A1"}',
      decoded: false,
    });
    // A transferred event without its amount: the decoder throws, the line shows what the chain says.
    expect(
      describeEvent({ contract: 'assets', name: 'transferred', attrs: { from: alice } }, t, ctx).decoded,
    ).toBe(false);
    expect(() => registerEventDecoder('not a key', () => '')).toThrow(/<contract>\.<event>/);
  });

  it('reads a governance proposal on its tx page as a sentence, not a kind and JSON', () => {
    const propose = {
      contract: 'governance',
      name: 'propose',
      params: {
        kind: 'addValidator',
        payload: { key: `0x${'0A'.repeat(32)}`, power: 10, name: 'node4', operator: bob },
      },
    };
    const zh = words('zh-CN');
    expect(describeAction(propose, zh.t, zh.ctx).text).toBe(
      `发起治理提案：加入验证者 node4（公钥 ${'0a'.repeat(32)}），运营方 ${bob}，投票权 10`,
    );
    const english = words('en');
    const revoke = {
      contract: 'governance',
      name: 'propose',
      params: { kind: 'revokeAuthority', payload: { address: bob } },
    };
    expect(describeAction(revoke, english.t, english.ctx).text).toBe(
      `Propose a governance change: revoke the authority of ${bob}`,
    );
    expect(
      describeEvent(
        {
          contract: 'governance',
          name: 'passed',
          attrs: { id: 'p1', kind: 'setCalendar', yes: 30, no: 0, total: 40 },
        },
        zh.t,
        zh.ctx,
      ).text,
    ).toBe('提案 p1（设置工作日历）通过：赞成 30 / 共 40');
  });

  it('reads a one-sided close and a challenge by the amounts of their balance proofs', () => {
    const channel = 'cd'.repeat(32);
    const proof = {
      symbol: 'CNYX',
      side: 'a',
      nonce: 5,
      transferred: '123456',
      locked: '0',
      locksRoot: '0x00',
    };
    const zh = words('zh-CN');
    expect(
      describeAction(
        { contract: 'channels', name: 'close', params: { channel, proofs: [proof] } },
        zh.t,
        zh.ctx,
      ).text,
    ).toBe(
      `单方关闭通道 ${channel}，按最新的余额证明结算（争议期后）：开设方第 5 号余额证明：已付 1,234.56 CNYX`,
    );
    const english = words('en');
    expect(
      describeAction(
        {
          contract: 'channels',
          name: 'challenge',
          params: { channel, proofs: [{ ...proof, side: 'b', locked: '50' }] },
        },
        english.t,
        english.ctx,
      ).text,
    ).toBe(
      `Challenge the one-sided close of the channel ${channel} with newer balance proofs: the peer’s balance proof no. 5: 1,234.56 CNYX paid, 0.50 CNYX more locked`,
    );
  });

  it('decodes the core actions the ui kit leaves out', () => {
    const { t, ctx } = words('en');
    expect(
      describeAction({ contract: 'governance', name: 'vote', params: { id: 'p1', approve: true } }, t, ctx)
        .text,
    ).toBe('Vote yes on proposal p1');
  });
});

describe('decoder packs', () => {
  it('installs other apps’ decoders and words without the explorer importing them', async () => {
    const { i18n, t, ctx } = words('zh-CN');
    const failed = await loadDecoderPacks(
      ['/food/explorer-decoders.js', '/broken.js'],
      i18n.global,
      async (url) => {
        if (url === '/broken.js') throw new Error('404');
        return {
          default: {
            messages: {
              'zh-CN': { food: { shipped: '批次 {lot} 已发货' } },
              en: { food: { shipped: 'Lot {lot} shipped' } },
            },
            events: { 'food.shipped': (attrs, tr) => tr('food.shipped', { lot: String(attrs.lot) }) },
            actions: { 'food.ship': (params, tr) => tr('food.shipped', { lot: String(params.lot) }) },
          },
        };
      },
    );
    expect(failed).toEqual(['/broken.js']);
    expect(failedPacks.value).toEqual(['/broken.js']);
    expect(describeEvent({ contract: 'food', name: 'shipped', attrs: { lot: 'A1' } }, t, ctx)).toMatchObject({
      text: '批次 A1 已发货',
      decoded: true,
    });
    expect(describeAction({ contract: 'food', name: 'ship', params: { lot: 'B2' } }, t, ctx).text).toBe(
      '批次 B2 已发货',
    );
  });
});

// The English messages have exactly the Chinese keys (a missing one would show a key on the page).
it('has every message in both languages', () => {
  const keys = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) =>
      typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
    );
  expect(keys(en)).toEqual(keys(zhCN));
});
