// The reviewer's queue: what the applicant filed is shown (the originality statement, a thumbnail of a
// picture, a text's opening lines, another file's type and size), a similar work is named by its title
// (not a piece of its id), the number and
// reason fields are labelled, a decision cannot be signed without what it needs (a number to approve, a
// reason of its own to refuse), and a second click while one decision is being signed sends nothing.
import { appIdPlugin, createSuiteI18n } from '@gongxin/ui';
import { serveDeploymentClock } from '@gongxin/ui/testing/clock';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { computed } from 'vue';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const mocks = vi.hoisted(() => ({ search: vi.fn(), get: vi.fn(), sign: vi.fn(), application: vi.fn() }));

vi.mock('./api', () => ({
  api: {
    works: {
      stats: { query: async () => ({ byStatus: {}, turnover: [], byCategory: [], licences: [] }) },
      search: { query: mocks.search },
      get: { query: mocks.get },
      application: { query: mocks.application },
    },
  },
}));
vi.mock('./components/stats-chart.vue', () => ({ default: { render: () => null } }));
vi.mock('@gongxin/ui', async (original) => ({
  ...(await original<typeof import('@gongxin/ui')>()),
  useAppSigner: () => ({ address: computed(() => 'gx1reviewer'), sign: mocks.sign }),
  useAuth: () => ({
    me: { address: 'gx1reviewer', roles: [{ app: 'copyright', role: 'reviewer' }] },
    load: async () => null,
  }),
}));

const ReviewView = (await import('./views/review-view.vue')).default;
const PENDING = {
  id: 'a1'.repeat(32),
  title: '江南春水（图文版）',
  category: 'text',
  height: 42,
  status: 'pending',
};
const ORIGINAL = 'b2'.repeat(32);

beforeEach(() => {
  serveDeploymentClock(0);
  mocks.search.mockReset().mockResolvedValue([PENDING]);
  mocks.get.mockReset().mockResolvedValue({
    work: PENDING,
    licences: [],
    listings: [],
    similar: [
      {
        workId: ORIGINAL,
        distance: 3,
        kind: 'text',
        strong: true,
        work: { id: ORIGINAL, title: '江南春水', status: 'registered' },
      },
    ],
  });
  mocks.sign.mockReset();
  mocks.application.mockReset().mockResolvedValue({
    originality: '作者于江南水乡写生后创作，配图为自行拍摄。',
    files: [
      {
        sha256: 'c1'.repeat(32),
        held: true,
        mediaType: 'image/png',
        size: 52_400,
        name: '春水.png',
        preview: {
          kind: 'image',
          thumbnail: 'data:image/png;base64,iVBORw0KGgo=',
          width: 1600,
          height: 1200,
        },
      },
      {
        sha256: 'd2'.repeat(32),
        held: true,
        mediaType: 'text/plain',
        size: 3_100,
        name: '春水.txt',
        preview: { kind: 'text', lines: ['江南春水', '', '春水碧于天'], truncated: true },
      },
      {
        sha256: 'e3'.repeat(32),
        held: true,
        mediaType: 'application/pdf',
        size: 2_516_582,
        name: '春水.pdf',
        preview: { kind: 'none' },
      },
    ],
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

async function page() {
  const wrapper = mount(ReviewView, {
    global: {
      plugins: [appIdPlugin('copyright'), createSuiteI18n({ 'zh-CN': zhCN, en })],
      stubs: {
        WorkCard: { template: '<div><slot /></div>' },
        RouterLink: { props: ['to'], template: '<a :href="to"><slot /></a>' },
        TxLink: true,
      },
    },
  });
  await flushPromises();
  return wrapper;
}

const input = (w: Awaited<ReturnType<typeof page>>, id: string) =>
  w.get(`input[data-test="${id}"], [data-test="${id}"] input`);
const disabled = (w: Awaited<ReturnType<typeof page>>, id: string) =>
  w.get(`button[data-test="${id}"]`).attributes('disabled') !== undefined;

describe('the review queue', () => {
  it("shows the applicant's originality statement and a preview of each file filed", async () => {
    const w = await page();
    expect(mocks.application).toHaveBeenCalledWith({ id: PENDING.id });
    expect(w.get('[data-test="review-originality"]').text()).toBe(
      '作者于江南水乡写生后创作，配图为自行拍摄。',
    );
    const files = w.findAll('[data-test="review-file"]');
    expect(files.map((f) => f.attributes('data-kind'))).toEqual(['image', 'text', 'none']);
    expect(files[0]!.get('[data-test="review-thumbnail"]').attributes('src')).toBe(
      'data:image/png;base64,iVBORw0KGgo=',
    );
    expect(files[0]!.get('[data-test="review-file-caption"]').text()).toBe(
      '春水.png · PNG · 51.2 KB · 1600×1200',
    );
    expect(files[1]!.get('[data-test="review-text"]').text()).toBe('江南春水\n\n春水碧于天\n…');
    expect(files[2]!.get('[data-test="review-no-preview"]').text()).toBe('此类文件无法预览');
    expect(files[2]!.get('[data-test="review-file-caption"]').text()).toBe('春水.pdf · PDF · 2.4 MB');
  });

  it('names a similar work by its title and status, linking to its verify page', async () => {
    const w = await page();
    const similar = w.get('[data-test="review-similar"]');
    expect(similar.get('[data-test="review-similar-title"]').text()).toBe('江南春水');
    expect(similar.get('[data-test="review-similar-title"]').attributes('href')).toBe(`/verify/${ORIGINAL}`);
    expect(similar.text()).toContain('已登记');
    expect(similar.text()).not.toContain(ORIGINAL.slice(0, 12));
  });

  it('labels the number and reason, and asks for what a decision needs before it can be signed', async () => {
    const w = await page();
    const labels = w.findAll('.cr-field').map((f) => f.text());
    expect(labels).toEqual(['登记号', '理由']);
    // The suggested reason is one for approving: refusing needs a reason of its own.
    expect(disabled(w, 'approve')).toBe(false);
    expect(disabled(w, 'reject')).toBe(true);
    expect(w.get('[data-test="review-missing"]').text()).toBe('不予登记请写明理由。');
    await input(w, 'review-reason').setValue('与已登记作品《江南春水》实质相同');
    expect(disabled(w, 'reject')).toBe(false);
    await input(w, 'review-regno').setValue('  ');
    expect(disabled(w, 'approve')).toBe(true);
    expect(w.get('[data-test="review-missing"]').text()).toBe('准予登记需要填写登记号。');
  });

  it('signs one decision however often it is clicked', async () => {
    let finish: (v: { id: string }) => void = () => undefined;
    mocks.sign.mockImplementation(() => new Promise((resolve) => (finish = resolve)));
    const w = await page();
    await w.get('button[data-test="approve"]').trigger('click');
    await w.get('button[data-test="approve"]').trigger('click');
    expect(mocks.sign).toHaveBeenCalledTimes(1);
    expect(disabled(w, 'reject')).toBe(true);
    finish({ id: 'c3'.repeat(32) });
    await flushPromises();
    expect(w.get('[data-test="decided"]').text()).toContain('已准予登记');
  });
});
