// The grievance panel says loading, empty and error in words, lists a recipient's grievances with the
// category, deadline, state and answer, and offers officers an answer form only for open ones.
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import GrievancePanel from './components/grievance-panel.vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const mine = vi.fn();
const queue = vi.fn();
vi.mock('./api', () => ({
  api: {
    grievances: {
      mine: { query: () => mine() },
      queue: { query: () => queue() },
      prepare: { mutate: vi.fn() },
      prepareAnswer: { mutate: vi.fn() },
    },
  },
}));
vi.mock('@gongxin/ui', async (orig) => ({
  ...(await orig<typeof import('@gongxin/ui')>()),
  useAppSigner: () => ({ sign: vi.fn() }),
}));

const row = {
  id: 'ab'.repeat(32),
  household: 'cd'.repeat(32),
  area: '530702',
  category: 'investigation',
  textHash: 'ef'.repeat(32),
  attachment: null,
  decision: null,
  filedBy: 'gx1x',
  deadline: Date.UTC(2026, 5, 1),
  answerHash: null,
  upheld: null,
  late: null,
  answeredBy: null,
  answeredAt: null,
  height: 5,
  txId: '12'.repeat(32),
  time: Date.UTC(2026, 4, 1),
  text: '请复核医疗支出',
  answer: null,
};

function render(mode: 'mine' | 'queue', locale = 'zh-CN') {
  const i18n = createSuiteI18n({ 'zh-CN': zhCN, en });
  i18n.global.locale.value = locale as 'zh-CN';
  return mount(GrievancePanel, { props: { mode, households: [row.household] }, global: { plugins: [i18n] } });
}

beforeEach(() => {
  mine.mockReset();
  queue.mockReset();
});

describe('GrievancePanel', () => {
  it('lists the recipient’s own grievances with the form above', async () => {
    mine.mockResolvedValue([
      row,
      {
        ...row,
        id: 'cd'.repeat(32),
        answerHash: 'aa'.repeat(32),
        upheld: true,
        late: true,
        answer: '已重新计算',
      },
    ]);
    const w = render('mine');
    expect(w.text()).toContain('正在加载申诉');
    await flushPromises();
    expect(w.find('[data-test="grievance-form"]').exists()).toBe(true);
    const rows = w.findAll('[data-test="grievance-row"]');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.text()).toContain('入户调查');
    expect(rows[0]!.text()).toContain('待答复');
    expect(rows[1]!.text()).toContain('申诉成立');
    expect(rows[1]!.text()).toContain('逾期答复');
    expect(rows[1]!.text()).toContain('已重新计算');
    expect(queue).not.toHaveBeenCalled();
  });

  it('shows officers the queue with an answer form, and empty and error states in words', async () => {
    queue.mockResolvedValue([row]);
    const w = render('queue', 'en');
    await flushPromises();
    expect(w.find('[data-test="grievance-form"]').exists()).toBe(false);
    expect(w.text()).toContain('Home investigation');
    expect(w.text()).toContain('Answer');
    queue.mockResolvedValue([]);
    const empty = render('queue', 'en');
    await flushPromises();
    expect(empty.text()).toContain('No grievances.');
    queue.mockRejectedValue(new Error('offline'));
    const failed = render('queue', 'en');
    await flushPromises();
    expect(failed.text()).toContain('Grievances:');
  });
});
