// The grievance panel says loading, empty and error in words, lists a recipient's grievances with the
// category, deadline, state and answer, and offers officers an answer form only for open ones. A
// recipient's form shows their one household as a labelled line, and an attached document goes in as the
// SHA-256 of its bytes, computed in the browser.
import { createHash } from 'node:crypto';
import { createSuiteI18n } from '@gongxin/ui';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import GrievancePanel from './components/grievance-panel.vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const mine = vi.fn();
const queue = vi.fn();
const prepare = vi.fn();
const sign = vi.fn();
vi.mock('./api', () => ({
  api: {
    grievances: {
      mine: { query: () => mine() },
      queue: { query: () => queue() },
      prepare: { mutate: (input: unknown) => prepare(input) },
      prepareAnswer: { mutate: vi.fn() },
    },
  },
}));
vi.mock('@gongxin/ui', async (orig) => ({
  ...(await orig<typeof import('@gongxin/ui')>()),
  useAppSigner: () => ({ sign: (...args: unknown[]) => sign(...args) }),
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
  prepare.mockReset();
  sign.mockReset();
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

  it('shows the one household as a labelled line and files a document by the SHA-256 of its bytes', async () => {
    mine.mockResolvedValue([]);
    prepare.mockResolvedValue({ action: { contract: 'welfare', name: 'fileGrievance', params: {} } });
    sign.mockResolvedValue({ ok: true, id: '12'.repeat(32), height: 9 });
    const w = render('mine');
    await flushPromises();
    const household = w.find('[data-test="grievance-household"]');
    expect(household.text()).toContain('家庭档案编号');
    expect(household.text()).toContain(`${row.household.slice(0, 10)}…${row.household.slice(-6)}`);
    // No field to type a household or a hash into.
    expect(household.find('input').exists()).toBe(false);
    expect(
      w.findAll('input:not([type="file"])').filter((i) => i.element.closest('.el-select') === null),
    ).toHaveLength(0);

    const bytes = new TextEncoder().encode('医疗费用票据 2026-11');
    const expected = createHash('sha256').update(bytes).digest('hex');
    const input = w.find('[data-test="grievance-file"]');
    Object.defineProperty(input.element, 'files', { value: [new File([bytes], '票据.pdf')] });
    await input.trigger('change');
    await flushPromises();
    expect(w.find('[data-test="grievance-attached"]').text()).toContain('票据.pdf');
    expect(w.find('[data-test="grievance-attached"]').text()).toContain(expected.slice(0, 10));

    await w.find('textarea').setValue('医疗支出未计入');
    await w.find('[data-test="grievance-form"]').trigger('submit');
    await flushPromises();
    expect(prepare).toHaveBeenCalledWith({
      household: row.household,
      category: 'amount',
      text: '医疗支出未计入',
      attachment: expected,
    });
    expect(sign).toHaveBeenCalledTimes(1);
    // Filed: the form is ready for the next one, with no document attached.
    expect(w.find('[data-test="grievance-attached"]').exists()).toBe(false);
  });

  it('files without a document when the one attached is removed', async () => {
    mine.mockResolvedValue([]);
    prepare.mockResolvedValue({ action: {} });
    sign.mockResolvedValue({ ok: true, id: '12'.repeat(32), height: 9 });
    const w = render('mine', 'en');
    await flushPromises();
    const input = w.find('[data-test="grievance-file"]');
    Object.defineProperty(input.element, 'files', { value: [new File(['x'], 'a.txt')] });
    await input.trigger('change');
    await flushPromises();
    await w.find('[data-test="grievance-detach"]').trigger('click');
    expect(w.text()).toContain('only its SHA-256 fingerprint goes on chain');
    await w.find('textarea').setValue('wrong amount');
    await w.find('[data-test="grievance-form"]').trigger('submit');
    await flushPromises();
    expect(prepare.mock.calls[0]![0]).not.toHaveProperty('attachment');
  });

  it('links each grievance to its tx and block, and checks a file against its attachment fingerprint', async () => {
    const document = new TextEncoder().encode('入户调查记录（复印件）');
    const fingerprint = createHash('sha256').update(document).digest('hex');
    queue.mockResolvedValue([{ ...row, attachment: fingerprint }]);
    const w = render('queue');
    await flushPromises();
    const filed = w.find('[data-test="grievance-filed"]');
    expect(filed.find('[data-test="tx-link"]').attributes('href')).toContain(row.txId);
    expect(filed.find('[data-test="block-link"]').text()).toBe('#5');
    expect(w.find('[data-test="grievance-attachment"]').text()).toContain(fingerprint.slice(0, 10));

    const input = w.find('[data-test="grievance-check-file"]');
    const pick = async (bytes: Uint8Array<ArrayBuffer>, name: string) => {
      Object.defineProperty(input.element, 'files', { value: [new File([bytes], name)], configurable: true });
      await input.trigger('change');
      await flushPromises();
      return w.find('[data-test="grievance-check-result"]');
    };
    const same = await pick(document, '记录.jpg');
    expect(same.attributes('data-matches')).toBe('true');
    expect(same.text()).toContain('一致');
    const edited = await pick(new TextEncoder().encode('入户调查记录（复印件） '), '记录-改.jpg');
    expect(edited.attributes('data-matches')).toBe('false');
    expect(edited.text()).toContain('不是提交时的那份文件');
  });
});
