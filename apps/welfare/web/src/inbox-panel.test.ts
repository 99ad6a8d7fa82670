// The inbox says the server's refusal of a message in the page's language: a reason key from the server is
// looked up in the app's words, never shown as the server's English.
import { createSuiteI18n } from '@gongxin/ui';
import { TRPCClientError } from '@trpc/client';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import InboxPanel from './components/inbox-panel.vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const send = vi.fn();
vi.mock('./api', () => ({
  api: {
    messages: {
      list: { query: () => Promise.resolve([]) },
      unread: { query: () => Promise.resolve({ unread: 0 }) },
      markRead: { mutate: vi.fn() },
      send: { mutate: (input: unknown) => send(input) },
    },
  },
}));

const me = 'gx1zhao00000000000000000000000000000000000';
const toSelf = () =>
  TRPCClientError.from({
    error: {
      message: 'to: not to yourself',
      code: -32600,
      data: { code: 'BAD_REQUEST', httpStatus: 400, reason: { key: 'message_to_self', params: {} } },
    },
  } as never);

function render(locale: 'zh-CN' | 'en') {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale;
  return mount(InboxPanel, { props: { me }, global: { plugins: [i18n] } });
}

beforeEach(() => {
  send.mockReset();
  send.mockRejectedValue(toSelf());
});

describe('inbox panel', () => {
  it("says a refused message in Chinese on a Chinese page, the server's English only in the details", async () => {
    const wrapper = render('zh-CN');
    await flushPromises();
    await wrapper.find('input').setValue(me);
    await wrapper.find('textarea').setValue('你好');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const alert = wrapper.find('[role="alert"]');
    expect(alert.text()).toContain('不能给自己发消息。');
    expect(wrapper.find('.el-alert__title').text()).not.toMatch(/[A-Za-z]/);
    expect(wrapper.find('[data-test="error-detail-text"]').text()).toBe('BAD_REQUEST: to: not to yourself');
  });

  it('says it in English on an English page', async () => {
    const wrapper = render('en');
    await flushPromises();
    await wrapper.find('input').setValue(me);
    await wrapper.find('textarea').setValue('hello');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('.el-alert__title').text()).toContain('You cannot send a message to yourself.');
  });
});
