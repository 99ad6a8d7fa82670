// A work's card names its owners as the certificate does (著作权人 by name), the address beside each; an
// owner the server has no name for is shown by address alone.
import { createSuiteI18n } from '@gongxin/ui';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import WorkCard from './components/work-card.vue';
import { fileSize } from './format';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const WANG = 'gx1wang000000000000000000000000000000000';
const FIRM = 'gx1firm000000000000000000000000000000000';

describe('work card', () => {
  it('leads each owner with the name, keeps the address, and shows a nameless owner by address', () => {
    const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
    const w = mount(WorkCard, {
      global: { plugins: [i18n] },
      props: {
        work: {
          id: 'w1',
          title: '黄山日出（摄影）',
          status: 'registered',
          category: 'photography',
          regNo: '国作登字-2026-G-00010002',
          owners: [
            { address: WANG, share: 6_667, name: '王晓梅' },
            { address: FIRM, share: 3_333 },
          ],
          time: Date.UTC(2026, 11, 6),
          height: 6,
          txId: 'ab'.repeat(32),
        } as never,
      },
    });
    const owners = w.findAll('[data-test="work-owner"]');
    expect(owners).toHaveLength(2);
    expect(owners[0]!.find('[data-test="owner-name"]').text()).toBe('王晓梅');
    expect(owners[0]!.text()).toContain('66.67');
    expect(owners[0]!.find('a').attributes('href')).toContain(WANG);
    expect(owners[1]!.find('[data-test="owner-name"]').exists()).toBe(false);
    expect(owners[1]!.find('a').attributes('href')).toContain(FIRM);
  });
});

describe('work card in English', () => {
  it('writes labels with an ASCII colon and the date the English way', () => {
    const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
    i18n.global.locale.value = 'en';
    const w = mount(WorkCard, {
      global: { plugins: [i18n], stubs: { AddressText: true, BlockLink: true, TxLink: true } },
      props: {
        work: {
          id: 'w1',
          title: '江南春水',
          status: 'registered',
          category: 'text',
          regNo: '国作登字-2026-A-00010001',
          owners: [{ address: WANG, share: 10_000, name: '李明' }],
          time: Date.UTC(2026, 11, 6, 20),
          height: 1,
          txId: 'ab'.repeat(32),
        } as never,
      },
    });
    expect(w.text()).not.toContain('：');
    expect(w.text()).toContain('Registration no.: 国作登字-2026-A-00010001');
    // 20:00 UTC on 6 December is 7 December in China Standard Time.
    expect(w.text()).toContain('Filed: 7 Dec 2026');
  });
});

describe('file sizes', () => {
  it('reads as people read them, in units of 1,024', () => {
    expect([0, 122, 1023, 1024, 3_481, 1_048_576, 13_107_200].map(fileSize)).toEqual([
      '0 B',
      '122 B',
      '1023 B',
      '1.0 KB',
      '3.4 KB',
      '1.0 MB',
      '12.5 MB',
    ]);
  });
});
