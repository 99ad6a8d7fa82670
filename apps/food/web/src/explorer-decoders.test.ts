import { foodEvents } from '@gongxin/contracts/events';
import { packProblems } from '@gongxin/ui/testing/decoder-pack';
import { describe, expect, it } from 'vitest';
import pack from './explorer-decoders';

// A `t` that fills a language's messages in, as vue-i18n does.
const translator =
  (lang: 'en' | 'zh-CN') =>
  (key: string, named: Record<string, unknown> = {}): string => {
    let at: unknown = pack.messages[lang];
    for (const part of key.split('.')) at = (at as Record<string, unknown> | undefined)?.[part];
    if (typeof at !== 'string') throw new Error(`no message ${key} in ${lang}`);
    return at.replace(/\{(\w+)\}/g, (_, k: string) => String(named[k]));
  };
const t = translator('en');
const zh = translator('zh-CN');

describe('the explorer decoder pack', () => {
  it('reads every event of the contract, in both languages', () => {
    expect(packProblems(pack, foodEvents)).toEqual([]);
  });

  it('reads anchors, recalls and alerts in words, lots by name', () => {
    const lot = 'https://id.gs1.org/01/06902235004010/10/LOIN-2611-07';
    expect(
      pack.events['food.anchored']!(
        {
          by: 'gx1abc',
          eventType: 'ObjectEvent',
          bizStep: 'shipping',
          hash: 'ab'.repeat(32),
          epcs: [lot],
          epcCount: 1,
        },
        t,
      ),
    ).toBe(
      `gx1abc anchored EPCIS object event (Shipped) ${'ab'.repeat(32)} for LOIN-2611-07 (GTIN 06902235004010)`,
    );
    // A Chinese sign dialog and explorer read the type and step in Chinese, not CBV codes.
    expect(
      pack.actions['food.anchorEvent']!(
        { eventHash: 'ab'.repeat(32), eventType: 'ObjectEvent', bizStep: 'commissioning', epcs: [lot] },
        zh,
      ),
    ).toBe(`锚定 EPCIS 对象事件（采收 / 生产）${'ab'.repeat(32)}，涉及 LOIN-2611-07 (GTIN 06902235004010)`);
    // A step of a newer vocabulary reads as written.
    expect(
      pack.actions['food.anchorEvent']!(
        { eventHash: 'ab'.repeat(32), eventType: 'ObjectEvent', bizStep: 'urn:x:step', epcs: [lot] },
        zh,
      ),
    ).toContain('对象事件（urn:x:step）');
    expect(pack.actions['food.issueRecall']!({ lots: [lot], reason: 'Salmonella' }, t)).toBe(
      'Recall of LOIN-2611-07 (GTIN 06902235004010): Salmonella',
    );
    expect(
      pack.events['food.anchored']!(
        {
          by: 'gx1abc',
          eventType: 'TransformationEvent',
          hash: 'cd'.repeat(32),
          epcsRoot: 'ef'.repeat(32),
          epcCount: 60,
        },
        t,
      ),
    ).toContain('60 EPC (Merkle root)');
  });

  it('reads error declarations, action and event alike', () => {
    const hash = 'ab'.repeat(32);
    const said = `Event ${hash} declared erroneous (incorrect_data), 1 corrective events`;
    expect(
      pack.actions['food.declareEventError']!(
        { eventHash: hash, declarationTime: 1, reason: 'incorrect_data', corrective: ['cd'.repeat(32)] },
        t,
      ),
    ).toBe(said);
    expect(
      pack.events['food.eventErrorDeclared']!(
        { hash, declarationTime: 1, reason: 'incorrect_data', corrective: ['cd'.repeat(32)], by: 'gx1abc' },
        t,
      ),
    ).toBe(said);
  });

  it('throws on attributes it does not expect, so the explorer shows the JSON instead', () => {
    expect(() => pack.events['food.recalled']!({ lots: 'not a list', reason: 'x' }, t)).toThrow();
    expect(() => pack.actions['food.registerProduct']!({ gtin: 42 }, t)).toThrow();
  });

  it('has words for every event of the food contract’s catalog', () => {
    for (const name of foodEvents.names) {
      const words = pack.events[`food.${name}`]!(foodEvents.example(name), t);
      expect(words).not.toMatch(/\{\w+\}|food\.explorer|undefined/);
    }
  });
});
