import { suiteEventCatalogs } from '@gongxin/contracts/events';
import { describe, expect, it } from 'vitest';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';
import { packTranslator } from '../testing/decoder-pack';
import { suiteTranslator } from '../testing/suite-translator';
import { createDecodeContext, describeEvent, registerEventDecoder } from './registry';

// The apps' contracts (food, copyright, registry, welfare, parking, energy) bring their words in their own decoder packs.
const appContracts = ['food', 'copyright', 'registry', 'welfare', 'parking', 'energy'];
const builtIn = suiteEventCatalogs.filter((c) => !appContracts.includes(c.contract));

describe.each(['zh-CN', 'en'] as const)('core event decoders in %s', (locale) => {
  // Strictly, as packProblems reads a pack: vue-i18n would write an unfilled slot as nothing and fall back
  // to Chinese for a missing English message; here a missing message throws and a missing slot reads
  // "undefined".
  const t = packTranslator({ messages: { 'zh-CN': zhCN, en } }, locale);
  const ctx = createDecodeContext(t, locale, { CNYX: 2 });
  const events = builtIn.flatMap((catalog) =>
    catalog.names.map((name): [string, string, string, unknown] => [
      `${catalog.contract}.${name}`,
      catalog.contract,
      name,
      catalog.example(name),
    ]),
  );

  it.each(events)(
    'put %s into words, for every event the catalogs declare',
    (_key, contract, name, attrs) => {
      const described = describeEvent({ contract, name, attrs }, t, ctx);
      expect(described.decoded).toBe(true);
      // Every placeholder filled, no message key shown in place of a missing message.
      expect(described.text).not.toMatch(/\{\w+\}|events\.|actions\.|undefined|NaN|\[object Object\]/);
      // Keys and other bytes read as the explorer shows them everywhere: lowercase hex, no prefix.
      expect(described.text).not.toMatch(/0x/i);
    },
  );
});

describe('describeEvent', () => {
  const t = suiteTranslator('en');
  const ctx = createDecodeContext(t, 'en', { CNYX: 2 });

  it('reads attributes through the catalog: amounts with their decimals, bytes as hex', () => {
    const transferred = { symbol: 'CNYX', from: 'gx1a', to: 'gx1b', amount: '123456', memo: 'lunch' };
    expect(describeEvent({ contract: 'assets', name: 'transferred', attrs: transferred }, t, ctx).text).toBe(
      'gx1a transferred 1,234.56 CNYX to gx1b (memo: lunch)',
    );
    expect(
      describeEvent(
        {
          contract: 'identity',
          name: 'keyRotated',
          attrs: { address: 'gx1a', key: '0x0AFF', previousKey: '0x01' },
        },
        t,
        ctx,
      ).text,
    ).toBe('gx1a replaced its signing key with 0aff');
  });

  it('names a channel proof’s side in words, not as a or b', () => {
    const attrs = {
      id: 'c1',
      symbol: 'CNYX',
      side: 'b',
      nonce: 3,
      transferred: '2500',
      locked: '0',
      by: 'gx1a',
    };
    expect(describeEvent({ contract: 'channels', name: 'proofAccepted', attrs }, t, ctx).text).toBe(
      'gx1a submitted the peer’s proof no. 3 for channel c1: 25.00 CNYX paid, 0.00 CNYX locked',
    );
  });

  it('says which payment channel a lock is held in, and which one pays it back', () => {
    const channel = `${'54'.repeat(32)}:1`;
    const locked = { symbol: 'CNYX', from: 'gx1a', amount: '250', ref: `channel:${channel}` };
    expect(describeEvent({ contract: 'assets', name: 'locked', attrs: locked }, t, ctx).text).toBe(
      `2.50 CNYX of gx1a locked in payment channel ${channel}`,
    );
    const zh = suiteTranslator('zh-CN');
    const zhCtx = createDecodeContext(zh, 'zh-CN', { CNYX: 2 });
    expect(describeEvent({ contract: 'assets', name: 'locked', attrs: locked }, zh, zhCtx).text).toBe(
      `gx1a 的 2.50 CNYX 锁定于支付通道 ${channel}`,
    );
    const unlocked = { symbol: 'CNYX', to: 'gx1b', amount: '250', ref: `channel:${'54'.repeat(32)}` };
    expect(describeEvent({ contract: 'assets', name: 'unlocked', attrs: unlocked }, zh, zhCtx).text).toBe(
      `从支付通道 ${'54'.repeat(32)} 解锁 2.50 CNYX 给 gx1b`,
    );
    // A ref of another contract's making stays as it is.
    expect(
      describeEvent({ contract: 'assets', name: 'locked', attrs: { ...locked, ref: 'escrow:7' } }, t, ctx)
        .text,
    ).toBe('Locked 2.50 CNYX from gx1a for escrow:7');
  });

  it('gives a working-day calendar’s days as dates, not only their count', () => {
    const attrs = { id: 'p2', year: 2027, holidays: ['01-01', '10-01'], workdays: ['09-26'] };
    expect(describeEvent({ contract: 'governance', name: 'calendarSet', attrs }, t, ctx).text).toBe(
      'Working-day calendar of 2027 set: 2 days off (Jan 1, Oct 1); 1 make-up workdays (Sep 26)',
    );
    const zh = suiteTranslator('zh-CN');
    expect(
      describeEvent(
        { contract: 'governance', name: 'calendarSet', attrs },
        zh,
        createDecodeContext(zh, 'zh-CN', {}),
      ).text,
    ).toBe('2027 年工作日历已设定：放假 2 天（1月1日、10月1日）；调休上班 1 天（9月26日）');
  });

  it('names proposal kinds in words, in the proposal’s events too', () => {
    const attrs = { id: 'p1', kind: 'addValidator', proposer: 'gx1a', deadline: 90 };
    expect(describeEvent({ contract: 'governance', name: 'proposed', attrs }, t, ctx).text).toBe(
      'gx1a proposed p1 (Add a validator), deadline height 90',
    );
  });

  it('shows an event that does not fit its catalog as JSON, never a sentence that hides it', () => {
    const described = describeEvent(
      {
        contract: 'assets',
        name: 'transferred',
        attrs: { symbol: 'CNYX', from: 'gx1a', to: 'gx1b', amount: 'lots' },
      },
      t,
      ctx,
    );
    expect(described).toEqual({
      contract: 'assets',
      name: 'transferred',
      text: 'assets.transferred: {"symbol":"CNYX","from":"gx1a","to":"gx1b","amount":"lots"}',
      decoded: false,
    });
  });

  it('lets apps register decoders for their events and refuses malformed keys', () => {
    registerEventDecoder('parking.entered', (a) => `Car ${String(a.plate)} entered`);
    expect(
      describeEvent({ contract: 'parking', name: 'entered', attrs: { plate: 'A1' } }, t, ctx),
    ).toMatchObject({ decoded: true, text: 'Car A1 entered' });
    expect(() => registerEventDecoder('parking', () => '')).toThrow('<contract>.<event>');
  });
});
