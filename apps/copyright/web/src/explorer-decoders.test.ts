import { copyrightEvents } from '@gongxin/contracts/events';
import { packProblems, packTranslator } from '@gongxin/ui/testing/decoder-pack';
import { describe, expect, it } from 'vitest';
import pack from './explorer-decoders';

const en = packTranslator(pack, 'en');
const zh = packTranslator(pack, 'zh-CN');
const work = 'ab'.repeat(32);

describe('the copyright decoder pack', () => {
  it('reads every event of the contract, in both languages', () => {
    expect(packProblems(pack, copyrightEvents)).toEqual([]);
  });

  it('has a decoder for every event of the contract catalog', () => {
    const names = copyrightEvents.names;
    for (const name of names) expect(pack.events[`copyright.${name}`], name).toBeTypeOf('function');
    expect(Object.keys(pack.events)).toHaveLength(16);
  });

  it('reads registrations, reviews, listings and purchases in words', () => {
    expect(
      pack.events['copyright.workSubmitted']!(
        {
          id: work,
          title: '江南春水',
          category: 'text',
          applicant: 'gx1author',
          authors: ['gx1author'],
          owners: [{ address: 'gx1author', share: 10_000 }],
          files: ['cd'.repeat(32)],
          codes: ['ISCC:EAA'],
        },
        zh,
      ),
    ).toBe('gx1author 申请登记作品《江南春水》（text），文件 1 个');
    expect(
      pack.events['copyright.workReviewed']!(
        { id: work, decision: 'approve', regNo: '国作登字-2026-A-00010001', reason: 'ok', by: 'gx1rev' },
        en,
      ),
    ).toBe(`Work ${work.slice(0, 10)}… registered as 国作登字-2026-A-00010001`);
    expect(
      pack.actions['copyright.list']!(
        {
          workId: work,
          holding: 0,
          kind: 'licence',
          price: { symbol: 'CPYX', amount: '120000' },
          quantity: 5,
        },
        en,
      ),
    ).toBe(`List a licence of work ${work.slice(0, 10)}…, 120000 CPYX each, 5 available`);
    expect(
      pack.events['copyright.licenceGranted']!(
        {
          id: 'l1',
          workId: work,
          licensee: 'gx1buyer',
          licensors: ['gx1author'],
          grant: { rights: ['reproduction', 'network'], territory: ['CN'], from: Date.UTC(2026, 0, 1) },
          exclusivity: 'non-exclusive',
          prohibitions: [],
          duties: [],
        },
        zh,
      ),
    ).toBe(
      `作品 ${work.slice(0, 10)}… 授权 gx1buyer（普通）：复制权、信息网络传播权，地域 CN，2026-01-01 至 ∞`,
    );
    expect(pack.actions['copyright.purchase']!({ listingId: 'l1' }, en)).toBe('Buy listing l1');
  });

  it('refuses params it cannot read, so the explorer shows the JSON instead of a wrong sentence', () => {
    expect(() => pack.actions['copyright.registerWork']!({ title: 7 } as never, en)).toThrow(/title/);
    expect(() => pack.actions['copyright.list']!({ workId: work, kind: 'licence' }, en)).toThrow(/price/);
  });
});

describe('the app messages', () => {
  it('compile in vue-i18n: no stray @, | or braces in either language', async () => {
    const { createI18n } = await import('vue-i18n');
    const zhCN = (await import('./locales/zh-CN')).default;
    const en = (await import('./locales/en')).default;
    const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN, en } });
    const walk = (tree: Record<string, unknown>, prefix: string, lang: 'zh-CN' | 'en') => {
      for (const [k, v] of Object.entries(tree)) {
        if (typeof v === 'string')
          expect(() => i18n.global.t(`${prefix}${k}`, {}, { locale: lang })).not.toThrow();
        else walk(v as Record<string, unknown>, `${prefix}${k}.`, lang);
      }
    };
    walk(zhCN, '', 'zh-CN');
    walk(en, '', 'en');
    expect(i18n.global.t('cr.evidence.offline', {}, { locale: 'en' })).toContain(
      '-w @gongxin/copyright-server',
    );
  });
});
