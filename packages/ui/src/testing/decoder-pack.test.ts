import { describe, expect, it } from 'vitest';
import { packProblems, packTranslator } from './decoder-pack';

const pack = {
  messages: {
    'zh-CN': { demo: { explorer: { made: '{who} 造了 {n} 个', onlyZh: '只有中文' } } },
    en: { demo: { explorer: { made: '{who} made {n}' } } },
  },
  events: { 'demo.made': () => '', 'demo.gone': () => '' },
};

describe('decoder pack checks', () => {
  it('names each key one language lacks, each event without a decoder and each decoder without an event', () => {
    expect(packProblems(pack, { contract: 'demo', names: ['made', 'kept'] })).toEqual([
      'message demo.explorer.onlyZh has no English',
      'event demo.kept has no decoder',
      'decoder demo.gone is for an event the catalog does not have',
    ]);
  });

  it('fills messages in as vue-i18n does and throws for a key the pack lacks', () => {
    const en = packTranslator(pack, 'en');
    expect(en('demo.explorer.made', { who: 'gx1a', n: 3 })).toBe('gx1a made 3');
    expect(() => en('demo.explorer.onlyZh')).toThrow(/no message demo.explorer.onlyZh/);
  });
});
