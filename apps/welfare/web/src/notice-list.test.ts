// The 公示 list shows what the server sends (masked names), says loading, empty and error in words, and
// offers the objection button only to signed-in people while the notice runs.
import { ChainError, createSuiteI18n } from '@gongxin/ui';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import NoticeList, { type NoticeRow } from './components/notice-list.vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const NOW = Date.UTC(2026, 4, 10);
const row: NoticeRow = {
  application: 'ab'.repeat(32),
  area: '530702',
  areaName: '古城区',
  name: '赵*兰',
  category: 'single',
  categoryZh: '单人保',
  proposed: '60000',
  noticeEnds: NOW + 86_400_000,
  openObjections: 1,
};

function render(props: { rows: NoticeRow[] | null; error?: unknown; signedIn?: boolean }, locale = 'zh-CN') {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale as 'zh-CN';
  return mount(NoticeList, { props: { now: NOW, ...props }, global: { plugins: [i18n] } });
}

describe('NoticeList', () => {
  it('shows the masked name, category, proposed amount and open objections', () => {
    const w = render({ rows: [row] });
    expect(w.get('[data-test="notice-name"]').text()).toBe('赵*兰');
    expect(w.text()).toContain('单人保');
    expect(w.text()).toContain('¥600.00');
    expect(w.text()).toContain('1 条异议待处理');
    expect(w.find('[data-test="notice-object"]').exists()).toBe(false);
  });

  it('offers the objection to signed-in people while the notice runs, and emits the row', async () => {
    const w = render({
      rows: [row, { ...row, application: 'cd'.repeat(32), noticeEnds: NOW - 1 }],
      signedIn: true,
    });
    const buttons = w.findAll('[data-test="notice-object"]');
    expect(buttons).toHaveLength(1);
    await buttons[0]!.trigger('click');
    expect(w.emitted('object')?.[0]).toEqual([row]);
  });

  it('says loading, empty and error in words, in English too', () => {
    expect(render({ rows: null }, 'en').text()).toContain('Loading the public notice');
    expect(render({ rows: [] }, 'en').text()).toContain('No application is under public notice now.');
    expect(render({ rows: null, error: 'offline' }, 'en').text()).toContain(
      'The public notice could not be loaded: offline',
    );
    expect(render({ rows: [row] }, 'en').text()).toContain('Single-person allowance');
  });

  it("says a failed load in Chinese only, the server's reason folded under 技术详情", () => {
    const w = render({ rows: null, error: new ChainError('not_found', 'no notice for 2026-05 in 530702') });
    const alert = w.get('.el-alert');
    expect(alert.get('.el-alert__title').text()).toBe('公示名单加载失败：没有找到。');
    expect(alert.get('details summary').text()).toBe('技术详情');
    expect(alert.get('[data-test="error-detail-text"]').text()).toBe(
      'not_found: no notice for 2026-05 in 530702',
    );
  });
});
